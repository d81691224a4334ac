"""Who is in the room right now: the apps really connected, not the learners seen lately.

>>> presence.beat(store, session_id, "ada")        # a learner's app, every HEARTBEAT  # doctest: +SKIP
>>> presence.connected(store)                                                     # doctest: +SKIP
{'ada': datetime.datetime(2026, 3, 2, 9, 0, 20, tzinfo=datetime.timezone.utc)}

Every app on a room database (a browser tab of `mlquiz serve`, or `mlquiz --db
room.db` in a terminal) beats every `HEARTBEAT` once its learner is known: it
writes "session N of learner X is alive at T" into one small record of the room
(a setting of the reserved learner `PRESENCE_LEARNER`; '@' names are no learner
for reports or the live view), in one write transaction, so beats from many
processes (or hosts, on PostgreSQL) never lose each other. A learner is
connected while one of their sessions has beaten within `GONE_AFTER` (three
missed beats) and is not ended: an app that exits (a closed tab's app quits)
ends its session, so it leaves at once; a killed one drops out after
`GONE_AFTER`. Beats older than `FORGET_AFTER` are removed as others are written.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from mlquiz.progress.events import from_text, to_text, utc_now

if TYPE_CHECKING:
    from mlquiz.progress import ProgressStore

PRESENCE_LEARNER = "@presence"
KEY = "tabs"                           # {session id: [learner, last beat]}
HEARTBEAT = timedelta(seconds=20)
GONE_AFTER = timedelta(seconds=60)
FORGET_AFTER = timedelta(minutes=10)


def beat(store: "ProgressStore", session_id: int, learner: str,
         now: datetime | None = None) -> None:
    """Record that `learner`'s session `session_id` is alive at `now` (default: now)."""
    now = now or utc_now()
    with store.transaction():  # read and write as one: another app's beat is never lost
        tabs = dict(store.setting(PRESENCE_LEARNER, KEY) or {})
        tabs = {sid: entry for sid, entry in tabs.items()
                if now - from_text(entry[1]) <= FORGET_AFTER}
        tabs[str(session_id)] = [learner, to_text(now)]
        store.set_setting(PRESENCE_LEARNER, KEY, tabs)


def connected(store: "ProgressStore", now: datetime | None = None) -> dict[str, datetime]:
    """{learner: their latest beat} of the learners with a connected app at `now`."""
    now = now or utc_now()
    tabs = store.setting(PRESENCE_LEARNER, KEY) or {}
    recent = {int(sid): (name, from_text(seen)) for sid, (name, seen) in tabs.items()
              if now - from_text(seen) <= GONE_AFTER}
    if not recent:
        return {}
    found: dict[str, datetime] = {}
    for sid in store.open_session_ids(recent):
        name, seen = recent[sid]
        if not name.startswith("@"):
            found[name] = max(seen, found.get(name, seen))
    return found
