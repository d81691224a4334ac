"""The weekly A/B readout: should the new ranking model (treatment) replace the old one (control)?

    readout(control, treatment, planned_share=0.5)
    # -> {"verdict": "ship" | "keep" | "stop" | "invalid", "reasons": [str, ...]}

Each arm is a dict of counts over the experiment's users:

    {"users": 50000, "conversions": 2500, "errors": 250, "p99_ms": 180.0}

`planned_share` is the share of users the assignment was meant to send to the treatment.
"""

SRM_P = 0.001          # a split less likely than this under the plan means the experiment is broken
GUARDRAILS = {         # the treatment may be at most this many times worse than the control
    "error_rate": 1.10,
    "p99_ms": 1.10,
}
SHIP_Z = 1.96          # the conversion lift must be at least this many standard errors above zero


def readout(control, treatment, planned_share=0.5):
    before = control["conversions"] / control["users"]
    after = treatment["conversions"] / treatment["users"]
    lift = after / before - 1
    return {"verdict": "ship" if lift > 0 else "keep", "reasons": [f"conversion lift {lift:+.1%}"]}


if __name__ == "__main__":
    control = {"users": 50000, "conversions": 2500, "errors": 250, "p99_ms": 180.0}
    # the new model's page times out for some slow phones, and those users never get logged
    treatment = {"users": 48800, "conversions": 2650, "errors": 240, "p99_ms": 184.0}
    print(readout(control, treatment))
