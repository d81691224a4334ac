"""The report as a terminal table, CSV, JSON or one self-contained HTML page.

>>> print(render(report, "table"))   # doctest: +SKIP
"""
from __future__ import annotations

import csv
import html
import io
import json
from dataclasses import asdict
from datetime import datetime

from mlquiz.workshop.report import Report
from mlquiz.workshop.stats import facility_band


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.0f}%"


def _num(value: float | None, digits: int = 2) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment else "-"


def _duration(seconds: int) -> str:
    minutes = seconds // 60
    return f"{minutes // 60}h{minutes % 60:02d}m" if minutes >= 60 else f"{minutes}m"


def _table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h)
              for i, h in enumerate(headers)]
    line = lambda cells: "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()
    return "\n".join([line(headers), line(["-" * w for w in widths]), *map(line, rows)])


def _learner_cells(report: Report) -> tuple[list[str], list[list[str]]]:
    headers = ["learner", "modules", "steps", "best test", "exercises", "time", "last active"]
    return headers, [[r.name, ", ".join(r.modules) or "-", str(r.steps_seen), _pct(r.test_score),
                      str(r.exercises_passed), _duration(r.time_spent_s), _when(r.last_active)]
                     for r in report.learners]


def _question_cells(report: Report) -> tuple[list[str], list[list[str]]]:
    headers = ["question", "n", "facility", "discrim.", "right", "picks", "note"]
    rows = []
    for q in report.questions:
        picks = " ".join(f"{o}:{_pct(s)}" for o, s in q.option_shares.items())
        notes = []
        if q.flagged:
            notes.append("check: low discrimination")
        if q.weak_distractors:
            notes.append("distractor not working: " + ",".join(q.weak_distractors))
        if q.top_distractor and q.option_shares[q.top_distractor] >= 0.25:
            notes.append(f"room fell for {q.top_distractor}")
        rows.append([q.id, str(q.attempts), _pct(q.facility), _num(q.discrimination),
                     q.answer or "?", picks, "; ".join(notes) or facility_band(q.facility)])
    return headers, rows


def _exercise_cells(report: Report) -> tuple[list[str], list[list[str]]]:
    headers = ["exercise", "tried", "passed", "checks to pass", "minutes to pass", "test failed most"]
    return headers, [[e.id, str(e.tried), str(e.passed), _num(e.median_attempts_to_pass, 1),
                      _num(e.median_minutes_to_pass, 1),
                      f"{e.most_failed_test} ({e.most_failed_count}x)" if e.most_failed_test else "-"]
                     for e in report.exercises]


def _summary_line(report: Report) -> str:
    basis = "first attempts" if report.first_attempts_only else "all attempts"
    return (f"{len(report.learners)} learners, {report.tests_analysed} tests analysed ({basis}); "
            f"Cronbach's alpha {_num(report.cronbach_alpha)}"
            + ("" if report.cronbach_alpha is None else
               " (satisfactory)" if report.cronbach_alpha > 0.75 else
               " (not satisfactory)" if report.cronbach_alpha < 0.64 else " (borderline)"))


def render_table(report: Report) -> str:
    parts = [_summary_line(report), "", "Learners", _table(*_learner_cells(report))]
    if report.questions:
        parts += ["", "Questions (hardest first)", _table(*_question_cells(report))]
    else:
        parts += ["", "Questions: no tests taken yet"]
    if report.exercises:
        parts += ["", "Exercises", _table(*_exercise_cells(report))]
    return "\n".join(parts) + "\n"


