"""The report's "Peer instruction" section, in each of the report's formats.

>>> print("\\n".join(table_lines(results)))        # doctest: +SKIP
Peer instruction (normalised gain = (after - before) / (100% - before))
  q-glue-code  ml-technical-debt  first 40% (10)  revote 70% (10)  gain 0.50 ...
"""
from __future__ import annotations

from typing import Sequence

from mlquiz.workshop.peer import SWITCH_KEYS, PollResult

TITLE = "Peer instruction"
EXPLAIN = ("share right on the first vote and on the revote after discussion; normalised gain "
           "= (revote - first) / (100% - first), Hake's measure of what the discussion did")


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def _gain(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def _confidence(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


HEADERS = ["question", "module", "first right (n)", "revote right (n)", "gain",
           "right→right", "wrong→right", "right→wrong", "wrong→wrong", "confidence first→revote",
           "suggested"]


def rows(results: Sequence[PollResult], stems: dict[str, str] | None = None) -> list[list[str]]:
    stems = stems or {}
    out = []
    for r in results:
        name = r.item if r.item not in stems else f"{r.item}: {stems[r.item]}"
        out.append([name, r.module, f"{_pct(r.first_right)} ({r.first_n})",
                    f"{_pct(r.second_right)} ({r.second_n})", _gain(r.gain),
                    *(str(r.switches[k]) for k in SWITCH_KEYS),
                    f"{_confidence(r.confidence_first)}→{_confidence(r.confidence_second)}",
                    r.suggestion or "–"])
    return out


def csv_rows(results: Sequence[PollResult]) -> list[list[object]]:
    """Plain numbers for a spreadsheet, headed by the report's `section` column."""
    header = ["section", "poll", "module", "question", "first_n", "first_right", "second_n",
              "second_right", "gain", *SWITCH_KEYS, "confidence_first", "confidence_second",
              "suggestion"]
    body = [["peer_instruction", r.poll, r.module, r.item, r.first_n, r.first_right, r.second_n,
             r.second_right, r.gain, *(r.switches[k] for k in SWITCH_KEYS),
             r.confidence_first, r.confidence_second, r.suggestion] for r in results]
    return [header, *body]


def as_json(results: Sequence[PollResult]) -> list[dict]:
    return [r.as_dict() for r in results]
