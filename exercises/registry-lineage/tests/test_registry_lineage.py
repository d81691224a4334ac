"""Hidden tests: only a version with full lineage and a passed validation takes the alias,
the caller's registry never changes, and every move can be undone."""
import copy


def version(run_id="run-1", validation="passed", **tags):
    lineage = {"data_snapshot": "orders@2026-11-30", "git_commit": "4be1c07", "lockfile_sha256": "9d1e0b7ac4"}
    lineage.update(tags)
    return {"run_id": run_id, "validation": validation,
            "tags": {k: v for k, v in lineage.items() if v is not None}}


def registry(**extra):
    versions = {"6": version("run-6"), "7": version("run-7"), "8": version("run-8"), "9": version("run-9")}
    versions.update(extra)
    return {"name": "basket-eta", "versions": versions, "aliases": {"champion": "7", "challenger": "6"}}


def aliases(subject, reg):
    assert type(reg) is dict and type(reg.get("aliases")) is dict, (
        f"promote and rollback should return the registry (a dict with 'aliases'); got {reg!r}"
    )
    return reg["aliases"]


def refused(subject, reg, ver, *words):
    """Promoting `ver` must raise PromotionRefused whose message names each of `words`."""
    with subject.raises("PromotionRefused") as caught:
        subject.call("promote.promote", reg, ver)
    message = caught.value.message.lower()
    for word in words:
        spoken = word.lower().replace("_", " ")
        assert word.lower() in message or spoken in message, (
            f"the refusal should name {word!r} so the person promoting knows what to fix; "
            f"the message was: {caught.value.message!r}"
        )


def test_a_version_with_full_lineage_is_promoted(subject):
    after = subject.call("promote.promote", registry(), "8")
    got = aliases(subject, after)
    assert got.get("champion") == "8", f"version 8 has a run, data, commit, lockfile and passed validation; champion should point at it, got {got}"
    assert got.get("challenger") == "6", f"promoting the champion should leave other aliases alone; got {got}"


def test_a_version_without_a_data_snapshot_is_refused(subject):
    refused(subject, registry(**{"10": version("run-10", data_snapshot=None)}), "10", "data_snapshot")


def test_a_version_without_a_code_commit_is_refused(subject):
    refused(subject, registry(**{"10": version("run-10", git_commit=None)}), "10", "git_commit")


def test_a_version_without_a_locked_environment_is_refused(subject):
    refused(subject, registry(**{"10": version("run-10", lockfile_sha256=None)}), "10", "lockfile_sha256")


def test_a_version_without_a_run_is_refused(subject):
    refused(subject, registry(**{"10": version(run_id="")}), "10", "run_id")


def test_every_missing_lineage_field_is_named_at_once(subject):
    refused(subject, registry(**{"10": version("run-10", data_snapshot=None, lockfile_sha256=None)}),
            "10", "data_snapshot", "lockfile_sha256")


def test_a_blank_lineage_value_counts_as_missing(subject):
    refused(subject, registry(**{"10": version("run-10", git_commit="   ")}), "10", "git_commit")


def test_a_version_that_failed_validation_is_refused(subject):
    refused(subject, registry(**{"10": version("run-10", validation="failed")}), "10", "validation")


def test_an_unknown_version_is_refused(subject):
    with subject.raises("PromotionRefused"):
        subject.call("promote.promote", registry(), "42")


def test_the_registry_given_is_not_changed(subject):
    before = registry()
    given = subject.put(before)
    subject.call("promote.promote", given, "8")
    assert subject.get(given) == before, (
        "promote changed the registry it was given; callers keep that copy to compare and to roll back, "
        "so return a new registry instead"
    )


def test_a_refused_promotion_leaves_no_trace(subject):
    before = registry(**{"10": version("run-10", validation="not run")})
    given = subject.put(before)
    with subject.raises("PromotionRefused"):
        subject.call("promote.promote", given, "10")
    assert subject.get(given) == before, "a refused promotion still changed the registry it was given"


def test_rollback_returns_to_the_previous_champion(subject):
    after = subject.call("promote.promote", registry(), "8")
    back = subject.call("promote.rollback", after)
    got = aliases(subject, back)
    assert got.get("champion") == "7", f"version 7 served before 8 was promoted; rollback should point champion at 7, got {got}"


def test_rollbacks_walk_back_one_step_at_a_time(subject):
    reg = subject.call("promote.promote", registry(), "8")
    reg = subject.call("promote.promote", reg, "9")
    once = subject.call("promote.rollback", reg)
    assert aliases(subject, once).get("champion") == "8", (
        f"after promoting 8 then 9, one rollback should lead to 8; got {aliases(subject, once)}"
    )
    twice = subject.call("promote.rollback", once)
    assert aliases(subject, twice).get("champion") == "7", (
        f"a second rollback should lead back to 7, the champion before both promotions; got {aliases(subject, twice)}"
    )


def test_rollback_does_not_change_the_registry_given(subject):
    promoted = subject.call("promote.promote", registry(), "8")
    kept = copy.deepcopy(promoted)
    given = subject.put(promoted)
    subject.call("promote.rollback", given)
    assert subject.get(given) == kept, "rollback changed the registry it was given; return a new one"


def test_rollback_with_nothing_to_go_back_to_is_refused(subject):
    with subject.raises("PromotionRefused"):
        subject.call("promote.rollback", registry())
