"""Word lists and compiled patterns shared by the courtesy, intimacy and disclosure scorers.

Everything here is built once at import (plain regex compilation, no I/O); the lists are small
and hand-written so a person can read why a word counts.
"""

from __future__ import annotations

import re
from functools import lru_cache

from coach.analysis.matcher import words_of

# Tokens for the vocabulary features: lower-cased words, keeping inner apostrophes ("don't").
TOKEN_RE = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")

# Sentence starts: the beginning of the text, or after . ! ? or a line break, skipping
# spaces, quotes and brackets. Used to anchor openers ("So...", "Please...").
SENT_START = r"(?:^|(?<=[.!?\n])|(?<=[.!?]\s)|(?<=\n\s))[\s\"'(\[]*"


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
    r"of\s+course",
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

# --- Personal topics (intimacy; Altman & Taylor's layers, Pei & Jurgens' intimate questions) ---

TOPIC_WORDS: dict[str, str] = {
    "family": words(
        r"famil(?:y|ies)",
        r"mom",
        r"moms",
        r"mum",
        r"mother",
        r"dad",
        r"father",
        r"parents?",
        r"kids?",
        r"child(?:ren)?",
        r"sons?",
        r"daughters?",
        r"brothers?",
        r"sisters?",
        r"siblings?",
        r"grand(?:ma|pa|mother|father|parents?)",
        r"aunt",
        r"uncle",
        r"cousins?",
        r"pregnan(?:t|cy)",
        r"baby",
        r"adopted",
        r"childhood",
        r"grew\s+up",
        r"raised",
    ),
    "relationships": words(
        r"boyfriend",
        r"girlfriend",
        r"husband",
        r"wife",
        r"partner",
        r"spouse",
        r"married",
        r"marriage",
        r"divorce[d]?",
        r"dating",
        r"date",
        r"crush",
        r"ex",
        r"relationships?",
        r"single",
        r"breakup",
        r"broke\s+up",
        r"cheat(?:ed|ing)?",
        r"in\s+love",
        r"romantic",
        r"romance",
        r"kiss(?:ed|ing)?",
        r"lonely",
        r"loneliness",
        r"friends?",
        r"friendship",
        r"soulmate",
        r"fianc[ée]e?",
        r"let\s+go",
        r"the\s+past",
        r"move\s+on",
        r"second\s+chance",
        r"ghost(?:ed|ing)",
    ),
    "health": words(
        r"health",
        r"sick",
        r"illness",
        r"ill",
        r"disease",
        r"cancer",
        r"diagnos(?:ed|is)",
        r"doctor",
        r"hospital",
        r"therap(?:y|ist)",
        r"medication",
        r"meds",
        r"depress(?:ed|ion)",
        r"anxiety",
        r"anxious",
        r"mental",
        r"suicid(?:e|es|al)",
        r"ptsd",
        r"panic\s+attacks?",
        r"mood\s+swings?",
        r"burn(?:ed|t)?\s*out",
        r"self[-\s]?(?:esteem|harm)",
        r"eating\s+disorders?",
        r"support\s+group",
        r"workaholic",
        r"heroin",
        r"cocaine",
        r"weed",
        r"marijuana",
        r"meth",
        r"overdos(?:e|ed)",
        r"surgery",
        r"pain",
        r"disorder",
        r"adhd",
        r"autis(?:m|tic)",
        r"addict(?:ed|ion)?",
        r"drugs?",
        r"alcohol(?:ic)?",
        r"drunk",
        r"weight",
        r"diet",
        r"pregnan(?:t|cy)",
        r"died",
        r"death",
        r"dying",
        r"die",
        r"grief",
        r"trauma(?:tic)?",
        r"abuse[d]?",
        r"chronic",
        r"migraines?",
        r"antidepressants?",
        r"chemo(?:therapy)?",
        r"symptoms?",
        r"treatment",
        r"condition",
        r"miscarriage",
        r"infertil(?:e|ity)",
        r"rehab",
        r"sober",
        r"sobriety",
    ),
    "money": words(
        r"money",
        r"salary",
        r"income",
        r"debt",
        r"loan",
        r"rent",
        r"mortgage",
        r"broke",
        r"poor",
        r"rich",
        r"wealth(?:y)?",
        r"paid",
        r"pay",
        r"earn",
        r"savings",
        r"afford",
        r"bills",
        r"finances?",
        r"financial(?:ly)?",
        r"how\s+much\s+do\s+you\s+make",
    ),
    "beliefs": words(
        r"god",
        r"jesus",
        r"christ",
        r"bible",
        r"buddhis[mt]",
        r"islam",
        r"heaven",
        r"karma",
        r"spiritual(?:ity)?",
        r"racis[tm]",
        r"sexis[tm]",
        r"homophob(?:ic|ia)",
        r"transphob(?:ic|ia)",
        r"privilege[d]?",
        r"feminis[tm]",
        r"white\s+(?:male|males|men|people)",
        r"black\s+people",
        r"racial",
        r"religio(?:n|us)",
        r"church",
        r"pray(?:er|ing)?",
        r"faith",
        r"believe\s+in",
        r"atheist",
        r"christian",
        r"muslim",
        r"jewish",
        r"politics",
        r"political",
        r"vote[d]?",
        r"conservative",
        r"liberal",
        r"afterlife",
        r"soul",
        r"meaning\s+of\s+life",
        r"morals?",
        r"values",
    ),
    "sexuality": words(
        r"sex",
        r"sexy",
        r"anal",
        r"ass",
        r"butt",
        r"spank(?:ing|ed)?",
        r"pussy",
        r"dick",
        r"cock",
        r"threesomes?",
        r"orgasms?",
        r"condoms?",
        r"foreplay",
        r"fetish(?:es)?",
        r"kinks?",
        r"kinky",
        r"in\s+bed",
        r"sle(?:ep|pt|eping)\s+with",
        r"oral",
        r"erotic",
        r"flirt(?:ing|ed)?",
        r"boobs?",
        r"tits",
        r"bdsm",
        r"turn\s+(?:on|off)",
        r"sexual(?:ly|ity)?",
        r"gay",
        r"lesbian",
        r"bisexual",
        r"straight",
        r"virgin(?:ity)?",
        r"transgender",
        r"trans",
        r"gender",
        r"orientation",
        r"porn",
        r"naked",
        r"nude",
        r"horny",
        r"masturbat\w*",
        r"turn(?:s|ed)?\s+(?:you\s+)?on",
        r"laid",
        r"hook\s*up",
        r"one\s+night\s+stand",
        r"lgbt\w*",
        r"queer",
        r"coming\s+out",
        r"came\s+out",
    ),
    "emotions": words(
        r"feel(?:s|ing|ings)?",
        r"felt",
        r"emotion(?:s|al|ally)?",
        r"happy",
        r"happiest",
        r"happiness",
        r"sad",
        r"saddest",
        r"sadness",
        r"cry",
        r"cried",
        r"crying",
        r"tears",
        r"afraid",
        r"scared",
        r"fears?",
        r"worry",
        r"worried",
        r"ashamed",
        r"shame",
        r"embarrass(?:ed|ing|ment)",
        r"regret(?:s|ted)?",
        r"guilt(?:y)?",
        r"jealous",
        r"hurt",
        r"heartbroken",
        r"angry",
        r"upset",
        r"proud",
        r"love[ds]?",
        r"hate[ds]?",
        r"miss(?:ed)?\s+(?:you|him|her|them)",
        r"insecur(?:e|ity|ities)",
        r"secret(?:s|ly)?",
        r"confess",
        r"vulnerable",
        r"hopes?",
        r"dreams?",
        r"struggl(?:e|ed|ing)",
        r"awkward",
        r"disappoint(?:ed|ing|ment)?",
        r"confiden(?:t|ce)",
        r"nervous",
        r"lonel(?:y|iness)",
        r"insecure",
        r"hopeless",
        r"depressing",
        r"heartbreak",
        r"what\s+is\s+it\s+like",
        r"how\s+does\s+it\s+feel",
        r"cope",
        r"coping",
    ),
    "body": words(
        r"body",
        r"naked",
        r"skin",
        r"hair",
        r"face",
        r"looks",
        r"attractive",
        r"ugly",
        r"beautiful",
        r"fat",
        r"weight",
        r"height",
        r"breasts?",
        r"penis",
        r"pee",
        r"poop",
    ),
    "location": words(
        r"where\s+do\s+you\s+live",
        r"your\s+(?:phone\s+|cell\s+|mobile\s+|whatsapp\s+|home\s+)?(?:number|address)",
        r"phone\s+number",
        r"whatsapp",
        r"home\s+address",
        r"where\s+are\s+you\s+from",
        r"address",
        r"home\s+town",
        r"hometown",
        r"neighbou?rhood",
        r"your\s+(?:house|home|apartment|flat|place)",
        r"live\s+in",
        r"moved\s+to",
    ),
    "work": words(
        r"job",
        r"jobs",
        r"boss",
        r"career",
        r"fired",
        r"laid\s+off",
        r"coworkers?",
        r"colleagues?",
        r"quit",
        r"unemployed",
        r"work(?:ing)?",
    ),
}

