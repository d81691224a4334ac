"""The release gate: may a candidate model replace the serving one, and may a canary go on?

    decision = should_promote(candidate_report, serving_report)
    decision["promote"]   # True or False
    decision["reasons"]   # why not, one readable line each ([] when promoted)

    canary_verdict(canary_stats, baseline_stats)   # "promote" | "wait" | "rollback"

A canary with fewer than MIN_CANARY_REQUESTS requests is never promoted, but it is rolled
back at once when its errors are too many to be chance: an exact one-sided binomial test
against the baseline's error rate, at EARLY_ROLLBACK_P.

An evaluation report looks like this (AUC on the same held-out set):

    {"version": "v42", "overall_auc": 0.874, "predictions": 20000, "non_finite": 0,
     "slices": {"web": {"auc": 0.886, "count": 14000},
                "mobile": {"auc": 0.781, "count": 1200}}}

Live canary statistics look like this:

    {"requests": 5000, "errors": 12, "p99_ms": 180.0}
"""
import math

FLOOR_AUC = 0.80          # no model below this serves, whatever it replaces
TOLERANCE = 0.005         # overall AUC may drop at most this much against the serving model
SLICE_TOLERANCE = 0.02    # each important slice may drop at most this much
MIN_SLICE_COUNT = 200     # slices with fewer examples are too noisy to judge

MIN_CANARY_REQUESTS = 1000
MAX_ERROR_RATIO = 1.5     # canary error rate at most 1.5x the baseline's
MAX_LATENCY_RATIO = 1.3   # canary p99 latency at most 1.3x the baseline's
EARLY_ROLLBACK_P = 0.001  # before MIN_CANARY_REQUESTS: roll back only on errors less likely than this by chance


def finite(x):
    return isinstance(x, (int, float)) and math.isfinite(x)


def should_promote(candidate, serving):
    reasons = []
    auc = candidate["overall_auc"]
    if candidate.get("non_finite", 0) > 0 or not finite(auc):
        reasons.append(f"{candidate.get('non_finite', 0)} non-finite predictions (NaN or infinity)")
    if finite(auc):
        if auc < FLOOR_AUC:
            reasons.append(f"overall AUC {auc:.3f} is below the floor {FLOOR_AUC}")
        if auc < serving["overall_auc"] - TOLERANCE:
            reasons.append(f"overall AUC {auc:.3f} is worse than the serving model's {serving['overall_auc']:.3f}")
    slices = candidate.get("slices", {})
    for name, old in serving.get("slices", {}).items():
        if old["count"] < MIN_SLICE_COUNT:
            continue
        new = slices.get(name)
        if new is None:
            reasons.append(f"slice {name}: missing from the candidate's evaluation")
        elif not finite(new["auc"]) or new["auc"] < old["auc"] - SLICE_TOLERANCE:
            reasons.append(f"slice {name}: AUC {new['auc']:.3f} against {old['auc']:.3f} for the serving model")
    return {"promote": not reasons, "reasons": reasons}


def chance_of_at_least(errors, requests, rate):
    """How likely `errors` or more failures in `requests` are for a canary that fails each
    request with probability `rate`: the upper tail of the binomial distribution.

    chance_of_at_least(1, 40, 0.001) -> 0.039...   (one error in 40 could be bad luck)
    """
    if errors <= 0:
        return 1.0
    if rate <= 0.0:
        return 0.0
    if rate >= 1.0:
        return 1.0
    # each term in logs, so large counts never overflow a float
    return sum(math.exp(math.lgamma(requests + 1) - math.lgamma(i + 1) - math.lgamma(requests - i + 1)
                        + i * math.log(rate) + (requests - i) * math.log1p(-rate))
               for i in range(errors, requests + 1))


def canary_verdict(canary, baseline):
    baseline_rate = baseline["errors"] / baseline["requests"] if baseline["requests"] else 0.0
    if canary["requests"] < MIN_CANARY_REQUESTS:
        # too few requests to promote, but enough to roll back errors that cannot be chance
        chance = chance_of_at_least(canary["errors"], canary["requests"], baseline_rate)
        return "rollback" if chance < EARLY_ROLLBACK_P else "wait"
    canary_rate = canary["errors"] / canary["requests"]
    if canary_rate > MAX_ERROR_RATIO * baseline_rate and canary["errors"] > 0:
        return "rollback"
    if canary["p99_ms"] > MAX_LATENCY_RATIO * baseline["p99_ms"]:
        return "rollback"
    return "promote"


if __name__ == "__main__":
    serving = {"version": "v41", "overall_auc": 0.871, "predictions": 20000, "non_finite": 0,
               "slices": {"web": {"auc": 0.880, "count": 14000}, "mobile": {"auc": 0.842, "count": 1200}}}
    candidate = {"version": "v42", "overall_auc": 0.874, "predictions": 20000, "non_finite": 0,
                 "slices": {"web": {"auc": 0.886, "count": 14000}, "mobile": {"auc": 0.781, "count": 1200}}}
    print(should_promote(candidate, serving))
    print(canary_verdict({"requests": 40, "errors": 9, "p99_ms": 900.0},
                         {"requests": 90000, "errors": 120, "p99_ms": 180.0}))
