"""`mlquiz serve`: the CPU a new browser tab costs the server, and the room's memory.

    .venv/bin/python bench/serve.py              # rooms of 1, 10 and 30 tabs
    .venv/bin/python bench/serve.py 1 5          # other room sizes (the largest is judged)

For each room size it starts `mlquiz serve` on a free port with a fresh
database, waits until the server is idle, then opens every tab at once as a
websocket client speaking textual-serve's protocol (what the page's JavaScript
does) and waits until each tab shows the profile screen. The CPU spent is read
from /proc for the server and every process below it, alive or already reaped
(utime + stime + cutime + cstime of each), before and after; divided by the
tabs it is the CPU one tab costs to reach its first screen. The baseline, in
the same run, is the CPU of a cold `python -c "import textual.app"` (median of
five). Memory is the PSS (shared pages split between their sharers) of every
process below the server with all tabs open, against as many times the PSS of
the one-tab room.

Set MLQUIZ_SERVE_FORK=0 to measure one fresh interpreter per tab instead.
Last line: `serve: RATIOx (goal <= 0.5)` for the largest room.
"""
from __future__ import annotations

import asyncio
import os
import re
import resource
import socket
import statistics
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
_ESCAPES = re.compile(rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"
                      rb"|\x1b[()][0-9A-Za-z]|\x1b[=>78]")
PROFILE_TEXT = "Type your name"
TICKS = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _stat(pid: int) -> list[str] | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def tree(pid: int) -> list[int]:
    """`pid` and every process below it."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (fields := _stat(int(entry.name))):
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, stack = [pid], [pid]
    while stack:
        for child in children.get(stack.pop(), []):
            found.append(child)
            stack.append(child)
    return found


def cpu_seconds(pid: int) -> float:
    """CPU of `pid` and all below it; a reaped child's time sits in its parent's cutime."""
    total = 0
    for member in tree(pid):
        fields = _stat(member)
        if fields:  # fields[11:15] = utime stime cutime cstime (stat fields 14-17)
            total += sum(int(value) for value in fields[11:15])
    return total / TICKS


def pss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def room_pss_mb(server_pid: int) -> float:
    return sum(pss_mb(pid) for pid in tree(server_pid)[1:])


def cold_import_cpu(runs: int = 5) -> float:
    """Median CPU seconds of a fresh `python -c "import textual.app"`."""
    samples = []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run([sys.executable, "-c", "import textual.app"], check=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        samples.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(samples)


async def open_tab(url: str, session: aiohttp.ClientSession, timeout: float = 180.0):
    """Connect like a browser tab; (seconds until the profile screen shows, websocket)."""
    started = time.perf_counter()
    ws = await session.ws_connect(f"{url}ws?width=120&height=40")
    seen = bytearray()
    deadline = started + timeout
    while time.perf_counter() < deadline:
        message = await ws.receive(timeout=deadline - time.perf_counter())
        if message.type == aiohttp.WSMsgType.BINARY:
            seen.extend(message.data)
            if PROFILE_TEXT in _ESCAPES.sub(b"", bytes(seen)).decode("utf-8", "replace"):
                return time.perf_counter() - started, ws
        elif message.type in (aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
            break
    raise RuntimeError(f"a tab never showed {PROFILE_TEXT!r}")


def wait_idle(pid: int, quiet: float = 0.05, window: float = 1.0, limit: float = 60.0) -> None:
    """Until the server's tree spends less than `quiet` CPU seconds in `window` seconds."""
    deadline = time.monotonic() + limit
    last = cpu_seconds(pid)
    while time.monotonic() < deadline:
        time.sleep(window)
        now = cpu_seconds(pid)
        if now - last < quiet:
            return
        last = now


async def room(url: str, server_pid: int, tabs: int):
    """Open `tabs` tabs at once: (CPU s per tab, slowest tab s, room PSS MB)."""
    async with aiohttp.ClientSession() as session:
        before = cpu_seconds(server_pid)
        results = await asyncio.gather(*(open_tab(url, session) for _ in range(tabs)))
        spent = cpu_seconds(server_pid) - before
        await asyncio.sleep(1.0)  # let the tabs settle after their first frame
        pss = room_pss_mb(server_pid)
        for _, ws in results:
            await ws.close()
        await asyncio.sleep(0.5)
    return spent / tabs, max(seconds for seconds, _ in results), pss


def start(command: list[str], env: dict[str, str], port: int, log: Path) -> subprocess.Popen:
    process = subprocess.Popen(command, stdout=log.open("w"), stderr=subprocess.STDOUT, env=env,
                               cwd=ROOT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"the server did not start: {log.read_text()[-500:]}")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(15)
    except subprocess.TimeoutExpired:
        process.kill()


def _rooms(sizes: list[int], folder: Path, env: dict, baseline: float) -> dict:
    """(CPU s per tab, slowest tab s, room PSS MB) for each room size, printed as it goes."""
    results = {}
    for tabs in sizes:
        port = free_port()
        command = [sys.executable, "-m", "mlquiz", "serve", "--port", str(port),
                   "--db", str(folder / f"room-{tabs}.db"), "--workspace", str(folder / "ws"),
                   "--course", str(folder / "course")]
        server = start(command, env, port, folder / f"serve-{tabs}.log")
        try:
            wait_idle(server.pid)
            per_tab, slowest, pss = asyncio.run(room(f"http://127.0.0.1:{port}/", server.pid, tabs))
        finally:
            stop(server)
        results[tabs] = (per_tab, slowest, pss)
        print(f"{tabs:>5} {per_tab:>10.3f} {per_tab / baseline:>8.2f}x {slowest:>14.2f} "
              f"{pss:>12.1f} {pss / tabs:>11.1f}", flush=True)
    return results


def main(argv: list[str]) -> int:
    sizes = sorted({int(a) for a in argv} | {1}) if argv else [1, 10, 30]
    folder = Path(tempfile.mkdtemp(prefix="mlquiz-bench-serve-"))
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("MLQUIZ_") or k == "MLQUIZ_SERVE_FORK"}
    env.update(XDG_DATA_HOME=str(folder / "data"), MLQUIZ_CACHE_DIR=str(folder / "cache"))
    # The committed course, so that content half-written in the tree cannot stop the bench.
    subprocess.run(f"git -C {ROOT} archive HEAD course exercises | tar -x -C {folder}", shell=True,
                   check=True)
    launcher = "one interpreter per tab" if env.get("MLQUIZ_SERVE_FORK") == "0" else "default"
    baseline = cold_import_cpu()
    print(f"cold `python -c 'import textual.app'`: {baseline:.3f} CPU s (median of 5); "
          f"launcher: {launcher}")
    print(f"{'tabs':>5} {'CPU s/tab':>10} {'x import':>9} {'slowest tab s':>14} "
          f"{'room PSS MB':>12} {'PSS/tab MB':>11}")
    try:
        results = _rooms(sizes, folder, env, baseline)
    finally:
        shutil.rmtree(folder, ignore_errors=True)  # a room's database, workspaces and course copy
    largest = max(sizes)
    per_tab, slowest, pss = results[largest]
    memory = pss / (largest * results[1][2])
    print(f"memory: {memory:.2f}x of {largest} one-tab rooms (goal <= 0.5); "
          f"slowest of {largest} tabs at once: {slowest:.1f} s")
    print(f"serve: {per_tab / baseline:.2f}x (goal <= 0.5)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
