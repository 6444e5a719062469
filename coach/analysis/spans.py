"""The relationship-relevant phrases of a draft: endearments, presumed closeness, chasing, channel
moves, researched facts, requests and how it addresses the reader. Exact spans, one pass of the
word-level matcher (lexmatch.py) over the lowercased draft.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import cache

from coach.analysis.features import RequestSpan, Span
from coach.analysis.lexmatch import Hit, Lexicon, lower_same_length

# Every pattern is a lowercase alternation matched on the lowercased draft (same length, see
# text.py) by the word-level matcher of lexmatch.py, all categories in one pass.

# Endearments that are terms of affection wherever they stand.
_STRONG_ENDEARMENT = (
    r"hun|hon|honey|babe|baby ?girl|sweetie|sweetheart|sweetpea|darling|dearest|cutie|bestie|"
    r"luv|my (?:love|darling)|sugar|doll|dearie|sunshine|handsome|gorgeous|"
    r"beautiful|hottie|sexy"
)
# Words that are endearments only when used to address someone ("thanks, buddy!", "hey mate").
_VOCATIVE_ENDEARMENT = (
    r"buddy|bud|pal|mate|bro|sis|dude|love|dear|friend|my friend|my dear|fam|chief|boss|champ|"
    r"big guy|girl|girlie|babes"
)
_VOCATIVE_LEAD = r"(?:^|[,;:!?.]\s*|\b(?:hi|hey|hello|hiya|yo|thanks|thank you|thx|cheers|morning|night|bye|ok|okay|sorry|sure|love you|miss you)\s+)"
_VOCATIVE_TAIL = r"(?=\s*(?:[,.!?;:)]|$|\n)|\s+[\u2600-\u27bf\U0001F000-\U0001FAFF])"
_VOCATIVE_LEAD_RE = re.compile(rf"{_VOCATIVE_LEAD}$", re.M)
# Words with everyday meanings ("honey cake", "enjoy the sunshine") count only when they
# address the reader.
_ADJECTIVE_ENDEARMENTS = frozenset(
    {"beautiful", "gorgeous", "handsome", "sexy", "sugar", "doll", "honey", "sunshine"}
)

_CLOSENESS = (
    r"as (?:a|your|an old) friend|as friends|we go (?:way )?back|you know me|"
    r"between (?:us|you and me|you and i)|like (?:old friends|family|a brother|a sister)|"
    r"(?:my|an) old friend|you(?:'re| are) (?:like )?family|i feel like i(?:'ve)? (?:know|known) you|"
    r"(?:feels? like )?we(?:'ve| have) known each other|our little secret|inside joke|"
    r"you and i both know|i know you(?:'d| would| will)? (?:understand|get it|won't mind)|"
    r"kindred spirits?|you(?:'re| are) the only one who (?:understands|gets (?:it|me))|we(?:'re| are) basically (?:friends|family|besties)|friends like us|"
    r"just (?:the two of us|you and me|you and i)"
)

_GUILT = (
    r"still waiting|did you (?:even )?(?:see|get|read|receive) (?:my|this|it)|"
    r"(?:just )?bumping (?:this|my)|following up (?:again|once more|one more time)|"
    r"just following up|following up on my|did you (?:get|have) a chance to (?:look|read|see|reply)|"
    r"in case you missed|haven'?t heard back|not sure if you saw|circling back(?: again)?|"
    r"checking in again|any (?:update|news)(?: yet)?\?|per my (?:last|previous) (?:email|message|note)|"
    r"as i (?:said|mentioned) (?:before|earlier|last time)|i guess you(?:'re| are) (?:busy|too busy)|"
    r"ignoring me|you never (?:replied|answered|responded|got back)|"
    r"you (?:didn'?t|haven'?t) (?:replied|answered|responded|gotten back)|"
    r"hello\?\?|anyone there\?|(?:third|fourth|fifth|3rd|4th|5th) (?:time|message|email|attempt)"
)

# Channel moves, with how private the target is (0 public .. 3 in person / home address).
_CHANNEL_MOVES: dict[str, tuple[str, int]] = {
    "dm": (
        r"dm me|dm us|send (?:me|us) an? (?:dm|direct message|private message|pm)|pm me|"
        r"message me (?:privately|directly)|slide into (?:your|my) dms|"
        r"(?:let'?s|can we|could we|shall we) (?:take|move|continue) (?:this|it) (?:to|in|over) "
        r"(?:dms?|private|direct messages?)|(?:let'?s )?take this (?:offline|private|off (?:the blog|here|"
        r"twitter|linkedin|this thread))",
        1,
    ),
    "email": (
        r"email me|e-mail me|drop me an? (?:email|line)|my email is|"
        r"(?:what'?s|what is|send me|give me|share) your (?:personal )?e-?mail(?: address)?",
        1,
    ),
    "sms": (
        r"text me|what'?s your (?:phone |cell |mobile )?number|what is your (?:phone |cell |mobile )?number|"
        r"(?:send|give|share) me your (?:phone |cell |mobile )?number|your (?:cell|mobile|phone) number|"
        r"my number is|(?:add|find) me on (?:whatsapp|telegram|signal|snap(?:chat)?|instagram|facebook)|"
        r"whatsapp me|(?:your|my) (?:whatsapp|signal|telegram) (?:number|handle)|i'?ll text you|"
        r"(?:can|could|may) i (?:get|have) your (?:number|(?:whatsapp|signal|telegram)(?: number)?|"
        r"snap(?:chat)?|insta(?:gram)?)|"
        r"what'?s your (?:(?:whatsapp|signal|telegram)(?: number)?|snap(?:chat)?|insta(?:gram)?)",
        2,
    ),
    "call": (
        r"call me|give me a (?:call|ring)|(?:hop|jump|get) on a (?:quick )?(?:call|zoom|phone call|video call)|"
        r"(?:can|could|shall) we (?:have|do|set up|schedule) a (?:quick )?(?:call|phone call|video call|zoom)|"
        r"let'?s (?:have|do|set up|schedule) a (?:quick )?(?:call|zoom|phone call|video call)|facetime me|"
        r"i'?ll (?:call|ring) you",
        2,
    ),
    "in_person": (
        r"(?:let'?s|we should|can we|could we|want to|wanna|would love to|shall we) "
        r"(?:meet(?: up)?|grab (?:a )?(?:coffee|drink|drinks|lunch|dinner|a bite)|"
        r"get (?:coffee|drinks|dinner|lunch)|hang out)|come over to my place|come to my place|"
        r"(?:are you|you) free (?:to|for) (?:grab |get |have )?(?:a )?(?:coffee|drink|drinks|"
        r"dinner|lunch)",
        3,
    ),
    "address": (
        r"(?:send|give|share) me your (?:home |mailing |postal )?address|"
        r"what(?:'s| is) your (?:home |mailing |postal )?address",
        3,
    ),
}
CHANNEL_MOVE_PRIVACY: dict[str, int] = {k: v[1] for k, v in _CHANNEL_MOVES.items()}

# Life events congratulated on, and the topic each reveals.
EVENT_TOPICS: dict[str, str] = {
    "baby": "family",
    "pregnancy": "family",
    "little one": "family",
    "wedding": "relationships",
    "engagement": "relationships",
    "marriage": "relationships",
    "divorce": "relationships",
    "house": "location",
    "home": "location",
    "move": "location",
    "promotion": "work",
    "job": "work",
}

# Requests. Softened forms first (could/would you, would you mind); then bald ones.
_SOFT_REQUEST = (
    r"(?:could|would|can|will) you(?: please| possibly| maybe| kindly)?|would you mind|"
    r"i was wondering if|i wonder if|if you (?:could|have (?:a moment|time)|get a chance)|"
    r"would it be possible|any chance (?:you|of|for)|is there any chance|do you think you could|"
    r"i(?:'d| would) (?:love|appreciate|be grateful) (?:it )?if|"
    # Asking for free advice: the classic big ask of someone you barely know.
    r"(?:i(?:'d| would) love to|(?:can|could|may) i|let me) pick your brains?"
)
_BALD_VERBS = (
    r"send|give|call|email|introduce|intro|review|share|check out|sign up|buy|tell|let me know|reply|"
    r"fill out|fill in|pay|lend|donate|vote|follow|subscribe|help|meet|join|connect|forward|"
    r"retweet|read|look at|transfer|venmo|book|schedule|refer|recommend|approve|fix|answer|"
    r"respond|invest|hire|put me in touch|get back to me|dm|text|repost|download|try|order|sponsor"
)
# "intro me to", "an intro", "intros to": the short form people type for an introduction.
_INTRO = r"intros? (?:(?:me|us|him|her|them) )?to|an intro"
# A deadline on an ask raises its imposition one step (Brown & Levinson: the rank of the imposition).
_URGENT = (
    r"asap|a\.s\.a\.p|as soon as possible|urgent(?:ly)?|right away|immediately|"
    r"by (?:tomorrow|tonight|today|eod|end of (?:the )?(?:day|week))"
)
_NEED_YOU = r"(?:i )?need you to|you need to|you must|you have to|i want you to|you should"
_LARGE = (
    r"money|loan|lend|invest(?:ment|or|ing)?|donat(?:e|ion)|fund(?:ing)?|venmo|paypal|"
    r"transfer|sponsor|introduc(?:e|tion)|" + _INTRO + r"|refer(?:ral)?|put (?:me )?in touch|"
    r"good word|recommendation letter|reference|hire|job|position|interview|an hour|a few hours|"
    r"pick your brains?|"
    r"weekend|(?:my|our) (?:book|manuscript|thesis|deck|business plan|startup|codebase)|"
    r"your (?:contacts|network|investors|partners|clients|boss|ceo|vp)|\d+[- ]page"
)
_MEDIUM = (
    r"call|meet(?:ing)?|coffee|lunch|dinner|chat|zoom|feedback|review|read|look at|share|"
    r"retweet|repost|sign up|subscribe|buy|purchase|order|vote|survey|fill|download|try|demo|"
    r"check out|follow|upgrade|pre-?order|book"
)
_KIND_WORDS = {
    "money": r"money|loan|lend|invest(?:ment|or|ing)?|donat(?:e|ion)|fund(?:ing|s)?|venmo|paypal|"
    r"transfer|sponsor",
    "intro": r"introduc(?:e|tion)|" + _INTRO + r"|refer(?:ral)?|put (?:me )?in touch|good word|"
    r"recommend(?:ation)?|your (?:contacts|network|investors|partners|clients)",
    "pitch": r"buy|purchase|order|subscribe|sign up|upgrade|demo|pre-?order|check out",
    "meeting": r"meet(?:ing)?|coffee|lunch|dinner",
    "call": r"call|zoom",
    "time": r"review|feedback|read|look at|an hour|a few hours|pick your brains?",
}
_KIND_ORDER = ("money", "intro", "pitch", "meeting", "call", "time")
_MONEY_RE = re.compile(r"\$\s?\d")
_RESEARCHED = {
    "source": r"i (?:saw|noticed|see|read|found|spotted) (?:on|in|from|through) your "
    r"(?:profile|instagram|insta|facebook|fb|linkedin|page|posts?|photos?|pictures?|stories|story|"
    r"feed|tiktok|twitter|x account)|"
    r"i (?:looked you up|googled you|did (?:some|a bit of) digging|stalked your)|"
    r"i found your (?:address|number|photos?|profile|family|wife|husband|kids)",
    "business": r"(?:we|i) (?:noticed|see|saw|can see) (?:that )?you(?:'ve| have)? "
    r"(?:recently |just )?(?:moved|bought|had|got|visited|browsed|viewed|looked at|live|left|"
    r"changed|started|spent|were at|abandoned|checked(?: out)?|clicked|opened|downloaded|searched|"
    r"watched|added|removed|cancell?ed|logged in)|we know (?:that )?you|"
    r"(?:we|i) (?:noticed|see|saw|can see) (?:that )?you (?:haven'?t|have not|didn'?t|did not) "
    r"(?:opened|read|clicked|seen|viewed|logged in)",
    "event": r"congrat(?:ulation)?s on (?:the |your )?(?:new )?(?:baby|pregnancy|wedding|engagement|"
    r"house|home|move|divorce|promotion|job|marriage|little one)",
}
_HEDGE = (
    r"please|pls|maybe|perhaps|possibly|if you (?:can|could|have|get|don'?t mind)|"
    r"no (?:pressure|worries|rush)|when you (?:have|get) a (?:moment|chance|minute)|"
    r"totally fine if not|happy to understand if not|would|could|might|if possible|"
    r"no obligation|only if"
)
# How the draft addresses them: a greeting followed by a name, or "thanks, Dan".
_NAME = (
    r"(?:(?:Dr|Mr|Mrs|Ms|Mx|Prof|Professor|Sir|Madam)\.?\s+)?[A-Z][\w'’\-]*(?:\s+[A-Z][\w'’\-]*)?"
)
# Tried only at the start of each line (a greeting, or "Dana," alone), and after a thank-you.
_LINE_ADDRESS_RE = re.compile(
    r"\s*(?:(?P<greet>(?i:hi|hey|hello|hiya|dear|morning|good (?:morning|afternoon|evening)|"
    r"yo|howdy|greetings|heya|hey there))[ \t,]+(?P<name>"
    + _NAME
    + r")(?=\s*[,!:.\-—\n]|\s*$|\s+[a-z])"
    r"|(?P<bare>" + _NAME + r")(?=,\s))"
)
_THANKS_ADDRESS_RE = re.compile(
    r"(?P<thanks>[Tt]hanks|[Tt]hank you|[Cc]heers|[Bb]ye|[Ss]ee you)[ \t,]+(?P<tname>"
    + _NAME
    + r")(?=\s*[,!.]|\s*$)"
)
_NOT_NAMES = frozenset(
    {
        "all",
        "everyone",
        "team",
        "there",
        "folks",
        "guys",
        "friends",
        "again",
        "so",
        "for",
        "a",
        "the",
        "you",
        "so much",
        "in",
        "i",
        "we",
        "ok",
        "okay",
        "yes",
        "no",
        "well",
        "also",
        "and",
        "but",
        "sorry",
        "just",
        "quick",
        "thanks",
        "hello",
        "hi",
        "hey",
        "please",
        "sure",
        "great",
    }
)


CATEGORIES: dict[str, dict[str, str]] = {
    "strong": {"strong": _STRONG_ENDEARMENT},
    "vocative": {"vocative": _VOCATIVE_ENDEARMENT},
    "closeness": {"closeness": _CLOSENESS},
    "guilt": {"guilt": _GUILT},
    "channel": {k: v[0] for k, v in _CHANNEL_MOVES.items()},
    "researched": _RESEARCHED,
    "soft": {"soft": _SOFT_REQUEST},
    "bald": {"verb": _BALD_VERBS, "need": _NEED_YOU},
    "hedge": {"hedge": _HEDGE},
    "size": {"large": _LARGE, "medium": _MEDIUM},
    "urgent": {"urgent": _URGENT},
    "kind": _KIND_WORDS,
}
Hits = dict[str, list[Hit]]


@cache
def lexicon() -> Lexicon:
    """Built on first use, not at import."""
    return Lexicon(CATEGORIES)


_NOT_AFTER_STRONG_RE = re.compile(r"['’]s|\s+(?:of|idea|feature|job|work|place|product|design)\b")
_VOCATIVE_TAIL_RE = re.compile(_VOCATIVE_TAIL)
_VOCATIVE_LEAD_RE = re.compile(rf"{_VOCATIVE_LEAD}$", re.M)


def find_endearments(text: str, hits: Hits | None = None) -> list[Span]:
    """Endearments in the lowercased `text`: affectionate words anywhere, and words like
    'buddy' or 'mate' only where they address someone."""
    hits = hits if hits is not None else lexicon().find(text)
    spans: list[Span] = []
    for start, end, _ in hits["strong"]:
        if _NOT_AFTER_STRONG_RE.match(text, end):
            continue
        word = text[start:end]
        if word in _ADJECTIVE_ENDEARMENTS and not _is_vocative(text, start, end):
            continue
        spans.append(Span(start, end, "endearment", word))
    for start, end, _ in hits["vocative"]:
        if not _VOCATIVE_TAIL_RE.match(text, end):
            continue
        # Only as a form of address: after a greeting, a thank-you or punctuation.
        if start == 0 or _VOCATIVE_LEAD_RE.search(text, max(0, start - 16), start):
            spans.append(Span(start, end, "vocative", text[start:end]))
    if len(spans) < 2:  # most drafts: nothing to order or to drop
        return spans
    spans.sort(key=lambda s: s.start)
    return _dedupe(spans)


def _is_vocative(text: str, start: int, end: int) -> bool:
    """Used to address someone: after a greeting, a thank-you or punctuation, before a pause."""
    lead = start == 0 or bool(_VOCATIVE_LEAD_RE.search(text, max(0, start - 16), start))
    after = text[end : end + 2].lstrip()
    tail = not after or after[0] in ",.!?;:)"
    return lead and tail


def find_phrases(found: list[Hit], text: str, kind: str) -> list[Span]:
    return [Span(s, e, kind, text[s:e]) for s, e, _ in found]


def find_channel_moves(text: str, hits: Hits) -> list[Span]:
    """Each span's kind is the target: dm, email, sms, call, in_person or address."""
    return [Span(s, e, label, text[s:e]) for s, e, label in hits["channel"]]


