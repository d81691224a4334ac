"""Course content: typed models, YAML loading with located problems, schema.

Exports are lazy (module `__getattr__`), so `import mlquiz.content` costs
nothing until a name is used:

>>> from mlquiz.content import load_course   # doctest: +SKIP
>>> course = load_course(Path("course"))     # doctest: +SKIP
"""
from __future__ import annotations

from mlquiz._lazy import lazy_exports

_EXPORTS = {
    "load_course": "mlquiz.content.loader",
    "load_exercise": "mlquiz.content.loader",
    "ContentError": "mlquiz.content.problems",
    "Problem": "mlquiz.content.problems",
    "validate": "mlquiz.content.validation",
    "json_schema": "mlquiz.content.schema",
}

__all__ = sorted(_EXPORTS)

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
