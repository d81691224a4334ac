"""Turn a composed YAML node into a dataclass, collecting located problems.

The decoder is driven by the dataclass annotations, so the models are the one
description of the format (the JSON Schema is generated from them too). It
never stops at the first problem: a bad field gets a placeholder and decoding
goes on, so one run reports everything. `locations` maps each field path it
saw ("steps[2].prediction.answer") to its 1-based (line, col).

>>> decoder = Decoder(Path("q.yaml"))
>>> cards = decoder.decode(compose_text("flashcards: []"), FlashcardsFile)
>>> cards.flashcards, decoder.problems
((), [])
"""
from __future__ import annotations

import dataclasses
import difflib
import re
import types
import typing
from functools import lru_cache
from pathlib import Path

import yaml

from mlquiz.content.files import NOT_IN_YAML, FlashcardsFile  # noqa: F401  (doctest)
from mlquiz.content.problems import Problem
from mlquiz.content.yamlfile import MERGE_TAG, compose_text  # noqa: F401  (doctest)

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
NULL_TAG = "tag:yaml.org,2002:null"
INT_TAG = "tag:yaml.org,2002:int"
BOOL_TAG = "tag:yaml.org,2002:bool"
FLOAT_TAG = "tag:yaml.org,2002:float"
_TRUE = {"yes", "true", "on"}

Location = tuple[int, int]


@dataclasses.dataclass(frozen=True, slots=True)
class FieldSpec:
    name: str
    type: object
    required: bool


@lru_cache(maxsize=None)
def yaml_fields(cls: type) -> tuple[FieldSpec, ...]:
    """The fields of a dataclass an author writes in YAML, with resolved types."""
    hints = typing.get_type_hints(cls)
    specs = []
    for f in dataclasses.fields(cls):
        if f.name in NOT_IN_YAML:
            continue
        required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        specs.append(FieldSpec(f.name, hints[f.name], required))
    return tuple(specs)


def unwrap_optional(tp: object) -> tuple[object, bool]:
    """(X, True) for `X | None`, else (tp, False)."""
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) == 1:
            return args[0], True
    return tp, False


def is_letter_map(tp: object) -> bool:
    """tuple[tuple[str, str], ...] is written in YAML as a mapping {A: text}."""
    if typing.get_origin(tp) is not tuple:
        return False
    args = typing.get_args(tp)
    return len(args) == 2 and args[1] is Ellipsis and typing.get_origin(args[0]) is tuple


@lru_cache(maxsize=None)
def plan(tp: object) -> tuple[str, object, bool]:
    """How to decode a type, worked out once: (kind, argument, optional)."""
    inner, optional = unwrap_optional(tp)
    if dataclasses.is_dataclass(inner):
        return "dataclass", inner, optional
    if inner is str:
        return "text", None, optional
    if inner is bool:
        return "bool", None, optional
    if inner is int:
        return "int", None, optional
    if inner is float:
        return "number", None, optional
    if typing.get_origin(inner) is typing.Literal:
        return "choice", typing.get_args(inner), optional
    if is_letter_map(inner):
        return "letter-map", None, optional
    if typing.get_origin(inner) is tuple:
        return "list", typing.get_args(inner)[0], optional
    raise TypeError(f"the decoder has no rule for {tp!r}")  # a bug in the models, not content


def describe(node: yaml.Node) -> str:
    """What an author wrote, in words: 'a list', 'a mapping', 'text', 'a number', 'nothing'."""
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if node.tag == NULL_TAG:
        return "nothing"
    if node.tag == INT_TAG or node.tag == "tag:yaml.org,2002:float":
        return f"the number {node.value}"
    if node.tag == BOOL_TAG:
        return f"the truth value {node.value}"
    return "text"


def did_you_mean(word: str, choices: typing.Iterable[str]) -> str:
    """" (did you mean 'title'?)" or ""."""
    choices = list(choices)
    lowered = {c.lower(): c for c in choices}
    if word.lower() in lowered:
        return f" (did you mean '{lowered[word.lower()]}'?)"
    starts = [c for c in choices if len(word) >= 3 and c.lower().startswith(word.lower())]
    if len(starts) == 1:
        return f" (did you mean '{starts[0]}'?)"
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def where(node: yaml.Node) -> Location:
    mark = node.start_mark
    return mark.line + 1, mark.column + 1


