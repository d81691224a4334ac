"""Paging rule for the data-quality job of every input source.

    decide(history, {"rows": 5000, "rejected": 410})   # -> "page"

Each day the job counts the rows a source delivered and how many failed
validation. `history` is the list of earlier days, oldest first, each
{"rows": int, "rejected": int}. The rule pages the on-call engineer.
"""

PAGE_ABOVE = 0.05  # picked at launch for the first source we had


def rate(day):
    """Share of the day's rows that failed validation."""
    return day["rejected"] / day["rows"]


def decide(history, today):
    """'page' or 'ok' for today."""
    if rate(today) > PAGE_ABOVE:
        return "page"
    return "ok"


def persistent(decisions):
    """Whether to escalate, given the last days' decisions (oldest first)."""
    return bool(decisions) and decisions[-1] == "page"


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
