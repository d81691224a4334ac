"""Cold (parse and validate) against warm (cache hit) course loads, 10 to 1,000 modules.

    .venv/bin/python bench/content_load.py [--sizes 10,100,1000] [--repeat 3]

Each synthetic course holds copies of the shipped module (every id renamed
per copy so the course stays valid). Prints ms per module for each size and
ends with `content_load: RATIOx (goal <= 0.05)`, RATIO = warm / cold at the
largest size.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

from mlquiz.content import load_course
from mlquiz.content.files import MODULE_FILES
from mlquiz.paths import builtin_course_dir


def _ids_of(module) -> list[str]:
    lesson = module.lesson
    ids = [module.id] + [c.id for c in module.concepts] + [s.id for s in lesson.steps]
    ids += [m.id for m in lesson.myths] + [p.id for p in lesson.pitfalls]
    ids += [q.id for q in module.questions] + [c.id for c in module.flashcards]
    return sorted(set(ids), key=len, reverse=True)


def build_course(root: Path, size: int) -> Path:
    """A course of `size` renamed copies of the shipped module."""
    shipped = load_course(builtin_course_dir(), use_cache=False).modules[0]
    texts = {name: (shipped.path / name).read_text(encoding="utf-8")
             for name in MODULE_FILES if (shipped.path / name).is_file()}
    pattern = re.compile(r"(?<![a-z0-9-])(" + "|".join(map(re.escape, _ids_of(shipped))) + r")(?![a-z0-9-])")
    course = root / f"course-{size}"
    names = [f"module-{k:04d}" for k in range(size)]
    for k, name in enumerate(names):
        folder = course / name
        folder.mkdir(parents=True)
        for file, text in texts.items():
            renamed = pattern.sub(lambda m: name if m.group(1) == shipped.id else f"{m.group(1)}-{k}", text)
            if file == "module.yaml":  # links to the course's other modules do not exist here
                renamed = re.sub(r"^(next|prerequisites):.*$", r"\1: []", renamed, flags=re.M)
            (folder / file).write_text(renamed, encoding="utf-8")
    (course / "course.yaml").write_text(
        "id: bench\ntitle: Bench\ndescription: Synthetic course.\nmodules:\n"
        + "".join(f"  - {n}\n" for n in names), encoding="utf-8")
    return course


def timed_ms(fn) -> float:
    """Milliseconds for fn(); its result is freed after the clock stops (a start keeps its course)."""
    start = time.perf_counter()
    result = fn()
    elapsed = (time.perf_counter() - start) * 1000
    del result
    return elapsed


def cold_and_warm_ms(course: Path, rounds: int) -> tuple[float, float]:
    """Best cold and best warm time, measured in alternating rounds so both see the same noise."""
    cold = warm = float("inf")
    load_course(course)  # writes the cache
    for _ in range(rounds):
        cold = min(cold, timed_ms(lambda: load_course(course, use_cache=False)))
        for _ in range(3):
            warm = min(warm, timed_ms(lambda: load_course(course)))
    return cold, warm


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,100,1000")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    root = Path(tempfile.mkdtemp(prefix="mlquiz-bench-"))
    os.environ["MLQUIZ_CACHE_DIR"] = str(root / "cache")
    ratio = None
    try:
        for size in sizes:
            course = build_course(root, size)
            loaded = load_course(course, use_cache=False)
            assert len(loaded.modules) == size
            cold, warm = cold_and_warm_ms(course, args.repeat if size < 1000 else max(1, args.repeat - 1))
            ratio = warm / cold
            print(f"{size:5d} modules: cold {cold / size:7.2f} ms/module ({cold:8.1f} ms)   "
                  f"warm {warm / size:6.3f} ms/module ({warm:7.1f} ms)   warm/cold {ratio:.3f}")
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print(f"content_load: {ratio:.3f}x (goal <= 0.05)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
