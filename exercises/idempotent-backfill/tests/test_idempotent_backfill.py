"""Hidden tests: a backfill rebuilds its days from the events, however often it runs."""
import copy


def event(event_id, merchant, paid_at, cents):
    if len(paid_at) == len("2024-05-01T09:15:00"):
        paid_at += "+00:00"
    return {"event_id": event_id, "merchant_id": merchant, "paid_at": paid_at, "amount_cents": cents}


def totals(payments, cents):
    return {"payments": payments, "volume_cents": cents}


def run(subject, table, events, start, end):
    result = subject.call("daily_volume.backfill", table, events, start, end)
    assert type(result) is dict, f"backfill should return the table (a dict), got {result!r}"
    return result


def day_of(table, day):
    """A day's merchants; a day that is absent counts as empty."""
    return table.get(day) or {}


MAY_1 = [event("e1", "m1", "2024-05-01T09:15:00", 1000), event("e2", "m1", "2024-05-01T17:40:00", 2000)]


def test_a_day_already_in_the_table_is_replaced_not_added_to(subject):
    table = {"2024-05-01": {"m1": totals(2, 3000)}}
    result = run(subject, table, MAY_1, "2024-05-01", "2024-05-01")
    got = day_of(result, "2024-05-01").get("m1")
    assert got == totals(2, 3000), (
        "m1 made 2 payments worth 3000 cents on 1 May; the table already held those figures and the "
        f"backfill should recompute them, not add the events on top. Got {got}")


def test_running_the_same_backfill_twice_changes_nothing(subject):
    events = MAY_1 + [event("e3", "m2", "2024-05-02T08:00:00", 500)]
    once = run(subject, {}, events, "2024-05-01", "2024-05-02")
    twice = run(subject, copy.deepcopy(once), events, "2024-05-01", "2024-05-02")
    assert twice == once, f"a second run of the same backfill must give the same table.\n once: {once}\n twice: {twice}"


def test_an_event_delivered_twice_is_counted_once(subject):
    events = MAY_1 + [copy.deepcopy(MAY_1[1])]
    result = run(subject, {}, events, "2024-05-01", "2024-05-01")
    got = day_of(result, "2024-05-01").get("m1")
    assert got == totals(2, 3000), (
        f"event e2 arrived twice (the queue delivers at least once); it is one payment. Expected 2 payments "
        f"and 3000 cents, got {got}")


def test_merchants_are_totalled_separately(subject):
    events = MAY_1 + [event("e3", "m2", "2024-05-01T10:00:00", 700)]
    result = run(subject, {}, events, "2024-05-01", "2024-05-01")
    got = day_of(result, "2024-05-01")
    assert got == {"m1": totals(2, 3000), "m2": totals(1, 700)}, f"1 May should hold m1 and m2 apart; got {got}"


def test_days_outside_the_range_are_left_alone(subject):
    table = {"2024-04-30": {"m1": totals(9, 9900)}, "2024-05-03": {"m1": totals(1, 100)}}
    events = MAY_1 + [event("e8", "m1", "2024-04-30T12:00:00", 5000), event("e9", "m1", "2024-05-03T12:00:00", 5000)]
    result = run(subject, table, events, "2024-05-01", "2024-05-02")
    assert result.get("2024-04-30") == {"m1": totals(9, 9900)} and result.get("2024-05-03") == {"m1": totals(1, 100)}, (
        "a backfill of 1-2 May must not touch 30 April or 3 May, even when the events include them; "
        f"got 30 April {result.get('2024-04-30')}, 3 May {result.get('2024-05-03')}")


def test_the_last_day_of_the_range_is_included(subject):
    events = [event("e1", "m1", "2024-05-07T23:59:00", 400)]
    result = run(subject, {}, events, "2024-05-01", "2024-05-07")
    got = day_of(result, "2024-05-07").get("m1")
    assert got == totals(1, 400), f"end_day is part of the range; 7 May should hold m1's payment, got {got}"


def test_a_merchant_without_events_in_a_rebuilt_day_disappears(subject):
    table = {"2024-05-01": {"m1": totals(2, 3000), "ghost": totals(5, 5000)}, "2024-05-02": {"ghost": totals(1, 10)}}
    result = run(subject, table, MAY_1, "2024-05-01", "2024-05-02")
    may_1, may_2 = day_of(result, "2024-05-01"), day_of(result, "2024-05-02")
    assert "ghost" not in may_1 and "ghost" not in may_2, (
        "the events hold no payment of 'ghost' on 1 or 2 May, so the rebuilt days must not keep its old "
        f"totals; got 1 May {may_1}, 2 May {may_2}")


def test_events_are_filed_under_their_utc_day(subject):
    events = [event("e1", "m1", "2024-05-02T00:30:00+02:00", 800),   # 22:30 UTC on 1 May
              event("e2", "m1", "2024-05-01T23:30:00-03:00", 900)]   # 02:30 UTC on 2 May
    result = run(subject, {}, events, "2024-05-01", "2024-05-02")
    got = (day_of(result, "2024-05-01").get("m1"), day_of(result, "2024-05-02").get("m1"))
    assert got == (totals(1, 800), totals(1, 900)), (
        "the live job files events by their UTC day; 00:30 at +02:00 on 2 May is 1 May in UTC, and 23:30 "
        f"at -03:00 on 1 May is 2 May. The backfill must file them the same way; got 1 May {got[0]}, 2 May {got[1]}")


def test_the_table_passed_in_is_not_changed(subject):
    table = {"2024-05-01": {"m1": totals(7, 7000)}, "2024-04-30": {"m1": totals(1, 1)}}
    remote = subject.put(copy.deepcopy(table))
    subject.call("daily_volume.backfill", remote, MAY_1, "2024-05-01", "2024-05-01")
    assert subject.get(remote) == table, (
        "backfill changed the table it was given; build and return a new one, so a failed run "
        "leaves the old table intact")