class Decoder:
    """Decodes the nodes of one file; `.problems` and `.locations` fill as it goes."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []  # worth fixing, but the file still loads
        self.locations: dict[str, Location] = {}
        self.bad: set[str] = set()  # field paths that already have a problem

    # -- reporting --------------------------------------------------------

    def problem(self, at: Location, field: str, message: str) -> None:
        self.bad.add(field)
        self.problems.append(Problem(self.path, at[0], at[1], field, message))

    def warn(self, at: Location, field: str, message: str) -> None:
        """A located warning: reported by `mlquiz validate`, never an obstacle to loading."""
        self.warnings.append(Problem(self.path, at[0], at[1], field, message, "warning"))

    def at(self, field: str, default: Location = (1, 1)) -> Location:
        """Where a field path was seen, else where its nearest parent was."""
        while field:
            if field in self.locations:
                return self.locations[field]
            field = _parent(field)
        return self.locations.get("", default)

    # -- decoding ----------------------------------------------------------

    def decode(self, node: yaml.Node, tp: object, field: str = "", key_at: Location | None = None):
        """The value of `node` as type `tp`; a placeholder (and a problem) when it is not one."""
        mark = node.start_mark
        at = (mark.line + 1, mark.column + 1)
        is_null = node.tag == NULL_TAG and isinstance(node, yaml.ScalarNode)
        if is_null and key_at is not None:
            at = key_at  # an empty value has no useful mark of its own
        self.locations[field] = at
        kind, arg, optional = plan(tp)
        if optional and is_null:
            return None
        if kind == "text":
            return self._text(node, field, at)
        if kind == "list":
            return self._list(node, arg, field, at)
        if kind == "dataclass":
            return self._dataclass(node, arg, field, at)
        if kind == "choice":
            return self._choice(node, arg, field, at)
        if kind == "bool":
            return self._bool(node, field, at)
        if kind == "int":
            return self._int(node, field, at)
        if kind == "number":
            return self._number(node, field, at)
        return self._letter_map(node, field, at)

    def _text(self, node: yaml.Node, field: str, at: Location) -> str:
        if not isinstance(node, yaml.ScalarNode):
            hint = ""
            if isinstance(node, yaml.MappingNode) and node.value and not node.value[0][0].style:
                hint = " (plain text holding ': ' reads as a mapping; quote it or use a block |)"
            self.problem(at, field, f"expected text, got {describe(node)}{hint}")
            return ""
        if node.tag == NULL_TAG and not node.style:
            self.problem(at, field, "text is empty")
            return ""
        value = node.value  # the text as written: 'yes' stays 'yes', '0.10' stays '0.10'
        if value.endswith("\n"):
            value = value[:-1]  # the one newline a literal block ends with; spacing inside is kept
        if not value.strip():
            self.problem(at, field, "text is empty")
        elif len(value.strip()) == 1 and _last_name(field) == "answer":
            value = value.strip().upper()  # answer: b means the option B
        elif field.endswith("id") and _last_name(field) == "id" and not ID_PATTERN.match(value):
            self.problem(at, field, f"id '{value}' must be lowercase letters, digits and dashes "
                                    "(like 'q-debt-meaning')")
        return value

    def _bool(self, node: yaml.Node, field: str, at: Location) -> bool:
        if isinstance(node, yaml.ScalarNode) and node.tag == BOOL_TAG:
            return node.value.lower() in _TRUE
        self.problem(at, field, f"expected true or false, got {describe(node)}")
        return False

    def _int(self, node: yaml.Node, field: str, at: Location) -> int:
        if isinstance(node, yaml.ScalarNode) and node.tag == INT_TAG:
            try:
                return int(node.value.replace("_", ""), 0)
            except ValueError:
                pass
        self.problem(at, field, f"expected a whole number, got {describe(node)}")
        return 0

    def _number(self, node: yaml.Node, field: str, at: Location) -> float:
        """A YAML int or float (.inf and .nan read as such; the rules reject them)."""
        if isinstance(node, yaml.ScalarNode) and node.tag in (INT_TAG, FLOAT_TAG):
            text = node.value.replace("_", "").lower()
            text = {".inf": "inf", "+.inf": "inf", "-.inf": "-inf", ".nan": "nan"}.get(text, text)
            try:
                return float(int(text, 0)) if node.tag == INT_TAG else float(text)
            except ValueError:
                pass
        self.problem(at, field, f"expected a number, got {describe(node)}")
        return 0.0

    def _choice(self, node: yaml.Node, allowed: tuple[str, ...], field: str, at: Location) -> str:
        if not isinstance(node, yaml.ScalarNode) or node.tag == NULL_TAG:
            self.problem(at, field, f"expected one of {', '.join(allowed)}, got {describe(node)}")
            return ""
        if node.value not in allowed:
            name = _last_name(field)
            self.problem(at, field, f"{name} '{node.value}' is not one of {', '.join(allowed)}"
                                    + did_you_mean(node.value, allowed))
        return node.value

    def _list(self, node: yaml.Node, item_type: object, field: str, at: Location) -> tuple:
        if not isinstance(node, yaml.SequenceNode):
            self.problem(at, field, f"expected a list, got {describe(node)}")
            return ()
        return tuple(self.decode(item, item_type, f"{field}[{i}]") for i, item in enumerate(node.value))

    def _letter_map(self, node: yaml.Node, field: str, at: Location) -> tuple:
        if not isinstance(node, yaml.MappingNode):
            self.problem(at, field, f"expected a mapping of option letters to text, got {describe(node)}")
            return ()
        pairs = []
        for key, value in node.value:
            letter = str(key.value).strip().upper()
            pairs.append((letter, self.decode(value, str, f"{field}.{letter}", where(key))))
            self.locations[f"{field}.{letter}"] = where(key)  # a wrong letter is pointed at by its key
        return tuple(pairs)

    def _dataclass(self, node: yaml.Node, cls: type, field: str, at: Location):
        specs = yaml_fields(cls)
        if not isinstance(node, yaml.MappingNode):
            hint = ""
            if not field and isinstance(node, yaml.SequenceNode) and len(specs) == 1:
                hint = f"; start the file with '{specs[0].name}:' and indent the list under it"
            self.problem(at, field, f"expected a mapping (key: value), got {describe(node)}{hint}")
            return None
        by_name = {s.name: s for s in specs}
        values: dict[str, object] = {}
        seen: dict[str, Location] = {}
        for key, value in self._pairs(node):
            name = key.value if isinstance(key, yaml.ScalarNode) else str(key.value)
            key_at = where(key)
            child = f"{field}.{name}" if field else name
            spec = by_name.get(name)
            if spec is None:
                hint = did_you_mean(name, by_name) or f"; expected one of: {', '.join(by_name)}"
                self.problem(key_at, child, f"unknown field '{name}'{hint}")
                continue
            if name in seen:
                line, col = seen[name]
                self.problem(key_at, child, f"field '{name}' appears twice (first at line {line})")
                continue
            seen[name] = key_at
            values[name] = self.decode(value, spec.type, child, key_at)
        for spec in specs:
            if spec.name not in values:
                if spec.required:
                    child = f"{field}.{spec.name}" if field else spec.name
                    self.problem(at, child, self._missing_message(cls, spec.name, field, values))
                    values[spec.name] = _placeholder(spec.type)
        try:
            return cls(**values)
        except Exception:  # pragma: no cover - placeholders always fit the fields
            return None

    def _pairs(self, node: yaml.MappingNode, depth: int = 0):
        """Key/value pairs, with YAML merge keys (<<: *anchor) expanded; written keys win."""
        if not any(key.tag == MERGE_TAG for key, _ in node.value) or depth > 20:
            return node.value
        written = [(k, v) for k, v in node.value if k.tag != MERGE_TAG]
        names = {k.value for k, _ in written}
        merged = []
        for key, value in node.value:
            if key.tag != MERGE_TAG:
                continue
            for source in value.value if isinstance(value, yaml.SequenceNode) else [value]:
                if isinstance(source, yaml.MappingNode):
                    for k, v in self._pairs(source, depth + 1):
                        if k.value not in names:
                            names.add(k.value)
                            merged.append((k, v))
        return written + merged

    def _missing_message(self, cls: type, name: str, field: str, values: dict) -> str:
        if name == "answer" and _last_name(field) == "prediction":
            count = len(values.get("choices") or ())
            letters = f" (A-{chr(64 + count)})" if count >= 2 else ""
            return f"the prediction has no answer; add 'answer:' with the letter of the right choice{letters}"
        return f"missing field '{name}'"


def _placeholder(tp: object):
    tp, optional = unwrap_optional(tp)
    if optional or dataclasses.is_dataclass(tp):
        return None
    if typing.get_origin(tp) is tuple:
        return ()
    return {int: 0, float: 0.0, bool: False}.get(tp, "")


def _last_name(field: str) -> str:
    """'steps[2].prediction' -> 'prediction'; 'tags[3]' -> 'tags'."""
    tail = field.rsplit(".", 1)[-1]
    return tail.split("[", 1)[0]


def _parent(field: str) -> str:
    """'steps[2].prediction.answer' -> 'steps[2].prediction' -> 'steps[2]' -> 'steps' -> ''."""
    if field.endswith("]"):
        return field[: field.rindex("[")]
    return field.rsplit(".", 1)[0] if "." in field else ""
