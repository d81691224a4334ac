"""Every module of the shipped course keeps its multiple-choice items fair.

A learner who guesses "the longest option" or "always C" must not beat the
course. For every module course.yaml lists (new modules included, whoever
writes them), over its questions, lesson predictions and pitfall diagnoses:

- the right option is the uniquely longest one in at most a quarter of the items;
- no answer letter is the right one in more than 35% of the items.

Myths are answered Yes/No, so they have no option lengths or letters to cue.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from mlquiz.content import load_course
from mlquiz.content.models import Module
from mlquiz.paths import builtin_course_dir

MAX_LONGEST_SHARE = 0.25
MAX_LETTER_SHARE = 0.35


def lettered_items(module: Module) -> list[tuple[str, tuple[str, ...], str]]:
    """(id, options, right letter) of every item a learner answers with a letter."""
    items = [(q.id, q.options, q.answer.upper()) for q in module.questions if not q.is_numeric]
    items += [(s.id, s.prediction.choices, s.prediction.answer.upper())
              for s in module.lesson.steps if s.prediction is not None]
    items += [(p.id, p.diagnosis.choices, p.diagnosis.answer.upper()) for p in module.lesson.pitfalls]
    return items


def right_is_uniquely_longest(options: tuple[str, ...], answer: str) -> bool:
    lengths = [len(" ".join(option.split())) for option in options]
    right = lengths["ABCDEFGHIJ".index(answer)]
    return right == max(lengths) and lengths.count(right) == 1


def listed_modules() -> list[str]:
    """The module ids course.yaml lists, read without loading the course (for the test ids)."""
    head = yaml.safe_load((builtin_course_dir() / "course.yaml").read_text(encoding="utf-8"))
    return list(head["modules"])


@pytest.fixture(scope="module")
def course():
    return load_course(Path(builtin_course_dir()), use_cache=False)


def test_the_rules_see_every_listed_module(course):
    assert [m.id for m in course.modules] == listed_modules()


@pytest.mark.parametrize("module_id", listed_modules())
def test_the_right_option_is_rarely_the_uniquely_longest(course, module_id):
    items = lettered_items(course.module(module_id))
    longest = [item_id for item_id, options, answer in items if right_is_uniquely_longest(options, answer)]
    assert len(longest) <= MAX_LONGEST_SHARE * len(items), (
        f"{module_id}: the right option is the uniquely longest in {len(longest)} of {len(items)} items "
        f"(at most {MAX_LONGEST_SHARE:.0%}); lengthen a distractor or tighten the answer in: "
        + ", ".join(longest))


@pytest.mark.parametrize("module_id", listed_modules())
def test_no_answer_letter_is_right_too_often(course, module_id):
    items = lettered_items(course.module(module_id))
    letters = Counter(answer for _, _, answer in items)
    letter, count = letters.most_common(1)[0]
    assert count <= MAX_LETTER_SHARE * len(items), (
        f"{module_id}: {letter} is the right letter in {count} of {len(items)} items "
        f"(at most {MAX_LETTER_SHARE:.0%}); counts: {dict(sorted(letters.items()))}")


def test_the_rules_catch_a_module_that_breaks_them():
    """The two checks on a made-up module whose right answer is always the long 'A'."""
    from mlquiz.content.models import Question, SolutionStep

    def question(i: int) -> Question:
        return Question(id=f"q{i}", difficulty="easy", kind="term", stem="?",
                        options=("the right and much longer option", "short", "brief"), answer="A",
                        hint="h", solution=(SolutionStep("t", "x"),), final_answer="a", quick_check="a",
                        common_mistakes=(), tags=())

    items = [(q.id, q.options, q.answer) for q in map(question, range(4))]
    assert all(right_is_uniquely_longest(options, answer) for _, options, answer in items)
    assert not right_is_uniquely_longest(("same size", "same size", "other"), "A")
    assert Counter(answer for _, _, answer in items)["A"] == 4
