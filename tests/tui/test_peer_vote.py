"""A vote the instructor opens appears over the learner's screen, follows the room, and leaves
the learner's own screen as it was."""
from __future__ import annotations

from .conftest import NOW
from .helpers import screen_name, screen_text


def instructor(app):
    from mlquiz.workshop.peer_room import RoomPolls

    # the app's own store: one store per database file per process (see docs/internals.md)
    return RoomPolls(app.ctx.store, app.ctx.course, clock=lambda: NOW)


async def settle(app, pilot):
    app.room_watch.tick()
    await pilot.pause()


async def test_a_whole_vote_over_the_practice_screen(new_app, events):
    app = new_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        app.open_screen("tiny-debt", "practice")
        await pilot.pause()
        underneath = app.screen
        kim = instructor(app)
        kim.open("tiny-debt", "q-1", by="kim")
        await settle(app, pilot)
        assert screen_name(app) == "PeerVoteScreen"
        assert "Your instructor asks the room" in screen_text(app)
        await pilot.press("b")
        await pilot.press("3")              # how sure: the vote is cast again, with it
        await pilot.pause()
        assert "Your vote: B, sure" in screen_text(app)
        kim.vote("bo", "A")
        kim.close(by="kim")
        await settle(app, pilot)
        assert "The vote is closed" in screen_text(app)
        await pilot.press("a")              # too late: refused with the reason
        await pilot.pause()
        assert "the vote has closed; your answer was not counted" in screen_text(app)
        kim.pair(by="kim")
        await settle(app, pilot)
        assert "Talk to bo: you chose differently." in screen_text(app)
        kim.revote(by="kim")
        await settle(app, pilot)
        assert "Revote" in screen_text(app)
        await pilot.press("a")
        kim.close(by="kim")
        kim.show_histogram(by="kim")
        kim.reveal(by="kim")
        await settle(app, pilot)
        text = screen_text(app)
        assert "The answer: A." in text and "(First vote: B.)" in text
        assert "How the room voted (revote):" in text
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is underneath     # the learner's own screen, as it was
    votes = [(e.answer, e.detail["round"], e.detail["confidence"])
             for e in events() if e.kind == "poll_vote" and e.learner == "ada"]
    assert votes == [("B", 1, None), ("B", 1, 3), ("A", 2, 3)]


async def test_a_learner_who_joins_mid_vote_sees_it_at_once(new_app, db_path):
    app = new_app()
    async with app.run_test() as pilot:
        await pilot.pause()
        kim = instructor(app)
        kim.open("tiny-debt", "step-1", by="kim")   # a step's prediction
        kim.vote("ada", "A", confidence=2)
    later = new_app()                                 # ada reloads the tab
    async with later.run_test() as pilot:
        await pilot.pause()
        await pilot.pause()
        assert screen_name(later) == "PeerVoteScreen"
        assert "Your vote: A, fairly sure" in screen_text(later)
        await pilot.press("escape")                  # hidden until the room moves on
        await pilot.pause()
        assert screen_name(later) != "PeerVoteScreen"
        instructor(later).close(by="kim")
        await settle(later, pilot)
        assert screen_name(later) == "PeerVoteScreen"


async def test_a_vote_on_a_module_this_course_lacks_is_left_alone(new_app):
    app = new_app()
    async with app.run_test() as pilot:
        await pilot.pause()
        app.ctx.store.record("@room", "poll_opened", module="another-course-module", item="q-9",
                             answer="A", detail={"poll": "poll-1", "options": 4})
        await settle(app, pilot)
        assert screen_name(app) != "PeerVoteScreen"
        await pilot.press("question_mark")   # the app still answers keys
        await pilot.pause()
        assert screen_name(app) == "HelpScreen"


async def test_in_a_group_of_three_the_learner_is_sent_to_the_one_who_disagreed(new_app):
    app = new_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        kim = instructor(app)
        kim.open("tiny-debt", "q-1", by="kim")
        await settle(app, pilot)
        await pilot.press("a")
        await pilot.pause()
        kim.vote("bo", "A")                 # bo chose as ada did, cy did not
        kim.vote("cy", "B")
        kim.close(by="kim")
        kim.pair(by="kim")
        await settle(app, pilot)
        assert app.room_watch._polls.room.current.groups == [("ada", "bo", "cy")]
        status = app.screen.query_one("#peer-status")
        text = str(status.visual)
        assert text.startswith("Talk to cy, who chose differently from you; bo chose as you did")
        assert "Talk to bo and cy: you chose differently" not in text
        assert "left." in text, "the discussion timer is still shown"
        # the whole note is on screen at 80x24: wrapped inside the box, above its border
        assert status.region.height >= 2
        assert status.region.bottom < app.screen.query_one("#peer-box").region.bottom


class Clock:
    def __init__(self, at):
        self.at = at

    def __call__(self):
        return self.at


async def test_a_timed_vote_counts_down_and_closes_at_zero(tmp_path, db_path):
    from datetime import timedelta

    from mlquiz.progress import ProgressStore
    from mlquiz.tui.app import make_app
    from mlquiz.workshop.peer_room import RoomPolls

    from .conftest import FIXTURE_COURSE

    with ProgressStore.open(db_path) as store:
        store.set_setting("ada", "welcomed", "yes")
    clock = Clock(NOW)
    app = make_app(FIXTURE_COURSE, db_path, "ada", tmp_path / "ws", clock=clock, seed=7)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        kim = RoomPolls(app.ctx.store, app.ctx.course, clock=clock)
        kim.open("tiny-debt", "q-1", by="kim", timer=90)
        await settle(app, pilot)
        assert "1:30 left to vote" in screen_text(app)
        await pilot.press("b")
        clock.at = NOW + timedelta(seconds=45)
        app.screen._tick_timer()            # the screen's own one-second tick
        await pilot.pause()
        assert "0:45 left to vote" in screen_text(app)
        clock.at = NOW + timedelta(seconds=90)
        await settle(app, pilot)            # the learner's app looks first: it closes the vote
        text = screen_text(app)
        assert "The vote is closed" in text and "Time is up" in text
        assert "You voted B." in text
    with ProgressStore.open(db_path) as store:
        assert [(e.kind, e.detail.get("by")) for e in store.events("@room")] == [
            ("poll_opened", "kim"), ("poll_closed", "timer")]
