"""Home-page recommender: which article gets the top slot?

Each round it shows the article with the best click-through rate (CTR)
estimate and learns from the clicks on what it showed. Articles it has
never shown keep the estimate they had in launch week.
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


def simulate(true_ctr, rounds, seed=0):
    """Run the recommender against users who click with probability true_ctr[item].

    Returns the log: one {"round", "item", "clicked"} dict per round.
    """
    random.seed(seed)
    shows = {item: 0 for item in ARTICLES}
    clicks = {item: 0 for item in ARTICLES}
    log = []
    for round_number in range(rounds):
        item = max(ARTICLES, key=lambda name: estimate(name, shows, clicks))
        clicked = random.random() < true_ctr[item]
        shows[item] += 1
        clicks[item] += clicked
        log.append({"round": round_number, "item": item, "clicked": clicked})
    return log


if __name__ == "__main__":
    truth = {"budget-tips": 0.05, "city-guide": 0.04, "recipes": 0.07,
             "tech-news": 0.03, "travel-deals": 0.20}
    history = simulate(truth, 10_000)
    for article in ARTICLES:
        print(f"{article:13} shown {sum(e['item'] == article for e in history):6}")
