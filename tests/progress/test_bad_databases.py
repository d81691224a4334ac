"""Bad databases: one clear line, exit code 2, and the learner's file left exactly as it was."""
from __future__ import annotations

import os
import shutil
import sqlite3
import stat
from pathlib import Path

import pytest

from mlquiz.cli import main
from mlquiz.progress import ProgressStore, StoreError

FIXTURE = Path(__file__).parents[1] / "fixtures" / "progress_v1.db"


def make_db(path: Path, events: int = 60) -> Path:
    """A sound current database with some events, closed (no -wal left)."""
    with ProgressStore.open(path) as store:
        for number in range(events):
            store.record("ada", "question_answered", module="m", item=f"q{number % 20}",
                         answer="B", correct=number % 3 == 0, detail={"n": number, "pad": "x" * 400})
    assert not path.with_name(path.name + "-wal").exists()
    return path


def snapshot(path: Path) -> tuple[bytes, list[str]]:
    return path.read_bytes(), sorted(os.listdir(path.parent))


def cli_fails_clearly(capsys, db: Path, *command: str) -> str:
    code = main(["--db", str(db), *command])
    err = capsys.readouterr().err
    assert code == 2, err
    assert err.startswith("mlquiz: ") and err.count("\n") == 1, err
    assert "Traceback" not in err
    assert str(db) in err
    return err


@pytest.fixture
def folder(tmp_path):
    yield tmp_path
    for path in (tmp_path, *tmp_path.rglob("*")):  # let pytest clean up after chmod tests
        path.chmod(path.stat().st_mode | stat.S_IWUSR)


def test_a_file_that_is_not_sqlite(folder, capsys):
    db = folder / "notes.db"
    db.write_text("my lecture notes, not a database\n" * 10)
    before = snapshot(db)
    for command in (["progress"], ["export", "--format", "csv"]):
        err = cli_fails_clearly(capsys, db, *command)
        assert "is not an SQLite database" in err and "--db" in err
    with pytest.raises(StoreError, match="not an SQLite database") as caught:
        ProgressStore.open(db)
    assert caught.value.exit_code == 2
    assert snapshot(db) == before  # not even a -wal or -shm file beside it


def test_a_tiny_file_with_the_sqlite_magic_only(folder, capsys):
    db = folder / "cut.db"
    db.write_bytes(b"SQLite format 3\x00\x10\x00")
    before = snapshot(db)
    assert "truncated" in cli_fails_clearly(capsys, db, "progress")
    with pytest.raises(StoreError, match="truncated"):
        ProgressStore.open(db)
    assert snapshot(db) == before


