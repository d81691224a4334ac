"""Bits of feature code that training and serving both use."""

PLANS = ("basic", "standard", "premium")
PRODUCTS = ("has_phone", "has_internet", "has_tv")


def one_hot(prefix, value, choices):
    """one_hot("plan", "basic", PLANS) -> {"plan_basic": 1, "plan_standard": 0, ...}"""
    return {f"{prefix}_{choice}": int(value == choice) for choice in choices}
