"""The judge-subject channel: plain data keeps its exact type, and what a hostile side sends
is either plain data of exact types or a ProtocolError, never anything else."""
from __future__ import annotations

import json
import math
import socket
import struct
from collections import OrderedDict, defaultdict

import pytest

from mlquiz.grading import protocol


def round_trip(value, handle_for=None, handle_from=None):
    data = json.dumps({"ok": protocol.encode(value, handle_for)}, allow_nan=True)
    return protocol.loads(data, handle_from)["ok"]


@pytest.mark.parametrize("value", [
    None, True, 0, -7, 2**80, -(2**70), 1.5, "text \udc80 with a lone surrogate", b"\x00\xffbytes",
    [1, [2, [3]]], (1, "two", (3.0,)), {1, 2}, frozenset({"a"}), {"a": 1, "b": [True, None]},
    {1: "int key", (1, 2): "tuple key"}, {"$r": 1, "type": "forged"}, {"$t": [1]}, {},
    [{"round": i, "item": "x", "explored": i % 2 == 0} for i in range(50)],
])
def test_plain_data_comes_back_equal_and_of_the_same_types(value):
    back = round_trip(value)
    assert back == value

    def types(x):
        if isinstance(x, dict):
            return ("dict", sorted((repr(k), types(v)) for k, v in x.items()))
        if isinstance(x, (list, tuple)):
            return (type(x).__name__, [types(i) for i in x])
        return type(x).__name__
    assert types(back) == types(value)


def test_nan_and_infinity_cross():
    back = round_trip([math.nan, math.inf])
    assert math.isnan(back[0]) and back[1] == math.inf


def test_subclasses_and_other_objects_cross_as_handles():
    kept = []

    def handle_for(obj):
        kept.append(obj)
        return {"$r": len(kept), "type": type(obj).__name__}

    class LyingInt(int):
        def __eq__(self, other):
            return True

    sent = [LyingInt(3), OrderedDict(a=1), defaultdict(list), object()]
    back = round_trip(sent, handle_for, handle_from=lambda data: ("handle", data["$r"], data["type"]))
    assert back == [("handle", 1, "LyingInt"), ("handle", 2, "OrderedDict"),
                    ("handle", 3, "defaultdict"), ("handle", 4, "object")]


def test_without_a_handle_maker_a_non_plain_value_is_a_type_error():
    with pytest.raises(TypeError, match="is not plain data"):
        protocol.encode([1, object()])


def test_a_container_holding_itself_crosses_as_a_handle():
    loop = [1]
    loop.append(loop)
    encoded = protocol.encode(loop, lambda obj: {"$r": 9, "type": "list"})
    assert encoded == [1, {"$r": 9, "type": "list"}]


def test_a_request_naming_its_target_is_not_taken_for_a_handle():
    message = protocol.loads('{"op": "type_of", "$r": 3}', lambda data: pytest.fail("not a handle"))
    assert message == {"op": "type_of", "$r": 3}


@pytest.mark.parametrize("text", [
    '{"ok": {"$x": 1}}',                 # an unknown tag
    '{"ok": {"$t": 5}}',                 # a tag whose body is not a list
    '{"ok": {"$s": [[1]]}}',             # an unhashable set member
    '{"ok": {"$d": [[[1], 2]]}}',        # an unhashable key
    '{"ok": {"$d": [[1, 2, 3]]}}',       # a pair that is not a pair
    '{"ok": {"$b": "not base64!"}}',
    '{"ok": {"$i": "zz"}}',
    '{"ok": {"$r": "one"}}',             # a handle that is not a number
    '{"ok": ' + "[" * 100_000 + "]" * 100_000 + "}",  # nested past any stack
    "not json",
])
def test_malformed_data_from_the_other_side_is_a_protocol_error(text):
    with pytest.raises(protocol.ProtocolError):
        protocol.loads(text, handle_from=lambda data: ("handle", data["$r"]))


def test_a_handle_is_refused_where_none_is_expected():
    with pytest.raises(protocol.ProtocolError, match="unexpected handle"):
        protocol.loads('{"plain": {"$r": 1}}')


def test_receive_reads_framed_messages_and_refuses_oversized_ones():
    ours, theirs = socket.socketpair()
    with ours, theirs:
        protocol.send(theirs, {"ok": protocol.encode((1, b"x"))})
        assert protocol.receive(ours) == {"ok": (1, b"x")}
        theirs.sendall(struct.pack(">I", 1 << 30))
        with pytest.raises(protocol.ProtocolError, match="more than"):
            protocol.receive(ours, limit=1 << 20)
        theirs.close()
        with pytest.raises(protocol.ChannelClosed):
            protocol.receive(ours)


def test_an_unknown_handle_is_reported_after_the_whole_frame_is_read():
    ours, theirs = socket.socketpair()
    with ours, theirs:
        protocol.send(theirs, {"op": "call", "args": [{"$r": 7}]})
        protocol.send(theirs, {"op": "next"})

        def handle_from(data):
            raise protocol.UnknownHandle("a handle this test does not have")
        with pytest.raises(protocol.UnknownHandle):
            protocol.receive(ours, handle_from=handle_from)
        assert protocol.receive(ours) == {"op": "next"}  # the channel is still in step
