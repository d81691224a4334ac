"""The one error type every layer raises for a problem the user must fix.

>>> raise MlquizError("progress.db is not an mlquiz database; pass another --db", exit_code=2)
Traceback (most recent call last):
...
mlquiz.errors.MlquizError: progress.db is not an mlquiz database; pass another --db

`cli.main` prints `str(error)` (it may hold several lines, one per problem)
to stderr and exits with `error.exit_code`: 1 the thing checked is not right,
2 bad usage or unreadable input.
"""
from __future__ import annotations


class MlquizError(Exception):
    def __init__(self, message: str, *, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code
