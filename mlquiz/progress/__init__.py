"""Learner progress in SQLite: the store, its rows, summaries and exports.

Exports are lazy (module __getattr__), so `import mlquiz.progress` costs nothing
until a name is used:

>>> from mlquiz.progress import ProgressStore, Event, EVENT_KINDS  # doctest: +SKIP
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from mlquiz._lazy import lazy_exports

_EXPORTS = {
    "ProgressStore": "mlquiz.progress.store",
    "StoreError": "mlquiz.progress.errors",
    "StaleWrite": "mlquiz.progress.errors",
    "Event": "mlquiz.progress.events",
    "EVENT_KINDS": "mlquiz.progress.events",
    "Learner": "mlquiz.progress.events",
    "Position": "mlquiz.progress.events",
    "ReviewState": "mlquiz.progress.events",
    "BestScore": "mlquiz.progress.events",
    "SCHEMA_VERSION": "mlquiz.progress.schema",
    "ModuleSummary": "mlquiz.progress.summary",
    "summarize": "mlquiz.progress.summary",
    "write_export": "mlquiz.progress.export",
    "read_export": "mlquiz.progress.export",
}

__all__ = sorted(_EXPORTS)

if TYPE_CHECKING:
    from mlquiz.progress.errors import StaleWrite, StoreError
    from mlquiz.progress.events import (
        EVENT_KINDS, BestScore, Event, Learner, Position, ReviewState,
    )
    from mlquiz.progress.export import read_export, write_export
    from mlquiz.progress.schema import SCHEMA_VERSION
    from mlquiz.progress.store import ProgressStore
    from mlquiz.progress.summary import ModuleSummary, summarize

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
