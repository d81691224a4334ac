"""Peer instruction in a room: one vote, talk to someone who disagreed, vote again.

Everything here is derived from events, so a room can be replayed from its log:

>>> room = replay(store.events(kind=None))              # doctest: +SKIP
>>> room.current.phase, room.current.voted(1)           # doctest: +SKIP
('voting', 12)
>>> suggestion(0.5)
'discuss'
>>> normalised_gain(0.40, 0.70)
0.5

The cycle (Mazur's ConcepTests): everyone votes alone, with an optional
confidence 1-3. Below `low` right the instructor reteaches; between `low` and
`high` learners who chose differently discuss and vote again; above `high` a
short explanation and on. Hake's normalised gain `(post - pre) / (1 - pre)`
measures what the discussion did.

The instructor's actions are events of the room learner (`ROOM_LEARNER`), so
whoever opens a vote, the room has one timeline; each vote is an event of the
learner who cast it. A learner who votes twice in a round counts with the last
vote; every vote stays in the log.
"""
from __future__ import annotations

import heapq
import math
import random
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Iterable, Mapping, Sequence

if TYPE_CHECKING:
    from mlquiz.content.models import Module
    from mlquiz.progress import Event

ROOM_LEARNER = "@room"  # the room's own timeline; '@' cannot start a typed learner name
TIMER = "timer"        # `by` of a close the vote timer made at zero
MAX_TIMER_S = 30 * 60

# The instructor's actions, in the order a full cycle uses them.
OPENED, CLOSED, HISTOGRAM, PAIRED, REVOTE, REVEALED = (
    "poll_opened", "poll_closed", "poll_histogram", "poll_paired", "poll_revote", "poll_revealed")
VOTE = "poll_vote"
CONTROL_KINDS: tuple[str, ...] = (OPENED, CLOSED, HISTOGRAM, PAIRED, REVOTE, REVEALED)
PEER_KINDS: tuple[str, ...] = CONTROL_KINDS + (VOTE,)

LOW, HIGH = 0.35, 0.70  # Mazur's rule of thumb; settings, see `suggestion`
SUGGESTIONS = {"reteach": "reteach the idea, then vote again",
               "discuss": "pair learners who disagreed, then revote",
               "explain": "explain briefly and move on"}


class PeerError(ValueError):
    """An action the room's phase does not allow; the message says why in words."""


@dataclass(frozen=True, slots=True)
class PollItem:
    """What the room votes on: a module's question or a step's prediction."""

    module: str
    item: str
    kind: str           # "question" or "prediction"
    prompt: str
    choices: tuple[str, ...]
    answer: str         # the right letter
    solution: str       # the worked solution shown at the reveal (markdown)


def poll_item(module: "Module", item_id: str) -> PollItem:
    """The question or step prediction `item_id` of `module`; PeerError if it has none.

    >>> poll_item(module, "q-debt-meaning").answer           # doctest: +SKIP
    'C'
    """
    question = module.question(item_id)
    if question is not None and question.is_numeric:
        raise PeerError(f"{question.id} is answered with a number; a vote needs a question "
                        "with options")
    if question is not None:
        steps = "\n".join(f"{n}. **{s.title}** {s.text}"
                          for n, s in enumerate(question.solution, 1))
        solution = "\n\n".join(part for part in (steps, question.final_answer) if part)
        return PollItem(module.id, question.id, "question", question.stem, question.options,
                        question.answer, solution)
    for step in module.lesson.steps:
        if step.id == item_id and step.prediction is not None:
            p = step.prediction
            return PollItem(module.id, step.id, "prediction", p.prompt, p.choices, p.answer,
                            p.explanation or step.result)
    raise PeerError(f"{module.id} has no question or step prediction {item_id!r}")


@dataclass(frozen=True, slots=True)
class Vote:
    learner: str
    option: str
    confidence: int | None
    at: datetime


