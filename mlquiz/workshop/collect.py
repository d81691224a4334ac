"""Collect events from many learner databases and exports, each event once.

>>> room = collect([Path("ada.db"), Path("room.db"), Path("ada.db")])  # doctest: +SKIP
>>> len(room.events), room.warnings                                    # doctest: +SKIP
(1520, [])

A source is a database file, a postgresql:// URL or an export. An event is
known by its uid (a uuid written when it was recorded), so the same file given
twice, a room copied to PostgreSQL (`mlquiz db copy`) given beside its file, an export of a database given beside the database, or
a learner's file copied into the shared one never count an event twice. A
source that cannot be read is named in one warning line and skipped. An export
speaks only for the learners it declares: its events for anyone else are
refused, in one warning line.
"""
from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass, field
from operator import attrgetter
from pathlib import Path
from typing import Iterator

from mlquiz.errors import MlquizError
from mlquiz.progress import Event, dbfile, read_export
from mlquiz.progress.export import declared_only
from mlquiz.progress.location import DatabaseURL, absolute, parse_db
from mlquiz.progress.reading import open_to_read


@dataclass
class Room:
    events: list[Event] = field(default_factory=list)
    learners: set[str] = field(default_factory=set)
    sources: list[Path | DatabaseURL] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def read_source(source: str | Path | DatabaseURL) -> tuple[list[str], list[Event], str | None]:
    """Learner names, events and a warning (or None) of one database or export;
    MlquizError if unreadable.

    An export speaks only for the learners it declares: the events it holds for
    anyone else are left out, and the warning says how many and for whom. A
    database (a file or a postgresql:// URL) speaks for every learner it holds.
    """
    path = parse_db(source)
    if isinstance(path, DatabaseURL):
        with open_to_read(path) as store:
            return [learner.name for learner in store.learners()], store.event_rows(), None
    if not path.exists():
        raise MlquizError(f"{path}: no such file")
    if path.is_dir():
        raise MlquizError(f"{path}: is a folder, not a database or export")
    if dbfile.is_sqlite_file(path):
        with open_to_read(path) as store:
            return [learner.name for learner in store.learners()], store.event_rows(), None
    learners, events = read_export(path)
    events, refused = declared_only(learners, events)
    names = [learner.name for learner in learners]
    warning = None
    if refused:
        count = sum(refused.values())
        warning = (f"refused {count} event{'s' * (count != 1)} in {path} for "
                   f"{', '.join(sorted(refused))}: the export names "
                   f"{'only ' + ', '.join(names) if names else 'no learner'}")
    return names, events, warning


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while a room is read: its events hold no cycles, and
    with a million of them the collector would walk them all again and again."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def skipped_warning(path: Path, error: MlquizError) -> str:
    """`skipped a.db: is truncated (...)`: what is wrong with the file, without the advice
    meant for a learner's own --db (`pass another --db`) that does not fit a report."""
    reason = _before_the_advice(str(error))
    for prefix in (f"{path}: ", f"{path} "):
        if reason.startswith(prefix):
            reason = reason[len(prefix):]
            break
    return f"skipped {path}: {reason}"


def _before_the_advice(message: str) -> str:
    """The part before the first `; ` that is not inside parentheses."""
    depth = 0
    for index, char in enumerate(message):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0 and message.startswith("; ", index):
            return message[:index]
    return message


def collect(paths: list[str | Path | DatabaseURL]) -> Room:
    room = Room()
    seen_uids: set[str] = set()
    seen_files: set[Path | DatabaseURL] = set()
    for source in paths:
        try:
            path = parse_db(source)
        except MlquizError as error:
            room.warnings.append(f"skipped {source}: {_before_the_advice(str(error))}")
            continue
        resolved = absolute(path)
        if resolved in seen_files:
            continue
        seen_files.add(resolved)
        try:
            with gc_paused():
                names, events, warning = read_source(path)
        except MlquizError as error:
            room.warnings.append(skipped_warning(path, error))
            continue
        if warning:
            room.warnings.append(warning)
        room.sources.append(path)
        room.learners.update(names)
        if not seen_uids:  # the first source: take it whole if its uids are unique
            uids = {event.uid for event in events}
            if len(uids) == len(events):
                seen_uids = uids
                room.events.extend(events)
                continue
        for event in events:
            if event.uid not in seen_uids:
                seen_uids.add(event.uid)
                room.events.append(event)
    # Stable: events at the same moment keep the order they were recorded in.
    with gc_paused():
        room.events.sort(key=attrgetter("at"))
    return room
