"""Settings of the churn scorer, written as small, checked diffs of BASE_CONFIG.

    config = load_config(BASE_CONFIG, {"training": {"learning_rate": 0.1}})
    diff(BASE_CONFIG, config)   # {"training.learning_rate": (0.05, 0.1)}

load_config raises ConfigError for an unknown key, a wrong type or a value
out of range, and never changes the dicts it is given.
"""
from typing import NamedTuple


class ConfigError(ValueError):
    """A config that must not reach production."""


class Setting(NamedTuple):
    kind: type
    low: float
    high: float


SCHEMA = {
    "model": {
        "weights": {
            "tenure": Setting(float, -5.0, 5.0),
            "calls": Setting(float, -5.0, 5.0),
            "fee": Setting(float, -5.0, 5.0),
        },
        "bias": Setting(float, -10.0, 10.0),
    },
    "training": {
        "learning_rate": Setting(float, 1e-6, 1.0),
        "epochs": Setting(int, 1, 10_000),
    },
    "scoring": {"threshold": Setting(float, 0.0, 1.0)},
}

BASE_CONFIG = {
    "model": {
        "weights": {"tenure": -0.3, "calls": 0.5, "fee": 0.01},
        "bias": -1.2,
    },
    "training": {"learning_rate": 0.05, "epochs": 200},
    "scoring": {"threshold": 0.5},
}

_MISSING = object()


def load_config(base, overrides):
    """Return a new, validated config: base with overrides applied."""
    return _merge(SCHEMA, base, overrides, path="")


def diff(a, b):
    """Changed settings only, as {"section.key": (value_in_a, value_in_b)}."""
    flat_a, flat_b = _flatten(a), _flatten(b)
    return {
        key: (flat_a.get(key), flat_b.get(key))
        for key in sorted(flat_a.keys() | flat_b.keys())
        if flat_a.get(key) != flat_b.get(key)
    }


def _merge(schema, base, overrides, path):
    for source in (base, overrides):
        if not isinstance(source, dict):
            raise ConfigError(f"{path.rstrip('.') or 'config'} must be a section (a mapping), got {source!r}")
        unknown = sorted(set(source) - set(schema))
        if unknown:
            raise ConfigError(f"unknown setting {path}{unknown[0]}")
    merged = {}
    for key, rule in schema.items():
        name = path + key
        if isinstance(rule, dict):
            merged[key] = _merge(rule, base.get(key, {}), overrides.get(key, {}), name + ".")
        else:
            merged[key] = _check(name, rule, overrides.get(key, base.get(key, _MISSING)))
    return merged


def _check(name, rule, value):
    if value is _MISSING:
        raise ConfigError(f"missing setting {name}")
    allowed = (int, float) if rule.kind is float else (rule.kind,)
    if isinstance(value, bool) or not isinstance(value, allowed):
        raise ConfigError(f"{name} must be {rule.kind.__name__}, got {value!r}")
    if not rule.low <= value <= rule.high:
        raise ConfigError(f"{name} must be between {rule.low} and {rule.high}, got {value!r}")
    return rule.kind(value)


def _flatten(config, prefix=""):
    flat = {}
    for key, value in config.items():
        if isinstance(value, dict):
            flat.update(_flatten(value, prefix + key + "."))
        else:
            flat[prefix + key] = value
    return flat
