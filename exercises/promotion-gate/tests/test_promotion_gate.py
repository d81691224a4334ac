"""Hidden tests: the gate refuses worse, unstable or slice-breaking models, and the canary can roll back."""
import copy
import math


def report(version="v2", overall=0.870, non_finite=0, **slices):
    default = {"web": (0.880, 14000), "mobile": (0.840, 1200), "kiosk": (0.800, 50)}
    default.update(slices)
    return {
        "version": version, "overall_auc": overall, "predictions": 20000, "non_finite": non_finite,
        "slices": {name: {"auc": auc, "count": count} for name, (auc, count) in default.items()},
    }


SERVING = report("v1")


def decide(subject, candidate, serving=SERVING):
    decision = subject.call("gate.should_promote", candidate, serving)
    assert type(decision) is dict and "promote" in decision and "reasons" in decision, (
        f"should_promote should return {{'promote': bool, 'reasons': [...]}}, got {decision!r}"
    )
    assert type(decision["promote"]) is bool, f"'promote' should be True or False, got {decision['promote']!r}"
    assert type(decision["reasons"]) is list, f"'reasons' should be a list, got {decision['reasons']!r}"
    return decision


def said(decision, word):
    return any(word.lower() in str(reason).lower() for reason in decision["reasons"])


def test_a_better_model_is_promoted(subject):
    decision = decide(subject, report(overall=0.880, web=(0.890, 14000), mobile=(0.850, 1200)))
    assert decision["promote"] is True, f"a candidate better everywhere should be promoted; got {decision}"
    assert decision["reasons"] == [], f"a promoted model should carry no reasons against it; got {decision['reasons']}"


def test_a_drop_within_the_tolerance_is_promoted(subject):
    decision = decide(subject, report(overall=0.867, web=(0.875, 14000), mobile=(0.830, 1200)))
    assert decision["promote"] is True, (
        f"0.003 lower overall and 0.01 lower on mobile are within the tolerances; the gate should promote. Got {decision}"
    )


def test_a_model_worse_overall_is_refused(subject):
    decision = decide(subject, report(overall=0.850))
    assert decision["promote"] is False, f"overall AUC 0.850 against 0.870 is worse than the tolerance allows; got {decision}"


def test_a_big_drop_on_an_important_slice_is_refused(subject):
    decision = decide(subject, report(overall=0.874, web=(0.886, 14000), mobile=(0.781, 1200)))
    assert decision["promote"] is False, (
        f"overall AUC went up but mobile (1200 examples) fell from 0.840 to 0.781; the gate should refuse. Got {decision}"
    )
    assert said(decision, "mobile"), f"the reason should name the slice 'mobile'; got {decision['reasons']}"


def test_a_small_slice_is_not_judged(subject):
    decision = decide(subject, report(overall=0.872, kiosk=(0.600, 50)))
    assert decision["promote"] is True, (
        f"the kiosk slice has only 50 examples, too few to judge (MIN_SLICE_COUNT is 200); the gate should promote. Got {decision}"
    )


def test_a_missing_slice_is_refused(subject):
    candidate = report(overall=0.875)
    del candidate["slices"]["mobile"]
    decision = decide(subject, candidate)
    assert decision["promote"] is False and said(decision, "mobile"), (
        f"the candidate was never evaluated on mobile, an important slice; refuse it and name the slice. Got {decision}"
    )


def test_non_finite_predictions_are_refused(subject):
    decision = decide(subject, report(overall=0.890, non_finite=61))
    assert decision["promote"] is False, f"61 NaN or infinite predictions must stop the model, however good its AUC; got {decision}"
    assert said(decision, "finite"), f"the reason should say 'non-finite'; got {decision['reasons']}"


def test_a_nan_overall_auc_is_refused(subject):
    decision = decide(subject, report(overall=math.nan))
    assert decision["promote"] is False and said(decision, "finite"), (
        f"an overall AUC of NaN means the evaluation broke; refuse with a 'non-finite' reason. Got {decision}"
    )


