"""`mlquiz gift import FILE --module ID` and `mlquiz gift export MODULE`.

Import writes `<module folder>/questions-<file stem>.yaml` (or `-o FILE`)
only once the module validates with it (checked in a copy of the module
folder, so an -o file is checked as if it sat there too); otherwise its problems are
printed (exit 1). Warnings name everything GIFT could not carry across, in
either direction, each with its line; nothing is dropped silently. Exit 1 also
when a question was skipped, 0 when every question was imported.
"""
from __future__ import annotations

import re
import sys
from argparse import Namespace
from pathlib import Path

from mlquiz.errors import MlquizError


def _module(course, module_id: str):
    module = course.module(module_id)
    if module is None:
        known = ", ".join(m.id for m in course.modules)
        raise MlquizError(f"no module '{module_id}' in {course.path}; known: {known}")
    return module


def _write(target: Path, text: str) -> None:
    """The file written, or one line saying why not (a missing folder, no permission)."""
    try:
        target.write_text(text, encoding="utf-8")
    except OSError as error:
        raise MlquizError(f"cannot write {target}: {error.strerror or error}; "
                          "pass another --output FILE", exit_code=2) from None


def _warn(lines: list[str]) -> None:
    for line in lines:
        print(f"mlquiz: warning: {line}", file=sys.stderr)


def _problems_in_the_module(module, target: Path, text: str) -> list[tuple[int | None, str]]:
    """Problems of the module with the imported file in its folder, as (entry index, line).

    Checked in a copy of the module folder, so nothing is written before it
    passes and a file going elsewhere (-o) validates as it will once moved into
    the module; lines name `target`. The index is that of the imported entry a
    problem is about (`questions[3].stem` -> 3), None for any other problem.
    (Ids are unique course-wide already: the import picks them among the course's.)
    """
    import shutil
    import tempfile

    from mlquiz.content import validate

    with tempfile.TemporaryDirectory(prefix="mlquiz-gift-") as folder:
        copy = Path(folder) / module.path.name
        shutil.copytree(module.path, copy, symlinks=True)
        placed = copy / f"questions-{target.stem}.yaml"
        if placed.exists():
            placed = placed.with_name(f"questions-{target.stem}-imported.yaml")
        placed.write_text(text, encoding="utf-8")
        out = []
        for problem in validate([copy]):
            entry = re.match(r"questions\[(\d+)\]", problem.field or "")
            index = int(entry.group(1)) if entry and problem.path == placed else None
            line = str(problem).replace(str(placed), str(target)).replace(str(copy), str(module.path))
            out.append((index, line))
        return out


def _yaml_that_validates(questions, taken: set[str], module, target: Path, source: Path):
    """(yaml text, notes, questions kept, skipped count): an imported question whose entry
    would not validate is named with its GIFT line and left out; any other problem stops."""
    from mlquiz.workshop.gift_yaml import gift_to_yaml

    skipped = 0
    while True:
        text, notes = gift_to_yaml(questions, taken_ids=set(taken), source=str(source))
        problems = _problems_in_the_module(module, target, text)
        if not problems:
            return text, notes, questions, skipped
        bad = {index for index, _ in problems}
        if None in bad:
            for _, line in problems:
                print(line, file=sys.stderr)
            raise MlquizError(f"the imported questions do not validate; {target} was not written",
                              exit_code=1)
        for index in sorted(bad):
            question = questions[index]
            reasons = "; ".join(line.split(": ", 1)[-1] for i, line in problems if i == index)
            _warn([f"{source}:{question.line}: '{question.name or question.stem[:40]}' "
                   f"would not validate ({reasons}); skipped"])
        skipped += len(bad)
        questions = [q for i, q in enumerate(questions) if i not in bad]
        if not questions:
            raise MlquizError(f"{source}: no question left that validates", exit_code=1)


def _import(args: Namespace) -> int:
    """Exit 0 when every question was imported, 1 when one was skipped (named above)."""
    from mlquiz.content import load_course
    from mlquiz.workshop.gift import parse_gift

    course = load_course(args.course)
    module = _module(course, args.module)
    target: Path = args.output or module.path / f"questions-{args.file.stem}.yaml"
    if target.exists():  # before any warning about questions that would not be written
        raise MlquizError(f"{target} already exists; pass --output to write elsewhere")
    try:
        source = args.file.read_bytes()
    except OSError as error:
        raise MlquizError(f"cannot read {args.file}: {error.strerror or error}") from None
    parsed = parse_gift(source, filename=str(args.file))
    _warn(parsed.warnings)
    if not parsed.questions:
        raise MlquizError(f"{args.file}: no multiple-choice or true/false question to import",
                          exit_code=1)
    taken = {q.id for m in course.modules for q in m.questions}
    text, notes, questions, invalid = _yaml_that_validates(parsed.questions, taken, module,
                                                           target, args.file)
    _warn(notes)
    _write(target, text)
    skipped = parsed.skipped + invalid
    note = f"; {skipped} skipped (named above)" if skipped else ""
    print(f"imported {len(questions)} question(s) into {target}{note}")
    return 1 if skipped else 0


def _export(args: Namespace) -> int:
    from mlquiz.content import load_course
    from mlquiz.workshop.gift_export import to_gift

    module = _module(load_course(args.course), args.module)
    text, warnings = to_gift(module.id, list(module.questions))
    _warn(warnings)
    if args.output:
        _write(args.output, text)
        print(f"wrote {len(module.questions)} question(s) to {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def run(args: Namespace) -> int:
    return _import(args) if args.action == "import" else _export(args)
