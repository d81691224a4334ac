"""The weekly A/B readout: should the new ranking model (treatment) replace the old one (control)?

    readout(control, treatment, planned_share=0.5)
    # -> {"verdict": "ship" | "keep" | "stop" | "invalid", "reasons": [str, ...]}

Each arm is a dict of counts over the experiment's users:

    {"users": 50000, "conversions": 2500, "errors": 250, "p99_ms": 180.0}

`planned_share` is the share of users the assignment was meant to send to the treatment.

The checks run in order of trust. First the split itself (a sample ratio mismatch means
the arms are no longer comparable, so no other number may be read), then the guardrails
(a treatment that hurts errors or latency stops, whatever it does to conversions), and
only then the primary metric.
"""
import math

SRM_P = 0.001          # a split less likely than this under the plan means the experiment is broken
GUARDRAILS = {         # the treatment may be at most this many times worse than the control
    "error_rate": 1.10,
    "p99_ms": 1.10,
}
SHIP_Z = 1.96          # the conversion lift must be at least this many standard errors above zero


def srm_p_value(control_users, treatment_users, planned_share):
    """Chi-squared goodness of fit of the two counts against the planned split (1 degree of
    freedom), as a p-value: how likely a split at least this far from the plan is by chance.

    srm_p_value(50000, 48800, 0.5) -> 0.000135...
    """
    total = control_users + treatment_users
    expected = (total * (1 - planned_share), total * planned_share)
    chi2 = sum((seen - want) ** 2 / want for seen, want in zip((control_users, treatment_users), expected))
    return math.erfc(math.sqrt(chi2 / 2))


def guardrail_values(arm):
    return {"error_rate": arm["errors"] / arm["users"], "p99_ms": arm["p99_ms"]}


def lift_z(control, treatment):
    """Two-proportion z statistic of the treatment's conversion rate over the control's."""
    n1, n2 = control["users"], treatment["users"]
    p1, p2 = control["conversions"] / n1, treatment["conversions"] / n2
    pooled = (control["conversions"] + treatment["conversions"]) / (n1 + n2)
    spread = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    return (p2 - p1) / spread if spread > 0 else 0.0


def readout(control, treatment, planned_share=0.5):
    if control["users"] <= 0 or treatment["users"] <= 0:
        return {"verdict": "invalid", "reasons": ["an arm has no users: the assignment is broken"]}
    p = srm_p_value(control["users"], treatment["users"], planned_share)
    if p < SRM_P:
        share = treatment["users"] / (control["users"] + treatment["users"])
        return {"verdict": "invalid", "reasons": [
            f"sample ratio mismatch: treatment got {share:.2%} of users, planned {planned_share:.0%} "
            f"(p = {p:.1e}); find the cause before reading any metric"]}
    before, after = guardrail_values(control), guardrail_values(treatment)
    breaches = [f"guardrail {name}: {after[name]:.4g} against {before[name]:.4g} for the control"
                for name, limit in GUARDRAILS.items() if after[name] > limit * before[name]]
    if breaches:
        return {"verdict": "stop", "reasons": breaches}
    z = lift_z(control, treatment)
    if z >= SHIP_Z:
        return {"verdict": "ship", "reasons": []}
    return {"verdict": "keep", "reasons": [f"conversion lift is {z:.2f} standard errors, below {SHIP_Z}"]}


if __name__ == "__main__":
    control = {"users": 50000, "conversions": 2500, "errors": 250, "p99_ms": 180.0}
    # the new model's page times out for some slow phones, and those users never get logged
    treatment = {"users": 48800, "conversions": 2650, "errors": 240, "p99_ms": 184.0}
    print(readout(control, treatment))
