"""The channel between the judge and the sandboxed subject: framed JSON, plain data, handles.

    send(sock, {"op": "call", "target": 3, "args": encode([1, 2]), "kwargs": encode({})})
    message = receive(sock, limit=MAX_FRAME)          # a dict, or ProtocolError

Plain data crosses with its exact type: None, bool, int, float, str, bytes, list,
tuple, dict, set and frozenset (`type(x) is int`, never a subclass). Anything
else stays in the subject and crosses as a handle, `{"$r": id, "type": name}`;
the judge turns that into a `Remote`. JSON has no tuples, sets or bytes, so
those (and every dict, whose keys may be any plain value) are tagged objects.
A bare JSON array is a list, a bare string a str.

This module is stdlib only: the subject loads it inside the sandbox from a
read-only copy (the `mlquiz` package itself is not in the subject's view).
"""
from __future__ import annotations

import base64
import json
import struct

MAX_FRAME = 32 << 20  # the judge refuses bigger messages from the subject
MAX_DEPTH = 64  # deeper plain data crosses as a handle (subject) or is refused (judge)
PLAIN_TYPES = (type(None), bool, int, float, str, bytes, list, tuple, dict, set, frozenset)
_HEADER = struct.Struct(">I")
_SMALL_INT = 1 << 62


class ProtocolError(Exception):
    """The other side sent something that is not a well-formed message."""


class ChannelClosed(ProtocolError):
    """The other side went away (it exited, crashed or was killed)."""


# --- framing ---------------------------------------------------------------------------------

def send(sock, message: dict) -> None:
    """Write one message; `allow_nan` keeps float('nan') and inf as they are."""
    data = json.dumps(message, allow_nan=True, separators=(",", ":")).encode("utf-8")
    sock.sendall(_HEADER.pack(len(data)) + data)


def _read_exact(sock, count: int) -> bytes:
    chunks, left = [], count
    while left:
        chunk = sock.recv(min(left, 1 << 20))
        if not chunk:
            raise ChannelClosed("the other side closed the channel")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def receive(sock, limit: int = MAX_FRAME) -> dict:
    """Read one message (a dict); ProtocolError when it is too big or not JSON."""
    (length,) = _HEADER.unpack(_read_exact(sock, _HEADER.size))
    if length > limit:
        raise ProtocolError(f"a message of {length} bytes is more than the {limit} allowed")
    data = _read_exact(sock, length)
    try:
        message = json.loads(data.decode("utf-8", "surrogatepass"))
    except (ValueError, RecursionError) as error:
        raise ProtocolError(f"a message that is not JSON: {error}") from None
    if not isinstance(message, dict):
        raise ProtocolError("a message that is not a JSON object")
    return message


# --- plain data --------------------------------------------------------------------------------

def encode(value, handle_for=None, _depth: int = 0, _active: set | None = None):
    """Plain data as JSON-ready values; what is not plain goes to `handle_for(obj) -> dict`.

    The subject passes `handle_for` (it keeps the object and returns `{"$r": id, ...}`);
    the judge passes one that turns its `Remote`s back into `{"$r": id}`. A container
    that contains itself, or nesting deeper than MAX_DEPTH, crosses as a handle.
    """
    kind = type(value)
    if value is None or kind is bool or kind is str or kind is float:
        return value
    if kind is int:
        return value if -_SMALL_INT < value < _SMALL_INT else {"$i": format(value, "x")}
    if kind is bytes:
        return {"$b": base64.b64encode(value).decode("ascii")}
    if _active is None:
        _active = set()
    if _depth >= MAX_DEPTH or kind not in PLAIN_TYPES or id(value) in _active:
        if handle_for is None:
            raise TypeError(f"{kind.__qualname__} is not plain data")
        return handle_for(value)
    _active.add(id(value))
    depth = _depth + 1
    try:
        if kind is list:
            return [encode(item, handle_for, depth, _active) for item in value]
        if kind is dict:
            return {"$d": [[encode(k, handle_for, depth, _active), encode(v, handle_for, depth, _active)]
                           for k, v in value.items()]}
        items = [encode(item, handle_for, depth, _active) for item in value]
        return {"$t": items} if kind is tuple else {"$s": items} if kind is set else {"$f": items}
    finally:
        _active.discard(id(value))


def decode(data, handle_from=None, _depth: int = 0):
    """The inverse of `encode`; `handle_from(dict) -> object` for `{"$r": ...}` entries.

    Raises ProtocolError for anything malformed (the subject is not trusted).
    """
    if _depth > MAX_DEPTH + 2:
        raise ProtocolError("plain data nested too deeply")
    kind = type(data)
    if data is None or kind in (bool, str, int, float):
        return data
    if kind is list:
        return [decode(item, handle_from, _depth + 1) for item in data]
    if kind is not dict or len(data) not in (1, 2):
        raise ProtocolError("malformed plain data")
    try:
        if "$r" in data:
            if handle_from is None or type(data["$r"]) is not int:
                raise ProtocolError("an unexpected handle")
            return handle_from(data)
        (tag, body), = data.items()
        if tag == "$i":
            return int(body, 16)
        if tag == "$b":
            return base64.b64decode(body, validate=True)
        items = [decode(item, handle_from, _depth + 1) for item in body]
        if tag == "$t":
            return tuple(items)
        if tag == "$s":
            return set(items)
        if tag == "$f":
            return frozenset(items)
        if tag == "$d":
            return {key: value for key, value in items}
    except ProtocolError:
        raise
    except Exception as error:  # noqa: BLE001 - wrong shapes, unhashable keys, bad base64
        raise ProtocolError(f"malformed plain data ({type(error).__name__})") from None
    raise ProtocolError("malformed plain data")
