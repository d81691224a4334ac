"""A module's lesson as plain text blocks: the deep dive's sections and the cheat sheet.

Section ids and order are the app's deep dive's (`mlquiz.tui.lesson_sections`),
so a place saved by either resumes in the other; this module builds plain text
where that one builds markdown for Textual, and imports no Textual.

>>> [s.id for s in lesson_sections(module)][:3]          # doctest: +SKIP
['overview', 'mental-model', 'step-what-is-debt']
>>> print(cheat_sheet_blocks(module)[0])                 # doctest: +SKIP
Core idea: ...
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from mlquiz.content.models import LETTERS
from mlquiz.content.plain_text import inline_text, labelled, plain_text

if TYPE_CHECKING:
    from mlquiz.content.models import Module

DIAGRAM_START = "Diagram:"
DIAGRAM_END = "End of diagram."


@dataclass(frozen=True)
class PlainSection:
    id: str
    title: str
    blocks: tuple[str, ...]  # plain text, printed with a blank line between


def diagram(text: str) -> str:
    """A diagram kept exactly as written, set off by a line before and after."""
    return f"{DIAGRAM_START}\n{text.rstrip()}\n{DIAGRAM_END}"


def bullets(items) -> str:
    return "\n".join(f"- {inline_text(item)}" for item in items)


def _blocks(*blocks: str) -> tuple[str, ...]:
    return tuple(block for block in blocks if block and block.strip())


def lesson_sections(module: Module) -> list[PlainSection]:
    lesson = module.lesson
    o = lesson.overview
    fits = o.where_it_fits
    sections = [PlainSection("overview", "Overview", _blocks(
        labelled("What it is", o.what), labelled("Why it matters", o.why),
        labelled("Where it fits", fits.text),
        f"Before: {', '.join(fits.prerequisites) or 'nothing'}. "
        f"Next: {', '.join(fits.next) or 'nothing'}."))]
    mm = lesson.mental_model
    sections.append(PlainSection("mental-model", "Mental model", _blocks(
        labelled("Core idea", mm.core_idea), labelled("Analogy", mm.analogy), diagram(mm.diagram))))
    for number, step in enumerate(lesson.steps, start=1):
        blocks = [f"Level: {step.level}.", plain_text(step.concept)]
        if step.prediction is not None:
            p = step.prediction
            choices = "\n".join(f"{LETTERS[i]}. {inline_text(c)}" for i, c in enumerate(p.choices))
            blocks.append(f"{labelled('Predict', p.prompt)}\n{choices}")
            blocks.append(f"Answer: {p.answer.upper()}. {plain_text(p.explanation)}".strip())
        blocks += [plain_text(step.explanation), labelled("Result", step.result),
                   labelled("Insight", step.insight)]
        sections.append(PlainSection(step.id, f"Step {number}: {step.title}", _blocks(*blocks)))
    uth = lesson.under_the_hood
    sections.append(PlainSection("under-the-hood", "Under the hood", _blocks(
        plain_text(uth.text), diagram(uth.diagram),
        labelled("Why it is designed this way", uth.why_designed))))
    if lesson.myths:
        sections.append(PlainSection("myths", "Myths", _blocks(*(
            f"{labelled('Myth', m.question)}\nAnswer: {'Yes' if m.answer else 'No'}. "
            f"{inline_text(m.reality)} {inline_text(m.why_it_matters)}" for m in lesson.myths))))
    if lesson.expert_zone:
        sections.append(PlainSection("expert-zone", "Expert zone", _blocks(*(
            labelled(n.title, n.text) for n in lesson.expert_zone))))
    w = lesson.when_not_to_use
    sections.append(PlainSection("when-not-to-use", "When not to use", _blocks(
        plain_text(w.text), labelled("Instead", w.instead))))
    if lesson.production_patterns:
        sections.append(PlainSection("production-patterns", "Production patterns", _blocks(*(
            labelled(n.title, n.text) for n in lesson.production_patterns))))
    if lesson.connections:
        sections.append(PlainSection("connections", "Connections", _blocks(*(
            labelled(f"{c.topic} ({c.relation})", c.text) for c in lesson.connections))))
    if lesson.pitfalls:
        sections.append(PlainSection("pitfalls", "Pitfalls", _blocks(*(
            f"Pitfall: {inline_text(p.title)}.\n{labelled('Wrong', p.wrong)}\n"
            f"{labelled('Root cause', p.root_cause)}\n{labelled('Right', p.correct)}"
            for p in lesson.pitfalls))))
    sections.append(PlainSection("takeaways", "Takeaways", _blocks(bullets(lesson.takeaways))))
    return sections


def cheat_sheet_blocks(module: Module) -> list[str]:
    """What the cheat sheet screen shows, in its order."""
    lesson = module.lesson
    mm = lesson.mental_model
    w = lesson.when_not_to_use
    return list(_blocks(
        labelled("Core idea", mm.core_idea), labelled("Analogy", mm.analogy), diagram(mm.diagram),
        f"Takeaways:\n{bullets(lesson.takeaways)}",
        labelled("When not to use it", w.text), labelled("Instead", w.instead)))
