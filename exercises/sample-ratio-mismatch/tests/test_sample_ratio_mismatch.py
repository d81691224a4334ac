"""Hidden tests: the readout checks the split first, then the guardrails, then the lift."""

CONTROL = {"users": 50000, "conversions": 2500, "errors": 250, "p99_ms": 180.0}


def arm(users, conversions, errors=None, p99_ms=182.0):
    return {"users": users, "conversions": conversions,
            "errors": round(users * 0.005) if errors is None else errors, "p99_ms": p99_ms}


def read(subject, control, treatment, planned_share=0.5):
    result = subject.call("readout.readout", control, treatment, planned_share)
    assert type(result) is dict and "verdict" in result and "reasons" in result, (
        f"readout should return {{'verdict': ..., 'reasons': [...]}}, got {result!r}"
    )
    assert result["verdict"] in ("ship", "keep", "stop", "invalid"), (
        f"the verdict should be ship, keep, stop or invalid; got {result['verdict']!r}"
    )
    assert type(result["reasons"]) is list, f"'reasons' should be a list, got {result['reasons']!r}"
    return result


def said(result, *words):
    text = " ".join(str(r) for r in result["reasons"]).lower()
    return all(word in text for word in words)


def test_a_clear_win_on_a_sound_split_ships(subject):
    result = read(subject, CONTROL, arm(50050, 2800))
    assert result["verdict"] == "ship", (
        f"50,000 against 50,050 users fits a 50/50 plan, guardrails hold, and conversion rose from 5.0% "
        f"to 5.6% (about 4 standard errors): expected ship, got {result}"
    )


def test_a_lift_within_the_noise_is_kept(subject):
    result = read(subject, CONTROL, arm(50050, 2540))
    assert result["verdict"] == "keep", (
        f"conversion 5.08% against 5.00% is about half a standard error, well within chance; "
        f"a lift that small is no reason to ship: expected keep, got {result}"
    )


def test_a_mismatched_split_makes_the_experiment_invalid(subject):
    result = read(subject, CONTROL, arm(48800, 2800))
    assert result["verdict"] == "invalid", (
        "the plan was 50/50 but the treatment has 48,800 users against 50,000: a split this far off has "
        "a chance of about 1 in 7,000 under the plan, below SRM_P. Users went missing from one arm, so "
        f"its conversion rate compares different people: expected invalid, got {result}"
    )
    assert said(result, "sample ratio"), f"the reason should say 'sample ratio mismatch'; got {result['reasons']}"


def test_a_small_imbalance_that_could_be_chance_is_read(subject):
    result = read(subject, CONTROL, arm(49700, 2800))
    assert result["verdict"] == "ship", (
        "49,700 against 50,000 users happens about one time in three under a fair 50/50 split; that is "
        f"no sign of a broken assignment, and the lift is clear: expected ship, got {result}"
    )


def test_a_planned_uneven_split_is_respected(subject):
    control = arm(90000, 4500, errors=450, p99_ms=180.0)
    result = read(subject, control, arm(10050, 603, errors=50), planned_share=0.1)
    assert result["verdict"] == "ship", (
        "the plan sent 10% of users to the treatment and it got 10,050 of 100,050: the split matches "
        f"planned_share, and conversion rose from 5% to 6%. Compare with the plan, not with 50/50: "
        f"expected ship, got {result}"
    )


def test_an_uneven_split_that_misses_its_plan_is_invalid(subject):
    control = arm(90000, 4500, errors=450, p99_ms=180.0)
    result = read(subject, control, arm(11000, 700, errors=55), planned_share=0.1)
    assert result["verdict"] == "invalid" and said(result, "sample ratio"), (
        f"11,000 of 101,000 users is 10.9% against a planned 10%, far beyond chance at this size: "
        f"expected invalid with a sample ratio mismatch reason, got {result}"
    )


def test_a_latency_guardrail_breach_stops_a_winner(subject):
    result = read(subject, CONTROL, arm(50050, 2800, p99_ms=240.0))
    assert result["verdict"] == "stop", (
        f"conversion rose, but p99 latency went from 180 ms to 240 ms, beyond the 1.10 guardrail: "
        f"a guardrail breach stops the release whatever the primary metric says; expected stop, got {result}"
    )
    assert said(result, "p99"), f"the reason should name the p99_ms guardrail; got {result['reasons']}"


def test_an_error_rate_guardrail_breach_stops_a_winner(subject):
    result = read(subject, CONTROL, arm(50050, 2800, errors=400))
    assert result["verdict"] == "stop" and said(result, "error"), (
        f"the error rate went from 0.50% to 0.80%, beyond the 1.10 guardrail: expected stop with a "
        f"reason naming error_rate, got {result}"
    )


def test_every_breached_guardrail_is_named(subject):
    result = read(subject, CONTROL, arm(50050, 2800, errors=400, p99_ms=240.0))
    assert result["verdict"] == "stop" and said(result, "error") and said(result, "p99"), (
        f"both guardrails broke; name both so the owner sees the whole picture: got {result}"
    )


def test_the_split_is_checked_before_the_guardrails(subject):
    result = read(subject, CONTROL, arm(48800, 2800, p99_ms=240.0))
    assert result["verdict"] == "invalid", (
        "with a sample ratio mismatch no metric of this experiment can be trusted, the guardrails "
        f"included; the verdict is invalid, not stop: got {result}"
    )


def test_an_empty_arm_is_invalid(subject):
    result = read(subject, CONTROL, arm(0, 0, errors=0))
    assert result["verdict"] == "invalid", (
        f"the treatment has no users at all: the assignment is broken, expected invalid, got {result}"
    )