def find_researched(text: str, hits: Hits) -> list[Span]:
    """Kinds: `source` (I saw on your profile), `business` (we noticed you), `event:<topic>`."""
    spans: list[Span] = []
    for start, end, label in hits["researched"]:
        words = text[start:end]
        kind = label
        if label == "event":
            topic = next((t for w, t in EVENT_TOPICS.items() if words.endswith(w)), "family")
            kind = f"event:{topic}"
        spans.append(Span(start, end, kind, words))
    return spans


def _within(found: list[Hit], start: int, end: int) -> list[Hit]:
    return [h for h in found if start <= h[0] < end]


def _opens_clause(text: str, start: int) -> bool:
    """Whether a verb at `start` opens a sentence or clause (an imperative), allowing 'please'."""
    before = text[:start].rstrip()
    if before.endswith("please"):
        before = before[:-6].rstrip()
    # "Also, send…", "And can you…": a connective word does not stop a clause opening.
    word = before[before.rfind(" ", max(0, len(before) - 12)) + 1 :].lower()
    if word in _CONNECTIVES and len(word) < len(before):
        before = before[: -len(word)].rstrip()
    elif word in _CONNECTIVES:
        before = ""
    return not before or before[-1] in ".!?\n,:;"


_CONNECTIVES = frozenset({"also", "and", "so", "but", "oh", "btw", "plus", "then", "ok", "okay"})


