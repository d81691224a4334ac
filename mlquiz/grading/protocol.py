"""The channel between the judge and the sandboxed subject: framed JSON, plain data, handles.

    send(sock, {"op": "call", "$r": 3, "args": encode([1, 2]), "kwargs": encode({})})
    message = receive(sock, handle_from=remote)   # a dict, plain data decoded; or ProtocolError

Plain data crosses with its exact type: None, bool, int, float, str, bytes, list,
tuple, dict, set and frozenset (`type(x) is int`, never a subclass). Anything
else stays in the subject and crosses as a handle, `{"$r": id, "type": name}`;
the receiving side turns that into its object (`handle_from`). JSON has no tuples,
sets or bytes, so those are tagged objects (`{"$t": [...]}`), as is a dict whose
keys are not all strings or include one starting with "$" (`{"$d": [[k, v], ...]}`);
any other dict is a JSON object as it is. A bare JSON array is a list, a bare
string a str. Decoding happens while the JSON is parsed, so whatever arrives is
built only of those exact types, whatever the other side sent.

This module is stdlib only: the subject loads it inside the sandbox from a
read-only copy (the `mlquiz` package itself is not in the subject's view).
"""
from __future__ import annotations

import base64
import json
import struct

MAX_FRAME = 32 << 20  # the judge refuses bigger messages from the subject
MAX_DEPTH = 64  # deeper plain data crosses as a handle
PLAIN_TYPES = (type(None), bool, int, float, str, bytes, list, tuple, dict, set, frozenset)
_SCALARS = frozenset({type(None), bool, str, float})
_HEADER = struct.Struct(">I")
_SMALL_INT = 1 << 62
_TAGS = frozenset({"$i", "$b", "$t", "$s", "$f", "$d"})


class ProtocolError(Exception):
    """The other side sent something that is not a well-formed message."""


class ChannelClosed(ProtocolError):
    """The other side went away (it exited, crashed or was killed)."""


class UnknownHandle(ProtocolError):
    """A well-formed message naming a handle the receiver does not have."""


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


def receive(sock, limit: int = MAX_FRAME, handle_from=None) -> dict:
    """Read one message (a dict) with its plain data decoded (`loads`); ProtocolError when
    it is too big or malformed, UnknownHandle (after the whole frame was read) when
    `handle_from` refuses a handle."""
    (length,) = _HEADER.unpack(_read_exact(sock, _HEADER.size))
    if length > limit:
        raise ProtocolError(f"a message of {length} bytes is more than the {limit} allowed")
    message = loads(_read_exact(sock, length), handle_from)
    if not isinstance(message, dict):
        raise ProtocolError("a message that is not a JSON object")
    return message


# --- plain data --------------------------------------------------------------------------------

def encode(value, handle_for=None, _depth: int = 0, _active: set | None = None):
    """Plain data as JSON-ready values; what is not plain goes to `handle_for(obj) -> dict`.

    The subject passes `handle_for` (it keeps the object and returns `{"$r": id, ...}`);
    the judge passes one that turns its `Remote`s back into `{"$r": id}`. A container
    that contains itself, or nesting deeper than MAX_DEPTH, crosses as a handle.
    Without `handle_for`, such a value is a TypeError.
    """
    kind = type(value)
    if kind in _SCALARS:
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
        # scalars are placed inline: most plain data is lists and dicts of them
        if kind is list:
            return [item if type(item) in _SCALARS else encode(item, handle_for, depth, _active)
                    for item in value]
        if kind is dict:
            plain = {}
            for key, item in value.items():
                if type(key) is not str or key[:1] == "$":
                    break
                plain[key] = item if type(item) in _SCALARS else encode(item, handle_for, depth, _active)
            else:
                return plain
            return {"$d": [[encode(k, handle_for, depth, _active), encode(v, handle_for, depth, _active)]
                           for k, v in value.items()]}
        items = [item if type(item) in _SCALARS else encode(item, handle_for, depth, _active)
                 for item in value]
        return {"$t": items} if kind is tuple else {"$s": items} if kind is set else {"$f": items}
    finally:
        _active.discard(id(value))


def loads(data: bytes | str, handle_from=None):
    """Parse JSON and decode its plain data in the same pass: tagged objects become tuples,
    sets, bytes, big ints and dicts, `{"$r": ...}` becomes `handle_from(obj)`.

    Raises ProtocolError for anything malformed (the other side is not trusted).
    """
    def tagged(obj: dict):
        if len(obj) > 2:
            return obj
        if "$r" in obj:
            if len(obj) == 2 and "type" not in obj:
                return obj  # a request naming its target ({"op": ..., "$r": id})
            if handle_from is None or type(obj["$r"]) is not int:
                raise ProtocolError("an unexpected handle")
            return handle_from(obj)
        if len(obj) != 1:
            return obj
        (tag, body), = obj.items()
        if tag not in _TAGS:
            if tag[:1] == "$":
                raise ProtocolError(f"malformed plain data (an unknown tag {tag[:20]!r})")
            return obj
        if tag == "$i":
            return int(body, 16)
        if tag == "$b":
            return base64.b64decode(body, validate=True)
        if type(body) is not list:
            raise ProtocolError("malformed plain data")
        if tag == "$t":
            return tuple(body)
        if tag == "$s":
            return set(body)
        if tag == "$f":
            return frozenset(body)
        return {key: value for key, value in body}

    if isinstance(data, bytes):
        data = data.decode("utf-8", "surrogatepass")
    try:
        return json.loads(data, object_hook=tagged)
    except ProtocolError:
        raise
    except (ValueError, RecursionError, TypeError, KeyError) as error:
        # not JSON, nested too deeply, bad base64 or hex, unhashable keys, pairs that are not pairs
        raise ProtocolError(f"malformed plain data ({type(error).__name__})") from None