# Plainly impersonal subject matter (technology, science, nature, products): questions about
# these rate low on intimacy whatever their grammar.
IMPERSONAL = words(
    r"computers?",
    r"laptops?",
    r"windows",
    r"linux",
    r"mac\s*os",
    r"cpus?",
    r"gpus?",
    r"nvidia",
    r"intel",
    r"amd",
    r"software",
    r"hardware",
    r"apps?",
    r"website",
    r"browser",
    r"code",
    r"programming",
    r"internet",
    r"wifi",
    r"router",
    r"server",
    r"phones?",
    r"iphone",
    r"android",
    r"physics",
    r"chemistry",
    r"biology",
    r"planets?",
    r"exoplanets?",
    r"atoms?",
    r"molecules?",
    r"gravity",
    r"energy",
    r"speed",
    r"measurement",
    r"units?",
    r"temperature",
    r"insects?",
    r"beetles?",
    r"bugs?",
    r"plants?",
    r"trees?",
    r"grass",
    r"seeds?",
    r"mountains?",
    r"ocean",
    r"rivers?",
    r"species",
    r"birds?",
    r"animals?",
    r"history",
    r"historical",
    r"century",
    r"ancient",
    r"medieval",
    r"empire",
    r"cars?",
    r"engine",
    r"batter(?:y|ies)",
    r"weapons?",
    r"tools?",
    r"lottery",
    r"economy",
    r"government",
    r"law",
    r"legal",
    r"science",
    r"scientists?",
    r"theory",
    r"universe",
    r"earth",
    r"moon",
    r"sun",
    r"water",
    r"metal",
    r"crystals?",
    r"recipe",
    r"ingredients?",
    r"tax(?:es)?",
    r"bacteria",
    r"virus(?:es)?",
    r"spiders?",
    r"earthquakes?",
    r"tsunamis?",
    r"microwaves?",
    r"words?",
    r"restaurants?",
    r"dictionary",
    r"language",
    r"math",
    r"chemicals?",
    r"electricity",
    r"machines?",
)

ENDEARMENT = words(
    r"hun",
    r"hon",
    r"honey",
    r"sweetie",
    r"sweetheart",
    r"sweety",
    r"babe",
    r"baby",
    r"darling",
    r"dear(?=[\s,!.]*$)",
    r"love(?=[\s,!.]*$)",
    r"luv",
    r"sugar",
    r"cutie",
    r"buddy",
    r"bud",
    r"pal",
    r"mate",
    r"bestie",
    r"bro",
    r"sis",
    r"xoxo",
    r"xx+",
    r"hugs",
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
    counts: dict[str, int] = {}
    get = WORD_CLASS.get
    for t in tokens:
        c = get(t)
        if c is not None:
            counts[c] = counts.get(c, 0) + 1
    return counts


@lru_cache(maxsize=8)
def token_info(text: str) -> tuple[list[tuple[int, str]], list[str], dict[str, int]]:
    """(words with offsets, the words alone, their class counts) for a text, cached.

    Courtesy, intimacy and disclosure all read the same draft; this is computed once for it.
    Callers must not mutate what it returns.
    """
    words = words_of(text)
    tokens = [w for _, w in words]
    return words, tokens, count_classes(tokens)