def test_a_truncated_database(folder, capsys):
    db = make_db(folder / "progress.db")
    with db.open("r+b") as handle:
        handle.truncate(db.stat().st_size // 2)
    before = snapshot(db)
    err = cli_fails_clearly(capsys, db, "export")
    assert "is truncated" in err and "fresh one" in err
    with pytest.raises(StoreError, match="truncated"):
        ProgressStore.open(db)
    assert snapshot(db) == before


def test_a_database_with_garbage_in_its_pages(folder, capsys):
    db = make_db(folder / "progress.db")
    data = bytearray(db.read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    for offset in range(page_size, len(data), 97):  # every page but the first
        data[offset:offset + 7] = b"\xde\xad\xbe\xef\x00\xff\x13"
    db.write_bytes(bytes(data))
    before = snapshot(db)
    err = cli_fails_clearly(capsys, db, "export", "--all")
    assert "is damaged" in err and "keep a copy" in err
    with pytest.raises(StoreError, match="is damaged"):
        with ProgressStore.open(db) as store:
            store.events()
    assert snapshot(db) == before


def test_a_damaged_schema_page(folder, capsys):
    db = make_db(folder / "progress.db", events=5)
    data = bytearray(db.read_bytes())
    data[100:4096] = b"\x07" * (4096 - 100)  # the b-tree page of sqlite_master
    db.write_bytes(bytes(data))
    before = snapshot(db)
    err = cli_fails_clearly(capsys, db, "progress")
    assert "damaged" in err or "not an SQLite database" in err
    assert snapshot(db) == before


def test_a_database_from_a_newer_mlquiz(folder, capsys):
    db = make_db(folder / "progress.db", events=3)
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    before = snapshot(db)
    err = cli_fails_clearly(capsys, db, "progress")
    assert "newer mlquiz" in err and "upgrade mlquiz" in err
    with pytest.raises(StoreError, match="newer mlquiz"):
        ProgressStore.open(db)
    assert snapshot(db) == before


def test_an_sqlite_database_of_another_program(folder, capsys):
    db = folder / "photos.db"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE photos(id INTEGER PRIMARY KEY, name TEXT)")
    conn.execute("INSERT INTO photos(name) VALUES ('cat.jpg')")
    conn.commit()
    conn.close()
    before = snapshot(db)
    assert "not an mlquiz one" in cli_fails_clearly(capsys, db, "export")
    with pytest.raises(StoreError, match="not an mlquiz one"):
        ProgressStore.open(db)
    assert snapshot(db) == before  # still in rollback-journal mode, no log beside it


def test_a_folder_given_as_the_database(folder, capsys):
    (folder / "db").mkdir()
    assert "is a folder" in cli_fails_clearly(capsys, folder / "db", "progress")


def test_a_path_that_cannot_be_created(folder, capsys):
    blocker = folder / "not-a-folder"
    blocker.write_text("a file where a folder should be")
    db = blocker / "sub" / "progress.db"
    err = cli_fails_clearly(capsys, db, "progress")
    assert "cannot create" in err and "is a file" in err
    with pytest.raises(StoreError, match="cannot create"):
        ProgressStore.open(db)
    assert blocker.read_text() == "a file where a folder should be"


def test_a_read_only_file_cannot_be_written_but_can_be_read(folder, capsys):
    db = make_db(folder / "progress.db", events=4)
    db.chmod(0o444)
    before = snapshot(db)
    with pytest.raises(StoreError, match="read-only") as caught:
        ProgressStore.open(db)
    assert caught.value.exit_code == 2
    # reading still works: `mlquiz export` opens it read-only
    assert main(["--db", str(db), "export", "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert out.count("question_answered") == 4
    assert snapshot(db) == before  # and no read-only -wal/-shm left to trip the next open
    db.chmod(0o644)
    with ProgressStore.open(db) as store:  # writable again: it just works
        store.record("ada", "step_viewed")


def test_a_read_only_folder(folder, capsys):
    db = make_db(folder / "ro" / "progress.db", events=4)
    before = snapshot(db)
    db.parent.chmod(0o555)
    with pytest.raises(StoreError, match="folder .* is read-only"):
        ProgressStore.open(db)
    with pytest.raises(StoreError, match="read-only"):
        ProgressStore.open(db.parent / "new.db")
    assert main(["--db", str(db), "export", "--format", "csv"]) == 0
    assert capsys.readouterr().out.count("question_answered") == 4
    assert snapshot(db) == before


def test_an_old_read_only_database_cannot_be_upgraded(folder, capsys):
    db = folder / "progress.db"
    shutil.copyfile(FIXTURE, db)
    db.chmod(0o444)
    before = snapshot(db)
    err = cli_fails_clearly(capsys, db, "export")
    assert "older mlquiz" in err and "read-only" in err
    assert snapshot(db) == before


def test_a_damaged_old_database_is_not_upgraded_or_touched(folder, capsys):
    db = folder / "progress.db"
    data = bytearray(FIXTURE.read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    for offset in range(page_size, len(data), 61):
        data[offset:offset + 5] = b"\x00\xff\x00\xff\x42"
    db.write_bytes(bytes(data))
    before = snapshot(db)
    err = cli_fails_clearly(capsys, db, "export")
    assert "is damaged" in err
    with pytest.raises(StoreError, match="is damaged"):
        ProgressStore.open(db)
    assert snapshot(db) == before  # no backup, no log, not switched to WAL


def test_a_fresh_database_can_start_beside_a_bad_one(folder):
    from mlquiz.progress.dbfile import fresh_path_beside

    bad = folder / "progress.db"
    bad.write_text("not a database")
    fresh = fresh_path_beside(bad)
    assert fresh == folder / "progress-fresh.db"
    ProgressStore.open(fresh).close()
    assert fresh_path_beside(bad) == folder / "progress-fresh-2.db"
    assert bad.read_text() == "not a database"
