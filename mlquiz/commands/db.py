"""`mlquiz db copy SRC DST`: a room from SQLite to PostgreSQL or back.

>>> run(argparse.Namespace(action="copy", source="room.db",
...                        target="postgresql://db.example/room"))   # doctest: +SKIP
copied 1520 events (0 already there), 31 new learners: room.db -> postgresql://db.example/room

Run it again and it copies nothing: events are matched by their uid.
"""
from __future__ import annotations

import sys
from argparse import Namespace


def add_parser(sub, common) -> None:
    p = sub.add_parser("db", parents=[common], help="move a room between databases")
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    a = actions.add_parser("copy", parents=[common],
                           help="copy every event SRC has and DST lacks (SQLite <-> PostgreSQL)")
    a.add_argument("source", metavar="SRC", help="a database file or a postgresql:// URL")
    a.add_argument("target", metavar="DST", help="a database file or a postgresql:// URL "
                   "(created, with its tables, when it does not exist)")


def run(args: Namespace) -> int:
    from mlquiz.progress.copy import copy_room
    from mlquiz.progress.errors import StoreError
    from mlquiz.progress.location import is_missing_file, parse_db

    source, target = parse_db(args.source), parse_db(args.target)
    if is_missing_file(source):
        raise StoreError(f"{source} does not exist; nothing to copy")
    result = copy_room(source, target)
    print(f"copied {result.events} events ({result.already} already there), "
          f"{result.learners} new learners: {source} -> {target}", file=sys.stderr)
    return 0
