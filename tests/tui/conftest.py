"""Fixtures for the app's Pilot and snapshot tests.

Every test gets its own database, cache and workspace under tmp_path (never
the developer's own), a fixed clock, a fixed seed and no cursor blink.
"""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

FIXTURE_COURSE = Path(__file__).parent / "fixtures" / "course"
NOW = datetime(2026, 1, 5, 9, 30, tzinfo=timezone.utc)
LEARNER = "ada"


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    """Keep the developer's config, database and cache out; stop blinking cursors."""
    for name in ("MLQUIZ_DB", "MLQUIZ_COURSE", "MLQUIZ_LEARNER", "MLQUIZ_WORKSPACE",
                 "MLQUIZ_BENCH_EXIT_ON_READY", "MLQUIZ_BENCH_READY_FILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("MLQUIZ_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
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
