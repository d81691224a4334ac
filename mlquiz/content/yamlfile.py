"""Read one YAML file into a node graph that remembers where every value is.

The file is composed, not constructed: every node keeps its start mark, so a
later problem can point at `path:line:col`. Scalars stay text until the
decoder asks for a type.

>>> node, problems = read_yaml(Path("course/course.yaml"))  # doctest: +SKIP
"""
from __future__ import annotations

from pathlib import Path

import yaml

from mlquiz.content.problems import Problem

try:  # the C parser is several times faster; the pure one gives the same nodes
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

MERGE_TAG = "tag:yaml.org,2002:merge"
STR_TAG = "tag:yaml.org,2002:str"
_MEMO_LIMIT = 20_000


class _ContentLoader(_Loader):
    """The safe loader with tag resolution memoised for the short plain scalars that repeat
    (keys, ids, enum values); the result is the same tag PyYAML would give."""

    _memo: dict[str, str] = {}

    def resolve(self, kind, value, implicit):
        if kind is yaml.ScalarNode:
            if not implicit[0]:
                return STR_TAG  # quoted or block text is always a string
            if len(value) < 40:
                tag = self._memo.get(value)
                if tag is None:
                    tag = super().resolve(kind, value, implicit)
                    if len(self._memo) < _MEMO_LIMIT:
                        self._memo[value] = tag
                return tag
        return super().resolve(kind, value, implicit)


def compose_text(text: str) -> yaml.Node | None:
    """The root node of one YAML document (None when the document is empty)."""
    loader = _ContentLoader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def read_yaml(path: Path) -> tuple[yaml.Node | None, list[Problem]]:
    """The root node of `path`, or None and the problems that stopped reading it."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        return None, [Problem(path, 1, 1, "", f"not UTF-8 text ({error.reason} at byte {error.start})")]
    except OSError as error:
        return None, [Problem(path, 1, 1, "", f"cannot read the file: {error.strerror or error}")]
    if not text.strip():
        return None, [Problem(path, 1, 1, "", "file is empty")]
    try:
        node = compose_text(text)
    except yaml.MarkedYAMLError as error:
        return None, [_syntax_problem(path, error, text)]
    except yaml.YAMLError as error:  # e.g. a control character: the reader has no line mark
        what = str(error).split("\n", 1)[0]
        return None, [Problem(path, 1, 1, "", f"YAML syntax: {what}")]
    except RecursionError:
        return None, [Problem(path, 1, 1, "", "YAML nested too deeply to read")]
    if node is None or _is_null(node):
        return None, [Problem(path, 1, 1, "", "file is empty (only comments)")]
    return node, []


def _syntax_problem(path: Path, error: yaml.MarkedYAMLError, text: str) -> Problem:
    mark = error.problem_mark or error.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    what = error.problem or "not valid YAML"
    if error.context:
        context_mark = error.context_mark
        since = f" from line {context_mark.line + 1}" if context_mark and context_mark.line + 1 != line else ""
        what = f"{what} ({error.context}{since})"
    if "mapping values are not allowed" in what or "expected key" in what:
        what += "; text holding ': ' or starting with a quote needs quotes or a block (|)"
    elif mark and _char_at(text, mark.line, mark.column) == "\t":
        what += "; YAML indents with spaces, not tabs"
    return Problem(path, line, col, "", f"YAML syntax: {what}")


def _char_at(text: str, line: int, column: int) -> str:
    lines = text.splitlines()
    return lines[line][column] if line < len(lines) and column < len(lines[line]) else ""


def _is_null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null"
