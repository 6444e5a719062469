"""The cheaper paths of the check outside the text analysis must decide exactly what the plain
way decides: the pronoun search on lowercased ASCII text, the one-pass verdict and advice, the
clamp without min/max, the rewrite's blank clean-up, and the per-class model makers."""

from __future__ import annotations

import math
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coach.analysis.construct import maker, trusted
from coach.analysis.evidence import flag
from coach.analysis.preferences import (
    _AMPM_RE,
    _CLOCK_RE,
    _digit_then_ampm,
    _lowercase_search,
    _matches_where,
    _may_hold_clock,
    _pronoun_hit,
    _pronoun_look,
)
from coach.analysis.stage import RelationshipFacts
from coach.analysis.verdict import (
    _ADVICE_RANK,
    _SPACE_BEFORE_PUNCT_RE,
    _SPACES_RE,
    COURTESY_REVISE,
    PACING_RULES,
    advise,
    pacing_score,
    round3,
    unit3,
    verdict_advice_rewrite,
)
from coach.models import Contact, Flag, Scores

_PIECES = [
    "Dana", "dana", "DANA", "Reyes", "reyes", "xdana", "dana_", "Dan", "Dr.", "O'Neil", "o'neil",
    "al-Sayed", "Jo", "jo2", "he", "He", "HIM", "his", "himself", "Himself", "she", "her",
    "hers", "Herself", "the", "them", "hey", "shed", "h", "s", " ", " ", "  ", ",", ".", "_",
    "'", "1", "\n", "!", "-",
]
# Non-ASCII text takes the plain search after the folded screen; these fold to ASCII letters.
_WIDE = ["\u212a", "\u0130", "\u0131", "\u017f", "é", "👋", "DANA", "Ⅾana", "dAna"]
_NAMES = [
    ("Dana Reyes", "Dana", "she/her"),
    ("Dana Reyes", "", "he/him"),
    ("Sam O'Neil", "", "they/them"),
    ("Jo al-Sayed", "Jo", "she"),
    ("Jo2 Smith", "", "he/him"),
]


@pytest.mark.parametrize(("name", "preferred", "pronouns"), _NAMES)
@settings(max_examples=150, deadline=None)
@given(parts=st.lists(st.sampled_from(_PIECES), max_size=60))
def test_pronoun_search_on_lowercased_ascii_finds_what_the_plain_search_finds(
    name: str, preferred: str, pronouns: str, parts: list[str]
) -> None:
    look = _pronoun_look(name, preferred, pronouns)
    assert look is not None and look.names_low is not None
    text = "".join(parts)
    assert _pronoun_hit(look, text) == _pronoun_hit(look, text, fast=False)


@pytest.mark.parametrize(("name", "preferred", "pronouns"), [*_NAMES, ("Kiss Ins", "", "he")])
@settings(max_examples=150, deadline=None)
@given(parts=st.lists(st.sampled_from(_PIECES + _WIDE + ["kiss", "ins", "Is", "his"]), max_size=40))
def test_pronoun_screen_on_folded_text_keeps_every_match(
    name: str, preferred: str, pronouns: str, parts: list[str]
) -> None:
    look = _pronoun_look(name, preferred, pronouns)
    assert look is not None
    text = "".join(parts)
    assert _pronoun_hit(look, text) == _pronoun_hit(look, text, fast=False)


_WORD_SETS = [("he", "him", "his", "himself"), ("she", "her", "hers", "herself"),
              ("reyes", "dana"), ("dan", "dana", "d'arcy", "jo", "jo2"), ("o'neil", "sam")]


@pytest.mark.parametrize("words", _WORD_SETS)
@settings(max_examples=150, deadline=None)
@given(parts=st.lists(st.sampled_from([p.lower() for p in _PIECES] + ["d'arcy", "hi"]), max_size=50))
def test_lowercase_search_and_its_occurrence_scan_match_the_plain_pattern(
    words: tuple[str, ...], parts: list[str]
) -> None:
    """The grouped pattern finds what `\\b(?:w1|w2|...)\\b` finds, and scanning only where a
    word occurs finds what `finditer` finds."""
    text = "".join(parts)
    rx = _lowercase_search(words)
    assert rx is not None
    plain = re.compile(r"\b(?:" + "|".join(map(re.escape, words)) + r")\b")
    spans = [m.span() for m in plain.finditer(text)]
    assert [m.span() for m in rx.finditer(text)] == spans
    assert [m.span() for m in _matches_where(rx, text, words)] == spans


