"""Home-page recommender: which article gets the top slot?

Epsilon-greedy: with probability epsilon the slot goes to an article drawn
uniformly from all of them (exploration), otherwise to the article with the
best CTR estimate. Every choice is logged with its propensity, the
probability the policy had of making it, so the log can be used later to
evaluate other policies without bias:

    log = simulate(true_ctr, 10_000, epsilon=0.1, seed=7)
    log[0]  # {"round": 0, "item": ..., "clicked": ..., "explored": ..., "propensity": ...}
"""
import random

ARTICLES = ("budget-tips", "city-guide", "recipes", "tech-news", "travel-deals")

# CTR estimates from launch week, when budget-tips was on every banner.
LAUNCH_ESTIMATES = {
    "budget-tips": 0.08,
    "city-guide": 0.02,
    "recipes": 0.03,
    "tech-news": 0.01,
    "travel-deals": 0.02,
}


def estimate(item, shows, clicks, prior=LAUNCH_ESTIMATES):
    """Observed CTR of an item, or its launch estimate if it was never shown."""
    return clicks[item] / shows[item] if shows[item] else prior[item]


def propensity(item, best, epsilon, count=len(ARTICLES)):
    """Probability that epsilon-greedy picks item when best is the greedy choice."""
    chance = epsilon / count
    return 1.0 - epsilon + chance if item == best else chance


def simulate(true_ctr, rounds, epsilon=0.1, seed=0):
    """Run the recommender against users who click with probability true_ctr[item].

    All randomness comes from one random.Random(seed): the same seed gives the
    same log, and the global random module is left alone.
    """
    if not 0.0 <= epsilon <= 1.0:
        raise ValueError(f"epsilon must be between 0 and 1, got {epsilon}")
    rng = random.Random(seed)
    shows = {item: 0 for item in ARTICLES}
    clicks = {item: 0 for item in ARTICLES}
    log = []
    for round_number in range(rounds):
        best = max(ARTICLES, key=lambda name: estimate(name, shows, clicks))
        explored = rng.random() < epsilon
        item = rng.choice(ARTICLES) if explored else best
        clicked = rng.random() < true_ctr[item]
        shows[item] += 1
        clicks[item] += clicked
        log.append({
            "round": round_number,
            "item": item,
            "clicked": clicked,
            "explored": explored,
            "propensity": propensity(item, best, epsilon),
        })
    return log


if __name__ == "__main__":
    truth = {"budget-tips": 0.05, "city-guide": 0.04, "recipes": 0.07,
             "tech-news": 0.03, "travel-deals": 0.20}
    history = simulate(truth, 10_000, epsilon=0.1, seed=7)
    for article in ARTICLES:
        print(f"{article:13} shown {sum(e['item'] == article for e in history):6}")
