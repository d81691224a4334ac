"""Paging rule for the data-quality job of every input source.

    decide(history, {"rows": 5000, "rejected": 410})
    # -> "ok" for a feed that runs at 8%

Each source is compared with its own recent history: the median rejection
rate of the last `window` days that had enough rows, and a robust spread
(1.4826 times the median absolute deviation). Today pages when its rate is
more than `k` spreads above that median. Too little data gives
"not-enough-data" rather than a guess.
"""

from statistics import median


def rate(day):
    """Share of the day's rows that failed validation."""
    return day["rejected"] / day["rows"]


def decide(history, today, window=28, min_rows=200, min_days=7, k=4.0):
    """'page', 'ok' or 'not-enough-data' for today, against this source's
    own history."""
    if today["rows"] < min_rows:
        return "not-enough-data"
    recent = history[-window:]
    usable = [rate(day) for day in recent if day["rows"] >= min_rows]
    if len(usable) < min_days:
        return "not-enough-data"
    centre = median(usable)
    spread = 1.4826 * median(abs(r - centre) for r in usable)
    # a flat history must not page on any change at all
    spread = max(spread, 0.1 * centre, 1e-4)
    return "page" if rate(today) > centre + k * spread else "ok"


def persistent(decisions, need=3, of=4):
    """True when at least `need` of the last `of` decisions were 'page'."""
    return sum(1 for d in decisions[-of:] if d == "page") >= need


if __name__ == "__main__":
    import math

    def days(level, wobble, rows=5000, n=28):
        return [{"rows": rows,
                 "rejected": round(rows * (level + wobble * math.sin(i)))}
                for i in range(n)]

    busy, quiet = days(0.08, 0.004), days(0.01, 0.001)
    print("busy partner feed, normal day:",
          decide(busy, {"rows": 5000, "rejected": 415}))
    print("quiet source, triple its usual rate:",
          decide(quiet, {"rows": 5000, "rejected": 150}))
    print("tiny holiday batch, 12 of 40 rejected:",
          decide(quiet, {"rows": 40, "rejected": 12}))
