"""`mlquiz serve` end to end: real server, real headless Chromium, real database.

The browser shows the served terminal with xterm.js on a canvas, so the test
reads what the app draws from the websocket frames (escape codes stripped)
and checks the progress database for the recorded answer.
"""
from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from functools import partial
from pathlib import Path

import pytest

from mlquiz.progress import ProgressStore

pytestmark = pytest.mark.browser

FIXTURE_COURSE = Path(__file__).parents[1] / "tui" / "fixtures" / "course"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
_ESCAPES = re.compile(rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"
                      rb"|\x1b[()][0-9A-Za-z]|\x1b[=>78]")


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or (
        "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(check, what: str, timeout: float = 20.0, page=None, screenshot: Path | None = None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        if page is not None:
            page.wait_for_timeout(100)
        else:
            time.sleep(0.1)
    if page is not None and screenshot is not None:  # what the browser showed
        page.screenshot(path=str(screenshot))
        what += f" (the page is in {screenshot})"
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


class TerminalText:
    """Everything the served app has drawn so far, as plain text."""

    def __init__(self) -> None:
        self.data = bytearray()

    def attach(self, websocket) -> None:
        websocket.on("framereceived", self._frame)

    def _frame(self, payload) -> None:
        if isinstance(payload, (bytes, bytearray)):
            self.data.extend(payload)

    def mark(self) -> int:
        return len(self.data)

    def since(self, mark: int = 0) -> str:
        return _ESCAPES.sub(b"", bytes(self.data[mark:])).decode("utf-8", "replace")


@pytest.fixture
def served(tmp_path):
    """`mlquiz serve` on a free loopback port; yields (url, db path)."""
    port = free_port()
    db = tmp_path / "room.db"
    env = {k: v for k, v in os.environ.items() if not k.startswith("MLQUIZ_")}
    env.update(XDG_DATA_HOME=str(tmp_path / "data"), XDG_CACHE_HOME=str(tmp_path / "cache"),
               MLQUIZ_CACHE_DIR=str(tmp_path / "cache"))
    log = (tmp_path / "serve.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "mlquiz", "serve", "--port", str(port), "--db", str(db),
         "--course", str(FIXTURE_COURSE), "--workspace", str(tmp_path / "ws")],
        stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    try:
        wait_for(lambda: "Open in a browser" in (tmp_path / "serve.log").read_text()
                 or process.poll() is not None, "the server to start")
        assert process.poll() is None, (tmp_path / "serve.log").read_text()
        yield f"http://127.0.0.1:{port}/", db
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def answered_events(db: Path, learner: str):
    if not db.exists():
        return []
    store = ProgressStore.open(db, read_only=True)
    try:
        return store.events(learner, kind="question_answered")
    finally:
        store.close()


def test_a_learner_joins_in_the_browser_and_their_answer_is_recorded(served, tmp_path):
    path = chromium_path()
    if path is None:
        pytest.skip("no system Chromium (apt-get install chromium); the browser test needs it")
    sync_api = pytest.importorskip("playwright.sync_api")
    url, db = served
    screen = TerminalText()
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 800})
            page.on("websocket", screen.attach)
            wait = partial(wait_for, page=page, screenshot=tmp_path / "page.png")
            page.goto(url)
            # The first tab starts an app process: slow on a busy CI machine.
            wait(lambda: "Type your name" in screen.since(), "the profile screen", timeout=40)
            page.click(".textual-terminal")

            mark = screen.mark()
            page.keyboard.type("ada")
            page.keyboard.press("Enter")
            wait(lambda: "Hello ada" in screen.since(mark), "the welcome screen")

            mark = screen.mark()
            page.keyboard.press("Enter")  # Start
            wait(lambda: "Modules" in screen.since(mark), "the home screen")

            mark = screen.mark()
            page.keyboard.press("c")       # continue: the first module's build-up
            wait(lambda: "Build-up" in screen.since(mark), "the build-up")
            mark = screen.mark()
            page.keyboard.press("Escape")  # back to the module page
            wait(lambda: "Choose your learning style" in screen.since(mark), "the module page")

            mark = screen.mark()
            page.keyboard.press("4")      # practice
            wait(lambda: "No test required" in screen.since(mark), "practice")
            page.keyboard.press("a")
            (event,) = wait(lambda: answered_events(db, "ada"), "the answer in the database")
        finally:
            browser.close()
    # ada pressed a: the option she saw first, recorded by its authored letter (options are
    # shuffled per learner)
    assert event.answer == event.detail["shown_order"][0]
    assert event.detail["mode"] == "practice"
    assert event.session_id is not None


def _instructor_code(log: Path) -> str:
    match = re.search(r"/instructor \(code, \w+: ([\w-]+)\)", log.read_text())
    assert match, log.read_text()
    return match.group(1)


def test_two_browser_tabs_vote_and_the_instructor_count_matches_the_database(served, tmp_path):
    path = chromium_path()
    if path is None:
        pytest.skip("no system Chromium (apt-get install chromium); the browser test needs it")
    sync_api = pytest.importorskip("playwright.sync_api")
    url, db = served
    code = _instructor_code(tmp_path / "serve.log")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        try:
            def tab(address: str) -> tuple:
                page = browser.new_context(viewport={"width": 1200, "height": 800}).new_page()
                screen = TerminalText()
                page.on("websocket", screen.attach)
                page.goto(address)
                return page, screen

            learners = {}
            for name in ("ada", "bo"):
                page, screen = tab(url)
                wait = partial(wait_for, page=page, screenshot=tmp_path / f"{name}.png")
                wait(lambda: "Type your name" in screen.since(), "the profile screen", timeout=40)
                page.click(".textual-terminal")
                page.keyboard.type(name)
                page.keyboard.press("Enter")
                wait(lambda: f"Hello {name}" in screen.since(), "the welcome screen")
                page.keyboard.press("Enter")
                wait(lambda: "Modules" in screen.since(), "the home screen")
                learners[name] = (page, screen, wait)

            lead, room = tab(url + "instructor")
            wait = partial(wait_for, page=lead, screenshot=tmp_path / "instructor.png")
            wait(lambda: "Instructor's view" in room.since(), "the instructor code screen",
                 timeout=40)
            lead.click(".textual-terminal")
            lead.keyboard.type(code)
            lead.keyboard.press("Enter")
            wait(lambda: "Room ·" in room.since(), "the live view")
            mark = room.mark()
            lead.keyboard.press("v")
            wait(lambda: "Peer instruction" in room.since(mark), "the console")
            marks = {name: screen.mark() for name, (_p, screen, _w) in learners.items()}
            lead.keyboard.press("Enter")          # open the vote on the highlighted item
            for name, (page, screen, wait_learner) in learners.items():
                wait_learner(lambda: "Your instructor asks the room" in screen.since(marks[name]),
                             f"the vote on {name}'s screen")
            mark = room.mark()
            learners["ada"][0].keyboard.press("a")
            learners["bo"][0].keyboard.press("b")
            wait(lambda: "Voted: 2 of 2 present" in room.since(mark), "the instructor's count")
            learners["ada"][0].screenshot(path=str(tmp_path / "ada-vote.png"))
        finally:
            browser.close()
    with ProgressStore.open(db, read_only=True) as store:
        votes = sorted((e.learner, e.answer) for e in store.events(kind="poll_vote"))
    assert votes == [("ada", "A"), ("bo", "B")]
