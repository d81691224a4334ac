"""JSON Schema (draft 2020-12) of the content files, generated from the dataclasses.

The structure (fields, types, enums, required) comes from the models, the
same annotations the decoder reads; only the words for editors live here.

>>> json_schema("questions")["properties"]["questions"]["type"]
'array'
>>> sorted(json_schema()["$defs"])[:3]
['Choice', 'Concept', 'Connection']
"""
from __future__ import annotations

import dataclasses
import typing

from mlquiz.content.decode import ID_PATTERN, is_letter_map, unwrap_optional, yaml_fields
from mlquiz.content.files import FILE_KINDS
from mlquiz.content.models import LETTERS

DRAFT = "https://json-schema.org/draft/2020-12/schema"
LETTER_PATTERN = f"^[{LETTERS[0]}-{LETTERS[-1]}{LETTERS[0].lower()}-{LETTERS[-1].lower()}]$"

FILE_TITLES = {
    "course": "mlquiz course.yaml",
    "module": "mlquiz module.yaml",
    "lesson": "mlquiz lesson.yaml",
    "questions": "mlquiz questions.yaml (and questions-*.yaml)",
    "flashcards": "mlquiz flashcards.yaml (and flashcards-*.yaml)",
    "exercise": "mlquiz exercise.yaml",
}

CLASS_DOCS = {
    "CourseFile": "A course: its modules in order and where its exercises are.",
    "ModuleFile": "A module: its title, length, summary and the concepts tags may point at.",
    "Lesson": "The lesson of a module, section by section.",
    "QuestionsFile": "The practice questions of a module.",
    "FlashcardsFile": "The flashcards of a module.",
    "Exercise": "A hands-on exercise; its folder holds starter/, tests/ (hidden) and solution/.",
    "Choice": "A prompt with lettered choices and the letter of the right one.",
    "WhereItFits": "Where the topic sits among others.",
    "Overview": "What it is, why it matters, where it fits.",
    "MentalModel": "The core idea, an analogy and a diagram.",
    "Step": "One build-up step; an optional prediction is asked before the explanation.",
    "UnderTheHood": "How it works inside, with a diagram.",
    "Myth": "A quick yes/no question; answer is the true answer to it.",
    "Note": "A titled markdown paragraph.",
    "WhenNotToUse": "When not to use it and what to use instead.",
    "Connection": "A related topic and how it relates.",
    "Pitfall": "The wrong approach first, then the correct one; the learner names the root cause.",
    "SolutionStep": "One worked step of a solution.",
    "Question": "A question answered by one option letter or, with answer_type number, by a number.",
    "NumberAnswer": "The right number of a numeric question, its tolerance, units and common wrong values.",
    "WrongValue": "A common wrong number and the feedback for a learner who types it.",
    "Flashcard": "A card with a front and a back.",
    "Concept": "A named idea that questions, cards and exercises can be tagged with.",
}

