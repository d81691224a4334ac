"""Fixtures for the app's Pilot and snapshot tests.

Every test gets its own database and workspace under tmp_path (the data
isolation itself is in tests/conftest.py), a fixed clock, a fixed seed and no
cursor blink.
"""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

FIXTURE_COURSE = Path(__file__).parent / "fixtures" / "course"
NOW = datetime(2026, 1, 5, 9, 30, tzinfo=timezone.utc)
LEARNER = "ada"


@pytest.fixture(autouse=True)
def no_cursor_blink(monkeypatch):
    """Stop blinking cursors so frames are stable (tests/conftest.py isolates the data)."""
    from textual.widgets import Input

    monkeypatch.setattr(Input, "cursor_blink", False)


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "progress.db"


@pytest.fixture
def new_app(tmp_path, db_path):
    """Build an app on the fixture course; call again to 'restart' on the same database.

    >>> app = new_app()                      # ada, welcome already seen
    >>> app = new_app(learner=None, welcomed=False)   # a first start
    """

    def build(learner: str | None = LEARNER, *, welcomed: bool = True, start: str | None = None,
              course: Path = FIXTURE_COURSE):
        from mlquiz.tui.app import make_app

        if welcomed and learner:
            from mlquiz.progress import ProgressStore

            store = ProgressStore.open(db_path)
            store.ensure_learner(learner)
            store.set_setting(learner, "welcomed", "yes")
            store.close()
        return make_app(course, db_path, learner, tmp_path / "workspace", clock=lambda: NOW,
                        start=start, seed=7)

    return build


@pytest.fixture
def events(db_path):
    """The events in the database file, read with a fresh connection."""

    def read(kind: str | None = None, learner: str = LEARNER):
        from mlquiz.progress import ProgressStore

        store = ProgressStore.open(db_path)
        try:
            return store.events(learner, kind=kind)
        finally:
            store.close()

    return read
