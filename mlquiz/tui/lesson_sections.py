"""The whole lesson as an ordered list of markdown sections (for the deep dive).

>>> [s.title for s in lesson_sections(module)][:3]  # doctest: +SKIP
['Overview', 'Mental model', '1. What is technical debt?']
"""
from __future__ import annotations

from dataclasses import dataclass

from mlquiz.tui.widgets.text import fenced


@dataclass(frozen=True)
class Section:
    id: str      # a step id for steps, else a fixed name ("overview", "myths", ...)
    title: str
    markdown: str


MODULE_LINK = "module:"  # href of a link that opens a module of the course: module:<id>


LinkGroups = list[tuple[str, list[tuple[str, str]]]]  # [(label, [(text, module id)])]


def module_links(module, course) -> LinkGroups:
    """The modules module.yaml names as prerequisites and next, in the course, as the deep
    dive's "where it fits" links show them: [('Take first', [('1. Debt', 'debt')]), ...]."""
    if course is None:
        return []
    groups = []
    for label, modules in (("Take first", course.prerequisites_of(module.id)),
                           ("Go on to", course.next_of(module.id))):
        if modules:
            groups.append((label, [(f"{course.position(m.id)}. {m.title}", m.id) for m in modules]))
    return groups


def lesson_sections(module) -> list[Section]:
    """The sections of `module`'s lesson (the deep dive shows `module_links` after the
    overview, as focusable links)."""
    lesson = module.lesson
    o = lesson.overview
    fits = o.where_it_fits
    overview = [f"## Overview\n\n**What it is.** {o.what}", f"**Why it matters.** {o.why}",
                f"**Where it fits.** {fits.text}",
                f"*Before:* {', '.join(fits.prerequisites) or '—'} · *Next:* {', '.join(fits.next) or '—'}"]
    sections = [Section("overview", "Overview", "\n\n".join(overview))]
    mm = lesson.mental_model
    sections.append(Section("mental-model", "Mental model",
                            f"## Mental model\n\n{mm.core_idea}\n\n**Analogy.** {mm.analogy}\n\n"
                            f"{fenced(mm.diagram)}"))
    for number, step in enumerate(lesson.steps, start=1):
        parts = [f"## {number}. {step.title}\n\n*{step.level}*", step.concept]
        if step.prediction is not None:
            choices = "\n".join(f"{chr(65 + i)}. {c}" for i, c in enumerate(step.prediction.choices))
            parts.append(f"> **Predict:** {step.prediction.prompt}\n>\n"
                         + "\n".join(f"> {line}  " for line in choices.splitlines())
                         + f"\n>\n> *Answer: {step.prediction.answer}.* {step.prediction.explanation}")
        parts += [step.explanation, f"**Result.** {step.result}", f"**Insight.** {step.insight}"]
        sections.append(Section(step.id, f"{number}. {step.title}", "\n\n".join(parts)))
    uth = lesson.under_the_hood
    sections.append(Section("under-the-hood", "Under the hood",
                            f"## Under the hood\n\n{uth.text}\n\n{fenced(uth.diagram)}\n\n"
                            f"**Why it is designed this way.** {uth.why_designed}"))
    if lesson.myths:
        sections.append(Section("myths", "Myths", "## Myths\n\n" + "\n\n".join(
            f"**{m.question}** — {'Yes' if m.answer else 'No'}. {m.reality} *{m.why_it_matters}*"
            for m in lesson.myths)))
    if lesson.expert_zone:
        sections.append(Section("expert-zone", "Expert zone", "## Expert zone\n\n" + "\n\n".join(
            f"### {n.title}\n\n{n.text}" for n in lesson.expert_zone)))
    w = lesson.when_not_to_use
    sections.append(Section("when-not-to-use", "When not to use",
                            f"## When not to use it\n\n{w.text}\n\n**Instead.** {w.instead}"))
    if lesson.production_patterns:
        sections.append(Section("production-patterns", "Production patterns",
                                "## Production patterns\n\n" + "\n\n".join(
                                    f"### {n.title}\n\n{n.text}" for n in lesson.production_patterns)))
    if lesson.connections:
        sections.append(Section("connections", "Connections", "## Connections\n\n" + "\n".join(
            f"- **{c.topic}** ({c.relation}): {c.text}" for c in lesson.connections)))
    if lesson.pitfalls:
        sections.append(Section("pitfalls", "Pitfalls", "## Pitfalls\n\n" + "\n\n".join(
            f"### {p.title}\n\n**Wrong:** {p.wrong}\n\n**Root cause:** {p.root_cause}\n\n"
            f"**Right:** {p.correct}" for p in lesson.pitfalls)))
    sections.append(Section("takeaways", "Takeaways", "## Takeaways\n\n" + "\n".join(
        f"- {t}" for t in lesson.takeaways)))
    return sections
