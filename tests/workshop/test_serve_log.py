"""`mlquiz serve`'s console keeps what the instructor needs (the address, the codes, warnings);
the web requests go to the file given with --log, never to the console."""
from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request

from tests.workshop.test_serve_room import FIXTURE_COURSE, free_port


def start_serve(tmp_path, *extra: str):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("MLQUIZ_")}
    env.update(XDG_DATA_HOME=str(tmp_path / "data"), MLQUIZ_CACHE_DIR=str(tmp_path / "cache"),
               MLQUIZ_SERVE_FORK="0")
    console = tmp_path / "console.txt"
    process = subprocess.Popen(
        [sys.executable, "-m", "mlquiz", "serve", "--port", str(port), "--code", "cedar-otter-plum",
         "--db", str(tmp_path / "room.db"), "--course", str(FIXTURE_COURSE),
         "--workspace", str(tmp_path / "ws"), *extra],
        stdout=console.open("w"), stderr=subprocess.STDOUT, env=env, start_new_session=True)
    deadline = time.monotonic() + 40
    while "Press Ctrl+C" not in console.read_text():
        assert process.poll() is None and time.monotonic() < deadline, console.read_text()
        time.sleep(0.1)
    return process, f"http://127.0.0.1:{port}", console


def load_pages(url: str) -> None:
    for path in ("/", "/instructor", "/static/css/xterm.css", "/no-such-page"):
        try:
            urllib.request.urlopen(url + path, timeout=10).read()
        except OSError:  # the 404 is a request too
            pass


def stop(process) -> None:
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()


def test_requests_stay_off_the_console_and_go_to_the_log_file(tmp_path):
    log = tmp_path / "requests.log"
    process, url, console = start_serve(tmp_path, "--log", str(log))
    try:
        load_pages(url)
        deadline = time.monotonic() + 10
        while "no-such-page" not in (log.read_text() if log.exists() else ""):
            assert time.monotonic() < deadline, "the request log never got the requests"
            time.sleep(0.1)
    finally:
        stop(process)
    shown = console.read_text()
    assert "Workshop code (given): cedar-otter-plum" in shown and "Open in a browser" in shown
    assert "GET /" not in shown, shown
    logged = log.read_text()
    assert '"GET / HTTP/1.1" 200' in logged and '"GET /no-such-page HTTP/1.1" 404' in logged
    assert "cedar-otter-plum" not in logged, "the code never reaches the request log"


def test_without_log_the_console_shows_no_request(tmp_path):
    process, url, console = start_serve(tmp_path)
    try:
        load_pages(url)
    finally:  # a request's line is written before the server stops, so it would be here

        stop(process)
    shown = console.read_text()
    assert "Open in a browser" in shown and "GET /" not in shown, shown


def test_a_log_file_that_cannot_be_written_is_one_line_before_serving(tmp_path):
    port = free_port()
    done = subprocess.run(
        [sys.executable, "-m", "mlquiz", "serve", "--port", str(port), "--log",
         str(tmp_path / "missing" / "requests.log"), "--db", str(tmp_path / "room.db"),
         "--course", str(FIXTURE_COURSE)], capture_output=True, text=True, timeout=60,
        env={k: v for k, v in os.environ.items() if not k.startswith("MLQUIZ_")})
    assert done.returncode == 2 and done.stderr.count("\n") == 1, done.stderr
    assert "--log" in done.stderr and "Open in a browser" not in done.stdout
