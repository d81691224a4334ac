"""ProgressStore: every write of learner progress goes through here.

>>> store = ProgressStore.open(tmp / "progress.db")            # doctest: +SKIP
>>> sid = store.start_session("ada", client="tui")             # doctest: +SKIP
>>> store.record("ada", "question_answered", module="m", item="q1",
...              answer="C", correct=True, session_id=sid)      # doctest: +SKIP
Event(id=1, uid='...', learner='ada', ...)

Durability: WAL with synchronous=FULL. Each record() is one BEGIN IMMEDIATE ...
COMMIT, and FULL makes that commit fsync the log before record() returns, so an
acknowledged answer survives a killed process *and* a power cut or OS crash
(synchronous=NORMAL would only survive the killed process). The fsync costs
well under a millisecond on an SSD; answers come at human pace, so nobody sees
it, and the bench compares against a bare insert with the same settings.

Concurrency: a 10 s busy timeout plus BEGIN IMMEDIATE (take the write lock
up front, so two writers queue instead of failing half-way) lets two app
windows, a report and `mlquiz progress` share one file. One connection per
store; a lock makes the store safe to use from the TUI's worker threads.

PostgreSQL: `ProgressStore.open("postgresql://host/db")` runs the same store on a
server (mlquiz/progress/pg.py; the few statements that differ are in dialect.py).
Writers take turns on one advisory lock, as BEGIN IMMEDIATE makes them on SQLite.
If the server goes away, the next call waits for it (pg.RECONNECT_WAIT_S) and is
run again; record() looks for its event's uid first, so an answer whose commit
was sent but not acknowledged is never written twice.
"""
from __future__ import annotations

import functools
from contextlib import contextmanager
from itertools import chain
import json
import os
import random
import sqlite3
import threading
import time
import uuid
from datetime import datetime, timedelta
from os import PathLike
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, NamedTuple, TypeVar

from mlquiz.progress import dbfile, schema
from mlquiz.progress.dialect import POSTGRES, SQLITE, Dialect
from mlquiz.progress.errors import BUSY_TIMEOUT_S, StaleWrite, StoreError, damaged
from mlquiz.progress.location import DatabaseURL, is_url
from mlquiz.progress.events import (
    EVENT_KINDS, BestScore, Event, Learner, Position, ReviewState, from_text, to_text, utc_now,
)

_KINDS = frozenset(EVENT_KINDS)


def _begin_immediate(conn: sqlite3.Connection) -> None:
    """BEGIN IMMEDIATE, retried every 0.5-3 ms (random) until the busy timeout.

    SQLite's own busy wait sleeps up to 100 ms between tries, so when many
    windows write at once (a served room of 30 tabs) one writer could lose
    every try for the whole timeout while the others take turns. Trying again
    within a few milliseconds gives every waiting writer a fair chance.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    conn.execute("PRAGMA busy_timeout = 0")
    try:
        while True:
            try:
                conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) and "busy" not in str(error):
                    raise
                if time.monotonic() >= deadline:
                    raise
            time.sleep(random.uniform(0.0005, 0.003))
    finally:
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")


_T = TypeVar("_T")

_INSERT_EVENT = """INSERT INTO events(uid, learner_id, at, module, item, kind, answer, correct,
    hint_level, time_spent_ms, detail, session_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)
RETURNING id"""

_UPSERT_BEST_SCORE = """INSERT INTO best_scores(learner_id, module, test_id, score, total, at,
    event_uid) VALUES (?,?,?,?,?,?,?)
ON CONFLICT(learner_id, module) DO UPDATE SET test_id = excluded.test_id,
    score = excluded.score, total = excluded.total, at = excluded.at,
    event_uid = excluded.event_uid
WHERE excluded.score / excluded.total > best_scores.score / best_scores.total
   OR (excluded.score / excluded.total = best_scores.score / best_scores.total
       AND excluded.at < best_scores.at)"""

# SQLite's text of the open-sessions query (bench/room_presence reads its plan).
_ACTIVE_SESSIONS = SQLITE.active_sessions

_EVENT_SELECT = """SELECT e.id, e.uid, l.name, e.at, e.module, e.item, e.kind, e.answer,
    e.correct, e.hint_level, e.time_spent_ms, e.detail, e.session_id
