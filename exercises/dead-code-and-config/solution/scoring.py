"""Churn-risk score that picks who gets a retention call this week.

The config comes from config.load_config, so every key is known to exist
and to be valid; score() reads it directly instead of guessing defaults:

    score({"tenure_years": 2.0, "support_calls": 4, "monthly_fee": 39.0}, BASE_CONFIG)
"""
import math

from config import BASE_CONFIG, load_config


def score(customer, config):
    """Churn probability of one customer."""
    model = config["model"]
    weights = model["weights"]
    z = (model["bias"] + weights["tenure"] * customer["tenure_years"]
         + weights["calls"] * customer["support_calls"]
         + weights["fee"] * customer["monthly_fee"])
    return 1.0 / (1.0 + math.exp(-z))


def needs_call(customer, config):
    """True when the customer's score reaches the configured threshold."""
    return score(customer, config) >= config["scoring"]["threshold"]


if __name__ == "__main__":
    experiment = load_config(BASE_CONFIG, {"scoring": {"threshold": 0.3}})
    customer = {"tenure_years": 2.0, "support_calls": 4, "monthly_fee": 39.0}
    print("score:", round(score(customer, experiment), 3), "call:", needs_call(customer, experiment))