@dataclass
class Poll:
    """One question's cycle, as replayed from its events."""

    id: str
    module: str
    item: str
    answer: str
    options: int
    opened_at: datetime
    phase: str = "voting"          # voting, closed, discussing, revealed
    changed_at: datetime | None = None  # the room's last action on this poll
    round: int = 1                 # 1 the first vote, 2 the revote
    histogram_shown: bool = False
    discussion_ends_at: datetime | None = None
    vote_ends_at: datetime | None = None  # the current round's timer runs out (None: no timer)
    closed_by: str | None = None   # who closed the current round: a name, or TIMER
    votes: dict[int, dict[str, Vote]] = field(default_factory=lambda: {1: {}, 2: {}})
    groups: list[tuple[str, ...]] = field(default_factory=list)
    settings: dict = field(default_factory=dict)

    def time_is_up(self, now: datetime) -> bool:
        """True once the open round's timer has run out (its close may not be recorded yet)."""
        return self.phase == "voting" and self.vote_ends_at is not None and now >= self.vote_ends_at

    def voted(self, round_: int | None = None) -> int:
        return len(self.votes[round_ or self.round])

    def counts(self, round_: int | None = None) -> dict[str, int]:
        """Votes per letter in a round, every letter present (0 when nobody chose it)."""
        letters = [chr(ord("A") + i) for i in range(self.options)]
        tally = Counter(v.option for v in self.votes[round_ or self.round].values())
        return {letter: tally.get(letter, 0) for letter in letters}

    def share_right(self, round_: int | None = None) -> float | None:
        votes = self.votes[round_ or self.round]
        return sum(v.option == self.answer for v in votes.values()) / len(votes) if votes else None

    def suggestion(self) -> str | None:
        share = self.share_right(1)
        if share is None:
            return None
        return suggestion(share, self.settings.get("low", LOW), self.settings.get("high", HIGH))

    def partners(self, learner: str) -> tuple[str, ...]:
        """The others in `learner`'s discussion group (empty when not paired)."""
        key = learner.casefold()
        for group in self.groups:
            if key in (name.casefold() for name in group):
                return tuple(name for name in group if name.casefold() != key)
        return ()

    def vote_of(self, learner: str, round_: int | None = None) -> Vote | None:
        return self.votes[round_ or self.round].get(learner.casefold())


@dataclass
class PeerRoom:
    """Every poll of a room, oldest first; `current` is the latest unless none was opened."""

    polls: list[Poll] = field(default_factory=list)
    last_control_uid: str | None = None
    late_votes: list["Event"] = field(default_factory=list)  # arrived after their round closed

    @property
    def current(self) -> Poll | None:
        return self.polls[-1] if self.polls else None

    @property
    def open_poll(self) -> Poll | None:
        poll = self.current
        return poll if poll is not None and poll.phase != "revealed" else None


def replay(events: Iterable["Event"]) -> PeerRoom:
    """The room's polls from its events (any order in; replayed in stored order)."""
    room = PeerRoom()
    by_id: dict[str, Poll] = {}
    for event in sorted((e for e in events if e.kind in PEER_KINDS), key=lambda e: e.id):
        detail = event.detail
        if event.kind == OPENED:
            poll = Poll(id=detail["poll"], module=event.module or "", item=event.item or "",
                        answer=event.answer or "", options=int(detail.get("options", 4)),
                        opened_at=event.at, changed_at=event.at,
                        settings=dict(detail.get("settings") or {}),
                        vote_ends_at=_when(detail.get("ends_at")))
            by_id[poll.id] = poll
            room.polls.append(poll)
            room.last_control_uid = event.uid
            continue
        poll = by_id.get(detail.get("poll", ""))
        if poll is None:
            continue
        if event.kind == VOTE:
            round_ = int(detail.get("round", 1))
            if poll.phase != "voting" or round_ != poll.round:
                room.late_votes.append(event)
                continue
            poll.votes[round_][event.learner.casefold()] = Vote(
                event.learner, event.answer or "", detail.get("confidence"), event.at)
            continue
        room.last_control_uid = event.uid
        poll.changed_at = event.at
        if event.kind == CLOSED:
            poll.phase, poll.closed_by = "closed", detail.get("by")
        elif event.kind == HISTOGRAM:
            poll.histogram_shown = bool(detail.get("shown", True))
        elif event.kind == PAIRED:
            poll.phase = "discussing"
            poll.groups = [tuple(g) for g in detail.get("groups", [])]
            ends = detail.get("ends_at")
            poll.discussion_ends_at = datetime.fromisoformat(ends) if ends else None
        elif event.kind == REVOTE:
            poll.phase, poll.round, poll.closed_by = "voting", 2, None
            poll.vote_ends_at = _when(detail.get("ends_at"))
        elif event.kind == REVEALED:
            poll.phase = "revealed"
    return room


