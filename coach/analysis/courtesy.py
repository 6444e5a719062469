"""Courtesy: the politeness strategies in a draft, their calibrated score, and the few flags worth showing.

The score is a logistic model over the strategies of Danescu-Niculescu-Mizil et al. (2013) plus a
small word vocabulary, fitted on human ratings (see `calibrate.py`); `signals` are each feature's
share of the log-odds, so the score decomposes into what a person sees.

Flag rules (stable ids): `rude-phrase` (warn: "who the hell", "did you even read"),
`rude-opener` (warn "So you...", info "So why..."; "You never/should..." with no softener),
`bald-imperative` (info: a sentence opening with a bare command, nothing softening the message),
`actually` (info: "actually", "in fact", "obviously" aimed at them), `challenge` (warn: an
accusing "Why haven't you...?", "Why would you...?"), `gushing` (info/warn:
stacked superlatives, "!!!", hearts, capitals), `negative-words` (info: two or more harsh words
in a message that already scores low).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from functools import reduce
from operator import add

from coach.analysis.construct import trusted
from coach.analysis.features import Span
from coach.analysis.lexicon import token_info, wordset
from coach.analysis.linear import get_model
from coach.analysis.politeness_strategies import Hit, Strategies, find_strategies
from coach.analysis.wordpass import WordSums
from coach.models import Flag, Severity

DNM = "Danescu-Niculescu-Mizil et al. 2013"
BL = "Brown & Levinson 1987"

# Positive strategies reported as markers (what the draft already does well).
MARKER_KINDS = frozenset(
    {
        "gratitude",
        "greeting",
        "hedge",
        "apology",
        "deference",
        "counterfactual",
        "please",
        "btw",
        "opinion",
        "indirect",
        "permission",
        "offer",
    }
)
# Longest text analysed for features; past it only the flags' spans scan on (a 1 MB paste
# should stay fast and its score is dominated by the first pages anyway).
MAX_SCORED_CHARS = 20_000


@dataclass(slots=True)
class CourtesyResult:
    score: float  # calibrated: about P(readers rate the message polite)
    flags: list[Flag] = field(default_factory=list)  # rude opener, bald imperative, gushing...
    markers: list[Span] = field(default_factory=list)  # positive strategies found
    signals: dict[str, float] = field(default_factory=dict)  # feature -> contribution


def courtesy_features(strategies: Strategies) -> dict[str, float]:
    """The model's input: strategy features plus presence features for words and word pairs.

    Only words and pairs the calibration kept have weights; the rest cost one dict miss each.
    """
    feats = dict(strategies.features)
    toks = strategies.tokens
    for tok in toks:
        feats["w:" + tok] = 1.0
    for a, b in itertools.pairwise(toks):
        feats[f"b:{a}_{b}"] = 1.0
    return feats


def analyse_courtesy(
    text: str,
    explain: bool = True,
    phrase_hits: list[Hit] | None = None,
    words: WordSums | None = None,
) -> CourtesyResult:
    """`explain=False` leaves `signals` and `markers` empty (same score and flags): for
    callers that never show the decomposition or what the draft does well (the check).
    `phrase_hits`, `words`: see `find_strategies` (only for a text of at most
    MAX_SCORED_CHARS)."""
    text = text[:MAX_SCORED_CHARS]
    strategies = find_strategies(text, phrase_hits, words)
    model = get_model("courtesy")
    if not strategies.tokens:  # nothing to read (empty, emoji only): no evidence either way
        return CourtesyResult(score=0.5, flags=[], markers=[], signals={})
    if explain:
        z, signals = model.explain_text(strategies.features, strategies.tokens, pairs=True)
    elif model._pairs:  # none in the shipped model; should a calibration add some
        z, signals = model.text_sum(strategies.features, strategies.tokens, pairs=True), {}
    else:
        # `text_sum(features, tokens)`, the same additions in the same order: the known
        # words' weights came with the strategies (added one by one in C, as a loop would).
        signals = {}
        z = reduce(add, strategies.known_words, model.text_sum(strategies.features, ()))
    score = model.to_score(z)
    hits = strategies.hits
    # The kinds found: most drafts have a few hits and neither markers nor flags, and a set
    # test then skips each list's walk. The strategy features are keyed by them (with a few
    # features of other names: "question", "valence_pos"..., none of them a kind any of the
    # tests here asks about), so they serve without a set built for the purpose.
    kinds = strategies.features
    markers = (
        [Span(h.start, h.end, h.kind, h.text) for h in hits if h.kind in MARKER_KINDS]
        if explain and not MARKER_KINDS.isdisjoint(kinds)
        else []
    )
    return CourtesyResult(
        score=round(score, 4),
        flags=_flags(text, strategies, score, kinds),
        markers=markers,
        signals=signals,
    )


def _flag(
    rule: str, hit: Hit, message: str, evidence: str, source: str, sev: Severity = "info"
) -> Flag:
    return trusted(
        Flag,
        {
            "rule": rule,
            "severity": sev,
            "start": hit.start,
            "end": hit.end,
            "message": message,
            "evidence": evidence[:500],
            "source": source,
        },
    )


def _flags(text: str, st: Strategies, score: float, kinds: Collection[str]) -> list[Flag]:
    """Context-free courtesy problems, each tied to its words. Quiet by default: info unless rude.
    `kinds`: the kinds of `st.hits` (and perhaps other names, none of the kinds read here)."""
    flags: list[Flag] = []
    softened = not _SOFTENING.isdisjoint(kinds)
    gush_hits: list[Hit] = []
    # Most hits (thanks, hedges, greetings) raise no flag: only the kinds below are read.
    flagged = (
        [h for h in st.hits if h.kind in _FLAG_KINDS] if not _FLAG_KINDS.isdisjoint(kinds) else []
    )
    opening = _first_word(text) if flagged else 0
    for h in flagged:
        k = h.kind
        if k == "rude":
            flags.append(
                _flag(
                    "rude-phrase",
                    h,
                    f"'{h.text}' reads as hostile; say what you need instead.",
                    f"the words '{h.text}'",
                    DNM,
                    "warn",
                )
            )
        elif (
            k == "direct_start"
            and h.start == opening
            and h.text[:2].lower() == "so"
            and len(h.text.split()) > 1  # "So you...", "So why...": not "So glad", "So far"
        ):
            you = h.text.split()[-1].lower() in ("you", "your")
            flags.append(
                _flag(
                    "rude-opener",
                    h,
                    f"Opening with '{h.text}' sounds abrupt; start with the point or a greeting.",
                    f"message opens with '{h.text}'",
                    DNM,
                    "warn" if you else "info",
                )
            )
        elif k == "second_start" and h.start == opening and not softened:
            rest = text[h.end : h.end + 24].lower()
            if rest.lstrip().split(" ")[0] in _YOU_BLAME:
                end = h.end + len(rest) - len(rest.lstrip()) + len(rest.lstrip().split(" ")[0])
                hit = Hit("second_start", h.start, end, text[h.start : end])
                flags.append(
                    _flag(
                        "rude-opener",
                        hit,
                        f"Opening with '{hit.text}' points at them; try 'I' or the issue itself.",
                        f"message opens with '{hit.text}'",
                        DNM,
                    )
                )
        elif k == "imperative" and not softened:
            flags.append(
                _flag(
                    "bald-imperative",
                    h,
                    f"'{h.text}' is a bare command; a 'could you' or 'please' softens it.",
                    f"sentence opens with the imperative '{h.text}', no softener in the message",
                    BL,
                )
            )
        elif k == "challenge" and _ACCUSING.match(h.text):
            flags.append(
                _flag(
                    "challenge",
                    h,
                    f"'{h.text}' puts them on the spot; ask for what you need instead.",
                    f"a question that opens '{h.text}'",
                    DNM,
                    "warn",
                )
            )
        elif k == "factuality" and _correcting(text, h):
            flags.append(
                _flag(
                    "actually",
                    h,
                    f"'{h.text}' can read as correcting them; often it can go.",
                    f"the word '{h.text}'",
                    DNM,
                )
            )
        elif k == "gush":
            gush_hits.append(h)
    # Gushing is stacking: superlatives, plus "!!!", heart emoji and ALL-CAPS praise on top.
    boost = 0
    if gush_hits:  # the scans below only matter when there is praise to stack
        boost = (
            ("exclaim_many" in st.features)
            # Every heart is outside ASCII: an ASCII text skips the scan of each character.
            + (not text.isascii() and len(_HEART.findall(text)) >= 2)
            + (_has_caps_praise(text))
        )
    if len(gush_hits) >= 3 or (len(gush_hits) >= 2 and boost) or (gush_hits and boost >= 2):
        first, last = gush_hits[0], gush_hits[-1]
        words = ", ".join(f"'{h.text}'" for h in gush_hits[:5])
        extra = " with '!!!', hearts or capitals" if boost else ""
        flags.append(
            _flag(
                "gushing",
                Hit("gush", first.start, last.end, text[first.start : last.end]),
                "Stacked superlatives can read as flattery; one specific compliment lands better.",
                f"{len(gush_hits)} superlatives{extra}: {words}",
                BL + " (over-politeness)",
                "warn" if len(gush_hits) + boost >= 4 else "info",
            )
        )
    if score < 0.35 and sum(map(_NEG_FLAG.__contains__, st.tokens)) >= 2:
        # From the first to the last of them: the stretch that reads harsh.
        starts, tokens, _ = token_info(text)
        neg = [(pos, w) for pos, w in zip(starts, tokens, strict=True) if w in _NEG_FLAG]
        flags.append(
            Flag.model_construct(
                rule="negative-words",
                severity="info",
                start=neg[0][0],
                end=neg[-1][0] + len(neg[-1][1]),
                message="Several negative words together make the message read harsh.",
                evidence="words: " + ", ".join(f"'{w}'" for _, w in neg[:6]),
                source=DNM,
            )
        )
    return flags


# Kinds of hit that soften a message (no bald-imperative or "You never..." flag then).
_SOFTENING = frozenset({"gratitude", "please", "counterfactual", "hedge", "apology"})
# The strategy kinds `_flags` reads.
_FLAG_KINDS = frozenset(
    {"rude", "direct_start", "second_start", "imperative", "challenge", "factuality", "gush"}
)

# Challenging questions that accuse ("Why haven't you answered?", "Why would you do that?"); not
# the suggestion "Why don't you join us?" nor the plain "Why did you pick Rust?".
_ACCUSING = re.compile(
    r"why\s+(?:would|haven['’]t|hasn['’]t|didn['’]t|won['’]t|can['’]t|aren['’]t|wasn['’]t"
    r"|weren['’]t|isn['’]t|couldn['’]t|wouldn['’]t)\s+you",
    re.IGNORECASE,
)

# Factuality words that read as correcting the reader; "clearly" and "of course" are too
# often innocent ("explains it clearly") to flag, though the score still counts them.
_CORRECTING = ("actually", "in fact", "obviously", "the point is", "the truth is", "the fact is")
_FIRST_PERSON_BEFORE = re.compile(r"\b(?:i|we|i['’]ve|i['’]m|we['’]ve|i['’]d)\s+$", re.IGNORECASE)


def _correcting(text: str, h: Hit) -> bool:
    """'Actually' about them, not about oneself ("I actually liked it" corrects no one)."""
    if not " ".join(h.text.lower().split()).startswith(_CORRECTING):
        return False
    return _FIRST_PERSON_BEFORE.search(text, max(0, h.start - 8), h.start) is None


def _first_word(text: str) -> int:
    """Offset of the first letter or digit (where an opener would start), after emoji or quotes."""
    if text[:1].isalnum():  # the usual draft; `[^\W_]` is exactly str.isalnum()
        return 0
    m = _WORD_START.search(text)
    return m.start() if m else len(text)


_WORD_START = re.compile(r"[^\W_]")
_HEART = re.compile("[\u2764\u2665\U0001f493-\U0001f49f\U0001f60d\U0001f618\U0001f970\U0001f929]")
_CAPS_WORDS = ("BEST", "AMAZING", "AWESOME", "LOVE", "EVER", "GREATEST", "INCREDIBLE", "PERFECT")
_CAPS_PRAISE = re.compile(rf"\b(?:{'|'.join(_CAPS_WORDS)})\b")


def _has_caps_praise(text: str) -> bool:
    # Substring tests first: on most texts none of the words is there and the word-boundary
    # scan of the whole text is skipped.
    return any(w in text for w in _CAPS_WORDS) and _CAPS_PRAISE.search(text) is not None


# After an opening "You", verbs that make it an accusation ("You never...", "You should...").
_YOU_BLAME = wordset(
    "should need must have never always forgot didn't don't can't cannot keep obviously "
    "clearly just broke ignored missed failed"
)
# Negative words worth naming in a flag (the model's lexicon also has milder ones).
_NEG_FLAG = wordset(
    "stupid idiot idiotic dumb useless ridiculous pathetic nonsense crap garbage rubbish "
    "terrible awful horrible lazy incompetent clueless ignorant wrong worst sucks hate"
)
