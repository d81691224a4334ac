"""The store's tests run on both backends: a SQLite file, and a database on a real
PostgreSQL server that this conftest starts (one per xdist worker) and stops.

`db_location` is a path for SQLite and a `postgresql://` URL (a fresh database per
test) for PostgreSQL; PGPASSWORD carries the password, as libpq expects. Without
PostgreSQL on the machine the PostgreSQL half skips with one line saying why.
"""
from __future__ import annotations

import pytest

from tests.progress import pg_server


@pytest.fixture(scope="session")
def pg():
    """The worker's PostgreSQL server (skips when none can be started here)."""
    why = pg_server.unavailable()
    if why:
        pytest.skip(f"PostgreSQL tests skipped: {why}")
    server = pg_server.PgServer.start()
    yield server
    server.stop()


@pytest.fixture
def pg_url(pg, monkeypatch):
    """A fresh, empty room on the worker's server (its own schema); the password in PGPASSWORD."""
    monkeypatch.setenv("PGPASSWORD", pg_server.PASSWORD)
    return pg.create_schema()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_location(request, tmp_path):
    """Where the store under test lives: a SQLite file path, or a PostgreSQL URL."""
    if request.param == "sqlite":
        return tmp_path / "data" / "progress.db"
    return request.getfixturevalue("pg_url")
