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


def _validate_in_the_module(module, target: Path, text: str) -> list[tuple[object, str]]:
    """Problems of the module with the imported file in its folder.

    Checked in a copy of the module folder, so nothing is written before it
    passes and a file going elsewhere (-o) validates as it will once moved into
    the module; problems name `target`. (Ids are unique course-wide already:
    the import picks them among the course's.) Each problem comes with its line
    as printed.
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
        return [(p, str(p).replace(str(placed), str(target)).replace(str(copy), str(module.path)))
                for p in validate([copy])]


def _entry_index(problem, placed_name: str) -> int | None:
    """The index of the imported entry a problem is about (`questions[3].stem` -> 3)."""
    found = re.match(r"questions\[(\d+)\]", problem.field or "")
    return int(found.group(1)) if found and problem.path.name == placed_name else None


def _import(args: Namespace) -> int:
    """Exit 0 when every question was imported, 1 when one was skipped (named above)."""
    from mlquiz.content import load_course
    from mlquiz.workshop.gift import parse_gift
    from mlquiz.workshop.gift_yaml import gift_to_yaml

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
    questions, skipped = list(parsed.questions), parsed.skipped
    text, notes = gift_to_yaml(questions, taken_ids=set(taken), source=str(args.file))
    problems = _validate_in_the_module(module, target, text)
    bad = {_entry_index(p, f"questions-{target.stem}.yaml") for p, _ in problems}
    if problems and None not in bad:  # each problem is one imported question's: skip those
        for index in sorted(bad):
            question = questions[index]
            reasons = "; ".join(line.split(": ", 1)[-1] for p, line in problems
                                if _entry_index(p, f"questions-{target.stem}.yaml") == index)
            _warn([f"{args.file}:{question.line}: '{question.name or question.stem[:40]}' "
                   f"would not validate ({reasons}); skipped"])
        skipped += len(bad)
        questions = [q for i, q in enumerate(questions) if i not in bad]
        if not questions:
            raise MlquizError(f"{args.file}: no question left that validates", exit_code=1)
        text, notes = gift_to_yaml(questions, taken_ids=set(taken), source=str(args.file))
        problems = _validate_in_the_module(module, target, text)
    _warn(notes)
    if problems:
        for _, line in problems:
            print(line, file=sys.stderr)
        raise MlquizError(f"the imported questions do not validate; {target} was not written",
                          exit_code=1)
    _write(target, text)
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