def test_pronoun_search_examples() -> None:
    look = _pronoun_look("Dana Reyes", "Dana", "she/her")
    assert look is not None
    assert _pronoun_hit(look, "Hi Dana, is he coming?") == (12, 14)
    assert _pronoun_hit(look, "Hi Dana, is the hem ok? Reyes said HIS bit") == (35, 38)
    assert _pronoun_hit(look, "Hi xdana, is he coming?") is None
    assert _pronoun_hit(look, "he said hi to Dana") is None  # only after a mention
    # Not ASCII: the plain search, same answer.
    assert _pronoun_hit(look, "Hi Dana 👋, is he coming?") == (14, 16)
    assert _pronoun_hit(look, "Hi \u212aDana 👋, is he coming?") is None
    kiss = _pronoun_look("Kiss Ins", "", "she")
    assert kiss is not None
    # KELVIN SIGN and LONG S match "k" and "s" case-insensitively: the screen must keep them.
    assert _pronoun_hit(kiss, "\u212aI\u017fs 👋 is he in?") == (10, 12)


_ROUNDING_EDGES = [-0.0, 0.0, 1.0, 0.0005, 0.0015, 0.0025, 0.1235, 0.9995, 0.5004999999999999,
                   0.5005, 2.675, 1e-9, 999999999.9995, 1e9, 5e-324, 0.1 + 0.2]
_FLOATS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(0.0, 1.0),
    st.floats(0.0, 1e4),
    st.integers(0, 10**6).map(lambda n: (n + 0.5) / 1000),  # ties, as near as floats get
    st.sampled_from(_ROUNDING_EDGES),
)


@settings(max_examples=1000)
@given(_FLOATS)
def test_unit3_clamps_and_rounds_like_round_min_max(x: float) -> None:
    assert repr(unit3(x)) == repr(round(min(1.0, max(0.0, x)), 3))


@settings(max_examples=1000)
@given(_FLOATS)
def test_round3_is_round_to_three_places(x: float) -> None:
    assert repr(round3(x)) == repr(round(x, 3))
    assert repr(round3(-x)) == repr(round(-x, 3))


@settings(max_examples=300)
@given(st.text(alphabet=" \t,.!?a\n", max_size=40))
def test_blank_clean_up_same_as_group_substitution(text: str) -> None:
    plain = re.sub(r" +([,.!?])", r"\1", re.sub(r"[ \t]{2,}", " ", text))
    out = text
    if "  " in out or "\t" in out:
        out = _SPACES_RE.sub(" ", out)
    if " ," in out or " ." in out or " !" in out or " ?" in out:
        out = _SPACE_BEFORE_PUNCT_RE.sub("", out)
    assert out == plain


_RULES = [*sorted(PACING_RULES), "curt", "rude-opener", "truncated", "bald-imperative"]


def _plain_verdict(flags: list[Flag], pacing: float, courtesy: float, stage: str) -> str:
    """The verdict as first written: several passes over the flags."""
    severities = {f.severity for f in flags}
    pacing_warns = {f.rule for f in flags if f.severity == "warn" and f.rule in PACING_RULES}
    has_pacing = any(f.rule in PACING_RULES for f in flags)
    impolite = (
        courtesy < COURTESY_REVISE
        and stage not in ("friend", "close")
        and any(f.rule not in PACING_RULES and f.rule != "truncated" for f in flags)
    )
    if "stop" in severities or len(pacing_warns) >= 2:
        return "hold"
    if "warn" in severities or (pacing > 0.5 and has_pacing) or impolite:
        return "revise"
    return "ok"


