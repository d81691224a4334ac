"""A second load of unchanged content reads no YAML; any change is noticed."""
from __future__ import annotations

import os
from types import SimpleNamespace

import pytest

from mlquiz.content import ContentError, load_course
from mlquiz.content import cache, yamlfile

from .conftest import QUESTIONS, make_course, replaced


@pytest.fixture
def no_parsing(monkeypatch):
    """After this, reading any YAML file fails the test."""
    def refuse(text):
        raise AssertionError("YAML was parsed although the cache should have answered")

    def forbid():
        monkeypatch.setattr(yamlfile, "compose_text", refuse)
    return forbid


def test_a_warm_load_does_not_parse_yaml(tmp_path, no_parsing):
    course_dir = make_course(tmp_path)
    cold = load_course(course_dir)
    no_parsing()
    warm = load_course(course_dir)
    assert warm == cold
    assert warm.modules[0].lesson.mental_model.diagram == cold.modules[0].lesson.mental_model.diagram


def test_a_changed_file_is_parsed_again(tmp_path):
    course_dir = make_course(tmp_path)
    load_course(course_dir)
    questions = course_dir / "m1" / "questions.yaml"
    questions.write_text(replaced(QUESTIONS, "stem: What?", "stem: What now, exactly?"))
    assert load_course(course_dir).modules[0].questions[0].stem == "What now, exactly?"


def test_a_same_size_change_is_noticed_by_its_mtime(tmp_path):
    course_dir = make_course(tmp_path)
    load_course(course_dir)
    questions = course_dir / "m1" / "questions.yaml"
    before = questions.stat()
    questions.write_text(replaced(QUESTIONS, "stem: What?", "stem: Why?!"))
    os.utime(questions, ns=(before.st_atime_ns, before.st_mtime_ns + 1_000_000))
    assert questions.stat().st_size == before.st_size
    assert load_course(course_dir).modules[0].questions[0].stem == "Why?!"


def test_an_added_questions_file_is_noticed(tmp_path):
    course_dir = make_course(tmp_path)
    assert len(load_course(course_dir).modules[0].questions) == 1
    extra = replaced(QUESTIONS, "id: q-one", "id: q-two")
    (course_dir / "m1" / "questions-extra.yaml").write_text(extra)
    assert [q.id for q in load_course(course_dir).modules[0].questions] == ["q-one", "q-two"]


def test_a_removed_file_is_noticed(tmp_path):
    course_dir = make_course(tmp_path)
    load_course(course_dir)
    (course_dir / "m1" / "flashcards.yaml").unlink()
    assert load_course(course_dir).modules[0].flashcards == ()


def test_a_file_broken_after_caching_raises_with_its_location(tmp_path):
    course_dir = make_course(tmp_path)
    load_course(course_dir)
    (course_dir / "m1" / "questions.yaml").write_text(replaced(QUESTIONS, "answer: C", "answer: Q"))
    with pytest.raises(ContentError) as caught:
        load_course(course_dir)
    assert "questions.yaml:7:13: questions[0].answer: answer 'Q' is not among the options" in str(caught.value)


def test_a_corrupt_cache_file_falls_back_to_parsing(tmp_path):
    course_dir = make_course(tmp_path)
    load_course(course_dir)
    cache.cache_file(course_dir).write_bytes(b"\x80\x05not a pickle at all")
    assert load_course(course_dir).id == "demo"


def test_an_unwritable_cache_folder_is_silently_skipped(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file-not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("MLQUIZ_CACHE_DIR", str(blocker / "cache"))
    course_dir = make_course(tmp_path)
    assert load_course(course_dir).id == "demo"
    assert load_course(course_dir).id == "demo"


def test_use_cache_false_neither_reads_nor_writes_it(tmp_path):
    course_dir = make_course(tmp_path)
    load_course(course_dir, use_cache=False)
    assert not cache.cache_file(course_dir).exists()


def test_another_mlquiz_version_does_not_reuse_the_cache(tmp_path, monkeypatch, no_parsing):
    course_dir = make_course(tmp_path)
    load_course(course_dir)
    monkeypatch.setattr(cache, "__version__", "99.0")
    with pytest.raises(AssertionError, match="YAML was parsed"):
        no_parsing()
        load_course(course_dir)


def test_a_cache_of_other_loader_code_is_not_reused(tmp_path, monkeypatch, no_parsing):
    course_dir = make_course(tmp_path)
    load_course(course_dir)
    [code_file] = [p for p, *_ in cache._code_stamps().items() if p.endswith("models.py")]
    real_stat = os.stat

    def stat_with_models_edited(path, *args, **kwargs):
        result = real_stat(path, *args, **kwargs)
        if str(path) == code_file:  # as if models.py had been saved again, one byte longer
            return SimpleNamespace(st_size=result.st_size + 1, st_mtime_ns=result.st_mtime_ns + 1)
        return result
    monkeypatch.setattr(os, "stat", stat_with_models_edited)
    with pytest.raises(AssertionError, match="YAML was parsed"):
        no_parsing()
        load_course(course_dir)


class _Payload:
    """Unpickling this would create `path`: what a planted pickle cache could do."""

    def __init__(self, path):
        self.path = str(path)

    def __reduce__(self):
        return (exec, (f"open({self.path!r}, 'w').write('cache payload ran')",))


def test_a_planted_pickle_cache_runs_nothing(tmp_path):
    import pickle

    course_dir = make_course(tmp_path)
    load_course(course_dir)
    sentinel = tmp_path / "payload-ran.txt"
    target = cache.cache_file(course_dir)
    header = target.read_bytes().split(b"\n", 1)[0]
    target.write_bytes(header + b"\n" + pickle.dumps(_Payload(sentinel)))
    assert load_course(course_dir).id == "demo"
    assert not sentinel.exists(), "reading the content cache ran code"
    assert target.suffix == ".json"


def test_a_cache_with_a_wrong_type_is_a_miss_not_a_bad_course(tmp_path):
    course_dir = make_course(tmp_path)
    right = load_course(course_dir)
    target = cache.cache_file(course_dir)
    header, body = target.read_bytes().split(b"\n", 1)
    body = body.replace(b'"minutes":', b'"minutes":"many","was":', 1)
    target.write_bytes(header + b"\n" + body)
    assert cache.read(course_dir) is None
    assert load_course(course_dir) == right
