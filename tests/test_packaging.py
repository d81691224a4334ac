"""A wheel built from a clean checkout carries the course and the exercises."""
from __future__ import annotations

import io
import os
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _tracked_files(prefix: str) -> list[str]:
    done = subprocess.run(["git", "ls-tree", "-r", "--name-only", "HEAD", prefix], cwd=ROOT,
                          capture_output=True, text=True, check=True)
    return [name for name in done.stdout.splitlines() if not name.endswith(".keep")]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    if subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True).returncode != 0:
        pytest.skip("not a git checkout")
    work = tmp_path_factory.mktemp("packaging")
    archive = subprocess.run(["git", "archive", "--format=tar", "HEAD"], cwd=ROOT, capture_output=True,
                             check=True).stdout
    source = work / "source"
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        safe = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}  # 3.10.12+/3.11.4+
        tar.extractall(source, **safe)
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                           "--quiet", "--wheel-dir", str(work / "dist"), str(source)],
                          capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    [built] = (work / "dist").glob("mlquiz-*.whl")
    return built


def test_the_wheel_holds_every_course_and_exercise_file(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    course, exercises = _tracked_files("course"), _tracked_files("exercises")
    assert "course/course.yaml" in course and exercises
    missing = [f for f in course + exercises if f"mlquiz/_data/{f}" not in names]
    assert missing == []


def test_the_unpacked_wheel_finds_its_course_from_another_folder(wheel, tmp_path):
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    code = ("import mlquiz, mlquiz.paths as p\n"
            "from mlquiz.content import load_course\n"
            "c = load_course(p.builtin_course_dir(), use_cache=False)\n"
            "print(mlquiz.__file__)\nprint(p.builtin_course_dir())\nprint(len(c.exercises))\n")
    env = {**os.environ, "PYTHONPATH": str(site)}
    env.pop("MLQUIZ_COURSE", None)
    done = subprocess.run([sys.executable, "-c", code], cwd=elsewhere, env=env, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    package_file, course_dir, exercise_count = done.stdout.splitlines()
    assert Path(package_file).is_relative_to(site)
    assert Path(course_dir) == site / "mlquiz" / "_data" / "course"
    shipped = {f.split("/")[1] for f in _tracked_files("exercises")
               if f.count("/") == 2 and f.endswith("/exercise.yaml")}
    assert int(exercise_count) == len({name for name in shipped if not name.startswith((".", "_"))})
