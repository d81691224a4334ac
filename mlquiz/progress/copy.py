"""Copy a room from one database to another: SQLite to PostgreSQL or back (or file to file).

>>> copy_room(Path("room.db"), parse_db("postgresql://db.example/room"))   # doctest: +SKIP
CopyResult(events=1520, already=0, learners=31, sessions=64)

Events are known by their uid, so a second copy copies nothing and a report
given both databases counts each event once. Learners are matched by name as
the store matches them (case-folded). What a learner keeps beside the log comes
along where the destination has nothing yet: resume positions (the later one
wins), review states and settings (the destination's own are kept). Sessions
come with the events that name them. The counters (item_stats, best scores) are
rebuilt from the destination's whole log, in the same transaction.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mlquiz.progress.errors import StoreError
from mlquiz.progress.location import DatabaseURL, absolute
from mlquiz.progress.reading import open_to_read
from mlquiz.progress.store import ProgressStore

_BATCH = 1000


@dataclass(frozen=True)
class CopyResult:
    events: int     # copied now
    already: int    # in the destination before (same uid): not copied again
    learners: int   # learners the destination did not have
    sessions: int   # sessions made in the destination for the copied events


def copy_room(source: Path | DatabaseURL, target: Path | DatabaseURL) -> CopyResult:
    """Every event of `source` that `target` lacks, in one transaction of `target`."""
    if absolute(source) == absolute(target):
        raise StoreError(f"{source} is both the source and the destination; nothing to copy")
    with open_to_read(source) as src, ProgressStore.open(target) as dst:
        return _copy(src, dst)


def _copy(src: ProgressStore, dst: ProgressStore) -> CopyResult:
    read = src._conn.execute
    with dst.transaction():
        conn = dst._conn
        have = {row[0] for row in conn.execute("SELECT uid FROM events")}
        learner_ids, new_learners = _learners(src, dst)
        every = read("SELECT uid, learner_id, at, module, item, kind, answer, correct, "
                     "hint_level, time_spent_ms, detail, session_id FROM events "
                     "ORDER BY at, id").fetchall()
        rows = [row for row in every if row[0] not in have]
        session_ids = _sessions(src, dst, learner_ids,
                                {row[11] for row in rows if row[11] is not None})
        copied = [(uid, learner_ids[learner], at, module, item, kind, answer, correct, hint,
                   spent, detail, session_ids.get(session))
                  for (uid, learner, at, module, item, kind, answer, correct, hint, spent,
                       detail, session) in rows]
        for start in range(0, len(copied), _BATCH):
            conn.executemany(
                "INSERT INTO events(uid, learner_id, at, module, item, kind, answer, correct, "
                "hint_level, time_spent_ms, detail, session_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?) "
                "ON CONFLICT (uid) DO NOTHING", copied[start:start + _BATCH])
        _beside_the_log(src, dst, learner_ids)
        if copied:
            dst.rebuild_derived()
    return CopyResult(len(copied), len(every) - len(rows), new_learners, len(session_ids))


def _learners(src: ProgressStore, dst: ProgressStore) -> tuple[dict[int, int], int]:
    """{source learner id: destination learner id}, and how many were new."""
    mapping, made = {}, 0
    for learner_id, name, created_at in src._conn.execute(
            "SELECT id, name, created_at FROM learners ORDER BY id").fetchall():
        found = dst._learner_id(name, create=False)
        if found is None:
            found = dst._conn.execute(
                "INSERT INTO learners(name, created_at) VALUES (?, ?) RETURNING id",
                (name, created_at)).fetchone()[0]
            dst._learner_ids[name] = found
            made += 1
        mapping[learner_id] = found
    return mapping, made


def _sessions(src: ProgressStore, dst: ProgressStore, learner_ids: dict[int, int],
              wanted: set[int]) -> dict[int, int]:
    """A destination session for each source session that copied events name."""
    mapping = {}
    for session_id, learner_id, client, started_at, ended_at in src._conn.execute(
            "SELECT id, learner_id, client, started_at, ended_at FROM sessions ORDER BY id"
    ).fetchall():
        if session_id in wanted:
            mapping[session_id] = dst._conn.execute(
                "INSERT INTO sessions(learner_id, client, started_at, ended_at) "
                "VALUES (?, ?, ?, ?) RETURNING id",
                (learner_ids[learner_id], client, started_at, ended_at)).fetchone()[0]
    return mapping


def _beside_the_log(src: ProgressStore, dst: ProgressStore, learner_ids: dict[int, int]) -> None:
    """Positions (the later wins), review states and settings (the destination's stay)."""
    read, write = src._conn.execute, dst._conn.executemany
    write("INSERT INTO positions(learner_id, module, screen, item, at) VALUES (?,?,?,?,?) "
          "ON CONFLICT (learner_id, module) DO UPDATE SET screen = excluded.screen, "
          "item = excluded.item, at = excluded.at WHERE excluded.at > positions.at",
          [(learner_ids[lid], *rest) for lid, *rest in read(
              "SELECT learner_id, module, screen, item, at FROM positions").fetchall()])
    write("INSERT INTO review_state(learner_id, item, state_json, due) VALUES (?,?,?,?) "
          "ON CONFLICT (learner_id, item) DO NOTHING",
          [(learner_ids[lid], *rest) for lid, *rest in read(
              "SELECT learner_id, item, state_json, due FROM review_state").fetchall()])
    write("INSERT INTO settings(learner_id, key, value) VALUES (?,?,?) "
          "ON CONFLICT (learner_id, key) DO NOTHING",
          [(learner_ids[lid], *rest) for lid, *rest in read(
              "SELECT learner_id, key, value FROM settings").fetchall()])
