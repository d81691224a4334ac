"""No sentence of the shipped course is a near copy of a sentence of the seed page.

The course grew from a public page (../shared/seed/ beside the project, or the
folder named by MLQUIZ_SEED_DIR). Every sentence of 8 words or more in any YAML
file of the course is compared with every seed sentence and with every pair of
neighbouring seed sentences (a course sentence may merge two of them):

- difflib's ratio on the lowercased word lists: 0.55 or more is flagged, when
  the two share at least 5 words in order (a ratio over three or four words,
  such as "what is it", says nothing about copying);
- the share of its content words (no stop words, crudely stemmed) found in one
  seed sentence or pair: 70% or more of at least 6 content words is flagged.

Words that every module of the course uses anyway (the module titles, "model",
"data" and the like) are left out of both measures, so that a sentence is not
flagged only for being about the subject. Zero flagged pairs is the bar; a
failure prints each pair. A threshold cannot catch every synonym swap that keeps
the seed's sentence shape: authors still rewrite those by hand.

>>> single, pairs = seed_sentences(seed_dir())                          # doctest: +SKIP
>>> flagged_pairs(course_sentences(builtin_course_dir()), single, pairs)  # doctest: +SKIP
[]
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path

import pytest
import yaml

from mlquiz.paths import builtin_course_dir

RATIO_LIMIT = 0.55
SHARE_LIMIT = 0.70
MIN_CONTENT_WORDS = 6
MIN_SENTENCE_WORDS = 8
MIN_SHARED_WORDS = 5     # a ratio over a handful of words ("what is it") is noise

STOP_WORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before
being below between both but by can could did do does doing down during each either else
even ever every few for from further had has have having he her here hers him his how i if
in into is it its itself just least less may me might more most much must my no nor not now
of off often on once one only or other our ours out over own same shall she should so some
such than that the their theirs them then there these they this those through to too under
until up upon us very was we were what when where whether which while who whom whose why
will with within without would yet you your yours
""".split())

# Words the whole course uses because they are its subject, not because of the seed.
COURSE_WORDS = frozenset("""
technical debt ml machine learning system systems mlops model models data monitoring
testing test tests
""".split())

WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
SENTENCE_END = re.compile(r"\n\s*[-*\d.]+\s+|(?<=[.!?:;])\s+|\n\s*\n")


def words(text: str) -> list[str]:
    """Lowercased words of `text`, course-wide words left out: words('The ML model, fast.') == ['the', 'fast']."""
    return [w for w in WORD.findall(text.lower()) if w not in COURSE_WORDS]


