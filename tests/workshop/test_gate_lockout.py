"""The workshop code lockout counts a guess before it is checked, so guesses sent at once
from several tabs of one browser each cost a wait instead of all being checked."""
from __future__ import annotations

import threading
import time

from mlquiz.workshop import gate as gate_module
from mlquiz.workshop.gate import CodeGate
from mlquiz.workshop.serve import hash_code


def _guess_at_once(monkeypatch, gate: CodeGate, codes: list[str], client: str = "browser-1",
                   address: str | None = None):
    """Send every code from its own thread; the code check blocks until each guess has either
    reached it or come back, so whether the lock counted first is all that decides."""
    real = gate_module.code_matches
    lock = threading.Lock()
    reached, returned, release = [0], [0], threading.Event()

    def slow_match(code, stored):
        with lock:
            reached[0] += 1
        release.wait(10)
        return real(code, stored)

    monkeypatch.setattr(gate_module, "code_matches", slow_match)
    verdicts: list = []

    def guess(code: str) -> None:
        verdict = gate.attempt(client, code, address)
        with lock:
            verdicts.append(verdict)
            returned[0] += 1

    threads = [threading.Thread(target=guess, args=(code,)) for code in codes]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with lock:
            if reached[0] + returned[0] >= len(codes):
                break
        time.sleep(0.005)
    release.set()
    for thread in threads:
        thread.join(10)
    return verdicts, reached[0]


def test_parallel_wrong_guesses_are_checked_one_at_a_time(monkeypatch):
    gate = CodeGate(hash_code("tiger-lamp"))
    guesses = [f"guess-{n}" for n in range(8)]
    verdicts, checked = _guess_at_once(monkeypatch, gate, guesses)
    assert checked == 1
    assert sum(v.checked for v in verdicts) == 1
    assert not any(v.ok for v in verdicts)
    assert all(v.wait > 0 for v in verdicts)  # the seven unseen guesses were told to wait


def test_parallel_guesses_with_the_right_code_among_them_do_not_let_any_other_through(monkeypatch):
    gate = CodeGate(hash_code("tiger-lamp"))
    verdicts, checked = _guess_at_once(monkeypatch, gate, ["tiger-lamp"] + ["nope"] * 5)
    assert checked == 1
    assert sum(v.ok for v in verdicts) <= 1
    assert sum(v.checked for v in verdicts) == 1


def test_a_right_code_clears_the_count_it_was_charged_and_a_wrong_one_keeps_it():
    now = [100.0]
    gate = CodeGate(hash_code("tiger-lamp"), clock=lambda: now[0])
    assert gate.attempt("b", "tiger-lamp").ok
    assert gate.wait("b") == 0.0
    wrong = gate.attempt("b", "tiger-lump")
    assert (wrong.ok, wrong.checked, wrong.wait) == (False, True, 1.0)
    assert gate.attempt("b", "tiger-lamp") == (False, 1.0, False)  # locked: not looked at
    now[0] += 1.0
    second = gate.attempt("b", "tiger-lump")
    assert (second.checked, second.wait) == (True, 2.0)  # the second wrong code in a row
    now[0] += 2.0
    assert gate.attempt("b", "tiger-lamp").ok
    assert gate.wait("b") == 0.0


def test_wrong_codes_from_one_address_lock_it_only_after_the_grace():
    now = [100.0]
    gate = CodeGate(hash_code("tiger-lamp"), clock=lambda: now[0], address_grace=2)
    for client in ("a", "b"):
        assert gate.attempt(client, "nope", "10.0.0.7").checked
    assert gate.wait("c", "10.0.0.7") == 0.0  # two wrong codes: within the grace
    assert gate.attempt("c", "nope", "10.0.0.7").checked
    assert gate.wait("d", "10.0.0.7") == 1.0  # the third locks the address


def test_the_whole_wait_runs_from_the_refusal_however_long_the_check_took(monkeypatch):
    """The guess is charged before the slow check; its wait still starts when it is refused,
    so a page reload right after the refusal opens on the lock."""
    now = [100.0]
    real = gate_module.code_matches

    def slow_match(code, stored):
        now[0] += 5.0  # a check slower than the first wait
        return real(code, stored)

    monkeypatch.setattr(gate_module, "code_matches", slow_match)
    gate = CodeGate(hash_code("tiger-lamp"), clock=lambda: now[0])
    verdict = gate.attempt("b", "tiger-lump")
    assert (verdict.ok, verdict.checked, verdict.wait) == (False, True, 1.0)
    assert gate.wait("b") == 1.0
