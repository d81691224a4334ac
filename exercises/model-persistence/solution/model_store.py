"""Save the trained churn model as JSON with its provenance, and load it safely.

    save_model(model, "churn_model.json", training_file="training.csv", version="1.4.0")
    model = load_model("churn_model.json", expected_features=FEATURES)

The file holds numbers and text only, so loading it cannot run code. A
SHA-256 checksum over its content catches edits and corruption (an attacker
who can rewrite the file can recompute it; sign with hmac and a secret key
when that matters). Every problem raises ModelLoadError: never None.
"""

import hashlib
import hmac
import json
import math
import os
from datetime import datetime, timezone
from pathlib import Path

from model import ChurnModel

FORMAT = "churn-model/1"


class ModelLoadError(Exception):
    """The model file cannot be served."""


def file_sha256(path):
    """Hex SHA-256 of a file's bytes: the fingerprint of a training snapshot."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def _checksum(content):
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def save_model(model, path, training_file, version):
    """Write `model` to `path` as JSON with its metadata and a checksum."""
    content = {
        "format": FORMAT,
        "metadata": {
            "version": version,
            "feature_names": model.feature_names,
            "training_data_sha256": file_sha256(training_file),
            "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        },
        "weights": dict(model.weights),
        "bias": model.bias,
    }
    document = dict(content, checksum=_checksum(content))
    temporary = Path(f"{path}.tmp")
    temporary.write_text(json.dumps(document, indent=2), encoding="utf-8")
    os.replace(temporary, path)  # readers never see a half-written model


def _read_document(path):
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ModelLoadError(f"{path}: no model file there") from None
    except UnicodeDecodeError:
        raise ModelLoadError(f"{path}: not a JSON model file (pickles are refused)") from None
    except OSError as error:
        raise ModelLoadError(f"{path}: cannot read it ({error.strerror})") from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise ModelLoadError(f"{path}: not valid JSON ({error.msg}, line {error.lineno})") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ModelLoadError(f"{path}: not a {FORMAT} model file")
    return document


def _is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def load_model(path, expected_features=None):
    """Load the model at `path` for an API that sends `expected_features`."""
    document = _read_document(path)
    stored = document.pop("checksum", None)
    if not isinstance(stored, str) or not hmac.compare_digest(stored, _checksum(document)):
        raise ModelLoadError(f"{path}: checksum mismatch, the file was changed after it was saved")

    metadata, weights, bias = document.get("metadata"), document.get("weights"), document.get("bias")
    if not isinstance(metadata, dict) or not isinstance(weights, dict) or not _is_number(bias):
        raise ModelLoadError(f"{path}: metadata, weights or bias missing or malformed")
    if not all(_is_number(weight) for weight in weights.values()):
        raise ModelLoadError(f"{path}: every weight must be a finite number")
    if metadata.get("feature_names") != list(weights):
        raise ModelLoadError(f"{path}: feature_names do not match the weights")
    if expected_features is not None and list(expected_features) != list(weights):
        raise ModelLoadError(
            f"{path}: model version {metadata.get('version')} was trained on {list(weights)}, "
            f"but the API sends {list(expected_features)}"
        )
    return ChurnModel(weights=weights, bias=bias, metadata=metadata)


if __name__ == "__main__":
    import csv
    import random
    import tempfile

    from model import train

    features = ["tenure_years", "support_calls", "monthly_charges_100"]
    rng = random.Random(5)
    rows = [{"tenure_years": rng.uniform(0, 6), "support_calls": rng.randint(0, 6),
             "monthly_charges_100": rng.uniform(0.2, 1.2)} for _ in range(200)]
    labels = [int(r["support_calls"] - r["tenure_years"] + rng.gauss(0, 1) > 1) for r in rows]

    folder = Path(tempfile.mkdtemp())
    training_file = folder / "training.csv"
    with open(training_file, "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=features)
        writer.writeheader()
        writer.writerows(rows)

    model = train(rows, labels, features)
    save_model(model, folder / "churn_model.json", training_file, version="1.4.0")
    print("saved", folder / "churn_model.json")

    try:
        load_model(folder / "churn-model.json", expected_features=features)
    except ModelLoadError as error:
        print("refused to start:", error)
    served = load_model(folder / "churn_model.json", expected_features=features)
    print(f"API started with model {served.metadata['version']}: {served.predict(rows[0]):.3f}")