def find_requests(text: str, bounds: list[tuple[int, int]], hits: Hits) -> list[RequestSpan]:
    """Requests, one per sentence at most, sized by what they ask for and marked bald when the
    sentence has no softening at all (Brown & Levinson's bald on record)."""
    if not bounds:
        return []
    candidates: list[tuple[int, int, bool]] = []
    for s, e, _ in hits["soft"]:
        candidates.append((s, e, True))
    for s, e, label in hits["bald"]:
        if label == "need" or _opens_clause(text, s):
            candidates.append((s, e, False))
    if not candidates:  # most drafts ask nothing
        return []
    starts = [b[0] for b in bounds]
    seen: set[int] = set()
    out: list[RequestSpan] = []
    for start, end, soft in candidates:
        i = max(0, bisect_right(starts, start) - 1)
        if i in seen:
            continue
        s_start, s_end = bounds[i]
        sentence = text[s_start:s_end]
        words = text[start:end]
        if (
            soft
            and not sentence.rstrip().endswith("?")
            and "mind" not in words
            and "wonder" not in words
            and " if" not in words
            and "brain" not in words
            and not (words.startswith(("can you", "will you")) and _opens_clause(text, start))
        ):
            # "you could also try X." is a suggestion, not a request.
            continue
        seen.add(i)
        bald = not soft and not _within(hits["hedge"], s_start, s_end)
        sizes = {label for _, _, label in _within(hits["size"], s_start, s_end)}
        if "$" in sentence and _MONEY_RE.search(sentence):
            sizes.add("large")
        size = "large" if "large" in sizes else "medium" if "medium" in sizes else "small"
        if _within(hits["urgent"], s_start, s_end):
            size = "large" if size != "small" else "medium"
        kinds = {label for _, _, label in _within(hits["kind"], s_start, s_end)}
        if "$" in sentence and _MONEY_RE.search(sentence):
            kinds.add("money")
        kind = "favour"
        for k in _KIND_ORDER:  # the first kind found, in this order (no generator to set up)
            if k in kinds:
                kind = k
                break
        out.append(RequestSpan(start, s_end, size, bald, kind, text[start:s_end].rstrip()))
    out.sort(key=lambda r: r.start)
    return out