FIELD_DOCS = {
    "id": "Lowercase words joined by dashes, unique across the whole course.",
    "title": "Title shown to the learner.",
    "text": "Markdown.",
    "CourseFile.description": "Short markdown paragraph about the course.",
    "CourseFile.modules": "Module folder names, in the order they are taught.",
    "CourseFile.exercises": "Folder of exercise folders, relative to course.yaml (e.g. ../exercises).",
    "ModuleFile.id": "Equals the module's folder name.",
    "ModuleFile.topic": "The wider topic, e.g. MLOps.",
    "ModuleFile.minutes": "About how long the module takes, in minutes.",
    "ModuleFile.summary": "One paragraph of markdown.",
    "ModuleFile.concepts": "Named ideas that tags and links may point at, besides step ids.",
    "ModuleFile.prerequisites": "Ids of modules of this course to take first; each comes earlier in "
                                "course.yaml's modules.",
    "ModuleFile.next": "Ids of modules of this course to go on to after this one.",
    "Concept.description": "Optional markdown.",
    "Lesson.overview": "What it is, why it matters, where it fits.",
    "Lesson.mental_model": "Core idea, analogy and diagram.",
    "Lesson.steps": "The build-up steps, in order (seven in the built-in course).",
    "Lesson.under_the_hood": "How it works inside and why it was designed that way.",
    "Lesson.myths": "Quick yes/no questions that bust common beliefs.",
    "Lesson.expert_zone": "Deeper notes for experts.",
    "Lesson.when_not_to_use": "When not to use it and what to use instead.",
    "Lesson.production_patterns": "Patterns that work in production.",
    "Lesson.connections": "Related topics.",
    "Lesson.pitfalls": "Common pitfalls: wrong approach, correct approach, root cause.",
    "Lesson.takeaways": "Key takeaways, one markdown line each.",
    "Overview.what": "Markdown: what it is.",
    "Overview.why": "Markdown: why it matters.",
    "Overview.where_it_fits": "Prerequisites and what to learn next.",
    "WhereItFits.prerequisites": "What to know first, in words (module.yaml's prerequisites link modules).",
    "WhereItFits.next": "What to learn next, in words (module.yaml's next links modules).",
    "MentalModel.core_idea": "Markdown: the one idea to hold on to.",
    "MentalModel.analogy": "Markdown: an everyday analogy.",
    "MentalModel.diagram": "Text art; write it as a literal block (|), its spacing is kept exactly.",
    "UnderTheHood.diagram": "Text art; write it as a literal block (|), its spacing is kept exactly.",
    "UnderTheHood.why_designed": "Markdown: why it was designed this way.",
    "Step.level": "Foundation, Intermediate, Advanced or Expert.",
    "Step.concept": "Markdown: the concept of this step.",
    "Step.explanation": "Markdown: the explanation, shown after the prediction.",
    "Step.result": "Markdown: what it leads to.",
    "Step.insight": "Markdown: the insight to keep.",
    "Step.prediction": "Optional: asked before the explanation; the learner commits to an answer.",
    "Choice.prompt": "Markdown: the question asked.",
    "Choice.choices": "The choices, lettered A, B, C... in this order.",
    "Choice.answer": "The letter of the right choice (A is the first).",
    "Choice.explanation": "Markdown: why that choice is right.",
    "Myth.question": "The quick yes/no question.",
    "Myth.answer": "The true answer to the question: true or false.",
    "Myth.belief": "Markdown: what people commonly believe.",
    "Myth.reality": "Markdown: what is actually true.",
    "Myth.why_it_matters": "Markdown: why the difference matters.",
    "WhenNotToUse.instead": "Markdown: what to use instead.",
    "Connection.topic": "The related topic.",
    "Connection.relation": "builds-on, same-pattern or analogy.",
    "Connection.module": "Optional id of another module of this course.",
    "Pitfall.wrong": "Markdown: the wrong approach, shown first.",
    "Pitfall.correct": "Markdown: the correct approach.",
    "Pitfall.root_cause": "Markdown: the root cause.",
    "Pitfall.diagnosis": "The learner names the root cause from these choices.",
    "Question.difficulty": "easy, medium or hard.",
    "Question.kind": "term (name or define an idea), spot-sign (recognise it in a scene), code-risk, "
                     "error-log, remedy (choose the fix) or calculation (work out a number).",
    "Question.stem": "Markdown; may hold a fenced code block or an error log.",
    "Question.options": "The options, lettered A, B, C... in this order.",
    "Question.answer": "The letter of the one right option (A is the first).",
    "Question.hint": "Markdown: a nudge that does not give the answer away.",
    "Question.solution": "Worked solution steps.",
    "Question.final_answer": "Markdown: the answer in words.",
    "Question.quick_check": "Markdown: a quick way to check the answer.",
    "Question.common_mistakes": "Mistakes learners often make.",
    "Question.tags": "Step ids or concept ids of this module.",
    "Question.feedback": "Optional feedback per option letter, e.g. {A: ..., B: ...}.",
    "Question.general_feedback": "Optional markdown shown after any answer.",
    "Question.answer_type": "choice (the default: options and an answer letter) or number (a typed "
                            "number, checked against 'number'; no options).",
    "Question.number": "For answer_type number: the right value, its tolerance, units and wrong values.",
    "NumberAnswer.value": "The right value.",
    "NumberAnswer.tolerance": "Absolute margin: a typed value within it of the right value is right.",
    "NumberAnswer.relative_tolerance": "Relative margin, a fraction of the value (0.01 is 1%); "
                                       "give this or tolerance.",
    "NumberAnswer.units": "Optional units; a learner may type them after the number or leave them off.",
    "NumberAnswer.wrong_values": "Common wrong values, each with feedback for the learner who types it.",
    "WrongValue.value": "The wrong value learners often reach.",
    "WrongValue.tolerance": "Absolute margin around it (default 0: the exact value).",
    "WrongValue.feedback": "Markdown: what the learner who typed it did wrong.",
    "Flashcard.kind": "takeaway, definition, connection, myth or pitfall.",
    "Flashcard.front": "Markdown: the prompt side.",
    "Flashcard.back": "Markdown: the answer side.",
    "Flashcard.tags": "Optional step ids or concept ids of this module.",
    "Exercise.id": "Equals the exercise's folder name.",
    "Exercise.difficulty": "easy, medium or hard.",
    "Exercise.debt": "The kind of technical debt the exercise teaches.",
    "Exercise.module": "Id of the module the exercise belongs to.",
    "Exercise.links": "Step ids or concept ids of that module.",
    "Exercise.instructions": "Markdown: what the learner must do.",
    "Exercise.hints": "At least three hints, from a nudge to nearly the answer.",
    "Exercise.files": "Starter files the learner edits (in starter/), the main one first.",
    "QuestionsFile.questions": "The questions.",
    "FlashcardsFile.flashcards": "The flashcards.",
}

