"""Decide each morning whether the fraud model is retrained today.

    should_retrain(days, baseline_accuracy=0.90, model_age_days=12)
    # -> {"retrain": bool, "reason": str}

`days` holds one entry per day since the model was deployed, oldest first, each measured
on the predictions whose labels have arrived:

    {"day": "2026-11-03", "labelled": 5200, "accuracy": 0.897}

`baseline_accuracy` is the accuracy the model had on its validation set when it shipped.
A retrain costs about 14 GPU-hours and a canary; it is worth it when the model really got
worse, not when a day was unlucky.
"""

MIN_LABELLED = 500     # a day judged on fewer labels than this is too noisy to count
NOISE_Z = 3.0          # a drop must be larger than this many standard errors of the day's accuracy
MIN_DROP = 0.01        # and at least this large, or it is not worth a retrain
SUSTAIN_DAYS = 3       # the latest this many judged days must all have dropped
MAX_AGE_DAYS = 30      # retrain anyway once the model is this old


def should_retrain(days, baseline_accuracy, model_age_days):
    if not days:
        return {"retrain": False, "reason": "no data yet"}
    today = days[-1]
    if today["accuracy"] < baseline_accuracy:
        return {"retrain": True, "reason": f"accuracy {today['accuracy']:.3f} is below the baseline"}
    return {"retrain": False, "reason": "accuracy holds"}


if __name__ == "__main__":
    week = [{"day": f"2026-11-0{i}", "labelled": n, "accuracy": a}
            for i, (n, a) in enumerate([(5100, 0.902), (4900, 0.897), (5300, 0.901),
                                        (5000, 0.899), (38, 0.868)], start=1)]
    # 38 labels on a Sunday, and one of them flipped: the pipeline retrains for nothing
    print(should_retrain(week, baseline_accuracy=0.90, model_age_days=12))
