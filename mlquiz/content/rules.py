"""Checks inside one decoded file: answers among the options, enough hints.

Each rule reads a decoded object and reports through the decoder, which knows
where every field was. Rules never raise on placeholders left by earlier
problems.

>>> check_file(decoder, value)  # doctest: +SKIP
"""
from __future__ import annotations

from mlquiz.content.decode import Decoder
from mlquiz.content.files import QuestionsFile
from mlquiz.content.models import LETTERS, Choice, Exercise, Lesson, Question

MIN_HINTS = 3
MIN_OPTIONS = 2


def _letters(count: int) -> str:
    return f"A-{LETTERS[count - 1]}" if count >= 2 else "A"


def check_answer(decoder: Decoder, answer: str, options: tuple[str, ...], field: str, noun: str) -> None:
    """`answer` must be the letter of one of `options`."""
    if not answer or not options:
        return
    count = min(len(options), len(LETTERS))
    if answer.upper() not in LETTERS[:count]:
        decoder.problem(decoder.at(f"{field}.answer"), f"{field}.answer" if field else "answer",
                        f"answer '{answer}' is not among the {noun} ({_letters(count)})")


def check_options(decoder: Decoder, options: tuple[str, ...], field: str, noun: str) -> None:
    name = f"{field}.{noun}" if field else noun
    if name not in decoder.locations or name in decoder.bad:
        return  # missing or of the wrong type: already reported
    if len(options) < MIN_OPTIONS:
        decoder.problem(decoder.at(name), name, f"needs at least {MIN_OPTIONS} {noun}, got {len(options)}")
    if len(options) > len(LETTERS):
        decoder.problem(decoder.at(name), name, f"at most {len(LETTERS)} {noun}, got {len(options)}")


def check_choice(decoder: Decoder, choice: Choice | None, field: str) -> None:
    if choice is None:
        return
    check_options(decoder, choice.choices, field, "choices")
    check_answer(decoder, choice.answer, choice.choices, field, "choices")


def check_question(decoder: Decoder, question: Question | None, field: str) -> None:
    if question is None:
        return
    if f"{field}.answer_type" in decoder.bad:
        return  # an unknown answer type: already reported, and which checks apply is unknown
    if question.answer_type == "number":
        check_numeric_question(decoder, question, field)
        return
    if question.number is not None:
        name = f"{field}.number"
        decoder.problem(decoder.at(name), name,
                        "a 'number' block needs 'answer_type: number' (a question is a choice by default)")
    for name in ("options", "answer"):
        if f"{field}.{name}" not in decoder.locations:
            decoder.problem(decoder.at(field), f"{field}.{name}", f"missing field '{name}'")
    check_options(decoder, question.options, field, "options")
    check_answer(decoder, question.answer, question.options, field, "options")
    count = min(len(question.options), len(LETTERS))
    for letter, _text in question.feedback:
        if question.options and letter not in LETTERS[:count]:
            name = f"{field}.feedback.{letter}"
            decoder.problem(decoder.at(name), name,
                            f"feedback for '{letter}', which is not among the options ({_letters(count)})")
    check_distractor_feedback(decoder, question, field)


def check_numeric_question(decoder: Decoder, question: Question, field: str) -> None:
    """A numeric question: a `number` block, no options, letter or per-option feedback, and
    finite, non-negative numbers; a common wrong value must not be marked right."""
    import math

    for name, present in (("options", question.options), ("answer", question.answer),
                          ("feedback", question.feedback)):
        if present or f"{field}.{name}" in decoder.locations:
            decoder.problem(decoder.at(f"{field}.{name}"), f"{field}.{name}",
                            f"a numeric question has no {name}; give the right value in "
                            "'number: {value: ...}' (and wrong values in number.wrong_values)")
    number = question.number
    if number is None:
        if f"{field}.number" not in decoder.bad:
            decoder.problem(decoder.at(field), f"{field}.number",
                            "answer_type number needs 'number: {value: ..., tolerance: ...}'")
        return
    base = f"{field}.number"

    def bad(name: str, message: str) -> None:
        if name not in decoder.bad:
            decoder.problem(decoder.at(name), name, message)

    for name, value in (("value", number.value), ("tolerance", number.tolerance),
                        ("relative_tolerance", number.relative_tolerance)):
        if not math.isfinite(value):
            bad(f"{base}.{name}", f"{name} must be a finite number, got {value}")
        elif name != "value" and value < 0:
            bad(f"{base}.{name}", f"{name} must be 0 or more, got {value:g}")
    if f"{base}.tolerance" in decoder.locations and f"{base}.relative_tolerance" in decoder.locations:
        bad(f"{base}.relative_tolerance", "give tolerance (absolute) or relative_tolerance, not both")
    if number.units is not None and not number.units.strip():
        bad(f"{base}.units", "units are empty; leave the field out for a plain number")
    elif number.units is not None and any(ch.isdigit() for ch in number.units[:1]):
        bad(f"{base}.units", f"units '{number.units}' start with a digit; a learner could not type them")
    for i, wrong in enumerate(number.wrong_values):
        if wrong is None:
            continue
        name = f"{base}.wrong_values[{i}]"
        if not math.isfinite(wrong.value):
            bad(f"{name}.value", f"value must be a finite number, got {wrong.value}")
        elif not math.isfinite(wrong.tolerance) or wrong.tolerance < 0:
            bad(f"{name}.tolerance", f"tolerance must be 0 or more, got {wrong.tolerance:g}")
        elif math.isfinite(number.value) and number.accepts(wrong.value):
            bad(f"{name}.value", f"wrong value {wrong.value:g} is within the right answer's "
                                 f"margin ({number.shown()}), so it would be marked right")


