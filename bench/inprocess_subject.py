"""The baseline's `subject` fixture for bench/grading.py: the same hidden tests run by a plain
cold `python -m pytest`, calling the learner's code in-process (no sandbox, no judge split).

Copied next to the tests as conftest.py; never used by mlquiz itself.
"""
from __future__ import annotations

import copy
import importlib
import re
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest


class InProcessSubject:
    def __init__(self, root: Path) -> None:
        self.root = root

    def module(self, name):
        return importlib.import_module(name)

    def call(self, dotted, *args, **kwargs):
        module, _, name = dotted.rpartition(".")
        return getattr(importlib.import_module(module), name)(*args, **kwargs)

    def type_of(self, obj):
        return type(obj).__qualname__

    def put(self, value):
        return copy.deepcopy(value)

    def get(self, value):
        return value

    def snapshot(self, name):
        return {k: v for k, v in vars(importlib.import_module(name)).items() if not k.startswith("__")}

    @contextmanager
    def raises(self, name, match=None):
        names = (name,) if isinstance(name, str) else tuple(name)
        with pytest.raises(Exception) as caught:
            yield caught
        bases = [c.__name__ for c in type(caught.value).__mro__]
        assert any(n in bases for n in names)
        assert match is None or re.search(match, str(caught.value))

    def write_text(self, rel, text):
        (self.root / rel).parent.mkdir(parents=True, exist_ok=True)
        (self.root / rel).write_text(text)
        return rel

    def read_text(self, rel):
        return (self.root / rel).read_text()

    def exists(self, rel):
        return (self.root / rel).exists()

    def listdir(self, rel="."):
        return sorted(p.name for p in (self.root / rel).iterdir())

    def source(self, name):
        return (self.root / name).read_text()

    def output(self):
        return ""

    def run(self, argv, timeout=5):
        argv = [sys.executable if a == "python" else a for a in argv]
        return subprocess.run(argv, cwd=self.root, capture_output=True, text=True, timeout=timeout)


@pytest.fixture
def subject():
    root = Path.cwd()
    for name in [n for n in sys.modules if getattr(sys.modules[n], "__file__", "") and
                 str(sys.modules[n].__file__).startswith(str(root)) and "tests" not in n]:
        del sys.modules[name]  # a fresh import per test, like a fresh subject
    sys.path.insert(0, str(root))
    yield InProcessSubject(root)
    sys.path.remove(str(root))
