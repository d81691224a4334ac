"""What crosses between the grading processes round-trips exactly, and nothing else is taken."""
from __future__ import annotations

import json

import pytest

from mlquiz.grading.spec import CheckSpec, GoDetails, JudgeSpec, Limits, Prestart, SpecError

SPEC = CheckSpec("/tmp/app/submitted-x", "/tmp/app/tests-ab12", Limits(timeout_s=3, files=300),
                 1234.5, "9f" * 16, False, "/tmp/app/tests-cd34")


@pytest.mark.parametrize("value", [
    SPEC, CheckSpec("/s", "/t", Limits(), 1.0, "tok"),
    JudgeSpec(Limits(), 3, 4, 5, True, "/check", "/submitted", "/judge"),
    GoDetails(99.25, "abc"), Limits(timeout_s=0.5),
])
def test_each_spec_survives_the_wire_unchanged(value):
    assert type(value).from_json(json.loads(json.dumps(value.to_json()))) == value


def test_a_prestart_travels_under_its_own_key():
    prestart = Prestart(Limits(timeout_s=2), True, "/tmp/app/tests-ab12")
    message = json.loads(json.dumps(prestart.to_json()))
    assert set(message) == {"prestart"}
    assert Prestart.from_json(message["prestart"]) == prestart


@pytest.mark.parametrize("change, problem", [
    ({"deadline": "soon"}, "'deadline' is str"),
    ({"token": 7}, "'token' is int"),
    ({"unsandboxed": 1}, "'unsandboxed' is int"),
    ({"next_tests": ["/a"]}, "'next_tests' is a path or null"),
    ({"extra": 1}, "has no extra"),
    ({"limits": {**Limits().to_json(), "processes": 64.0}}, "'processes' is float"),
    ({"limits": {**Limits().to_json(), "timeout_s": -1}}, "limits are positive"),
    ({"limits": [1, 2]}, "a Limits is a JSON object"),
])
def test_a_spec_the_worker_refuses(change, problem):
    data = {**SPEC.to_json(), **change}
    with pytest.raises(SpecError, match=problem):
        CheckSpec.from_json(data)


def test_a_missing_field_is_named():
    data = SPEC.to_json()
    del data["tests"]
    with pytest.raises(SpecError, match="no 'tests'"):
        CheckSpec.from_json(data)


def test_specs_are_frozen():
    with pytest.raises(AttributeError):
        SPEC.deadline = 0  # type: ignore[misc]
    moved = JudgeSpec(Limits(), 3, 4, 5).at("/check", "/submitted", "/judge")
    assert moved.tests == "/judge/tests" and moved.ini == "/judge/pytest.ini"


def test_the_worker_answers_a_refused_spec_with_one_line_and_keeps_serving(tmp_path):
    """A malformed request is an error answer; the next good request still runs."""
    import subprocess
    import sys

    from mlquiz.grading.worker import own_import_root

    worker = subprocess.Popen([sys.executable, "-c", "from mlquiz.grading.worker import serve; serve()"],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                              env={"PYTHONPATH": own_import_root(), "PATH": "/usr/bin:/bin"})
    try:
        assert json.loads(worker.stdout.readline()) == {"ready": True}
        worker.stdin.write(json.dumps({**SPEC.to_json(), "deadline": "soon"}) + "\n")
        worker.stdin.write(json.dumps({"prestart": {"limits": "no"}}) + "\n")  # ignored: no answer
        worker.stdin.flush()
        answer = json.loads(worker.stdout.readline())
        assert answer["error"].startswith("the grader's worker was sent a request it does not take")
        assert "'deadline' is str" in answer["error"]
    finally:
        worker.stdin.close()
        worker.wait(timeout=10)
