"""The report as a terminal table, CSV, JSON or one self-contained HTML page.

>>> print(render(report, "table"))   # doctest: +SKIP

Item statistics are shown module by module. Every figure carries its n;
one resting on fewer than stats.FEW_ANSWERS answers says so instead of being
flagged, and a number next to a threshold gets the digits that put it on the
same side as its flag (0.2996, not 0.30).
"""
from __future__ import annotations

import csv
import html
import io
import json
from dataclasses import asdict
from datetime import datetime

from mlquiz.workshop import peer_render
from mlquiz.workshop import stats
from mlquiz.workshop.report import ModuleReport, QuestionRow, Report, UnfinishedTests
from mlquiz.workshop.stats import facility_band


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.0f}%"


def _num(value: float | None, digits: int = 2) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def facility_text(value: float | None) -> str:
    """'25%', or '34.96%' when 35% would put it in another band."""
    if value is None:
        return "-"
    return stats.agreeing_digits(value, stats.FACILITY_BOUNDS, 0, scale=100) + "%"


def discrimination_text(value: float | None) -> str:
    """'0.52', or '0.2996' when 0.30 would hide that it is under Moodle's 0.30 line."""
    return "-" if value is None else stats.agreeing_digits(value, [stats.DISCRIMINATION_FLAG])


def efficiency_text(value: float | None) -> str:
    return "-" if value is None else stats.agreeing_digits(value, [stats.EFFICIENCY_FLAG])


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment else "-"


def _duration(seconds: int) -> str:
    minutes = seconds // 60
    return f"{minutes // 60}h{minutes % 60:02d}m" if minutes >= 60 else f"{minutes}m"


def _table_lines(headers: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h)
              for i, h in enumerate(headers)]
    line = lambda cells: "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()
    return [line(headers), line(["-" * w for w in widths]), *map(line, rows)]


def _table(headers: list[str], rows: list[list[str]]) -> str:
    return "\n".join(_table_lines(headers, rows))


# --- the words shared by every format --------------------------------------------


def question_notes(q: QuestionRow) -> tuple[list[str], list[str]]:
    """(flags, remarks): flags say the question needs checking, remarks are plain facts."""
    flags, remarks = [], []
    if q.few_answers:
        remarks.append(f"few answers (n={q.attempts} < {stats.FEW_ANSWERS}): not judged")
    else:
        if q.flagged:
            flags.append("check: low discrimination")
        if q.efficiency is not None and q.efficiency < stats.EFFICIENCY_FLAG:
            flags.append("check: low discriminative efficiency")
        if q.weak_distractors:
            flags.append("distractor not working: " + ",".join(q.weak_distractors))
    top = q.top_distractor
    if top and q.option_shares[top] >= 0.25:
        remarks.append(f"room fell for {top}")
    if q.unanswered:
        remarks.append(f"left blank {q.unanswered}x")
    remarks.append(facility_band(q.facility))
    return flags, remarks


def alpha_text(alpha: float | None) -> str:
    if alpha is None:
        return "- (needs 3 finished tests)"
    reading = ("satisfactory" if alpha > 0.75 else "not satisfactory" if alpha < 0.64
               else "borderline")
    return f"{stats.agreeing_digits(alpha, [0.64, 0.75])} ({reading})"


def module_line(m: ModuleReport, first_only: bool, *, title: bool = True) -> str:
    basis = "first finished test per learner" if first_only else "every finished test"
    return ((f"{m.title} [{m.module}]: " if title else f"[{m.module}] ")
            + f"{m.tests_analysed} tests analysed ({basis}); "
            f"Cronbach's alpha {alpha_text(m.cronbach_alpha)}")


