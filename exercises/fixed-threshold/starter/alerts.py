"""Fraud alerts: send card transactions with a high model score to review.

    >>> should_flag(0.93)
    True

The review team can look at about 5% of the day's transactions.
"""

ALERT = 0.7  # agreed with the fraud team when model v1 launched


def should_flag(score):
    """True when a transaction goes to manual review."""
    return score >= ALERT


def flag_rate(scores):
    """Share of transactions flagged: flag_rate([0.9, 0.1]) -> 0.5"""
    if not scores:
        return 0.0
    return sum(should_flag(score) for score in scores) / len(scores)


def daily_summary(scores):
    """One line for the fraud team's morning email."""
    flagged = sum(should_flag(score) for score in scores)
    return f"{flagged} of {len(scores)} transactions flagged ({flag_rate(scores):.1%})"


if __name__ == "__main__":
    import math
    import random

    rng = random.Random(1)

    def transaction(fraud):
        # Model v3 is better calibrated than v1 and scores everything lower.
        return 1 / (1 + math.exp(-rng.gauss(0.5 if fraud else -3.0, 1.2)))

    live = [transaction(rng.random() < 0.04) for _ in range(5000)]
    print(daily_summary(live))
