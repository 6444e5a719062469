"""From flags to a decision: the pacing score, the verdict (ok / revise / hold), one line of
advice (with timing) and a minimal rewrite that removes rather than adds. Also the `curt` flag
(info): the finding behind a low courtesy score on a request when no other flag explains it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from coach.analysis.emoji import SENDS_EMOJI
from coach.analysis.evidence import flag
from coach.analysis.stage import RelationshipFacts
from coach.analysis.topics import sentence_bounds
from coach.models import Contact, Flag, Mute, Verdict

# What one flag adds to the pacing score (combined as independent chances of "too fast").
_SEVERITY_WEIGHT = {"info": 0.08, "warn": 0.35, "stop": 0.7}
# How personal a draft may read on its own at each stage before that alone counts as too fast.
_INTIMACY_ALLOWED = {
    "stranger": 0.25,
    "introduced": 0.35,
    "acquaintance": 0.5,
    "friend": 0.7,
    "close": 0.9,
}
_INTIMACY_ALONE_MAX = 0.45
COURTESY_REVISE = 0.3  # below this, most readers would rate the message impolite
# Close enough that plain words are the norm: between friends "Bring pizza" is no imposition
# (Brown & Levinson: the weight of an act grows with social distance).
_PLAIN_SPOKEN_STAGES = frozenset({"friend", "close"})
PACING_RULES = frozenset(
    {
        "depth-jump",
        "disclosure-asymmetry",
        "personal-question",
        "endearment",
        "presumed-closeness",
        "big-ask",
        "chasing",
        "one-sided",
        "channel-escalation",
        "private-reshare",
        "researched-fact",
        "preference-name",
        "preference-pronouns",
        "preference-topic",
        "preference-channel",
        "quiet-hours",
        "stage-mismatch",
    }
)

# Advice, most urgent first: the first rule present writes the line.
_ADVICE_ORDER = (
    "chasing",
    "quiet-hours",
    "preference-topic",
    "preference-channel",
    "preference-name",
    "preference-pronouns",
    "private-reshare",
    "personal-question",
    "depth-jump",
    "disclosure-asymmetry",
    "researched-fact",
    "channel-escalation",
    "big-ask",
    "endearment",
    "presumed-closeness",
)
_ADVICE_RANK = {rule: n for n, rule in enumerate(_ADVICE_ORDER)}
_REMOVE_SENTENCE = frozenset(
    {
        "personal-question",
        "depth-jump",
        "preference-topic",
        "disclosure-asymmetry",
        "chasing",
        "researched-fact",
        "channel-escalation",
        "preference-channel",
        "private-reshare",
    }
)
_GUILT_HINTS = (
    "still waiting",
    "bumping",
    "following up",
    "did you even",
    "did you get a chance",
    "haven't heard",
    "havent heard",
    "not sure if you saw",
    "in case you missed",
    "circling back",
    "per my last",
    "you never replied",
    "ignoring me",
)
_GREETING_BEFORE_RE = re.compile(
    r"(?:hi|hey|hello|hiya|dear|thanks|thank you|morning)[ \t]*,?[ \t]*$", re.IGNORECASE
)


def apply_mutes(flags: Iterable[Flag], mutes: Sequence[Mute], contact_id: str | None) -> list[Flag]:
    """Drop muted rules: global mutes, and this contact's."""
    if not mutes:
        return list(flags)
    muted = {m.rule for m in mutes if m.contact_id is None or m.contact_id == contact_id}
    return [f for f in flags if f.rule not in muted]


def intimacy_allowed(stage: str) -> float:
    """How personal a draft may read at `stage` before that alone starts to count as too fast."""
    return _INTIMACY_ALLOWED.get(stage, 0.35)


