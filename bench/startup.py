"""Startup time and memory of the app against a minimal Textual app, in one run.

    .venv/bin/python bench/startup.py [--runs 7]

Startup is measured from process start until the home screen is ready for
keys: at that moment the app writes the wall-clock time into
MLQUIZ_BENCH_READY_FILE and, with MLQUIZ_BENCH_EXIT_ON_READY=1, exits. The
baseline is a minimal Textual app showing one Markdown widget with the
course overview (similar in size to the home screen), doing the same. Both run
headless, alternating, and the medians are compared; the ratio is of "ready"
(the goal), and the time until the process has exited is printed beside it
(it also counts shutdown, e.g. the session row's disk sync finishing in its thread). Then one
run of each under `python -X importtime` lists what the app imports before its first screen
is ready that the minimal app does not, by package and by mlquiz module. Memory is the
peak RSS after visiting all ten modes vs the minimal app after its one screen.
Last line: `startup: RATIOx (goal <= 1.3)`.
"""
from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADLESS = {"TEXTUAL_DRIVER": "textual.drivers.headless_driver:HeadlessDriver"}

MINIMAL_APP = r'''
import os, sys, time
from textual.app import App
from textual.widgets import Markdown

class Minimal(App):
    def __init__(self, text):
        super().__init__()
        self.text = text
    def compose(self):
        yield Markdown(self.text)
    def on_mount(self):
        self.call_after_refresh(self.ready)
    def ready(self):
        with open(os.environ["MLQUIZ_BENCH_READY_FILE"], "w") as f:
            f.write(f"ready {time.time():.6f}")
        self.exit()

Minimal(open(sys.argv[1]).read()).run(headless=True)
'''

VISIT_ALL = r'''
import asyncio, resource, sys
from pathlib import Path
from mlquiz.tui.app import make_app
from mlquiz.tui.modes import MODES

async def main(db):
    app = make_app(Path(sys.argv[1]), Path(db), "bench", Path(sys.argv[3]))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("enter")  # welcome
        module = app.ctx.course.modules[0].id
        for mode in MODES:
            app.open_screen(module, mode.key)
            await pilot.pause()
            await pilot.pause()
        app.action_progress()
        await pilot.pause()
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)

asyncio.run(main(sys.argv[2]))
'''

MINIMAL_MEMORY = r'''
import asyncio, resource, sys
from textual.app import App
from textual.widgets import Markdown

class Minimal(App):
    def compose(self):
        yield Markdown(open(sys.argv[1]).read())

async def main():
    async with Minimal().run_test(size=(120, 40)) as pilot:
        await pilot.pause()
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)

asyncio.run(main())
'''


def overview_text(course_dir: Path) -> str:
    """About as much markdown as the home screen shows: course + module summaries."""
    sys.path.insert(0, str(ROOT))
    from mlquiz.content import load_course

    course = load_course(course_dir)
    parts = [f"# {course.title}", course.description]
    for module in course.modules:
        parts += [f"## {module.title}", module.summary]
    return "\n\n".join(parts)


_IMPORT_LINE = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)")


def imports_before_ready(cmd: list[str], env: dict[str, str]) -> list[tuple[str, int, int]]:
    """(module, self us, cumulative us) of each import `python -X importtime` reports
    before the first screen is ready: the ready file is the child's own stderr, so the
    app's "ready" line lands among the import lines, in order."""
    env = {**env, "MLQUIZ_BENCH_READY_FILE": "/dev/stderr"}
    done = subprocess.run([cmd[0], "-X", "importtime", *cmd[1:]], env=env, text=True,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          stdin=subprocess.DEVNULL, timeout=120)
    rows = []
    for line in done.stderr.splitlines():
        if line.startswith("ready"):
            break
        match = _IMPORT_LINE.match(line)
        if match:
            rows.append((match[4], int(match[1]), int(match[2])))
    return rows


