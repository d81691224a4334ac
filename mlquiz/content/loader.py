"""Load a course, a module or an exercise folder, reporting every problem.

>>> course = load_course(Path("course"))            # doctest: +SKIP
>>> course.module("ml-technical-debt").lesson.steps[0].title  # doctest: +SKIP
'What is technical debt?'

A load walks the whole course and keeps going after a problem; at the end it
raises one `ContentError` holding every located problem, or returns the
frozen `Course`. `Run` is the state of one walk: the problems so far, the ids
already used (to report duplicates with where the first one was) and every
file and folder the result depends on (the cache key).
"""
from __future__ import annotations

import contextlib
import dataclasses
import gc
import os
from pathlib import Path

from mlquiz.content import rules
from mlquiz.content.decode import ID_PATTERN, Decoder, Location, did_you_mean
from mlquiz.content.files import (MODULE_FILES, CourseFile, FlashcardsFile, ModuleFile,
                                  QuestionsFile, kind_of_file)
from mlquiz.content.models import Course, Exercise, Lesson, Module
from mlquiz.content.problems import ContentError, Problem
from mlquiz.content.yamlfile import read_yaml
from mlquiz.errors import MlquizError

EXERCISE_FOLDERS = ("starter", "tests", "solution")
_LIST_LIMIT = 12


@dataclasses.dataclass
class Run:
    problems: list[Problem] = dataclasses.field(default_factory=list)
    warnings: list[Problem] = dataclasses.field(default_factory=list)  # reported, never raised
    # every file and folder the result depends on, stamped (size, mtime_ns) before it is read,
    # so an edit made while loading is noticed at the next start
    deps: dict[str, tuple[int, int] | None] = dataclasses.field(default_factory=dict)
    ids: dict[str, tuple[str, Path, Location]] = dataclasses.field(default_factory=dict)

    def touch(self, path: Path) -> None:
        """Remember that the result depends on `path` (a file read or a folder listed)."""
        key = os.path.abspath(path)
        if key not in self.deps:
            try:
                st = os.stat(key)
                self.deps[key] = (st.st_size, st.st_mtime_ns)
            except OSError:
                self.deps[key] = None

    def parse(self, path: Path, cls: type) -> tuple[object | None, Decoder]:
        """Decode one file as `cls`; its problems join the run's."""
        self.touch(path)
        decoder = Decoder(path)
        node, problems = read_yaml(path)
        self.problems.extend(problems)
        value = decoder.decode(node, cls) if node is not None else None
        self.problems.extend(decoder.problems)
        decoder.problems = self.problems  # later checks on this file report straight into the run
        decoder.warnings = self.warnings
        return value, decoder

    def claim_id(self, item_id: str, kind: str, decoder: Decoder, field: str) -> None:
        """Register an id; a second use anywhere in the course is a problem."""
        if not item_id:
            return
        at = decoder.at(field)
        first = self.ids.get(item_id)
        if first is None:
            self.ids[item_id] = (kind, decoder.path, at)
            return
        first_kind, first_path, (line, col) = first
        decoder.problem(at, field, f"duplicate id '{item_id}'; the {first_kind} at "
                                   f"{first_path}:{line}:{col} already uses it")


def _short_list(names: list[str]) -> str:
    shown = ", ".join(names[:_LIST_LIMIT])
    return shown + (", ..." if len(names) > _LIST_LIMIT else "") if names else "none"


def _missing_file(run: Run, path: Path, why: str) -> None:
    run.problems.append(Problem(path, 1, 1, "", f"file is missing: {why}"))


# --- module ------------------------------------------------------------------


