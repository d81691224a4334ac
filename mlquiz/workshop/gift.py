"""Moodle GIFT in and out: multiple-choice and true/false questions.

>>> parsed = parse_gift("::Q1:: What is CACE? {=Changing anything changes everything#Yes ~A cache#No}")
>>> parsed.questions[0].options, parsed.questions[0].answer
(('Changing anything changes everything', 'A cache'), 'A')

Parsing never drops a question silently: one it cannot turn into a
one-right-answer question (short answer, matching, numerical, essay, partial
credit) is named in `warnings` with its line.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from mlquiz.content.models import LETTERS, Question, letter

_ESCAPES = {"\\\\": "\\", "\\:": ":", "\\#": "#", "\\=": "=", "\\{": "{", "\\}": "}", "\\~": "~", "\\n": "\n"}
_SPECIAL = "~=#{}:"


@dataclass(frozen=True)
class GiftQuestion:
    """One question as read from GIFT: enough to write a content YAML entry."""

    name: str
    stem: str
    options: tuple[str, ...]
    answer: str
    feedback: tuple[tuple[str, str], ...]
    general_feedback: str
    category: str
    line: int


@dataclass
class GiftParse:
    questions: list[GiftQuestion] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def unescape(text: str) -> str:
    """'a \\= b' -> 'a = b'."""
    return re.sub(r"\\[\\:#={}~n]", lambda m: _ESCAPES[m.group(0)], text).strip()


def escape(text: str) -> str:
    """Escape GIFT's control characters: 'a = b' -> 'a \\= b'."""
    out = text.replace("\\", "\\\\")
    for ch in _SPECIAL:
        out = out.replace(ch, "\\" + ch)
    return out.replace("\n", "\\n")


def _split_unescaped(text: str, separators: str) -> list[tuple[str, str]]:
    """Split on unescaped separator characters, keeping which one started each part."""
    parts: list[tuple[str, str]] = []
    current, marker, i = [], "", 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            current.append(text[i : i + 2])
            i += 2
            continue
        if ch in separators:
            parts.append((marker, "".join(current)))
            current, marker = [], ch
        else:
            current.append(ch)
        i += 1
    parts.append((marker, "".join(current)))
    return parts


def _find_unescaped(text: str, char: str, start: int = 0) -> int:
    i = start
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text[i] == char:
            return i
        i += 1
    return -1


def _blocks(source: str) -> list[tuple[int, str]]:
    """Question texts with their first line number; comments removed, categories kept."""
    blocks, current, start = [], [], 0
    for number, raw in enumerate(source.splitlines(), start=1):
        line = raw.rstrip()
        if line.lstrip().startswith("//"):
            continue
        if not line.strip():
            if current:
                blocks.append((start, "\n".join(current)))
                current = []
            continue
        if not current:
            start = number
        current.append(line)
    if current:
        blocks.append((start, "\n".join(current)))
    return blocks


def parse_gift(source: str, *, filename: str = "<gift>") -> GiftParse:
    result = GiftParse()
    category = ""
    for line_no, block in _blocks(source):
        if block.startswith("$CATEGORY:"):
            category = block.split(":", 1)[1].strip()
            continue
        where = f"{filename}:{line_no}"
        name = ""
        text = block
        if text.startswith("::"):
            end = text.find("::", 2)
            if end > 0:
                name, text = unescape(text[2:end]), text[end + 2 :]
        text = re.sub(r"^\s*\[(html|moodle|plain|markdown)\]", "", text)
        open_at = _find_unescaped(text, "{")
        close_at = _find_unescaped(text, "}", open_at + 1) if open_at >= 0 else -1
        label = f"'{name}'" if name else "a question"
        if open_at < 0 or close_at < 0:
            result.warnings.append(f"{where}: {label} has no answer block {{...}}; skipped (a description or broken question)")
            continue
        before, body, after = text[:open_at], text[open_at + 1 : close_at].strip(), text[close_at + 1 :]
        stem = unescape(before)
        if after.strip():
            stem = f"{stem} _____ {unescape(after)}"
        parsed = _parse_answers(body, label, where, result.warnings)
        if parsed is None:
            continue
        options, right, feedback, general = parsed
        result.questions.append(GiftQuestion(
            name=name or f"question {len(result.questions) + 1}", stem=stem or name,
            options=tuple(options), answer=letter(right), feedback=tuple(feedback),
            general_feedback=general, category=category, line=line_no))
    return result


