"""The instructor's peer-instruction console: open a vote, keep the answers hidden, follow the
35/70 rule on one key, pair, revote, reveal, and see what the discussion did."""
from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Static

from mlquiz.progress import ProgressStore
from mlquiz.tui.screens.instructor import make_instructor_app
from mlquiz.workshop import presence
from mlquiz.workshop.peer_room import RoomPolls

FIXTURE_COURSE = Path(__file__).parents[1] / "tui" / "fixtures" / "course"


def shown(app) -> str:
    return "\n".join(str(app.screen.query_one(sel, Static).visual)
                     for sel in ("#peer-phase", "#peer-body", "#peer-note"))


async def test_a_cycle_on_one_key_with_the_answers_hidden_until_shown(tmp_path):
    db = tmp_path / "room.db"
    with ProgressStore.open(db) as store:
        for name in ("ada", "bo", "cy", "di"):  # four apps connected to the room
            presence.beat(store, store.start_session(name, client="web"), name)
    app = make_instructor_app(db, FIXTURE_COURSE, refresh_every=60)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("v")
        await pilot.pause()
        assert type(app.screen).__name__ == "PeerConsoleScreen"
        room = RoomPolls(app.room_store, app.screen.polls._course)
        picker_first = app.screen._rows[0]
        assert picker_first[:2] == ("tiny-debt", "step-1")   # predictions first, then questions
        app.screen.query_one("#peer-pick").highlighted = [r[1] for r in app.screen._rows].index("q-1")
        await pilot.press("enter")
        await pilot.pause()
        for name, option in (("ada", "A"), ("bo", "B"), ("cy", "B")):
            room.vote(name, option)
        app.screen.redraw()
        await pilot.pause()
        text = shown(app)
        assert "Voting · tiny-debt · q-1" in text and "Voted: 3 of 4 present" in text
        assert "%" not in text, "the distribution stays hidden while the vote is open"
        await pilot.press("right")                       # close
        await pilot.pause()
        text = shown(app)
        assert "First vote: 33% right (3 votes)" in text
        assert "Suggestion (35%/70% rule): reteach" in text
        await pilot.press("space")                       # show the room's answers
        await pilot.pause()
        assert "B ████████████████████████ 2 (67%)" in shown(app)
        await pilot.press("d")                       # pair anyway: the rule only suggests
        await pilot.pause()
        assert "Groups: " in shown(app) and "di" in shown(app)   # di did not vote, still paired
        await pilot.press("right")                       # revote
        await pilot.pause()
        for name in ("ada", "bo", "cy"):
            room.vote(name, "A")
        await pilot.press("right", "right")                  # close, then reveal
        await pilot.pause()
        text = shown(app)
        assert "Answer shown" in text and "Normalised gain: 1.00" in text
        table = app.screen.query_one("#peer-results", DataTable)
        assert [str(c) for c in table.get_row_at(0)] == ["q-1", "3", "33%", "100%", "1.00", "2", "0", "–→–"]
        await pilot.press("right", "right")                  # no plan: opens the highlighted one again
        await pilot.pause()
        await pilot.press("enter")                   # a second open is refused with the reason
        await pilot.pause()
        assert "a vote is already open" in shown(app)


async def test_the_instructor_sets_a_vote_timer_and_sees_it_count_down(tmp_path):
    db = tmp_path / "room.db"
    ProgressStore.open(db).close()
    app = make_instructor_app(db, FIXTURE_COURSE, refresh_every=60)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("v")
        await pilot.pause()
        assert "no vote timer" in str(app.screen.query_one("#peer-top", Static).visual)
        from textual.widgets._footer import FooterKey

        shown = {key.key_display: key.region for key in app.screen.query(FooterKey)}
        for key in ("→", "c", "space", "d", "r", "s", "t"):   # the cycle's keys fit 80 columns
            assert key in shown and 0 < shown[key].right <= 80, key
        await pilot.press("t", "t", "t")                 # off → 0:30 → 1:00 → 1:30
        await pilot.pause()
        assert "vote timer 1:30" in str(app.screen.query_one("#peer-top", Static).visual)
        app.screen.query_one("#peer-pick").highlighted = [r[1] for r in app.screen._rows].index("q-1")
        await pilot.press("enter")
        await pilot.pause()
        phase = str(app.screen.query_one("#peer-phase", Static).visual)
        assert phase.startswith("Voting · tiny-debt · q-1 · ") and phase.endswith(" left")
        assert "1:30 left" in phase or "1:29 left" in phase
        poll = app.screen.polls.room.current
        assert poll.settings["timer"] == 90 and poll.vote_ends_at is not None
