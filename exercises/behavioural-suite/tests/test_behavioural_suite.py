"""Hidden tests: the suite's MFT, INV and DIR tests catch each broken model version and pass the good one."""
import pytest

TESTS = ("mft_negation", "inv_names", "dir_complaint")


def suite(subject, name):
    report = subject.call("behaviour.run_suite", name)
    assert type(report) is dict, f"run_suite should return a dict report, got {report!r}"
    for test in TESTS:
        assert test in report, (
            f"the report for {name} has no '{test}' entry; it should hold one per behavioural test "
            f"({', '.join(TESTS)}). It has: {sorted(report)}"
        )
        entry = report[test]
        assert type(entry) is dict and {"failures", "total", "rate"} <= set(entry), (
            f"report['{test}'] should be {{'failures': [...], 'total': n, 'rate': r}}, got {entry!r}"
        )
    assert "passed" in report and type(report["passed"]) is bool, (
        f"the report should say passed: True or False, got {report.get('passed')!r}"
    )
    return report


def test_the_current_model_passes_every_behavioural_test(subject):
    report = suite(subject, "v3")
    for test in TESTS:
        assert report[test]["failures"] == [] and report[test]["rate"] == 0, (
            f"v3 handles negation, names and complaints correctly, yet {test} reports failures: {report[test]['failures']}"
        )
    assert report["passed"] is True, "v3 passes every behavioural test, so the suite should let it ship"


def test_the_negation_blind_model_fails_minimum_functionality(subject):
    report = suite(subject, "v1")
    entry = report["mft_negation"]
    assert "The food was not good." in entry["failures"], (
        "v1 ignores 'not' and calls 'The food was not good.' positive; the negation MFT should list it as a failure. "
        f"It lists: {entry['failures']}"
    )
    assert "The food was good." not in entry["failures"], (
        "v1 gets 'The food was good.' right; it should not be listed as a failure"
    )
    assert report["passed"] is False, "v1 fails the negation test, so the suite should block it even at 100% held-out accuracy"


def test_the_name_biased_model_fails_invariance(subject):
    report = suite(subject, "v2")
    entry = report["inv_names"]
    assert "Great service, thanks {name}." in entry["failures"], (
        "v2 calls 'Great service, thanks Ahmed.' negative but the same sentence with other names positive; "
        f"the invariance test should list that template. It lists: {entry['failures']}"
    )
    assert "{name} was rude and slow." not in entry["failures"], (
        "'{name} was rude and slow.' is negative for every name under v2, so it is not an invariance failure"
    )
    assert report["mft_negation"]["failures"] == [], "v2 handles negation; its MFT should show no failures"
    assert report["passed"] is False, "v2 changes its answer with a person's name, so the suite should block it"


def test_the_length_biased_model_fails_the_directional_test(subject):
    report = suite(subject, "v4")
    entry = report["dir_complaint"]
    assert entry["failures"] and entry["rate"] > 0, (
        "v4 scores 'The room was clean. The staff were rude.' higher than 'The room was clean.'; adding a complaint "
        f"must not raise the score, so the directional test should fail. It reports: {entry}"
    )
    assert "The room was clean." in entry["failures"], (
        f"the failing base review 'The room was clean.' should be listed; the test lists {entry['failures']}"
    )
    assert report["inv_names"]["failures"] == [], "v4 treats every name alike; its invariance test should show no failures"
    assert report["passed"] is False, "v4 grows more positive with a complaint, so the suite should block it"


@pytest.mark.parametrize("name", ["v1", "v2", "v4"])
def test_each_rate_is_failures_over_total(subject, name):
    report = suite(subject, name)
    for test in TESTS:
        entry = report[test]
        assert type(entry["total"]) is int and entry["total"] > 0, f"{name} {test}: total should be the number of cases, got {entry['total']!r}"
        assert abs(entry["rate"] - len(entry["failures"]) / entry["total"]) < 1e-9, (
            f"{name} {test}: rate should be len(failures) / total = {len(entry['failures'])}/{entry['total']}, "
            f"got {entry['rate']!r}"
        )


def test_the_totals_count_every_case(subject):
    report = suite(subject, "v1")
    expected = {"mft_negation": 7, "inv_names": 4, "dir_complaint": 4}
    for test, total in expected.items():
        assert report[test]["total"] == total, (
            f"{test} should run over all {total} of its cases in behaviour.py, but its total is {report[test]['total']}"
        )


def test_accuracy_no_longer_decides(subject):
    report = suite(subject, "v1")
    assert report.get("accuracy") == 1.0, (
        f"keep the held-out accuracy in the report; v1 scores 1.0 on it, got {report.get('accuracy')!r}"
    )
    assert report["passed"] is False, "a perfect held-out accuracy must not let v1 ship past a failing behavioural test"


def test_an_unknown_model_is_refused(subject):
    with subject.raises("ValueError"):
        subject.call("behaviour.run_suite", "v99")