def find_address(text: str, low: str | None = None) -> tuple[Span | None, list[Span]]:
    """The greeting (if any) and every name the draft addresses the reader by (case matters:
    run on the draft as written). `low`: `lower_same_length(text)`, when the caller has it."""
    greeting: Span | None = None
    names: list[Span] = []
    if "\n" in text:
        starts = [0, *(i + 1 for i, ch in enumerate(text) if ch == "\n")]
        matches = [m for p in starts if (m := _LINE_ADDRESS_RE.match(text, p))]
    else:  # one line (most drafts): one try, no comprehension to set up
        first = _LINE_ADDRESS_RE.match(text)
        matches = [first] if first is not None else []
    if low is None:
        low = lower_same_length(text)
    for word in ("thank", "cheers", "bye", "see you"):
        # str.find is far faster than a regex scan; the pattern is then tried where it can match.
        pos = low.find(word)
        while pos != -1:
            if pos == 0 or not text[pos - 1].isalnum():
                m = _THANKS_ADDRESS_RE.match(text, pos)
                if m:
                    matches.append(m)
            pos = low.find(word, pos + 1)
    for m in matches:
        found = m.groupdict()  # one dict per match (the two patterns name different groups)
        for group in ("name", "bare", "tname"):
            name = found.get(group)
            if name:
                if name.lower() in _NOT_NAMES or name.split()[0].lower() in _NOT_NAMES:
                    break
                names.append(Span(m.start(group), m.end(group), "address", name))
                break
        greet = found.get("greet")
        if greet and greeting is None:
            greeting = Span(m.start("greet"), m.end("greet"), "greeting", greet)
    if len(names) > 1:
        names.sort(key=lambda sp: sp.start)
    return greeting, names


def _dedupe(spans: list[Span]) -> list[Span]:
    out: list[Span] = []
    for s in spans:
        if out and s.start < out[-1].end:
            continue
        out.append(s)
    return out
