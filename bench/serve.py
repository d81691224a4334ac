"""`mlquiz serve`: memory per browser tab and the time until a new tab shows the profile screen.

    .venv/bin/python bench/serve.py              # 1, 10 and 30 tabs
    .venv/bin/python bench/serve.py 1 5          # other room sizes

Starts `mlquiz serve` on a free port with a fresh database, then opens N tabs
at once as plain websocket clients speaking textual-serve's protocol (what
the page's JavaScript does), and times each until the text of the profile
screen arrives. Memory is the proportional set size (PSS: shared pages split
between the processes sharing them) of every app process the server started,
divided by the number of tabs. The baseline is a bare Textual app with one
input field, served the same way: what any served Textual app costs.
Each mlquiz tab then joins (name, Start) and memory is read again on the home
screen. Last line: `serve: MB per tab at home, MB at the profile screen, ...`.
"""
from __future__ import annotations

import asyncio
import os
import re
import shlex
import socket
import statistics
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

BASELINE_APP = '''
from textual.app import App
from textual.widgets import Input, Label

class Bare(App):
    def compose(self):
        yield Label("Type your name")
        yield Input()

Bare().run()
'''

BASELINE_SERVER = '''
import sys
from textual_serve.server import Server
Server(sys.argv[1], host="127.0.0.1", port=int(sys.argv[2])).serve()
'''


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, stack = [], [pid]
    while stack:
        for child in children.get(stack.pop(), []):
            found.append(child)
            stack.append(child)
    return found


def pss_mb(pid: int) -> float:
    """Proportional set size in MB (RSS if smaps_rollup is not readable)."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


async def open_tab(url: str, session: aiohttp.ClientSession, timeout: float = 120.0):
    """Connect like a browser tab; returns (seconds until the profile screen, websocket)."""
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


async def join(ws, name: str, timeout: float = 120.0) -> None:
    """Type a name on the profile screen, start, and wait for the home screen."""
    seen = bytearray()
    deadline = time.perf_counter() + timeout
    for keys, wanted in ((f"{name}\r", f"Hello {name}"), ("\r", "Modules")):
        await ws.send_json(["stdin", keys])
        seen.clear()
        while True:
            message = await ws.receive(timeout=deadline - time.perf_counter())
            if message.type == aiohttp.WSMsgType.BINARY:
                seen.extend(message.data)
                if wanted in _ESCAPES.sub(b"", bytes(seen)).decode("utf-8", "replace"):
                    break
            elif message.type in (aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
                raise RuntimeError(f"the tab closed before showing {wanted!r}")


def memory_of(server_pid: int) -> tuple[float, int]:
    apps = descendants(server_pid)
    return sum(pss_mb(pid) for pid in apps), len(apps)


async def room(url: str, server_pid: int, tabs: int, learners: bool):
    """Open `tabs` tabs at once: (ready times, MB at the profile screen, MB at home, processes)."""
    async with aiohttp.ClientSession() as session:
        results = await asyncio.gather(*(open_tab(url, session) for _ in range(tabs)))
        await asyncio.sleep(1.0)  # let every app settle after its first screen
        at_profile, processes = memory_of(server_pid)
        at_home = None
        if learners:
            await asyncio.gather(*(join(ws, f"learner{i}") for i, (_, ws) in enumerate(results)))
            await asyncio.sleep(1.0)
            at_home, _ = memory_of(server_pid)
        for _, ws in results:
            await ws.close()
        await asyncio.sleep(0.5)
    return [seconds for seconds, _ in results], at_profile, at_home, processes


def start(command: list[str], env: dict[str, str], port: int, log: Path) -> subprocess.Popen:
    process = subprocess.Popen(command, stdout=log.open("w"), stderr=subprocess.STDOUT, env=env,
                               cwd=ROOT)
    deadline = time.monotonic() + 30
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


def main(argv: list[str]) -> int:
    sizes = [int(a) for a in argv] or [1, 10, 30]
    folder = Path(tempfile.mkdtemp(prefix="mlquiz-bench-serve-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("MLQUIZ_")}
    env.update(XDG_DATA_HOME=str(folder / "data"), MLQUIZ_CACHE_DIR=str(folder / "cache"))

    print(f"{'server':>8} {'tabs':>5} {'ready median s':>15} {'ready max s':>12} "
          f"{'MB/tab profile':>15} {'MB/tab home':>12} {'processes':>10}")
    results = {}
    for label in ("baseline", "mlquiz"):
        for tabs in sizes if label == "mlquiz" else [min(10, max(sizes))]:
            port = free_port()
            if label == "mlquiz":
                command = [sys.executable, "-m", "mlquiz", "serve", "--port", str(port),
                           "--db", str(folder / f"room-{tabs}.db"),
                           "--workspace", str(folder / "ws")]
            else:
                app = folder / "bare_app.py"
                app.write_text(BASELINE_APP)
                command = [sys.executable, "-c", BASELINE_SERVER,
                           shlex.join([sys.executable, str(app)]), str(port)]
            server = start(command, env, port, folder / f"{label}-{tabs}.log")
            try:
                ready, at_profile, at_home, processes = asyncio.run(room(
                    f"http://127.0.0.1:{port}/", server.pid, tabs, learners=label == "mlquiz"))
            finally:
                stop(server)
            results[(label, tabs)] = (ready, at_profile / tabs, (at_home or 0) / tabs)
            home = f"{at_home / tabs:>12.1f}" if at_home else f"{'-':>12}"
            print(f"{label:>8} {tabs:>5} {statistics.median(ready):>15.2f} {max(ready):>12.2f} "
                  f"{at_profile / tabs:>15.1f} {home} {processes:>10}", flush=True)
    largest, smallest = max(sizes), min(sizes)
    ready_alone = statistics.median(results[("mlquiz", smallest)][0])
    ready_crowd = statistics.median(results[("mlquiz", largest)][0])
    _, profile_mb, home_mb = results[("mlquiz", largest)]
    base = results[("baseline", min(10, largest))][1]
    print(f"serve: {home_mb:.0f} MB per tab at home, {profile_mb:.0f} MB at the profile screen "
          f"(bare Textual app {base:.0f} MB) with {largest} tabs; a new tab shows the profile "
          f"screen in {ready_alone:.1f} s alone, {ready_crowd:.1f} s when {largest} arrive at once")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
