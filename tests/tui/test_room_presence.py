"""A learner's app tells the room it is connected while it runs, and leaves when it exits."""
from __future__ import annotations

from mlquiz.progress import ProgressStore
from mlquiz.workshop import presence

from .conftest import NOW


async def test_the_app_is_present_while_it_runs_and_gone_once_it_exits(new_app, db_path):
    app = new_app()
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(100):                # the first beat runs in a worker after the first frame
            await pilot.pause(0.02)
            if presence.connected(app.ctx.store, now=NOW):
                break
        assert list(presence.connected(app.ctx.store, now=NOW)) == ["ada"]
        await app.workers.wait_for_complete()
    with ProgressStore.open(db_path) as store:   # the app exited: its session ended with it
        assert presence.connected(store, now=NOW) == {}
