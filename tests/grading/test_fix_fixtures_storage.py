"""The kept fixes are overlays: each stores only the files it changes, and nothing else."""
from __future__ import annotations

from .fixtures import (DEFINITIONS_ONLY, FIXTURES, ON_SOLUTION, base_of, changed_files, exercise_of, fix_files,
                       overlay_definitions)

KEPT = sorted((exercise.name, fix.name) for exercise in FIXTURES.iterdir() if exercise.is_dir()
              for fix in exercise.iterdir() if fix.is_dir() and not fix.name.startswith("__"))


def test_fixes_are_kept():
    assert len(KEPT) >= 30, f"only {len(KEPT)} kept fixes found under {FIXTURES}"


def test_every_exercise_with_fixes_has_an_incomplete_and_an_alternative_one():
    for exercise_id in {exercise_id for exercise_id, _ in KEPT}:
        kinds = {fix.split("-")[0] for e, fix in KEPT if e == exercise_id}
        assert kinds == {"incomplete", "alternative"}, f"{exercise_id} keeps fixes of kinds {sorted(kinds)}"


def test_a_fix_stores_only_the_files_it_changes():
    for exercise_id, fix in KEPT:
        exercise = exercise_of(exercise_id)
        folder = FIXTURES / exercise_id / fix
        base = base_of(exercise, folder)
        stored = changed_files(folder)
        assert stored, f"{exercise_id}/{fix} stores no file: it would be its base"
        for name, text in stored.items():
            assert name in exercise.files, f"{exercise_id}/{fix}/{name} is not a file of the exercise"
            for origin in {base, exercise.starter_dir}:
                same = (origin / name).read_text(encoding="utf-8") == text
                assert not same, f"{exercise_id}/{fix}/{name} is a copy of {origin.name}/{name}: leave it out"


def test_only_an_incomplete_fix_is_laid_over_the_solution():
    for exercise_id, fix in KEPT:
        if (FIXTURES / exercise_id / fix / ON_SOLUTION).is_file():
            assert fix.startswith("incomplete"), f"{exercise_id}/{fix} is laid over the solution"


def test_a_fix_stands_for_a_whole_workspace():
    exercise_id, fix = KEPT[0]
    files = fix_files(exercise_id, fix)
    assert set(files) == set(exercise_of(exercise_id).files), sorted(files)


BASE = '''"""A module."""
import json

LIMIT = 3


# the old rule
def rule(x):
    return x > LIMIT


def keep():
    return json.dumps(LIMIT)


if __name__ == "__main__":
    print(rule(4))
'''


def test_a_definitions_only_fix_replaces_its_definitions_and_keeps_the_rest():
    fix = f'''{DEFINITIONS_ONLY}
import math

LIMIT = 5


# the new rule
def rule(x):
    return math.isfinite(x) and x > LIMIT


def extra():
    return 1
'''
    merged = overlay_definitions(BASE, fix)
    assert merged.startswith('"""A module."""\nimport json\nimport math\n'), merged
    assert "LIMIT = 5" in merged and "LIMIT = 3" not in merged, merged
    assert "# the new rule\ndef rule(x):\n    return math.isfinite(x)" in merged and "old rule" not in merged, merged
    assert "def keep():" in merged and merged.index("def extra():") > merged.index("print(rule(4))"), merged
    namespace = {}
    exec(compile(merged, "merged.py", "exec"), namespace)
    assert namespace["rule"](6) and not namespace["rule"](4) and namespace["extra"]() == 1


def test_every_definitions_only_fix_names_definitions_of_its_base():
    for exercise_id, fix in KEPT:
        exercise = exercise_of(exercise_id)
        folder = FIXTURES / exercise_id / fix
        for name, text in changed_files(folder).items():
            if text.startswith(DEFINITIONS_ONLY):
                base = (base_of(exercise, folder) / name).read_text(encoding="utf-8")
                compile(overlay_definitions(base, text), name, "exec")
