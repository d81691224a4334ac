"""`mlquiz report DB... [--format table|csv|json|html] [-o FILE]`.

Exit 0 when every source was read, 1 when one was skipped (named in a
warning line on stderr) so a script notices, 2 when none could be read.
"""
from __future__ import annotations

import sys
from argparse import Namespace

from mlquiz.errors import MlquizError


def _course_or_none(args: Namespace):
    from mlquiz.content import load_course

    try:
        return load_course(args.course)
    except MlquizError:
        return None  # the report still works from the events alone


def run(args: Namespace) -> int:
    from mlquiz.content.summaries import summary
    from mlquiz.workshop.collect import collect
    from mlquiz.workshop.render import render
    from mlquiz.workshop.report import build_report

    room = collect(list(args.sources))
    for warning in room.warnings:
        print(f"mlquiz: warning: {warning}", file=sys.stderr)
    if not room.sources:
        raise MlquizError("no readable database or export among the sources; nothing to report")
    report = build_report(room, _course_or_none(args), all_attempts=args.all_attempts,
                          summary=summary)
    text = render(report, args.format)
    if args.output:
        try:
            args.output.write_text(text, encoding="utf-8")
        except OSError as error:
            raise MlquizError(f"cannot write {args.output}: {error.strerror}; "
                              "pass another -o FILE") from None
        print(f"wrote {args.output} ({len(report.learners)} learners)", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 1 if room.warnings else 0
