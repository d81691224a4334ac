"""Turn GIFT questions into the YAML of a module's questions file.

>>> text, notes = gift_to_yaml(parse_gift(src).questions, taken_ids=set())   # doctest: +SKIP

GIFT has no hint, worked solution, quick check, common mistakes, kind or
tags, which every mlquiz question carries. They are built from what the GIFT
question does say (its feedback and right option; the hint from the comment
an mlquiz export leaves), and `notes` says so, so the author can sharpen them.

Ids: a GIFT name that already is an id (what `mlquiz gift export` writes) is
kept, so a round trip keeps the learners' history connected; any other name,
or the stem when there is none, gives `q-` and its first six words in ASCII
letters (accents dropped, ß -> ss, Greek and Cyrillic spelled out). An id
the course already has gets `-2`, `-3`..., named in a note.
"""
from __future__ import annotations

import re
import unicodedata

import yaml

from mlquiz.content.decode import ID_PATTERN
from mlquiz.content.models import DIFFICULTIES, letter
from mlquiz.terminal_text import clean
from mlquiz.workshop.gift import GiftQuestion


class _BlockDumper(yaml.SafeDumper):
    """Multi-line text as `|` blocks, so code and logs keep their lines."""


def _str(dumper: yaml.SafeDumper, value: str):
    # A bank is someone else's text: no control characters or bidi overrides reach the course.
    value = clean(value)
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_BlockDumper.add_representer(str, _str)


# Letters NFKD does not split into an ASCII letter and marks, and two scripts written
# letter by letter, so a German, Polish, Greek or Russian name keeps a readable id.
_LETTERS = {"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ł": "l", "þ": "th", "ð": "d",
            "ı": "i", "ŋ": "ng"}
_LETTERS.update(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
                    "a b v g d e e zh z i i k l m n o p r s t u f kh ts ch sh shch - y - e yu ya"
                    .split(" ")))
_LETTERS.update(zip("αβγδεζηθικλμνξοπρσςτυφχψω",
                    "a v g d e z i th i k l m n x o p r s s t y f ch ps o".split(" ")))


def ascii_words(text: str) -> list[str]:
    """'Größe der Überwachung' -> ['grosse', 'der', 'uberwachung'].

    >>> ascii_words("Дрейф данных: PSI")
    ['dreif', 'dannykh', 'psi']
    """
    out = []
    for ch in unicodedata.normalize("NFKD", text.lower()):
        if unicodedata.combining(ch):
            continue
        mapped = _LETTERS.get(ch, ch)
        out.append("" if mapped == "-" else mapped)
    return re.findall(r"[a-z0-9]+", "".join(out))


def _slug(text: str) -> str:
    return "-".join(ascii_words(text)[:6])


def _unique_id(q: GiftQuestion, index: int, taken: set[str],
               notes: list[str], where: str) -> str:
    """The GIFT name itself when it is already an id (a round trip keeps ids, so learners'
    history still connects), else `q-` and the words of the name or stem."""
    if ID_PATTERN.match(q.name):
        base = q.name
    else:
        base = f"q-{_slug(q.name) or _slug(q.stem) or f'question-{index + 1}'}"
        if q.name and not _slug(q.name):
            notes.append(f"{where}: '{q.name}' has no letters an id can spell; its id is "
                         f"'{base}' (rename it in the YAML if you like)")
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    if candidate != base and base == q.name:
        notes.append(f"{where}: '{q.name}' is already a question id in the course; imported as "
                     f"'{candidate}', so its answers so far stay with the existing '{q.name}'")
    taken.add(candidate)
    return candidate


def _difficulty(category: str) -> str | None:
    last = category.rsplit("/", 1)[-1].strip().lower()
    return last if last in DIFFICULTIES else None


def numeric_entry(q: GiftQuestion, question_id: str, default_difficulty: str) -> dict:
    """A numerical GIFT question as a numeric question (answer_type: number)."""
    from mlquiz.content.models import format_number

    number = q.number
    right = format_number(number.value)
    explanation = number.feedback or q.general_feedback or f"The right value is {right}."
    block: dict = {"value": number.value}
    if number.margin:
        block["tolerance"] = number.margin
    if number.wrong_values:
        block["wrong_values"] = [
            {"value": value, **({"tolerance": margin} if margin else {}),
             "feedback": fb or f"{format_number(value)} is a common wrong value."}
            for value, margin, fb in number.wrong_values]
    entry = {
        "id": question_id,
        "difficulty": _difficulty(q.category) or default_difficulty,
        "kind": "calculation",
        "answer_type": "number",
        "stem": q.stem,
        "number": block,
        "hint": q.hint or "Write down what is given and what is asked, then the formula that links them.",
        "solution": [{"title": "Why the right value is right", "text": explanation}],
        "final_answer": right,
        "quick_check": q.general_feedback or f"Does {right} have the size and sign you expect?",
        "common_mistakes": [fb for _, _, fb in number.wrong_values if fb]
        or ["Rounding too early, before the last step."],
        "tags": [],
    }
    if q.general_feedback:
        entry["general_feedback"] = q.general_feedback
    return entry


def question_entry(q: GiftQuestion, question_id: str, default_difficulty: str) -> dict:
    if q.number is not None:
        return numeric_entry(q, question_id, default_difficulty)
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
        "hint": q.hint or "Rule out the options you can disprove first, then compare what is left.",
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
    for index, q in enumerate(questions):
        where = f"{source}:{q.line}"
        entry = question_entry(q, _unique_id(q, index, taken_ids, notes, where), default_difficulty)
        entries.append(entry)
        if _difficulty(q.category) is None:
            notes.append(f"{entry['id']}: GIFT has no difficulty; set to {default_difficulty}")
    if entries:
        hints = sum(1 for q in questions if q.hint)
        kept = f" (the hints of {hints} came back from an mlquiz export's comments)" if hints else ""
        notes.append(f"GIFT has no hint, worked solution, quick check, kind or tags: the "
                     f"{len(entries)} imported question(s) got ones built from their feedback"
                     f"{kept}; review them")
    header = f"# Imported from {source} by `mlquiz gift import`.\n"
    body = yaml.dump({"questions": entries}, Dumper=_BlockDumper, sort_keys=False,
                     allow_unicode=True, width=88)
    return header + body, notes
