"""Hands-on exercises: workspaces, the sandboxed runner, a warm worker, watch mode.

Names are imported lazily, so `import mlquiz.grading` costs nothing until used:

    from mlquiz.grading import ExerciseService, Grader, Limits, Workspace, check
"""
from __future__ import annotations

import importlib

_EXPORTS = {
    "CheckResult": "results", "TestOutcome": "results", "SyntaxProblem": "results",
    "Grader": "grader", "check": "grader", "expected_tests": "grader",
    "Limits": "sandbox",
    "Workspace": "workspace",
    "ExerciseService": "service", "ExerciseState": "service", "Hint": "service",
    "CheckOutcome": "service",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(importlib.import_module(f"mlquiz.grading.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module 'mlquiz.grading' has no attribute {name!r}")
