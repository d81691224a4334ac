"""The workshop code's lockout in a PostgreSQL room: two serve hosts, one lockout."""
from __future__ import annotations

from mlquiz.progress import ProgressStore
from mlquiz.workshop.room_gate import RoomCodeGate
from mlquiz.workshop.serve import hash_code


def test_a_browser_locked_on_one_host_finds_the_same_wait_on_the_other(pg_url):
    code_hash = hash_code("tiger-lamp")
    now = [1000.0]
    hosts = [RoomCodeGate(code_hash, lambda: ProgressStore.open(pg_url), clock=lambda: now[0])
             for _ in range(2)]
    first, second = hosts
    assert first.attempt("browser-1", "tiger-lump", "10.0.0.7") == (False, 1.0, True)
    assert second.wait("browser-1", "10.0.0.7") == 1.0
    assert second.attempt("browser-1", "tiger-lamp") == (False, 1.0, False), "not even checked"
    assert second.wait("browser-2", "10.0.0.8") == 0.0, "another browser is not locked"
    now[0] += 1.0
    assert second.attempt("browser-1", "tiger-lump") == (False, 2.0, True)  # the count went on
    assert first.wait("browser-1") == 2.0
    now[0] += 2.0
    assert first.attempt("browser-1", "Tiger Lamp") == (True, 0.0, True)
    assert second.wait("browser-1", "10.0.0.7") == 0.0, "a right code clears it everywhere"
    with ProgressStore.open(pg_url) as store:
        assert store.most_recent_learner() is None, "'@gate' is not a learner"
    for gate in hosts:
        gate.store.close()
