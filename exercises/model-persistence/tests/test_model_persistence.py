"""Hidden tests: the model file is JSON with provenance, checked on load, never None."""

import hashlib
import json
import pickle
from datetime import datetime

import pytest

from mlquiz.grading.judge import SubjectError

FEATURES = ["tenure_years", "support_calls", "monthly_charges_100"]
WEIGHTS = {"tenure_years": -0.4127, "support_calls": 0.3517, "monthly_charges_100": 1.2093}
RECORDS = [
    {"tenure_years": t / 3, "support_calls": t % 7, "monthly_charges_100": 0.25 + t / 20} for t in range(12)
]
NONE_HINT = "the API would crash later with AttributeError: 'NoneType' object has no attribute 'predict'"


class _Payload:
    """Unpickling this runs code that creates `path`: what a malicious model file can do."""

    def __init__(self, path):
        self.path = str(path)

    def __reduce__(self):
        return (exec, (f"open({self.path!r}, 'w').write('pickle payload ran')",))


class Saved:
    """A file in the check folder: `.rel` for the judge's reads, `.path` a pathlib.Path
    made in the subject for the learner's code."""

    def __init__(self, subject, rel):
        self.subject, self.rel = subject, rel
        self.path = subject.call("pathlib.Path", rel)

    def read_bytes(self):
        return self.subject.read_bytes(self.rel)

    def read_text(self, encoding="utf-8"):
        return self.read_bytes().decode(encoding)

    def write_bytes(self, data):
        self.subject.write_bytes(self.rel, data)

    def write_text(self, text, encoding="utf-8"):
        self.subject.write_bytes(self.rel, text.encode(encoding))

    def exists(self):
        return self.subject.exists(self.rel)


@pytest.fixture
def saved(subject):
    """(model, model path, training file) after one save_model call."""
    training = Saved(subject, "training.csv")
    training.write_text("tenure_years,support_calls,monthly_charges_100,churned\n1.5,3,0.7,1\n4.0,0,0.4,0\n")
    model = subject.call("model.ChurnModel", weights=dict(WEIGHTS), bias=-0.75)
    path = Saved(subject, "churn_model.json")
    subject.call("model_store.save_model", model, path.path, training.path, "2.3.0")
    return model, path, training


