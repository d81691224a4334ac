"""What differs between SQLite and PostgreSQL in the store's SQL, side by side.

The store writes one SQL for both wherever it can (`?` placeholders, which the
PostgreSQL connection turns into `%s`; INSERT ... RETURNING id; ON CONFLICT
upserts). The few statements that cannot be the same live here:

>>> SQLITE.no_limit, POSTGRES.no_limit
(-1, None)
>>> "LEAST" in POSTGRES.upsert_item_stats, "min(" in SQLITE.upsert_item_stats
(True, True)
"""
from __future__ import annotations


class Dialect:
    """The statements of one backend (a plain class: every start builds two of them)."""

    __slots__ = ("name", "upsert_item_stats", "active_sessions", "latest_position",
                 "time_spent", "no_limit")

    def __init__(self, *, name: str, upsert_item_stats: str, active_sessions: str,
                 latest_position: str, time_spent: str, no_limit: int | None) -> None:
        self.name = name
        self.upsert_item_stats = upsert_item_stats  # one event folded into its counters
        self.active_sessions = active_sessions      # open sessions; {} takes a learner clause
        self.latest_position = latest_position      # the newest resume position of a learner
        self.time_spent = time_spent                # milliseconds per module
        self.no_limit = no_limit                    # the LIMIT parameter meaning "no limit"


# Later-recorded wins a tie for "last", earlier-recorded for "first" (like ORDER BY at, id).
# In an UPDATE every right-hand side sees the old row, so the order of SETs does not matter.
_UPSERT_ITEM_STATS = """INSERT INTO item_stats(learner_id, module, kind, item, n, n_correct,
    first_correct, last_correct, first_at, last_at, time_ms) VALUES (?,?,?,?,1,?,?,?,?,?,?)
ON CONFLICT(learner_id, module, kind, item) DO UPDATE SET
    n = item_stats.n + 1,
    n_correct = item_stats.n_correct + excluded.n_correct,
    first_correct = CASE WHEN excluded.first_at < item_stats.first_at
                         THEN excluded.first_correct ELSE item_stats.first_correct END,
    first_at = {min}(item_stats.first_at, excluded.first_at),
    last_correct = CASE WHEN excluded.last_at >= item_stats.last_at
                        THEN excluded.last_correct ELSE item_stats.last_correct END,
    last_at = {max}(item_stats.last_at, excluded.last_at),
    time_ms = item_stats.time_ms + excluded.time_ms"""

# Each open session's last sign of life: its start or its latest event, found through
# idx_events_session_id_at (schema.INDEXES), not by walking the learner's events.
_ACTIVE_SESSIONS = (
    "SELECT id, name, started_at, seen FROM (SELECT s.id, l.name, s.started_at, "
    "{max}(s.started_at, coalesce((SELECT max(e.at) FROM events AS e WHERE "
    "e.session_id = s.id AND e.learner_id = s.learner_id), '')) AS seen "
    "FROM sessions AS s JOIN learners AS l ON l.id = s.learner_id "
    "WHERE s.ended_at IS NULL{{}}) AS live WHERE seen >= ? ORDER BY id")

_LATEST_POSITION = ("SELECT module, screen, item, at FROM positions WHERE learner_id = ? "
                    "ORDER BY at DESC, {tiebreak} DESC LIMIT 1")

SQLITE = Dialect(
    name="sqlite",
    upsert_item_stats=_UPSERT_ITEM_STATS.format(min="min", max="max"),
    active_sessions=_ACTIVE_SESSIONS.format(max="max"),
    latest_position=_LATEST_POSITION.format(tiebreak="rowid"),
    time_spent="SELECT module, sum(time_ms) FROM item_stats WHERE learner_id = ? GROUP BY module",
    no_limit=-1,
)

POSTGRES = Dialect(
    name="postgresql",
    upsert_item_stats=_UPSERT_ITEM_STATS.format(min="LEAST", max="GREATEST"),
    active_sessions=_ACTIVE_SESSIONS.format(max="GREATEST"),
    # no rowid: among positions of one moment, the module name decides
    latest_position=_LATEST_POSITION.format(tiebreak="module"),
    # sum() of bigint is numeric (a Decimal in Python): back to an integer
    time_spent=("SELECT module, sum(time_ms)::bigint FROM item_stats WHERE learner_id = ? "
                "GROUP BY module"),
    no_limit=None,
)