def _plain_speaker(flags: list[Flag], with_contact: bool) -> Flag | None:
    """The flag whose rule writes the advice, as first written: a dict (the last flag of a
    rule wins) and the lowest rank."""
    by_rule = {f.rule: f for f in flags if f.severity != "info" or not with_contact}
    ranked = [r for r in by_rule if r in _ADVICE_RANK]
    return by_rule[min(ranked, key=_ADVICE_RANK.__getitem__)] if ranked else None


_flags = st.lists(
    st.builds(
        lambda rule, sev, start, n: flag(rule, sev, start, start + n, f"{rule} {start}.", f"e{n}", "s"),
        st.sampled_from(_RULES),
        st.sampled_from(["info", "warn", "stop"]),
        st.integers(0, 30),
        st.integers(0, 5),
    ),
    max_size=6,
)


@settings(max_examples=300, deadline=None)
@given(
    flags=_flags,
    pacing=st.sampled_from([0.0, 0.3, 0.6]),
    courtesy=st.sampled_from([0.1, 0.5]),
    stage=st.sampled_from(["introduced", "acquaintance", "friend"]),
    with_contact=st.booleans(),
)
def test_one_pass_verdict_and_advice_match_the_plain_passes(
    flags: list[Flag], pacing: float, courtesy: float, stage: str, with_contact: bool
) -> None:
    contact = Contact(name="Dana Reyes") if with_contact else None
    facts = RelationshipFacts(name="Dana", computed=stage)  # type: ignore[arg-type]
    draft = "Hi hun, how are your kids? I never heard back. Call me at 5pm, like old friends."
    verdict, _, _ = verdict_advice_rewrite(
        draft, flags, pacing, courtesy, facts, contact, None, facts.stage
    )
    assert verdict == _plain_verdict(flags, pacing, courtesy, stage)
    speaker = _plain_speaker(flags, with_contact)
    line = advise(verdict, flags, facts, contact, courtesy)
    # The lines that quote the speaking flag tell which flag of its rule spoke.
    if speaker is not None and speaker.rule == "chasing":
        assert line == f"Wait for their reply: {speaker.evidence}."
    if speaker is not None and speaker.rule == "quiet-hours":
        assert line == f"Send it later: {speaker.message[0].lower() + speaker.message[1:]}."
    if speaker is not None and speaker.rule.startswith("preference-"):
        name = "Dana" if with_contact else "them"
        assert line == f"Go with what {name} asked for: {speaker.evidence}."
    if speaker is None:
        firsts = [f for f in flags if f.severity != "info"]
        if firsts:
            first = firsts[0].message.rstrip(" .")
            assert line == f"Soften the wording: {first[:1].lower()}{first[1:]}."


def test_maker_builds_what_model_construct_builds() -> None:
    make = maker(Scores, ("courtesy", "intimacy", "pacing"))
    a = make({"courtesy": 0.5, "intimacy": 0.1, "pacing": 0.0})
    b = Scores.model_construct(courtesy=0.5, intimacy=0.1, pacing=0.0)
    assert a == b and a.model_fields_set == b.model_fields_set
    assert a.model_dump() == b.model_dump() and a.__pydantic_extra__ is None
    assert trusted(Scores, {"courtesy": 0.5, "intimacy": 0.1, "pacing": 0.0}) == a
    # Each instance has its own fields set (copied from the maker's): pydantic adds to it.
    c = make({"courtesy": 0.2, "intimacy": 0.1, "pacing": 0.0})
    assert c.__pydantic_fields_set__ is not a.__pydantic_fields_set__
    assert c.model_copy(update={"pacing": 1.0}).pacing == 1.0 and c.pacing == 0.0
    with pytest.raises(TypeError):
        maker(Scores, ("intimacy", "courtesy", "pacing"))


def test_clamp_edges() -> None:
    assert unit3(math.nan) == 0.0 and repr(unit3(-0.0)) == "0.0" and unit3(7.0) == 1.0
    assert unit3(0.7255) == round(0.7255, 3) and round3(12.3456) == 12.346


