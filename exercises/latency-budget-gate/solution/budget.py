"""Does a candidate model fit the serving budget? Run on a load test before any canary.

    check_budget(latencies_ms, serving)
    # -> {"ok": bool, "p50_ms": float, "p99_ms": float, "usd_per_1k": float, "reasons": [str, ...]}

`latencies_ms` holds one entry per request of the load test, in the order they were sent:
a number of milliseconds, or None when the request timed out (the load balancer gave up
after 2 s and the caller got an error).

`serving` describes the fleet the model needs to keep up with the expected traffic:

    {"replicas": 4, "usd_per_replica_hour": 1.20, "requests_per_hour": 150000}

A timed-out request is the slowest request there is, so it counts as infinitely slow: left
out, it would make the tail look better exactly when the model is too slow.
"""
import math

P50_BUDGET_MS = 40.0          # the median request
P99_BUDGET_MS = 120.0         # the slowest 1% of requests start here at the latest
USD_PER_1K_BUDGET = 0.05      # serving cost per thousand requests
MIN_SAMPLES = 1000            # fewer requests than this say little about the 99th percentile


def percentile(ordered, q):
    """Nearest-rank percentile of an ascending list: the smallest value with at least a
    share q of the list at or below it.

    percentile([10, 20, 30, 40], 0.5) -> 20
    """
    rank = max(1, math.ceil(q * len(ordered)))
    return ordered[rank - 1]


def check_budget(latencies_ms, serving):
    ordered = sorted(math.inf if ms is None else float(ms) for ms in latencies_ms)
    reasons = []
    if len(ordered) < MIN_SAMPLES:
        reasons.append(f"only {len(ordered)} samples; at least {MIN_SAMPLES} are needed to judge the p99")
    p50 = percentile(ordered, 0.50) if ordered else math.inf
    p99 = percentile(ordered, 0.99) if ordered else math.inf
    usd_per_1k = serving["replicas"] * serving["usd_per_replica_hour"] / serving["requests_per_hour"] * 1000
    if p50 > P50_BUDGET_MS:
        reasons.append(f"p50 {p50:.1f} ms is over the budget of {P50_BUDGET_MS} ms")
    if p99 > P99_BUDGET_MS:
        reasons.append(f"p99 {p99:.1f} ms is over the budget of {P99_BUDGET_MS} ms (timeouts count as slowest)")
    if usd_per_1k > USD_PER_1K_BUDGET:
        reasons.append(f"cost {usd_per_1k:.3f} USD per 1,000 requests is over the budget of {USD_PER_1K_BUDGET}")
    return {"ok": not reasons, "p50_ms": p50, "p99_ms": p99, "usd_per_1k": usd_per_1k, "reasons": reasons}


if __name__ == "__main__":
    load_test = [28.0 + (i % 20) for i in range(1940)] + [450.0] * 60
    print(check_budget(load_test, {"replicas": 12, "usd_per_replica_hour": 2.40, "requests_per_hour": 150000}))
