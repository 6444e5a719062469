"""What a draft says on its own: courtesy and intimacy (scored elsewhere) plus the spans the
pacing analysis weighs against the relationship. `analyse_text(draft) -> TextFeatures`.
"""

from __future__ import annotations

from functools import cache

from coach.analysis import spans as sp
from coach.analysis.courtesy import MAX_SCORED_CHARS, analyse_courtesy
from coach.analysis.features import TextFeatures
from coach.analysis.intimacy import analyse_intimacy
from coach.analysis.lexicon import token_info
from coach.analysis.lexmatch import Lexicon, lower_same_length, same_tokens
from coach.analysis.matcher import MultiMatcher
from coach.analysis.personal import QUESTIONS, TOPICS
from coach.analysis.politeness_strategies import PHRASES
from coach.analysis.topics import TOPIC_ENTRIES, find_topics, sentence_bounds
from coach.analysis.wordpass import word_pass


@cache
def text_lexicon() -> Lexicon:
    """Every lexicon of the draft analysis, matched in one pass (built on first use)."""
    return Lexicon({**sp.CATEGORIES, "topic": TOPIC_ENTRIES})


@cache
def text_matcher() -> MultiMatcher:
    """The courtesy phrases, the intimacy topics and questions and `text_lexicon`, all found
    in one walk over the draft's words (built on first use)."""
    return MultiMatcher((PHRASES, TOPICS, QUESTIONS), text_lexicon())


def analyse_text(draft: str, explain: bool = True) -> TextFeatures:
    """Every offset indexes `draft` itself (the caller blanks control characters in place).
    `explain=False` leaves `signals` and `politeness_markers` empty (nothing in the check reads
    them): every score, span and flag is the same."""
    # The lexicons are lowercase patterns matched on the lowercased draft (several times faster
    # than IGNORECASE); the words quoted in messages are then taken from the draft as written.
    low = lower_same_length(draft)
    if len(draft) <= MAX_SCORED_CHARS:
        # One walk over the draft's words finds the courtesy phrases and the intimacy topics
        # and questions (each scorer would walk them again otherwise), and the span lexicons
        # too when both tokenisers are known to agree on this text.
        starts, tokens, _ = token_info(draft)
        (phrases, topic_words, questions), found = text_matcher().find(
            draft, starts, tokens, low, draft.isascii() and same_tokens(low)
        )
        # One pass over the words makes the per-word sums of both scores.
        words = word_pass(tokens)
        courtesy = analyse_courtesy(draft, explain, phrases, words)
        intimacy = analyse_intimacy(draft, explain, (topic_words, questions), words)
        if found is not None:
            hits = found
        elif same_tokens(low):  # "K" (the Kelvin sign) lowercases to ASCII
            hits = text_lexicon().find(low, list(zip(starts, tokens, strict=True)), tokens)
        else:
            hits = text_lexicon().find(low)
    else:
        courtesy = analyse_courtesy(draft, explain)
        intimacy = analyse_intimacy(draft, explain)
        hits = text_lexicon().find(low)
    bounds = sentence_bounds(low)
    greeting, address = sp.find_address(draft, low)
    features = TextFeatures(
        text=draft,
        courtesy=courtesy.score,
        intimacy=intimacy.score,
        # The courtesy result is this call's own: its lists are handed over, not copied.
        courtesy_flags=courtesy.flags,
        politeness_markers=courtesy.markers,
        topics=find_topics(low, bounds, hits["topic"]),
        requests=sp.find_requests(low, bounds, hits),
        endearments=sp.find_endearments(low, hits),
        presumed_closeness=sp.find_phrases(hits["closeness"], low, "closeness"),
        guilt=sp.find_phrases(hits["guilt"], low, "guilt"),
        channel_moves=sp.find_channel_moves(low, hits),
        researched=sp.find_researched(low, hits),
        address=address,
        greeting=greeting,
        sentences=bounds,
        signals={**courtesy.signals, **{f"intimacy:{k}": v for k, v in intimacy.signals.items()}}
        if explain
        else {},
    )
    for group in (
        features.topics,
        features.requests,
        features.endearments,
        features.presumed_closeness,
        features.guilt,
        features.channel_moves,
        features.researched,
    ):
        for s in group:
            s.text = draft[s.start : s.end].rstrip()
    return features
