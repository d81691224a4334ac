"""`mlquiz serve`: who needs a code, what the app processes receive, what is printed."""
from __future__ import annotations

import os
import shlex
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mlquiz.workshop.serve import (
    CODE_HASH_ENV, SERVED_ENV, app_command, child_environment, code_matches, generate_code,
    hash_code, is_loopback, retry_delay,
)

FIXTURE_COURSE = Path(__file__).parents[1] / "tui" / "fixtures" / "course"


@pytest.mark.parametrize("host", ["127.0.0.1", "127.8.9.10", "localhost", "::1", "[::1]"])
def test_loopback_hosts_need_no_code(host):
    assert is_loopback(host)


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.20", "10.0.0.1", "example.org"])
def test_every_other_host_needs_a_code(host):
    assert not is_loopback(host)


def test_the_app_processes_get_a_salted_hash_never_the_code():
    code = generate_code()
    env = child_environment(code)
    assert env[SERVED_ENV] == "1"
    assert code not in env[CODE_HASH_ENV]
    assert code.replace("-", "") not in env[CODE_HASH_ENV]
    assert code_matches(code, env[CODE_HASH_ENV])
    assert child_environment(code)[CODE_HASH_ENV] != env[CODE_HASH_ENV]  # salted
    assert CODE_HASH_ENV not in child_environment(None)


def test_a_code_matches_whatever_its_case_and_spacing_but_nothing_else():
    stored = hash_code("cedar-otter-plum")
    assert code_matches("Cedar Otter Plum", stored)
    assert not code_matches("cedar-otter-plu", stored)
    assert not code_matches("", stored)
    assert not code_matches("cedar-otter-plum", "not a hash")


def test_generated_codes_differ_and_are_three_words():
    codes = {generate_code() for _ in range(20)}
    assert len(codes) > 15
    assert all(len(code.split("-")) == 3 for code in codes)


def test_the_wait_after_wrong_codes_doubles_up_to_a_cap():
    assert [retry_delay(n) for n in range(0, 8)] == [0, 1, 2, 4, 8, 16, 30, 30]


def test_the_tab_command_uses_absolute_paths(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    parts = shlex.split(app_command(Path("room db.sqlite"), Path("course"), Path("ws")))
    assert parts[0] == "exec"  # one process per tab: the shell becomes Python
    assert parts[2:4] == ["-m", "mlquiz"]
    assert parts[parts.index("--db") + 1] == str(tmp_path / "room db.sqlite")
    assert all(Path(parts[parts.index(flag) + 1]).is_absolute()
               for flag in ("--db", "--course", "--workspace"))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _serve(tmp_path, *args: str, **extra_env: str) -> str:
    """Start `mlquiz serve ARGS`, return its banner, stop it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MLQUIZ_")}
    env["MLQUIZ_CACHE_DIR"] = str(tmp_path / "cache")
    env.update(extra_env)
    log_path = tmp_path / "serve.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "mlquiz", "serve", "--db", str(tmp_path / "room.db"),
             "--course", str(FIXTURE_COURSE), *args], stdout=log, stderr=subprocess.STDOUT,
            env=env)
        try:
            deadline = time.monotonic() + 20
            while "Press Ctrl+C" not in log_path.read_text() and time.monotonic() < deadline:
                if process.poll() is not None:
                    break
                time.sleep(0.1)
            return log_path.read_text()
        finally:
            process.terminate()
            process.wait(10)


def test_serving_beyond_this_computer_prints_a_generated_code(tmp_path):
    port = _free_port()
    banner = _serve(tmp_path, "--host", "0.0.0.0", "--port", str(port))
    assert "Workshop code (generated): " in banner
    code = banner.split("Workshop code (generated): ")[1].split()[0]
    assert len(code.split("-")) == 3
    assert f":{port}/" in banner


def test_serving_on_loopback_prints_the_address_and_asks_no_code(tmp_path):
    port = _free_port()
    banner = _serve(tmp_path, "--port", str(port), "--code", "my-room")
    assert f"http://127.0.0.1:{port}/" in banner
    assert "Workshop code (given): my-room" in banner
    assert "mlquiz --instructor --db" in banner


def test_the_code_can_come_from_the_environment_out_of_the_process_list(tmp_path):
    banner = _serve(tmp_path, "--host", "0.0.0.0", "--port", str(_free_port()),
                    MLQUIZ_WORKSHOP_CODE="river-stone-lamp")
    assert "Workshop code (given): river-stone-lamp" in banner


def test_a_port_in_use_is_one_clear_line(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "mlquiz", "serve", "--port", str(port), "--db",
             str(tmp_path / "room.db"), "--course", str(FIXTURE_COURSE)],
            capture_output=True, text=True, timeout=30)
    assert result.returncode == 2
    assert result.stderr.strip() == (f"mlquiz: cannot listen on 127.0.0.1:{port}: Address "
                                     "already in use; pass another --port (or stop what is "
                                     "using it)")


def test_a_host_that_does_not_resolve_is_one_line_naming_the_host(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "mlquiz", "serve", "--host", "no-such-host.invalid", "--port",
         "8000", "--db", str(tmp_path / "room.db"), "--course", str(FIXTURE_COURSE)],
        capture_output=True, text=True, timeout=30)
    assert result.returncode == 2
    line = result.stderr.strip()
    assert line.startswith("mlquiz: cannot listen on no-such-host.invalid:8000: ")
    assert line.endswith("; check --host") and "Unknown error" not in line
    assert "while attempting" not in line
