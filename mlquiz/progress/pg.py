"""The store's PostgreSQL side: connecting, its errors in words, its schema and migrations.

Imported only when a `postgresql://` URL is used, so SQLite users never load psycopg:

>>> conn = connect(DatabaseURL("postgresql://ada@db.example/room"))   # doctest: +SKIP
>>> prepare(conn, url, read_only=False, app_version="0.1.0")          # doctest: +SKIP
2

The connection speaks the store's SQL: `?` placeholders become `%s` (once per
statement text, cached). It runs in autocommit, and the store writes BEGIN/COMMIT
itself, as it does on SQLite. Every write transaction first takes one advisory
lock (WRITE_LOCK), so writers take turns as SQLite's BEGIN IMMEDIATE makes them
do: event ids then follow commit order (the live view reads "events after id N"),
and a conditional write (record(if_latest=...)) reads the timeline after the
last competing write has committed.
"""
from __future__ import annotations

import os
import re
import time
from typing import Any, Callable, Iterable

import psycopg
from psycopg import pq

from mlquiz.progress.errors import NothingRecorded, StoreError
from mlquiz.progress.location import DatabaseURL

# Advisory locks, one for writers and one for schema changes, per room: a database may hold
# several rooms in several schemas (search_path), and they do not wait for each other.
WRITE_LOCK = "pg_advisory_xact_lock(hashtextextended('mlquiz write ' || coalesce(current_schema(), ''), 0))"
SCHEMA_LOCK = "pg_advisory_xact_lock(hashtextextended('mlquiz schema ' || coalesce(current_schema(), ''), 0))"
CONNECT_TIMEOUT_S = 5            # unless the URL or PGCONNECT_TIMEOUT says otherwise
RECONNECT_WAIT_S = 30.0          # how long a store waits for a server that went away

ERRORS: tuple[type[BaseException], ...] = (psycopg.Error,)


def _to_stderr(line: str) -> None:
    import sys

    print(f"mlquiz: {line}", file=sys.stderr, flush=True)


# Where a store says that its server went away and came back: one line each. A command
# prints it on stderr; inside the app Textual keeps stderr off the screen.
notice: Callable[[str], None] = _to_stderr


class PgConnection:
    """A psycopg connection that takes the store's `?` SQL and knows its own URL."""

    def __init__(self, url: DatabaseURL, *, read_only: bool) -> None:
        self.url = url
        self.read_only = read_only
        self._translated: dict[str, str] = {}
        self._raw = _connect(url, read_only=read_only)

    def _sql(self, sql: str) -> str:
        text = self._translated.get(sql)
        if text is None:
            text = self._translated[sql] = sql.replace("%", "%%").replace("?", "%s")
        return text

    def execute(self, sql: str, params: Iterable[Any] = ()) -> psycopg.Cursor:
        params = tuple(params)
        if not params:
            return self._raw.execute(sql)  # no placeholders: sent as one simple query
        return self._raw.execute(self._sql(sql), params)

    def executemany(self, sql: str, rows: Iterable[Iterable[Any]]) -> None:
        with self._raw.cursor() as cursor:
            cursor.executemany(self._sql(sql), [tuple(row) for row in rows])

    @property
    def in_transaction(self) -> bool:
        return self._raw.info.transaction_status != pq.TransactionStatus.IDLE

    @property
    def broken(self) -> bool:
        """The server went away (or the connection was closed)."""
        return self._raw.closed or self._raw.broken

    def reconnect(self, wait: float | None = None) -> None:
        """Connect again, trying every half second for up to `wait` (RECONNECT_WAIT_S) seconds."""
        wait = RECONNECT_WAIT_S if wait is None else wait
        notice(f"lost the connection to PostgreSQL at {self.url.where}; waiting up to "
               f"{wait:g} s for it to come back")
        deadline = time.monotonic() + wait
        while True:
            try:
                self._raw.close()
                self._raw = _connect(self.url, read_only=self.read_only)
                self._translated.clear()
                notice(f"connected to PostgreSQL at {self.url.where} again")
                return
            except StoreError as error:
                if time.monotonic() >= deadline:
                    raise StoreError(f"PostgreSQL at {self.url.where} did not come back within "
                                     f"{wait:g} s; what was not acknowledged was not saved "
                                     f"(last try: {error})") from None
                time.sleep(0.5)

    def close(self) -> None:
        self._raw.close()


