"""Churn-risk score that picks who gets a retention call this week.

Production calls score(customer, config) with no flags. The flags are
left over from experiments; nobody remembers whether they still matter.
"""
import math

from config import BASE_CONFIG, load_config


def score(customer, config, exp_holiday_boost=False, legacy_bucket=False, use_v2=False):
    model = config.get("model", {})
    weights = model.get("weights", {})
    bias = model.get("bias", -1.0)
    if use_v2:
        # v2 experiment, spring 2021: squared tenure. Never shipped.
        z = (bias + weights.get("tenure2", -0.05) * customer["tenure_years"] ** 2
             + weights.get("calls", 0.5) * customer["support_calls"])
    else:
        z = (bias + weights.get("tenure", -0.3) * customer["tenure_years"]
             + weights.get("calls", 0.5) * customer["support_calls"]
             + weights.get("fee", 0.01) * customer["monthly_fee"])
    if exp_holiday_boost and customer.get("month") == 12:
        z += 0.7  # December test by the marketing team
    probability = 1.0 / (1.0 + math.exp(-z))
    if legacy_bucket:
        # The old dashboard could only show ten buckets.
        return math.floor(probability * 10) / 10
    return probability


def needs_call(customer, config):
    threshold = config.get("scoring", {}).get("threshold", 0.5)
    return score(customer, config) >= threshold


if __name__ == "__main__":
    experiment = load_config(BASE_CONFIG, {"scoring": {"treshold": 0.3}})  # typo: ignored
    customer = {"tenure_years": 2.0, "support_calls": 4, "monthly_fee": 39.0}
    print("score:", round(score(customer, experiment), 3), "call:", needs_call(customer, experiment))