def unfinished_line(u: UnfinishedTests) -> str | None:
    """'2 tests not finished (1 ended on purpose, 1 left open), left out of the statistics;
    stopped at: question 2 of 3 "..." (2)'."""
    if not u.count:
        return None
    where = []
    for stop in u.stopped_at:
        if stop.question is None:
            place = f"after the last question (all {stop.total} answered)"
        else:
            stem = _cut(stop.stem, 70)
            place = f'question {stop.position} of {stop.total} "{stem}"'
        where.append(f"{place} ({stop.tests})")
    return (f"{u.count} test{'s' if u.count != 1 else ''} not finished ({u.abandoned} ended on "
            f"purpose, {u.left_open} left open), left out of the statistics; stopped at: "
            + "; ".join(where))


def _summary_line(report: Report) -> str:
    basis = ("each learner's first finished test" if report.first_attempts_only
             else "every finished test")
    return (f"{len(report.learners)} learners; item statistics per module on {basis} "
            f"({report.tests_analysed} in all). Figures on fewer than {stats.FEW_ANSWERS} "
            "answers are marked 'few answers' instead of flagged.")


def _learner_cells(report: Report) -> tuple[list[str], list[list[str]]]:
    headers = ["learner", "modules", "steps", "best test", "exercises", "time", "last active"]
    return headers, [[r.name, ", ".join(r.modules) or "-", str(r.steps_seen), _pct(r.test_score),
                      str(r.exercises_passed), _duration(r.time_spent_s), _when(r.last_active)]
                     for r in report.learners]


_QUESTION_HEADERS = ["question", "n", "facility", "discrim.", "effic.", "right", "note"]


def _question_cells(q: QuestionRow) -> list[str]:
    flags, remarks = question_notes(q)
    return [q.id, str(q.attempts), facility_text(q.facility), discrimination_text(q.discrimination),
            efficiency_text(q.efficiency), q.answer or "?", "; ".join(flags + remarks)]


def _exercise_cells(report: Report) -> tuple[list[str], list[list[str]]]:
    headers = ["exercise", "tried", "passed", "checks to pass", "minutes to pass", "test failed most"]
    return headers, [[e.id, str(e.tried), str(e.passed), _num(e.median_attempts_to_pass, 1),
                      _num(e.median_minutes_to_pass, 1),
                      f"{e.most_failed_test} ({e.most_failed_count}x)" if e.most_failed_test else "-"]
                     for e in report.exercises]


# --- table -------------------------------------------------------------------------


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _option_lines(q: QuestionRow, indent: str) -> list[str]:
    texts = {letter: _cut(text, 80) for letter, text in q.options.items()}
    width = max((len(t) for t in texts.values()), default=0)
    lines = [f"{indent}{q.stem}"]
    for letter, share in q.option_shares.items():
        text = texts.get(letter, "")
        mark = "  right" if letter == q.answer else ""
        lines.append(f"{indent}  {letter}  {text.ljust(width)}  {_pct(share):>4}{mark}".rstrip())
    return lines


def _module_table(m: ModuleReport, first_only: bool) -> list[str]:
    lines = ["", module_line(m, first_only)]
    unfinished = unfinished_line(m.unfinished)
    if unfinished:
        lines.append(unfinished)
    if not m.questions:
        return lines + ["  no finished test yet"]
    table = _table_lines(_QUESTION_HEADERS, [_question_cells(q) for q in m.questions])
    lines += ["", *table[:2]]
    for q, row in zip(m.questions, table[2:]):
        lines += [row, *_option_lines(q, "    ")]
    return lines


def render_table(report: Report) -> str:
    parts = [_summary_line(report), "", "Learners", _table(*_learner_cells(report))]
    if report.modules:
        parts += ["", "Questions by module (hardest first)"]
        for m in report.modules:
            parts += _module_table(m, report.first_attempts_only)
    else:
        parts += ["", "Questions: no tests taken yet"]
    if report.exercises:
        parts += ["", "Exercises", _table(*_exercise_cells(report))]
    if report.peer:
        parts += ["", f"{peer_render.TITLE} ({peer_render.EXPLAIN})",
                  _table(peer_render.HEADERS, peer_render.rows(report.peer, _stems(report)))]
    return "\n".join(parts) + "\n"


