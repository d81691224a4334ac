"""Two `mlquiz serve` hosts on one PostgreSQL room: each serves its own learners, and the
instructor's tab on either sees both hosts' learners and runs a vote that reaches them all.

Real server processes on free ports (as two machines behind a proxy would run them),
real websocket clients speaking textual-serve's protocol, a real PostgreSQL server.
"""
from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.progress import pg_server
from tests.workshop.test_serve_room import CODE, Tab, browser, open_tab

FIXTURE_COURSE = Path(__file__).parents[1] / "tui" / "fixtures" / "course"
INSTRUCTOR_CODE = "lantern-fig-heron"


@pytest.fixture
def host(tmp_path, pg_url):
    """Start one serve host on the room `pg_url`; yields a function -> its URL."""
    started = []

    def start(name: str) -> str:
        port = pg_server.free_port()
        folder = tmp_path / name  # each host its own data, cache and workspaces
        env = {k: v for k, v in os.environ.items() if not k.startswith("MLQUIZ_")}
        env.update(XDG_DATA_HOME=str(folder / "data"), MLQUIZ_CACHE_DIR=str(folder / "cache"))
        log = folder / "serve.log"
        folder.mkdir()
        process = subprocess.Popen(
            [sys.executable, "-m", "mlquiz", "serve", "--port", str(port), "--db", pg_url,
             "--course", str(FIXTURE_COURSE), "--workspace", str(folder / "ws"),
             "--code", CODE, "--instructor-code", INSTRUCTOR_CODE],
            stdout=log.open("w"), stderr=subprocess.STDOUT, env=env, start_new_session=True)
        started.append(process)
        deadline = time.monotonic() + 60
        while "Open in a browser" not in log.read_text():
            assert process.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.1)
        assert pg_server.PASSWORD not in log.read_text()
        return f"http://127.0.0.1:{port}/"

    yield start
    for process in started:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()


async def join(session, url: str, name: str):
    tab = await open_tab(session, url)
    await tab.keys(f"{name}\r")
    await tab.keys(CODE + "\r")
    await tab.until(f"Hello {name}")
    mark = len(tab.data)
    await tab.keys("\r")
    await tab.until("Modules", mark)
    return tab


def test_the_instructor_on_either_host_sees_and_polls_both_hosts_learners(host, pg_url):
    first, second = host("first"), host("second")

    async def scenario():
        async with browser() as lead, browser() as one, browser() as two:
            ada, bo = await join(one, first, "ada"), await join(two, second, "bo")
            async with lead.get(f"{second}instructor") as page:
                assert page.status == 200
            room = Tab(await lead.ws_connect(f"{second}instructor/ws?width=120&height=40"))
            await room.until("Instructor's view of the room")
            await room.keys(INSTRUCTOR_CODE + "\r")
            await room.until("Room ·")
            await room.until("bo")
            assert "ada" in room.text(), "the other host's learner is in the room too"
            mark = len(room.data)
            await room.keys("v")
            await room.until("Peer instruction", mark)
            marks = len(ada.data), len(bo.data)
            await room.keys("\r")  # opens the highlighted item for the whole room
            await ada.until("Your instructor asks the room", marks[0])  # on the other host
            await bo.until("Your instructor asks the room", marks[1])
            mark = len(room.data)
            await ada.keys("a")
            await bo.keys("b")
            await room.until("Voted: 2 of 2 present", mark)

    asyncio.run(scenario())
    from mlquiz.progress import ProgressStore

    with ProgressStore.open(pg_url, read_only=True) as store:
        votes = sorted((e.learner, e.answer) for e in store.events(kind="poll_vote"))
    assert votes == [("ada", "A"), ("bo", "B")]
    assert not list(Path.cwd().glob("postgres*")), "no tab took the URL for a file name"


def test_a_browser_locked_out_on_one_host_is_locked_on_the_other(host):
    first, second = host("first"), host("second")

    async def scenario():
        async with browser() as session:  # one browser: one cookie, whichever host answers
            tab = await open_tab(session, first)
            await tab.keys("ada\r")
            for wait in (1, 2, 4):  # each wrong code doubles the wait: 4 s crosses hosts
                mark = len(tab.data)
                await tab.keys("wrong-words-here\r")
                await tab.until("try again in", mark)
                if wait < 4:
                    await asyncio.sleep(wait + 0.2)
            await tab.ws.close()
            elsewhere = await open_tab(session, second)  # the proxy sent the reload elsewhere
            await elsewhere.until("try again in")
            mark = len(elsewhere.data)
            await elsewhere.keys("ada\r")
            await elsewhere.keys(CODE + "\r")  # typed during the lock: waits, then gets in
            await elsewhere.until("Hello ada", mark)

    asyncio.run(scenario())
