"""Word lists and compiled patterns shared by the courtesy, intimacy and disclosure scorers.

Everything here is built once at import (plain regex compilation, no I/O); the lists are small
and hand-written so a person can read why a word counts.
"""

from __future__ import annotations

import re
from functools import lru_cache

from coach.analysis.matcher import starts_and_tokens


def wordset(text: str) -> frozenset[str]:
    """A set of words written as one readable, space-separated string."""
    return frozenset(text.split())


def words(*items: str) -> str:
    """An alternation of phrases, longest first so "thank you so much" wins over "thank"."""
    return "|".join(sorted(items, key=len, reverse=True))


# --- Politeness strategies (Danescu-Niculescu-Mizil et al. 2013, after Brown & Levinson) ---

GRATITUDE = words(
    r"thanks?(?:\s+(?:you|a\s+lot|so\s+much|very\s+much|again|in\s+advance))?",
    r"thank\s+you",
    r"thx",
    r"ty",
    r"(?:i|we)\s+(?:really\s+|truly\s+)?appreciate",
    r"grateful",
    r"much\s+appreciated",
    r"cheers",
)
APOLOGY = words(
    r"sorry",
    r"(?:i|we)\s+apologi[sz]e",
    r"apologies",
    r"my\s+bad",
    r"oops",
    r"whoops",
    r"woops",
    r"forgive\s+me",
    r"excuse\s+me",
    r"pardon\s+me",
    r"my\s+apologies",
    r"(?:i|we)\s+regret",
)
HEDGE = words(
    r"maybe",
    r"perhaps",
    r"possibly",
    r"probably",
    r"presumably",
    r"apparently",
    r"i\s+think",
    r"i\s+believe",
    r"i\s+guess",
    r"i\s+suppose",
    r"i\s+suspect",
    r"i\s+wonder(?:ed)?",
    r"i\s+was\s+wondering",
    r"i\s+feel\s+like",
    r"it\s+seems",
    r"seems\s+like",
    r"kind\s+of",
    r"sort\s+of",
    r"somewhat",
    r"a\s+bit",
    r"a\s+little",
    r"i\s+suggest",
    r"might",
    r"if\s+possible",
    r"if\s+you\s+(?:don['’]t|do\s+not)\s+mind",
    r"if\s+you\s+have\s+(?:a\s+)?(?:time|chance|a\s+moment|a\s+minute)",
    r"when\s+you\s+(?:get|have)\s+a\s+(?:chance|moment|minute)",
    r"no\s+(?:rush|pressure|worries)",
    r"if\s+that['’]s\s+ok(?:ay)?",
)
DEFERENCE_START = words(
    r"great",
    r"good",
    r"nice",
    r"interesting",
    r"cool",
    r"excellent",
    r"awesome",
    r"wonderful",
    r"impressive",
    r"fantastic",
    r"congrats",
    r"congratulations",
    r"well\s+done",
)
GREETING = words(
    r"hi",
    r"hello",
    r"hey",
    r"hiya",
    r"howdy",
    r"greetings",
    r"dear",
    r"good\s+(?:morning|afternoon|evening)",
    r"hope\s+you['’]re\s+(?:well|doing\s+well|good)",
    r"hope\s+(?:this|all)\s+finds\s+you\s+well",
)
COUNTERFACTUAL = r"(?:could|would)\s+you|would\s+(?:it\s+be|you\s+be)|(?:i|we)\s+would\s+(?:love|like|appreciate)|would\s+you\s+mind|do\s+you\s+mind"
INDICATIVE = r"(?:can|will)\s+you"
FACTUALITY = words(
    r"actually",
    r"in\s+fact",
    r"the\s+(?:point|reality|truth|fact)\s+is",
    r"obviously",
    r"clearly",
    # Not the reply "Of course!" / "Of course, enjoy it!": that agrees, it insists on nothing.
    r"of\s+course(?!\s*(?:[.!,]|$))",
)
INDIRECT_BTW = r"by\s+the\s+way|btw"
DIRECT_START = r"(?:so|then|and|but|or)\b"
QUESTION_START = r"(?:what|why|who|how|where|when)\b"

# The few, clearly rude phrases worth flagging on their own (never single swear words in
# isolation: "this is damn good" is warm). Kept short on purpose: precision over recall.
RUDE_PHRASES = words(
    r"what\s+the\s+(?:hell|heck|fuck)",
    r"who\s+the\s+(?:hell|heck|fuck)",
    r"why\s+the\s+(?:hell|heck|fuck)",
    r"are\s+you\s+(?:stupid|kidding\s+me|serious|blind|an\s+idiot)",
    r"shut\s+up",
    r"stop\s+(?:it|this|that)\s+now",
    r"get\s+a\s+clue",
    r"learn\s+to\s+read",
    r"do\s+your\s+(?:own\s+)?(?:homework|research)",
    r"(?:read|check)\s+the\s+(?:fucking\s+|damn\s+)?(?:manual|docs|faq)",
    r"rtfm",
    r"stfu",
    r"wtf",
    r"did\s+you\s+even\s+(?:read|look|try|bother)",
    r"as\s+i\s+(?:already\s+)?(?:said|told\s+you)",
    r"how\s+many\s+times",
    r"for\s+the\s+last\s+time",
)

