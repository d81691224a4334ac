"""Every test runs away from the developer's own data.

The database, workspace, content cache and platform folders all point under
the test's tmp_path, and the MLQUIZ_* settings of the shell are removed.
"""
from __future__ import annotations

import pytest

_SETTINGS = ("MLQUIZ_DB", "MLQUIZ_COURSE", "MLQUIZ_LEARNER", "MLQUIZ_WORKSPACE",
             "MLQUIZ_BENCH_EXIT_ON_READY", "MLQUIZ_BENCH_READY_FILE", "MLQUIZ_SERVED",
             "MLQUIZ_WORKSHOP_CODE_HASH", "MLQUIZ_DEBUG")


@pytest.fixture(autouse=True)
def _away_from_the_developers_data(tmp_path, monkeypatch):
    for name in _SETTINGS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("MLQUIZ_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
