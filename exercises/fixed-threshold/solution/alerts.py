"""Fraud alerts: send card transactions with a high model score to review.

The threshold is learned for each model version on held-out, labelled data
(choose_threshold), and the live flag rate is watched against the band the
review team can handle (check_flag_rate):

    >>> threshold = choose_threshold([0.9, 0.8, 0.4, 0.2], [1, 1, 0, 0], 0.9)
    >>> threshold, check_flag_rate([0.85, 0.1, 0.2, 0.3], threshold, (0.1, 0.3))
    (0.8, 'ok')
"""


def should_flag(score, threshold):
    """True when a transaction goes to manual review."""
    return score >= threshold


def flag_rate(scores, threshold):
    """Share of transactions flagged: flag_rate([0.9, 0.1], 0.5) -> 0.5"""
    if not scores:
        return 0.0
    return sum(should_flag(score, threshold) for score in scores) / len(scores)


def choose_threshold(scores, labels, target_precision):
    """Lowest threshold whose precision on held-out data reaches the target.

    Flagging means score >= threshold. The lowest such threshold flags the
    most fraud for the precision asked. Returns None when no threshold
    reaches the target.
    """
    if len(scores) != len(labels):
        raise ValueError(f"{len(scores)} scores but {len(labels)} labels")
    ranked = sorted(zip(scores, labels), key=lambda pair: pair[0], reverse=True)
    best = None
    true_flags = flagged = 0
    for index, (score, label) in enumerate(ranked):
        flagged += 1
        true_flags += bool(label)
        last_of_tie = index + 1 == len(ranked) or ranked[index + 1][0] != score
        if last_of_tie and true_flags / flagged >= target_precision:
            best = score
    return best


def check_flag_rate(live_scores, threshold, band):
    """'ok', 'too_low' or 'too_high': is today's flag rate inside band = (low, high)?"""
    low, high = band
    rate = flag_rate(live_scores, threshold)
    if rate < low:
        return "too_low"
    if rate > high:
        return "too_high"
    return "ok"


def daily_summary(scores, threshold, band):
    """One line for the fraud team's morning email."""
    flagged = sum(should_flag(score, threshold) for score in scores)
    status = check_flag_rate(scores, threshold, band)
    return (
        f"{flagged} of {len(scores)} transactions flagged ({flag_rate(scores, threshold):.1%}) "
        f"at threshold {threshold:.3f}: {status}"
    )


if __name__ == "__main__":
    import math
    import random

    rng = random.Random(1)

    def transaction(fraud):
        return 1 / (1 + math.exp(-rng.gauss(0.5 if fraud else -3.0, 1.2))), int(fraud)

    held_out = [transaction(rng.random() < 0.04) for _ in range(5000)]
    threshold = choose_threshold([s for s, _ in held_out], [y for _, y in held_out], 0.6)
    live = [transaction(rng.random() < 0.04)[0] for _ in range(5000)]
    print(daily_summary(live, threshold, band=(0.02, 0.08)))