def _connect(url: DatabaseURL, *, read_only: bool) -> psycopg.Connection:
    options: dict[str, Any] = {"autocommit": True, "application_name": "mlquiz"}
    if "connect_timeout" not in url.url and not os.environ.get("PGCONNECT_TIMEOUT"):
        options["connect_timeout"] = CONNECT_TIMEOUT_S
    try:
        conn = psycopg.connect(url.url, **options)
    except psycopg.Error as error:
        raise connect_error(url, error) from None
    except UnicodeError:
        raise StoreError(f"{url}: the URL cannot be read; check its spelling") from None
    if read_only:
        conn.execute("SET default_transaction_read_only = on")
    return conn


def connect(url: DatabaseURL, *, read_only: bool = False) -> PgConnection:
    """A connection, or StoreError naming the server and what went wrong (never the password)."""
    return PgConnection(url, read_only=read_only)


def _scrubbed(url: DatabaseURL, text: str) -> str:
    """libpq's own words, first line, with any password of the URL taken out."""
    line = text.strip().splitlines()[0] if text.strip() else type(text).__name__
    line = re.sub(r"^connection failed: ", "", line)
    line = re.sub(r'^connection to server (at|on) "[^"]*"( \([^)]*\))?, port \d+ failed: ', "", line)
    line = line.replace("FATAL:  ", "")
    password = url.password
    return line.replace(password, "***") if password else line


def connect_error(url: DatabaseURL, error: BaseException) -> StoreError:
    """One line: which server, what went wrong, what to do."""
    where = f"PostgreSQL at {url.where}"
    said = _scrubbed(url, str(error))
    low = said.lower()
    if "password authentication failed" in low:
        return StoreError(f"{where}: wrong password for the user of {url} (libpq takes it from "
                          "PGPASSWORD, ~/.pgpass or PGSERVICE)")
    if "no password supplied" in low:
        return StoreError(f"{where} asks for a password and none was given; set PGPASSWORD or "
                          "add a line to ~/.pgpass")
    if "database" in low and "does not exist" in low:
        return StoreError(f"{where} has no database {url.dbname!r}; create it "
                          f"(createdb {url.dbname}) or fix the URL")
    if "role" in low and "does not exist" in low:
        return StoreError(f"{where} has no such user ({said}); fix the user in the URL")
    if "connection refused" in low or "no such file or directory" in low:
        return StoreError(f"{where}: nothing accepts connections there (is PostgreSQL running, "
                          "and is the port right?)")
    if "timeout expired" in low:
        return StoreError(f"{where} did not answer within "
                          f"{os.environ.get('PGCONNECT_TIMEOUT') or CONNECT_TIMEOUT_S} s; check "
                          "the host and port (something else may listen there)")
    if "translate host name" in low or "name or service not known" in low:
        return StoreError(f"{where}: no such host; check the URL")
    if ("invalid response" in low or "expected authentication request" in low
            or "unsupported frontend protocol" in low or "received invalid" in low
            or "server closed the connection unexpectedly" in low):
        return StoreError(f"{where}: the program listening there does not speak PostgreSQL's "
                          f"protocol ({said}); check the port")
    if "service" in low and ("not found" in low or "definition" in low):
        return StoreError(f"{url}: {said}; check PGSERVICE and your pg_service.conf")
    return StoreError(f"{where}: cannot connect ({said})")


