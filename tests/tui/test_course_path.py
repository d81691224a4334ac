"""The course path in the app: home numbers the modules in course order and says
"after X" for prerequisites; the lesson's "where it fits" links the modules a
module names, and a link opens that module (tab to it and enter, or a click). Nothing is locked: a learner opens
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


def fits_links(app) -> list[str]:
    from mlquiz.tui.widgets.module_links import ModuleLink

    return [str(link.text) for link in app.screen.query(ModuleLink)]


async def tab_to_link(pilot, app, text: str, *, key: str = "tab", most: int = 12):
    """Press `key` until the link reading `text` has the focus (the learner's tab key)."""
    from mlquiz.tui.widgets.module_links import ModuleLink

    for _ in range(most):
        await pilot.press(key)
        await pilot.pause()
        if isinstance(app.focused, ModuleLink) and str(app.focused.text) == text:
            return app.focused
    raise AssertionError(f"{key} never reached the link {text!r}; focus: {app.focused!r}")


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_from_home_the_keyboard_alone_follows_where_it_fits_to_the_next_module(
        new_app, path_course, size):
    app = new_app(course=path_course)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.press("down")       # from Continue to the module list, on 1. Tiny debt
        await pilot.press("enter")
        await pilot.pause()
        assert screen_name(app) == "ModuleScreen" and app.screen.module_id == "tiny-debt"
        await pilot.press("1")          # Deep dive
        await pilot.pause()
        assert screen_name(app) == "DeepDiveScreen"
        assert fits_links(app) == ["2. Second module"]
        link = await tab_to_link(pilot, app, "2. Second module")
        # scrolled into view where the learner can see it, and the Footer says what enter does
        assert app.screen.get_widget_at(link.region.x, link.region.y)[0] is link
        assert any(b.binding.description == "Open module" and b.binding.key == "enter"
                   for b in app.screen.active_bindings.values())
        await pilot.press("enter")
        await pilot.pause()
        assert screen_name(app) == "ModuleScreen"
        assert app.screen.module_id == "second-module"


async def test_shift_tab_reaches_the_prerequisite_from_a_later_section(new_app, path_course):
    app = new_app(course=path_course)
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_screen("second-module", "deep_dive")
        await pilot.pause()
        await pilot.press("right", "right")     # two sections on: the overview is out of sight
        await pilot.pause()
        assert app.screen.index == 2
        assert fits_links(app) == ["1. Tiny debt"]
        link = await tab_to_link(pilot, app, "1. Tiny debt", key="shift+tab")
        assert app.screen.get_widget_at(link.region.x, link.region.y)[0] is link
        await pilot.press("enter")
        await pilot.pause()
        assert screen_name(app) == "ModuleScreen"
        assert app.screen.module_id == "tiny-debt"


async def test_a_click_on_a_where_it_fits_link_opens_the_module(new_app, path_course):
    from mlquiz.tui.widgets.module_links import ModuleLink, ModuleLinks

    app = new_app(course=path_course)
    async with app.run_test(size=(100, 30)) as pilot:
        app.open_screen("tiny-debt", "deep_dive")
        await pilot.pause()
        assert plain(app.screen.query_one(ModuleLinks)) == "Go on to: 2. Second module"
        await pilot.click(ModuleLink)
        await pilot.pause()
        assert screen_name(app) == "ModuleScreen"
        assert app.screen.module_id == "second-module"


async def test_a_module_with_no_path_has_no_links_and_the_lesson_still_pages(new_app):
    app = new_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_screen("tiny-debt", "deep_dive")
        await pilot.pause()
        assert fits_links(app) == []
        await pilot.press("right")
        await pilot.pause()
        assert app.screen.index == 1


async def test_on_a_narrow_terminal_the_first_tab_reaches_the_first_link(new_app, path_course):
    # the contents are hidden below 120 columns, so focus starts on the lesson, not on them
    app = new_app(course=path_course)
    async with app.run_test(size=(100, 30)) as pilot:
        app.open_screen("tiny-debt", "deep_dive")
        await pilot.pause()
        assert app.focused is app.screen.query_one("#lesson")
        await pilot.press("tab")
        await pilot.pause()
        assert plain(app.focused) == "2. Second module"