def _stems(report: Report) -> dict[str, str]:
    """Question id -> its one-line stem, for the peer-instruction rows."""
    return {q.id: q.stem for q in report.questions}


# --- csv / json -----------------------------------------------------------------------


def render_csv(report: Report) -> str:
    """One CSV table per section, each headed by a `section` column."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    headers, rows = _learner_cells(report)
    writer.writerow(["section", *headers])
    writer.writerows(["learners", *row] for row in rows)
    writer.writerow([])
    writer.writerow(["section", "module", "question", "stem", "n", "facility", "discrimination",
                     "efficiency", "right", "picks", "note"])
    for m in report.modules:
        for q in m.questions:
            flags, remarks = question_notes(q)
            picks = " ".join(f"{o}:{s:.4f}" for o, s in q.option_shares.items())
            writer.writerow(["questions", m.module, q.id, q.stem, q.attempts, _num(q.facility, 4),
                             _num(q.discrimination, 4), _num(q.efficiency, 4), q.answer or "",
                             picks, "; ".join(flags + remarks)])
    writer.writerow([])
    headers, rows = _exercise_cells(report)
    writer.writerow(["section", *headers])
    writer.writerows(["exercises", *row] for row in rows)
    writer.writerow([])
    writer.writerow(["section", "module", "tests_analysed", "cronbach_alpha", "abandoned",
                     "left_open"])
    for m in report.modules:
        writer.writerow(["test", m.module, m.tests_analysed, _num(m.cronbach_alpha, 4),
                         m.unfinished.abandoned, m.unfinished.left_open])
    if report.peer:
        writer.writerow([])
        writer.writerows(peer_render.csv_rows(report.peer))
    return out.getvalue()


def report_dict(report: Report) -> dict:
    data = asdict(report)
    data["peer"] = peer_render.as_json(report.peer)
    data["few_answers_threshold"] = stats.FEW_ANSWERS
    for row in data["learners"]:
        row["last_active"] = row["last_active"].isoformat() if row["last_active"] else None
    for module_data, m in zip(data["modules"], report.modules):
        for row, q in zip(module_data["questions"], m.questions):
            row["flagged"] = q.flagged
            row["few_answers"] = q.few_answers
            row["top_distractor"] = q.top_distractor
    return data


def render_json(report: Report) -> str:
    return json.dumps(report_dict(report), indent=2, ensure_ascii=False) + "\n"


# --- html ------------------------------------------------------------------------------

_CSS = """
body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:70rem;color:#1d2330;font-size:18px}
h1{font-size:2rem}h2{margin-top:2.5rem;border-bottom:2px solid #d0d6e2}
table{border-collapse:collapse;width:100%}td,th{padding:.35rem .6rem;text-align:left;border-bottom:1px solid #e3e7ef}
th{background:#f2f4f8}.flag{color:#b3261e;font-weight:600}.muted{color:#667}
.bar{fill:#3b6fd8}.bar.low{fill:#d8703b}svg text{font-size:13px;fill:#1d2330}
.q{border:1px solid #d0d6e2;border-radius:6px;padding:.6rem 1rem;margin:1rem 0}
.q h3{margin:.2rem 0 .4rem;font-size:1.15rem}.q .id{color:#667;font-size:.85rem;font-weight:400}
.figs{color:#333;margin:.2rem 0 .5rem}.opt{display:grid;grid-template-columns:2rem 1fr 12rem 4rem;
gap:.5rem;align-items:center;padding:.15rem 0}.opt .track{background:#eef0f4;height:1rem;border-radius:3px}
.opt .fill{height:1rem;border-radius:3px;background:#d84b3b}.opt.right .fill{background:#2e9d57}
.opt.weak .fill{background:#c9ccd3}.opt.right .text{font-weight:600}
"""


def _facility_chart(m: ModuleReport) -> str:
    rows = m.questions
    height = 26 * len(rows) + 10
    bars = []
    for i, q in enumerate(rows):
        y = 5 + 26 * i
        width = (q.facility or 0) * 500
        cls = "bar low" if (q.facility or 0) < 0.35 else "bar"
        label = _cut(q.stem, 36)
        bars.append(f'<text x="0" y="{y + 16}"><title>{html.escape(q.stem)} ({html.escape(q.id)})</title>'
                    f'{html.escape(label)}</text>'
                    f'<rect class="{cls}" x="280" y="{y}" width="{width:.1f}" height="20"/>'
                    f'<text x="{288 + width:.1f}" y="{y + 16}">{facility_text(q.facility)} '
                    f'(n={q.attempts})</text>')
    return (f'<svg role="img" aria-label="facility per question" width="880" height="{height}">'
            + "".join(bars) + "</svg>")


def _question_card(q: QuestionRow) -> str:
    flags, remarks = question_notes(q)
    figures = (f"n={q.attempts} · facility {facility_text(q.facility)} · discrimination "
               f"{discrimination_text(q.discrimination)} · discriminative efficiency "
               f"{efficiency_text(q.efficiency)}")
    notes = "".join(f'<span class="flag">{html.escape(f)}</span>; ' for f in flags)
    notes += html.escape("; ".join(remarks))
    options = []
    for letter, share in q.option_shares.items():
        cls = "right" if letter == q.answer else ("weak" if letter in q.weak_distractors else "")
        text = q.options.get(letter, "")
        options.append(
            f'<div class="opt {cls}"><b>{letter}</b><span class="text">{html.escape(text)}'
            f'{" ✓" if letter == q.answer else ""}</span>'
            f'<div class="track"><div class="fill" style="width:{share * 100:.1f}%"></div></div>'
            f'<span>{_pct(share)}</span></div>')
    return (f'<div class="q"><h3>{html.escape(q.stem)} <span class="id">{html.escape(q.id)}</span></h3>'
            f'<div class="figs">{html.escape(figures)}</div><div class="figs">{notes}</div>'
            + "".join(options) + "</div>")


def _html_table(headers: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>"
                   for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _module_html(m: ModuleReport, first_only: bool) -> list[str]:
    parts = [f"<h2>{html.escape(m.title)}</h2>",
             f"<p>{html.escape(module_line(m, first_only, title=False))}</p>"]
    unfinished = unfinished_line(m.unfinished)
    if unfinished:
        parts.append(f"<p class='muted'>{html.escape(unfinished)}</p>")
    if not m.questions:
        return parts + ["<p class='muted'>No finished test yet.</p>"]
    parts += ["<h3>Share of the room right, per question</h3>",
              "<p class='muted'>Orange: under 35% right. Moodle calls 35–64% about right.</p>",
              _facility_chart(m),
              "<h3>Questions, hardest first</h3>",
              "<p class='muted'>Green: the right answer. Red: a distractor. Grey: a distractor "
              "picked by under 5% (not working, when n is large enough to tell).</p>",
              *map(_question_card, m.questions)]
    return parts


def render_html(report: Report) -> str:
    sections = [f"<h1>What the room found hard</h1><p>{html.escape(_summary_line(report))}</p>"]
    if report.warnings:
        sections.append("<p class='flag'>" + "<br>".join(map(html.escape, report.warnings)) + "</p>")
    for m in report.modules:
        sections += _module_html(m, report.first_attempts_only)
    sections += ["<h2>Learners</h2>", _html_table(*_learner_cells(report))]
    if report.exercises:
        sections += ["<h2>Exercises</h2>", _html_table(*_exercise_cells(report))]
    sections.append(peer_render.html_section(report.peer, _stems(report)))
    return ("<!doctype html><html lang='en'><head><meta charset='utf-8'>"
            "<title>mlquiz report</title><style>" + _CSS + "</style></head><body>"
            + "".join(sections) + "</body></html>\n")


RENDERERS = {"table": render_table, "csv": render_csv, "json": render_json, "html": render_html}


def render(report: Report, fmt: str) -> str:
    return RENDERERS[fmt](report)