def print_imports(app: list[tuple[str, int, int]], base: list[tuple[str, int, int]]) -> None:
    """What the first screen imports beyond the minimal app, by package and by mlquiz module."""
    base_names = {name for name, _, _ in base}
    extra = [(name, own, cum) for name, own, cum in app if name not in base_names]
    by_package: dict[str, int] = {}
    for name, own, _ in extra:
        by_package[name.split(".")[0]] = by_package.get(name.split(".")[0], 0) + own
    total = sum(own for _, own, _ in app) / 1000
    print(f"imports before the home screen is ready: {len(app)} modules, {total:.1f} ms "
          f"(python -X importtime, one run); the minimal app's: {len(base)} modules, "
          f"{sum(own for _, own, _ in base) / 1000:.1f} ms")
    print(f"beyond the minimal app: {len(extra)} modules, "
          f"{sum(own for _, own, _ in extra) / 1000:.1f} ms; by package:")
    for package, own in sorted(by_package.items(), key=lambda kv: -kv[1])[:10]:
        print(f"  {own / 1000:6.1f} ms  {package}")
    ours = sorted(((name, cum) for name, _, cum in app if name.startswith("mlquiz.")),
                  key=lambda kv: -kv[1])
    print("  mlquiz modules, cumulative: " + ", ".join(
        f"{name} {cum / 1000:.1f}" for name, cum in ours[:8]))


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(seconds until ready for keys, seconds until the process exited)."""
    marker = Path(env["MLQUIZ_BENCH_READY_FILE"])
    marker.unlink(missing_ok=True)
    wall, start = time.time(), time.perf_counter()
    done = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          stdin=subprocess.DEVNULL, timeout=120)
    elapsed = time.perf_counter() - start
    if done.returncode != 0 or not marker.exists():
        raise SystemExit(f"bench: {' '.join(cmd[:3])} failed: {done.stderr.decode()[-500:]}")
    return float(marker.read_text().split()[-1]) - wall, elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--course", type=Path, default=ROOT / "course")
    args = parser.parse_args()
    python = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        markdown = tmp_path / "overview.md"
        markdown.write_text(overview_text(args.course))
        minimal = tmp_path / "minimal.py"
        minimal.write_text(MINIMAL_APP)
        db = tmp_path / "bench.db"
        env = {**os.environ, **HEADLESS, "MLQUIZ_CACHE_DIR": str(tmp_path / "cache"),
               "XDG_DATA_HOME": str(tmp_path / "data"), "MLQUIZ_BENCH_EXIT_ON_READY": "1",
               "MLQUIZ_BENCH_READY_FILE": str(tmp_path / "ready")}
        app_cmd = [python, "-m", "mlquiz", "--course", str(args.course), "--db", str(db),
                   "--learner", "bench", "--workspace", str(tmp_path / "ws")]
        # Warm both (file cache, content cache, first database) and mark the welcome as seen.
        timed(app_cmd, env)
        subprocess.run([python, "-c", "import sys; from mlquiz.progress import ProgressStore; "
                        "s = ProgressStore.open(sys.argv[1]); s.set_setting('bench', 'welcomed', 'yes')",
                        str(db)], check=True, env=env)
        timed([python, str(minimal), str(markdown)], env)
        app_runs, base_runs = [], []
        for _ in range(args.runs):
            app_runs.append(timed(app_cmd, env))
            base_runs.append(timed([python, str(minimal), str(markdown)], env))
        app_times, base_times = [r[0] for r in app_runs], [r[0] for r in base_runs]
        app_median, base_median = statistics.median(app_times), statistics.median(base_times)
        app_exit = statistics.median(r[1] for r in app_runs)
        base_exit = statistics.median(r[1] for r in base_runs)
        print(f"mlquiz home ready:      median {app_median * 1000:7.1f} ms over {args.runs} runs "
              f"(min {min(app_times) * 1000:.1f}; exited {app_exit * 1000:.1f})")
        print(f"minimal Markdown app:   median {base_median * 1000:7.1f} ms over {args.runs} runs "
              f"(min {min(base_times) * 1000:.1f}; exited {base_exit * 1000:.1f})")
        print(f"until the process exited: {app_exit / base_exit:.2f}x")
        paired = statistics.median(a / b for a, b in zip(app_times, base_times))
        print(f"ready, run by run: median of the paired ratios {paired:.2f}x, "
              f"fastest against fastest {min(app_times) / min(base_times):.2f}x")
        print_imports(imports_before_ready(app_cmd, env),
                      imports_before_ready([python, str(minimal), str(markdown)], env))

        visit = tmp_path / "visit.py"
        visit.write_text(VISIT_ALL)
        app_mem = subprocess.run([python, str(visit), str(args.course), str(tmp_path / "mem.db"),
                                  str(tmp_path / "ws")], env=env, capture_output=True, text=True,
                                 timeout=300)
        memory = tmp_path / "memory.py"
        memory.write_text(MINIMAL_MEMORY)
        base_mem = subprocess.run([python, str(memory), str(markdown)], env=env,
                                  capture_output=True, text=True, timeout=300)
        if app_mem.returncode == 0 and base_mem.returncode == 0:
            a, b = int(app_mem.stdout.split()[-1]), int(base_mem.stdout.split()[-1])
            print(f"memory after all ten modes: {a / 1024:.1f} MiB peak RSS vs minimal app "
                  f"{b / 1024:.1f} MiB ({a / b:.2f}x)")
        else:
            print("memory: could not measure: " + (app_mem.stderr or base_mem.stderr)[-300:])
        print(f"startup: {app_median / base_median:.2f}x (goal <= 1.3)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
