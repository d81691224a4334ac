"""A located content problem and the error that carries all of them.

>>> p = Problem(Path("course/m/lesson.yaml"), 12, 5, "steps[2].level", "level 'Basic' is not one of ...")
>>> str(p)
"course/m/lesson.yaml:12:5: steps[2].level: level 'Basic' is not one of ..."
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mlquiz.errors import MlquizError


@dataclass(frozen=True, order=True)
class Problem:
    """One mistake in one content file; line and col are 1-based.

    A "warning" is worth fixing but does not stop a course from loading
    (`mlquiz validate` prints it and still exits 0 when nothing else is wrong).
    """

    path: Path
    line: int
    col: int
    field: str
    message: str
    severity: str = "error"  # "error" | "warning"

    def __str__(self) -> str:
        """One line, whatever the message holds."""
        where = f"{self.path}:{self.line}:{self.col}"
        message = " ".join(self.message.split("\n"))
        if self.severity == "warning":
            message = f"warning: {message}"
        return f"{where}: {self.field}: {message}" if self.field else f"{where}: {message}"


def sort_problems(problems: list[Problem]) -> list[Problem]:
    """Sorted by path, then line and column; exact repeats dropped."""
    return sorted(set(problems), key=lambda p: (str(p.path), p.line, p.col, p.field, p.message))


class ContentError(MlquizError):
    """Content the author must fix; `.problems` holds every located problem.

    >>> str(ContentError([Problem(Path("a.yaml"), 1, 1, "", "file is empty")]))
    'a.yaml:1:1: file is empty'
    """

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sort_problems(problems)
        super().__init__("\n".join(str(p) for p in self.problems), exit_code=1)
