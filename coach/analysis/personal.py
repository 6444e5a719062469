"""Personal-language features shared by the intimacy and self-disclosure scorers.

Topic words (family, health, money, beliefs, sexuality, emotions, body, location, work), who the
text is about (I / you / we) and how it asks. One combined pattern, one pass.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field

from coach.analysis import lexicon as lx
from coach.analysis import topic_words as tw
from coach.analysis.lexmatch import has_digit
from coach.analysis.matcher import Hit, PhraseMatcher

# Topics, endearments and impersonal subjects in one pass (one lookup per word).
TOPICS = PhraseMatcher(
    [*tw.TOPIC_WORDS.items(), ("endearment", tw.ENDEARMENT), ("impersonal", tw.IMPERSONAL)]
)
# Questions aimed at the reader's own life ("have you ever", "how do you feel", "what's your")
# and impersonal, factual ones ("what is the", "how does the", "is it possible").
QUESTIONS = PhraseMatcher(
    [
        (
            "personal_question",
            r"have\s+you\s+(?:ever|been)|do\s+you\s+(?:ever|have|feel|think|believe|like|love|want|miss|regret)"
            r"|are\s+you\s+(?:ok|okay|single|married|happy|seeing|in\s+a)"
            r"|how\s+do\s+you\s+(?:feel|cope|deal|handle)|how\s+did\s+you"
            r"|what(?:'s|\s+is|\s+was|\s+are|\s+were)\s+your|why\s+did\s+you|would\s+you\s+ever"
            r"|how\s+old\s+are\s+you|where\s+do\s+you\s+live|did\s+you\s+ever|what\s+do\s+you",
        ),
        (
            "factual_question",
            r"what\s+is\s+(?:the|a|an)|what\s+are\s+(?:the|some)"
            r"|how\s+(?:does|do|can|is)\s+(?:the|a|an|it)|is\s+it\s+(?:possible|true|normal)"
            r"|why\s+(?:is|are|does|do)\s+(?:the|a|an|some|people)"
            r"|which|any\s+(?:tips|advice|recommendations)|how\s+to",
        ),
        (
            # Asking about lived experience ("anyone else struggle", "you've ever").
            "experience_question",
            r"anyone\s+(?:else\s+)?(?:ever|here|who|suffer|struggle|experience|deal|have|feel)"
            r"|you['’]ve\s+ever|you\s+ever|people\s+who\s+(?:have|are|were)"
            r"|how\s+did\s+it\s+(?:feel|go|change)",
        ),
    ]
)


@dataclass(slots=True)
class PersonalFeatures:
    topics: list[Hit] = field(default_factory=list)
    endearments: list[Hit] = field(default_factory=list)
    features: dict[str, float] = field(default_factory=dict)
    tokens: list[str] = field(default_factory=list)
    # The stems, once `stems` has worked them out.
    _stems: list[str] | None = field(default=None, repr=False)

    @property
    def stems(self) -> list[str]:
        """The word features: each token crude suffix-stripped. Worked out on first use: the
        check's score reads the stems through `wordpass.word_pass` (the list costs a lookup
        a word, and only a draft with an "I" and an emotion word needs it then)."""
        if self._stems is None:
            # Words seen before have their stem cached: one C-level pass, and the rare new
            # word after.
            got = list(map(_STEMS.get, self.tokens))
            stems: list[str] = got  # type: ignore[assignment]  # no None in it (no cast call)
            if None in got:
                pairs = zip(got, self.tokens, strict=True)
                stems = [s if s is not None else stem(t) for s, t in pairs]
            self._stems = stems
        return self._stems

    def named(self) -> dict[str, float]:
        """The named (non-vocabulary) features that are on."""
        return {k: v for k, v in self.features.items() if v}


def find_personal(
    text: str, phrase_hits: tuple[list[Hit], list[Hit]] | None = None
) -> PersonalFeatures:
    """`phrase_hits`: what `TOPICS` and `QUESTIONS` find in `text`, when the caller has found
    them already (text.py finds every lexicon of the draft in one pass)."""
    # Built in locals and handed to the dataclass at the end (one call, no default factories).
    feats: dict[str, float] = {}
    topics: list[Hit] = []
    endearments: list[Hit] = []
    starts, tokens, counts = lx.token_info(text)
    if phrase_hits is None:
        words = list(zip(starts, tokens, strict=True))
        phrase_hits = (TOPICS.find(text, words, tokens), QUESTIONS.find(text, words, tokens))
    n_imp = 0
    for h in phrase_hits[0]:
        if h.kind == "impersonal":
            n_imp += 1
            continue
        if h.kind == "endearment":
            endearments.append(h)
            feats["endearment"] = 1.0
        else:
            topics.append(h)
            feats["topic:" + h.kind] = 1.0
    if topics:
        feats["topics_n"] = float(min(len({t.kind for t in topics}), 3))
        _owners(topics, starts, tokens, feats)
    if "first_person" in counts:
        feats["first_person"] = float(min(counts["first_person"], 3))
    if "second_person" in counts:
        feats["second_person"] = float(min(counts["second_person"], 3))
    if "first_plural" in counts:
        feats["first_plural"] = 1.0
    if "close_people" in counts and ("my" in tokens or "our" in tokens):
        feats["my_people"] = 1.0
    if "?" in text:
        feats["question"] = 1.0
    for h in phrase_hits[1]:
        feats[h.kind] = 1.0
    if n_imp:
        feats["impersonal"] = float(min(n_imp, 3))
    # A number needs a digit: one fast C scan spares the word-boundary regex on most texts.
    if has_digit(text) and lx.NUMBER_RE.search(text):
        feats["number"] = 1.0
    n = len(tokens)
    feats["len_short"] = 1.0 if n <= 6 else 0.0
    feats["len_long"] = 1.0 if n >= 25 else 0.0
    return PersonalFeatures(topics, endearments, feats, tokens)


_SUFFIXES = ("ing", "ed", "es", "s", "ly")


_STEMS: dict[str, str] = {}


def stem(word: str) -> str:
    """Strip one common suffix ("cheated" -> "cheat"): fewer, better-fitted word weights."""
    out = word
    for suf in _SUFFIXES:
        if len(word) > len(suf) + 2 and word.endswith(suf):
            out = word[: -len(suf)]
            break
    if len(_STEMS) > 50_000:  # bounded: a pasted novel must not grow memory forever
        _STEMS.clear()
    _STEMS[word] = out
    return out


# Whose life a topic word is about: the words just before it ("your mom", "my salary").
_OWNER_WINDOW = 3
_YOURS = frozenset({"you", "your", "yours", "you're", "ur", "u", "yourself"})
_MINE = frozenset({"i", "my", "me", "mine", "i'm", "i've", "our", "myself", "im"})


def _owners(
    topics: list[Hit], starts: list[int], tokens: list[str], feats: dict[str, float]
) -> None:
    n = len(starts)
    for h in topics:
        # The word starting where the topic does (words are in text order: bisect, no index).
        i = bisect_left(starts, h.start)
        if i == n or starts[i] != h.start:
            continue
        before = tokens[max(0, i - _OWNER_WINDOW) : i]
        if not _YOURS.isdisjoint(before):
            feats["your_topic"] = 1.0
            feats["your:" + h.kind] = 1.0
        elif not _MINE.isdisjoint(before):
            feats["my_topic"] = 1.0
            feats["my:" + h.kind] = 1.0


def personal_features(pf: PersonalFeatures) -> dict[str, float]:
    """The model's input: personal features plus one presence feature per known word."""
    feats = pf.named()
    for tok in set(pf.stems):
        feats["w:" + tok] = 1.0
    return feats
