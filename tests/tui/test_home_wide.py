"""Home on a wide terminal: a side panel with the review outlook, concept mastery,
streak and last test; on 80 columns it stays hidden."""
from __future__ import annotations

from .helpers import text_of
from .test_review_screen import three_due_now


async def _settled(app, pilot) -> None:
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_the_wide_home_shows_due_counts_concepts_and_streak(new_app, db_path):
    three_due_now(db_path)
    app = new_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await _settled(app, pilot)
        panel = text_of(app, "#outlook")
        assert app.screen.query_one("#home-side").display
        lines = [line.split() for line in panel.splitlines()]
        assert ["due", "now", "3"] in lines
        assert ["tomorrow", "1"] in lines
        assert ["this", "week", "5"] in lines
        assert "Mastery in Tiny debt" in panel
        assert "Study streak   3 days" in panel  # answers two days ago, yesterday and today
        assert "Last test      none yet" in panel


async def test_the_panel_follows_an_answer_and_stays_hidden_on_80_columns(new_app, db_path):
    app = new_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await _settled(app, pilot)
        assert not app.screen.query_one("#home-side").display
        assert text_of(app, "#outlook") == ""  # not even loaded
        app.ctx.recorder.answer("q-1", "A", mode="practice")
        await pilot.resize_terminal(130, 40)
        await _settled(app, pilot)
        assert app.screen.query_one("#home-side").display
        panel = text_of(app, "#outlook")
        assert "Study streak   1 day" in panel  # today's answer counts