def stem(word: str) -> str:
    """A crude stem, so that 'features' meets 'feature' and 'adding' meets 'add'."""
    for suffix in ("ing", "ed", "s", "ly"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    return word[:-1] if word.endswith("e") and len(word) > 3 else word


def content_words(tokens: list[str]) -> set[str]:
    """The stems of the words that carry meaning: content_words(['the', 'features']) == {'feature'}."""
    return {stem(w) for w in tokens if w not in STOP_WORDS and not w.isdigit()}


def sentences(text: str) -> list[str]:
    """Sentences of a markdown text; list items and paragraphs end a sentence too."""
    plain = re.sub(r"[`*_>#|]", " ", text)
    return [" ".join(part.split()) for part in SENTENCE_END.split(plain) if part and part.strip()]


def strings_of(value) -> list[str]:
    """Every string inside a decoded YAML value, keys of mappings left out."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings_of(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings_of(v)]
    return []


@dataclass(frozen=True)
class Sentence:
    where: str
    text: str
    tokens: tuple[str, ...]
    content: frozenset[str]

    @classmethod
    def of(cls, where: str, text: str) -> Sentence:
        tokens = words(text)
        return cls(where, text, tuple(tokens), frozenset(content_words(tokens)))


@dataclass(frozen=True)
class Flag:
    course: Sentence
    seed: Sentence
    ratio: float
    share: float

    def __str__(self) -> str:
        return (f"{self.course.where}: ratio {self.ratio:.2f}, content share {self.share:.0%}\n"
                f"    course: {self.course.text}\n    seed:   {self.seed.text}")


def course_sentences(course_dir: Path) -> list[Sentence]:
    """Every sentence of 8 words or more in the course's YAML files, with its file."""
    found = []
    for path in sorted(course_dir.rglob("*.yaml")):
        rel = path.relative_to(course_dir.parent)
        for text in strings_of(yaml.safe_load(path.read_text(encoding="utf-8"))):
            for sentence in sentences(text):
                if len(WORD.findall(sentence.lower())) >= MIN_SENTENCE_WORDS:
                    found.append(Sentence.of(str(rel), sentence))
    return found


def seed_sentences(folder: Path) -> tuple[list[Sentence], list[Sentence]]:
    """The seed's sentences, and every pair of neighbouring ones joined."""
    single = [Sentence.of(path.name, s)
              for path in sorted(folder.glob("*.txt"))
              for line in path.read_text(encoding="utf-8").splitlines()
              for s in sentences(line)]
    single = [s for s in single if s.tokens]
    pairs = [Sentence.of(a.where, f"{a.text} {b.text}") for a, b in zip(single, single[1:])]
    return single, pairs


def flagged_pairs(course: list[Sentence], single: list[Sentence],
                  pairs: list[Sentence] | tuple = ()) -> list[Flag]:
    """Every (course, seed) pair over a limit; `pairs` are neighbouring seed sentences joined."""
    flags = []
    for other in [*single, *pairs]:
        matcher = SequenceMatcher(a=(), b=other.tokens, autojunk=False)
        for sentence in course:
            share = 0.0
            if len(sentence.content) >= MIN_CONTENT_WORDS:
                share = len(sentence.content & other.content) / len(sentence.content)
            ratio = 0.0
            matcher.set_seq1(sentence.tokens)
            if matcher.real_quick_ratio() >= RATIO_LIMIT and matcher.quick_ratio() >= RATIO_LIMIT:
                shared = sum(block.size for block in matcher.get_matching_blocks())
                ratio = matcher.ratio() if shared >= MIN_SHARED_WORDS else 0.0
            if ratio >= RATIO_LIMIT or share >= SHARE_LIMIT:
                flags.append(Flag(sentence, other, ratio, share))
    return flags


def seed_dir() -> Path | None:
    chosen = os.environ.get("MLQUIZ_SEED_DIR")
    path = Path(chosen) if chosen else Path(__file__).resolve().parents[3] / "shared" / "seed"
    return path if path.is_dir() and any(path.glob("*.txt")) else None


@pytest.fixture(scope="module")
def seed() -> tuple[list[Sentence], list[Sentence]]:
    folder = seed_dir()
    if folder is None:
        pytest.skip("the seed page is not on this machine (set MLQUIZ_SEED_DIR to its folder)")
    return seed_sentences(folder)


def test_no_course_sentence_is_a_near_copy_of_the_seed(seed):
    single, pairs = seed
    flags = flagged_pairs(course_sentences(Path(builtin_course_dir())), single, pairs)
    assert not flags, f"{len(flags)} course sentences are too close to the seed page:\n\n" + \
        "\n\n".join(map(str, flags))


def test_the_check_flags_a_copied_and_a_reworded_seed_sentence(seed):
    single, pairs = seed
    original = next(s for s in single if len(s.tokens) >= 12 and len(s.content) >= 8)
    tokens = list(original.tokens)
    tokens[len(tokens) // 2] = "zebra"           # one word swapped for another
    reworded = Sentence.of("made-up", " ".join(tokens))
    shuffled = Sentence.of("made-up", " ".join(reversed(original.tokens)))  # same words, new order
    unrelated = Sentence.of("made-up", "Our churn service reads the billing table every night "
                                       "and nobody on the pricing team knows it does")
    found = {f.course.text for f in flagged_pairs([original, reworded, shuffled, unrelated], single, pairs)}
    assert original.text in found and reworded.text in found, "a copy and a one-word swap are flagged"
    assert shuffled.text in found, "the same content words in another order are flagged by their share"
    assert unrelated.text not in found, "a sentence of our own passes"


def test_sentences_split_on_ends_lists_and_paragraphs():
    text = "First one here. Second: a list\n\n- item one\n- item two\n1. numbered"
    assert sentences(text) == ["First one here.", "Second:", "a list", "item one", "item two", "numbered"]
    assert words("The ML model, `fast`.") == ["the", "fast"]
    assert stem("features") == stem("feature") and stem("adding") == stem("add")
    assert stem("changed") == stem("change") and stem("risks") == stem("risk")
