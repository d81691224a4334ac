"""The rules of a served workshop room, without any web or terminal code.

>>> is_loopback("127.0.0.1"), is_loopback("0.0.0.0")
(True, False)
>>> stored = hash_code("tiger-lamp")          # what the app processes receive
>>> code_matches(" TIGER lamp ", stored), code_matches("tiger-lump", stored)
(True, False)
>>> [retry_delay(n) for n in range(1, 7)]     # seconds locked after the nth wrong code
[1.0, 2.0, 4.0, 8.0, 16.0, 30.0]

`mlquiz serve` runs one app process per browser tab. Those processes learn
what they need from their environment: `SERVED_ENV` marks them as served (they
start on the profile screen) and `CODE_HASH_ENV` carries a salted hash of the
workshop code, never the code itself, so a process listing or a crash dump of
an app process does not give the code away.
"""
from __future__ import annotations

import hashlib
import hmac
import ipaddress
import os
import secrets
import shlex
import subprocess
import sys
from pathlib import Path

SERVED_ENV = "MLQUIZ_SERVED"
CODE_HASH_ENV = "MLQUIZ_WORKSHOP_CODE_HASH"

# Words that are short, common and hard to mishear when read out to a room.
_WORDS = (
    "amber anchor apple arrow badge bamboo basil beacon birch bison cactus candle canyon cedar "
    "cherry cobalt comet coral cotton crane delta dune ember falcon fern fig flint forest "
    "garnet ginger glacier granite harbor hazel heron honey island ivory jade jasper juniper "
    "kettle kiwi lagoon lantern lemon lily lotus maple marble meadow mint moss nectar nutmeg "
    "oak ocean olive onyx orchid otter panda pebble pepper pine planet plum pollen quartz "
    "raven reef river robin saffron sage salmon sierra spruce summit tiger timber topaz "
    "tulip tundra velvet violet walnut willow zebra"
).split()
_SCRYPT = {"n": 2 ** 14, "r": 8, "p": 1}
_LOOPBACK_NAMES = {"localhost", "ip6-localhost", "ip6-loopback"}


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and localhost: only this computer can connect."""
    host = host.strip().strip("[]").lower()
    if host in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def generate_code(words: int = 3) -> str:
    """A workshop code of random words, easy to read out, e.g. 'cedar-otter-plum'."""
    return "-".join(secrets.choice(_WORDS) for _ in range(words))


def normalize_code(code: str) -> str:
    """Case, spaces and dashes do not matter: 'Cedar Otter-plum' == 'cedar-otter-plum'."""
    return "".join(ch for ch in code.lower() if ch.isalnum())


def hash_code(code: str, salt: bytes | None = None) -> str:
    """'scrypt$<salt hex>$<hash hex>' of the normalized code."""
    salt = salt if salt is not None else secrets.token_bytes(16)
    digest = hashlib.scrypt(normalize_code(code).encode(), salt=salt, **_SCRYPT)
    return f"scrypt${salt.hex()}${digest.hex()}"


def code_matches(code: str, stored: str) -> bool:
    """Whether `code` is the one `stored` was made from (constant-time compare)."""
    try:
        scheme, salt_hex, digest_hex = stored.split("$")
        salt = bytes.fromhex(salt_hex)
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    return hmac.compare_digest(hash_code(code, salt), stored)


def retry_delay(wrong_codes: int, *, base: float = 1.0, cap: float = 30.0) -> float:
    """Seconds to wait after the `wrong_codes`-th wrong code in a row: doubling, capped."""
    if wrong_codes <= 0:
        return 0.0
    return min(cap, base * 2 ** (wrong_codes - 1))


def required_code_hash(environ: dict[str, str] | None = None) -> str | None:
    """The code hash an app process must check, or None when no code is required."""
    environ = os.environ if environ is None else environ
    return environ.get(CODE_HASH_ENV) or None


def is_served(environ: dict[str, str] | None = None) -> bool:
    environ = os.environ if environ is None else environ
    return environ.get(SERVED_ENV) == "1"


def _db_argument(db) -> str:
    """A file as an absolute path; a postgresql:// URL as it is (its password, if any, is in
    PGPASSWORD by then: see progress.location.db_setting)."""
    from mlquiz.progress.location import absolute, parse_db

    return str(absolute(parse_db(db)))


def app_command(db: Path, course: Path, workspace: Path, python: str | None = None) -> str:
    """The shell command textual-serve runs for each browser tab (absolute paths).

    On POSIX the shell `exec`s Python: one process per tab instead of two.
    """
    parts = [python or sys.executable, "-m", "mlquiz",
             "--db", _db_argument(db), "--course", str(Path(course).resolve()),
             "--workspace", str(Path(workspace).resolve())]
    if os.name == "nt":
        return subprocess.list2cmdline(parts)
    return "exec " + shlex.join(parts)


def child_environment(code: str | None) -> dict[str, str]:
    """What to add to the environment of every app process."""
    env = {SERVED_ENV: "1"}
    if code:
        env[CODE_HASH_ENV] = hash_code(code)
    return env


def urls(host: str, port: int, public_url: str | None = None) -> list[str]:
    """The addresses to open: the public one, else one per way to reach the host."""
    if public_url:
        return [public_url.rstrip("/") + "/"]
    if host in ("0.0.0.0", "::", ""):
        found = ["127.0.0.1"]
        for address in _own_addresses():
            if address not in found:
                found.append(address)
        return [f"http://{address}:{port}/" for address in found]
    shown = f"[{host}]" if ":" in host else host
    return [f"http://{shown}:{port}/"]


def _own_addresses() -> list[str]:
    """This computer's IPv4 addresses others can reach: the one a default route uses, and
    whatever the host name resolves to (no packet is sent)."""
    import socket

    found = []
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("10.255.255.255", 1))  # picks the outgoing interface only
            found.append(probe.getsockname()[0])
    except OSError:
        pass
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            found.append(info[4][0])
    except OSError:
        pass
    return [a for a in dict.fromkeys(found) if not a.startswith("127.") and a != "0.0.0.0"]