def _when(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


# --- the rule, the pairing, the timer and the gain: pure functions ------------------------

_TIMER_WORDS = re.compile(r"(?:(\d+)m)?(?:(\d+)s?)?")


def timer_seconds(text: str | float | int | None) -> int | None:
    """A vote timer in seconds from what an instructor types; None for no timer.

    >>> timer_seconds("90s"), timer_seconds("2m"), timer_seconds("1m30s"), timer_seconds("1:30")
    (90, 120, 90, 90)
    >>> timer_seconds("off"), timer_seconds(0)
    (None, None)
    """
    if text is None:
        return None
    word = str(text).strip().lower().replace(" ", "")
    if word in ("", "off", "none", "no"):
        return None
    seconds: float | None = None
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        seconds = float(text)
    elif re.fullmatch(r"\d+:[0-5]\d", word):
        minutes, secs = word.split(":")
        seconds = int(minutes) * 60 + int(secs)
    else:
        found = _TIMER_WORDS.fullmatch(word)
        if found and any(found.groups()):
            seconds = int(found.group(1) or 0) * 60 + int(found.group(2) or 0)
    if seconds is None or not 0 <= seconds <= MAX_TIMER_S:
        raise PeerError(f"a vote timer is seconds (90 or 90s), minutes (2m), both (1m30s) or "
                        f"1:30, at most {MAX_TIMER_S // 60} minutes; or off; not {text!r}")
    return int(seconds) or None


def countdown(ends_at: datetime, now: datetime) -> str:
    """'m:ss' left until `ends_at` (rounded up, so it shows 0:00 only at zero).

    >>> countdown(datetime(2026, 1, 1, 9, 1, 30), datetime(2026, 1, 1, 9, 0, 0))
    '1:30'
    """
    left = max(0, math.ceil((ends_at - now).total_seconds()))
    return f"{left // 60}:{left % 60:02d}"


def suggestion(share_right: float, low: float = LOW, high: float = HIGH) -> str:
    """'reteach' below `low`, 'discuss' from `low` to `high`, 'explain' above `high`.

    >>> suggestion(0.2), suggestion(0.35), suggestion(0.7), suggestion(0.71)
    ('reteach', 'discuss', 'discuss', 'explain')
    """
    if not 0 <= low <= high <= 1:
        raise PeerError(f"thresholds must satisfy 0 <= low <= high <= 1, not {low} and {high}")
    if share_right < low:
        return "reteach"
    return "discuss" if share_right <= high else "explain"


def pair_learners(votes: Mapping[str, str | None], *, seed: int = 0) -> list[tuple[str, ...]]:
    """Discussion groups: each voter with someone who chose another option where the room
    allows it, pairs spread across options; an odd count makes one group of three; learners
    who did not vote (None) are paired with each other.

    >>> pair_learners({"ada": "A", "bo": "A", "cy": "B", "di": "C"})
    [('bo', 'cy'), ('ada', 'di')]
    >>> pair_learners({"ada": "A", "bo": None, "cy": None})
    [('ada', 'bo', 'cy')]

    A lone learner with nobody to talk to comes back as a group of one.
    """
    rng = random.Random(seed)
    by_option: dict[str, list[str]] = defaultdict(list)
    silent: list[str] = []
    for name in sorted(votes):
        (silent if votes[name] is None else by_option[votes[name]]).append(name)
    for members in by_option.values():
        rng.shuffle(members)
    rng.shuffle(silent)
    # Always pair from the two largest groups: no option is left with only itself to talk to.
    heap = [(-len(members), option) for option, members in sorted(by_option.items())]
    heapq.heapify(heap)
    groups: list[list[str]] = []
    while len(heap) >= 2:
        size_a, a = heapq.heappop(heap)
        size_b, b = heapq.heappop(heap)
        groups.append([by_option[a].pop(), by_option[b].pop()])
        for size, option in ((size_a + 1, a), (size_b + 1, b)):
            if size < 0:
                heapq.heappush(heap, (size, option))
    left = [name for _, option in heap for name in by_option[option]]  # all of one option
    while len(left) >= 2:
        groups.append([left.pop(), left.pop()])
    alone: list[str] = []
    if left:
        if groups:
            _join_odd_one(left[0], groups, votes)
        else:
            alone.append(left[0])
    silent_groups = [silent[i:i + 2] for i in range(0, len(silent) - 1, 2)]
    if len(silent) % 2:
        if silent_groups:
            silent_groups[-1].append(silent[-1])
        elif groups:
            _join_odd_one(silent[-1], groups, votes)
        else:
            alone.append(silent[-1])
    everyone = groups + silent_groups
    if alone and (len(alone) == 2 or not everyone):
        everyone.append(alone)
    elif alone:
        everyone[-1].extend(alone)  # one learner left over joins the last group
    return [tuple(sorted(g)) for g in everyone]


def _join_odd_one(name: str, groups: list[list[str]], votes: Mapping[str, str | None]) -> None:
    """Make a group of three: prefer a pair whose options both differ from this learner's."""
    if not groups:
        return
    mine = votes.get(name)
    for group in reversed(groups):
        if all(votes.get(other) != mine for other in group):
            group.append(name)
            return
    groups[-1].append(name)


def discussion_note(poll: Poll, learner: str) -> str:
    """Whom `learner` talks to in the discussion, and why, from the first vote of each member
    of their group; no one's letter is named (nobody sees who voted what).

    In a group of three where two agree, each of the two is sent to the one who chose
    differently, and told that the other chose as they did.

    >>> discussion_note(poll, "ada")                                # doctest: +SKIP
    'Talk to cy, who chose differently from you; bo chose as you did: ...'
    """
    partners = poll.partners(learner)
    if not partners:
        return "Talk with your neighbours about the question."
    everyone = sequence(list(partners))
    mine = poll.vote_of(learner, 1)
    theirs = {name: poll.vote_of(name, 1) for name in partners}
    voted = [name for name in partners if theirs[name] is not None]
    silent = [name for name in partners if theirs[name] is None]
    if mine is None:
        if not voted:
            return f"Talk to {everyone}: none of you voted; work the question out together."
        return (f"Talk to {everyone}: you did not vote; ask {sequence(voted)} why they chose "
                "their answer, then make up your own mind.")
    if not voted:
        them = "neither of them voted" if len(silent) > 1 else "they did not vote"
        return f"Talk to {everyone}: {them}; explain your answer and ask what they think."
    differ = [name for name in voted if theirs[name].option != mine.option]
    same = [name for name in voted if theirs[name].option == mine.option]
    explain = "Explain your reasons to each other."
    if differ and same:
        text = (f"Talk to {sequence(differ)}, who chose differently from you; "
                f"{sequence(same)} chose as you did: explain your reasons together and "
                "hear the other side.")
    elif len(differ) == 1:
        text = f"Talk to {everyone}: you chose differently. {explain}"
    elif differ and len({theirs[name].option for name in differ}) == len(differ):
        text = f"Talk to {everyone}: each of you chose a different answer. {explain}"
    elif differ:
        both = "both" if len(differ) == 2 else "all"
        text = f"Talk to {everyone}: {both} chose differently from you. {explain}"
    elif silent:
        text = f"Talk to {everyone}: {sequence(same)} chose as you did."
    else:
        text = (f"Talk to {everyone}: you all chose the same answer. Check each other's "
                "reasons: would they convince someone who chose otherwise?")
    if silent:
        text += f" {sequence(silent)} did not vote: ask what they think."
    return text


def normalised_gain(pre: float, post: float) -> float | None:
    """Hake's gain from share right before and after (fractions); None when pre is 100%.

    >>> round(normalised_gain(0.5, 0.75), 3)
    0.5
    """
    if pre >= 1:
        return None
    return round((post - pre) / (1 - pre), 12)


@dataclass(frozen=True, slots=True)
class PollResult:
    """What one question's discussion did."""

    poll: str
    module: str
    item: str
    first_n: int
    first_right: float | None
    second_n: int
    second_right: float | None
    gain: float | None
    switches: dict[str, int]     # right->right, wrong->right, right->wrong, wrong->wrong
    confidence_first: float | None
    confidence_second: float | None
    confidence_moves: dict[str, int]  # up, same, down (learners who gave both)
    suggestion: str | None

    def as_dict(self) -> dict:
        return {name: getattr(self, name) for name in self.__slots__}


SWITCH_KEYS = ("right->right", "wrong->right", "right->wrong", "wrong->wrong")


def poll_result(poll: Poll) -> PollResult:
    """The first and second share right, the gain, the switch matrix and the confidence."""
    first, second = poll.votes[1], poll.votes[2]
    switches = dict.fromkeys(SWITCH_KEYS, 0)
    moves = {"up": 0, "same": 0, "down": 0}
    for key, before in first.items():
        after = second.get(key)
        if after is None:
            continue
        was = "right" if before.option == poll.answer else "wrong"
        now = "right" if after.option == poll.answer else "wrong"
        switches[f"{was}->{now}"] += 1
        if before.confidence is not None and after.confidence is not None:
            moves["up" if after.confidence > before.confidence
                  else "down" if after.confidence < before.confidence else "same"] += 1
    pre, post = poll.share_right(1), poll.share_right(2)
    gain = normalised_gain(pre, post) if pre is not None and post is not None else None
    return PollResult(poll.id, poll.module, poll.item, len(first), pre, len(second), post, gain,
                      switches, _mean_confidence(first.values()),
                      _mean_confidence(second.values()), moves, poll.suggestion())


def _mean_confidence(votes: Iterable[Vote]) -> float | None:
    given = [v.confidence for v in votes if v.confidence is not None]
    return sum(given) / len(given) if given else None


def results(room: PeerRoom) -> list[PollResult]:
    """Every poll's result, oldest first (for the report's "Peer instruction" section)."""
    return [poll_result(poll) for poll in room.polls]


def histogram_lines(counts: Mapping[str, int], answer: str | None = None,
                    width: int = 30) -> list[str]:
    """A text bar chart of one round's votes; the right letter is marked when given.

    >>> histogram_lines({"A": 2, "B": 1}, answer="A", width=4)
    ['A ████ 2 (67%) ✓', 'B ██ 1 (33%)']
    """
    total = sum(counts.values())
    top = max(counts.values(), default=0)
    lines = []
    for letter, count in counts.items():
        bar = "█" * (round(width * count / top) if top else 0)
        share = f" ({count / total:.0%})" if total else ""
        mark = " ✓" if answer is not None and letter == answer else ""
        lines.append(f"{letter} {bar} {count}{share}{mark}".replace("  ", " "))
    return lines


def sequence(values: Sequence[str]) -> str:
    """'ada', 'ada and bo', 'ada, bo and cy': a group's names in words."""
    if len(values) <= 1:
        return "".join(values)
    return f"{', '.join(values[:-1])} and {values[-1]}"
