"""A session plan: the questions an instructor queues for peer instruction, validated like content.

>>> plan = load_plan(Path("week2.yaml"), course)      # doctest: +SKIP
>>> [(p.module, p.item) for p in plan.polls]          # doctest: +SKIP
[('ml-technical-debt', 'q-debt-meaning'), ('ml-technical-debt', 'step-glue')]

The file:

    title: Week 2                # optional
    low: 0.35                    # optional: the rule's thresholds and the discussion time
    high: 0.70
    discussion_minutes: 2
    vote_timer: 90s              # optional: every vote closes by itself at zero (90, 2m, 1:30)
    polls:
      - module: ml-technical-debt
        item: q-debt-meaning     # a question id, or a step id whose prediction is asked
      - module: ml-technical-debt
        item: step-glue

Every problem comes back as a located `Problem` (path:line:col: field: message).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from mlquiz.content.problems import ContentError, Problem
from mlquiz.content.yamlfile import read_yaml
from mlquiz.workshop.peer import HIGH, LOW, PeerError, poll_item, timer_seconds
from mlquiz.workshop.peer_room import DISCUSSION_MINUTES

if TYPE_CHECKING:
    from mlquiz.content.models import Course

PLAN_SETTING = "peer_plan"  # where a room keeps its plan (a setting of the room learner)


@dataclass(frozen=True, slots=True)
class PlannedPoll:
    module: str
    item: str


@dataclass(frozen=True, slots=True)
class Plan:
    title: str
    polls: tuple[PlannedPoll, ...]
    low: float = LOW
    high: float = HIGH
    discussion_minutes: float = DISCUSSION_MINUTES
    vote_timer: int | None = None  # seconds; None: votes stay open until closed

    def as_dict(self) -> dict[str, Any]:
        return {"title": self.title, "low": self.low, "high": self.high,
                "discussion_minutes": self.discussion_minutes, "vote_timer": self.vote_timer,
                "polls": [{"module": p.module, "item": p.item} for p in self.polls]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Plan":
        return cls(str(data.get("title", "")),
                   tuple(PlannedPoll(p["module"], p["item"]) for p in data.get("polls", [])),
                   float(data.get("low", LOW)), float(data.get("high", HIGH)),
                   float(data.get("discussion_minutes", DISCUSSION_MINUTES)),
                   data.get("vote_timer"))

    def next_after(self, asked: set[tuple[str, str]]) -> PlannedPoll | None:
        """The first planned poll not asked yet (None when the plan is done)."""
        return next((p for p in self.polls if (p.module, p.item) not in asked), None)


_TOP_KEYS = {"title", "low", "high", "discussion_minutes", "vote_timer", "polls"}


def load_plan(path: Path, course: "Course") -> Plan:
    """The plan in `path`; ContentError listing every located problem."""
    node, problems = read_yaml(path)
    if node is None:
        raise ContentError(problems)
    problems = []

    def problem(at: yaml.Node, field: str, message: str) -> None:
        problems.append(Problem(path, at.start_mark.line + 1, at.start_mark.column + 1,
                                field, message))

    if not isinstance(node, yaml.MappingNode):
        problem(node, "", "a plan is a mapping with a `polls:` list")
        raise ContentError(problems)
    values: dict[str, yaml.Node] = {}
    for key, value in node.value:
        if key.value not in _TOP_KEYS:
            problem(key, key.value, f"unknown field; expected one of {', '.join(sorted(_TOP_KEYS))}")
        values[key.value] = value
    numbers, bad = {}, set()
    for name, default, top in (("low", LOW, 1.0), ("high", HIGH, 1.0),
                               ("discussion_minutes", DISCUSSION_MINUTES, 60.0)):
        numbers[name] = default
        if name in values:
            try:
                numbers[name] = float(values[name].value)
            except (TypeError, ValueError):
                problem(values[name], name, "must be a number")
                bad.add(name)
                continue
            if not 0 <= numbers[name] <= top:
                problem(values[name], name, f"must be between 0 and {top:g}")
                bad.add(name)
    if not bad & {"low", "high"} and numbers["low"] > numbers["high"]:
        problem(values.get("low", node), "low", "must not be above `high`")
    vote_timer = None
    if "vote_timer" in values:
        try:
            vote_timer = timer_seconds(values["vote_timer"].value)
        except PeerError as error:
            problem(values["vote_timer"], "vote_timer", str(error))
    polls: list[PlannedPoll] = []
    listed = values.get("polls")
    if listed is None:
        problem(node, "polls", "missing: list the questions to ask, each `module:` and `item:`")
    elif not isinstance(listed, yaml.SequenceNode) or not listed.value:
        problem(listed, "polls", "must be a non-empty list of `module:` / `item:` entries")
    else:
        for n, entry in enumerate(listed.value):
            planned = _planned(entry, f"polls[{n}]", course, problem)
            if planned is not None:
                polls.append(planned)
    if problems:
        raise ContentError(problems)
    title = values["title"].value if "title" in values else path.stem
    return Plan(str(title), tuple(polls), numbers["low"], numbers["high"],
                numbers["discussion_minutes"], vote_timer)


def _planned(entry: yaml.Node, field: str, course: "Course", problem) -> PlannedPoll | None:
    if not isinstance(entry, yaml.MappingNode):
        problem(entry, field, "must be a mapping with `module:` and `item:`")
        return None
    fields = {key.value: value for key, value in entry.value}
    for name in ("module", "item"):
        if name not in fields:
            problem(entry, f"{field}.{name}", "missing")
            return None
    module_id, item_id = str(fields["module"].value), str(fields["item"].value)
    module = course.module(module_id)
    if module is None:
        known = ", ".join(m.id for m in course.modules)
        problem(fields["module"], f"{field}.module", f"no module {module_id!r}; one of {known}")
        return None
    try:
        poll_item(module, item_id)
    except PeerError:
        problem(fields["item"], f"{field}.item",
                f"{module_id} has no question or step prediction {item_id!r}")
        return None
    return PlannedPoll(module_id, item_id)
