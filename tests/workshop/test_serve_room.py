"""`mlquiz serve` as a room: forked tabs, and a code lockout that a page reload cannot reset.

A real server process, real websocket clients speaking textual-serve's protocol
(what the page's JavaScript does), the screen read from the frames.
"""
from __future__ import annotations

import asyncio
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import aiohttp
import pytest

FIXTURE_COURSE = Path(__file__).parents[1] / "tui" / "fixtures" / "course"
CODE = "cedar-otter-plum"
_ESCAPES = re.compile(rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"
                      rb"|\x1b[()][0-9A-Za-z]|\x1b[=>78]")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def serve(tmp_path):
    """Start `mlquiz serve` with extra arguments / environment; yields a function -> (url, pid)."""
    started = []

    def start(*extra: str, env_extra: dict[str, str] | None = None):
        port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("MLQUIZ_")}
        env.update(XDG_DATA_HOME=str(tmp_path / "data"), MLQUIZ_CACHE_DIR=str(tmp_path / "cache"),
                   **(env_extra or {}))
        log_path = tmp_path / f"serve-{port}.log"
        process = subprocess.Popen(
            [sys.executable, "-m", "mlquiz", "serve", "--port", str(port),
             "--db", str(tmp_path / "room.db"), "--course", str(FIXTURE_COURSE),
             "--workspace", str(tmp_path / "ws"), *extra],
            stdout=log_path.open("w"), stderr=subprocess.STDOUT, env=env,
            start_new_session=True)
        started.append(process)
        deadline = time.monotonic() + 40
        while "Open in a browser" not in log_path.read_text():
            assert process.poll() is None and time.monotonic() < deadline, log_path.read_text()
            time.sleep(0.1)
        return f"http://127.0.0.1:{port}/", process.pid

    yield start
    for process in started:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()


class Tab:
    """One browser tab: a websocket and everything drawn on it as plain text."""

    def __init__(self, ws) -> None:
        self.ws, self.data = ws, bytearray()

    def text(self, mark: int = 0) -> str:
        return _ESCAPES.sub(b"", bytes(self.data[mark:])).decode("utf-8", "replace")

    async def until(self, wanted: str, mark: int = 0, timeout: float = 40.0) -> str:
        deadline = asyncio.get_running_loop().time() + timeout
        while wanted not in self.text(mark):
            left = deadline - asyncio.get_running_loop().time()
            if left <= 0:
                raise AssertionError(f"never showed {wanted!r}; showed {self.text(mark)[-1500:]!r}")
            try:
                message = await self.ws.receive(timeout=left)
            except asyncio.TimeoutError:
                continue
            if message.type == aiohttp.WSMsgType.BINARY:
                self.data.extend(message.data)
            elif message.type in (aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
                raise AssertionError(f"the tab closed before showing {wanted!r}")
        return self.text(mark)

    async def keys(self, text: str) -> None:
        await self.ws.send_json(["stdin", text])
        await asyncio.sleep(0.3)  # pacing like a typist: Enter moves the focus between fields


async def open_tab(session: aiohttp.ClientSession, url: str) -> Tab:
    """Load the page (which sets the browser's cookie), then connect its websocket."""
    async with session.get(url) as page:
        assert page.status == 200
    tab = Tab(await session.ws_connect(f"{url}ws?width=100&height=30"))
    await tab.until("Type your name")
    return tab


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(stat[1]) == pid:
                found.append(int(entry.name))
    return found


def browser() -> aiohttp.ClientSession:
    """A browser's cookie jar: it keeps cookies of a numeric host, as Chromium does."""
    return aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))


def test_a_page_reload_opens_on_the_same_lock_and_another_browser_is_not_locked(serve):
    url, _ = serve("--code", CODE)

    async def scenario():
        async with browser() as first, browser() as second:
            tab = await open_tab(first, url)
            await tab.keys("ada\r")
            await tab.keys("wrong-words-here\r")
            await tab.until("try again in")
            await tab.ws.close()
            other = await open_tab(second, url)  # another learner on the same address
            assert "try again" not in other.text()
            reloaded = await open_tab(first, url)  # the same browser, a new tab process
            text = await reloaded.until("try again in")
            assert "does not open this room" in text
            # The right code typed during the lock waits for it, then gets in.
            mark = len(reloaded.data)
            await reloaded.keys("ada\r")
            await reloaded.keys(CODE + "\r")
            await reloaded.until("Hello ada", mark)

    asyncio.run(scenario())


def test_tabs_are_forked_from_one_launcher_that_holds_no_workshop_code(serve):
    url, server_pid = serve("--code", CODE)

    async def scenario():
        async with browser() as one, browser() as two:
            tabs = [await open_tab(one, url), await open_tab(two, url)]
            (launcher,) = children(server_pid)  # one process under the server, however many tabs
            forked = children(launcher)
            assert len(forked) == 2
            for pid in (launcher, *forked):
                seen = Path(f"/proc/{pid}/environ").read_bytes() + Path(
                    f"/proc/{pid}/cmdline").read_bytes()
                assert CODE.encode() not in seen and b"MLQUIZ_WORKSHOP_CODE" not in seen
            for tab in tabs:
                await tab.ws.close()

    asyncio.run(scenario())


def test_without_the_launcher_each_tab_is_its_own_interpreter_and_still_gated(serve):
    url, server_pid = serve("--code", CODE, env_extra={"MLQUIZ_SERVE_FORK": "0"})

    async def scenario():
        async with browser() as session:
            tab = await open_tab(session, url)
            assert len(children(server_pid)) == 1
            await tab.keys("ada\r")
            await tab.keys("wrong-words-here\r")
            await tab.until("does not open this room")
            await tab.ws.close()
            reloaded = await open_tab(session, url)
            await reloaded.until("try again in")

    asyncio.run(scenario())


def test_each_page_points_its_websocket_at_the_address_it_was_asked_by(serve):
    url, _ = serve("--host", "127.0.0.1")

    async def scenario():
        async with aiohttp.ClientSession() as session:
            pages = {}
            for host in ("localhost:4242", "room.example:8443"):
                async with session.get(url, headers={"Host": host}) as page:
                    pages[host] = await page.text()
                    assert "mlquiz_client" in page.cookies  # the browser's id for the gate
            assert "ws://localhost:4242/ws" in pages["localhost:4242"]
            assert "ws://room.example:8443/ws" in pages["room.example:8443"]
            assert "localhost:4242" not in pages["room.example:8443"]

    asyncio.run(scenario())


def test_ctrl_c_closes_every_open_tab_and_leaves_no_tab_process(serve):
    import signal

    url, server_pid = serve()

    async def scenario():
        async with browser() as one, browser() as two:
            tabs = [await open_tab(one, url), await open_tab(two, url)]
            below = [pid for child in children(server_pid) for pid in [child, *children(child)]]
            os.kill(server_pid, signal.SIGINT)
            for tab in tabs:
                message = await tab.ws.receive(timeout=60)
                while message.type == aiohttp.WSMsgType.BINARY:  # frames still on the way
                    message = await tab.ws.receive(timeout=60)
                assert message.type == aiohttp.WSMsgType.CLOSE
                assert (message.data, message.extra) == (1001, "the room is closing")
            return below

    below = asyncio.run(scenario())
    assert len(below) == 3  # the launcher and two tabs
    for pid in below:
        for _ in range(200):
            stat = Path(f"/proc/{pid}/stat")
            if not stat.exists() or stat.read_text().rsplit(")", 1)[1].split()[0] == "Z":
                break
            time.sleep(0.1)
        else:
            raise AssertionError(f"process {pid} is still running after the room closed")
