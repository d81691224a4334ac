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
     "aliases": {"champion": "7"}}

Serving loads whatever version `champion` points at.
"""


def promote(registry, version, alias="champion"):
    registry["aliases"][alias] = version
    return registry


def rollback(registry, alias="champion"):
    # nobody wrote down what served before: retrain the old model by hand
    raise NotImplementedError("rollback: retrain the previous model from its notebook")


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
    print(promote(registry, "8")["aliases"])   # version 8 serves: no run, no data, no test
