"""A module's questions as Moodle GIFT.

>>> escape("a = {b}: ~c #d")
'a \\\\= \\\\{b\\\\}\\\\: \\\\~c \\\\#d'
>>> answer_text("%50% of the rows")      # not read as a 50% weight
'[markdown]%50% of the rows'

Every text is escaped as Moodle's exporter does (`\\\\ \\# \\= \\~ \\{ \\} \\:`, a
newline as `\\n`), and `->` is written `-\\>` so no reader takes it for a
matching pair (markdown shows `\\>` as `>`). A numeric question is written in Moodle's numerical form
(`{#0.2282:0.005}`; its common wrong values as 0% answers with their feedback).
The question text carries
`[markdown]`; options and feedback inherit it, except one that starts with
`%` (it would read as an answer weight) or `[` (as a format marker), which
gets its own `[markdown]`: Moodle reads the weight before the marker and the
marker before the text, so such a text arrives unchanged.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from mlquiz.content.models import format_number, letter

if TYPE_CHECKING:
    from mlquiz.content.models import Question

NOT_IN_GIFT = ("hint", "worked solution", "quick check", "common mistakes", "tags", "kind")
MARKER = "[markdown]"


def escape(text: str) -> str:
    """Escape what GIFT reserves; one line."""
    out = text.replace("\\", "\\\\")
    for ch in "#=~{}:":
        out = out.replace(ch, "\\" + ch)
    out = out.replace("->", "-\\>")
    return out.replace("\r", "").replace("\n", "\\n")


def answer_text(text: str) -> str:
    """An option or feedback text, with its own marker when it could be misread."""
    text = text.strip()
    return (MARKER if text.startswith(("%", "[")) else "") + escape(text)


def _numerical_lines(q: Question, warnings: list[str]) -> list[str]:
    """Moodle's numerical form: `#value:margin` alone, or `#` then `=value:margin` and a
    `=%0%value:margin#feedback` per common wrong value. A relative tolerance is written as
    its absolute margin; units have no GIFT form and are dropped, with a warning."""
    number = q.number
    right = f"{format_number(number.value)}:{format_number(number.margin)}"
    if number.units:
        warnings.append(f"{q.id}: GIFT has no units; '{number.units}' is dropped, so Moodle "
                        "takes the number alone")
    if not number.wrong_values:
        return [f"\t#{right}"]
    lines = ["\t#", f"\t={right}"]
    for wrong in number.wrong_values:
        spec = f"{format_number(wrong.value)}:{format_number(wrong.tolerance)}"
        lines.append(f"\t=%0%{spec}" + (f"#{answer_text(wrong.feedback)}" if wrong.feedback else ""))
    return lines


def to_gift(module_id: str, questions: list[Question]) -> tuple[str, list[str]]:
    """The questions as GIFT text, and warnings naming what GIFT cannot carry.

    Difficulty goes into the category ($CATEGORY: module/difficulty); the
    hint is kept in a `// question: ID  hint: TEXT` comment (newlines as \\n),
    which Moodle ignores and `gift.parse_gift` reads back.
    """
    lines = [f"// mlquiz module {module_id}: exported questions", ""]
    warnings: list[str] = []
    by_difficulty: dict[str, list[Question]] = {}
    for q in questions:
        by_difficulty.setdefault(q.difficulty, []).append(q)
    for difficulty, group in by_difficulty.items():
        lines += [f"$CATEGORY: {escape(module_id)}/{difficulty}", ""]
        for q in group:
            hint = q.hint.strip().replace("\\", "\\\\").replace("\n", "\\n")
            lines.append(f"// question: {q.id}  hint: {hint}")
            lines.append(f"::{escape(q.id)}::{MARKER}{escape(q.stem.strip())} {{")
            if q.is_numeric:
                lines += _numerical_lines(q, warnings)
                general = q.general_feedback or q.final_answer
                if general.strip():
                    lines.append(f"\t####{answer_text(general)}")
                lines += ["}", ""]
                continue
            feedback = dict(q.feedback)
            for i, option in enumerate(q.options):
                mark = "=" if i == q.right_index else "~"
                fb = feedback.get(letter(i), "")
                lines.append(f"\t{mark}{answer_text(option)}" + (f"#{answer_text(fb)}" if fb else ""))
            general = q.general_feedback or q.final_answer
            if general.strip():
                lines.append(f"\t####{answer_text(general)}")
            lines += ["}", ""]
    if questions:
        warnings.append(
            f"GIFT cannot express {', '.join(NOT_IN_GIFT)}: they are not exported for "
            f"{len(questions)} question(s) (the hint is kept as a comment, difficulty as the category)")
    return "\n".join(lines), warnings