def pacing_score(pacing_flags: Iterable[Flag], intimacy: float, stage: str) -> float:
    keep = 1.0
    for f in pacing_flags:
        keep *= 1.0 - _SEVERITY_WEIGHT.get(f.severity, 0.0)
    # max(0.0, x) and min(cap, x) as conditionals (the same values, NaN included, without the
    # builtin calls).
    excess = intimacy - _INTIMACY_ALLOWED.get(stage, 0.35)
    excess = excess * 2.0 if excess > 0.0 else 0.0
    # How personal the text reads adds to the score but never alone makes it "too fast": only
    # a flag a person can see does that.
    keep *= 1.0 - (excess if excess < _INTIMACY_ALONE_MAX else _INTIMACY_ALONE_MAX)
    return unit3(1.0 - keep)


# 1.5 * 2**52: for 0 <= z < 2**51, `(z + _WHOLE) - _WHOLE` is z rounded to a whole number (ties
# to even), in two float additions.
_WHOLE = 6755399441055744.0


def round3(x: float) -> float:
    """`round(x, 3)` for a float, the same value, without `round`'s decimal conversion (it
    costs about as much as the rest of a check's scoring). For 0 < x < 1e9 whose x * 1000 is
    not within 0.01 of a tie, the rounded whole number n of x * 1000 is the one `round` finds
    (the product is exact to ~1e-4 there) and n / 1000, one correctly rounded division, is the
    double nearest n/1000, as `round`'s decimal string read back is. Anything else (zero,
    negatives, huge, near ties, NaN) goes to `round` itself."""
    if 0.0 < x < 1e9:
        z = x * 1000.0
        n = (z + _WHOLE) - _WHOLE
        d = z - n
        if -0.49 < d < 0.49:
            return n / 1000.0
    return round(x, 3)


def unit3(x: float) -> float:
    """`round(min(1.0, max(0.0, x)), 3)` for a float (NaN and -0.0 become 0.0): a score as the
    result carries it."""
    if 0.0 < x < 1.0:
        return round3(x)
    return 1.0 if x >= 1.0 else 0.0


def verdict_advice_rewrite(
    draft: str,
    flags: Sequence[Flag],
    pacing: float,
    courtesy: float,
    facts: RelationshipFacts,
    contact: Contact | None,
    sentences: list[tuple[int, int]] | None,
    stage: str,
) -> tuple[Verdict, str, str | None]:
    """The verdict, the advice and the rewrite, as a tuple (the check reads each once).
    `sentences`: `sentence_bounds(draft)` when the caller already has it; `stage`:
    `facts.stage`."""
    if not flags:
        # Nothing found (most checks): nothing to revise, hold or rewrite, and no flag to
        # advise on; this is what the loops below come to.
        if contact is not None and facts.unanswered >= 1:
            return "ok", "Fine to send; then wait for their reply before writing again.", None
        return "ok", "Good to send.", None
    # One pass over the flags gathers everything the verdict reads.
    stop = warn = has_pacing = courtesy_finding = False
    pacing_warns: set[str] = set()
    for f in flags:
        severity, rule = f.severity, f.rule
        if severity == "stop":
            stop = True
        elif severity == "warn":
            warn = True
        if rule in PACING_RULES:
            has_pacing = True
            if severity == "warn":
                pacing_warns.add(rule)
        elif rule != "truncated":
            courtesy_finding = True
    if stop or len(pacing_warns) >= 2:
        # Two different ways of running ahead at once is "too much, too soon".
        verdict: Verdict = "hold"
    elif warn or (pacing > 0.5 and has_pacing) or _impolite(courtesy, courtesy_finding, stage):
        verdict = "revise"
    else:
        verdict = "ok"
    return (
        verdict,
        advise(verdict, flags, facts, contact, courtesy),
        rewrite(draft, flags, contact, sentences) if verdict != "ok" else None,
    )


def _impolite(courtesy: float, courtesy_finding: bool, stage: str) -> bool:
    """A low courtesy score revises a message only with a courtesy finding the user can see
    (`courtesy_finding`: a flag of a rule that is neither pacing nor `truncated`: an
    imperative, a rude opener, "actually", negative words, or `curt` on a request with
    nothing else to point at), and never at a stage where plain words are the norm. A muted
    rule counts as not seen: muting `curt` lets a curt request through."""
    return courtesy_finding and courtesy < COURTESY_REVISE and stage not in _PLAIN_SPOKEN_STAGES


