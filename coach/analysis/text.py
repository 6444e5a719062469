"""What a draft says on its own: courtesy and intimacy (scored elsewhere) plus the spans the
pacing analysis weighs against the relationship. `analyse_text(draft) -> TextFeatures`.
"""

from __future__ import annotations

from coach.analysis import spans as sp
from coach.analysis.courtesy import analyse_courtesy
from coach.analysis.features import TextFeatures
from coach.analysis.intimacy import analyse_intimacy
from coach.analysis.topics import find_topics, sentence_bounds


def analyse_text(draft: str) -> TextFeatures:
    """Every offset indexes `draft` itself (the caller blanks control characters in place)."""
    courtesy = analyse_courtesy(draft)
    intimacy = analyse_intimacy(draft)
    bounds = sentence_bounds(draft)
    greeting, address = sp.find_address(draft)
    features = TextFeatures(
        text=draft,
        courtesy=courtesy.score,
        intimacy=intimacy.score,
        courtesy_flags=list(courtesy.flags),
        politeness_markers=list(courtesy.markers),
        topics=find_topics(draft, bounds),
        requests=sp.find_requests(draft, bounds),
        endearments=sp.find_endearments(draft),
        presumed_closeness=sp.find_phrases(sp.CLOSENESS_RE, draft, "closeness"),
        guilt=sp.find_phrases(sp.GUILT_RE, draft, "guilt"),
        channel_moves=sp.find_channel_moves(draft),
        researched=sp.find_researched(draft),
        address=address,
        greeting=greeting,
        sentences=bounds,
        signals={**courtesy.signals, **{f"intimacy:{k}": v for k, v in intimacy.signals.items()}},
    )
    return features
