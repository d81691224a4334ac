"""The event log out of the database (CSV or JSON) and back in, for the instructor report.

>>> with open("ada.json", "w") as out:                       # doctest: +SKIP
...     write_export(store, out, fmt="json", learners=["ada"])
>>> learners, events = read_export(Path("ada.json"))        # doctest: +SKIP

JSON is one document: {"mlquiz_export": 1, "schema_version": N, "app_version": ...,
"exported_at": ..., "learners": [{"name", "created_at"}], "events": [Event.as_dict()]}.
CSV has one row per event with the columns of EVENT_FIELDS; `detail` is JSON text,
`correct` is true/false/empty; a cell that would start a spreadsheet formula carries a
leading quote (`inert`), which reading removes (`live`).
"""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, TextIO

from mlquiz.progress.errors import StoreError
from mlquiz.progress.events import EVENT_FIELDS, Event, Learner, from_text, to_text, utc_now

if TYPE_CHECKING:
    from mlquiz.progress.store import ProgressStore

EXPORT_VERSION = 1
FORMATS = ("csv", "json")


def write_export(store: ProgressStore, out: TextIO, *, fmt: str = "json",
                 learners: Iterable[str] | None = None) -> int:
    """Write the events of `learners` (None: everyone) to `out`; returns how many."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}, not {fmt!r}")
    chosen = [learner for learner in store.learners()
              if learners is None or learner.name in set(learners)]
    events = [event for learner in chosen for event in store.events(learner.name)]
    events.sort(key=lambda event: (event.at, event.id))
    if fmt == "json":
        document = {
            "mlquiz_export": EXPORT_VERSION,
            "schema_version": store.schema_version,
            "app_version": _app_version(),
            "exported_at": to_text(utc_now()),
            "learners": [{"name": learner.name, "created_at": to_text(learner.created_at)}
                         for learner in chosen],
            "events": [event.as_dict() for event in events],
        }
        json.dump(document, out, ensure_ascii=False, indent=1)
        out.write("\n")
    else:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(EVENT_FIELDS)
        for event in events:
            row = event.as_dict()
            row["detail"] = json.dumps(row["detail"], ensure_ascii=False, separators=(",", ":"))
            row["correct"] = {True: "true", False: "false", None: ""}[row["correct"]]
            writer.writerow([inert("" if row[name] is None else row[name]) for name in EVENT_FIELDS])
    return len(events)


def _app_version() -> str:
    from mlquiz import __version__

    return __version__


def read_export(path: Path) -> tuple[list[Learner], list[Event]]:
    """Learners and events of a JSON or CSV export; StoreError (exit 2) if it is not one.

    Learner ids are positions in the file (1, 2, ...), not database ids. A JSON
    export's learners are the ones its `learners` list declares (its events may name
    others: `declared_only` sorts them out). A CSV export declares none, so its
    learners are the ones its rows name, and it has no profile dates: a learner's
    created_at is their first event.
    """
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise StoreError(f"{path} cannot be read as an mlquiz export ({error}); "
                         "pass a file written by `mlquiz export`") from None
    try:
        if text.lstrip().startswith("{"):
            return _read_json(path, text)
        return _read_csv(path, text)
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise StoreError(f"{path} is not an mlquiz export ({type(error).__name__}: {error}); "
                         "pass a file written by `mlquiz export`") from None


def _read_json(path: Path, text: str) -> tuple[list[Learner], list[Event]]:
    document = json.loads(text)
    version = document.get("mlquiz_export") if isinstance(document, dict) else None
    if not isinstance(version, int):
        raise ValueError("no mlquiz_export version field")
    if version > EXPORT_VERSION:
        raise StoreError(f"{path} was exported by a newer mlquiz (export format {version}); "
                         "upgrade mlquiz")
    events = [_event(raw) for raw in document["events"]]
    # The learners the export declares, and no others: an event for anyone else is the
    # reader's to refuse (`workshop.collect` does), never a learner made up from it.
    learners = [Learner(index, str(raw["name"]), from_text(raw["created_at"]))
                for index, raw in enumerate(document["learners"], start=1)]
    return learners, events


def _read_csv(path: Path, text: str) -> tuple[list[Learner], list[Event]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if reader.fieldnames is None or not {"uid", "learner", "at", "kind"} <= set(reader.fieldnames):
        raise ValueError("the header lacks uid, learner, at or kind")
    events = []
    for raw in reader:
        raw = {name: live(value) for name, value in raw.items() if name is not None}
        row: dict[str, Any] = {name: (raw.get(name) or None) for name in EVENT_FIELDS}
        row["correct"] = {"true": True, "false": False, "1": True, "0": False}.get(
            (raw.get("correct") or "").lower())
        row["detail"] = json.loads(raw["detail"]) if raw.get("detail") else {}
        events.append(_event(row))
    learners: dict[str, Learner] = {}
    for event in events:
        if event.learner not in learners:
            learners[event.learner] = Learner(len(learners) + 1, event.learner, event.at)
    return list(learners.values()), events


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert(value: Any) -> Any:
    """A CSV cell a spreadsheet will not run (OWASP: a leading quote before =, +, -, @, tab or
    CR), plain numbers left alone; a cell that already starts with a quote gets one more, so
    `live` gives back exactly what was written.

    >>> inert("=1+1"), inert("'x"), inert("-5"), inert(7), live(inert("=1+1")), live(inert("'x"))
    ("'=1+1", "''x", '-5', 7, '=1+1', "'x")
    """
    if not isinstance(value, str) or not value.startswith((*_FORMULA_STARTS, "'")):
        return value
    if not value.startswith("'"):
        try:
            float(value)
            return value
        except ValueError:
            pass
    return "'" + value


def live(value: Any) -> Any:
    """The value `inert` was given."""
    if isinstance(value, str) and value.startswith("'") and value[1:2] in (*_FORMULA_STARTS, "'"):
        return value[1:]
    return value


def _optional_int(value: Any) -> int | None:
    return None if value in (None, "") else int(value)


def _event(raw: dict[str, Any]) -> Event:
    detail = raw.get("detail") or {}
    if not isinstance(detail, dict):
        raise TypeError("an event detail must be an object")
    correct = raw.get("correct")
    return Event(
        id=_optional_int(raw.get("id")) or 0, uid=str(raw["uid"]), learner=str(raw["learner"]),
        at=from_text(raw["at"]), module=raw.get("module"), item=raw.get("item"),
        kind=str(raw["kind"]), answer=raw.get("answer"),
        correct=None if correct is None else bool(correct),
        hint_level=_optional_int(raw.get("hint_level")),
        time_spent_ms=_optional_int(raw.get("time_spent_ms")), detail=detail,
        session_id=_optional_int(raw.get("session_id")))


def declared_only(learners: list[Learner], events: list[Event]) -> tuple[list[Event], dict[str, int]]:
    """(the events of the declared learners, {other learner: events left out}).

    Names are compared as the store compares them (Unicode casefold).

    >>> ada = Learner(1, "Ada", utc_now())
    >>> kept, refused = declared_only([ada], [_event({"uid": "1", "learner": "ada", "at": "2026-01-01T00:00:00+00:00", "kind": "step_viewed"}),
    ...                                       _event({"uid": "2", "learner": "bob", "at": "2026-01-01T00:00:00+00:00", "kind": "step_viewed"})])
    >>> [e.learner for e in kept], refused
    (['ada'], {'bob': 1})
    """
    names = {learner.name.casefold() for learner in learners}
    kept: list[Event] = []
    refused: dict[str, int] = {}
    for event in events:
        if event.learner.casefold() in names:
            kept.append(event)
        else:
            refused[event.learner] = refused.get(event.learner, 0) + 1
    return kept, refused