def curt_flag(text: str, courtesy: float, courtesy_flags: Sequence[Flag], stage: str,
              sentences: list[tuple[int, int]] | None = None) -> Flag | None:
    """The finding behind a low score when no other courtesy flag explains it: a question or
    request (what the score is calibrated on: readers' ratings of requests) that most readers
    would rate impolite. A plain statement ("See you then.") gets none."""
    if (courtesy >= COURTESY_REVISE or stage in _PLAIN_SPOKEN_STAGES or courtesy_flags
            or "?" not in text):
        return None
    for s, e in sentences if sentences is not None else sentence_bounds(text):
        if "?" in text[s:e]:
            while s < e and text[s].isspace():
                s += 1
            return flag(
                "curt", "info", s, e,
                "Reads curt: most people would rate this request impolite. A greeting, a thanks "
                "or a 'could you' softens it.",
                f"courtesy {courtesy:.2f}: about the share of readers who would rate it polite "
                f"(below {COURTESY_REVISE:.2f} is revised)",
                "Danescu-Niculescu-Mizil et al. 2013",
            )
    return None


def advise(
    verdict: Verdict,
    flags: Sequence[Flag],
    facts: RelationshipFacts,
    contact: Contact | None,
    courtesy: float,
) -> str:
    name = facts.name if contact is not None else "them"
    # One pass: the most urgent rule present writes the line (with contact, info flags do not
    # count; with none, the pacing findings are notes only but still the best advice there
    # is). Of several flags of that rule the last one speaks; failing any, the first flag
    # that is not a note.
    f: Flag | None = None
    rank = len(_ADVICE_ORDER)
    first_finding: Flag | None = None
    for g in flags:
        if g.severity != "info":
            if first_finding is None:
                first_finding = g
        elif contact is not None:
            continue
        r = _ADVICE_RANK.get(g.rule)
        if r is not None and r <= rank:  # `<=`: a later flag of the same rule replaces the earlier one
            rank, f = r, g
    if f is not None:
        rule = f.rule
        if rule == "chasing":
            return f"Wait for their reply: {f.evidence}."
        if rule == "quiet-hours":
            return f"Send it later: {f.message[0].lower() + f.message[1:]}."
        if rule.startswith("preference-"):
            return f"Go with what {name} asked for: {f.evidence}."
        if rule == "private-reshare":
            return "Keep what they told you in private out of public; say it in a private message if at all."
        if rule in ("personal-question", "depth-jump"):
            return f"Let {name} raise that first; ask about something they have already shared."
        if rule == "disclosure-asymmetry":
            return f"Share less for now; let {name} set the depth."
        if rule == "researched-fact":
            return "Mention only what they have told you themselves."
        if rule == "channel-escalation":
            return "Stay on the channel they use until they suggest another."
        if rule == "big-ask":
            return "Make the ask smaller and easy to decline, or build the relationship first."
        if rule == "endearment":
            emoji = {g.message.startswith(SENDS_EMOJI) for g in flags if g.rule == "endearment"}
            if emoji == {True}:
                return "Leave the kisses and hearts out until they send them."
            if True in emoji:
                return "Use their name instead of the nickname, and leave the kisses and hearts out."
            return "Use their name instead of the nickname."
        if rule == "presumed-closeness":
            return "Let the closeness come from them; drop the phrase."
    if first_finding is not None:
        first = first_finding.message.rstrip(" .")
        return f"Soften the wording: {first[:1].lower()}{first[1:]}."
    if verdict != "ok":
        if courtesy < COURTESY_REVISE:
            return "Soften the wording: a greeting, a thank-you or a 'could you' reads warmer."
        return "It reads more personal than this relationship is yet; tone it down a little."
    if contact is not None and facts.unanswered >= 1:
        return "Fine to send; then wait for their reply before writing again."
    return "Good to send."


