"""PostgreSQL as the room's store, with real processes on a real server the tests start:
faults are one line and exit 2, nothing is lost or doubled when writers race, the
vote that races the close, and a server killed mid-burst."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from mlquiz.cli import main
from mlquiz.progress import ProgressStore, StaleWrite
from tests.progress import pg_server

HERE = Path(__file__).parent
ROOT = HERE.parents[1]


def mlquiz(*args: str, env: dict | None = None, cwd: Path | None = None):
    """`python -m mlquiz ARGS` in a child process: (exit code, stdout, stderr)."""
    done = subprocess.run([sys.executable, "-m", "mlquiz", *args], capture_output=True,
                          text=True, timeout=60, env={**os.environ, **(env or {})},
                          cwd=cwd or ROOT)
    return done.returncode, done.stdout, done.stderr


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


def spawn(script: str, *args: object) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(HERE / script), *map(str, args)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})


# --- faults: one line, exit 2, never the password ------------------------------------

def test_nothing_listening_is_one_line_naming_the_host(pg_url):
    port = pg_server.free_port()
    code, out, err = mlquiz("--db", f"postgresql://mlquiz@127.0.0.1:{port}/room", "progress")
    assert code == 2 and out == ""
    assert one_line(err) == (f"mlquiz: PostgreSQL at 127.0.0.1:{port}: nothing accepts "
                             "connections there (is PostgreSQL running, and is the port right?)")


def test_a_wrong_password_in_the_url_is_named_and_never_printed(pg):
    url = f"postgresql://mlquiz:Wr0ng-Secret@127.0.0.1:{pg.port}/postgres"
    code, out, err = mlquiz("--db", url, "progress")
    assert code == 2
    line = one_line(err)
    assert f"PostgreSQL at 127.0.0.1:{pg.port}: wrong password" in line
    assert "Wr0ng-Secret" not in err + out


def test_a_password_written_in_the_url_works_and_is_never_shown(pg, monkeypatch):
    monkeypatch.delenv("PGPASSWORD", raising=False)
    url = pg.create_schema().replace("mlquiz@", f"mlquiz:{pg_server.PASSWORD}@")
    with ProgressStore.open(url) as store:
        store.record("ada", "step_viewed", module="m", item="s1")
        assert pg_server.PASSWORD not in f"{store.path} {store.path!r}"
    for args in (["progress", "--json"], ["export"], ["report"]):
        where = [url] if args == ["report"] else []
        code, out, err = mlquiz(*(["--db", url] if not where else []), *args, *where)
        assert code == 0, err
        assert pg_server.PASSWORD not in out + err
    assert json.loads(mlquiz("--db", url, "progress", "--json")[1])["database"] == url.replace(
        f":{pg_server.PASSWORD}@", "@")


def test_no_password_at_all_says_where_libpq_looks(pg, monkeypatch):
    monkeypatch.delenv("PGPASSWORD", raising=False)
    code, _out, err = mlquiz("--db", pg.url("postgres"), "progress",
                             env={"PGPASSFILE": "/nonexistent"})
    assert code == 2 and "set PGPASSWORD or add a line to ~/.pgpass" in one_line(err)


def test_a_password_from_pgpass_is_used(pg, tmp_path, monkeypatch):
    monkeypatch.delenv("PGPASSWORD", raising=False)
    passfile = tmp_path / "pgpass"
    passfile.write_text(f"127.0.0.1:{pg.port}:*:mlquiz:{pg_server.PASSWORD}\n")
    passfile.chmod(0o600)
    code, out, err = mlquiz("--db", pg.create_schema(), "progress", env={"PGPASSFILE": str(passfile)})
    assert (code, err) == (0, "") and "No progress yet" in out


def test_a_service_from_pg_service_conf_names_the_room(pg, tmp_path, monkeypatch):
    schema_url = pg.create_schema()
    schema = schema_url.rsplit("%3D", 1)[1]
    services = tmp_path / "pg_service.conf"
    services.write_text(f"[room]\nhost=127.0.0.1\nport={pg.port}\nuser=mlquiz\n"
                        f"dbname=postgres\noptions=-csearch_path={schema}\n")
    monkeypatch.setenv("PGPASSWORD", pg_server.PASSWORD)
    env = {"PGSERVICEFILE": str(services)}
    with ProgressStore.open(schema_url) as store:
        store.record("ada", "step_viewed", module="m", item="s1")
    for url, extra in (("postgresql://?service=room", {}), ("postgresql://", {"PGSERVICE": "room"})):
        code, out, err = mlquiz("--db", url, "progress", "--json", env={**env, **extra})
        assert code == 0, err
        assert json.loads(out)["learner"] == "ada"


def test_a_database_that_does_not_exist(pg_url, pg):
    code, _out, err = mlquiz("--db", pg.url("no_such_room"), "progress")
    assert code == 2
    assert one_line(err) == (f"mlquiz: PostgreSQL at 127.0.0.1:{pg.port} has no database "
                             "'no_such_room'; create it (createdb no_such_room) or fix the URL")


def test_a_port_where_another_program_listens(pg_url):
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]

    def answer_like_a_web_server():
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            with conn:
                conn.recv(1024)
                conn.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")

    threading.Thread(target=answer_like_a_web_server, daemon=True).start()
    try:
        code, _out, err = mlquiz("--db", f"postgresql://mlquiz@127.0.0.1:{port}/room", "progress")
    finally:
        listener.close()
    assert code == 2
    assert f"PostgreSQL at 127.0.0.1:{port}: the program listening there does not speak " \
           "PostgreSQL's protocol" in one_line(err)


def test_a_port_where_a_program_listens_and_says_nothing(pg_url):
    listener = socket.create_server(("127.0.0.1", 0))  # accepts (the kernel does), never answers
    port = listener.getsockname()[1]
    try:
        code, _out, err = mlquiz("--db", f"postgresql://mlquiz@127.0.0.1:{port}/room", "progress",
                                 env={"PGCONNECT_TIMEOUT": "2"})
    finally:
        listener.close()
    assert code == 2
    assert f"PostgreSQL at 127.0.0.1:{port} did not answer" in one_line(err)


def test_another_applications_database_is_refused_and_left_as_it_was(pg_url, pg):
    schema = pg_url.rsplit("%3D", 1)[1]
    pg.admin(f'CREATE TABLE "{schema}".orders (id int PRIMARY KEY, total numeric)')
    code, _out, err = mlquiz("--db", pg_url, "--learner", "ada", "review", "--plain")
    assert code == 2
    assert "is a PostgreSQL database of another application" in one_line(err)
    tables = pg.admin("SELECT table_name FROM information_schema.tables "
                      f"WHERE table_schema = '{schema}'")
    assert tables == [("orders",)], "nothing was written"


def test_a_newer_schema_is_refused_and_nothing_is_written(pg_url, pg):
    with ProgressStore.open(pg_url) as store:
        store.record("ada", "step_viewed", module="m", item="s1")
    schema = pg_url.rsplit("%3D", 1)[1]
    pg.admin(f"UPDATE \"{schema}\".meta SET value = '99' WHERE key = 'schema_version'")
    code, _out, err = mlquiz("--db", pg_url, "--learner", "ada", "review", "--plain")
    assert code == 2
    assert "was written by a newer mlquiz (schema 99" in one_line(err)
    assert pg.admin(f'SELECT count(*) FROM "{schema}".events') == [(1,)]


def test_a_sqlite_file_given_as_a_url_and_an_address_given_as_a_file_are_named(tmp_path):
    ProgressStore.open(tmp_path / "room.db").close()
    code, _out, err = mlquiz("--db", "postgresql:///room.db", "progress", cwd=tmp_path)
    assert code == 2
    assert one_line(err) == ("mlquiz: room.db is a SQLite file, not a PostgreSQL database; "
                             "pass it as --db room.db")
    code, _out, err = mlquiz("--db", "db.example:5432/room", "progress", cwd=tmp_path)
    assert code == 2 and "looks like a PostgreSQL server address" in one_line(err)
    code, _out, err = mlquiz("--db", "postgresql:/db.example/room", "progress", cwd=tmp_path)
    assert code == 2 and "is not a PostgreSQL URL" in one_line(err)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["room.db"], "no stray file was made"
    from mlquiz.progress import StoreError

    with pytest.raises(StoreError, match="is a PostgreSQL URL taken for a file name"):
        ProgressStore.open(Path("postgresql://db.example/room"))  # what Path() makes of a URL


# --- the same room on both backends ---------------------------------------------------

def test_the_same_answers_give_the_same_progress_json_on_both(tmp_path, pg_url, capsys):
    from mlquiz import paths
    from mlquiz.content import load_course

    module = load_course(paths.builtin_course_dir()).modules[0]
    at = datetime(2026, 5, 1, 9, tzinfo=timezone.utc)
    documents = []
    for db in (tmp_path / "room.db", pg_url):
        with ProgressStore.open(db) as store:
            for number, step in enumerate(module.lesson.steps[:3]):
                store.record("ada", "step_viewed", module=module.id, item=step.id,
                             at=at + timedelta(minutes=number), time_spent_ms=1000 * number)
            for number, question in enumerate(module.questions[:4]):
                store.record("ada", "question_answered", module=module.id, item=question.id,
                             answer="A", correct=number % 2 == 0, at=at + timedelta(hours=1, minutes=number),
                             detail={"mode": "practice"}, time_spent_ms=2500)
            store.record("ada", "test_finished", module=module.id, at=at + timedelta(hours=2),
                         detail={"test_id": "t1", "score": 7, "total": 10})
            store.set_position("ada", module.id, "practice", module.questions[3].id,
                               at=at + timedelta(hours=2))
        assert main(["--db", str(db), "progress", "--json"]) == 0
        document = json.loads(capsys.readouterr().out)
        document.pop("database")
        documents.append(document)
    assert documents[0] == documents[1]
    assert documents[0]["modules"][0]["best_test_score"] == 7


# --- real processes on one server -----------------------------------------------------

@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_twenty_writers_start_together_on_an_empty_database(backend, tmp_path, request):
    db = tmp_path / "room.db" if backend == "sqlite" else request.getfixturevalue("pg_url")
    ready = tmp_path / "ready"
    ready.mkdir()
    names = [f"learner-{number}" for number in range(20)]
    children = [spawn("child_writer.py", db, name, 10, ready, 20) for name in names]
    printed = {}
    for name, child in zip(names, children):
        out, err = child.communicate(timeout=240)
        assert child.returncode == 0 and err == "", err
        printed[name] = out.split()
    with ProgressStore.open(db) as store:
        events = store.events()
        assert len(events) == 200 and len({e.uid for e in events}) == 200
        for name in names:
            assert {e.uid for e in store.events(name)} == set(printed[name])
            assert sum(row["n"] for row in store.item_stats(name)) == 10
        assert len(store.learners()) == 20
        assert store.schema_version == 2


def test_a_vote_racing_the_close_is_counted_or_refused_never_both(pg_url, tmp_path):
    with ProgressStore.open(pg_url) as room:
        opened = room.record("@room", "poll_opened", module="m", item="q1", answer="B",
                             if_latest=("@room", None))
        ready = tmp_path / "ready"
        ready.mkdir()
        voters = [spawn("child_voter.py", pg_url, f"v{n}", opened.uid, ready, 7) for n in range(6)]
        ready.joinpath("instructor").touch()
        while len(room.events(kind="poll_vote")) < 30:  # the votes are flowing
            assert all(voter.poll() is None for voter in voters), voters[0].stderr.read()
        closed = room.record("@room", "poll_closed", module="m", item="q1",
                             if_latest=("@room", opened.uid))
        acknowledged = []
        for voter in voters:
            out, err = voter.communicate(timeout=120)
            assert voter.returncode == 0 and err == "", err
            lines = out.split()
            assert lines[-1] == "closed", "every voter was refused once the poll closed"
            acknowledged += lines[:-1]
        votes = room.events(kind="poll_vote")
        assert {vote.uid for vote in votes} == set(acknowledged)
        assert all(vote.id < closed.id for vote in votes), "no vote landed after the close"
        with pytest.raises(StaleWrite):
            room.record("@room", "poll_closed", if_latest=("@room", opened.uid))


def test_a_vote_opened_in_one_process_is_seen_in_another(pg_url, tmp_path):
    course = ROOT / "tests" / "tui" / "fixtures" / "course"
    plan = tmp_path / "plan.yaml"
    plan.write_text("polls:\n  - {module: tiny-debt, item: q-1}\n", encoding="utf-8")
    base = ["--db", pg_url, "--course", str(course)]
    assert mlquiz(*base, "live", "plan", str(plan))[0] == 0
    code, out, err = mlquiz(*base, "live", "next")
    assert code == 0 and "q-1 · voting" in out, err
    assert mlquiz(*base, "--learner", "ada", "live", "vote", "A")[0] == 0
    code, out, err = mlquiz(*base, "live", "status")
    assert code == 0 and "voted: 1 of" in out, out + err


def test_the_server_killed_mid_burst_loses_no_acknowledged_event(tmp_path, monkeypatch):
    """Its own server: SIGKILL to the postmaster and every backend, then a restart. The
    writer waits, reconnects and goes on; nothing it was told is saved is missing, and
    nothing is there twice."""
    why = pg_server.unavailable()
    if why:
        pytest.skip(f"PostgreSQL tests skipped: {why}")
    monkeypatch.setenv("PGPASSWORD", pg_server.PASSWORD)
    server = pg_server.PgServer.start()
    try:
        url = server.create_schema()
        child = spawn("child_writer.py", url, "ada", 0)
        acknowledged = []

        def read(count: int) -> None:
            while len(acknowledged) < count:
                line = child.stdout.readline()
                assert line, child.stderr.read()
                acknowledged.append(line.strip())

        read(100)
        server.kill()
        server.run()  # the same data folder and port
        read(len(acknowledged) + 100)  # the writer came back by itself
        child.send_signal(signal.SIGTERM)
        child.wait(timeout=30)
        # read() through the file object, not communicate(): lines readline() already took
        # into the file's buffer would be skipped by communicate(), which reads the pipe itself
        rest, err = child.stdout.read(), child.stderr.read()
        acknowledged += rest.split()
        assert f"mlquiz: lost the connection to PostgreSQL at 127.0.0.1:{server.port}; " \
               "waiting up to 30 s for it to come back" in err.splitlines()
        assert f"mlquiz: connected to PostgreSQL at 127.0.0.1:{server.port} again" in err
        with ProgressStore.open(url) as store:
            stored = [event.uid for event in store.events("ada")]
            assert len(stored) == len(set(stored)), "nothing was written twice"
            assert set(acknowledged) <= set(stored)
            assert len(stored) - len(acknowledged) <= 1  # at most the one in flight at SIGTERM
            assert sum(row["n"] for row in store.item_stats("ada")) == len(stored)
    finally:
        if "child" in locals() and child.poll() is None:
            child.kill()
        server.stop()


def test_a_server_that_does_not_come_back_ends_the_call_in_one_line(tmp_path, monkeypatch):
    why = pg_server.unavailable()
    if why:
        pytest.skip(f"PostgreSQL tests skipped: {why}")
    from mlquiz.progress import StoreError, pg

    monkeypatch.setenv("PGPASSWORD", pg_server.PASSWORD)
    monkeypatch.setattr(pg, "RECONNECT_WAIT_S", 1.0)
    server = pg_server.PgServer.start()
    try:
        store = ProgressStore.open(server.create_schema())
        store.record("ada", "step_viewed", item="s1")
        server.kill()
        with pytest.raises(StoreError) as raised:
            store.record("ada", "step_viewed", item="s2")
        assert str(raised.value).startswith(
            f"PostgreSQL at 127.0.0.1:{server.port} did not come back within 1 s; "
            "what was not acknowledged was not saved")
        server.run()
        assert [e.item for e in store.events("ada")] == ["s1"], "the next call reconnects"
        store.close()
    finally:
        server.stop()


def test_a_room_at_schema_1_is_upgraded_in_one_transaction(pg_url, pg):
    """Versioned migrations on PostgreSQL too: a database at version 1 gets version 2's
    uids, counters and tables when it is opened for writing, its rows kept."""
    from mlquiz.progress import pg as pg_backend
    from mlquiz.progress.location import parse_db

    conn = pg_backend.connect(parse_db(pg_url))
    conn.execute(pg_backend.MIGRATIONS[0])
    conn.execute("INSERT INTO meta VALUES ('schema_version', '1')")
    conn.execute("INSERT INTO learners(name, created_at) VALUES ('ada', '2026-01-01T00:00:00.000000+00:00')")
    for minute in range(3):
        conn.execute("INSERT INTO events(learner_id, at, module, item, kind, correct, detail) "
                     "VALUES (1, ?, 'm', 'q1', 'question_answered', ?, '{}')",
                     (f"2026-01-01T00:0{minute}:00.000000+00:00", minute % 2))
    conn.close()
    with ProgressStore.open(pg_url) as store:
        assert store.schema_version == 2
        events = store.events("ada")
        assert len(events) == 3 and len({e.uid for e in events}) == 3
        (stats,) = store.item_stats("ada")
        assert (stats["n"], stats["n_correct"], stats["last_correct"]) == (3, 1, 0)
        assert (store.position("ada").module, store.position("ada").screen) == ("m", "practice")