NEGATIVE = wordset(
    """
    abuse absurd annoying annoyed arrogant awful bad badly bizarre blame bogus boring broken
    careless clueless complain complaint confused confusing crap crappy damn dead delete deleted
    destroy disagree disappointed disappointing disgusting dishonest disruptive dumb error
    errors fail failed failure fake false fault foolish garbage hate hated hell horrible idiot
    idiotic ignorant ignore ignored incompetent incorrect insane insult invalid irrelevant
    lazy lie lied lies lousy mess messed mistake nonsense obnoxious offensive pathetic pointless
    poor problem problems ridiculous rubbish rude sad shit silly spam stupid sucks terrible
    troll ugly unacceptable useless vandal vandalism vandalize vandalized waste weird worse
    worst wrong wtf
    """
)
POSITIVE = wordset(
    """
    amazing appreciate appreciated awesome beautiful best brilliant clear cool correct
    excellent fabulous fantastic fine glad good gorgeous grateful great happy helpful
    impressive interesting kind lovely nice perfect pleasant pleased pleasure precious
    superb support terrific thank thanks thoughtful useful valuable welcome well wise wonderful
    """
)

# Over-warmth: superlatives that, stacked, read as gushing.
GUSH = words(
    r"amazing",
    r"incredible",
    r"incredibly",
    r"awesome",
    r"fantastic",
    r"brilliant",
    r"phenomenal",
    r"extraordinary",
    r"spectacular",
    r"outstanding",
    r"genius",
    r"legend(?:ary)?",
    r"wonderful",
    r"perfect",
    r"stunning",
    r"mind[-\s]?blowing",
    r"life[-\s]?changing",
    r"the\s+best",
    r"best\s+ever",
    r"so\s+so",
    r"absolutely",
    r"totally",
    r"obsessed",
    r"adore",
    r"love\s+love",
    r"huge\s+fan",
    r"biggest\s+fan",
    r"idol",
    r"hero",
    r"literally",
    r"omg",
    r"owe\s+you\s+my\s+life",
    r"best\s+\w+\s+ever",
    r"queen",
    r"king",
    r"goat",
)

FIRST_PERSON = frozenset(
    {"i", "me", "my", "mine", "myself", "i'm", "i've", "i'd", "i'll", "im", "ive"}
)
FIRST_PLURAL = frozenset({"we", "us", "our", "ours", "ourselves", "we're", "we've", "let's"})
SECOND_PERSON = frozenset(
    {
        "you",
        "your",
        "yours",
        "yourself",
        "yourselves",
        "you're",
        "you've",
        "you'd",
        "you'll",
        "u",
        "ur",
    }
)
# Words that mark "my close people" for informational disclosure ("my mum", "my husband").
CLOSE_PEOPLE = wordset(
    """
    mom mum mother dad father parents kids kid son daughter brother sister husband wife
    boyfriend girlfriend partner fiance fiancee grandma grandpa grandmother grandfather family
    aunt uncle cousin friend friends bf gf
    """
)
NUMBER_RE = re.compile(r"\b\d+\b")
LAUGH = wordset("lol lmao haha hahaha hehe rofl lolol")

# One lookup per word instead of one scan per word list (the hot path of every check).
WORD_CLASS: dict[str, str] = {}
for _cls, _words in (
    ("negative", NEGATIVE),
    ("positive", POSITIVE),
    ("close_people", CLOSE_PEOPLE),
    ("laugh", LAUGH),
    ("first_plural", FIRST_PLURAL),
    ("second_person", SECOND_PERSON),
    ("first_person", FIRST_PERSON),
):
    for _w in _words:
        WORD_CLASS[_w] = _cls


def count_classes(tokens: list[str]) -> dict[str, int]:
    """How many words of each class (negative, positive, first_person...) the tokens hold."""
    classes = WORD_CLASS
    # Most words have no class: the few that have are picked and counted in C (the keys in
    # order of first appearance, as a counting loop would make them).
    found = list(map(classes.__getitem__, filter(classes.__contains__, tokens)))
    return {c: found.count(c) for c in dict.fromkeys(found)}


@lru_cache(maxsize=8)
def token_info(text: str) -> tuple[list[int], list[str], dict[str, int]]:
    """(where each word starts, the lower-cased words, their class counts) for a text, cached.

    Courtesy, intimacy and the span lexicons all read the same draft; this is computed once
    for it. Callers must not mutate what it returns.
    """
    starts, tokens = starts_and_tokens(text)
    return starts, tokens, count_classes(tokens)


def word_starts(text: str) -> list[int]:
    """Where each word of `token_info(text)` starts, for bisection (callers must not mutate it)."""
    return token_info(text)[0]
