"""Hidden tests: the contract check finds every change an existing consumer would trip on."""
import copy

from mlquiz.grading.judge import SubjectError

BASE = {
    "name": "payment_events",
    "version": "1.4.0",
    "owner": "payments-platform",
    "fields": {
        "payment_id": {"type": "str", "required": True},
        "account_id": {"type": "str", "required": True},
        "amount": {"type": "int", "required": True, "unit": "cents"},
        "fee": {"type": "float", "required": True, "unit": "cents"},
        "status": {"type": "str", "required": True, "values": ["authorised", "settled", "declined"]},
        "paid_at": {"type": "str", "required": True},
        "device_id": {"type": "str", "required": False},
        "channel": {"type": "str", "required": True},
    },
}


def changed(edit, version="1.5.0"):
    """A copy of BASE with `edit(fields)` applied and a new version."""
    new = copy.deepcopy(BASE)
    new["version"] = version
    edit(new["fields"])
    return new


def breaks(subject, new, old=BASE):
    found = subject.call("contract.breaking_changes", old, new)
    assert type(found) is list and all(type(p) is str for p in found), (
        f"breaking_changes should return a list of strings, got {found!r}")
    return found


def review(subject, new, old=BASE):
    return subject.call("contract.review_change", old, new)


def names(found, field):
    return [p for p in found if field in p]


def test_an_unchanged_contract_is_no_change(subject):
    same = copy.deepcopy(BASE)
    assert breaks(subject, same) == [], "an identical contract breaks nobody"
    kind = review(subject, same)
    assert kind == "none", f"review_change of an identical contract should be 'none', got {kind!r}"


def test_removing_a_required_field_breaks_consumers(subject):
    new = changed(lambda f: f.pop("account_id"))
    found = breaks(subject, new)
    assert names(found, "account_id"), f"consumers rely on the required field account_id; removing it must be reported, got {found}"
    assert review(subject, new) == "major", "removing a required field is a major change"


def test_removing_an_optional_field_is_compatible(subject):
    new = changed(lambda f: f.pop("device_id"))
    found = breaks(subject, new)
    assert found == [], (
        "device_id was optional, so every consumer already copes with it being absent; "
        f"removing it breaks nobody, but got {found}")
    assert review(subject, new) == "minor", "removing an optional field is a compatible (minor) change"


def test_adding_fields_is_compatible(subject):
    def add(fields):
        fields["merchant_id"] = {"type": "str", "required": True}
        fields["risk_note"] = {"type": "str", "required": False}
    new = changed(add)
    found = breaks(subject, new)
    assert found == [], f"consumers ignore fields they do not know, so new fields break nobody; got {found}"
    kind = review(subject, new)
    assert kind == "minor", f"adding fields is a compatible change, 'minor'; got {kind!r}"


def test_changing_a_type_breaks_consumers(subject):
    new = changed(lambda f: f["channel"].update(type="int"))
    found = breaks(subject, new)
    assert names(found, "channel"), f"channel changed from str to int; consumers that read text break. Got {found}"


def test_an_int_field_that_starts_sending_floats_breaks(subject):
    new = changed(lambda f: f["amount"].update(type="float"))
    found = breaks(subject, new)
    assert names(found, "amount"), (
        "amount was promised as an int; a consumer that indexes or sums whole cents breaks on 12.5. "
        f"Got {found}")


def test_a_float_field_may_start_sending_whole_numbers(subject):
    new = changed(lambda f: f["fee"].update(type="int"))
    found = breaks(subject, new)
    assert found == [], (
        "fee was promised as a float; every int is a valid float, so a consumer that reads floats "
        f"still works. This change is compatible, but got {found}")


def test_making_a_required_field_optional_breaks_consumers(subject):
    new = changed(lambda f: f["channel"].update(required=False))
    found = breaks(subject, new)
    assert names(found, "channel"), (
        f"consumers were promised channel on every event; if it may now be missing they can break. Got {found}")


def test_making_an_optional_field_required_is_compatible(subject):
    new = changed(lambda f: f["device_id"].update(required=True))
    found = breaks(subject, new)
    assert found == [], f"a field that is now always present breaks nobody who coped with its absence; got {found}"


