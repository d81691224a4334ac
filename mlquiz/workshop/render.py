"""The report as a terminal table, CSV, JSON or one self-contained HTML page.

>>> print(render(report, "table"))   # doctest: +SKIP

Item statistics are shown module by module. Every figure carries its n;
one resting on fewer than stats.FEW_ANSWERS answers says so instead of being
flagged, and a number next to a threshold gets the digits that put it on the
same side as its flag (0.2996, not 0.30).
"""
from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict
from datetime import datetime

from mlquiz.terminal_text import one_line
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
    # One line per cell: a name or id holding a newline or tab cannot break the table.
    rows = [[one_line(cell) for cell in row] for row in rows]
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
    key_width = max((len(k) for k in q.option_shares), default=1)  # a numeric item's values
    lines = [f"{indent}{q.stem}"]
    for letter, share in q.option_shares.items():
        text = texts.get(letter, "")
        mark = "  right" if letter == q.answer else ""
        lines.append(f"{indent}  {letter.ljust(key_width)}  {text.ljust(width)}  "
                     f"{_pct(share):>4}{mark}".rstrip())
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


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert_cell(value: object) -> object:
    """A CSV cell a spreadsheet will not run: text starting =, +, -, @, tab or CR gets a
    leading single quote (OWASP's rule for CSV injection); numbers stay numbers.

    >>> inert_cell("=1+1"), inert_cell("-0.25"), inert_cell("-"), inert_cell("ana"), inert_cell(3)
    ("'=1+1", '-0.25', '-', 'ana', 3)
    """
    if not isinstance(value, str) or not value.startswith(FORMULA_STARTS) or value == "-":
        return value  # "-" alone is the report's "no value", not a formula
    try:
        float(value)
    except ValueError:
        return "'" + value
    return value


class _InertWriter:
    """csv.writer whose every cell goes through `inert_cell`."""

    def __init__(self, out: io.StringIO) -> None:
        self._writer = csv.writer(out, lineterminator="\n")

    def writerow(self, row) -> None:
        self._writer.writerow([inert_cell(cell) for cell in row])

    def writerows(self, rows) -> None:
        for row in rows:
            self.writerow(row)


def render_csv(report: Report) -> str:
    """One CSV table per section, each headed by a `section` column; no cell starts a formula."""
    out = io.StringIO()
    writer = _InertWriter(out)
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


def render_html(report: Report) -> str:
    """One self-contained page, every value escaped by the template (render_html.py)."""
    from mlquiz.workshop.render_html import render_html as page

    return page(report)


RENDERERS = {"table": render_table, "csv": render_csv, "json": render_json, "html": render_html}


def render(report: Report, fmt: str) -> str:
    return RENDERERS[fmt](report)
