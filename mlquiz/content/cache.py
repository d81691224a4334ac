"""A pickled course, reused while no content file changed.

The cache file holds two pickles: a small header (mlquiz version, format
version, and the size and mtime_ns of every file and folder the course was
built from, and of the loader's own source files), then the course. A warm start stats those paths and, when all
match, loads the course without reading any YAML. A folder's mtime changes
when a file is added to it or removed, so new files are noticed too.

Any trouble with the cache (missing, corrupt, unwritable) means a normal
parse; the cache never makes a load fail.

>>> read(Path("course")) is None   # doctest: +SKIP
True
"""
from __future__ import annotations

import copyreg
import dataclasses
import hashlib
import os
import pickle
import tempfile
from pathlib import Path

from mlquiz import __version__
from mlquiz.content import models
from mlquiz.content.files import FORMAT_VERSION
from mlquiz.content.models import Course

Stamp = tuple[str, int, int]  # path, size, mtime_ns


def cache_dir() -> Path:
    env = os.environ.get("MLQUIZ_CACHE_DIR")
    if env:
        return Path(env)
    from mlquiz.paths import user_cache_dir

    return user_cache_dir() / "content"


def cache_file(course_dir: Path) -> Path:
    key = hashlib.sha256(str(Path(course_dir).resolve()).encode()).hexdigest()[:24]
    return cache_dir() / f"course-{key}.pickle"


def _stamps(paths) -> tuple[Stamp, ...] | None:
    stamps = []
    for path in paths:
        try:
            st = os.stat(path)
        except OSError:
            return None
        stamps.append((str(path), st.st_size, st.st_mtime_ns))
    return tuple(stamps)


def _constructor_reducer(cls: type):
    names = tuple(f.name for f in dataclasses.fields(cls))

    def reduce(obj):
        return cls, tuple([getattr(obj, name) for name in names])
    return reduce


# Frozen slotted dataclasses unpickle through a Python __setstate__ that looks up
# the fields for every object; calling the class with its field values instead
# makes a warm load about twice as fast.
_DISPATCH = {**copyreg.dispatch_table,
             **{cls: _constructor_reducer(cls) for cls in vars(models).values()
                if isinstance(cls, type) and dataclasses.is_dataclass(cls) and cls.__module__ == models.__name__}}


def _code_stamps() -> dict[str, tuple[int, int] | None]:
    """The loader's own source files: editing the models or the checks invalidates caches too."""
    stamps: dict[str, tuple[int, int] | None] = {}
    for path in sorted(Path(__file__).parent.glob("*.py")):
        try:
            st = path.stat()
            stamps[str(path)] = (st.st_size, st.st_mtime_ns)
        except OSError:
            stamps[str(path)] = None
    return stamps


def _header(stamps: tuple[Stamp, ...]) -> tuple:
    return ("mlquiz-content-cache", __version__, FORMAT_VERSION, stamps)


def read(course_dir: Path) -> Course | None:
    """The cached course, or None when there is none or any file changed."""
    try:
        with open(cache_file(course_dir), "rb") as f:
            header = pickle.load(f)
            if (not isinstance(header, tuple) or len(header) != 4
                    or header[:3] != _header(())[:3]):
                return None
            stamps = header[3]
            if _stamps(path for path, _, _ in stamps) != stamps:
                return None
            course = pickle.load(f)
    except Exception:  # a missing, truncated or foreign file is just a miss
        return None
    return course if isinstance(course, Course) else None


def write(course_dir: Path, deps: dict[str, tuple[int, int] | None], course: Course) -> None:
    """Store `course` with the stamps taken while it was read; silently skipped when it cannot."""
    deps = {**deps, **_code_stamps()}
    if any(stamp is None for stamp in deps.values()):
        return  # a path vanished while loading; the next start parses again
    stamps = tuple((path, *deps[path]) for path in sorted(deps))
    target = cache_file(course_dir)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".course-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                pickle.dump(_header(stamps), f, protocol=pickle.HIGHEST_PROTOCOL)
                pickler = pickle.Pickler(f, protocol=pickle.HIGHEST_PROTOCOL)
                pickler.dispatch_table = _DISPATCH
                pickler.dump(course)
            os.replace(tmp, target)
        except BaseException:
            os.unlink(tmp)
            raise
    except Exception:
        return