def test_the_floor_stops_a_slow_slide(subject):
    weak_serving = report("v9", overall=0.801, web=(0.81, 14000), mobile=(0.79, 1200))
    candidate = report("v10", overall=0.797, web=(0.806, 14000), mobile=(0.786, 1200))
    decision = decide(subject, candidate, weak_serving)
    assert decision["promote"] is False and said(decision, "floor"), (
        "0.797 is within the tolerance of the serving 0.801, but below FLOOR_AUC 0.80; a fixed floor "
        f"is what stops quality sliding a little each release. Refuse with a 'floor' reason. Got {decision}"
    )


def test_every_reason_is_reported_at_once(subject):
    decision = decide(subject, report(overall=0.790, non_finite=3, mobile=(0.700, 1200)))
    for word in ("finite", "floor", "mobile"):
        assert said(decision, word), (
            f"this candidate has NaN outputs, is below the floor and breaks the mobile slice; "
            f"a reason mentioning '{word}' is missing from {decision['reasons']}"
        )


def test_the_reports_are_not_changed(subject):
    candidate = report(overall=0.874, mobile=(0.781, 1200))
    before = (copy.deepcopy(candidate), copy.deepcopy(SERVING))
    cand_remote, serving_remote = subject.put(candidate), subject.put(SERVING)
    subject.call("gate.should_promote", cand_remote, serving_remote)
    assert (subject.get(cand_remote), subject.get(serving_remote)) == before, (
        "should_promote changed a report it was given; the gate should only read them"
    )


BASELINE = {"requests": 90000, "errors": 90, "p99_ms": 180.0}


def verdict(subject, canary):
    answer = subject.call("gate.canary_verdict", canary, BASELINE)
    assert answer in ("wait", "rollback", "promote"), f"canary_verdict should return wait, rollback or promote; got {answer!r}"
    return answer


def test_a_small_canary_whose_errors_could_be_chance_waits(subject):
    # the baseline fails 0.1% of requests; each case below is likely enough by chance alone
    for canary, chance in (({"requests": 40, "errors": 0, "p99_ms": 170.0}, "no error at all"),
                           ({"requests": 40, "errors": 1, "p99_ms": 185.0}, "about 4%"),
                           ({"requests": 200, "errors": 2, "p99_ms": 180.0}, "about 1.7%"),
                           ({"requests": 999, "errors": 2, "p99_ms": 180.0}, "about 26%")):
        answer = verdict(subject, canary)
        assert answer == "wait", (
            f"{canary['errors']} errors in {canary['requests']} requests (fewer than MIN_CANARY_REQUESTS): a canary "
            f"as good as the baseline would show that many or more with a chance of {chance}, far above "
            f"EARLY_ROLLBACK_P. That is too little evidence to roll back, and too few requests to promote: "
            f"expected wait, got {answer}"
        )


def test_a_small_canary_with_overwhelming_errors_is_rolled_back_at_once(subject):
    for canary in ({"requests": 40, "errors": 9, "p99_ms": 900.0}, {"requests": 60, "errors": 9, "p99_ms": 175.0}):
        answer = verdict(subject, canary)
        assert answer == "rollback", (
            f"{canary['errors']} errors in {canary['requests']} requests against a baseline that fails 0.1% of "
            f"requests: a canary as good as the baseline would show that many with a chance below 1 in 10^15. "
            f"That cannot be chance; waiting for MIN_CANARY_REQUESTS keeps an outage running. "
            f"Expected rollback, got {answer}"
        )


def test_a_canary_with_many_errors_is_rolled_back(subject):
    answer = verdict(subject, {"requests": 5000, "errors": 25, "p99_ms": 170.0})
    assert answer == "rollback", (
        f"an error rate of 0.5% against the baseline's 0.1% is far above 1.5x; expected rollback, got {answer}"
    )


def test_a_slow_canary_is_rolled_back(subject):
    answer = verdict(subject, {"requests": 5000, "errors": 4, "p99_ms": 400.0})
    assert answer == "rollback", f"p99 latency 400 ms against 180 ms is above 1.3x; expected rollback, got {answer}"


def test_a_healthy_canary_is_promoted(subject):
    answer = verdict(subject, {"requests": 5000, "errors": 6, "p99_ms": 190.0})
    assert answer == "promote", f"error rate 0.12% and p99 190 ms are within the limits; expected promote, got {answer}"
