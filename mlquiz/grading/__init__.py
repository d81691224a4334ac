"""Hands-on exercises: workspaces, the sandboxed runner, a warm worker, watch mode.

Names are imported lazily, so `import mlquiz.grading` costs nothing until used:

    from mlquiz.grading import ExerciseService, Grader, Limits, Workspace, check
"""
from __future__ import annotations

from mlquiz._lazy import lazy_exports

_EXPORTS = {
    "CheckResult": "mlquiz.grading.results",
    "TestOutcome": "mlquiz.grading.results",
    "SyntaxProblem": "mlquiz.grading.results",
    "Grader": "mlquiz.grading.grader",
    "check": "mlquiz.grading.grader",
    "expected_tests": "mlquiz.grading.grader",
    "Limits": "mlquiz.grading.spec",
    "Workspace": "mlquiz.grading.workspace",
    "ExerciseService": "mlquiz.grading.service",
    "ExerciseState": "mlquiz.grading.service",
    "Hint": "mlquiz.grading.service",
    "CheckOutcome": "mlquiz.grading.service",
}

__all__ = sorted(_EXPORTS)

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