def check_distractor_feedback(decoder: Decoder, question: Question, field: str) -> None:
    """A warning for each question whose wrong options do not all say why they are wrong."""
    count = min(len(question.options), len(LETTERS))
    right = question.answer.upper() if question.answer else ""
    if count < MIN_OPTIONS or right not in LETTERS[:count]:
        return  # no options or no right one: already a problem
    explained = {letter for letter, text in question.feedback if text.strip()}
    missing = [letter for letter in LETTERS[:count] if letter != right and letter not in explained]
    if missing:
        name = f"{field}.feedback"
        which = ", ".join(missing)
        decoder.warn(decoder.at(name), name,
                     f"no feedback for the wrong option{'s' if len(missing) > 1 else ''} {which}: "
                     "tell the learner who picks one why it is wrong (feedback: {" + missing[0] + ": ...})")


def check_lesson(decoder: Decoder, lesson: Lesson | None) -> None:
    if lesson is None:
        return
    for i, step in enumerate(lesson.steps):
        if step is not None:
            check_choice(decoder, step.prediction, f"steps[{i}].prediction")
    for i, pitfall in enumerate(lesson.pitfalls):
        if pitfall is not None:
            check_choice(decoder, pitfall.diagnosis, f"pitfalls[{i}].diagnosis")


def check_questions(decoder: Decoder, file: QuestionsFile | None) -> None:
    if file is None:
        return
    for i, question in enumerate(file.questions):
        check_question(decoder, question, f"questions[{i}]")


def check_exercise(decoder: Decoder, exercise: Exercise | None) -> None:
    if exercise is None:
        return
    if "hints" in decoder.locations and "hints" not in decoder.bad and len(exercise.hints) < MIN_HINTS:
        decoder.problem(decoder.at("hints"), "hints",
                        f"needs at least {MIN_HINTS} hints (a nudge first, nearly the answer last), "
                        f"got {len(exercise.hints)}")
    if "files" in decoder.locations and "files" not in decoder.bad and not exercise.files:
        decoder.problem(decoder.at("files"), "files", "list at least one starter file the learner edits")


def check_letter_references(decoder: Decoder, value: object) -> None:
    """A problem for each final_answer, worked-solution step or feedback that names an option
    by its authored letter ("**B**:", "option C", "(A)"): options are shown in each learner's
    own order, so the letter is wrong on screen. Run by `mlquiz validate` only (the app maps
    such letters at display, so a course that has them still loads)."""
    from mlquiz.content.letter_refs import letter_references

    def check(field: str, text: str, count: int) -> None:
        letters = sorted({letter for _, _, letter in letter_references(text or "", count)})
        if letters:
            decoder.problem(decoder.at(field), field,
                            f"names option {', '.join(letters)} by its letter; options are shown "
                            "in each learner's own order, so name the option by its words")

    if isinstance(value, QuestionsFile):
        for i, q in enumerate(value.questions):
            if q is None:
                continue
            field, count = f"questions[{i}]", len(q.options)
            for j, step in enumerate(q.solution):
                check(f"{field}.solution[{j}].title", step.title, count)
                check(f"{field}.solution[{j}].text", step.text, count)
            check(f"{field}.final_answer", q.final_answer, count)
            for letter, text in q.feedback:
                check(f"{field}.feedback.{letter}", text, count)
            check(f"{field}.general_feedback", q.general_feedback, count)
    elif isinstance(value, Lesson):
        for i, step in enumerate(value.steps):
            if step is not None and step.prediction is not None:
                check(f"steps[{i}].prediction.explanation", step.prediction.explanation,
                      len(step.prediction.choices))
        for i, pitfall in enumerate(value.pitfalls):
            if pitfall is not None and pitfall.diagnosis is not None:
                check(f"pitfalls[{i}].diagnosis.explanation", pitfall.diagnosis.explanation,
                      len(pitfall.diagnosis.choices))
