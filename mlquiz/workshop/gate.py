"""The workshop code check, with a lockout that belongs to the client, not to one tab.

>>> from mlquiz.workshop.serve import hash_code
>>> gate = CodeGate(hash_code("tiger-lamp"), clock=lambda: 100.0)
>>> gate.attempt("browser-1", "tiger-lump"), gate.wait("browser-1")
(Verdict(ok=False, wait=1.0, checked=True), 1.0)
>>> gate.attempt("browser-1", "tiger-lamp")          # right, but still locked: not even checked
Verdict(ok=False, wait=1.0, checked=False)

`mlquiz serve` keeps one `CodeGate` in the server process, keyed by the
browser (a cookie) and by its address, so a page reload, which starts a new
tab process, finds the lock where it was. Each tab talks to it through
`RemoteGate` over a socket the server hands the tab; `LocalGate` is the same
rules inside one process (tests, and tabs started without the server's gate).
The tab process never holds the code or its hash when the gate is remote.

Wrong codes from one address share a second, looser count (`ADDRESS_GRACE`
wrong codes before it locks anyone), so clearing cookies does not reset the
wait, and one learner's typos do not lock a whole room behind one router.
"""
from __future__ import annotations

import json
import os
import socket
import threading
import time
from dataclasses import dataclass
from typing import Callable, NamedTuple

from mlquiz.workshop.serve import code_matches, retry_delay

GATE_FD_ENV = "MLQUIZ_GATE_FD"
ADDRESS_GRACE = 5


class Verdict(NamedTuple):
    ok: bool         # the code is right and the client may join
    wait: float      # seconds until the next code is looked at (0: now)
    checked: bool    # False when the lock refused the code unseen


@dataclass
class _Count:
    wrong: int = 0
    until: float = 0.0


class CodeGate:
    """Wrong-code counts per client key; thread-safe."""

    def __init__(self, code_hash: str, *, backoff: Callable[[int], float] = retry_delay,
                 clock: Callable[[], float] = time.monotonic,
                 address_grace: int = ADDRESS_GRACE) -> None:
        self.code_hash = code_hash
        self.backoff = backoff
        self.clock = clock
        self.address_grace = address_grace
        self._counts: dict[str, _Count] = {}
        self._lock = threading.Lock()

    def _keys(self, client: str, address: str | None) -> list[tuple[str, int]]:
        keys = [(f"client:{client}", 0)]
        if address:
            keys.append((f"address:{address}", self.address_grace))
        return keys

    def _left(self, keys: list[tuple[str, int]], now: float) -> float:
        """Seconds until the next code is looked at (the caller holds the lock)."""
        return max((max(0.0, self._counts[key].until - now) for key, _ in keys
                    if key in self._counts), default=0.0)

    def wait(self, client: str, address: str | None = None) -> float:
        """Seconds `client` must still wait before a code is looked at."""
        keys = self._keys(client, address)
        with self._lock:
            return self._left(keys, self.clock())

    def attempt(self, client: str, code: str, address: str | None = None) -> Verdict:
        """Charge the guess as wrong, under the lock, then check it: of N guesses sent at once
        only the first is looked at, the others find its wait (N guesses cost N waits). A
        right code takes the charge back and clears the counts, as before."""
        keys = self._keys(client, address)
        with self._lock:
            now = self.clock()
            left = self._left(keys, now)
            if left > 0:
                return Verdict(False, left, False)
            for key, grace in keys:
                count = self._counts.setdefault(key, _Count())
                count.wrong += 1
                count.until = now + self.backoff(count.wrong - grace)
        right = code_matches(code, self.code_hash)  # slow (scrypt): outside the lock
        with self._lock:
            if right:
                for key, _ in keys:
                    self._counts.pop(key, None)
                return Verdict(True, 0.0, True)
            now = self.clock()  # the whole wait runs from the refusal, not from the charge
            for key, grace in keys:
                count = self._counts.setdefault(key, _Count())
                count.until = max(count.until, now + self.backoff(count.wrong - grace))
            return Verdict(False, self._left(keys, now), True)


class LocalGate:
    """One tab's view of a gate in the same process: `.required`, `.wait()`, `.attempt(code)`."""

    def __init__(self, gate: CodeGate, client: str = "this-tab") -> None:
        self.gate, self.client = gate, client
        self.required = True

    def wait(self) -> float:
        return self.gate.wait(self.client)

    def attempt(self, code: str) -> Verdict:
        return self.gate.attempt(self.client, code)


class RemoteGate:
    """A tab's view of the server's gate, over the socket the server passed to the tab."""

    def __init__(self, sock: socket.socket) -> None:
        self._file = sock.makefile("rwb", buffering=0)
        self._sock = sock
        self._lock = threading.Lock()
        self.required = bool(self._ask({"op": "status"})["required"])

    @classmethod
    def from_environment(cls, environ=None) -> "RemoteGate | None":
        environ = os.environ if environ is None else environ
        fd = environ.get(GATE_FD_ENV, "")
        if fd.startswith("extra:"):  # the nth descriptor a forked tab received
            extra = environ.get("MLQUIZ_EXTRA_FDS", "").split(",")
            index = int(fd.split(":", 1)[1])
            fd = extra[index] if index < len(extra) else ""
        if not fd:
            return None
        try:
            return cls(socket.socket(fileno=int(fd)))
        except (OSError, ValueError):
            return None

    def _ask(self, request: dict) -> dict:
        with self._lock:
            self._sock.sendall(json.dumps(request).encode() + b"\n")
            line = self._file.readline()
        if not line:
            raise OSError("the server's code gate closed")
        return json.loads(line)

    def wait(self) -> float:
        return float(self._ask({"op": "status"})["wait"])

    def attempt(self, code: str) -> Verdict:
        answer = self._ask({"op": "try", "code": code})
        return Verdict(bool(answer["ok"]), float(answer["wait"]), bool(answer["checked"]))


def answer(gate: CodeGate | None, client: str, address: str | None, request: dict) -> dict:
    """The server's reply to one RemoteGate request (blocking: scrypt; run it off the loop)."""
    if request.get("op") == "try" and gate is not None:
        verdict = gate.attempt(client, str(request.get("code", "")), address)
        return {"ok": verdict.ok, "wait": verdict.wait, "checked": verdict.checked}
    wait = gate.wait(client, address) if gate is not None else 0.0
    return {"required": gate is not None, "wait": wait, "ok": gate is None, "checked": False}
