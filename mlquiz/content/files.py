"""The shape of each content file, as dataclasses the decoder and schema share.

Files whose shape is a model (lesson.yaml is a `Lesson`, exercise.yaml an
`Exercise` without its `path`) use the model itself; the others get a small
dataclass here.

>>> FILE_KINDS["lesson"].__name__
'Lesson'
"""
from __future__ import annotations

from dataclasses import dataclass

from mlquiz.content.models import Concept, Exercise, Flashcard, Lesson, Question

FORMAT_VERSION = 3  # bump when a file's shape or the cache layout changes; it invalidates caches


@dataclass(frozen=True, slots=True)
class CourseFile:
    """course.yaml"""

    id: str
    title: str
    description: str
    modules: tuple[str, ...]
    exercises: str | None = None


@dataclass(frozen=True, slots=True)
class ModuleFile:
    """module.yaml"""

    id: str
    title: str
    topic: str
    minutes: int
    summary: str
    concepts: tuple[Concept, ...] = ()
    prerequisites: tuple[str, ...] = ()
    next: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class QuestionsFile:
    """questions.yaml and questions-*.yaml"""

    questions: tuple[Question, ...]


@dataclass(frozen=True, slots=True)
class FlashcardsFile:
    """flashcards.yaml and flashcards-*.yaml"""

    flashcards: tuple[Flashcard, ...]


FILE_KINDS: dict[str, type] = {
    "course": CourseFile,
    "module": ModuleFile,
    "lesson": Lesson,
    "questions": QuestionsFile,
    "flashcards": FlashcardsFile,
    "exercise": Exercise,
}

# Fields of a model that are filled by the loader, never written in YAML.
NOT_IN_YAML = frozenset({"path"})

MODULE_FILES = ("module.yaml", "lesson.yaml", "questions.yaml", "flashcards.yaml")


def kind_of_file(name: str) -> str | None:
    """The kind of a content file from its name: kind_of_file('questions-extra.yaml') == 'questions'."""
    if not name.endswith(".yaml"):
        return None
    stem = name[: -len(".yaml")]
    if stem in FILE_KINDS:
        return stem
    for plural in ("questions", "flashcards"):
        if stem.startswith(plural + "-"):
            return plural
    return None