def _module_files(folder: Path, run: Run) -> dict[str, list[Path]]:
    """The content files of a module folder by kind; unknown YAML files are problems."""
    run.touch(folder)
    found: dict[str, list[Path]] = {}
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        if not entry.is_file() or entry.name.startswith("."):
            continue
        kind = kind_of_file(entry.name)
        if kind in ("module", "lesson", "questions", "flashcards"):
            found.setdefault(kind, []).append(Path(folder, entry.name))
        elif entry.name.endswith((".yaml", ".yml")):
            hint = did_you_mean(entry.name, MODULE_FILES) or \
                f"; a module folder holds {', '.join(MODULE_FILES)} (and questions-*.yaml)"
            run.problems.append(Problem(Path(folder, entry.name), 1, 1, "", f"unknown content file{hint}"))
    for kind in ("questions", "flashcards"):  # questions.yaml first, then questions-*.yaml
        found.get(kind, []).sort(key=lambda p: (p.name != f"{kind}.yaml", p.name))
    return found


def load_module_folder(folder: Path, run: Run, module_ids: tuple[str, ...] | None = None, *,
                       ordered: bool = True) -> Module | None:
    """One module folder; None when it is too broken to build (the problems say why).

    `module_ids` are the course's modules, when known: connections, prerequisites and
    next modules are checked against them; `ordered` when they are course.yaml's order.
    """
    files = _module_files(folder, run)
    if "module" not in files:
        _missing_file(run, folder / "module.yaml", "every module folder needs module.yaml")
    if "lesson" not in files:
        _missing_file(run, folder / "lesson.yaml", "every module folder needs lesson.yaml")
    head, head_dec = run.parse(files["module"][0], ModuleFile) if "module" in files else (None, None)
    lesson, lesson_dec = run.parse(files["lesson"][0], Lesson) if "lesson" in files else (None, None)
    questions, cards = [], []
    for path in files.get("questions", []):
        value, decoder = run.parse(path, QuestionsFile)
        rules.check_questions(decoder, value)
        questions += [(q, decoder, f"questions[{i}]") for i, q in enumerate(value.questions if value else ())]
    for path in files.get("flashcards", []):
        value, decoder = run.parse(path, FlashcardsFile)
        cards += [(c, decoder, f"flashcards[{i}]") for i, c in enumerate(value.flashcards if value else ())]
    if lesson_dec is not None:
        rules.check_lesson(lesson_dec, lesson)

    if head is not None and head.id and head.id != folder.name:
        head_dec.problem(head_dec.at("id"), "id", f"module id '{head.id}' differs from its folder "
                                                  f"name '{folder.name}'; they must be equal")
    targets = _claim_module_ids(run, head, head_dec, lesson, lesson_dec, questions, cards)
    if head is not None and lesson is not None:  # else the targets are unknown, not missing
        for item, decoder, field in questions + cards:
            for j, tag in enumerate(item.tags if item is not None else ()):
                _check_target(decoder, tag, targets, f"{field}.tags[{j}]", "tag", head.id)
    if lesson is not None and module_ids is not None:
        for i, connection in enumerate(lesson.connections):
            if connection is not None and connection.module and connection.module not in module_ids:
                field = f"connections[{i}].module"
                lesson_dec.problem(lesson_dec.at(field), field,
                                   f"module '{connection.module}' is not in the course"
                                   f"{did_you_mean(connection.module, module_ids)}; "
                                   f"modules: {_short_list(sorted(module_ids))}")
    if head is not None and module_ids is not None:
        _check_path(head, head_dec, module_ids, ordered=ordered)
    if head is None or lesson is None:
        return None
    return Module(id=head.id, title=head.title, topic=head.topic, minutes=head.minutes,
                  summary=head.summary, concepts=head.concepts, lesson=lesson,
                  prerequisites=head.prerequisites, next=head.next,
                  questions=tuple(q for q, _, _ in questions if q is not None),
                  flashcards=tuple(c for c, _, _ in cards if c is not None), path=folder)


