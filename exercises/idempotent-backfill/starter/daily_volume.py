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


def backfill(table, events, start_day, end_day):
    # Add the events of the days in [start_day, end_day] to the table.
    for event in events:
        day = event["paid_at"][:10]
        if start_day <= day <= end_day:
            merchants = table.setdefault(day, {})
            totals = merchants.setdefault(event["merchant_id"], {"payments": 0, "volume_cents": 0})
            totals["payments"] += 1
            totals["volume_cents"] += event["amount_cents"]
    return table


if __name__ == "__main__":
    table = {"2024-05-01": {"m1": {"payments": 2, "volume_cents": 3000}}}
    events = [
        {"event_id": "e1", "merchant_id": "m1", "paid_at": "2024-05-01T09:15:00+00:00", "amount_cents": 1000},
        {"event_id": "e2", "merchant_id": "m1", "paid_at": "2024-05-01T17:40:00+00:00", "amount_cents": 2000},
        {"event_id": "e2", "merchant_id": "m1", "paid_at": "2024-05-01T17:40:00+00:00", "amount_cents": 2000},
    ]
    once = backfill(table, events, "2024-05-01", "2024-05-01")
    print(once)
    twice = backfill(once, events, "2024-05-01", "2024-05-01")
    print(twice)
    print("m1 made two payments (30.00) on 1 May; after two runs the table says",
          twice["2024-05-01"]["m1"]["payments"])
