"""Move the registry's `champion` alias to a new model version, and move it back.

    registry = promote(registry, "8")            # returns the registry after the move
    registry = rollback(registry)                # the alias back where it was before

A registry is plain data, one registered model (in the spirit of MLflow's registry):

    {"name": "basket-eta",
     "versions": {"7": {"run_id": "run-7f3a", "validation": "passed",
                        "tags": {"data_snapshot": "orders@2026-11-30",
                                 "git_commit": "4be1c07",
                                 "lockfile_sha256": "9d1e...c4"}},
                  "8": {...}},
     "aliases": {"champion": "7"},
     "history": {"champion": ["6"]}}      # added by promote: earlier holders, oldest first

Serving loads whatever version `champion` points at. Only a version whose lineage is
complete (run, data snapshot, code commit, locked environment) and whose validation
passed may be promoted; every move is remembered, so a rollback is one call.
"""
import copy

LINEAGE_TAGS = ("data_snapshot", "git_commit", "lockfile_sha256")


class PromotionRefused(Exception):
    """The version may not take the alias, or there is nothing to roll back to."""


def blank(value):
    return value is None or not str(value).strip()


def lineage_problems(entry):
    """What keeps one version from serving, one readable phrase each."""
    problems = []
    if blank(entry.get("run_id")):
        problems.append("run_id is missing")
    tags = entry.get("tags") or {}
    missing = [tag for tag in LINEAGE_TAGS if blank(tags.get(tag))]
    if missing:
        problems.append("lineage tags missing: " + ", ".join(missing))
    if entry.get("validation") != "passed":
        problems.append(f"validation is {entry.get('validation')!r}, not 'passed'")
    return problems


def promote(registry, version, alias="champion"):
    entry = registry["versions"].get(version)
    if entry is None:
        raise PromotionRefused(f"version {version!r} is not in the registry")
    problems = lineage_problems(entry)
    if problems:
        raise PromotionRefused(f"version {version} cannot become {alias}: " + "; ".join(problems))
    moved = copy.deepcopy(registry)
    previous = moved["aliases"].get(alias)
    if previous is not None and previous != version:
        moved.setdefault("history", {}).setdefault(alias, []).append(previous)
    moved["aliases"][alias] = version
    return moved


def rollback(registry, alias="champion"):
    earlier = registry.get("history", {}).get(alias) or []
    if not earlier:
        raise PromotionRefused(f"{alias} has no earlier version to go back to")
    moved = copy.deepcopy(registry)
    moved["aliases"][alias] = moved["history"][alias].pop()
    return moved


if __name__ == "__main__":
    registry = {
        "name": "basket-eta",
        "versions": {
            "7": {"run_id": "run-7f3a", "validation": "passed",
                  "tags": {"data_snapshot": "orders@2026-11-30", "git_commit": "4be1c07",
                           "lockfile_sha256": "9d1e0b7ac4"}},
            "8": {"run_id": "", "validation": "not run",
                  "tags": {"git_commit": "dirty-worktree"}},
        },
        "aliases": {"champion": "7"},
    }
    try:
        promote(registry, "8")
    except PromotionRefused as refused:
        print("refused:", refused)
