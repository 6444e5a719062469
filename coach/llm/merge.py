"""The hybrid result: the LLM's reply merged into the offline one.

Offline flags are evidence-backed and always stay; the LLM may add flags whose quoted words are in
the draft, may raise the verdict but never soften it, and may offer a rewrite only if it is a
minimal edit that keeps the writer's voice.
"""

from __future__ import annotations

import difflib
import re

from coach.llm.structured import LLMReply
from coach.models import CheckResult, Flag

_VERDICT_RANK = {"ok": 0, "revise": 1, "hold": 2}
_SEVERITY_RANK = {"info": 0, "warn": 1, "stop": 2}
_RULE_CHARS = re.compile(r"[^a-z0-9]+")
MIN_SIMILARITY = 0.6  # share of words kept from the draft for a rewrite to count as minimal
MAX_GROWTH = 1.3  # a rewrite may be at most this much longer (prefer removing to adding)


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean_text(text: str, *, one_line: bool = False) -> str:
    """Model text made safe to show: no control characters (a terminal would obey them); a
    one-line field has its whitespace collapsed."""
    text = _CONTROL.sub("", text)
    return " ".join(text.split()) if one_line else text


def locate(draft: str, quote: str) -> tuple[int, int] | None:
    """Where the quoted words are in the draft: exact, then case-insensitive; None if absent."""
    quote = quote.strip().strip("\"'“”")
    if len(quote) < 2:
        return None
    at = draft.find(quote)
    if at < 0:
        at = draft.lower().find(quote.lower())
    return (at, at + len(quote)) if at >= 0 else None


def _rule_name(rule: str) -> str:
    slug = _RULE_CHARS.sub("-", rule.lower()).strip("-")[:40]
    return slug or "llm-note"


def _overlaps(a: Flag, start: int, end: int) -> bool:
    return a.start < end and start < a.end


def is_minimal_edit(draft: str, rewrite: str) -> bool:
    """A rewrite keeps most of the draft's words and does not grow it much."""
    draft_words, new_words = draft.split(), rewrite.split()
    if not new_words or rewrite.strip() == draft.strip():
        return False
    if len(rewrite) > len(draft) * MAX_GROWTH + 20:
        return False
    matcher = difflib.SequenceMatcher(a=draft_words, b=new_words, autojunk=False)
    kept = sum(block.size for block in matcher.get_matching_blocks())
    return kept / max(1, len(draft_words)) >= MIN_SIMILARITY


def merge(offline: CheckResult, reply: LLMReply, draft: str, model: str) -> CheckResult:
    """The offline result with what the LLM adds; `engine` becomes `llm:<model>`."""
    flags = list(offline.flags)
    llm_stop = False
    for item in reply.flags:
        span = locate(draft, item.quote)
        if span is None:
            continue  # a flag whose words are not in the draft is a hallucination: dropped
        start, end = span
        rule = _rule_name(item.rule)
        if any(
            _overlaps(f, start, end) and (f.rule == rule or f.source != f"llm:{model}")
            for f in flags
        ):
            continue  # the offline analysis (or an earlier LLM flag) already covers these words
        llm_stop = llm_stop or item.severity == "stop"
        flags.append(
            Flag(
                rule=rule,
                severity=item.severity,
                start=start,
                end=end,
                message=clean_text(item.message, one_line=True)[:300],
                evidence=f"the model's reading of {draft[start:end]!r}"[:500],
                source=f"llm:{model}"[:200],
            )
        )
    flags.sort(key=lambda f: (f.start, -_SEVERITY_RANK[f.severity]))

    # The LLM can raise the verdict (to hold only with a located stop flag), never lower it.
    llm_verdict = reply.verdict
    if llm_verdict == "hold" and not llm_stop:
        llm_verdict = "revise"
    verdict = max(offline.verdict, llm_verdict, key=_VERDICT_RANK.__getitem__)

    rewrite = offline.rewrite
    candidate = clean_text(reply.rewrite).strip() if reply.rewrite else ""
    if candidate and is_minimal_edit(draft, candidate):
        rewrite = candidate

    advice_parts = [offline.advice.strip(), clean_text(reply.advice, one_line=True)]
    advice = " ".join(dict.fromkeys(p for p in advice_parts if p))

    return offline.model_copy(
        update={
            "verdict": verdict,
            "flags": flags,
            "rewrite": rewrite,
            "advice": advice,
            "engine": f"llm:{model}",
            "llm_error": None,
        }
    )
