"""Hidden tests: the trigger fires on a sustained drop beyond noise, or on age, and never on a bad day."""
import copy

BASELINE = 0.90
GOOD = (5000, 0.901)
BAD = (5000, 0.850)        # 0.05 below, about 12 standard errors on 5,000 labels


def days(*pairs):
    return [{"day": f"2026-11-{i:02d}", "labelled": n, "accuracy": a} for i, (n, a) in enumerate(pairs, start=1)]


def decide(subject, history, age=10):
    result = subject.call("trigger.should_retrain", history, BASELINE, age)
    assert type(result) is dict and "retrain" in result and "reason" in result, (
        f"should_retrain should return {{'retrain': bool, 'reason': str}}, got {result!r}"
    )
    assert type(result["retrain"]) is bool, f"'retrain' should be True or False, got {result['retrain']!r}"
    assert type(result["reason"]) is str and result["reason"].strip(), f"give a reason in words; got {result['reason']!r}"
    return result


def test_a_steady_model_is_left_alone(subject):
    result = decide(subject, days(GOOD, (5200, 0.899), GOOD, (4800, 0.903), GOOD))
    assert result["retrain"] is False, f"accuracy stays at the baseline every day; no retrain is needed, got {result}"


def test_one_bad_day_does_not_fire(subject):
    result = decide(subject, days(GOOD, GOOD, GOOD, BAD))
    assert result["retrain"] is False, (
        f"one day at 0.850 after three good ones is not yet a trend (SUSTAIN_DAYS is 3); got {result}"
    )


def test_a_sustained_real_drop_fires(subject):
    result = decide(subject, days(GOOD, GOOD, BAD, BAD, (5100, 0.846)))
    assert result["retrain"] is True, (
        f"the last three days are all about 0.05 below the baseline on 5,000 labels each, far beyond noise: "
        f"retrain, got {result}"
    )
    assert "accuracy" in result["reason"].lower(), f"the reason should say it is the accuracy that fell; got {result['reason']!r}"


def test_a_drop_within_the_noise_band_does_not_fire(subject):
    noisy = (600, 0.875)
    result = decide(subject, days(noisy, noisy, noisy, noisy, noisy))
    assert result["retrain"] is False, (
        "0.875 against 0.90 on 600 labels is a drop of 0.025, but one standard error there is about 0.012, "
        "so NOISE_Z = 3 standard errors is 0.037: days like these happen by chance to a healthy model. "
        f"Expected no retrain, got {result}"
    )


def test_a_tiny_drop_on_huge_volume_does_not_fire(subject):
    huge = (1_000_000, 0.895)
    result = decide(subject, days(huge, huge, huge, huge))
    assert result["retrain"] is False, (
        "0.895 against 0.90 on a million labels is real, but only 0.005: below MIN_DROP (0.01), not worth "
        f"a retrain and a canary. Expected no retrain, got {result}"
    )


def test_a_day_with_few_labels_cannot_fire_the_trigger(subject):
    result = decide(subject, days(GOOD, BAD, BAD, (40, 0.70)))
    assert result["retrain"] is False, (
        "the last day was judged on 40 labels (fewer than MIN_LABELLED), so it is left out: only two judged "
        f"days dropped, not SUSTAIN_DAYS. Expected no retrain, got {result}"
    )


def test_a_day_with_few_labels_does_not_break_a_run(subject):
    result = decide(subject, days(GOOD, BAD, (40, 0.99), BAD, BAD))
    assert result["retrain"] is True, (
        "the day with 40 labels is left out, neither counting as a drop nor breaking the run: the last three "
        f"judged days all dropped. Expected retrain, got {result}"
    )


def test_a_drop_that_has_recovered_does_not_fire(subject):
    result = decide(subject, days(BAD, BAD, BAD, GOOD, GOOD))
    assert result["retrain"] is False, (
        f"the drop ended two days ago and the latest judged days are back at the baseline; got {result}"
    )


def test_an_old_model_is_retrained_on_schedule(subject):
    result = decide(subject, days(GOOD, GOOD, GOOD), age=30)
    assert result["retrain"] is True, (
        f"the model is 30 days old (MAX_AGE_DAYS): retrain on schedule even though accuracy holds; got {result}"
    )
    assert "age" in result["reason"].lower(), f"the reason should say it is the model's age; got {result['reason']!r}"


def test_a_new_model_without_labels_is_left_alone(subject):
    result = decide(subject, [], age=1)
    assert result["retrain"] is False, f"no labels have arrived yet for a one-day-old model; got {result}"


def test_the_history_is_not_changed(subject):
    history = days(GOOD, (40, 0.70), BAD, BAD, BAD)
    kept = copy.deepcopy(history)
    given = subject.put(history)
    subject.call("trigger.should_retrain", given, BASELINE, 10)
    assert subject.get(given) == kept, "should_retrain changed the list of days it was given; only read it"