def rewrite(
    draft: str,
    flags: Sequence[Flag],
    contact: Contact | None,
    sentences: list[tuple[int, int]] | None = None,
) -> str | None:
    """The smallest edit that answers the flags: drop the sentence or the words; swap a
    nickname for the name they use. None when nothing would change or nothing would be left.
    `sentences`: `sentence_bounds(draft)` when the caller already has it."""
    chasing = False
    edits: list[tuple[int, int, str]] = []
    bounds = sentences
    for f in flags:
        # Each field read once (a pydantic model's attribute reads are slow ones).
        rule, severity = f.rule, f.severity
        if rule == "chasing":
            if severity == "stop":
                return None  # the fix is not sending it now, not different words
            chasing = True
        if severity == "info":
            continue
        start, end = f.start, f.end
        if end <= start:
            continue
        if rule in _REMOVE_SENTENCE or rule == "presumed-closeness":
            bounds = bounds if bounds is not None else sentence_bounds(draft)
            for s, e in bounds:
                if s <= start < e:
                    if rule == "presumed-closeness":
                        edits.append(_clause(draft, s, e, start, end))
                    else:
                        edits.append(_whole(draft, s, e))
                    break
        elif rule in ("endearment", "preference-name"):
            edits.append(_swap_name(draft, f, contact))
    if chasing:
        # Every sentence with guilt phrasing goes, not just the one the flag points at.
        bounds = bounds if bounds is not None else sentence_bounds(draft)
        low = draft.lower()
        for s, e in bounds:
            if any(p in low[s:e] for p in _GUILT_HINTS):
                edits.append(_whole(draft, s, e))
    if not edits:
        return None
    edits.sort()
    merged: list[tuple[int, int, str]] = []
    for s, e, r in edits:
        if merged and s < merged[-1][1]:
            ps, pe, pr = merged[-1]
            merged[-1] = (ps, max(pe, e), pr)
            continue
        merged.append((s, e, r))
    out = draft
    for s, e, r in reversed(merged):
        out = out[:s] + r + out[e:]
    # Each pattern needs a blank to match: the C substring tests spare most calls to `re`.
    if "  " in out or "\t" in out:
        out = _SPACES_RE.sub(" ", out)
    if " ," in out or " ." in out or " !" in out or " ?" in out:
        out = _SPACE_BEFORE_PUNCT_RE.sub("", out)
    out = _capitalise_sentences(out.strip())
    if not out or out == draft.strip() or not _WORD_CHAR_RE.search(_strip_greeting(out)):
        return None
    return out


def _whole(draft: str, s: int, e: int) -> tuple[int, int, str]:
    """Remove a sentence with the space after it (the space before belongs to the sentence
    before, so the text stays joined by one space). When nothing but a greeting comes before
    it, a linking word that opens the next sentence goes too: "Hey Priya, how old are you?
    Also can you…" becomes "Hey Priya, can you…", not "Hey Priya, Also can you…"."""
    while s < e and draft[s] in " \t":
        s += 1
    while e < len(draft) and draft[e] in " \t":
        e += 1
    if e < len(draft) and draft[e] in _CONNECTIVE_FIRSTS:
        before = draft[:s]
        if not before.strip() or _greeting_before(before) or _GREETING_ONLY_RE.match(before):
            linked = _CONNECTIVE_RE.match(draft, e)
            if linked is not None and linked.end() < len(draft):
                e = linked.end()
                if before.rstrip()[-1:] in ("", ".", "!", "?"):  # a new sentence: "Hey! Could"
                    return (s, e + 1, draft[e].upper())
    return (s, e, "")


def _clause(draft: str, s: int, e: int, start: int, end: int) -> tuple[int, int, str]:
    """Remove the comma-separated clause holding [start, end) ("..., like we go way back."),
    or the whole sentence when the phrase is woven into it."""
    sentence = draft[s:e]
    left = max(sentence.rfind(",", 0, start - s), sentence.rfind(";", 0, start - s))
    right_c = [i for i in (sentence.find(",", end - s), sentence.find(";", end - s)) if i != -1]
    right = min(right_c) if right_c else -1
    if left != -1 and right == -1:  # the last clause: from its comma to the end punctuation
        stop = len(sentence.rstrip().rstrip(".!?…"))
        return (s + left, s + max(stop, end - s), "")
    if left == -1 and right != -1 and not draft[s:start].strip():  # the first clause, alone
        cut = s + right + 1
        while cut < len(draft) and draft[cut] == " ":
            cut += 1
        return (start, cut, "")
    return _whole(draft, s, e)


