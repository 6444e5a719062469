"""Structured output and the hybrid merge: the schema, tolerant extraction, live coaching text,
flags located by quote, a verdict never softer than offline, minimal rewrites and their diff."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coach.diffing import render_diff, word_diff
from coach.llm.errors import LLMBadReply
from coach.llm.merge import is_minimal_edit, locate, merge
from coach.llm.structured import (
    CoachingStream,
    LLMFlag,
    LLMReply,
    extract_json,
    parse_reply,
    reply_schema,
    response_format,
)
from coach.models import CheckResult, Flag

DRAFT = "Hey Dana, how is your family doing? Thanks for the kind words on the launch!"


def _strings(node: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        if node.get("type") == "string":
            found.append(node)
        for value in node.values():
            found += _strings(value)
    elif isinstance(node, list):
        for value in node:
            found += _strings(value)
    return found


def test_schema_bounds_every_string_and_closes_objects() -> None:
    schema = reply_schema(draft_len=100)
    strings = _strings(schema)
    assert strings and all("maxLength" in s or "enum" in s for s in strings)
    assert schema["additionalProperties"] is False
    assert set(schema["required"]) == {"coaching", "verdict", "flags", "rewrite", "advice"}
    assert "$defs" not in schema and "$ref" not in str(schema)
    rewrite = next(o for o in schema["properties"]["rewrite"]["anyOf"] if o["type"] == "string")
    assert rewrite["maxLength"] == 170  # bounded by the draft: 100 * 1.3 + 40
    assert next(iter(schema["properties"])) == "coaching"  # streams first


def test_response_format_variants() -> None:
    assert response_format("json_schema")["json_schema"]["strict"] is True  # type: ignore[index]
    assert response_format("json_object") == {"type": "json_object"}
    assert response_format("text") is None


@pytest.mark.parametrize(
    "text",
    [
        '{"verdict": "revise"}',
        'Sure! Here you go:\n```json\n{"verdict": "revise",}\n```\nHope it helps.',
        'Result: {"verdict": "revise", "coaching": "a } in a string"} trailing words',
    ],
)
def test_extract_json_tolerates_prose_fences_and_trailing_commas(text: str) -> None:
    data = extract_json(text)
    assert data is not None and data["verdict"] == "revise"


def test_parse_reply_reports_what_is_wrong() -> None:
    with pytest.raises(LLMBadReply, match="no JSON object"):
        parse_reply("I think it's fine.")
    with pytest.raises(LLMBadReply, match="verdict"):
        parse_reply('{"verdict": "maybe"}')
    reply = parse_reply('{"verdict": "ok", "flags": [1, {"quote": "x y", "rule": "r"}]}')
    assert [f.quote for f in reply.flags] == ["x y"]


def test_coaching_stream_emits_only_the_coaching_text() -> None:
    whole = '{"coaching": "Ask less, \\"listen\\" more\\n\\u00e9t\\u00e9", "verdict": "ok"}'
    stream = CoachingStream()
    out = "".join(stream.feed(whole[i : i + 3]) for i in range(0, len(whole), 3))
    assert out == 'Ask less, "listen" more\nété'


def test_coaching_stream_passes_plain_text_through() -> None:
    stream = CoachingStream()
    assert stream.feed("Looks ") + stream.feed("fine.") == "Looks fine."


def test_locate_by_quote() -> None:
    assert locate(DRAFT, "how is your family doing?") == (10, 35)
    assert locate(DRAFT, "HOW IS YOUR FAMILY") == (10, 28)
    assert locate(DRAFT, "where do you live") is None
    assert locate(DRAFT, "x") is None


def _offline(verdict: str = "ok", flags: list[Flag] | None = None) -> CheckResult:
    return CheckResult(verdict=verdict, flags=flags or [], advice="Wait for their reply.")


def test_merge_keeps_offline_flags_and_adds_located_llm_flags() -> None:
    offline_flag = Flag(rule="personal-question", start=10, end=35, severity="stop")
    reply = LLMReply(
        verdict="ok",
        flags=[
            LLMFlag(quote="how is your family", rule="Too Personal!", severity="warn"),  # dup
            LLMFlag(quote="Thanks for the kind words", rule="gratitude", severity="info"),
            LLMFlag(quote="words that are not there", rule="made-up"),
            LLMFlag(quote="Thanks for the kind", rule="gratitude", severity="info"),  # dup
        ],
        advice="Lead with the thanks.",
    )
    merged = merge(_offline("hold", [offline_flag]), reply, DRAFT, "m1")
    assert merged.engine == "llm:m1"
    assert merged.flags[0] == offline_flag
    added = merged.flags[1:]
    assert [(f.rule, f.start, f.end, f.source) for f in added] == [("gratitude", 36, 61, "llm:m1")]
    assert merged.verdict == "hold"  # never softer than the offline hold
    assert merged.advice == "Wait for their reply. Lead with the thanks."


def test_llm_can_raise_to_hold_only_with_a_located_stop_flag() -> None:
    unsupported = LLMReply(verdict="hold")
    assert merge(_offline(), unsupported, DRAFT, "m").verdict == "revise"
    supported = LLMReply(
        verdict="hold", flags=[LLMFlag(quote="your family", rule="family", severity="stop")]
    )
    assert merge(_offline(), supported, DRAFT, "m").verdict == "hold"


def test_rewrite_kept_only_when_minimal() -> None:
    minimal = "Hey Dana, thanks for the kind words on the launch!"
    assert is_minimal_edit(DRAFT, minimal)
    merged = merge(_offline(), LLMReply(rewrite=minimal), DRAFT, "m")
    assert merged.rewrite == minimal
    voiceless = "Dear Ms. Reyes, we deeply appreciate your valued feedback regarding our release."
    assert not is_minimal_edit(DRAFT, voiceless)
    assert merge(_offline(), LLMReply(rewrite=voiceless), DRAFT, "m").rewrite is None
    assert not is_minimal_edit(DRAFT, DRAFT)
    assert not is_minimal_edit(DRAFT, DRAFT + " " + "and more " * 20)


def test_word_diff_reconstructs_both_texts() -> None:
    rewrite = "Hey Dana, thanks for the kind words on the launch!"
    ops = word_diff(DRAFT, rewrite)
    assert "".join(t for op, t in ops if op != "+") == DRAFT
    assert "".join(t for op, t in ops if op != "-") == rewrite
    assert "[-how is your family doing? Thanks-]{+thanks+}" in render_diff(DRAFT, rewrite)


def test_reasoning_is_skipped_and_the_object_with_a_verdict_wins() -> None:
    reply = (
        '<think>They want {"a": 1}. Should I flag it?</think>\n'
        'Here is my answer: {"note": "x"} and {"verdict": "revise", "coaching": "Ask later."}'
    )
    parsed = parse_reply(reply)
    assert parsed.verdict == "revise" and parsed.coaching == "Ask later."


def test_an_object_without_a_verdict_is_rejected() -> None:
    with pytest.raises(LLMBadReply, match="no verdict"):
        parse_reply('{"coaching": "fine"}')


@pytest.mark.parametrize("step", [1, 2, 3, 50])
def test_coaching_stream_hides_reasoning(step: int) -> None:
    reply = '<think>hmm {"coaching": "no"}</think>\n{"coaching": "Yes, send it.", "verdict": "ok"}'
    stream = CoachingStream()
    shown = "".join(stream.feed(reply[i : i + step]) for i in range(0, len(reply), step))
    assert shown == "Yes, send it."


@pytest.mark.parametrize("step", [1, 3, 50])
def test_coaching_stream_plain_text_keeps_its_first_characters(step: int) -> None:
    reply = "<b>Looks</b> fine."
    stream = CoachingStream()
    assert "".join(stream.feed(reply[i : i + step]) for i in range(0, len(reply), step)) == reply


def test_model_text_is_cleaned_of_control_characters() -> None:
    reply = LLMReply(
        verdict="revise",
        advice="Wait\x1b[2J for\n their   reply.\x07",
        flags=[LLMFlag(quote="your family", rule="family", message="Too\x1b]0;x\x07 soon\n")],
        rewrite="Hey Dana, thanks for the kind words on the launch!\x00\n",
    )
    merged = merge(_offline(), reply, DRAFT, "m")
    # The escape character goes (a terminal would obey it); the printable rest stays.
    assert merged.advice == "Wait for their reply. Wait[2J for their reply."
    assert merged.flags[-1].message == "Too]0;x soon"
    assert merged.rewrite == "Hey Dana, thanks for the kind words on the launch!"


_RANK = {"ok": 0, "revise": 1, "hold": 2}


@settings(max_examples=200, deadline=None)
@given(
    verdict=st.sampled_from(["ok", "revise", "hold"]),
    offline_verdict=st.sampled_from(["ok", "revise", "hold"]),
    quotes=st.lists(st.one_of(st.text(max_size=30), st.sampled_from(DRAFT.split())), max_size=6),
    severity=st.sampled_from(["info", "warn", "stop"]),
    rewrite=st.one_of(st.none(), st.text(max_size=120)),
)
def test_merge_invariants(
    verdict: str, offline_verdict: str, quotes: list[str], severity: str, rewrite: str | None
) -> None:
    offline_flag = Flag(rule="personal-question", start=10, end=35)
    reply = LLMReply.model_validate(
        {
            "verdict": verdict,
            "flags": [{"quote": q, "rule": "r", "severity": severity} for q in quotes],
            "rewrite": rewrite,
        }
    )
    merged = merge(_offline(offline_verdict, [offline_flag]), reply, DRAFT, "m")
    assert offline_flag in merged.flags  # evidence-backed flags stay
    assert _RANK[merged.verdict] >= _RANK[offline_verdict]  # never softer
    for flag in merged.flags:
        assert 0 <= flag.start < flag.end <= len(DRAFT)  # every span is inside the draft
    assert merged.rewrite is None or is_minimal_edit(DRAFT, merged.rewrite)