def test_a_new_unit_breaks_consumers_even_with_the_same_type(subject):
    new = changed(lambda f: f["amount"].update(unit="euros"))
    found = breaks(subject, new)
    assert names(found, "amount"), (
        "amount is still an int, but now in euros instead of cents: every sum a consumer computes is "
        f"off by a factor of 100. This must be reported; got {found}")


def test_a_new_allowed_value_breaks_consumers(subject):
    new = changed(lambda f: f["status"]["values"].append("refunded"))
    found = breaks(subject, new)
    assert names(found, "status"), (
        "a consumer that handles authorised, settled and declined meets 'refunded' it was never told "
        f"about; a new value must be reported. Got {found}")


def test_dropping_an_allowed_value_is_compatible(subject):
    new = changed(lambda f: f["status"]["values"].remove("declined"))
    found = breaks(subject, new)
    assert found == [], f"fewer possible values never surprise a consumer; got {found}"


def test_lifting_the_list_of_values_breaks_consumers(subject):
    new = changed(lambda f: f["status"].pop("values"))
    found = breaks(subject, new)
    assert names(found, "status"), f"status may now hold any text, which consumers were promised it would not; got {found}"


def test_every_breaking_change_is_reported(subject):
    def edit(fields):
        fields.pop("paid_at")
        fields["amount"]["unit"] = "euros"
        fields["status"]["values"].append("refunded")
    found = breaks(subject, changed(edit))
    missing = [field for field in ("paid_at", "amount", "status") if not names(found, field)]
    assert not missing, f"three fields break at once; the report should name each, it misses {missing}: {found}"


def test_a_breaking_change_needs_a_new_major_version(subject):
    new = changed(lambda f: f["amount"].update(unit="euros"), version="1.5.0")
    try:
        subject.call("contract.check_release", BASE, new)
    except SubjectError as error:
        assert error.type_name == "ContractError" or "ContractError" in error.bases, (
            f"check_release should raise ContractError, it raised {error.type_name}: {error.message}")
        assert "amount" in error.message, f"the error should name the field that breaks: {error.message}"
    else:
        raise AssertionError("1.4.0 -> 1.5.0 changes the unit of amount, a breaking change: "
                             "check_release should raise ContractError until the major version goes up")
    subject.call("contract.check_release", BASE, changed(lambda f: f["amount"].update(unit="euros"), "2.0.0"))


def test_versions_are_compared_as_numbers(subject):
    old = copy.deepcopy(BASE)
    old["version"] = "9.3.0"
    new = changed(lambda f: f.pop("account_id"), version="10.0.0")
    try:
        subject.call("contract.check_release", old, new)
    except SubjectError as error:
        raise AssertionError(
            "9.3.0 -> 10.0.0 is a new major version, so this breaking change may be released; compare "
            f"version numbers as numbers, not as text ('10' < '9' as text). It raised: {error.message}")


def test_a_compatible_change_with_a_higher_version_is_released(subject):
    new = changed(lambda f: f.update(merchant_id={"type": "str", "required": False}), version="1.10.0")
    try:
        subject.call("contract.check_release", BASE, new)
    except SubjectError as error:
        raise AssertionError(f"adding an optional field in 1.10.0 (after 1.4.0) is fine; it raised: {error.message}")


def test_a_changed_contract_needs_a_higher_version(subject):
    new = changed(lambda f: f.update(merchant_id={"type": "str", "required": False}), version="1.4.0")
    try:
        subject.call("contract.check_release", BASE, new)
    except SubjectError as error:
        assert error.type_name == "ContractError" or "ContractError" in error.bases, (
            f"check_release should raise ContractError, it raised {error.type_name}: {error.message}")
    else:
        raise AssertionError("the fields changed (a new field) but the version stayed 1.4.0: consumers cannot "
                             "tell the two contracts apart, so check_release should raise ContractError")


def test_the_contracts_are_left_as_they_were(subject):
    new = changed(lambda f: f["status"]["values"].append("refunded"), version="2.0.0")
    old_remote, new_remote = subject.put(copy.deepcopy(BASE)), subject.put(copy.deepcopy(new))
    subject.call("contract.breaking_changes", old_remote, new_remote)
    subject.call("contract.review_change", old_remote, new_remote)
    subject.call("contract.check_release", old_remote, new_remote)
    assert subject.get(old_remote) == BASE and subject.get(new_remote) == new, (
        "checking a contract must not change either contract")