def store_error(url: DatabaseURL, error: BaseException) -> StoreError:
    """A failure after connecting, translated like SQLite's."""
    if isinstance(error, psycopg.OperationalError) and _lost(error):
        return StoreError(f"PostgreSQL at {url.where} went away ({_scrubbed(url, str(error))}); "
                          "what was not acknowledged was not saved")
    if isinstance(error, psycopg.errors.ReadOnlySqlTransaction):
        return StoreError(f"{url} was opened read-only; nothing can be recorded")
    if isinstance(error, psycopg.errors.InsufficientPrivilege):
        return StoreError(f"{url}: the user may not do this ({_scrubbed(url, str(error))}); "
                          "grant it the room's tables")
    return StoreError(f"{url} cannot be used ({_scrubbed(url, str(error))})")


def _lost(error: BaseException) -> bool:
    low = str(error).lower()
    return any(word in low for word in ("closed", "lost", "terminat", "consuming input",
                                        "server", "connection"))


# --- transactions -------------------------------------------------------------------

def begin_write(conn: PgConnection) -> None:
    """BEGIN and wait for the room's write lock (released by COMMIT or ROLLBACK)."""
    conn.execute(f"BEGIN; SELECT {WRITE_LOCK}")


def record_statement(upsert_item_stats: str) -> str:
    """record()'s whole write as one statement (autocommit: its own transaction, one round
    trip): the write lock first, then the event and its counters, which select their values
    from the lock's row so they run after it. The id is taken after the lock and the lock is
    held to the commit, so ids still follow commit order. Casts name each value's type."""
    values = "VALUES (?,?,?,?,1,?,?,?,?,?,?)"
    assert upsert_item_stats.count(values) == 1
    counters = upsert_item_stats.replace(values, (
        "SELECT ?::bigint, ?::text, ?::text, ?::text, 1, ?::bigint, ?::integer, ?::integer, "
        "?::text, ?::text, ?::bigint FROM held"))
    return (f"WITH held AS (SELECT {WRITE_LOCK} AS locked), "
            "event AS (INSERT INTO events(uid, learner_id, at, module, item, kind, answer, "
            "correct, hint_level, time_spent_ms, detail, session_id) SELECT ?::text, ?::bigint, "
            "?::text, ?::text, ?::text, ?::text, ?::text, ?::integer, ?::integer, ?::bigint, "
            "?::text, ?::bigint FROM held RETURNING id), "
            f"counters AS ({counters}) SELECT id FROM event")


# --- schema -------------------------------------------------------------------------

_V1 = """
CREATE TABLE meta (key text PRIMARY KEY, value text);
CREATE TABLE learners (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    name text NOT NULL, created_at text NOT NULL);
CREATE UNIQUE INDEX idx_learners_name ON learners(name);
CREATE TABLE sessions (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    learner_id bigint NOT NULL REFERENCES learners(id), client text,
    started_at text NOT NULL, ended_at text);
CREATE TABLE events (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    learner_id bigint NOT NULL REFERENCES learners(id), at text NOT NULL, module text,
    item text, kind text NOT NULL, answer text, correct integer, hint_level integer,
    time_spent_ms bigint, detail text NOT NULL, session_id bigint REFERENCES sessions(id));
CREATE INDEX idx_events_learner_id_at ON events(learner_id, at);
CREATE TABLE review_state (learner_id bigint NOT NULL REFERENCES learners(id),
    item text NOT NULL, state_json text NOT NULL, due text NOT NULL,
    PRIMARY KEY (learner_id, item));
CREATE INDEX idx_review_state_learner_id_due ON review_state(learner_id, due);
CREATE TABLE settings (learner_id bigint NOT NULL REFERENCES learners(id), key text NOT NULL,
    value text, PRIMARY KEY (learner_id, key));
"""

