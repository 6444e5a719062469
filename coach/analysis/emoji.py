"""Kisses and love hearts: emoji that say affection to the person, not about a thing.

"Your order shipped 😘" from a shop, or 🥰 to someone met last week, presumes a closeness the
relationship does not have yet, the way "babe" does (expectancy violations: an affectionate
signal from someone who has not earned it reads as a violation). They are judged as endearments:
flagged only when the other person has not sent such emoji themselves, and never between close
people.

The list is short on purpose: faces blowing or giving kisses, the kiss mark, the couple kiss, the
heart with an arrow, two hearts and the face with hearts. The plain red heart and the heart eyes
(😍) are left out: people use them about things ("love the new logo 😍"), so flagging them would
nag.
"""

from __future__ import annotations

import re

from coach.analysis.features import Span

# How the message of an emoji endearment starts: the advice reads it (the fix is to leave the
# emoji out, not to use their name).
SENDS_EMOJI = "Sends"
AFFECTION = frozenset("😘😗😙😚💋💏💘💕🥰")
# One emoji, with the variation selector that asks for emoji presentation when one follows.
_AFFECTION_RE = re.compile("[" + "".join(sorted(AFFECTION)) + "]\ufe0f?")


def find_affection(text: str) -> list[Span]:
    """Every affectionate emoji in `text`, in order (kind "emoji", the emoji as its text). The
    offsets index `text` by code point, as every span does."""
    if text.isascii():  # most drafts: no emoji at all, one C test
        return []
    return [Span(m.start(), m.end(), "emoji", m.group()) for m in _AFFECTION_RE.finditer(text)]
