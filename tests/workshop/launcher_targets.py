"""Tab functions for tests/workshop/test_serve_launcher.py, run inside a zygote's children."""
from __future__ import annotations

import os
import sys

WARMED = []


def preload() -> None:
    WARMED.append("warm")


def broken_preload() -> None:
    raise RuntimeError("the course cannot be read")


def echo(argv: list[str]) -> int:
    """Reads one line from stdin, writes it back with what the child was given."""
    import subprocess

    line = sys.stdin.readline().strip()
    # A tab starts processes of its own (the grader) and must be able to wait for them.
    own = subprocess.run([sys.executable, "-c", "raise SystemExit(7)"]).returncode
    print(f"got {line} own={own} argv={argv} env={os.environ.get('TAB_NAME')} warmed={WARMED} "
          f"extra={os.environ.get('MLQUIZ_EXTRA_FDS', '')}", flush=True)
    extra = os.environ.get("MLQUIZ_EXTRA_FDS")
    if extra:
        os.write(int(extra.split(",")[0]), b"hello through the extra fd\n")
    return int(argv[0]) if argv else 0


def crash(argv: list[str]) -> int:
    raise ValueError("a tab fails")