# Limits the decoder and rules enforce that a type annotation cannot say.
FIELD_LIMITS = {
    "Choice.choices": {"minItems": 2, "maxItems": len(LETTERS)},
    "Question.options": {"minItems": 2, "maxItems": len(LETTERS)},
    "NumberAnswer.tolerance": {"minimum": 0},
    "NumberAnswer.relative_tolerance": {"minimum": 0},
    "WrongValue.tolerance": {"minimum": 0},
    "Exercise.hints": {"minItems": 3},
    "Exercise.files": {"minItems": 1},
    "ModuleFile.minutes": {"minimum": 0},
}


# What a field's value makes required: a numeric question needs its number block and has
# no options; any other question needs options and an answer letter.
CONDITIONAL_REQUIRED = {
    "Question": [{
        "if": {"properties": {"answer_type": {"const": "number"}}, "required": ["answer_type"]},
        "then": {"required": ["number"], "not": {"anyOf": [{"required": ["options"]},
                                                            {"required": ["answer"]}]}},
        "else": {"required": ["options", "answer"]},
    }],
}


def _describe(cls_name: str, field: str) -> str | None:
    return FIELD_DOCS.get(f"{cls_name}.{field}") or FIELD_DOCS.get(field)


class _Builder:
    def __init__(self) -> None:
        self.defs: dict[str, dict] = {}

    def type_schema(self, tp: object, cls_name: str, field: str) -> dict:
        tp, _optional = unwrap_optional(tp)
        if dataclasses.is_dataclass(tp):
            self.object_schema(tp)
            return {"$ref": f"#/$defs/{tp.__name__}"}
        if tp is str:
            schema: dict = {"type": "string", "minLength": 1}
            if field == "id":
                schema["pattern"] = ID_PATTERN.pattern
            elif field == "answer":
                schema["pattern"] = LETTER_PATTERN
            return schema
        if tp is bool:
            return {"type": "boolean"}
        if tp is int:
            return {"type": "integer"}
        if tp is float:
            return {"type": "number"}
        if typing.get_origin(tp) is typing.Literal:
            return {"type": "string", "enum": list(typing.get_args(tp))}
        if is_letter_map(tp):
            return {"type": "object", "propertyNames": {"pattern": LETTER_PATTERN},
                    "additionalProperties": {"type": "string", "minLength": 1}}
        if typing.get_origin(tp) is tuple:
            items = self.type_schema(typing.get_args(tp)[0], cls_name, "")
            return {"type": "array", "items": items}
        raise TypeError(f"no JSON Schema rule for {tp!r}")

    def object_schema(self, cls: type) -> dict:
        name = cls.__name__
        if name in self.defs:
            return self.defs[name]
        schema: dict = {"type": "object", "additionalProperties": False}
        self.defs[name] = schema  # before the fields, so a cycle would end here
        if name in CLASS_DOCS:
            schema["description"] = CLASS_DOCS[name]
        properties = {}
        for spec in yaml_fields(cls):
            prop = self.type_schema(spec.type, name, spec.name)
            prop.update(FIELD_LIMITS.get(f"{name}.{spec.name}", {}))
            description = _describe(name, spec.name)
            if description:
                prop = {"description": description, **prop}
            properties[spec.name] = prop
        schema["properties"] = properties
        schema["required"] = [s.name for s in yaml_fields(cls) if s.required]
        if name in CONDITIONAL_REQUIRED:
            schema["allOf"] = CONDITIONAL_REQUIRED[name]
        return schema


def json_schema(kind: str | None = None) -> dict:
    """The schema of one kind of file ('lesson', ...), or of all of them under $defs."""
    builder = _Builder()
    if kind is not None:
        if kind not in FILE_KINDS:
            from mlquiz.errors import MlquizError

            raise MlquizError(f"unknown kind of file '{kind}'; one of {', '.join(FILE_KINDS)}", exit_code=2)
        cls = FILE_KINDS[kind]
        root = dict(builder.object_schema(cls))
        del builder.defs[cls.__name__]
        doc = {"$schema": DRAFT, "title": FILE_TITLES[kind], **root}
        if builder.defs:
            doc["$defs"] = dict(sorted(builder.defs.items()))
        return doc
    for cls in FILE_KINDS.values():
        builder.object_schema(cls)
    return {
        "$schema": DRAFT,
        "title": "mlquiz content files",
        "description": "Any mlquiz content file; for completion per file use `mlquiz schema --file KIND`.",
        "anyOf": [{"$ref": f"#/$defs/{cls.__name__}"} for cls in FILE_KINDS.values()],
        "$defs": dict(sorted(builder.defs.items())),
    }
