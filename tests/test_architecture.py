"""The house rules hold: arrows point down, domain code never loads Textual."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _lint_imports() -> str:
    beside_python = Path(sys.executable).parent / "lint-imports"
    return str(beside_python) if beside_python.exists() else (shutil.which("lint-imports") or "lint-imports")


def test_import_linter_contracts_are_kept():
    done = subprocess.run([_lint_imports(), "--no-cache"], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "0 broken" in done.stdout


def _modules_after(code: str, tmp_path: Path) -> set[str]:
    """Run `code` in a fresh interpreter; the names of the modules it left loaded."""
    script = code + "\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))\n"
    done = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True,
                          timeout=60)  # the environment tests/conftest.py set: cache under tmp_path
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stdout.splitlines()[-1]))


def test_validate_and_schema_never_import_textual(tmp_path):
    course = ROOT / "course"
    loaded = _modules_after(
        "import contextlib, io\n"
        "from mlquiz.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    main(['validate', {str(course)!r}])\n"
        "    main(['schema'])\n"
        "import mlquiz.content\n"
        f"mlquiz.content.load_course(__import__('pathlib').Path({str(course)!r}))\n",
        tmp_path)
    assert "mlquiz.content.loader" in loaded  # the code path really ran
    assert not {m for m in loaded if m == "textual" or m.startswith("textual.")}


def test_importing_the_content_package_is_cheap(tmp_path):
    loaded = _modules_after("import mlquiz.content", tmp_path)
    assert "yaml" not in loaded and "mlquiz.content.loader" not in loaded
