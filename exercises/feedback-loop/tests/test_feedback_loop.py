"""Hidden tests: the recommender explores with a seeded epsilon and logs propensities."""
from collections import Counter

import pytest

from mlquiz.grading.judge import SubjectError

TRUE_CTR = {
    "budget-tips": 0.05,
    "city-guide": 0.04,
    "recipes": 0.07,
    "tech-news": 0.03,
    "travel-deals": 0.20,
}
ROUNDS = 10_000
EPSILON = 0.1


@pytest.fixture
def recommender(subject):
    return subject.module("recommender")


def run(recommender, epsilon=EPSILON, seed=7, rounds=ROUNDS):
    try:
        log = recommender.simulate(dict(TRUE_CTR), rounds, epsilon=epsilon, seed=seed)
    except SubjectError as error:
        if not error.is_a("TypeError"):
            raise
        pytest.fail(f"simulate(true_ctr, rounds, epsilon=..., seed=...) must accept epsilon and seed ({error.message})")
    assert type(log) is list and all(type(entry) is dict for entry in log), (
        f"simulate should return a list of dicts, one per round; got {log!r:.200}")
    assert len(log) == rounds, f"simulate should log one entry per round; got {len(log)} for {rounds} rounds"
    return log


_DEFAULT_LOG = []  # this check's default run, shared by the tests that only read it


def default_run(recommender):
    """The log of `run(recommender)` with the default arguments: simulated once per check
    (10,000 rounds cross from the sandbox each time); the seed test runs its own."""
    if not _DEFAULT_LOG:
        _DEFAULT_LOG.append(run(recommender))
    return _DEFAULT_LOG[0]


def field(entry, name):
    assert name in entry, f"every log entry needs a {name!r} field; got {sorted(entry)}"
    return entry[name]


def test_every_article_keeps_getting_shown(recommender):
    shown = Counter(entry["item"] for entry in default_run(recommender))
    rarest = min(TRUE_CTR, key=lambda item: shown[item])
    assert shown[rarest] >= 100, (
        f"in {ROUNDS} rounds with epsilon={EPSILON}, {rarest!r} was shown only "
        f"{shown[rarest]} times (expected about {int(ROUNDS * EPSILON / len(TRUE_CTR))}); "
        "without exploration one unlucky early round writes an article off for good"
    )


def test_exploration_rate_matches_epsilon(recommender):
    log = default_run(recommender)
    rate = sum(bool(field(entry, "explored")) for entry in log) / len(log)
    assert abs(rate - EPSILON) <= 0.02, (
        f"{rate:.3f} of the rounds were marked explored, but epsilon is {EPSILON}; "
        "explore with probability epsilon in every round"
    )


def test_propensities_are_those_of_epsilon_greedy(recommender):
    log = default_run(recommender)
    count = len(TRUE_CTR)
    greedy = 1 - EPSILON + EPSILON / count
    other = EPSILON / count
    for entry in log:
        value = field(entry, "propensity")
        assert 0.0 < value <= 1.0, (
            f"round {entry['round']}: propensity {value!r} is not in (0, 1]; it is the "
            "probability the policy had of picking the shown article"
        )
        assert value == pytest.approx(greedy) or value == pytest.approx(other), (
            f"round {entry['round']}: propensity {value!r} should be {greedy:.3f} for the "
            f"greedy article or {other:.3f} for any other article (epsilon={EPSILON}, "
            f"{count} articles, exploration picks uniformly among all of them)"
        )
        if not entry["explored"]:
            assert value == pytest.approx(greedy), (
                f"round {entry['round']} was not explored, so its article was the greedy "
                f"choice and its propensity must be {greedy:.3f}, not {value!r}"
            )


def test_logged_propensities_allow_offline_evaluation(recommender):
    log = default_run(recommender)
    # Inverse propensity scoring: how would a uniformly random policy have done?
    uniform = 1 / len(TRUE_CTR)
    estimate = sum(entry["clicked"] * uniform / field(entry, "propensity") for entry in log) / len(log)
    truth = sum(TRUE_CTR.values()) / len(TRUE_CTR)
    assert abs(estimate - truth) <= 0.025, (
        f"reweighting the log by 1/propensity estimates a CTR of {estimate:.3f} for a "
        f"random policy whose true CTR is {truth:.3f}; the logged propensities do not "
        "match how often each article was really chosen"
    )


def test_same_seed_same_log(recommender):
    first = run(recommender, seed=11, rounds=2_000)
    again = run(recommender, seed=11, rounds=2_000)
    other = run(recommender, seed=12, rounds=2_000)
    assert first == again, "two runs with the same seed gave different logs; seed every random choice"
    assert first != other, "runs with different seeds gave identical logs; the seed must drive the randomness"


def test_global_random_state_is_left_alone(subject, recommender):
    subject.call("random.seed", 2024)
    before = subject.call("random.getstate")
    run(recommender, rounds=500)
    assert subject.call("random.getstate") == before, (
        "simulate() changed the global random module's state (random.seed or "
        "random.random); use its own random.Random(seed) so other code is not affected"
    )


def test_best_article_wins_the_slot(recommender):
    log = default_run(recommender)
    late = Counter(entry["item"] for entry in log[ROUNDS // 2:])
    winner, _ = late.most_common(1)[0]
    assert winner == "travel-deals", (
        f"in the second half of the run the top slot mostly went to {winner!r}, but "
        "travel-deals has by far the best true CTR; exploration should let the "
        "recommender discover it"
    )