FROM events AS e JOIN learners AS l ON l.id = e.learner_id"""


def _guarded(method: Callable[..., _T]) -> Callable[..., _T]:
    """Hold the store's lock and turn database errors into one clear StoreError.

    On PostgreSQL a call that met a lost connection (outside a caller's
    `transaction()` block) waits for the server, reconnects and runs once more.
    """

    @functools.wraps(method)
    def wrapper(self: "ProgressStore", *args: Any, **kwargs: Any) -> _T:
        with self._lock:
            try:
                return method(self, *args, **kwargs)
            except self._errors as error:
                if not self._can_reconnect():
                    raise self._store_error(error) from None
            self._reconnect()
            self._retrying = True
            try:
                return method(self, *args, **kwargs)
            except self._errors as error:
                raise self._store_error(error) from None
            finally:
                self._retrying = False

    return wrapper


def _event_from_row(row: tuple) -> Event:
    (event_id, uid, learner, at, module, item, kind, answer, correct, hint_level,
     time_spent_ms, detail, session_id) = row
    return Event(id=event_id, uid=uid, learner=learner, at=from_text(at), module=module,
                 item=item, kind=kind, answer=answer,
                 correct=None if correct is None else bool(correct), hint_level=hint_level,
                 time_spent_ms=time_spent_ms, detail=json.loads(detail) if detail else {},
                 session_id=session_id)


def _best_score_params(learner_id: int, module: str | None, detail: dict, at_text: str,
                       uid: str) -> tuple | None:
    """The best_scores upsert's parameters for a finished test, or None (no usable score)."""
    score, total = detail.get("score"), detail.get("total")
    numbers = (int, float)
    if (isinstance(score, numbers) and isinstance(total, numbers)
            and not isinstance(score, bool) and total > 0):
        return (learner_id, module or "", detail.get("test_id"), float(score), float(total),
                at_text, uid)
    return None


def _stats_dict(row: tuple) -> dict[str, Any]:
    # A dict display: about twice as fast as dict(zip(names, row)) over a learner's items.
    return {"module": row[0], "kind": row[1], "item": row[2], "n": row[3], "n_correct": row[4],
            "first_correct": row[5], "last_correct": row[6], "first_at": row[7],
            "last_at": row[8], "time_ms": row[9]}


class LiveSession(NamedTuple):
    """An open session and its last sign of life (see `ProgressStore.active_sessions`)."""

    id: int
    learner: str
    started_at: datetime
    last_seen: datetime


class EventRow(NamedTuple):
    """An event as a plain tuple with the fields of Event (see `ProgressStore.event_rows`)."""

    id: int
    uid: str
    learner: str
    at: datetime
    module: str | None
    item: str | None
    kind: str
    answer: str | None
    correct: bool | None
    hint_level: int | None
    time_spent_ms: int | None
    detail: dict[str, Any]
    session_id: int | None


