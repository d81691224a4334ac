"""Open any room database to read it, whatever it is: a SQLite file (an older one is
upgraded in a temporary copy, the learner's file never written) or a PostgreSQL URL.

>>> with open_to_read(Path("ada.db")) as store:            # doctest: +SKIP
...     rows = store.event_rows()

What reports and the live view's exports go through, so they never open a
database file themselves.
"""
from __future__ import annotations

import sqlite3
import tempfile
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Iterator

from mlquiz.errors import MlquizError
from mlquiz.progress.location import DatabaseURL
from mlquiz.progress.store import ProgressStore


@contextmanager
def open_to_read(location: Path | DatabaseURL) -> Iterator[ProgressStore]:
    """The store read-only; a SQLite database of an older mlquiz is upgraded in a copy."""
    if isinstance(location, DatabaseURL):
        with ProgressStore.open(location, read_only=True) as store:
            yield store
        return
    try:
        store = ProgressStore.open(location, read_only=True)
    except MlquizError:
        if not _older_schema(location):
            raise
        with tempfile.TemporaryDirectory(prefix="mlquiz-report-") as folder:
            copy = Path(folder) / location.name
            with closing(sqlite3.connect(f"{location.resolve().as_uri()}?mode=ro", uri=True)) as src, \
                    closing(sqlite3.connect(copy)) as dst:
                src.backup(dst)
            with ProgressStore.open(copy) as store:
                yield store
        return
    with store:
        yield store


def _older_schema(path: Path) -> bool:
    from mlquiz.progress.schema import SCHEMA_VERSION

    try:
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as conn:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.Error:
        return False
    return 0 < version < SCHEMA_VERSION
