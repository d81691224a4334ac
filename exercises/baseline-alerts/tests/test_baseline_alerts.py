"""Hidden tests: each source is judged against its own recent history, with enough data."""

import math

import pytest

from mlquiz.grading.judge import SubjectError


def days(level, wobble, rows=5000, n=28):
    """n days of a source whose rejection rate wobbles around `level` (repeatable, no random numbers)."""
    return [{"rows": rows, "rejected": round(rows * (level + wobble * math.sin(i)))} for i in range(n)]


def today(rate, rows=5000):
    return {"rows": rows, "rejected": round(rows * rate)}


def call(subject, name, *args, **kwargs):
    """alerts.<name>(...) in the sandbox; a missing function or a crash becomes a readable failure."""
    if name not in subject.snapshot("alerts"):
        pytest.fail(f"alerts.py has no function {name}() yet")
    try:
        return subject.call(f"alerts.{name}", *args, **kwargs)
    except SubjectError as error:
        where = f" at {error.where}" if error.where else ""
        pytest.fail(f"alerts.{name}() raised {error.type_name}: {error.message}{where}")


def test_a_normal_day_of_a_busy_feed_does_not_page(subject):
    decision = call(subject, "decide", days(0.08, 0.004), today(0.083))
    assert decision == "ok", (
        f"this feed rejects about 8% of its rows every day; 8.3% today is normal for it and should be 'ok', "
        f"got {decision!r}. One threshold for every source pages on its normal days."
    )


def test_a_quiet_source_tripling_its_rate_pages(subject):
    decision = call(subject, "decide", days(0.01, 0.001), today(0.03))
    assert decision == "page", (
        f"this source normally rejects about 1% of its rows; 3% today is three times its normal rate and "
        f"should be 'page', got {decision!r}. A fixed 5% line never sees it."
    )


def test_a_tiny_batch_is_not_enough_data(subject):
    decision = call(subject, "decide", days(0.01, 0.001), today(0.3, rows=40))
    assert decision == "not-enough-data", (
        f"today brought only 40 rows (fewer than min_rows=200); 12 rejected rows that small say little, so "
        f"the answer should be 'not-enough-data', got {decision!r}"
    )


def test_a_short_history_is_not_enough_data(subject):
    decision = call(subject, "decide", days(0.01, 0.001, n=4), today(0.03))
    assert decision == "not-enough-data", (
        f"with only 4 earlier days (fewer than min_days=7) there is no baseline yet; expected "
        f"'not-enough-data', got {decision!r}"
    )


def test_only_the_recent_window_sets_the_baseline(subject):
    history = days(0.20, 0.01, n=30) + days(0.01, 0.001, n=28)  # an old regime, fixed two months ago
    decision = call(subject, "decide", history, today(0.05))
    assert decision == "page", (
        f"the last 28 days ran at about 1%; the 20% of two months ago should no longer count, so 5% today "
        f"should page; got {decision!r}"
    )


def test_days_with_too_few_rows_are_left_out_of_the_baseline(subject):
    noisy = [{"rows": 30, "rejected": 12 if i % 2 else 0} for i in range(10)]
    history = days(0.01, 0.001, n=18) + noisy
    quiet = call(subject, "decide", history, today(0.03))
    assert quiet == "page", (
        f"ten tiny days (30 rows each, rates of 0% or 40%) should not widen the baseline of a source that runs "
        f"at 1% on real days; 3% today should page, got {quiet!r}"
    )


def test_the_history_is_not_changed(subject):
    history = days(0.01, 0.001)
    remote = subject.put(history)
    call(subject, "decide", remote, today(0.03))
    assert subject.get(remote) == history, "decide() should only read the history, not reorder or change it"


def test_escalation_needs_a_sustained_change(subject):
    assert call(subject, "persistent", ["ok", "ok", "ok", "page"]) is False, (
        "one bad day out of four is a blip: persistent() should return False"
    )
    assert call(subject, "persistent", ["ok", "page", "page", "ok", "page"]) is True, (
        "three of the last four days paged: persistent() should return True"
    )
    assert call(subject, "persistent", ["page", "page", "ok", "ok", "page"]) is False, (
        "only two of the last four days paged (older days do not count): persistent() should return False"
    )