def saved_json(path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        pytest.fail(f"the saved model file is not JSON ({type(error).__name__}: {error}); save it with json, not pickle")
    except FileNotFoundError:
        pytest.fail("save_model wrote no file at the path it was given")


def load_model(path, **kwargs):
    return path.subject.call("model_store.load_model", path.path, **kwargs)


def expect_refusal(path, why, **kwargs):
    """load_model must raise ModelLoadError; returning anything, None included, fails."""
    try:
        result = load_model(path, **kwargs)
    except SubjectError as error:
        if error.is_a("ModelLoadError"):
            return
        pytest.fail(f"{why}: load_model should raise ModelLoadError, but raised {error.type_name}: {error.message}")
    if result is None:
        pytest.fail(f"{why}, and load_model returned None instead of raising ModelLoadError: {NONE_HINT}")
    pytest.fail(f"{why}, yet load_model returned a model instead of raising ModelLoadError")


def test_round_trip_gives_identical_predictions(saved):
    model, path, _ = saved
    loaded = load_model(path, expected_features=FEATURES)
    assert loaded is not None, f"load_model returned None for a file save_model had just written: {NONE_HINT}"
    for i, record in enumerate(RECORDS):
        assert loaded.predict(record) == model.predict(record), (
            f"record {i}: the loaded model predicts {loaded.predict(record)!r}, the saved one {model.predict(record)!r}"
        )


def test_metadata_records_where_the_model_came_from(saved):
    model, path, training = saved
    metadata = saved_json(path).get("metadata")
    assert isinstance(metadata, dict), "the saved JSON needs a 'metadata' object at its top level"
    assert metadata.get("version") == "2.3.0", f"metadata.version should be '2.3.0', got {metadata.get('version')!r}"
    assert metadata.get("feature_names") == FEATURES, (
        f"metadata.feature_names should list the model's features in order, {FEATURES}; got {metadata.get('feature_names')!r}"
    )
    expected_hash = hashlib.sha256(training.read_bytes()).hexdigest()
    assert metadata.get("training_data_sha256") == expected_hash, (
        "metadata.training_data_sha256 should be the SHA-256 hex digest of the training file's bytes, "
        f"{expected_hash[:12]}..., got {str(metadata.get('training_data_sha256'))[:40]!r}"
    )
    created = str(metadata.get("created_at"))
    try:
        datetime.fromisoformat(created.replace("Z", "+00:00"))
    except ValueError:
        pytest.fail(f"metadata.created_at should be an ISO 8601 time such as 2026-03-01T09:30:00+00:00, got {created!r}")


def test_missing_file_fails_loudly(subject):
    expect_refusal(Saved(subject, "churn-model.json"), "the model file does not exist")


def test_truncated_file_fails_loudly(saved):
    _, path, _ = saved
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    expect_refusal(path, "the model file was cut in half (a full disk during the copy)")


def test_tampered_weight_is_detected(saved):
    _, path, _ = saved
    document = saved_json(path)
    changed = []

    def tamper(node):
        if isinstance(node, dict):
            return {key: tamper(value) for key, value in node.items()}
        if isinstance(node, list):
            return [tamper(value) for value in node]
        if node == WEIGHTS["support_calls"]:
            changed.append(node)
            return 3.517
        return node

    document = tamper(document)
    assert changed, "could not find the weight 0.3517 as a JSON number in the saved file; save the weights as numbers"
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    expect_refusal(path, "one weight was edited in the saved file (0.3517 -> 3.517)")


def edited_copy(path, where, change):
    """Rewrite the saved file with one value changed: `where` is a path of keys into the JSON."""
    document = saved_json(path)
    node = document
    for key in where[:-1]:
        node = node.get(key) if isinstance(node, dict) else None
    if not isinstance(node, dict) or where[-1] not in node:
        pytest.fail(f"the saved JSON has no {'.'.join(where)}; follow the layout in the task")
    node[where[-1]] = change(node[where[-1]])
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")


def test_an_edited_bias_is_detected(saved):
    _, path, _ = saved
    edited_copy(path, ["bias"], lambda bias: -bias)
    expect_refusal(path, "the bias was edited in the saved file (-0.75 -> 0.75), which shifts every prediction; "
                         "the checksum must cover the bias too, not only the weights")


def test_an_edited_feature_list_is_detected(saved):
    _, path, _ = saved
    edited_copy(path, ["metadata", "feature_names"], lambda names: list(reversed(names)))
    expect_refusal(path, "metadata.feature_names was reordered in the saved file, so an API that trusts it would "
                         "send the inputs in the wrong order; the checksum must cover the metadata too")


def test_edited_provenance_is_detected(saved):
    _, path, _ = saved
    edited_copy(path, ["metadata", "version"], lambda version: "9.9.9")
    expect_refusal(path, "metadata.version was edited in the saved file (2.3.0 -> 9.9.9); the checksum covers "
                         "everything in the file except itself, so an edited provenance cannot load")


def test_feature_mismatch_is_refused(saved):
    _, path, _ = saved
    api_features = ["tenure_months", "support_calls", "monthly_charges_100"]
    expect_refusal(
        path,
        f"the model was trained on {FEATURES} but the API sends {api_features}",
        expected_features=api_features,
    )


def test_crafted_pickle_is_refused_without_running_it(subject):
    sentinel = Saved(subject, "payload_ran.txt")
    path = Saved(subject, "churn_model.json")
    path.write_bytes(pickle.dumps(_Payload(sentinel.rel)))
    try:
        load_model(path)
    except SubjectError:  # the sentinel is what matters here
        pass
    assert not sentinel.exists(), (
        "loading a crafted model file ran the code hidden inside it (it created payload_ran.txt). "
        "pickle.load executes whatever the file tells it to; read the model with json instead"
    )
    expect_refusal(path, "the model file is a pickle, not a JSON model file")