def _check_path(head: ModuleFile, decoder: Decoder, module_ids: tuple[str, ...], *, ordered: bool) -> None:
    """Prerequisites and next modules name other modules of the course; prerequisites come earlier."""
    order = {module_id: i for i, module_id in enumerate(module_ids)}
    for name in ("prerequisites", "next"):
        for i, other in enumerate(getattr(head, name)):
            field = f"{name}[{i}]"
            if not other or field in decoder.bad:
                continue
            if other not in order:
                message = (f"module '{other}' is not in the course{did_you_mean(other, module_ids)}; "
                           f"modules: {_short_list(list(module_ids))}")
            elif other == head.id:
                message = f"module '{other}' is this module; name another one"
            elif name == "prerequisites" and ordered and head.id in order and order[other] > order[head.id]:
                message = (f"module '{other}' comes after '{head.id}' in course.yaml's modules; "
                           "list a prerequisite before the modules that need it")
            else:
                continue
            decoder.problem(decoder.at(field), field, message)


def _claim_module_ids(run, head, head_dec, lesson, lesson_dec, questions, cards) -> dict[str, str]:
    """Claim every id of a module; returns the tag targets (step and concept ids) by kind."""
    targets: dict[str, str] = {}
    if head is not None:
        for i, concept in enumerate(head.concepts):
            if concept is not None:
                run.claim_id(concept.id, "concept", head_dec, f"concepts[{i}].id")
                targets[concept.id] = "concept"
    if lesson is not None:
        for name, kind in (("steps", "step"), ("myths", "myth"), ("pitfalls", "pitfall")):
            for i, item in enumerate(getattr(lesson, name)):
                if item is not None:
                    run.claim_id(item.id, kind, lesson_dec, f"{name}[{i}].id")
                    if kind == "step":
                        targets[item.id] = "step"
    for item, decoder, field in questions:
        if item is not None:
            run.claim_id(item.id, "question", decoder, f"{field}.id")
    for item, decoder, field in cards:
        if item is not None:
            run.claim_id(item.id, "flashcard", decoder, f"{field}.id")
    return targets


def _check_target(decoder: Decoder, name: str, targets: dict[str, str], field: str,
                  what: str, module_id: str) -> None:
    if not name or name in targets:
        return
    steps = [t for t, kind in targets.items() if kind == "step"]
    concepts = [t for t, kind in targets.items() if kind == "concept"]
    decoder.problem(decoder.at(field), field,
                    f"{what} '{name}' points at nothing{did_you_mean(name, targets)}; it may name a step "
                    f"({_short_list(steps)}) or a concept ({_short_list(concepts)}) of module '{module_id}'")


# --- exercise ----------------------------------------------------------------


def load_exercise_folder(folder: Path, run: Run,
                         modules: dict[str, Module | None] | None = None) -> Exercise | None:
    """One exercise folder; `modules` (when known) checks its module and links."""
    run.touch(folder)
    path = folder / "exercise.yaml"
    if not path.is_file():
        _missing_file(run, path, "every exercise folder needs exercise.yaml")
        return None
    exercise, decoder = run.parse(path, Exercise)
    rules.check_exercise(decoder, exercise)
    for name in EXERCISE_FOLDERS:
        if not (folder / name).is_dir():
            decoder.problem((1, 1), "", f"folder {name}/ is missing next to exercise.yaml")
    if exercise is None:
        return None
    exercise = dataclasses.replace(exercise, path=folder)
    if exercise.id and exercise.id != folder.name:
        decoder.problem(decoder.at("id"), "id", f"exercise id '{exercise.id}' differs from its folder "
                                                f"name '{folder.name}'; they must be equal")
    run.claim_id(exercise.id, "exercise", decoder, "id")
    starter = folder / "starter"
    if starter.is_dir():
        run.touch(starter)
        for i, name in enumerate(exercise.files):
            target = starter / name
            if name and (Path(name).is_absolute() or ".." in Path(name).parts):
                decoder.problem(decoder.at(f"files[{i}]"), f"files[{i}]",
                                f"'{name}' must be a path inside starter/, like 'features.py'")
                continue
            run.touch(target.parent)
            if name and not target.is_file():
                decoder.problem(decoder.at(f"files[{i}]"), f"files[{i}]", f"'{name}' is not in starter/")
    tests = folder / "tests"
    if tests.is_dir():
        run.touch(tests)
        if not any(p.name.startswith("test_") and p.suffix == ".py" for p in tests.iterdir()):
            decoder.problem((1, 1), "", "tests/ holds no test_*.py file for the grader to run")
    if modules is not None and exercise.module:
        module = modules.get(exercise.module)
        if exercise.module not in modules:
            decoder.problem(decoder.at("module"), "module",
                            f"module '{exercise.module}' is not in the course"
                            f"{did_you_mean(exercise.module, modules)}; modules: {_short_list(sorted(modules))}")
        elif module is not None:  # None: listed but too broken to check links against
            targets = {s.id: "step" for s in module.lesson.steps} | {c.id: "concept" for c in module.concepts}
            for i, link in enumerate(exercise.links):
                _check_target(decoder, link, targets, f"links[{i}]", "link", module.id)
    return exercise


