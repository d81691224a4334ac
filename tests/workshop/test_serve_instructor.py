"""The instructor's tab of `mlquiz serve` (/instructor): its own code with the learners' lockout,
and the peer-instruction console reaching every learner tab of the room.

A real server process and real websocket clients (what the page's JavaScript does).
"""
from __future__ import annotations

import asyncio

from mlquiz.progress import ProgressStore

from test_serve_room import CODE, Tab, browser, open_tab, serve  # noqa: F401 - the fixture

INSTRUCTOR_CODE = "lantern-fig-heron"


async def open_instructor(session, url: str) -> Tab:
    async with session.get(f"{url}instructor") as page:
        assert page.status == 200
        assert "/instructor/ws" in await page.text()
    tab = Tab(await session.ws_connect(f"{url}instructor/ws?width=120&height=40"))
    await tab.until("Instructor's view of the room")
    return tab


async def join(session, url: str, name: str) -> Tab:
    tab = await open_tab(session, url)
    await tab.keys(f"{name}\r")
    await tab.keys(CODE + "\r")
    await tab.until(f"Hello {name}")
    mark = len(tab.data)
    await tab.keys("\r")
    await tab.until("Modules", mark)
    return tab


def test_the_learners_code_never_opens_the_instructors_tab_and_wrong_codes_lock_it(serve):
    url, _ = serve("--code", CODE, "--instructor-code", INSTRUCTOR_CODE)

    async def scenario():
        async with browser() as session:
            tab = await open_instructor(session, url)
            await tab.keys(CODE + "\r")          # the workshop code is not the instructor's
            await tab.until("That is not the instructor code. You can try again in")
            await tab.ws.close()
            again = await open_instructor(session, url)   # a reload finds the same lock
            await again.until("try again in")
            mark = len(again.data)
            await again.keys(INSTRUCTOR_CODE + "\r")       # typed during the lock: waits, then in
            await again.until("Room ·", mark)

    asyncio.run(scenario())


def test_a_vote_opened_in_the_instructors_tab_reaches_two_learner_tabs(serve, tmp_path):
    url, _ = serve("--code", CODE, "--instructor-code", INSTRUCTOR_CODE)

    async def scenario():
        async with browser() as lead, browser() as one, browser() as two:
            ada, bo = await join(one, url, "ada"), await join(two, url, "bo")
            room = await open_instructor(lead, url)
            await room.keys(INSTRUCTOR_CODE + "\r")
            await room.until("Room ·")
            mark = len(room.data)
            await room.keys("v")
            await room.until("Peer instruction", mark)
            marks = len(ada.data), len(bo.data)
            await room.keys("\r")                # opens the highlighted item: step-1's prediction
            await ada.until("Your instructor asks the room", marks[0])
            await bo.until("Your instructor asks the room", marks[1])
            mark = len(room.data)
            await ada.keys("a")
            await bo.keys("b")
            await room.until("Voted: 2 of 2 present", mark)

    asyncio.run(scenario())
    with ProgressStore.open(tmp_path / "room.db", read_only=True) as store:
        votes = sorted((e.learner, e.answer) for e in store.events(kind="poll_vote"))
    assert votes == [("ada", "A"), ("bo", "B")]
