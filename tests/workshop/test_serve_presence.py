"""Presence under `mlquiz serve`: a tab that is open counts, a tab that is closed leaves at once.

A real server process and real websocket clients (what the page's JavaScript does).
"""
from __future__ import annotations

import asyncio

from mlquiz.progress import ProgressStore
from mlquiz.workshop import presence

from test_serve_instructor import join
from test_serve_room import CODE, browser, serve  # noqa: F401 - the fixture


async def until_connected(db, wanted: set[str], timeout: float = 40.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        with ProgressStore.open(db, read_only=True) as store:
            now = set(presence.connected(store))
        if now == wanted:
            return
        assert asyncio.get_running_loop().time() < deadline, f"connected {now}, not {wanted}"
        await asyncio.sleep(0.2)


def test_an_open_tab_is_present_and_a_closed_tab_leaves(serve, tmp_path):
    url, _ = serve("--code", CODE)
    db = tmp_path / "room.db"

    async def scenario():
        async with browser() as one, browser() as two:
            ada = await join(one, url, "ada")
            bo = await join(two, url, "bo")
            await until_connected(db, {"ada", "bo"})
            await bo.ws.close()   # bo closes his tab: his app quits (well within GONE_AFTER)
            await until_connected(db, {"ada"}, timeout=30)
            await ada.ws.close()
            await until_connected(db, set(), timeout=30)

    asyncio.run(scenario())
