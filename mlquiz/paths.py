"""Where the built-in course, exercises and the learner's files live.

>>> builtin_course_dir().name
'course'
"""
from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
APP_NAME = "mlquiz"


def _bundled(name: str) -> Path:
    """The folder inside an installed wheel, else the one in a source checkout."""
    inside_wheel = _PACKAGE / "_data" / name
    if inside_wheel.is_dir():
        return inside_wheel
    return _PACKAGE.parent / name


def builtin_course_dir() -> Path:
    return _bundled("course")


def builtin_exercises_dir() -> Path:
    return _bundled("exercises")


def user_data_dir() -> Path:
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def user_cache_dir() -> Path:
    from platformdirs import user_cache_path

    return user_cache_path(APP_NAME, appauthor=False)


def user_config_dir() -> Path:
    """The user's config folder (XDG_CONFIG_HOME/mlquiz on Linux): the learner chosen per database."""
    from platformdirs import user_config_path

    return user_config_path(APP_NAME, appauthor=False)


def default_db_path() -> Path:
    """--db, else MLQUIZ_DB, else the platform's user data folder."""
    env = os.environ.get("MLQUIZ_DB")
    return Path(env) if env else user_data_dir() / "progress.db"


def default_course_dir() -> Path:
    env = os.environ.get("MLQUIZ_COURSE")
    return Path(env) if env else builtin_course_dir()


def default_workspace_dir() -> Path:
    """--workspace, else MLQUIZ_WORKSPACE, else the user data folder's `workspace`: the root
    under which each database and learner has its own folder (grading.workspace.learner_folder)."""
    env = os.environ.get("MLQUIZ_WORKSPACE")
    return Path(env) if env else user_data_dir() / "workspace"
