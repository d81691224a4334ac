"""Turn GIFT questions into the YAML of a module's questions file.

>>> text, notes = gift_to_yaml(parse_gift(src).questions, taken_ids=set())   # doctest: +SKIP

GIFT has no hint, worked solution, quick check, common mistakes, kind or
tags, which every mlquiz question carries. They are built from what the GIFT
question does say (its feedback and right option), and `notes` names each
one so the author can sharpen them.
"""
from __future__ import annotations

import re

import yaml

from mlquiz.content.models import DIFFICULTIES, letter
from mlquiz.workshop.gift import GiftQuestion


class _BlockDumper(yaml.SafeDumper):
    """Multi-line text as `|` blocks, so code and logs keep their lines."""


def _str(dumper: yaml.SafeDumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_BlockDumper.add_representer(str, _str)


def _slug(text: str) -> str:
    words = re.findall(r"[a-z0-9]+", text.lower())
    return "-".join(words[:6]) or "question"


def _unique_id(name: str, taken: set[str]) -> str:
    base = f"q-{_slug(name)}"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    taken.add(candidate)
    return candidate


def _difficulty(category: str) -> str | None:
    last = category.rsplit("/", 1)[-1].strip().lower()
    return last if last in DIFFICULTIES else None


def question_entry(q: GiftQuestion, question_id: str, default_difficulty: str) -> dict:
    feedback = dict(q.feedback)
    right = q.options[ord(q.answer) - 65]
    explanation = feedback.get(q.answer) or q.general_feedback or f"The right answer is: {right}"
    wrong = [(letter(i), o) for i, o in enumerate(q.options) if letter(i) != q.answer]
    entry = {
        "id": question_id,
        "difficulty": _difficulty(q.category) or default_difficulty,
        "kind": "term",
        "stem": q.stem,
        "options": list(q.options),
        "answer": q.answer,
        "hint": "Rule out the options you can disprove first, then compare what is left.",
        "solution": [{"title": "Why the right answer is right", "text": explanation}],
        "final_answer": right,
        "quick_check": q.general_feedback or f"Could you say why '{right}' is right without the options?",
        "common_mistakes": [feedback.get(k) or f"Choosing '{o}'" for k, o in wrong],
        "tags": [],
    }
    if feedback:
        entry["feedback"] = feedback
    if q.general_feedback:
        entry["general_feedback"] = q.general_feedback
    return entry


def gift_to_yaml(questions: list[GiftQuestion], *, taken_ids: set[str],
                 default_difficulty: str = "medium", source: str = "GIFT") -> tuple[str, list[str]]:
    """YAML text for a questions file, and notes on what was filled in."""
    entries, notes = [], []
    for q in questions:
        entry = question_entry(q, _unique_id(q.name, taken_ids), default_difficulty)
        entries.append(entry)
        if _difficulty(q.category) is None:
            notes.append(f"{entry['id']}: GIFT has no difficulty; set to {default_difficulty}")
    if entries:
        notes.append(f"GIFT has no hint, worked solution, quick check, kind or tags: the "
                     f"{len(entries)} imported question(s) got ones built from their feedback; "
                     "review them")
    header = f"# Imported from {source} by `mlquiz gift import`.\n"
    body = yaml.dump({"questions": entries}, Dumper=_BlockDumper, sort_keys=False,
                     allow_unicode=True, width=88)
    return header + body, notes