@settings(max_examples=400)
@given(st.lists(st.sampled_from(["1", "12", "9", ":", ":30", " ", "\u2003", "a", "P", "m", ".",
                                 "M", "x", "at", "pm", "a.m.", "minutes", "٣"]), max_size=12))
def test_clock_screen_keeps_every_clock_time(parts: list[str]) -> None:
    text = "".join(parts)
    if _CLOCK_RE.search(text):
        assert _may_hold_clock(text)


@settings(max_examples=500)
@given(st.lists(st.sampled_from(["0", "5", "9", ":", " ", "a", "P", "m", "M", ".", "x", "٣", "²",
                                 "é", "pm", "12", "\n", "\u2003", "am", "A.M", "ſ"]), max_size=14))
def test_clock_screen_is_the_plain_digit_then_colon_or_ampm_test(parts: list[str]) -> None:
    text = "".join(parts)
    plain = re.search(r"\d", text) is not None and (
        ":" in text or re.search(r"\d\s*[ap]\.?m", text, re.IGNORECASE) is not None
    )
    assert _may_hold_clock(text) == plain


@settings(max_examples=500)
@given(st.lists(st.sampled_from(["7", "٣", " ", "\u2003", "\n", "a", "A", "p", "P", ".", "m", "M",
                                 "x", "ſ", "é", "am"]), max_size=10))
def test_ampm_read_backwards_is_the_ampm_pattern(parts: list[str]) -> None:
    text = "".join(parts)
    assert _digit_then_ampm(text) == (_AMPM_RE.search(text) is not None)


def test_clock_screen_examples() -> None:
    assert not _may_hold_clock("get me 30 minutes on their calendar this week")
    assert _may_hold_clock("call at 9pm?") and _may_hold_clock("at 21:30") and _may_hold_clock("7 a.m.")


def _plain_pacing_score(severities: list[str], intimacy: float, stage: str) -> float:
    weights = {"info": 0.08, "warn": 0.35, "stop": 0.7}
    allowed = {"stranger": 0.25, "introduced": 0.35, "acquaintance": 0.5, "friend": 0.7, "close": 0.9}
    keep = 1.0
    for s in severities:
        keep *= 1.0 - weights[s]
    excess = max(0.0, intimacy - allowed.get(stage, 0.35))
    keep *= 1.0 - min(0.45, excess * 2.0)
    return round(min(1.0, max(0.0, 1.0 - keep)), 3)


@given(
    severities=st.lists(st.sampled_from(["info", "warn", "stop"]), max_size=4),
    intimacy=st.one_of(st.floats(-1, 2), st.sampled_from([math.nan, -0.0, 0.0, 0.5, 0.725])),
    stage=st.sampled_from(["stranger", "introduced", "acquaintance", "friend", "close"]),
)
def test_pacing_score_without_min_max_calls(severities: list[str], intimacy: float, stage: str) -> None:
    flags = [flag("big-ask", s, 0, 1, "m", "e", "s") for s in severities]  # type: ignore[arg-type]
    got = pacing_score(flags, intimacy, stage)
    assert repr(got) == repr(_plain_pacing_score(severities, intimacy, stage))


def test_facts_read_the_public_override_and_sort_by_time() -> None:
    """compute_facts reads each interaction's fields straight from the model: the `public`
    override must still win over the channel, and the history is taken in time order."""
    from datetime import UTC, datetime, timedelta

    from coach.analysis.stage import compute_facts
    from coach.models import Interaction

    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    its = [
        Interaction(direction="out", at=t0 + timedelta(days=2), channel="dm"),
        Interaction(direction="in", at=t0 + timedelta(days=1), channel="email", public=True),
        Interaction(direction="in", at=t0 + timedelta(days=3), channel="comment", text="ok!"),
    ]
    f = compute_facts(Contact(name="Dana", interactions=its))
    assert f.public_share == 2 / 3  # the email marked public and the comment
    assert f.their_max_privacy == 0 and f.my_max_privacy == 1
    assert f.first_private == "me"
    assert f.exchanges == 2 and f.last_in == t0 + timedelta(days=3) and f.unanswered == 0
    assert f.typical_reply == timedelta(days=1)  # day 2 answered on day 3: in time order
