"""Course content: typed models, YAML loading with located problems, schema.

Exports are lazy (module `__getattr__`), so `import mlquiz.content` costs
nothing until a name is used:

>>> from mlquiz.content import load_course   # doctest: +SKIP
>>> course = load_course(Path("course"))     # doctest: +SKIP
"""
from __future__ import annotations

import importlib

_EXPORTS = {
    "load_course": "mlquiz.content.loader",
    "load_exercise": "mlquiz.content.loader",
    "ContentError": "mlquiz.content.problems",
    "Problem": "mlquiz.content.problems",
    "validate": "mlquiz.content.validation",
    "json_schema": "mlquiz.content.schema",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'mlquiz.content' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(list(globals()) + __all__)
