"""A course kept as checked JSON, reused while no content file changed.

The cache file holds two JSON lines: a header (mlquiz version, format
version, and the size and mtime_ns of every file and folder the course was
built from, and of the loader's own source files), then the course. A warm
start stats those paths and, when all match, rebuilds the course without
reading any YAML. A folder's mtime changes when a file is added to it or
removed, so new files are noticed too.

The cache is data, never code: reading it runs no constructor it names (there
is no pickle). msgspec rebuilds the models from it and checks every value
against their type hints (types, Literal values, required fields), so a
truncated, foreign or planted file is a miss, never an object of the wrong
shape and never code that runs. Any
trouble with the cache (missing, corrupt, unwritable) means a normal parse;
the cache never makes a load fail.

>>> read(Path("course")) is None   # doctest: +SKIP
True
"""
from __future__ import annotations

import hashlib
import json
import mmap
import os
import tempfile
from pathlib import Path

from mlquiz import __version__
from mlquiz.content.files import FORMAT_VERSION
from mlquiz.content.models import Course

Stamp = tuple[str, int, int]  # path, size, mtime_ns
_MAGIC = "mlquiz-content-cache-json"


def cache_dir() -> Path:
    env = os.environ.get("MLQUIZ_CACHE_DIR")
    if env:
        return Path(env)
    from mlquiz.paths import user_cache_dir

    return user_cache_dir() / "content"


def cache_file(course_dir: Path) -> Path:
    key = hashlib.sha256(str(Path(course_dir).resolve()).encode()).hexdigest()[:24]
    return cache_dir() / f"course-{key}.json"


def _stamps(paths) -> tuple[Stamp, ...] | None:
    stamps = []
    for path in paths:
        try:
            st = os.stat(path)
        except OSError:
            return None
        stamps.append((str(path), st.st_size, st.st_mtime_ns))
    return tuple(stamps)


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


# --- the course as typed JSON (msgspec checks every field against the models' hints) ----------

def _enc_hook(value):
    if isinstance(value, Path):
        return str(value)
    raise NotImplementedError(type(value).__name__)


def _dec_hook(kind, value):
    if kind is Path and type(value) is str:
        return Path(value)
    raise NotImplementedError(f"{kind!r}")


_decoder = None
_headers = None


def _header_decoder():
    """msgspec's JSON decoder for the header line (several times faster than json on the
    thousands of stamps a large course has)."""
    global _headers
    if _headers is None:
        import msgspec

        _headers = msgspec.json.Decoder()
    return _headers


def decode_course(data: bytes) -> Course:
    """A Course from its cached JSON; msgspec.ValidationError for anything of the wrong shape
    (a missing or extra-typed field, a value outside a Literal, a wrong type anywhere)."""
    global _decoder
    if _decoder is None:
        import msgspec

        _decoder = msgspec.json.Decoder(Course, dec_hook=_dec_hook)
    return _decoder.decode(data)


def encode_course(course: Course) -> bytes:
    import msgspec

    return msgspec.json.encode(course, enc_hook=_enc_hook)


def _header(stamps) -> dict:
    return {"magic": _MAGIC, "version": __version__, "format": FORMAT_VERSION,
            "stamps": [list(s) for s in stamps]}


def read(course_dir: Path) -> Course | None:
    """The cached course, or None when there is none, any file changed, or it is not valid."""
    try:
        with open(cache_file(course_dir), "rb") as f:
            header = _header_decoder().decode(f.readline())
            if (not isinstance(header, dict) or header.get("magic") != _MAGIC
                    or header.get("version") != __version__ or header.get("format") != FORMAT_VERSION):
                return None
            stamps = tuple(tuple(s) for s in header["stamps"])
            if _stamps(path for path, _, _ in stamps) != stamps:
                return None
            offset = f.tell()
            # Decoded straight from the mapped file: no copy of a large course into memory.
            with mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as mapped, \
                    memoryview(mapped) as view:
                body = view[offset:]
                try:
                    return decode_course(body)
                finally:
                    body.release()
    except Exception:  # noqa: BLE001 - a missing, truncated, foreign or planted file is a miss
        return None


def write(course_dir: Path, deps: dict[str, tuple[int, int] | None], course: Course) -> None:
    """Store `course` with the stamps taken while it was read; silently skipped when it cannot."""
    deps = {**deps, **_code_stamps()}
    if any(stamp is None for stamp in deps.values()):
        return  # a path vanished while loading; the next start parses again
    stamps = tuple((path, *deps[path]) for path in sorted(deps))
    target = cache_file(course_dir)
    try:
        body = encode_course(course)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".course-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(json.dumps(_header(stamps)).encode() + b"\n")
                f.write(body)
            os.replace(tmp, target)
        except BaseException:
            os.unlink(tmp)
            raise
    except Exception:  # noqa: BLE001
        return
