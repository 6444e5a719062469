"""One pass over a draft's words for every per-word sum of the courtesy and intimacy scores.

Courtesy reads each word's rated valence and its weight in the courtesy model; intimacy reads
each word's stem and that stem's weight, its cue weight and whether it is everyday English.
Each side once walked the same lower-cased words with its own table (two loops, two lookups a
word: a third of a tweet's Python lines); here one table holds all of a word's facts and one
loop fills every accumulator, each adding in the order its own loop did (the same floats).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import NamedTuple

from coach.analysis import lexicon as lx
from coach.analysis import topic_words as tw
from coach.analysis.linear import _load_doc, get_model
from coach.analysis.personal import stem

VALENCE_PATH = Path(__file__).with_name("valence.tsv")
# Empath's 194 topic categories (Fast et al., CHI 2016; MIT, see empath_LICENSE.txt): broad,
# general-English word lists ("sexual", "family", "science", "computer") whose fitted weights
# carry over to text with words the rated questions never used.
EMPATH_PATH = Path(__file__).with_name("empath_categories.tsv")

# Words that cancel the tone of the word after them; "no" itself is not rated (VADER rates it
# -1.2, but "no problem", "no worries" are reassurances).
NEGATORS = lx.wordset(
    "no not never without don't doesn't didn't isn't wasn't aren't won't can't couldn't "
    "wouldn't shouldn't haven't hasn't nothing hardly"
)


@cache
def valence() -> dict[str, float]:
    """Word -> rated valence (-4..4) from `valence.tsv` (VADER's lexicon), read on first use."""
    out: dict[str, float] = {}
    with VALENCE_PATH.open(encoding="utf-8") as fh:
        for line in fh:
            if line and not line.startswith("#"):
                word, _, value = line.rstrip("\n").partition("\t")
                out[word] = float(value)
    out.pop("no", None)
    return out


@cache
def cue_words() -> dict[str, tuple[str, ...]]:
    """Word -> the intimacy cue ("cue:depth") and Empath ("empath:sexual") features it counts
    for. Built once, on first use (Empath's file is read then)."""
    found: dict[str, list[str]] = {}
    for kind, words in tw.INTIMACY_CUE_WORDS.items():
        feature = "cue:" + kind
        for w in words:
            found.setdefault(w, []).append(feature)
    for line in EMPATH_PATH.read_text(encoding="utf-8").splitlines():
        name, *terms = line.split("\t")
        feature = "empath:" + name
        for term in sorted(set(terms)):  # sorted: the same sums in every run
            found.setdefault(term, []).append(feature)
    return {w: tuple(features) for w, features in found.items()}


@cache
def cue_weights() -> dict[str, float]:
    """Word -> the summed intimacy weights of its cue and Empath features: the features are
    counts, so a word's share is this one number (one lookup per word on the hot path)."""
    get = get_model("intimacy").weights.get
    out: dict[str, float] = {}
    for word, features in cue_words().items():
        total = 0.0
        for f in features:
            total += get(f, 0.0)
        if total:
            out[word] = total
    return out


@cache
def everyday_words() -> frozenset[str]:
    """Words of everyday English, as calibration found them (weights.json, "intimacy")."""
    spec = _load_doc()["models"]["intimacy"]
    return frozenset(str(spec.get("everyday_words", "")).split())


# Word -> (its text-order facts, courtesy weight, stem, the stem's intimacy weight); the
# text-order facts are (rated valence, cue weight, whether it is everyday English), or None
# for the usual word with no valence, no cue weight and everyday (one test skips all three).
# Each weight is None when the word has none. Learnt word by word as drafts bring them (a
# table of every rated or weighted word up front would cost the first check tens of
# milliseconds); bounded.
TextOrderFacts = tuple[float | None, float | None, bool]
WordFacts = tuple[TextOrderFacts | None, float | None, str, float | None]
_FACTS: dict[str, WordFacts] = {}


def learn_word(word: str) -> WordFacts:
    """`word`'s entry in `_FACTS`, worked out and remembered."""
    st = stem(word)
    v = valence().get(word)
    c = cue_weights().get(word)
    common = word in everyday_words()
    facts = (
        (v, c, common) if v is not None or c is not None or not common else None,
        get_model("courtesy")._words.get(word),
        st,
        get_model("intimacy")._words.get(st),
    )
    if len(_FACTS) > 50_000:  # a pasted novel must not grow memory forever
        _FACTS.clear()
    _FACTS[word] = facts
    return facts


class WordSums(NamedTuple):
    """What the one pass finds. Courtesy: `rated` (some word has a valence that counts),
    `up` (the positive valences' sum) and `total` (all of them), in text order, negated words
    left out; `known`: the courtesy weights of the distinct words the model knows, in order of
    first appearance (`LinearModel.text_sum`'s word part). Intimacy: `stems` (the model's bias
    plus the weights of the distinct stems it knows, in order of first appearance), `cues`
    (the words' cue weights in text order) and `rare` (how many words are not everyday)."""

    rated: bool
    up: float
    total: float
    known: list[float]
    stems: float
    cues: float
    rare: int


def word_pass(tokens: list[str]) -> WordSums:
    """Every per-word sum of `tokens` (lower-cased words, as `lexicon.token_info` gives them).

    One plain loop (a filter/map chain per sum costs more: ~300 instructions a C-level lookup
    each, against one lookup a word here) with one lookup a word."""
    get = _FACTS.get
    up = total = 0.0
    rated = False
    # A negated word does not carry its tone ("no problem", "not bad"): rare, so texts with a
    # negator have their valence summed by `_negated_valence`, and this loop skips it.
    negated = not NEGATORS.isdisjoint(tokens)  # at C speed
    known: list[float] = []
    seen: set[str] = set()
    seen_stems: set[str] = set()
    zw = get_model("intimacy").bias
    zc = 0.0
    rare = 0
    add = seen.add
    append = known.append
    add_stem = seen_stems.add
    for t in tokens:
        rest, w, st, sw = get(t) or learn_word(t)
        if rest is not None:  # a word with a valence or a cue weight, or a rare word
            v, c, common = rest
            if v is not None and not negated:
                rated = True
                total += v
                if v > 0.0:
                    up += v
            if c is not None:
                zc += c
            if not common:
                rare += 1
        # Each sum over distinct words (stems) tests only the words with a weight: a set test
        # and insert for every word would cost more than the second test saves.
        if w is not None and t not in seen:
            add(t)
            append(w)
        if sw is not None and st not in seen_stems:
            add_stem(st)
            zw += sw
    if negated:
        rated, up, total = _negated_valence(tokens)
    return WordSums(rated, up, total, known, zw, zc, rare)


def _negated_valence(tokens: list[str]) -> tuple[bool, float, float]:
    """`word_pass`'s valence sums for a text with a negator: a word right after one is left out."""
    get = _FACTS.get
    up = total = 0.0
    rated = False
    prev = ""
    for t in tokens:
        rest = (get(t) or learn_word(t))[0]
        v = rest[0] if rest is not None else None
        if v is not None and prev not in NEGATORS:
            rated = True
            total += v
            if v > 0.0:
                up += v
        prev = t
    return rated, up, total