def _swap_name(draft: str, f: Flag, contact: Contact | None) -> tuple[int, int, str]:
    wanted = ""
    if contact is not None:
        forms = [p.value for p in contact.preferences if p.kind == "name_form" and p.value.strip()]
        wanted = forms[0] if forms else contact.address_name
    before = draft[: f.start]
    # Swap in their name only where a name belongs and it is not already there.
    if wanted and (
        f.rule == "preference-name" or (_greeting_before(before) and wanted not in draft)
    ):
        return (f.start, f.end, wanted)
    s, e = f.start, f.end
    if s >= 2 and draft[s - 2 : s] == ", ":
        s -= 2
    elif draft[e : e + 1] == "," and s >= 1 and draft[s - 1] == " ":
        s -= 1  # a vocative mid-sentence: its comma still ends the clause before it
    elif draft[e : e + 2] == ", ":
        e += 2
    elif s >= 1 and draft[s - 1] == " ":
        s -= 1
    return (s, e, "")


_GREETINGS = ("hi", "hey", "hello", "hiya", "dear", "thanks", "thank you", "morning")


def _greeting_before(before: str) -> bool:
    """`_GREETING_BEFORE_RE.search(before)`, read from the end instead of tried at every
    position of a long draft: a greeting, blanks, one optional comma, blanks, then the end
    (or a final newline, as `$` allows). Non-ASCII tails go to the regex itself (its
    case-insensitive matching treats a few non-ASCII letters as ASCII ones)."""
    body = before[:-1] if before.endswith("\n") else before
    body = body.rstrip(" \t")
    if body.endswith(","):
        body = body[:-1].rstrip(" \t")
    tail = body[-9:]  # the longest greeting, "thank you"
    if not tail.isascii():
        return _GREETING_BEFORE_RE.search(before) is not None
    return tail.lower().endswith(_GREETINGS)


def _capitalise_sentences(text: str) -> str:
    if text and text[0].islower():
        text = text[0].upper() + text[1:]
    return text


def _strip_greeting(text: str) -> str:
    return _GREETING_RE.sub("", text)


# Compiled once (a module-level `re.sub(pattern, ...)` looks its pattern up on every call).
_SPACES_RE = re.compile(r"[ \t]{2,}")
# Spaces before punctuation, dropped: the lookahead keeps the replacement a plain string
# (a group reference would send every call through `re`'s Python-level template code).
_SPACE_BEFORE_PUNCT_RE = re.compile(r" +(?=[,.!?])")
_WORD_CHAR_RE = re.compile(r"\w")
# Words that link a sentence to the one before it ("Also, can you…"): left dangling when that
# one is removed and only a greeting comes before.
_CONNECTIVE_RE = re.compile(
    r"(?:also|and|plus|btw|by the way|oh and|anyway|so)\b,?[ \t]*", re.IGNORECASE
)
_CONNECTIVE_FIRSTS = frozenset("aApPbBoOsS")
# A greeting and a name alone, up to the end: "Hey Priya! " or "Hi Dana,\n".
_GREETING_ONLY_RE = re.compile(
    r"\s*(?:hi|hey|hello|hiya|dear)\b[^.!?\n]*[,.!?]*\s*$", re.IGNORECASE
)
# The greeting line up to its comma, line end or sentence end: "Hey Dana!! Can you…" keeps
# "Can you…" (up to the comma alone, a greeting without a comma would swallow the message).
_GREETING_RE = re.compile(r"^\s*(?:hi|hey|hello|hiya|dear)\b[^,.!?\n]*[,.!?\n]*", re.IGNORECASE)