def exercise_folders(root: Path, run: Run | None = None) -> list[Path]:
    """The exercise folders in `root`, sorted; hidden ('.x', '_x') and non-exercise folders skipped."""
    if run is not None:
        run.touch(root)
    found = []
    for entry in sorted(os.scandir(root), key=lambda e: e.name):
        if entry.name.startswith((".", "_")) or not entry.is_dir():
            continue
        folder = Path(root, entry.name)
        if run is not None:
            run.touch(folder)  # a folder that gains exercise.yaml changes the course
        if (folder / "exercise.yaml").is_file():
            found.append(folder)
    return found


# --- course ------------------------------------------------------------------


def module_folders(course_dir: Path) -> list[str]:
    """Names of the subfolders of a course that hold a module.yaml ('.x' and '_x' skipped)."""
    return sorted(entry.name for entry in os.scandir(course_dir)
                  if entry.is_dir() and not entry.name.startswith((".", "_"))
                  and os.path.isfile(os.path.join(entry.path, "module.yaml")))


def parse_course(course_dir: Path, run: Run) -> Course | None:
    """Walk a course folder; every problem lands in `run.problems`.

    When course.yaml is too broken to say which modules there are, every
    module folder is still checked, so one run shows all the problems.
    """
    run.touch(course_dir)
    head, decoder = run.parse(course_dir / "course.yaml", CourseFile)
    on_disk = module_folders(course_dir)
    if head is None or "modules" in decoder.bad:
        known = tuple(on_disk)
        for name in on_disk:
            load_module_folder(course_dir / name, run, known, ordered=False)
        return None
    module_ids = tuple(head.modules)
    modules: dict[str, Module | None] = {}  # None: listed, but too broken to build
    seen: dict[str, int] = {}
    for i, module_id in enumerate(head.modules):
        field = f"modules[{i}]"
        if not module_id or field in decoder.bad:
            continue
        if not ID_PATTERN.match(module_id):
            decoder.problem(decoder.at(field), field, f"module '{module_id}' must be the name of a folder "
                                                      "beside course.yaml: lowercase letters, digits, dashes")
            continue
        if module_id in seen:
            decoder.problem(decoder.at(field), field, f"module '{module_id}' is listed twice "
                                                      f"(first as modules[{seen[module_id]}])")
            continue
        seen[module_id] = i
        folder = course_dir / module_id
        if not folder.is_dir():
            decoder.problem(decoder.at(field), field, f"module '{module_id}' has no folder "
                                                      f"{module_id}/ next to course.yaml"
                                                      f"{did_you_mean(module_id, on_disk)}")
            continue
        modules[module_id] = load_module_folder(folder, run, module_ids)
    for name in on_disk:
        if name not in module_ids:
            decoder.problem(decoder.at("modules"), "modules",
                            f"folder {name}/ holds a module that is not listed here; list it, or start "
                            "the folder name with '_' to keep it as a draft")
    exercises: list[Exercise] = []
    if head.exercises:
        root = Path(os.path.normpath(course_dir / head.exercises))
        if not root.is_dir():
            decoder.problem(decoder.at("exercises"), "exercises",
                            f"folder '{head.exercises}' (relative to course.yaml) does not exist")
        else:
            for folder in exercise_folders(root, run):
                exercise = load_exercise_folder(folder, run, modules)
                if exercise is not None:
                    exercises.append(exercise)
    return Course(id=head.id, title=head.title, description=head.description,
                  modules=tuple(m for m in modules.values() if m is not None),
                  exercises=tuple(exercises), path=course_dir)


