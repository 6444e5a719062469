"""Personal topics in a draft: which topic, how deep (0 outer .. 3 core), and whether the draft
asks about them, talks about the writer, or just mentions it. One combined regex, one pass.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import cache

from coach.analysis.features import TopicSpan
from coach.analysis.lexmatch import Hit, Lexicon

# (topic, depth) -> alternation. Depth follows social penetration theory's layers: 1 is the
# facts of a life (kids, a cold), 2 its private side (a diagnosis, a salary), 3 the core (fears,
# sexuality, grief). Ambiguous words ("partner", "rent", "ex") only count after a possessive.
_LEXICON: dict[tuple[str, int], str] = {
    ("family", 1): r"famil(?:y|ies)|kids?|kiddos?|children|(?:your|my|our) (?:child|parent)|sons?|"
    r"daughters?|parents|"
    r"mom|mum|mommy|dad|daddy|mother|father|brothers?|sisters?|siblings?|grand(?:ma|pa|mother|"
    r"father|parents|kids|children)|babies|baby|toddlers?|in-laws?|little ones?",
    (
        "family",
        2,
    ): r"pregnan(?:t|cy)|custody|adopt(?:ed|ion)|estranged|family (?:problems|issues|drama)|"
    # Asked about home life ("is everything ok at home?"); "all good at home" tells nothing.
    r"(?:is everything|are things|is all) (?:ok|okay|alright|all right|good|fine) at home|"
    r"how(?:'s| is| are) (?:everything|things|life) at home|"
    r"(?:problems|trouble|issues) at home",
    (
        "relationships",
        1,
    ): r"married|marriage|wife|husband|spouse|wedding|engagement ring|your engagement|"
    r"boyfriend|girlfriend|(?:your|my) partner|fianc[ée]e?|(?:got|getting|just) engaged|engaged to",
    (
        "relationships",
        2,
    ): r"(?:you(?:'re| are)|are you|i'm|i am|still) single|dating anyone|are you dating|"
    r"divorc(?:e|ed|ing)|separat(?:ion|ions|ing|ed)|breakup|broke up|"
    r"(?:your|my) ex|ex-(?:wife|husband|boyfriend|girlfriend)|love life|seeing anyone|"
    r"relationship status",
    ("relationships", 3): r"affair|cheat(?:ed|ing) on",
    ("health", 1): r"sick|ill|flu|injur(?:y|ed)|health|doctor'?s?|hospital",
    ("health", 2): r"diagnos(?:is|ed)|surgery|therapy|therapist|medications?|meds|"
    r"illness|chronic|disabilit(?:y|ies)|disabled|burnout|adhd|autism|autistic|"
    r"mental health|chemo",
    ("health", 3): r"cancer|depression|depressed|suicid(?:e|al)|mental illness|hiv|"
    r"miscarriage|infertil(?:e|ity)|fertility|rehab|addict(?:ion|ed)|eating disorder|"
    r"bipolar|ptsd|panic attacks?|terminal|overdose|anti-?depressants?",
    ("money", 1): r"money|finances?|(?:i'm|i am|we're|we are|you're|you are|are you|so|flat) broke",
    ("money", 2): r"salary|salaries|income|how much (?:do|did) you (?:make|earn)|how much you (?:make|earn)|"
    r"what (?:do|did) you earn|debts?|loans?|"
    r"mortgage|afford|savings|net worth|financially|pay the bills|paycheck|pay ?rise",
    ("money", 3): r"bankrupt(?:cy)?|in debt|evict(?:ed|ion)",
    ("age", 2): r"how old (?:are|is) you|your age|what year were you born",
    (
        "beliefs",
        2,
    ): r"religio(?:n|us)|church|mosque|synagogue|temple|pray(?:ing|er|ers)?|your faith|"
    r"believe in god|politics|political|vote[ds]? for|democrats?|republicans?|conservatives?|"
    r"liberals?|atheist",
    ("beliefs", 3): r"abortion",
    ("sexuality", 3): r"sexuality|sexual(?:ly)?|sex life|sex|gay|lesbian|bisexual|queer|"
    r"sexual orientation",
    ("emotions", 1): r"stressed|worried|nervous|upset|frustrated",
    ("emotions", 2): r"lonely|loneliness|been struggling|scared|heartbroken|crying|cried|"
    r"griev(?:e|ing)|grief|anxiety|miserable|insecure",
    ("emotions", 3): r"hopeless|empty inside|want to die|hate myself|worthless|breakdown|"
    r"falling apart|trauma|traumatic|(?:mum|mom|dad|father|mother|brother|sister|wife|husband|"
    r"partner|son|daughter|best friend|grand(?:ma|pa|mother|father)) (?:died|passed away|passed)",
    ("body", 2): r"(?:lost|gained|losing|gaining) weight|your weight|your body|your figure|"
    r"your looks|your appearance|how tall|what do you look like|"
    r"(?:pic|pics|photo|photos|picture|pictures|selfie|selfies) of you(?:rself)?|"
    r"send (?:me )?(?:a |some |more )?(?:selfie|selfies)",
    ("body", 3): r"sexy|attractive|beautiful eyes|"
    r"(?:you(?:'re| are|re| look)(?: so| really| very)?|your (?:so|really|very)) "
    r"(?:hot|gorgeous|beautiful|stunning|cute|pretty|handsome)",
    ("location", 1): r"neighbou?rhood|moved to|live in|hometown",
    ("location", 2): r"where (?:do|did) you live|where you live|your (?:house|apartment|flat|home)|"
    r"which part of town|what street|(?:the|your) new (?:flat|house|apartment|place|home)",
    ("location", 3): r"(?:your|home) address",
}

# Labels "family_1" -> ("family", 1); the entries feed the word-level matcher (lexmatch.py),
# which runs on lowercased text.
_GROUPS: dict[str, tuple[str, int]] = {f"{t}_{d}": (t, d) for (t, d) in _LEXICON}
TOPIC_ENTRIES: dict[str, str] = {f"{t}_{d}": alt for (t, d), alt in _LEXICON.items()}


@cache
def topic_lexicon() -> Lexicon:
    return Lexicon({"topic": TOPIC_ENTRIES})


def topics_in(text: str) -> set[str]:
    """The topics a lowercased text touches ("family", "health", ...)."""
    return {_GROUPS[label][0] for _, _, label in topic_lexicon().find(text)["topic"]}


# A sentence: up to and including its end punctuation (or a newline).
_SENTENCE_RE = re.compile(r"[^.!?\n]*(?:[.!?]+|\n|$)")
_QUESTION_START_RE = re.compile(
    r"\s*(?:how|what|what's|whats|where|when|why|who|which|are|is|do|does|did|have|has|can|could|"
    r"would|will|were|any)\b",
    re.IGNORECASE,
)
_SECOND_RE = re.compile(r"\b(?:you|your|yours|you're|youre|yourself|ur|u)\b")
_FIRST_RE = re.compile(r"\b(?:i|i'm|im|i've|i'd|my|me|mine|myself|we|our|us)\b")
# The owner right before a topic word decides whose life it is ("your kids" vs "my kids").
_OWNER_RE = re.compile(r"\b(?P<you>you|your|yours|you're|ur)\b|\b(?P<me>i|i'm|i've|my|me|our)\b")
_OWNER_WINDOW = 40


# "Hi Dana," opening a sentence is a clause of its own: a flagged question after it must not
# take the greeting with it.
_GREETING_CLAUSE_RE = re.compile(
    r"\s*(?:hi|hey|hello|hiya|dear|yo|howdy|good (?:morning|afternoon|evening)|morning)\b"
    r"[^,.!?\n]{0,40}[,!:\u2014-]\s*",
    re.IGNORECASE,
)


# Every byte that ends a sentence (".!?" and the newline) reads as "." (see `_sentence_spans`).
_ENDS_AS_DOT = bytes(46 if chr(c) in ".!?\n" else c for c in range(256))
# The first letters of the greetings `_GREETING_CLAUSE_RE` starts with, in either case.
_GREETING_INITIALS = frozenset("hdygmHDYGM")


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    """The non-empty matches of `_SENTENCE_RE` in `text`, as (start, end).

    A sentence runs to the first of ".!?" or a newline (or the end of the text); a run of
    ".!?" stays with it, a newline ends it alone. In ASCII text (almost every draft) they are
    found with bytes methods, one `find` per sentence: the regex steps through each character
    in the `re` engine (and `str.translate` looks each one up in a dict: slower still)."""
    if not text.isascii():
        return [m.span() for m in _SENTENCE_RE.finditer(text) if m.end() > m.start()]
    marks = text.encode("ascii").translate(_ENDS_AS_DOT)
    spans: list[tuple[int, int]] = []
    n = len(text)
    end = 0
    while end < n:
        start = end
        stop = marks.find(b".", start)
        if stop == -1:
            end = n
        elif text[stop] == "\n":
            end = stop + 1
        else:  # the whole run of end marks ("?!", "...")
            end = n - len(text[stop:].lstrip(".!?"))
        spans.append((start, end))
    return spans


def sentence_bounds(text: str) -> list[tuple[int, int]]:
    """[start, end) of each sentence; ends include the punctuation."""
    bounds: list[tuple[int, int]] = []
    for start, end in _sentence_spans(text):
        # A greeting clause starts, after blanks, with the letter of a greeting: a sentence
        # whose first letter is another ASCII character is spared the case-blind regex
        # (`strip` and `\s` agree on what a blank is).
        first = text[start:end].lstrip()[:1]
        if first in _GREETING_INITIALS or not first.isascii():
            g = _GREETING_CLAUSE_RE.match(text, start, end)
            if g and g.end() < end and text[start:end].strip():
                bounds.append((start, g.end()))
                start = g.end()
        bounds.append((start, end))
    return bounds


def find_topics(
    text: str, bounds: list[tuple[int, int]], hits: list[Hit] | None = None
) -> list[TopicSpan]:
    """Every personal-topic word, with its depth and mode (question / disclosure / mention).
    `text` is the lowercased draft (text.lower_same_length)."""
    spans: list[TopicSpan] = []
    if not bounds:
        return spans
    found = hits if hits is not None else topic_lexicon().find(text)["topic"]
    if not found:  # most drafts: nothing to place in a sentence
        return spans
    starts = [b[0] for b in bounds]
    cache: dict[int, tuple[bool, bool, bool]] = {}
    for start, end, name in found:
        topic, depth = _GROUPS[name]
        i = max(0, bisect_right(starts, start) - 1)
        s_start, s_end = bounds[i]
        if i not in cache:
            sentence = text[s_start:s_end]
            is_q = sentence.rstrip().endswith("?") or bool(_QUESTION_START_RE.match(sentence))
            cache[i] = (is_q, bool(_SECOND_RE.search(sentence)), bool(_FIRST_RE.search(sentence)))
        is_q, has_you, has_me = cache[i]
        owner = _owner_before(text, max(s_start, start - _OWNER_WINDOW), end)
        # A question with no one named is asked of the reader ("Any plans with the family?").
        if owner == "you" or (owner is None and (has_you or is_q) and not has_me):
            mode = "question" if is_q else "mention"
            about_them = True
        elif owner == "me" or has_me:
            # "Can I ask about your health?" has both; the question about them wins.
            if is_q and has_you:
                mode, about_them = "question", True
            else:
                mode, about_them = "disclosure", False
        else:
            mode, about_them = "mention", False
        spans.append(
            TopicSpan(start, end, topic, depth, mode, text[start:end], about_them=about_them)
        )
    return spans


def _owner_before(text: str, lo: int, hi: int) -> str | None:
    """Whose life the topic word is about: the last person word before it, within a few words."""
    owner: str | None = None
    for m in _OWNER_RE.finditer(text, lo, hi):
        owner = "you" if m.group("you") else "me"
    return owner
