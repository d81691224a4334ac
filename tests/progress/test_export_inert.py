"""`mlquiz export --format csv` opens in a spreadsheet without running anything, and reads back
exactly: a cell that would start a formula carries a leading quote, removed on reading."""
from __future__ import annotations

import csv
import io
from datetime import datetime, timezone

from mlquiz.cli import main
from mlquiz.progress import ProgressStore, read_export

HOSTILE = ['=HYPERLINK("http://evil.example","x")', "+1+1", "-2+3", "@SUM(A1)", "\tTAB",
           "'already quoted", "''=two quotes"]


def test_csv_export_cells_never_start_a_formula_and_read_back_exactly(tmp_path, capsys):
    db = tmp_path / "p.db"
    at = datetime(2026, 3, 1, 8, 30, tzinfo=timezone.utc)
    with ProgressStore.open(db) as store:
        for n, text in enumerate(HOSTILE):
            store.record("=evil()", "question_answered", module="m", item=f"q{n}", answer=text,
                         correct=False, at=at.replace(minute=n), time_spent_ms=-5 if n == 0 else 5)
    out = tmp_path / "e.csv"
    assert main(["--db", str(db), "--learner", "=evil()", "export", "--format", "csv",
                 "-o", str(out)]) == 0
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"), newline="")))
    for cell in (c for row in rows for c in row):
        if cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
            float(cell)  # only a plain number (here -5) may start with a sign
    learners, events = read_export(out)
    assert [learner.name for learner in learners] == ["=evil()"]
    assert [e.answer for e in events] == HOSTILE
    assert events[0].time_spent_ms == -5