_V2 = """
ALTER TABLE events ADD COLUMN uid text;
UPDATE events SET uid = replace(gen_random_uuid()::text, '-', '') WHERE uid IS NULL;
CREATE UNIQUE INDEX idx_events_uid ON events(uid);
CREATE TABLE positions (learner_id bigint NOT NULL REFERENCES learners(id),
    module text NOT NULL, screen text NOT NULL, item text, at text NOT NULL,
    PRIMARY KEY (learner_id, module));
CREATE INDEX idx_positions_learner_id_at ON positions(learner_id, at);
CREATE TABLE item_stats (learner_id bigint NOT NULL REFERENCES learners(id),
    module text NOT NULL, kind text NOT NULL, item text NOT NULL, n bigint NOT NULL,
    n_correct bigint NOT NULL, first_correct integer, last_correct integer,
    first_at text NOT NULL, last_at text NOT NULL, time_ms bigint NOT NULL,
    PRIMARY KEY (learner_id, module, kind, item));
CREATE TABLE best_scores (learner_id bigint NOT NULL REFERENCES learners(id),
    module text NOT NULL, test_id text, score double precision NOT NULL,
    total double precision NOT NULL, at text NOT NULL, event_uid text,
    PRIMARY KEY (learner_id, module));
"""

# Version N is MIGRATIONS[N - 1], as in schema.MIGRATIONS (SQLite); a new schema version
# needs a step in both lists (schema.py asserts they are as long).
MIGRATIONS: tuple[str, ...] = (_V1, _V2)


def _after_v2(conn: "PgConnection") -> None:
    """Version 2's derived state from the log already there: counters, best scores, positions."""
    from mlquiz.progress.schema import _SCREEN_OF_KIND

    rebuild_derived(conn)
    rows = conn.execute(
        "SELECT learner_id, module, kind, item, at FROM (SELECT learner_id, module, kind, item, "
        "at, row_number() OVER (PARTITION BY learner_id, module ORDER BY at DESC, id DESC) AS r "
        "FROM events WHERE module IS NOT NULL) AS latest WHERE r = 1").fetchall()
    conn.executemany(
        "INSERT INTO positions(learner_id, module, screen, item, at) VALUES (?,?,?,?,?) "
        "ON CONFLICT DO NOTHING",
        [(learner_id, module, _SCREEN_OF_KIND.get(kind, "overview"), item, at)
         for learner_id, module, kind, item, at in rows])


# Python steps run right after a version's SQL (as schema.py's migrations do on SQLite).
AFTER: dict[int, Callable[["PgConnection"], None]] = {2: _after_v2}


def _tables(conn: PgConnection) -> set[str]:
    rows = conn.execute("SELECT table_name FROM information_schema.tables "
                        "WHERE table_schema = current_schema()").fetchall()
    return {row[0] for row in rows}


def schema_version(conn: PgConnection) -> int | None:
    """The mlquiz schema version; 0 for an empty database; None for another application's."""
    tables = _tables(conn)
    if not tables:
        return 0
    if "meta" not in tables:
        return None
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    except psycopg.Error:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        return None
    if row is None or not str(row[0]).isdigit():
        return None
    return int(row[0])


def prepare(conn: PgConnection, *, read_only: bool, app_version: str) -> int:
    """Check the database is an mlquiz one this version can use; create or upgrade it.

    The first writable open of an empty database creates the tables. Twenty
    processes doing that at once take turns on SCHEMA_LOCK, and each looks at the
    version again once it holds the lock, so the tables are made once. Nothing is
    written to a database of another application or of a newer mlquiz.
    """
    from mlquiz.progress import schema

    url = conn.url
    version = _checked_version(conn)
    if read_only:
        if version == 0:
            raise NothingRecorded(f"{url} holds no mlquiz data yet; nothing has been recorded there")
        if version < schema.SCHEMA_VERSION:
            raise StoreError(f"{url} was written by an older mlquiz and this open is read-only; "
                             "open it once for writing (e.g. mlquiz progress --db URL) to upgrade")
        return version
    if version == schema.SCHEMA_VERSION and _has_indexes(conn):
        return version
    conn.execute(f"BEGIN; SELECT {SCHEMA_LOCK}")
    try:
        version = _checked_version(conn)
        for number in range(version + 1, schema.SCHEMA_VERSION + 1):
            conn.execute(MIGRATIONS[number - 1])
            if number in AFTER:
                AFTER[number](conn)
        if version < schema.SCHEMA_VERSION:
            conn.executemany(
                "INSERT INTO meta(key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [("schema_version", str(schema.SCHEMA_VERSION)), ("app_version", app_version),
                 ("application", "mlquiz")])
        for name, on in schema.INDEXES:
            conn.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {on}")
        conn.execute("COMMIT")
    except BaseException:
        if not conn.broken and conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return schema.SCHEMA_VERSION


