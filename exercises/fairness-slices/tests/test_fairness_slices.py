"""Hidden tests: the daily check looks at every group, keeps its overall bias check, and has
an action limit."""
import pytest

from mlquiz.grading.judge import SubjectError


def group_rows(group, count, bias, positive_rate=0.2, positive_score=0.6, negative_score=0.1):
    """Rows of one group whose mean score exceeds its default rate by exactly `bias`.

    With the defaults, the scores are 0.6 for defaulters and 0.1 for the others,
    so the mean score equals the default rate of 0.2 before the shift.
    """
    positives = round(count * positive_rate)
    rows = [{"group": group, "score": positive_score + bias, "label": 1} for _ in range(positives)]
    rows += [{"group": group, "score": negative_score + bias, "label": 0} for _ in range(count - positives)]
    return rows


def one_slice_off():
    """Global bias 0: three regions a bit low, the west over-predicted by +0.2."""
    rows = []
    for group in ("north", "south", "east"):
        rows += group_rows(group, 100, -0.2 / 3)
    return rows + group_rows("west", 100, 0.2)


def everyone_over_predicted(bias=0.1):
    """Every region over-predicted by the same amount: no region stands out from the others."""
    rows = []
    for group in ("north", "south", "east", "west"):
        rows += group_rows(group, 100, bias)
    return rows


def alert_names(report):
    """The report's alerts as a list; a list or a tuple in alphabetical order is accepted."""
    alerts = report.get("alerts")
    assert type(alerts) in (list, tuple), (
        f"report['alerts'] should be a list (or a tuple) of group names; got {alerts!r}"
    )
    return list(alerts)


def healthy():
    rows = []
    for group, bias in (("north", 0.01), ("south", -0.02), ("east", 0.03), ("west", 0.0)):
        rows += group_rows(group, 100, bias)
    return rows


class Check:
    """daily_check in this test's subject; its report must be a plain dict."""

    def __init__(self, subject):
        self.function = subject.module("daily_check").daily_check

    def __call__(self, rows, **settings):
        report = self.function(rows, **settings)
        assert type(report) is dict, f"daily_check should return a dict report; got {report!r}"
        return report


@pytest.fixture
def check(subject):
    return Check(subject)


def call(check, rows, **settings):
    try:
        return check(rows, **settings)
    except SubjectError as error:
        if not error.is_a("TypeError"):
            raise
        pytest.fail(
            "daily_check(rows, max_bias=0.05, max_gap=0.1, min_count=30, max_flag_rate=0.3, "
            "threshold=0.5) "
            f"must accept these settings ({error.message})"
        )


def test_slice_off_by_02_raises_an_alert_naming_it(check):
    report = check(one_slice_off())
    assert report.get("status") == "alert", (
        "the overall bias is 0, but the west's predictions are 0.2 too high: the check "
        f"must look at each group and return status 'alert'; got {report.get('status')!r}"
    )
    assert alert_names(report) == ["west"], (
        f"the alert should name exactly the group that is off, ['west']; got {report.get('alerts')!r}"
    )


def test_everyone_over_predicted_still_alerts(check):
    report = call(check, everyone_over_predicted(0.08))
    assert report.get("status") == "alert", (
        "every region's predictions are 0.08 too high, so the overall bias is 0.08, above "
        "max_bias=0.05. No region stands out from the others, but the model is still off for "
        "everyone: keep the old overall check and return status 'alert'; "
        f"got {report.get('status')!r}"
    )
    named = sorted(set(alert_names(report)) & {"north", "south", "east", "west"})
    assert not named, (
        f"no region differs from the overall bias by more than max_gap=0.1, yet {named} were "
        "named in the alerts; a group is named only when it stands out from the overall bias"
    )


def test_overall_limit_is_a_setting(check):
    report = call(check, everyone_over_predicted(0.08), max_bias=0.1)
    assert report.get("status") == "ok", (
        "with max_bias=0.1 an overall bias of 0.08 is allowed and no region stands out, so the "
        f"status should be 'ok'; got {report.get('status')!r}"
    )


def test_healthy_day_raises_no_alert(check):
    report = check(healthy())
    assert report.get("status") == "ok" and not report.get("alerts"), (
        "the overall bias is 0.005, all groups are within 0.1 of it and few applications are "
        f"declined, so the status should be 'ok' with no alerts; got {report}"
    )


def test_small_groups_are_ignored(check):
    rows = healthy() + group_rows("islands", 10, 0.5)
    report = check(rows)
    assert "islands" not in (report.get("alerts") or []), (
        "a group with only 10 rows (fewer than min_count=30) is too small to judge "
        "and must not be named in the alerts"
    )
    assert report.get("status") == "ok", (
        f"with the tiny group ignored the day is healthy; expected 'ok', got {report.get('status')!r}"
    )
    assert "islands" not in report.get("groups", {}), (
        "groups below min_count should be left out of the per-group report"
    )


def test_gap_and_min_count_are_settings(check):
    report = call(check, one_slice_off(), max_gap=0.3)
    assert report.get("status") == "ok", (
        "with max_gap=0.3 a gap of 0.2 is allowed, so the status should be 'ok'; "
        f"got {report.get('status')!r}"
    )
    report = call(check, one_slice_off(), min_count=101)
    assert report.get("status") == "ok" and not report.get("alerts"), (
        "with min_count=101 every group of 100 rows is too small to judge, so no "
        f"group may be named; got {report.get('alerts')!r}"
    )


def test_decline_rate_above_the_limit_halts(check):
    rows = []
    for group in ("north", "south", "east", "west"):
        rows += group_rows(group, 100, 0.0, positive_rate=0.5, positive_score=0.7, negative_score=0.3)
    report = call(check, rows, max_flag_rate=0.3)
    assert report.get("status") == "halt", (
        "half of all applications were declined automatically, above the action "
        f"limit max_flag_rate=0.3: the status must be 'halt'; got {report.get('status')!r}"
    )
    report = call(check, rows, max_flag_rate=0.6)
    assert report.get("status") == "ok", (
        "with max_flag_rate=0.6 a decline rate of 0.5 is within the limit and no "
        f"group is off, so the status should be 'ok'; got {report.get('status')!r}"
    )


def test_report_shows_each_groups_bias(check):
    groups = check(one_slice_off()).get("groups")
    assert isinstance(groups, dict) and sorted(groups) == ["east", "north", "south", "west"], (
        "the report should hold a 'groups' dict with an entry for every group that "
        f"has at least min_count rows; got {groups!r}"
    )
    west = groups["west"]
    assert west.get("count") == 100 and west.get("bias") == pytest.approx(0.2, abs=1e-9), (
        f"groups['west'] should report count 100 and bias 0.2 (mean score minus default rate); got {west}"
    )
    assert groups["north"].get("bias") == pytest.approx(-0.2 / 3, abs=1e-9), (
        f"groups['north'] should report its bias of about -0.067; got {groups['north']}"
    )
