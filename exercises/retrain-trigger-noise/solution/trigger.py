"""Decide each morning whether the fraud model is retrained today.

    should_retrain(days, baseline_accuracy=0.90, model_age_days=12)
    # -> {"retrain": bool, "reason": str}

`days` holds one entry per day since the model was deployed, oldest first, each measured
on the predictions whose labels have arrived:

    {"day": "2026-11-03", "labelled": 5200, "accuracy": 0.897}

`baseline_accuracy` is the accuracy the model had on its validation set when it shipped.
A retrain costs about 14 GPU-hours and a canary; it is worth it when the model really got
worse, not when a day was unlucky.

Two triggers: a performance trigger (the latest SUSTAIN_DAYS judged days all fell below the
baseline by more than both the day's noise and MIN_DROP) and a time trigger (the model is
MAX_AGE_DAYS old). Days with too few labels are left out, neither breaking nor extending a run.
"""
import math

MIN_LABELLED = 500     # a day judged on fewer labels than this is too noisy to count
NOISE_Z = 3.0          # a drop must be larger than this many standard errors of the day's accuracy
MIN_DROP = 0.01        # and at least this large, or it is not worth a retrain
SUSTAIN_DAYS = 3       # the latest this many judged days must all have dropped
MAX_AGE_DAYS = 30      # retrain anyway once the model is this old


def dropped(day, baseline):
    """Whether one day's accuracy is below the baseline by more than chance and MIN_DROP allow.

    dropped({"labelled": 600, "accuracy": 0.875}, 0.90) -> False   (0.025 < 3 standard errors, 0.037)
    """
    noise = NOISE_Z * math.sqrt(baseline * (1 - baseline) / day["labelled"])
    return baseline - day["accuracy"] > max(MIN_DROP, noise)


def should_retrain(days, baseline_accuracy, model_age_days):
    if model_age_days >= MAX_AGE_DAYS:
        return {"retrain": True, "reason": f"model age {model_age_days} days reached the limit of {MAX_AGE_DAYS}"}
    judged = [day for day in days if day["labelled"] >= MIN_LABELLED]
    latest = judged[-SUSTAIN_DAYS:]
    if len(latest) == SUSTAIN_DAYS and all(dropped(day, baseline_accuracy) for day in latest):
        worst = min(day["accuracy"] for day in latest)
        return {"retrain": True, "reason": (f"accuracy below the baseline {baseline_accuracy:.3f} beyond noise "
                                            f"on the last {SUSTAIN_DAYS} judged days (lowest {worst:.3f})")}
    return {"retrain": False, "reason": f"no sustained drop on {len(judged)} judged days"}


if __name__ == "__main__":
    week = [{"day": f"2026-11-0{i}", "labelled": n, "accuracy": a}
            for i, (n, a) in enumerate([(5100, 0.902), (4900, 0.897), (5300, 0.901),
                                        (5000, 0.899), (38, 0.868)], start=1)]
    print(should_retrain(week, baseline_accuracy=0.90, model_age_days=12))
