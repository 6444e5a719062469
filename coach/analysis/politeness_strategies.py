"""Find the politeness strategies of Danescu-Niculescu-Mizil et al. (2013) in a text, with spans.

One pass of a combined phrase pattern plus one anchored match per sentence start. The result is
both the feature vector the courtesy model scores and the spans the flags and markers point at.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import cache
from operator import attrgetter
from typing import Any

from coach.analysis import lexicon as lx
from coach.analysis.lexmatch import expand
from coach.analysis.matcher import (
    _GAP,
    Hit,
    PhraseMatcher,
    expand_leading_group,
    literal_prefix,
    split_top,
)
from coach.analysis.wordpass import NEGATORS as _NEGATORS
from coach.analysis.wordpass import WordSums, word_pass
from coach.analysis.wordpass import valence as _valence

# Strategies the 2013 feature set lacks or catches only in part; each is general English (no
# Wikipedia jargon), so it can carry over to other communities where words do not.
# Asking for the reader's view: the request becomes a consultation (B&L: give deference).
OPINION = lx.words(
    r"what\s+do\s+you\s+think",
    r"what\s+are\s+your\s+thoughts",
    r"any\s+(?:thoughts|ideas|suggestions|comments|advice|input|feedback|opinions?)",
    r"your\s+(?:thoughts|opinion|input|feedback|advice|view)",
    r"do\s+you\s+think",
    r"how\s+do\s+you\s+feel",
    r"what\s+would\s+you\s+(?:suggest|recommend)",
    r"(?:i['’]d|i\s+would)\s+(?:welcome|value)",
)
# Conventional indirect requests: asking about ability, possibility or willingness, not
# ordering (B&L negative politeness: "be conventionally indirect").
INDIRECT = lx.words(
    r"do\s+you\s+(?:know|have|happen)",
    r"are\s+you\s+(?:able|willing|interested|available)",
    r"is\s+(?:it|that)\s+possible",
    r"is\s+there\s+(?:any|a)\s+(?:way|chance)",
    r"any\s+chance",
    r"i\s+was\s+hoping",
    r"i\s+hope\s+you\s+(?:can|could|might|don['’]t\s+mind)",
    r"if\s+you\s+(?:could|would|can|get\s+a\s+chance)",
)
# The subjunctive with a contraction or an impersonal frame ("I'd like", "it would be great").
COUNTERFACTUAL_PLUS = lx.words(
    lx.COUNTERFACTUAL,
    r"i['’]d\s+(?:love|like|appreciate|be\s+grateful)",
    r"(?:it|that)\s+would\s+be\s+(?:great|nice|helpful|good|lovely|wonderful)",
    r"(?:it|that)['’]d\s+be\s+(?:great|nice|helpful|good|lovely|wonderful)",
)
# "Did you even see my messages?" reads as hostile as "did you even read" (already listed).
RUDE_PLUS = lx.words(lx.RUDE_PHRASES, r"did\s+you\s+even\s+(?:see|get|notice|check|open)")
# The paper's factuality also counts "really", "honestly", "surely" (only "actually" and its
# kin raise the `actually` flag; these move the score). Not "really" as praise's intensifier
# ("really glad", "really appreciate"): that is warmth, not insistence.
_WARM_NEXT = (
    "glad appreciate appreciated like liked love loved enjoy enjoyed nice good great helpful "
    "kind happy grateful thankful cool interesting useful well excellent impressive"
)
FACTUALITY_PLUS = lx.words(
    lx.FACTUALITY,
    rf"really(?!\s+(?:{'|'.join(_WARM_NEXT.split())})\b)",
    r"honestly",
    r"surely",
)
GRATITUDE_PLUS = lx.words(lx.GRATITUDE, r"appreciated?", r"thankful", r"kudos")
# Asking leave for one's own act ("may I", "should I"): the writer defers to the reader.
PERMISSION = r"(?:may|can|could|should|shall|might)\s+i|is\s+it\s+(?:ok|okay|alright|all\s+right)\s+(?:if|to)"
# Questions that challenge the reader: "why did you...", "don't you...".
CHALLENGE = lx.words(
    r"why\s+(?:do|did|would|are|were|have|had|does|is|don['’]t|didn['’]t|won['’]t|can['’]t|haven['’]t|aren['’]t)\s+you",
    r"(?:don['’]t|didn['’]t|can['’]t|won['’]t|aren['’]t|haven['’]t|wouldn['’]t|isn['’]t|couldn['’]t)\s+you",
    r"why\s+you",
)
# Offering help or a free hand (B&L positive politeness: offer, promise; give options).
OFFER = lx.words(
    r"(?:anything|something)\s+(?:i|we)\s+can\s+(?:do|help)",
    r"(?:happy|glad)\s+to\s+help",
    r"(?:i|we)\s+(?:can|could)\s+help",
    r"(?:i|we)['’]d\s+be\s+(?:happy|glad)",
    r"(?:i|we)\s+would\s+be\s+(?:happy|glad)",
    r"(?:i['’]m|i\s+am)\s+(?:happy|glad|willing)\s+to",
    r"feel\s+free",
    r"if\s+you\s+need\s+(?:any|anything|help|more)",
)
# Apologising for the imposition itself ("sorry to bother you").
APOLOGY_PLUS = lx.words(
    lx.APOLOGY,
    r"(?:hate|sorry)\s+to\s+(?:bother|trouble|disturb|bug|ask|be\s+a\s+(?:bother|pain))",
    r"i\s+don['’]t\s+mean\s+to",
)
# Single hedging words (after Hyland's list, as in the 2013 paper): the phrases in `lx.HEDGE`
# catch the common frames, these the rest ("it appears", "roughly", "I'd guess").
HEDGE_WORDS = lx.wordset(
    "almost apparently appear appears appeared approximately assume assumed doubt essentially "
    "estimate generally guess largely likely mainly maybe might mostly often perhaps plausible "
    "possible possibly presumably probable probably relatively roughly seem seems seemed "
    "somewhat suggest suggested suggests suppose supposed suspect typically unclear unlikely "
    "usually fairly quite rather think thought feel felt believe"
)

# Phrase strategies anywhere in the text, matched at word starts (see matcher.py).
PHRASES = PhraseMatcher(
    [
        ("rude", RUDE_PLUS),
        ("gratitude", GRATITUDE_PLUS),
        ("apology", APOLOGY_PLUS),
        ("challenge", CHALLENGE),
        ("opinion", OPINION),
        ("offer", OFFER),
        ("indirect", INDIRECT),
        ("counterfactual", COUNTERFACTUAL_PLUS),
        ("permission", PERMISSION),
        ("indicative", lx.INDICATIVE),
        ("hedge", lx.HEDGE),
        ("factuality", FACTUALITY_PLUS),
        ("btw", lx.INDIRECT_BTW),
        ("gush", lx.GUSH),
        ("please", r"please|pls|plz"),
    ]
)

# Imperative verbs that make a sentence a bald on-record request when they open it.
IMPERATIVE_VERBS = sorted(
    lx.wordset(
        "send give tell fix stop read check look make call reply answer explain show change "
        "remove delete add get move update use try put take write email text provide sign review "
        "approve confirm respond come bring follow share forward introduce connect pay return "
        "consider stay keep leave quit learn"
    )
)

# What a sentence opens with. Group order matters: "please" before imperatives.
# Matched at a sentence's first word, so emoji or quotes before it do not hide it ("👋 So you").
_OPENER_GROUPS = [
    ("greeting", rf"(?:{lx.GREETING})\b"),
    ("deference", rf"(?:{lx.DEFERENCE_START})\b"),
    ("please_start", r"(?:please|pls|plz)\b"),
    ("direct_start", lx.DIRECT_START),
    ("question_start", lx.QUESTION_START),
    ("first_start", r"(?:i|my|i['’]m|i['’]ve|i['’]d|i['’]ll)\b"),
    ("second_start", r"(?:you|your|you['’]re|you['’]ve|u|ur)\b"),
    ("imperative", rf"(?:{'|'.join(IMPERATIVE_VERBS)})\b(?!\s+(?:you|me\s+know)\b)"),
]
_OPENER = re.compile(
    "(?:" + "|".join(f"(?P<{kind}>{body})" for kind, body in _OPENER_GROUPS) + ")", re.IGNORECASE
)


def _opener_for(word: str) -> re.Pattern[str] | None:
    """`_OPENER` cut down to the alternatives that can match where the word `word` (a word of
    `_OPENER_FIRST`) starts: the same groups in the same order, each with its alternatives
    in their order, so the first that matches is the one `_OPENER` finds. The full pattern
    tries some 150 alternatives (~9K instructions a sentence); a word keeps a handful.
    Built on first use of each word; None when nothing can match there."""
    got = _OPENER_BY_WORD.get(word, _NOT_BUILT)
    if got is not _NOT_BUILT:
        return got
    groups: list[str] = []
    for kind, body in _OPENER_GROUPS:
        kept = [
            alt
            for top in split_top(body)
            for alt in expand_leading_group(top)
            if _may_start(word, literal_prefix(alt))
        ]
        if kept:
            groups.append(f"(?P<{kind}>{'|'.join(kept)})")
    pat = re.compile("(?:" + "|".join(groups) + ")", re.IGNORECASE) if groups else None
    _OPENER_BY_WORD[word] = pat
    return pat


def _may_start(word: str, prefix: str) -> bool:
    """Whether a phrase with the literal start `prefix` can match where `word` (a lowercased
    token: ASCII letters, digits, apostrophes) starts. Only an ASCII prefix that differs
    from the word within their common length is ruled out; anything else is kept and left to
    the regex (a prefix that goes on past the word, a non-ASCII or empty one)."""
    if not prefix.isascii():
        return True
    n = min(len(word), len(prefix))
    return word[:n] == prefix[:n]


_OPENER_BY_WORD: dict[str, re.Pattern[str] | None] = {}
_NOT_BUILT: Any = object()
_DIRECT_NEXT = re.compile(r"[\s,]+(?:you|your|why|what|when|how|where)\b", re.IGNORECASE)
# Sentence ends: runs of . ! ? or line breaks.
_END = re.compile(r"[.!?\n]+")
# Byte -> "." for the bytes of `_END`'s class, else a space (see `sentence_ends`).
_END_BYTES = bytes(46 if chr(c) in ".!?\n" else 32 for c in range(256))
# First words that can open one of the strategies above; only these try the opener pattern.
_OPENER_FIRST = lx.wordset(
    "hi hello hey hiya howdy greetings dear good hope great nice interesting cool excellent "
    "awesome wonderful impressive fantastic congrats congratulations well please pls plz "
    "so then and but or what why who how where when i my i'm i've i'd i'll you your you're "
    "you've u ur"
) | set(IMPERATIVE_VERBS)
_SOFTENER_BODY = rf"please|pls|could|would|if\s+you|thanks?|thank\s+you|{lx.HEDGE}"
_SOFTENER = re.compile(rf"\b(?:{_SOFTENER_BODY})\b", re.IGNORECASE)
# Byte -> itself for the bytes of `\w` in ASCII text, lowercase; any other byte -> a space.
_WORD_CHAR_BYTES = bytes(
    c if chr(c) in "abcdefghijklmnopqrstuvwxyz0123456789_" else 32 for c in range(256)
)


def _first_words(body: str) -> frozenset[bytes] | None:
    r"""The words a match of `\b(?:body)\b` can start with, lowercased: each alternative's
    literal text up to its first `\s+`. None when some alternative has no such plain word.

    In ASCII text such a match starts a run of `\w` characters that is exactly one of these
    words (the word ends in blanks or at the closing `\b`), so a stretch none of whose runs
    is one of them cannot hold a match."""
    words: set[bytes] = set()
    for top in split_top(body):
        for alt in expand_leading_group(top):
            literals = expand(alt.replace(r"\s+", _GAP))
            if literals is None:
                return None
            for lit in literals:
                head = lit.partition(_GAP)[0].lower()
                if not (head.isascii() and head.isalpha()):
                    return None
                words.add(head.encode("ascii"))
    return frozenset(words)


@cache
def _softener_first() -> frozenset[bytes] | None:
    """`_first_words` of the softener pattern, worked out on first use (not at import)."""
    return _first_words(_SOFTENER_BODY)


def _softened(text: str, start: int, stop: int) -> bool:
    """`_SOFTENER.search(text, start, stop) is not None`. The regex tries its alternatives at
    every word of the stretch (~190K instructions on a tweet's imperative sentence); in ASCII
    text one C-level split into word runs and a set test first rule out the usual stretch,
    where no word can start a softener."""
    first = _softener_first()
    if first is not None and text.isascii():
        runs = text[start:stop].lower().encode("ascii").translate(_WORD_CHAR_BYTES).split()
        if first.isdisjoint(runs):
            return False
    return _SOFTENER.search(text, start, stop) is not None


# What `_has_emoticon` looks for (kept as the reference its property test compares with).
_EMOTICON = re.compile(r"[:;=]-?[)D(Pp]|<3")


def _negative_at_reader(
    tokens: list[str], spans: list[tuple[int, int]], valence: dict[str, float]
) -> float:
    """Negative valence in sentences that address the reader ("you're wrong"), as opposed to
    bad news or the writer's own troubles ("my dad died")."""
    total = 0.0
    for a, b in spans:
        sent = tokens[a:b]
        if lx.SECOND_PERSON.isdisjoint(sent):
            continue
        if _NEGATORS.isdisjoint(sent):  # the usual case, at C speed
            total -= sum(v for v in [valence[t] for t in sent if t in valence] if v < 0)
            continue
        for i in range(a, b):
            v = valence.get(tokens[i], 0.0)
            if v < 0 and not (i and tokens[i - 1] in _NEGATORS):
                total -= v
    return total


# C-level getters for map(): a match's end, a hit's kind.
_MATCH_END = re.Match.end
_HIT_KIND = attrgetter("kind")


def sentence_ends(text: str) -> list[int]:
    """Where each run of `_END` ends (its `m.end()`), in order: `[m.end() for m in
    _END.finditer(text)]`.

    `finditer` tests its character class at every character of the text (~100 instructions
    each, some 30K per tweet); in ASCII text one C-level translate marks the class's bytes
    and `find` hops from run to run: a few steps per sentence."""
    if not text.isascii():
        return list(map(_MATCH_END, _END.finditer(text)))
    marks = text.encode("ascii").translate(_END_BYTES)
    ends: list[int] = []
    at = marks.find(b".")
    while at != -1:
        at = marks.find(b" ", at)
        if at == -1:  # the run goes on to the end of the text
            ends.append(len(marks))
            break
        ends.append(at)
        at = marks.find(b".", at)
    return ends


def _has_emoticon(text: str) -> bool:
    """`_EMOTICON.search(text) is not None`, without the regex's scan of every character
    (~25K instructions on a tweet with a ":" in it, "Quick update: ..."): a C-level `find`
    hops to each ":", ";" or "=" and only the one or two characters after it are read."""
    if "<3" in text:
        return True
    for mark in ":;=":
        if mark not in text:  # most drafts: an `in` test is cheaper than a `find` call
            continue
        at = text.find(mark)
        while at != -1:
            nxt = text[at + 1 : at + 2]
            if nxt == "-":  # the optional nose; "-" itself is no mouth, so no backtracking
                nxt = text[at + 2 : at + 3]
            if nxt and nxt in _MOUTHS:
                return True
            at = text.find(mark, at + 1)
    return False


_MOUTHS = ")D(Pp"


@dataclass(slots=True)
class Strategies:
    """Strategy hits (with spans), the features they make, and the tokens for vocabulary features."""

    hits: list[Hit] = field(default_factory=list)
    features: dict[str, float] = field(default_factory=dict)
    tokens: list[str] = field(default_factory=list)
    sentences: int = 0
    # The courtesy model's weights of the distinct words it knows, in order of first
    # appearance: `LinearModel.text_sum`'s word part, found in the pass that rates the words.
    known_words: list[float] = field(default_factory=list)


def find_strategies(
    text: str, phrase_hits: list[Hit] | None = None, words: WordSums | None = None
) -> Strategies:
    """`phrase_hits`: what `PHRASES` finds in `text`, when the caller has found it already
    (text.py finds every lexicon of the draft in one pass); the list is extended in place.
    `words`: `wordpass.word_pass` of the text's words, when the caller has it already (the
    intimacy score reads the same pass)."""
    starts, tokens, counts = lx.token_info(text)
    if phrase_hits is None:
        phrase_hits = PHRASES.find(text, list(zip(starts, tokens, strict=True)), tokens)
    hits = phrase_hits
    n_sent = 0
    ends = sentence_ends(text)
    ends.append(len(text) + 1)
    n_words = len(tokens)
    # The first word opens a sentence; each later opener is the first word at or after the end
    # of the current sentence (found by bisection: a few sentences, many words).
    idx = 0
    sent_end = ends[0]
    spans: list[tuple[int, int]] = []  # each sentence's words, as a range of word indices
    while idx < n_words:
        start = starts[idx]
        word = tokens[idx]
        if idx:
            sent_end = ends[bisect_right(ends, start)]
        sent_first = idx
        idx = bisect_left(starts, sent_end, idx + 1)
        spans.append((sent_first, idx))
        n_sent += 1
        if word not in _OPENER_FIRST:
            continue
        opener = _opener_for(word)
        om = opener.match(text, start) if opener is not None else None
        if om is None or om.lastgroup is None:
            continue
        kind = om.lastgroup
        end = om.end()
        if kind == "imperative":
            stop = min(sent_end, len(text))
            if text[start:stop].rstrip().endswith("?"):  # "Delete it, or keep it?" asks
                kind = "imperative_question"
            elif _softened(text, start, stop):
                kind = "imperative_soft"
        if kind == "direct_start":
            # "So you ..." / "So why ..." read as a demand; keep the next word in the span.
            nxt = _DIRECT_NEXT.match(text, end)
            if nxt:
                end = nxt.end()
        hits.append(Hit(kind, start, end, text[start:end]))
    kinds = list(map(_HIT_KIND, hits))
    # A phrase "please" that opens its sentence is "please_start", not mid-sentence "please".
    if "please_start" in kinds:
        please_at = {h.start for h in hits if h.kind == "please_start"}
        hits = [h for h in hits if not (h.kind == "please" and h.start in please_at)]
        kinds = list(map(_HIT_KIND, hits))

    # Presence, not counts, for the strategies (as in the paper), in order of first appearance;
    # gushing is about stacking: its count, moved to the end.
    feats: dict[str, float] = dict.fromkeys(kinds, 1.0)
    if "gush" in feats:
        del feats["gush"]
        feats["gush"] = min(float(kinds.count("gush")), 3.0) / 3.0

    for cls in ("negative", "positive"):
        if cls in counts:
            n = counts[cls]
            feats[cls] = float(n if n < 3 else 3)
    # Rated word valence: a lexicon of thousands of everyday words, so the tone of words the
    # rated requests never used still counts (the small lists above miss most of them). The
    # sums come from the one pass over the words that also finds the courtesy model's known
    # words and the intimacy model's word sums (see `wordpass.word_pass`).
    if words is None:
        words = word_pass(tokens)
    rated, up, total, known = words.rated, words.up, words.total, words.known
    if rated:
        down = up - total
        # Scaled so one plainly good word ("good" 1.9, "thanks" 1.9) is about 0.6, capped at 2
        # (`min(x, 6.0)` written out: a builtin call costs more than the rest of the line).
        if up:
            feats["valence_pos"] = (6.0 if up > 6.0 else up) / 3.0
        if down:
            aimed = _negative_at_reader(tokens, spans, _valence())
            if aimed:
                feats["valence_neg_you"] = (6.0 if aimed > 6.0 else aimed) / 3.0
            if down - aimed > 1e-9:
                rest = down - aimed
                feats["valence_neg"] = (6.0 if rest > 6.0 else rest) / 3.0
    if not HEDGE_WORDS.isdisjoint(tokens):
        feats["hedge_word"] = 1.0
    for cls in ("first_person", "first_plural", "second_person"):
        if cls in counts:
            feats[cls] = 1.0
    q = text.count("?")
    if q:
        feats["question"] = 1.0
        if q > 1:
            feats["questions_many"] = 1.0
    if "!" in text:
        feats["exclaim_many" if "!!" in text else "exclaim"] = 1.0
    if "laugh" in counts or _has_emoticon(text):
        feats["emoticon"] = 1.0
    if n_sent > 2:
        feats["long"] = 1.0
    # Built once at the end: the dataclass's default factories would only make throwaways.
    return Strategies(hits, feats, tokens, n_sent, known)
