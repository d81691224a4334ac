"""`mlquiz gift import FILE --module ID` and `mlquiz gift export MODULE`.

Import writes `<module folder>/questions-<file stem>.yaml`, then validates
the whole course with it; a file that would not validate is removed again
and its problems printed (exit 1). Warnings name everything GIFT could not
carry across, in either direction; nothing is dropped silently.
"""
from __future__ import annotations

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


def _import(args: Namespace) -> int:
    from mlquiz.content import load_course, validate
    from mlquiz.workshop.gift import parse_gift
    from mlquiz.workshop.gift_yaml import gift_to_yaml

    course = load_course(args.course)
    module = _module(course, args.module)
    target: Path = args.output or module.path / f"questions-{args.file.stem}.yaml"
    if target.exists():  # before any warning about questions that would not be written
        raise MlquizError(f"{target} already exists; pass --output to write elsewhere")
    try:
        source = args.file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise MlquizError(f"cannot read {args.file}: {getattr(error, 'strerror', None) or error}") from None
    parsed = parse_gift(source, filename=str(args.file))
    _warn(parsed.warnings)
    if not parsed.questions:
        raise MlquizError(f"{args.file}: no multiple-choice or true/false question to import",
                          exit_code=1)
    taken = {q.id for m in course.modules for q in m.questions}
    text, notes = gift_to_yaml(parsed.questions, taken_ids=taken, source=args.file.name)
    _warn(notes)
    _write(target, text)
    problems = validate([course.path]) if target.parent.resolve() == module.path.resolve() else []
    if problems:
        target.unlink()
        for problem in problems:
            print(problem, file=sys.stderr)
        raise MlquizError(f"the imported questions do not validate; {target} was not kept",
                          exit_code=1)
    print(f"imported {len(parsed.questions)} question(s) into {target}")
    return 0


def _export(args: Namespace) -> int:
    from mlquiz.content import load_course
    from mlquiz.workshop.gift import to_gift

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
