"""Hidden tests: the verdict rests on the serving model's age and on failed runs in a row."""

import pytest

from mlquiz.grading.judge import SubjectError

DAY = 86400
NOW = 1_717_000_000


def model(version, days_old, serving):
    return {"version": version, "trained_at": NOW - days_old * DAY, "serving": serving}


def nights(statuses):
    """One run per night up to last night, oldest first."""
    count = len(statuses)
    return [{"started_at": NOW - (count - i) * DAY + 7200, "status": s} for i, s in enumerate(statuses)]


def health(subject, registry, runs, **kwargs):
    try:
        report = subject.call("freshness.health", registry, runs, NOW, **kwargs)
    except SubjectError as error:
        where = f" at {error.where}" if error.where else ""
        pytest.fail(f"freshness.health() raised {error.type_name}: {error.message}{where}")
    if type(report) is not dict or "status" not in report:
        pytest.fail(f"health() should return a dict with a 'status', got {report!r:.100}")
    return report


def test_a_fresh_model_with_good_runs_is_healthy(subject):
    report = health(subject, [model("v130", 0.5, True)], nights(["ok"] * 5))
    assert report["status"] == "healthy", f"a model trained 12 hours ago is healthy, got {report['status']!r}"
    assert report.get("serving_version") == "v130", (
        f"the report should name the serving version, 'v130'; got {report.get('serving_version')!r}"
    )
    assert report.get("age_days") == pytest.approx(0.5, abs=1e-9), (
        f"age_days is the serving model's age in days, 0.5 here; got {report.get('age_days')!r}"
    )


def test_a_job_that_runs_and_fails_every_night_is_stale(subject):
    report = health(subject, [model("v118", 41, True)], nights(["failed"] * 40))
    assert report["status"] == "stale", (
        f"the retrain job ran every night but failed, so v118 is 41 days old, far past max_age_days=3; "
        f"expected 'stale', got {report['status']!r}. A job that runs is not a model that is fresh."
    )
    assert report.get("failed_in_a_row") == 40, (
        f"40 runs in a row failed; the report should say so under 'failed_in_a_row', got "
        f"{report.get('failed_in_a_row')!r}"
    )


def test_two_failed_nights_warn_before_the_model_is_stale(subject):
    report = health(subject, [model("v129", 2.2, True)], nights(["ok", "ok", "failed", "failed"]))
    assert report["status"] == "failing", (
        f"the model is only 2.2 days old, but the last two runs failed (max_failed_runs=2): expected "
        f"'failing', an early warning before it goes stale; got {report['status']!r}"
    )


def test_a_failure_followed_by_a_success_is_healthy(subject):
    report = health(subject, [model("v131", 0.9, True)], nights(["failed", "failed", "ok"]))
    assert report["status"] == "healthy" and report.get("failed_in_a_row") == 0, (
        f"last night's run succeeded, so no runs failed in a row and a 0.9-day-old model is healthy; got {report!r}"
    )


def test_age_comes_from_the_model_that_serves(subject):
    registry = [model("v121", 1, False), model("v118", 20, True), model("v110", 60, False)]
    report = health(subject, registry, nights(["ok"] * 3))
    assert report.get("serving_version") == "v118", (
        f"v121 was trained yesterday but never promoted; v118 is the one serving. Expected serving_version "
        f"'v118', got {report.get('serving_version')!r}"
    )
    assert report["status"] == "stale" and report.get("age_days") == pytest.approx(20, abs=1e-9), (
        f"users get v118, trained 20 days ago: expected 'stale' with age_days 20, got {report!r}"
    )


def test_the_limits_can_be_set(subject):
    report = health(subject, [model("v140", 5, True)], nights(["ok"] * 3), max_age_days=7)
    assert report["status"] == "healthy", (
        f"with max_age_days=7 (a weekly model), a 5-day-old model is healthy; got {report['status']!r}"
    )
    report = health(subject, [model("v141", 1, True)], nights(["failed"]), max_failed_runs=1)
    assert report["status"] == "failing", (
        f"with max_failed_runs=1, one failed run is enough for 'failing'; got {report['status']!r}"
    )


def test_a_fresh_canary_does_not_hide_a_stale_main_model(subject):
    registry = [model("v118", 20, True), model("v121", 1, True), model("v110", 60, False)]
    report = health(subject, registry, nights(["failed"] * 19 + ["ok"]))
    assert report.get("serving_version") == "v118" and report["status"] == "stale", (
        "v118 (20 days old) still answers most requests while the canary v121 (1 day old) takes a slice; "
        f"the light is as stale as the oldest model that serves: expected 'stale' for v118, got {report!r}"
    )
    assert report.get("age_days") == pytest.approx(20, abs=1e-9), (
        f"age_days is the age of v118, the oldest serving model: 20, got {report.get('age_days')!r}"
    )


def test_a_shadow_model_beside_the_main_one_is_fine(subject):
    registry = [model("v140", 2, True), model("v141", 0.25, True)]
    report = health(subject, registry, nights(["ok"] * 3))
    assert report["status"] == "healthy", (
        "v140 (2 days old) serves and v141 (6 hours old) scores the same requests in shadow: two models "
        f"serving at once is a normal setup, and both are fresh. Expected 'healthy', got {report!r}"
    )
    assert report.get("serving_version") == "v140" and report.get("age_days") == pytest.approx(2, abs=1e-9), (
        f"the report should describe the oldest serving model, v140, 2 days old; got {report!r}"
    )


def test_a_registry_without_a_serving_model_is_refused(subject):
    with subject.raises("ValueError"):
        subject.call("freshness.health", [model("v1", 1, False), model("v2", 2, False)], nights(["ok"]), NOW)