class ProgressStore:
    """One learner-progress database. Build it with `ProgressStore.open(path)`."""

    def __init__(self, conn: Any, path: Path | DatabaseURL, *, read_only: bool,
                 dialect: Dialect = SQLITE) -> None:
        self._conn = conn
        self.path = path  # a Path, or a DatabaseURL whose str() has no password
        self.read_only = read_only
        self.dialect = dialect
        self._lock = threading.RLock()
        self._learner_ids: dict[str, int] = {}
        self._closed = False
        self._blocks = 0  # depth of transaction() blocks
        self._record_sql: str | None = None  # PostgreSQL's one-statement record()
        self._retrying = False
        if dialect is SQLITE:
            self._begin = functools.partial(_begin_immediate, conn)
            self._errors: tuple[type[BaseException], ...] = (sqlite3.Error,)
        else:
            from mlquiz.progress import pg

            self._begin = functools.partial(pg.begin_write, conn)
            self._errors = pg.ERRORS

    @property
    def backend(self) -> str:
        """'sqlite' or 'postgresql'."""
        return self.dialect.name

    def _store_error(self, error: BaseException) -> StoreError:
        if self.dialect is SQLITE:
            return StoreError.from_sqlite(self.path, error)
        from mlquiz.progress import pg

        return pg.store_error(self.path, error)

    def _can_reconnect(self) -> bool:
        return (self.dialect is POSTGRES and not self._closed and self._blocks == 0
                and not self._retrying and self._conn.broken)

    def _reconnect(self) -> None:
        self._learner_ids.clear()  # a learner made in the lost transaction does not exist
        self._conn.reconnect()

    def _rollback(self) -> None:
        """ROLLBACK if a transaction is open (and the connection still there to say it to)."""
        if self._conn.in_transaction and not getattr(self._conn, "broken", False):
            self._conn.execute("ROLLBACK")
        self.database_id: str | None = None  # the uuid inside the file (schema.DATABASE_ID)

    # --- opening -------------------------------------------------------------

    @classmethod
    def open(cls, path: str | PathLike, *, read_only: bool = False,
             app_version: str | None = None) -> "ProgressStore":
        """Open (creating file and folders) and upgrade the database at `path`.

        read_only=True never writes: for reading a database the learner cannot
        write (a read-only file or folder). It cannot upgrade an older schema.
        Raises StoreError (exit code 2) with one clear line for a bad database;
        the file itself is never overwritten, truncated or deleted.
        """
        if app_version is None:
            from mlquiz import __version__ as app_version
        if is_url(path):
            return cls._open_postgres(path if isinstance(path, DatabaseURL)
                                      else DatabaseURL(str(path)),
                                      read_only=read_only, app_version=app_version)
        path = Path(path).expanduser()
        if str(path).lower().startswith(("postgresql:", "postgres:")):
            # a URL that went through Path() somewhere ('//' became '/'): never a file name
            raise StoreError(f"{path} is a PostgreSQL URL taken for a file name; pass it "
                             "as written, postgresql://HOST[:PORT]/DBNAME")
        state = dbfile.inspect(path)
        if read_only:
            if state == "missing":
                raise StoreError(f"{path} does not exist yet; nothing has been recorded there")
            # A file nobody may write cannot change under us: read it as immutable, so
            # SQLite leaves no -wal/-shm beside it (they would copy its read-only
            # permissions and trip the next writable open). Not while a log holds
            # committed pages that are not in the file yet.
            wal = path.with_name(path.name + "-wal")
            pending = wal.exists() and wal.stat().st_size > 0
            conn = dbfile.connect(path, mode="ro",
                                  immutable=not pending and not dbfile.is_writable(path))
        else:
            if state == "missing":
                dbfile.make_parents(path)
            dbfile.check_writable(path)
            conn = dbfile.connect(path, mode="rwc" if state == "missing" else "rw")
        store = cls(conn, path, read_only=read_only)
        try:
            store._prepare(app_version)
        except BaseException:
            conn.close()
            raise
        dbfile.held_open(path)
        return store

    @classmethod
    def _open_postgres(cls, url: DatabaseURL, *, read_only: bool,
                       app_version: str) -> "ProgressStore":
        from mlquiz.progress import pg
        from mlquiz.progress.location import parse_db

        url = parse_db(url.url)  # the same checks as --db: a database name, a numeric port
        conn = pg.connect(url, read_only=read_only)
        try:
            pg.prepare(conn, read_only=read_only, app_version=app_version)
        except pg.ERRORS as error:
            conn.close()
            raise pg.store_error(url, error) from None
        except BaseException:
            conn.close()
            raise
        store = cls(conn, url, read_only=read_only, dialect=POSTGRES)
        try:
            store.database_id = (schema.database_id(conn) if read_only
                                 else schema.ensure_database_id(conn))
        except pg.ERRORS as error:
            conn.close()
            raise pg.store_error(url, error) from None
        return store

    def _prepare(self, app_version: str) -> None:
        conn = self._conn
        try:
            version = schema.user_version(conn)
            if version == 0 and conn.execute(
                    "SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]:
                raise StoreError(f"{self.path} is an SQLite database but not an mlquiz one; "
                                 "pass another --db or move it away")
            if version > schema.SCHEMA_VERSION:
                raise StoreError(
                    f"{self.path} was written by a newer mlquiz (schema {version}; this one "
                    f"knows up to {schema.SCHEMA_VERSION}); upgrade mlquiz "
                    "(pip install -U mlquiz) or pass another --db")
            if self.read_only:
                if version < schema.SCHEMA_VERSION:
                    raise StoreError(
                        f"{self.path} was written by an older mlquiz and is read-only, so it "
                        "cannot be upgraded; make it writable and run mlquiz once")
                self.database_id = schema.database_id(conn)
                return
            if 0 < version < schema.SCHEMA_VERSION:
                # Check and copy before the first write (even the switch to WAL
                # rewrites the header), so a damaged old file stays as it was.
                problems = self._quick_check()
                if problems:
                    raise damaged(self.path, problems[0])
                self._backup(version)
            if conn.execute("PRAGMA journal_mode = WAL").fetchone()[0].lower() != "wal":
                raise StoreError(f"{self.path} cannot use a write-ahead log (is it on a "
                                 "network drive?); pass a --db on a local disk")
            conn.execute("PRAGMA synchronous = FULL")
            self.database_id = schema.database_id(conn) if version else None
            if (version < schema.SCHEMA_VERSION or self.database_id is None
                    or self._lacks_indexes()):
                self._upgrade(app_version)
        except sqlite3.Error as error:
            raise StoreError.from_sqlite(self.path, error) from None

    def _lacks_indexes(self) -> bool:
        have = {row[0] for row in self._conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index'")}
        return any(name not in have for name, _on in schema.INDEXES)

    def _upgrade(self, app_version: str) -> None:
        """Run the missing migrations, add missing indexes and the database's uuid, in one
        transaction: all of them or none. The write lock is taken by the fair retry
        (_begin_immediate), so twenty processes opening a fresh file at once take turns
        instead of one losing every try of SQLite's own busy wait."""
        conn = self._conn
        _begin_immediate(conn)
        try:
            # Another window may have upgraded it while we waited for the lock.
            schema.migrate(conn, app_version=app_version)
            schema.ensure_indexes(conn)
            self.database_id = schema.ensure_database_id(conn)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def _backup(self, version: int) -> None:
        """A copy of the old database beside it, e.g. progress.db.schema-1.bak (kept if present)."""
        target = self.path.with_name(f"{self.path.name}.schema-{version}.bak")
        if target.exists():
            return
        # Two windows may upgrade at once: each copies to its own name first.
        partial = target.with_name(f"{target.name}.{os.getpid()}.partial")
        copy = sqlite3.connect(partial)
        try:
            self._conn.backup(copy)
        finally:
            copy.close()
        if target.exists():
            partial.unlink()
        else:
            os.replace(partial, target)

    def _quick_check(self) -> list[str]:
        rows = [row[0] for row in self._conn.execute("PRAGMA quick_check")]
        return [] if rows == ["ok"] else rows

    @_guarded
    def integrity_problems(self) -> list[str]:
        """SQLite's quick_check: [] when the file is sound (PostgreSQL checks its own pages)."""
        return self._quick_check() if self.dialect is SQLITE else []

    @property
    def schema_version(self) -> int:
        if self.dialect is SQLITE:
            return schema.user_version(self._conn)
        from mlquiz.progress import pg

        with self._lock:
            return pg.schema_version(self._conn) or 0

    def close(self) -> None:
        with self._lock:
            if self._closed:
                return
            self._closed = True
            self._conn.close()
        if self.dialect is SQLITE:
            dbfile.released(self.path)

    def __enter__(self) -> "ProgressStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- transactions ----------------------------------------------------------

    def _write(self) -> "_Transaction":
        if self.read_only:
            raise StoreError(f"{self.path} was opened read-only; nothing can be recorded")
        return _Transaction(self)

    def _learner_id(self, name: str, *, create: bool) -> int | None:
        """The row of learner `name`: 'EVE' and 'eve' are one learner, shown as first typed.

        An exact match wins, so a database from before names were folded, which may
        hold both 'EVE' and 'eve', still finds each one's own history; no row changes.
        """
        learner_id = self._learner_ids.get(name)
        if learner_id is None:
            row = self._conn.execute("SELECT id FROM learners WHERE name = ?", (name,)).fetchone()
            if row is None:
                row = self._same_learner_folded(name)
            if row is None:
                if not create:
                    return None
                if not name or not name.strip():
                    raise StoreError("a learner name cannot be empty; pass --learner NAME")
                row = self._conn.execute(
                    "INSERT INTO learners(name, created_at) VALUES (?, ?) RETURNING id",
                    (name, to_text(utc_now()))).fetchone()
            learner_id = self._learner_ids[name] = row[0]
        return learner_id

    def _same_learner_folded(self, name: str) -> tuple[int] | None:
        """The oldest learner whose name equals `name` ignoring case (Unicode casefold)."""
        folded = name.casefold()
        for learner_id, stored in self._conn.execute("SELECT id, name FROM learners ORDER BY id"):
            if stored.casefold() == folded:
                return (learner_id,)
        return None

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Several writes as one transaction: all or none, and one disk sync.

        >>> with store.transaction():                                   # doctest: +SKIP
        ...     store.record("ada", "question_answered", item="q1", correct=True)
        ...     store.save_review_state("ada", "q1", state_json, due)

        Writes inside it commit when the block ends (an error rolls all of them
        back); the store's lock is held throughout, so other threads wait. Nested
        blocks join the outer one.
        """
        with self._lock:
            conn = self._conn
            if self.read_only:
                self._write()  # raises
            if conn.in_transaction:
                yield
                return
            try:
                self._begin()
            except self._errors as error:
                if not self._can_reconnect():
                    raise self._store_error(error) from None
                self._reconnect()  # nothing was written yet: begin again on a new connection
                try:
                    self._begin()
                except self._errors as error:
                    raise self._store_error(error) from None
            self._blocks += 1
            try:
                try:
                    yield
                except BaseException:
                    self._rollback()
                    self._learner_ids.clear()  # a learner created inside was rolled back too
                    raise
                try:
                    conn.execute("COMMIT")
                except self._errors as error:
                    self._rollback()
                    self._learner_ids.clear()
                    raise self._store_error(error) from None
            finally:
                self._blocks -= 1

    # --- learners and sessions ---------------------------------------------------

    @_guarded
    def ensure_learner(self, name: str) -> Learner:
        """The learner called `name`, created on first use."""
        if not name or not name.strip():
            raise StoreError("a learner name cannot be empty; pass --learner NAME")
        if self._learner_id(name, create=False) is None:
            with self._write():
                self._learner_id(name, create=True)
        return self._learner_by_name(name)

    def _learner_by_name(self, name: str) -> Learner:
        row = self._conn.execute("SELECT id, name, created_at FROM learners WHERE id = ?",
                                 (self._learner_id(name, create=False),)).fetchone()
        return Learner(row[0], row[1], from_text(row[2]))

    @_guarded
    def learner(self, name: str) -> Learner | None:
        if self._learner_id(name, create=False) is None:
            return None
        return self._learner_by_name(name)

    @_guarded
    def learners(self) -> list[Learner]:
        rows = self._conn.execute("SELECT id, name, created_at FROM learners ORDER BY id")
        return [Learner(i, n, from_text(c)) for i, n, c in rows]

    @_guarded
    def last_active(self, name: str) -> datetime | None:
        """When the learner last recorded an event or started a session (indexed)."""
        learner_id = self._learner_id(name, create=False)
        if learner_id is None:
            return None
        row = self._conn.execute(
            "SELECT max(at) FROM events WHERE learner_id = ?", (learner_id,)).fetchone()
        session = self._conn.execute(
            "SELECT max(started_at) FROM sessions WHERE learner_id = ?", (learner_id,)).fetchone()
        moments = [text for text in (row[0], session[0]) if text]
        return from_text(max(moments)) if moments else None

    def most_recent_learner(self) -> str | None:
        """The only learner, else the one active most recently, else None. Names that start
        with '@' (a room's own timeline, '@room') are not learners and never chosen."""
        everyone = [learner for learner in self.learners() if not learner.name.startswith("@")]
        if len(everyone) <= 1:
            return everyone[0].name if everyone else None
        return max(everyone, key=lambda learner: (
            self.last_active(learner.name) or learner.created_at, learner.id)).name

    @_guarded
    def start_session(self, learner: str, client: str = "tui") -> int:
        with self._write():
            learner_id = self._learner_id(learner, create=True)
            return self._conn.execute(
                "INSERT INTO sessions(learner_id, client, started_at) VALUES (?, ?, ?) "
                "RETURNING id", (learner_id, client, to_text(utc_now()))).fetchone()[0]

    @_guarded
    def end_session(self, session_id: int) -> None:
        with self._write():
            self._conn.execute("UPDATE sessions SET ended_at = ? WHERE id = ? AND ended_at IS NULL",
                               (to_text(utc_now()), session_id))

    @_guarded
    def open_session_ids(self, ids: Iterable[int]) -> set[int]:
        """Those of `ids` that name a session not ended (unknown ids are left out).

        >>> store.open_session_ids([3, 4])  # doctest: +SKIP
        {3}
        """
        wanted = sorted({int(i) for i in ids})
        found: set[int] = set()
        for start in range(0, len(wanted), 500):  # well under any backend's parameter limit
            chunk = wanted[start:start + 500]
            rows = self._conn.execute(
                "SELECT id FROM sessions WHERE ended_at IS NULL AND id IN "
                f"({', '.join('?' * len(chunk))})", chunk)
            found.update(row[0] for row in rows)
        return found

    @_guarded
    def active_sessions(self, learner: str | None = None, *, within: timedelta,
                        now: datetime | None = None) -> list["LiveSession"]:
        """Sessions not ended that started or recorded an event in the last `within`.

        >>> store.active_sessions("ada", within=timedelta(minutes=60))  # doctest: +SKIP
        [LiveSession(id=3, learner='ada', started_at=..., last_seen=...)]

        A window killed before it could end its session drops out once `within` has passed.
        """
        since = to_text((now or utc_now()) - within)
        learner_clause, params = "", [since]
        if learner is not None:
            learner_id = self._learner_id(learner, create=False)
            if learner_id is None:
                return []
            learner_clause, params = " AND s.learner_id = ?", [learner_id, since]
        rows = self._conn.execute(self.dialect.active_sessions.format(learner_clause), params)
        return [LiveSession(i, n, from_text(s), from_text(seen)) for i, n, s, seen in rows]

    # --- the event log -------------------------------------------------------------

    def record(self, learner: str, kind: str, *, module: str | None = None,
               item: str | None = None, answer: str | None = None,
               correct: bool | None = None, hint_level: int | None = None,
               time_spent_ms: int | None = None, detail: dict[str, Any] | None = None,
               session_id: int | None = None, at: datetime | None = None,
               if_latest: tuple[str, str | None] | None = None) -> Event:
        """Append one event and update the derived state; committed before it returns.

        `if_latest=(learner, uid)` records only while `uid` is still that learner's
        newest event (None: it has none), checked inside the write transaction, else
        raises StaleWrite: two people acting on one timeline cannot both win.
        """
        if kind not in _KINDS:
            raise ValueError(f"unknown event kind {kind!r}; one of {', '.join(EVENT_KINDS)}")
        return self._append(uuid.uuid4().hex, learner, kind, module, item, answer, correct,
                            hint_level, time_spent_ms, detail, session_id, at, if_latest)

    @_guarded
    def _append(self, uid: str, learner: str, kind: str, module: str | None, item: str | None,
                answer: str | None, correct: bool | None, hint_level: int | None,
                time_spent_ms: int | None, detail: dict[str, Any] | None,
                session_id: int | None, at: datetime | None,
                if_latest: tuple[str, str | None] | None) -> Event:
        """record()'s write, under a uid chosen once: a retry after a lost connection
        first looks for that uid, so an event committed just before the loss stays one."""
        moment = at if at is not None else utc_now()
        at_text = to_text(moment)
        detail = dict(detail) if detail else {}
        detail_text = json.dumps(detail, separators=(",", ":"), ensure_ascii=False)
        correct_int = None if correct is None else (1 if correct else 0)
        conn = self._conn
        if self.read_only:
            self._write()  # raises
        outer = conn.in_transaction  # inside store.transaction(): that one commits
        if self._retrying and not outer:
            done = conn.execute("SELECT id, at FROM events WHERE uid = ?", (uid,)).fetchone()
            if done is not None:
                return Event(done[0], uid, learner, from_text(done[1]), module, item, kind,
                             answer, correct if correct is None else bool(correct),
                             hint_level, time_spent_ms, detail, session_id)
        known = self._learner_ids.get(learner)
        if (self.dialect is POSTGRES and not outer and known and if_latest is None
                and not self._retrying and kind != "test_finished"):
            event_id = self._append_in_one_trip(known, (
                uid, known, at_text, module, item, kind, answer, correct_int, hint_level,
                time_spent_ms, detail_text, session_id), detail)
            return Event(event_id, uid, learner, moment if at is None else from_text(at_text),
                         module, item, kind, answer, correct if correct is None else bool(correct),
                         hint_level, time_spent_ms, detail, session_id)
        if not outer:
            self._begin()
        try:
            if if_latest is not None:
                self._check_latest(*if_latest)
            learner_id = known or self._learner_id(learner, create=True)
            event_id = conn.execute(_INSERT_EVENT, (
                uid, learner_id, at_text, module, item, kind, answer, correct_int, hint_level,
                time_spent_ms, detail_text, session_id)).fetchone()[0]
            conn.execute(self.dialect.upsert_item_stats, (
                learner_id, module or "", kind, item or "", correct_int or 0, correct_int,
                correct_int, at_text, at_text, time_spent_ms or 0))
            if kind == "test_finished":
                self._update_best_score(learner_id, module, detail, at_text, uid)
            if not outer:
                conn.execute("COMMIT")
        except BaseException:
            if not outer:
                self._rollback()
            self._learner_ids.clear()  # a learner created here was rolled back too
            raise
        return Event(event_id, uid, learner, moment if at is None else from_text(at_text),
                     module, item, kind, answer, correct if correct is None else bool(correct),
                     hint_level, time_spent_ms, detail, session_id)

    def _check_latest(self, learner: str, uid: str | None) -> None:
        learner_id = self._learner_id(learner, create=False)
        row = None if learner_id is None else self._conn.execute(
            "SELECT uid FROM events WHERE learner_id = ? ORDER BY id DESC LIMIT 1",
            (learner_id,)).fetchone()
        if (row[0] if row else None) != uid:
            raise StaleWrite(f"{learner}'s timeline changed before this was recorded")

    @_guarded
    def last_event_id(self) -> int:
        """The id of the newest event (0 when there is none): a cheap "anything new?"."""
        return self._conn.execute("SELECT coalesce(max(id), 0) FROM events").fetchone()[0]

    @_guarded
    def events_after(self, event_id: int, *, kinds: Iterable[str] | None = None,
                     learner: str | None = None) -> list[Event]:
        """Events stored after `event_id` (0: all), in stored order: what a live view reads
        on each refresh, by primary key, instead of the whole log.

        >>> new = store.events_after(last_seen_id, kinds=("poll_vote",))   # doctest: +SKIP
        """
        clauses, params = ["e.id > ?"], [event_id]
        if kinds is not None:
            kinds = tuple(kinds)
            clauses.append(f"e.kind IN ({', '.join('?' * len(kinds))})")
            params.extend(kinds)
        if learner is not None:
            learner_id = self._learner_id(learner, create=False)
            if learner_id is None:
                return []
            clauses.append("e.learner_id = ?")
            params.append(learner_id)
        sql = f"{_EVENT_SELECT} WHERE {' AND '.join(clauses)} ORDER BY e.id"
        return [_event_from_row(row) for row in self._conn.execute(sql, params)]

    def _update_best_score(self, learner_id: int, module: str | None, detail: dict,
                           at_text: str, uid: str) -> None:
        params = _best_score_params(learner_id, module, detail, at_text, uid)
        if params is not None:
            self._conn.execute(_UPSERT_BEST_SCORE, params)

    def _append_in_one_trip(self, learner_id: int, row: tuple, detail: dict) -> int:
        """PostgreSQL: the write lock, the event and its counters in one statement, one round
        trip (pg.record_statement). A finished test (its best score too) takes the plain path."""
        (uid, _learner, at_text, module, item, kind, _answer, correct_int, _hint,
         time_spent_ms, _detail, _session) = row
        if self._record_sql is None:
            from mlquiz.progress.pg import record_statement

            self._record_sql = record_statement(self.dialect.upsert_item_stats)
        return self._conn.execute(self._record_sql, (
            *row, learner_id, module or "", kind, item or "", correct_int or 0, correct_int,
            correct_int, at_text, at_text, time_spent_ms or 0)).fetchone()[0]

    @_guarded
    def events(self, learner: str | None = None, *, module: str | None = None,
               kind: str | None = None, item: str | None = None,
               since: datetime | None = None) -> list[Event]:
        """Events in time order, filtered by whatever is given."""
        return list(self._iter_events(learner, module=module, kind=kind, item=item, since=since))

    @_guarded
    def event_rows(self) -> list[EventRow]:
        """Every event of every learner as a light EventRow, in the order stored.

        >>> rows = store.event_rows()        # doctest: +SKIP
        >>> rows[0].kind, rows[0].detail     # doctest: +SKIP
        ('step_viewed', {})

        For reading a whole room at once (the instructor report): several times
        faster than events(), since it builds no Event objects and decodes each
        distinct detail text once, so rows may share one detail dict: treat it
        as read-only. Not in time order; sort by `at` if that matters.
        """
        new, fromiso, loads = tuple.__new__, datetime.fromisoformat, json.loads
        details: dict[str, dict[str, Any]] = {}
        # One str object per distinct name, kind, module, item: less memory, and the
        # report's many dict lookups by learner or item reuse the string's cached hash.
        same = {}.setdefault
        rows = []
        append = rows.append
        for (event_id, uid, learner, at, module, item, kind, answer, correct, hint_level,
             time_spent_ms, detail, session_id) in self._conn.execute(_EVENT_SELECT):
            parsed = details.get(detail)
            if parsed is None:
                parsed = details[detail] = loads(detail) if detail else {}
            append(new(EventRow, (event_id, uid, same(learner, learner), fromiso(at),
                                  module and same(module, module), item and same(item, item),
                                  same(kind, kind), answer,
                                  None if correct is None else correct == 1,
                                  hint_level, time_spent_ms, parsed, session_id)))
        return rows

    def _iter_events(self, learner: str | None, *, module: str | None = None,
                     kind: str | None = None, item: str | None = None,
                     since: datetime | None = None) -> Iterator[Event]:
        clauses: list[str] = []
        params: list[Any] = []
        if learner is not None:
            learner_id = self._learner_id(learner, create=False)
            if learner_id is None:
                return
            clauses.append("e.learner_id = ?")
            params.append(learner_id)
        for column, value in (("module", module), ("kind", kind), ("item", item)):
            if value is not None:
                clauses.append(f"e.{column} = ?")
                params.append(value)
        if since is not None:
            clauses.append("e.at >= ?")
            params.append(to_text(since))
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        for row in self._conn.execute(f"{_EVENT_SELECT}{where} ORDER BY e.at, e.id", params):
            yield _event_from_row(row)

    # --- resume position -------------------------------------------------------------

    @_guarded
    def set_position(self, learner: str, module: str, screen: str, item: str | None = None,
                     *, at: datetime | None = None) -> None:
        """Remember where the learner is in a module (one row per module, replaced)."""
        with self._write():
            learner_id = self._learner_id(learner, create=True)
            self._conn.execute(
                "INSERT INTO positions(learner_id, module, screen, item, at) VALUES (?,?,?,?,?) "
                "ON CONFLICT(learner_id, module) DO UPDATE SET screen = excluded.screen, "
                "item = excluded.item, at = excluded.at",
                (learner_id, module, screen, item, to_text(at or utc_now())))

    @_guarded
    def position(self, learner: str, module: str | None = None) -> Position | None:
        """Where the learner was in `module`, or their latest position anywhere."""
        learner_id = self._learner_id(learner, create=False)
        if learner_id is None:
            return None
        if module is None:
            row = self._conn.execute(self.dialect.latest_position, (learner_id,)).fetchone()
        else:
            row = self._conn.execute(
                "SELECT module, screen, item, at FROM positions "
                "WHERE learner_id = ? AND module = ?", (learner_id, module)).fetchone()
        if row is None:
            return None
        return Position(learner, row[0], row[1], row[2], from_text(row[3]))

    # --- review state ------------------------------------------------------------------

    @_guarded
    def save_review_state(self, learner: str, item: str, state_json: str,
                          due: datetime) -> None:
        with self._write():
            learner_id = self._learner_id(learner, create=True)
            self._conn.execute(
                "INSERT INTO review_state(learner_id, item, state_json, due) VALUES (?,?,?,?) "
                "ON CONFLICT(learner_id, item) DO UPDATE SET state_json = excluded.state_json, "
                "due = excluded.due", (learner_id, item, state_json, to_text(due)))

    @_guarded
    def review_states(self, learner: str) -> dict[str, ReviewState]:
        learner_id = self._learner_id(learner, create=False)
        if learner_id is None:
            return {}
        rows = self._conn.execute(
            "SELECT item, state_json, due FROM review_state WHERE learner_id = ?", (learner_id,))
        return {item: ReviewState(item, state, from_text(due)) for item, state, due in rows}

    @_guarded
    def due_review_items(self, learner: str, now: datetime,
                         limit: int | None = None) -> list[ReviewState]:
        """Items due at `now`, most overdue first (index on learner, due)."""
        learner_id = self._learner_id(learner, create=False)
        if learner_id is None:
            return []
        rows = self._conn.execute(
            "SELECT item, state_json, due FROM review_state WHERE learner_id = ? AND due <= ? "
            "ORDER BY due, item LIMIT ?", (learner_id, to_text(now), self.dialect.no_limit if limit is None else limit))
        return [ReviewState(item, state, from_text(due)) for item, state, due in rows]

    @_guarded
    def due_item_ids(self, learner: str, now: datetime, limit: int | None = None) -> list[str]:
        """Ids of the items due at `now`, most overdue first: the queue without the state."""
        learner_id = self._learner_id(learner, create=False)
        if learner_id is None:
            return []
        rows = self._conn.execute(
            "SELECT item FROM review_state WHERE learner_id = ? AND due <= ? "
            "ORDER BY due, item LIMIT ?", (learner_id, to_text(now), self.dialect.no_limit if limit is None else limit))
        return list(chain.from_iterable(rows))  # one-column rows flattened in C

    @_guarded
    def review_state(self, learner: str, item: str) -> ReviewState | None:
        """The review state of one item, or None if it was never scheduled."""
        learner_id = self._learner_id(learner, create=False)
        if learner_id is None:
            return None
        row = self._conn.execute(
            "SELECT state_json, due FROM review_state WHERE learner_id = ? AND item = ?",
            (learner_id, item)).fetchone()
        return ReviewState(item, row[0], from_text(row[1])) if row else None

    @_guarded
    def count_due(self, learner: str, until: datetime) -> int:
        learner_id = self._learner_id(learner, create=False)
        if learner_id is None:
            return 0
        return self._conn.execute(
            "SELECT count(*) FROM review_state WHERE learner_id = ? AND due <= ?",
            (learner_id, to_text(until))).fetchone()[0]

    # --- settings ------------------------------------------------------------------------

    @_guarded
    def setting(self, learner: str, key: str, default: Any = None) -> Any:
        learner_id = self._learner_id(learner, create=False)
        if learner_id is None:
            return default
        row = self._conn.execute("SELECT value FROM settings WHERE learner_id = ? AND key = ?",
                                 (learner_id, key)).fetchone()
        return default if row is None else json.loads(row[0])

    @_guarded
    def set_setting(self, learner: str, key: str, value: Any) -> None:
        """Store any JSON-ready value."""
        text = json.dumps(value)
        with self._write():
            learner_id = self._learner_id(learner, create=True)
            self._conn.execute(
                "INSERT INTO settings(learner_id, key, value) VALUES (?,?,?) "
                "ON CONFLICT(learner_id, key) DO UPDATE SET value = excluded.value",
                (learner_id, key, text))

    # --- derived state ---------------------------------------------------------------------

    @_guarded
    def item_stats(self, learner: str, *, kinds: Iterable[str] | None = None) -> list[dict[str, Any]]:
        """One dict per (module, kind, item): n, n_correct, first/last_correct, first/last_at, time_ms.

        Kept up to date by record(); its size grows with items, not with events.
        `kinds` keeps only those event kinds (e.g. the exercise_* ones).
        """
        learner_id = self._learner_id(learner, create=False)
        if learner_id is None:
            return []
        where, params = "learner_id = ?", [learner_id]
        if kinds is not None:
            kinds = tuple(kinds)
            where += f" AND kind IN ({', '.join('?' * len(kinds))})"
            params.extend(kinds)
        cursor = self._conn.execute(
            "SELECT module, kind, item, n, n_correct, first_correct, last_correct, first_at, "
            f"last_at, time_ms FROM item_stats WHERE {where}", params)
        return list(map(_stats_dict, cursor))

    @_guarded
    def item_counts(self, learner: str, kinds: Iterable[str]) -> list[tuple]:
        """The counters `summarize` reads, as plain tuples and only the columns it needs:
        (module, kind, item, n, n_correct, first_correct, last_correct) for those kinds."""
        learner_id = self._learner_id(learner, create=False)
        if learner_id is None:
            return []
        kinds = tuple(kinds)
        return self._conn.execute(
            "SELECT module, kind, item, n, n_correct, first_correct, last_correct "
            f"FROM item_stats WHERE learner_id = ? AND kind IN ({', '.join('?' * len(kinds))})",
            (learner_id, *kinds)).fetchall()

    @_guarded
    def time_spent(self, learner: str) -> dict[str, int]:
        """Milliseconds recorded per module, summed in SQL over the derived counters.

        >>> store.time_spent("ada")      # doctest: +SKIP
        {'ml-technical-debt': 540000}
        """
        learner_id = self._learner_id(learner, create=False)
        if learner_id is None:
            return {}
        return dict(self._conn.execute(self.dialect.time_spent, (learner_id,)))

    @_guarded
    def best_scores(self, learner: str) -> dict[str, BestScore]:
        learner_id = self._learner_id(learner, create=False)
        if learner_id is None:
            return {}
        rows = self._conn.execute(
            "SELECT module, score, total, at, test_id FROM best_scores WHERE learner_id = ?",
            (learner_id,))
        return {m: BestScore(m, s, t, from_text(a), test_id) for m, s, t, a, test_id in rows}

    @_guarded
    def rebuild_derived(self) -> None:
        """Recompute counters and best scores from the event log (a repair, never needed normally)."""
        with self._write():
            if self.dialect is SQLITE:
                schema.rebuild_derived(self._conn)
            else:
                from mlquiz.progress import pg

                pg.rebuild_derived(self._conn)


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any error."""

    def __init__(self, store: ProgressStore) -> None:
        self._store = store
        self._conn = store._conn
        self._outer = self._conn.in_transaction

    def __enter__(self) -> None:
        if not self._outer:
            self._store._begin()

    def __exit__(self, exc_type: object, *rest: object) -> None:
        if self._outer:
            return
        if exc_type is None:
            try:
                self._conn.execute("COMMIT")
            except BaseException:
                self._store._rollback()
                self._store._learner_ids.clear()
                raise
        else:
            self._store._rollback()
            self._store._learner_ids.clear()  # a learner created here was rolled back too
