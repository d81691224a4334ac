"""Daily payment volume per merchant: the table behind the `merchant_volume_7d` feature.

    table = backfill(table, events, start_day="2024-05-01", end_day="2024-05-07")

`table` maps a UTC day to each merchant's totals for that day:
    {"2024-05-01": {"m1": {"payments": 3, "volume_cents": 4500}}, ...}
`events` are raw payment events. The queue delivers each one at least once, so the
same event (same `event_id`) can appear twice:
    {"event_id": "e1", "merchant_id": "m1", "paid_at": "2024-05-01T09:15:00+00:00",
     "amount_cents": 1500}
`paid_at` carries its UTC offset; the live job files every event under its UTC day.
"""
import copy
from datetime import date, datetime, timedelta, timezone


def utc_day(paid_at):
    """'2024-05-02T00:30:00+02:00' -> '2024-05-01': the day the live job files the event under."""
    return datetime.fromisoformat(paid_at).astimezone(timezone.utc).date().isoformat()


def days_between(start_day, end_day):
    first, last = date.fromisoformat(start_day), date.fromisoformat(end_day)
    return [(first + timedelta(days=n)).isoformat() for n in range((last - first).days + 1)]


def backfill(table, events, start_day, end_day):
    """A new table in which every day of [start_day, end_day] is rebuilt from `events` alone.

    The days in the range are replaced, never added to, so running the same backfill twice
    gives the same table; each event_id counts once; other days are kept as they were."""
    window = set(days_between(start_day, end_day))
    rebuilt = {}
    seen = set()
    for event in events:
        day = utc_day(event["paid_at"])
        if day not in window or event["event_id"] in seen:
            continue
        seen.add(event["event_id"])
        totals = rebuilt.setdefault(day, {}).setdefault(event["merchant_id"], {"payments": 0, "volume_cents": 0})
        totals["payments"] += 1
        totals["volume_cents"] += event["amount_cents"]

    result = {day: copy.deepcopy(merchants) for day, merchants in table.items() if day not in window}
    result.update(rebuilt)
    return result


if __name__ == "__main__":
    table = {"2024-05-01": {"m1": {"payments": 2, "volume_cents": 3000}}}
    events = [
        {"event_id": "e1", "merchant_id": "m1", "paid_at": "2024-05-01T09:15:00+00:00", "amount_cents": 1000},
        {"event_id": "e2", "merchant_id": "m1", "paid_at": "2024-05-01T17:40:00+00:00", "amount_cents": 2000},
        {"event_id": "e2", "merchant_id": "m1", "paid_at": "2024-05-01T17:40:00+00:00", "amount_cents": 2000},
    ]
    once = backfill(table, events, "2024-05-01", "2024-05-01")
    twice = backfill(once, events, "2024-05-01", "2024-05-01")
    print(once)
    print(twice)
