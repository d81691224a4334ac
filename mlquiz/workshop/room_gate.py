"""The workshop code's lockout kept in the room's database, so N serve hosts keep one lockout.

>>> gate = RoomCodeGate(hash_code("tiger-lamp"), lambda: ProgressStore.open(url))  # doctest: +SKIP
>>> gate.attempt("browser-1", "tiger-lump").wait                                  # doctest: +SKIP
1.0

The same rules as `gate.CodeGate` (a count per browser cookie, a looser one per
address, each guess charged before it is checked), but the counts are settings of
a reserved learner of the room ('@gate', '@instructor-gate': reports and the live
view skip '@' names) and their deadlines are wall-clock times, so a browser that the
proxy sends to another host finds the same wait there. Each attempt reads and
charges its counts in one write transaction of the room (the store's write lock on
both backends), so two hosts never both let a guess through.

`mlquiz serve` uses it when the room is a PostgreSQL URL; a SQLite room has one
host, and keeps the in-memory CodeGate (one store per file per process).
"""
from __future__ import annotations

import threading
import time
from typing import Callable

from mlquiz.workshop.gate import ADDRESS_GRACE, CodeGate, Verdict, _Count
from mlquiz.workshop.serve import code_matches, retry_delay


class RoomCodeGate(CodeGate):
    """CodeGate whose counts live in the room database (opened on first use)."""

    def __init__(self, code_hash: str, open_store: Callable[[], object], *,
                 name: str = "@gate", backoff: Callable[[int], float] = retry_delay,
                 clock: Callable[[], float] = time.time,
                 address_grace: int = ADDRESS_GRACE) -> None:
        super().__init__(code_hash, backoff=backoff, clock=clock, address_grace=address_grace)
        self.name = name
        self._open_store = open_store
        self._store = None
        self._store_lock = threading.Lock()

    @property
    def store(self):
        """The room's store, opened the first time a code is asked (never before the
        server has started its tab launcher, which forks with no database open)."""
        with self._store_lock:
            if self._store is None:
                self._store = self._open_store()
            return self._store

    def _read(self, keys: list[tuple[str, int]]) -> dict[str, _Count]:
        counts = {}
        for key, _grace in keys:
            stored = self.store.setting(self.name, key)
            if stored:
                counts[key] = _Count(int(stored[0]), float(stored[1]))
        return counts

    def _left_of(self, counts: dict[str, _Count], now: float) -> float:
        return max((max(0.0, count.until - now) for count in counts.values()), default=0.0)

    def wait(self, client: str, address: str | None = None) -> float:
        return self._left_of(self._read(self._keys(client, address)), self.clock())

    def attempt(self, client: str, code: str, address: str | None = None) -> Verdict:
        keys = self._keys(client, address)
        store = self.store
        with store.transaction():  # read and charge under the room's write lock
            now = self.clock()
            counts = self._read(keys)
            left = self._left_of(counts, now)
            if left > 0:
                return Verdict(False, left, False)
            for key, grace in keys:
                count = counts.get(key) or _Count()
                count.wrong += 1
                count.until = now + self.backoff(count.wrong - grace)
                store.set_setting(self.name, key, [count.wrong, count.until])
        if code_matches(code, self.code_hash):  # slow (scrypt): outside the transaction
            with store.transaction():
                for key, _grace in keys:
                    store.set_setting(self.name, key, None)
            return Verdict(True, 0.0, True)
        return Verdict(False, self.wait(client, address), True)
