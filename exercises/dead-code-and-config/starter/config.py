"""Settings of the churn scorer. Experiments are written as overrides of BASE_CONFIG."""

BASE_CONFIG = {
    "model": {
        "weights": {"tenure": -0.3, "calls": 0.5, "fee": 0.01},
        "bias": -1.2,
    },
    "training": {"learning_rate": 0.05, "epochs": 200},
    "scoring": {"threshold": 0.5},
}


def load_config(base, overrides):
    """Apply an experiment's overrides to the base config."""
    config = base
    for section, values in overrides.items():
        config.setdefault(section, {}).update(values)
    return config


def diff(a, b):
    """What an experiment changed compared with another config."""
    return {key: (a.get(key), b.get(key)) for key in b}