def _parse_answers(body: str, label: str, where: str, warnings: list[str]):
    general = ""
    general_at = body.find("####")
    if general_at >= 0:
        body, general = body[:general_at], unescape(body[general_at + 4 :])
    compact = body.strip()
    if re.fullmatch(r"(T|TRUE|F|FALSE)(#.*)?", compact, flags=re.S):
        value, *fb = _split_unescaped(compact, "#")
        truth = value[1].strip().upper().startswith("T")
        feedback = []
        if fb:
            # GIFT: the first feedback is shown for a wrong answer, the second for a right one.
            wrong_fb = unescape(fb[0][1])
            right_fb = unescape(fb[1][1]) if len(fb) > 1 else ""
            right_letter, wrong_letter = ("A", "B") if truth else ("B", "A")
            feedback = [(right_letter, right_fb), (wrong_letter, wrong_fb)]
            feedback = [(k, v) for k, v in sorted(feedback) if v]
        return ["True", "False"], (0 if truth else 1), feedback, general
    if not compact:
        warnings.append(f"{where}: {label} is an essay question; mlquiz has no free-text answers, skipped")
        return None
    if compact.startswith("#"):
        warnings.append(f"{where}: {label} is a numerical question; mlquiz has no numeric answers, skipped")
        return None
    if "->" in compact:
        warnings.append(f"{where}: {label} is a matching question; mlquiz has no matching, skipped")
        return None
    options, feedback, right = [], [], []
    for marker, part in _split_unescaped(compact, "=~"):
        if not marker:
            if part.strip():
                warnings.append(f"{where}: {label} has text before its first answer; skipped")
                return None
            continue
        weight = re.match(r"\s*%(-?\d+(?:\.\d+)?)%", part)
        if weight:
            part = part[weight.end():]
            if marker == "~" and float(weight.group(1)) > 0:
                warnings.append(f"{where}: {label} gives partial credit ({weight.group(1)}%); "
                                "mlquiz has one right answer, so this option counts as wrong")
        pieces = _split_unescaped(part, "#")
        option_text = unescape(pieces[0][1])
        option_feedback = unescape("#".join(p for _, p in pieces[1:])) if len(pieces) > 1 else ""
        if marker == "=":
            right.append(len(options))
        options.append(option_text)
        if option_feedback:
            feedback.append((letter(len(options) - 1), option_feedback))
    if not right:
        warnings.append(f"{where}: {label} has no right answer (=); skipped")
        return None
    if len(options) == len(right):
        warnings.append(f"{where}: {label} is a short-answer question (every answer is right); "
                        "mlquiz needs wrong options too, skipped")
        return None
    if len(right) > 1:
        warnings.append(f"{where}: {label} has {len(right)} right answers; mlquiz keeps exactly one, skipped")
        return None
    if len(options) > len(LETTERS):
        warnings.append(f"{where}: {label} has more than {len(LETTERS)} options; skipped")
        return None
    return options, right[0], feedback, general


# --- export --------------------------------------------------------------------

NOT_IN_GIFT = ("hint", "worked solution", "quick check", "common mistakes", "tags", "kind")


def to_gift(module_id: str, questions: list[Question]) -> tuple[str, list[str]]:
    """The questions as GIFT text, and warnings naming what GIFT cannot carry.

    Difficulty goes into the category ($CATEGORY: module/difficulty); the
    hint and the final answer are kept as `//` comments, which Moodle ignores.
    """
    lines = [f"// mlquiz module {module_id}: exported questions", ""]
    by_difficulty: dict[str, list[Question]] = {}
    for q in questions:
        by_difficulty.setdefault(q.difficulty, []).append(q)
    for difficulty, group in by_difficulty.items():
        lines += [f"$CATEGORY: {module_id}/{difficulty}", ""]
        for q in group:
            lines.append(f"// hint: {q.hint.strip().replace(chr(10), ' ')}")
            lines.append(f"::{escape(q.id)}::[markdown]{escape(q.stem.strip())} {{")
            feedback = dict(q.feedback)
            for i, option in enumerate(q.options):
                mark = "=" if i == q.right_index else "~"
                fb = feedback.get(letter(i), "")
                lines.append(f"\t{mark}{escape(option)}" + (f"#{escape(fb)}" if fb else ""))
            general = q.general_feedback or q.final_answer
            if general.strip():
                lines.append(f"\t####{escape(general.strip())}")
            lines += ["}", ""]
    warnings = []
    if questions:
        warnings.append(
            f"GIFT cannot express {', '.join(NOT_IN_GIFT)}: they are not exported for "
            f"{len(questions)} question(s) (the hint is kept as a comment, difficulty as the category)")
    return "\n".join(lines), warnings
