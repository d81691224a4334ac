"""Health check for the serving model of the demand forecast.

    health(registry, runs, now)
    # -> {"status": "stale", "serving_version": "v118", "age_days": 41.0,
    #     "failed_in_a_row": 40}

registry: every trained model, each {"version": "v118", "trained_at": t,
"serving": True or False}; runs: the nightly retrain runs, oldest first,
each {"started_at": t, "status": "ok" or "failed"}. Times are Unix seconds.

A job that runs is not a model that is fresh: the verdict rests on the age
of the oldest model that actually serves, and on how many runs failed in a row.
"""

DAY = 86400


def oldest_serving_model(registry):
    """The oldest registry entry marked as serving (a canary or a shadow model may serve
    beside the main one); ValueError if none serves."""
    serving = [entry for entry in registry if entry["serving"]]
    if not serving:
        raise ValueError("no model in the registry is marked as serving")
    return min(serving, key=lambda entry: entry["trained_at"])


def failed_in_a_row(runs):
    """How many of the latest runs failed, counting back from the newest."""
    count = 0
    for run in reversed(runs):
        if run["status"] != "failed":
            break
        count += 1
    return count


def health(registry, runs, now, max_age_days=3, max_failed_runs=2):
    """'stale' when the serving model is older than max_age_days, else
    'failing' after max_failed_runs failed runs in a row, else 'healthy'."""
    model = oldest_serving_model(registry)
    age_days = (now - model["trained_at"]) / DAY
    failures = failed_in_a_row(runs)
    if age_days > max_age_days:
        status = "stale"
    elif failures >= max_failed_runs:
        status = "failing"
    else:
        status = "healthy"
    return {"status": status, "serving_version": model["version"],
            "age_days": age_days, "failed_in_a_row": failures}


if __name__ == "__main__":
    now = 1_717_000_000
    registry = [{"version": "v118", "trained_at": now - 41 * DAY,
                 "serving": True}]
    runs = [{"started_at": now - d * DAY, "status": "failed"}
            for d in range(40, 0, -1)]
    print("v118, trained 41 days ago, 40 failed nights:",
          health(registry, runs, now))
