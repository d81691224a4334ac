"""Check content given as course, module or exercise folders, or single files.

>>> report = check_paths([Path("course")])   # doctest: +SKIP
>>> report.problems, report.summary()        # doctest: +SKIP
([], 'course OK: 1 module, 18 questions, 24 flashcards, 12 exercises')
>>> report.warnings                          # doctest: +SKIP
[]

`report.warnings` (a distractor without feedback) are worth fixing but stop nothing.

`validate(paths)` is the contract for other parts: every problem of every
path. A path that is not there, not readable or not content at all raises
MlquizError with exit code 2.
"""
from __future__ import annotations

import dataclasses
import os
from pathlib import Path

from mlquiz.content.files import MODULE_FILES, CourseFile, kind_of_file
from mlquiz.content.loader import (Run, exercise_folders, load_exercise_folder, load_module_folder,
                                   parse_course)
from mlquiz.content.problems import Problem, sort_problems
from mlquiz.errors import MlquizError


@dataclasses.dataclass
class Report:
    problems: list[Problem] = dataclasses.field(default_factory=list)
    warnings: list[Problem] = dataclasses.field(default_factory=list)  # printed; exit 0 if alone
    courses: int = 0
    modules: int = 0
    questions: int = 0
    flashcards: int = 0
    exercises: int = 0
    files: int = 0  # single files checked on their own

    def summary(self) -> str:
        """'3 problems in 2 files', or what was checked and found clean."""
        warned = f" ({_count(len(self.warnings), 'warning')})" if self.warnings else ""
        if self.problems:
            files = len({p.path for p in self.problems})
            return f"{_count(len(self.problems), 'problem')} in {_count(files, 'file')}{warned}"
        counts = [_count(self.modules, "module"), _count(self.questions, "question"),
                  _count(self.flashcards, "flashcard"), _count(self.exercises, "exercise")]
        if self.courses:
            return f"course OK: {', '.join(counts)}{warned}"
        found = [c for c in counts if not c.startswith("0 ")]
        if self.files:
            found.append(_count(self.files, "file"))
        return f"OK: {', '.join(found)}{warned}"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def validate(paths: list[Path]) -> list[Problem]:
    """Every problem of every path (course, module or exercise folders, or content files)."""
    return check_paths(paths).problems


def check_paths(paths: list[Path]) -> Report:
    targets = [_target(Path(p)) for p in paths]  # all usage errors before any work
    report = Report()
    seen: set[tuple[str, Path]] = set()
    for kind, folder, only_file in targets:
        key = (kind, folder.resolve())
        if only_file is None and key in seen:
            continue
        seen.add(key)
        try:
            problems, warnings = _check(kind, folder, report, counted=only_file is None)
        except OSError as error:
            raise MlquizError(f"cannot read {error.filename or folder}: {error.strerror or error}",
                              exit_code=2) from None
        if only_file is not None:
            problems = [p for p in problems if _same_file(p.path, only_file)]
            warnings = [p for p in warnings if _same_file(p.path, only_file)]
            report.files += 1
        report.problems += problems
        report.warnings += warnings
    report.problems = sort_problems(report.problems)
    report.warnings = sort_problems(report.warnings)
    return report


def _same_file(a: Path, b: Path) -> bool:
    return os.path.normpath(a) == os.path.normpath(b)


def _target(path: Path) -> tuple[str, Path, Path | None]:
    """(kind, folder to check, the one file to report on or None)."""
    if not path.exists():
        raise MlquizError(f"{path} does not exist; pass a course, module or exercise folder, "
                          "or a content file", exit_code=2)
    if not os.access(path, os.R_OK):
        raise MlquizError(f"{path} is not readable", exit_code=2)
    if not path.is_file() and not path.is_dir():
        raise MlquizError(f"{path} is neither a folder nor a content file", exit_code=2)
    if path.is_file():
        kind = kind_of_file(path.name)
        if kind == "course":
            return "course", path.parent, path
        if kind == "exercise":
            return "exercise", path.parent, path
        if kind is not None:
            return "module", path.parent, path
        raise MlquizError(f"{path} is not a content file; expected course.yaml, module.yaml, lesson.yaml, "
                          "questions*.yaml, flashcards*.yaml or exercise.yaml", exit_code=2)
    if (path / "course.yaml").is_file():
        return "course", path, None
    if (path / "exercise.yaml").is_file():
        return "exercise", path, None
    if any((path / name).is_file() for name in MODULE_FILES):
        return "module", path, None
    try:
        if exercise_folders(path):
            return "exercises", path, None
    except OSError as error:
        raise MlquizError(f"cannot read {path}: {error.strerror or error}", exit_code=2) from None
    raise MlquizError(f"{path} holds no course.yaml, module.yaml or exercise.yaml, nor exercise folders",
                      exit_code=2)


def _check(kind: str, folder: Path, report: Report, *,
           counted: bool) -> tuple[list[Problem], list[Problem]]:
    """The problems and warnings of one target; what it holds is added to `report` when `counted`."""
    run = _AuthoringRun()
    tally = report if counted else Report()  # a single file counts as a file, not as its folder
    if kind == "course":
        course = parse_course(folder, run)
        tally.courses += 1
        if course is not None:
            tally.modules += len(course.modules)
            tally.questions += sum(len(m.questions) for m in course.modules)
            tally.flashcards += sum(len(m.flashcards) for m in course.modules)
            tally.exercises += len(course.exercises)
    elif kind == "module":
        module = load_module_folder(folder, run, _sibling_module_ids(folder))
        if module is not None:
            tally.modules += 1
            tally.questions += len(module.questions)
            tally.flashcards += len(module.flashcards)
    elif kind == "exercise":
        tally.exercises += load_exercise_folder(folder, run) is not None
    else:
        for exercise_dir in exercise_folders(folder):
            tally.exercises += load_exercise_folder(exercise_dir, run) is not None
    run.check_authoring()
    return run.problems, run.warnings


class _AuthoringRun(Run):
    """A loader run that also checks what only an author must fix: course text that names
    an option by its letter (`rules.check_letter_references`). Not part of loading, so the
    app still opens a course that has it."""

    def __init__(self) -> None:
        super().__init__()
        self._parsed: list[tuple[object, object]] = []

    def parse(self, path: Path, cls: type):
        value, decoder = super().parse(path, cls)
        if value is not None:
            self._parsed.append((decoder, value))
        return value, decoder

    def check_authoring(self) -> None:
        from mlquiz.content import rules

        for decoder, value in self._parsed:
            rules.check_letter_references(decoder, value)


def _sibling_module_ids(module_dir: Path) -> tuple[str, ...] | None:
    """The module ids of the course around a module folder, in course order, if there is one."""
    course_file = module_dir.parent / "course.yaml"
    if not course_file.is_file():
        return None
    head, _ = Run().parse(course_file, CourseFile)
    return tuple(head.modules) if head is not None else None
