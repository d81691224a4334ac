"""The app on the real shipped course, across its modules: home's path, the lesson's
links to the next modules (tab and enter), the command palette and one review queue for all modules."""
from __future__ import annotations

from datetime import timedelta

import pytest

from mlquiz.content import load_course
from mlquiz.paths import builtin_course_dir

from .conftest import LEARNER, NOW
from .helpers import plain, screen_name, text_of


@pytest.fixture(scope="module")
def course():
    return load_course(builtin_course_dir(), use_cache=False)


@pytest.fixture
def shipped_app(new_app):
    return lambda: new_app(course=builtin_course_dir())


async def test_home_lists_every_module_in_course_order_with_its_prerequisites(shipped_app, course):
    from mlquiz.tui.screens.home import ModuleRow

    app = shipped_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        rows = [plain(row.query_one(".module-title")) for row in app.screen.query(ModuleRow)]
    assert len(rows) == len(course.modules)
    for number, (row, module) in enumerate(zip(rows, course.modules), 1):
        first_line, *rest = row.split("\n")
        assert first_line == f"{number}. {module.title}"
        before = course.prerequisites_of(module.id)
        assert bool(rest) == bool(before), module.id
        if len(before) == 1:
            assert rest[0].strip() == f"after {course.position(before[0].id)}. {before[0].title}"


async def test_the_first_lesson_links_its_next_modules_and_the_keyboard_opens_one(shipped_app, course):
    from mlquiz.tui.widgets.module_links import ModuleLink

    first = course.modules[0]
    following = course.next_of(first.id)
    assert [m.id for m in following] == ["ml-monitoring", "ml-testing"]
    app = shipped_app()
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_screen(first.id, "deep_dive")
        await pilot.pause()
        links = list(app.screen.query(ModuleLink))
        assert [str(link.text) for link in links] == [
            f"{course.position(m.id)}. {m.title}" for m in following]
        for _ in range(12):
            if app.focused is links[1]:
                break
            await pilot.press("tab")
            await pilot.pause()
        assert app.focused is links[1]
        await pilot.press("enter")
        await pilot.pause()
        assert screen_name(app) == "ModuleScreen"
        assert app.screen.module_id == following[1].id


async def test_the_palette_reaches_a_mode_of_the_last_module(shipped_app, course):
    last = course.modules[-1]
    app = shipped_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*f"{last.title}: Practice")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert screen_name(app) == "PracticeScreen"
        assert app.screen.module_id == last.id


def missed_earlier(db_path, course, questions) -> None:
    """Wrong practice answers a day before the app's NOW, as an earlier session would leave them."""
    from mlquiz.progress import ProgressStore
    from mlquiz.quiz.recorder import Recorder

    with ProgressStore.open(db_path) as store:
        store.ensure_learner(LEARNER)
        store.set_setting(LEARNER, "welcomed", "yes")
        recorder = Recorder.for_course(store, LEARNER, course, clock=lambda: NOW - timedelta(days=1),
                                       fuzz=False)
        for question in questions:
            wrong = next(x for x in "ABCD" if x != question.answer.upper())
            recorder.answer(question.id, wrong, mode="practice")


async def test_one_review_queue_holds_the_missed_items_of_every_module(shipped_app, course, db_path):
    first, last = course.modules[0], course.modules[-1]
    missed_earlier(db_path, course, [first.questions[0], last.questions[0]])
    app = shipped_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.open_screen(first.id, "review")
        await pilot.pause()
        titles = []
        for _ in range(2):
            bar = text_of(app, "#title-bar")
            assert "to go" in bar
            titles.append(bar.rsplit(" · ", 1)[-1])
            await pilot.press("a")
            await pilot.pause()
            await pilot.press("right")  # next (n means "no" everywhere)
            await pilot.pause()
    assert sorted(titles) == sorted([first.title, last.title])
