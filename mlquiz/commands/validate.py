"""`mlquiz validate [DIR...]` and `mlquiz schema [--file KIND]`.

>>> run(argparse.Namespace(command="validate", paths=[], course=Path("course")))  # doctest: +SKIP
course OK: 1 module, 18 questions, 24 flashcards, 12 exercises
0
"""
from __future__ import annotations

import argparse  # noqa: F401  (doctest)
import json
from pathlib import Path  # noqa: F401  (doctest)


def run(args: argparse.Namespace) -> int:
    if args.command == "schema":
        from mlquiz.content.schema import json_schema

        print(json.dumps(json_schema(getattr(args, "file", None)), indent=2))
        return 0
    from mlquiz.content.validation import check_paths

    report = check_paths(list(args.paths) or [args.course])
    from mlquiz.content.problems import sort_problems

    for problem in sort_problems(report.problems + report.warnings):
        print(problem)
    print(report.summary())
    return 1 if report.problems else 0
