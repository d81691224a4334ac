"""The report's "Peer instruction" section, in each of the report's formats.

>>> print("\\n".join(table_lines(results)))        # doctest: +SKIP
Peer instruction (normalised gain = (after - before) / (100% - before))
  q-glue-code  ml-technical-debt  first 40% (10)  revote 70% (10)  gain 0.50 ...
"""
from __future__ import annotations

import html
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


def html_section(results: Sequence[PollResult], stems: dict[str, str] | None = None) -> str:
    """A heading, one paired bar chart (first vote vs revote) per question, and the table."""
    if not results:
        return ""
    stems = stems or {}
    parts = [f"<h2>{TITLE}</h2><p class='muted'>{html.escape(EXPLAIN)}.</p>"]
    for r in results:
        title = html.escape(stems.get(r.item, r.item))
        parts.append(f"<div class='q'><h3>{title} <span class='id'>{html.escape(r.item)} · "
                     f"{html.escape(r.module)}</span></h3>{_bars(r)}"
                     f"<p class='figs'>gain {_gain(r.gain)} · "
                     + " · ".join(f"{k} {r.switches[k]}" for k in SWITCH_KEYS) + "</p></div>")
    cells = "".join(f"<th>{html.escape(h)}</th>" for h in HEADERS)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>"
                   for row in rows(results))
    parts.append(f"<table><tr>{cells}</tr>{body}</table>")
    return "".join(parts)


def _bars(r: PollResult) -> str:
    """Two horizontal bars, first vote and revote, share right out of 100%."""
    out = ["<svg width='420' height='56' role='img' aria-label='share right before and after'>"]
    for n, (label, value, count) in enumerate((("first vote", r.first_right, r.first_n),
                                               ("revote", r.second_right, r.second_n))):
        y = 4 + n * 26
        width = 0 if value is None else round(260 * value)
        out.append(f"<text x='0' y='{y + 15}'>{label}</text>"
                   f"<rect x='80' y='{y}' width='260' height='20' fill='#eef0f4'/>"
                   f"<rect class='bar' x='80' y='{y}' width='{width}' height='20'/>"
                   f"<text x='348' y='{y + 15}'>{_pct(value)} of {count}</text>")
    out.append("</svg>")
    return "".join(out)
