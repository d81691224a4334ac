"""Where a learner stands on each build-up step, for the step list and the plain path.

A step with a prediction is done only once the prediction is committed, or once the
learner chose to see the answer without predicting (a `solution_revealed` event with
mode "buildup"); seen but neither is "waiting": they may come back to it.

>>> step_state("step-1", has_prediction=True, seen={"step-1"}, committed={}, shown=set())
'waiting'
>>> [STEP_MARKS[s] for s in ("done", "waiting", "shown", "unseen")]
['✓', '?', '○', '·']
"""
from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mlquiz.progress import Event

STEP_MARKS = {"done": "✓", "waiting": "?", "shown": "○", "unseen": "·"}
STEP_LEGEND = "✓ done · ? predict · ○ shown"


def step_state(step_id: str, *, has_prediction: bool, seen: Collection[str],
               committed: Mapping[str, str], shown: Collection[str]) -> str:
    """'done', 'waiting' (seen, prediction open), 'shown' (answer seen unpredicted) or 'unseen'."""
    if has_prediction and step_id in committed:
        return "done"
    if has_prediction and step_id in shown:
        return "shown"
    if step_id not in seen:
        return "unseen"
    return "waiting" if has_prediction else "done"


def shown_unpredicted(events: Iterable[Event]) -> set[str]:
    """Steps whose answer the learner chose to see without predicting."""
    return {e.item for e in events if e.kind == "solution_revealed" and e.item
            and (e.detail or {}).get("mode") == "buildup"}