def render_csv(report: Report) -> str:
    """One CSV table per section, each headed by a `section` column."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for section, (headers, rows) in (("learners", _learner_cells(report)),
                                     ("questions", _question_cells(report)),
                                     ("exercises", _exercise_cells(report))):
        writer.writerow(["section", *headers])
        writer.writerows([section, *row] for row in rows)
        writer.writerow([])
    writer.writerow(["section", "tests_analysed", "cronbach_alpha"])
    writer.writerow(["test", report.tests_analysed, _num(report.cronbach_alpha, 4)])
    return out.getvalue()


def report_dict(report: Report) -> dict:
    data = asdict(report)
    for row in data["learners"]:
        row["last_active"] = row["last_active"].isoformat() if row["last_active"] else None
    for row, q in zip(data["questions"], report.questions):
        row["flagged"] = q.flagged
        row["top_distractor"] = q.top_distractor
    return data


def render_json(report: Report) -> str:
    return json.dumps(report_dict(report), indent=2) + "\n"


_CSS = """
body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:70rem;color:#1d2330;font-size:18px}
h1{font-size:2rem}h2{margin-top:2.5rem;border-bottom:2px solid #d0d6e2}
table{border-collapse:collapse;width:100%}td,th{padding:.35rem .6rem;text-align:left;border-bottom:1px solid #e3e7ef}
th{background:#f2f4f8}.flag{color:#b3261e;font-weight:600}.muted{color:#667}
.bar{fill:#3b6fd8}.bar.low{fill:#d8703b}.right{fill:#2e9d57}.wrong{fill:#d84b3b}.weak{fill:#c9ccd3}
svg text{font-size:13px;fill:#1d2330}
"""


def _facility_chart(report: Report) -> str:
    rows = report.questions
    height = 26 * len(rows) + 10
    bars = []
    for i, q in enumerate(rows):
        y = 5 + 26 * i
        width = (q.facility or 0) * 500
        cls = "bar low" if (q.facility or 0) < 0.35 else "bar"
        bars.append(f'<text x="0" y="{y + 16}">{html.escape(q.id)}</text>'
                    f'<rect class="{cls}" x="260" y="{y}" width="{width:.1f}" height="20"/>'
                    f'<text x="{268 + width:.1f}" y="{y + 16}">{_pct(q.facility)}</text>')
    return (f'<svg role="img" aria-label="facility per question" width="820" height="{height}">'
            + "".join(bars) + "</svg>")


def _picks_chart(report: Report) -> str:
    rows = report.questions
    height = 26 * len(rows) + 10
    parts = []
    for i, q in enumerate(rows):
        y, x = 5 + 26 * i, 260.0
        parts.append(f'<text x="0" y="{y + 16}">{html.escape(q.id)}</text>')
        for option, share in q.option_shares.items():
            width = share * 500
            cls = "right" if option == q.answer else ("weak" if option in q.weak_distractors else "wrong")
            if width > 0:
                parts.append(f'<rect class="{cls}" x="{x:.1f}" y="{y}" width="{width:.1f}" height="20">'
                             f'<title>{option}: {_pct(share)}</title></rect>')
                if width > 28:
                    parts.append(f'<text x="{x + 4:.1f}" y="{y + 15}" style="fill:#fff">{option}</text>')
            x += width
    return (f'<svg role="img" aria-label="answers picked per question" width="820" height="{height}">'
            + "".join(parts) + "</svg>")


def _html_table(headers: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(
            f'<td class="flag">{html.escape(c)}</td>' if c.startswith(("check", "distractor", "room fell"))
            else f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def render_html(report: Report) -> str:
    sections = [f"<h1>What the room found hard</h1><p>{html.escape(_summary_line(report))}</p>"]
    if report.warnings:
        sections.append("<p class='flag'>" + "<br>".join(map(html.escape, report.warnings)) + "</p>")
    if report.questions:
        sections += [
            "<h2>Share of the room right, per question</h2>",
            "<p class='muted'>Orange: under 35% right. Moodle calls 35–64% about right.</p>",
            _facility_chart(report),
            "<h2>Which answers the room picked</h2>",
            "<p class='muted'>Green: the right answer. Red: a distractor the room fell for. "
            "Grey: a distractor picked by under 5% (not working).</p>",
            _picks_chart(report),
            "<h2>Questions</h2>", _html_table(*_question_cells(report)),
        ]
    sections += ["<h2>Learners</h2>", _html_table(*_learner_cells(report))]
    if report.exercises:
        sections += ["<h2>Exercises</h2>", _html_table(*_exercise_cells(report))]
    return ("<!doctype html><html lang='en'><head><meta charset='utf-8'>"
            "<title>mlquiz report</title><style>" + _CSS + "</style></head><body>"
            + "".join(sections) + "</body></html>\n")


RENDERERS = {"table": render_table, "csv": render_csv, "json": render_json, "html": render_html}


def render(report: Report, fmt: str) -> str:
    return RENDERERS[fmt](report)