def _checked_version(conn: PgConnection) -> int:
    from mlquiz.progress import schema

    url = conn.url
    version = schema_version(conn)
    if version is None:
        raise StoreError(f"{url} is a PostgreSQL database of another application (it has tables "
                         "but no mlquiz schema); nothing was written; pass another --db")
    if version > schema.SCHEMA_VERSION:
        raise StoreError(f"{url} was written by a newer mlquiz (schema {version}; this one knows "
                         f"up to {schema.SCHEMA_VERSION}); nothing was written; upgrade mlquiz "
                         "(pip install -U mlquiz) or pass another --db")
    return version


def _has_indexes(conn: PgConnection) -> bool:
    from mlquiz.progress import schema

    names = {row[0] for row in conn.execute(
        "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()").fetchall()}
    return all(name in names for name, _on in schema.INDEXES)


# --- derived state, rebuilt from the log (schema.rebuild_derived's PostgreSQL twin) ----

_REBUILD_ITEM_STATS = """
INSERT INTO item_stats(learner_id, module, kind, item, n, n_correct, first_correct,
                       last_correct, first_at, last_at, time_ms)
SELECT learner_id, m, kind, i, count(*), sum((coalesce(correct, 0) = 1)::int),
       max(CASE WHEN first_rank = 1 THEN correct END),
       max(CASE WHEN last_rank = 1 THEN correct END),
       min(at), max(at), sum(coalesce(time_spent_ms, 0))
FROM (SELECT learner_id, coalesce(module, '') AS m, kind, coalesce(item, '') AS i,
             correct, at, time_spent_ms,
             row_number() OVER (PARTITION BY learner_id, coalesce(module, ''), kind,
                                coalesce(item, '') ORDER BY at, id) AS first_rank,
             row_number() OVER (PARTITION BY learner_id, coalesce(module, ''), kind,
                                coalesce(item, '') ORDER BY at DESC, id DESC) AS last_rank
      FROM events) AS ranked
GROUP BY learner_id, m, kind, i
"""


def rebuild_derived(conn: PgConnection) -> None:
    """Recompute item_stats and best_scores (inside the caller's transaction).

    Best scores are chosen in Python from the finished tests: PostgreSQL 15 has no
    way to test that a text is JSON without failing the statement.
    """
    import json

    conn.execute("DELETE FROM item_stats")
    conn.execute("DELETE FROM best_scores")
    conn.execute(_REBUILD_ITEM_STATS)
    best: dict[tuple[int, str], tuple] = {}
    for learner_id, module, detail, at, uid in conn.execute(
            "SELECT learner_id, coalesce(module, ''), detail, at, uid FROM events "
            "WHERE kind = 'test_finished' ORDER BY at, id").fetchall():
        try:
            data = json.loads(detail)
        except (TypeError, ValueError):
            continue
        score, total = (data.get("score"), data.get("total")) if isinstance(data, dict) else (None, None)
        if (not isinstance(score, (int, float)) or not isinstance(total, (int, float))
                or isinstance(score, bool) or isinstance(total, bool) or total <= 0):
            continue
        key = (learner_id, module)
        if key not in best or score / total > best[key][1] / best[key][2]:
            best[key] = (data.get("test_id"), float(score), float(total), at, uid)
    conn.executemany(
        "INSERT INTO best_scores(learner_id, module, test_id, score, total, at, event_uid) "
        "VALUES (?,?,?,?,?,?,?)", [(*key, *row) for key, row in best.items()])
