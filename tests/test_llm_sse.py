"""SSE framing and live coaching extraction hold however the network cuts the bytes."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coach.llm.errors import LLMReplyTooLarge
from coach.llm.sse import SSEParser
from coach.llm.structured import CoachingStream

event_text = st.text(
    alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\r\n"), max_size=40
)


def _feed_in_pieces(parser: SSEParser, blob: bytes, cuts: list[int]) -> list[str]:
    out: list[str] = []
    last = 0
    for cut in sorted(c % (len(blob) + 1) for c in cuts):
        out += parser.feed(blob[last:cut])
        last = cut
    out += parser.feed(blob[last:])
    return out


@settings(max_examples=150, deadline=None)
@given(
    events=st.lists(event_text, max_size=8),
    cuts=st.lists(st.integers(min_value=0), max_size=12),
    crlf=st.booleans(),
)
def test_events_survive_any_chunking(events: list[str], cuts: list[int], crlf: bool) -> None:
    eol = "\r\n" if crlf else "\n"
    blob = "".join(f": ping{eol}data: {e}{eol}{eol}" for e in events).encode()
    parser = SSEParser()
    got = _feed_in_pieces(parser, blob, cuts)
    # An empty data value still makes an event only if it had a data line: all of these do.
    assert got == events
    assert not parser.pending


def test_multi_line_data_is_joined() -> None:
    parser = SSEParser()
    assert parser.feed(b"data: a\ndata: b\nid: 3\n\n") == ["a\nb"]


def test_an_unfinished_event_is_pending() -> None:
    parser = SSEParser()
    assert parser.feed(b'data: {"cho') == []
    assert parser.pending


def test_an_endless_line_is_refused() -> None:
    parser = SSEParser(max_event_bytes=1000)
    with pytest.raises(LLMReplyTooLarge):
        parser.feed(b"data: " + b"x" * 2000)


@settings(max_examples=150, deadline=None)
@given(
    text=st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=60),
    step=st.integers(min_value=1, max_value=9),
    ascii_only=st.booleans(),
)
def test_coaching_stream_decodes_any_string_in_any_pieces(
    text: str, step: int, ascii_only: bool
) -> None:
    reply = '{ "coaching" : ' + json.dumps(text, ensure_ascii=ascii_only) + ', "verdict": "ok"}'
    stream = CoachingStream()
    shown = "".join(stream.feed(reply[i : i + step]) for i in range(0, len(reply), step))
    assert shown == text