@contextlib.contextmanager
def gc_paused(*, keep: bool = False):
    """No cyclic garbage collection while a course is built.

    Loading creates many objects and frees almost none, which makes the
    collector run over an ever larger heap (cold load grew faster than the
    course). Node graphs hold no cycles, so nothing waits for the collector.
    With `keep`, what was built is moved out of the collector's reach
    (`gc.freeze()`): a course lives as long as the process and holds no cycles,
    so the first collection after loading need not walk all of it again.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
        if keep:
            gc.freeze()
    finally:
        if was_enabled:
            gc.enable()


def absolute_paths(course: Course) -> Course:
    """The same course with absolute paths, so it means the same from any working folder.

    Problems keep the paths as the user gave them; only the model is made absolute.
    """
    return dataclasses.replace(
        course, path=course.path.absolute(),
        modules=tuple(dataclasses.replace(m, path=m.path.absolute()) for m in course.modules),
        exercises=tuple(dataclasses.replace(e, path=e.path.absolute()) for e in course.exercises))


def require_course_dir(course_dir: Path) -> None:
    """Exit-2 errors for a course folder that is not there at all."""
    if not course_dir.exists():
        raise MlquizError(f"course folder {course_dir} does not exist; pass another --course "
                          "(or MLQUIZ_COURSE), or leave both out for the built-in course",
                          exit_code=2)
    if not course_dir.is_dir():
        raise MlquizError(f"{course_dir} is not a folder; pass a course folder (it holds course.yaml)",
                          exit_code=2)
    if not (course_dir / "course.yaml").is_file():
        raise MlquizError(f"{course_dir} is not a course folder: it has no course.yaml; "
                          "pass the folder that holds course.yaml", exit_code=2)


def load_course(course_dir: Path, *, use_cache: bool = True) -> Course:
    """The course in `course_dir`, from the cache when no content file changed.

    Raises ContentError (exit 1) listing every problem, or MlquizError (exit 2)
    when the folder is not a course at all.
    """
    course_dir = Path(course_dir)
    require_course_dir(course_dir)
    if use_cache:
        from mlquiz.content import cache

        with gc_paused(keep=True):
            cached = cache.read(course_dir)
        if cached is not None:
            return cached
    run = Run()
    try:
        with gc_paused():
            course = parse_course(course_dir, run)
    except OSError as error:  # a folder vanished or became unreadable mid-walk
        raise MlquizError(f"cannot read {error.filename or course_dir}: {error.strerror or error}",
                          exit_code=2) from None
    if run.problems or course is None:
        raise ContentError(run.problems)
    course = absolute_paths(course)
    if use_cache:
        cache.write(course_dir, run.deps, course)
    return course


def load_exercise(folder: Path) -> Exercise:
    """The exercise in `folder` (its exercise.yaml and starter/, tests/, solution/)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise MlquizError(f"exercise folder {folder} does not exist", exit_code=2)
    run = Run()
    exercise = load_exercise_folder(folder, run)
    if run.problems or exercise is None:
        raise ContentError(run.problems)
    return dataclasses.replace(exercise, path=exercise.path.absolute())
