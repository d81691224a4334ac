"""The course path in the app: home numbers the modules in course order and says
"after X" for prerequisites; the lesson's "where it fits" links the modules a
module names, and a link opens that module. Nothing is locked: a learner opens
any module, prerequisites done or not.
"""
from __future__ import annotations

import shutil

import pytest

from .conftest import FIXTURE_COURSE
from .helpers import plain, screen_name


@pytest.fixture
def path_course(tmp_path):
    """The fixture course with a path: tiny-debt first, second-module after it."""
    course = tmp_path / "path-course"
    shutil.copytree(FIXTURE_COURSE, course)
    with open(course / "tiny-debt" / "module.yaml", "a", encoding="utf-8") as f:
        f.write("next: [second-module]\n")
    with open(course / "second-module" / "module.yaml", "a", encoding="utf-8") as f:
        f.write("prerequisites: [tiny-debt]\n")
    return course


def module_rows(app) -> list[str]:
    from mlquiz.tui.screens.home import ModuleRow

    return [plain(row.query_one(".module-title")) for row in app.screen.query(ModuleRow)]


async def test_home_shows_the_order_and_what_comes_first(new_app, path_course):
    app = new_app(course=path_course)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert module_rows(app) == ["1. Tiny debt", "2. Second module\n   after 1. Tiny debt"]
        assert app.screen.query_one("ModuleRow:last-of-type").region.height == 2


async def test_a_module_whose_prerequisite_is_not_done_still_opens(new_app, path_course):
    app = new_app(course=path_course)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        modules = app.screen.query_one("#modules")
        modules.focus()
        modules.index = 1
        await pilot.press("enter")
        await pilot.pause()
        assert screen_name(app) == "ModuleScreen"
        assert app.screen.module_id == "second-module"


async def test_without_a_path_home_only_numbers_the_modules(new_app):
    app = new_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert module_rows(app) == ["1. Tiny debt", "2. Second module"]


async def test_where_it_fits_links_the_next_module_and_the_link_opens_it(new_app, path_course):
    from textual.widgets import Markdown

    app = new_app(course=path_course)
    async with app.run_test(size=(100, 30)) as pilot:
        app.open_screen("tiny-debt", "deep_dive")
        await pilot.pause()
        assert screen_name(app) == "DeepDiveScreen"
        overview = app.screen.query_one("#section-overview", Markdown)
        assert "*Go on to:* [2. Second module](module:second-module)" in overview.source
        # what a click on the link does: the paragraph runs its link action
        paragraph = next(p for p in overview.query("MarkdownParagraph")
                         if "Go on to" in plain(p))
        await paragraph.action_link("module:second-module")
        await pilot.pause()
        assert screen_name(app) == "ModuleScreen"
        assert app.screen.module_id == "second-module"


async def test_the_later_module_links_back_to_its_prerequisite(new_app, path_course):
    from textual.widgets import Markdown

    app = new_app(course=path_course)
    async with app.run_test(size=(100, 30)) as pilot:
        app.open_screen("second-module", "deep_dive")
        await pilot.pause()
        overview = app.screen.query_one("#section-overview", Markdown)
        assert "*Take first:* [1. Tiny debt](module:tiny-debt)" in overview.source
        assert "Go on to" not in overview.source
