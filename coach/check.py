"""The one entry point every caller uses (CLI, screens, batch): draft + contact -> offline analysis
-> optional LLM -> merged result -> history.

`check_offline` is pure and fast; `run_check` adds the LLM and records the check.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from datetime import datetime

from coach.analysis.construct import maker
from coach.analysis.evidence import flag
from coach.analysis.pacing import assess_pacing
from coach.analysis.shorthand import OffsetMap, expand
from coach.analysis.stage import RelationshipFacts, relationship_facts
from coach.analysis.text import analyse_text
from coach.analysis.verdict import (
    COURTESY_REVISE,
    PACING_RULES,
    apply_mutes,
    curt_flag,
    pacing_score,
    round3,
    unit3,
    verdict_advice_rewrite,
)
from coach.errors import LLMError, UsageError
from coach.llm.engine import LLMCoach
from coach.models import CHANNELS, CheckRecord, CheckResult, Contact, Flag, Mute, Scores
from coach.store import Store

# Longer drafts are analysed up to this many characters (a 1 MB paste must not hang the check);
# an `info` flag says where the analysis stopped.
MAX_ANALYSED_CHARS = 100_000
# Control characters (not tab/newline) become spaces for the analysis only: same length, so
# every offset still indexes the draft as given.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_NO_CONTACT = "no contact given: judged as if you had only been introduced"
# The result models, built from values made here (no validation, no per-call key check).
_make_scores = maker(Scores, ("courtesy", "intimacy", "pacing"))
_make_result = maker(
    CheckResult,
    ("id", "verdict", "scores", "stage", "flags", "advice", "rewrite", "engine", "elapsed_ms",
     "llm_error"),
)


def check_offline(
    draft: str,
    contact: Contact | None = None,
    channel: str | None = None,
    *,
    mutes: Sequence[Mute] = (),
    now: datetime | None = None,
    id: str | None = None,
) -> CheckResult:
    """Check one draft with the offline coach. Raises UsageError for an empty draft or an unknown
    channel; everything else yields a result."""
    started = time.perf_counter()
    if not isinstance(draft, str) or not draft.strip():
        raise UsageError(
            "The draft is empty: there is nothing to check.",
            "Pass the text as an argument, or pipe it in with `-`.",
        )
    if channel is not None and channel not in CHANNELS:
        raise UsageError(f"Unknown channel '{channel}'.", f"Use one of: {', '.join(CHANNELS)}.")
    analysed = draft[:MAX_ANALYSED_CHARS]
    # Control characters are not printable: most drafts (one line) pass the C test at once.
    if not analysed.isprintable() and _CONTROL_RE.search(analysed):
        analysed = _CONTROL_RE.sub(" ", analysed)
        if not analysed.strip():
            raise UsageError(
                "The draft holds only control characters: there is nothing to check.",
                "Check what was piped in.",
            )
    # Texting shorthand ("can u send me ur address") is read as the words it stands for; `back`
    # takes every span found in the spelled-out text back to the draft as written.
    analysed, back = expand(analysed)
    # Quiet hours are read on this clock: the caller's aware time as given, else local time.
    moment = now if now is not None and now.tzinfo else (now or datetime.now()).astimezone()

    # The result carries scores, not their decomposition: skip building the signal dicts.
    tf = analyse_text(analysed, explain=False)
    facts = relationship_facts(contact) if contact is not None else _introduced()
    pacing_flags = assess_pacing(tf, facts, contact, channel, moment)
    courtesy_flags = tf.courtesy_flags
    if mutes:
        contact_id = contact.id if contact is not None else None
        pacing_flags = apply_mutes(pacing_flags, mutes, contact_id)
        courtesy_flags = apply_mutes(courtesy_flags, mutes, contact_id)
    # The text analysis split the lowercased draft into sentences; for an ASCII draft analysed
    # whole, the draft as written splits the same way (the greeting pattern ignores case).
    same = tf.text is draft and draft.isascii()
    # A low score on a request with no other finding to show gets one of its own (`curt`).
    # `facts.stage`, without the property call.
    stage = facts.declared or facts.computed
    courtesy = tf.courtesy
    # `curt_flag`'s first test, without the call (NaN goes on, as there): most drafts stop here.
    if not courtesy >= COURTESY_REVISE:
        curt = curt_flag(analysed, courtesy, courtesy_flags, stage,
                         tf.sentences if same else None)
        if curt is not None:
            courtesy_flags = [curt] if not mutes else apply_mutes(
                [curt], mutes, contact.id if contact is not None else None)
    pacing = pacing_score(pacing_flags, tf.intimacy, stage)
    if contact is None:
        # CONTRACT: with no contact the draft is judged on its own; the pacing findings stay
        # visible as notes but cannot hold a message back.
        pacing_flags = [_as_note(f) for f in pacing_flags]
    # Both lists come in draft order; a stable sort of one of them alone would change nothing.
    if not courtesy_flags:
        flags = pacing_flags
    elif not pacing_flags:
        flags = sorted(courtesy_flags, key=_span_key)
    else:
        flags = sorted([*courtesy_flags, *pacing_flags], key=_span_key)
    if back is not None:
        flags = [_written(f, back) for f in flags]
    if len(draft) > MAX_ANALYSED_CHARS:
        flags.append(
            flag(
                "truncated",
                "info",
                MAX_ANALYSED_CHARS,
                len(draft),
                f"Only the first {MAX_ANALYSED_CHARS:,} characters were checked",
                f"the draft has {len(draft):,} characters",
                "coach input limit",
            )
        )
    verdict, advice, rewritten = verdict_advice_rewrite(
        draft, flags, pacing, courtesy, facts, contact, tf.sentences if same else None, stage
    )
    # `round(_unit(x), 3)`, in one call (`float`: a score may come as an int).
    scores = {
        "courtesy": unit3(float(courtesy)),
        "intimacy": unit3(float(tf.intimacy)),
        "pacing": pacing,
    }
    fields = {
        "id": id,
        "verdict": verdict,
        "scores": _make_scores(scores),
        "stage": stage,
        "flags": flags,
        "advice": advice,
        "rewrite": rewritten,
        "engine": "offline",
        "elapsed_ms": 0.0,
        "llm_error": None,
    }
    result = _make_result(fields)
    # Straight into the field: `fields` is the result's `__dict__` (already in the fields set),
    # what pydantic's `__setattr__` does for a plain field without assignment validation,
    # minus its handler lookup and the `__dict__` read through the model's hook.
    fields["elapsed_ms"] = round3((time.perf_counter() - started) * 1000)
    return result


def _span_key(f: Flag) -> tuple[int, int]:
    return (f.start, f.end)


def _written(f: Flag, back: OffsetMap) -> Flag:
    """The flag with its span moved from the spelled-out text to the draft as written."""
    return flag(f.rule, f.severity, back.start(f.start), back.end(f.end), f.message, f.evidence,
                f.source)


def _introduced() -> RelationshipFacts:
    return RelationshipFacts(name="this person", computed="introduced", known=False)


def _as_note(f: Flag) -> Flag:
    if f.severity == "info" or f.rule not in PACING_RULES:
        return f
    # A copy with two fields changed, built like every pacing flag (no model_copy machinery).
    return flag(
        f.rule, "info", f.start, f.end, f.message, f"{_NO_CONTACT}; {f.evidence}", f.source
    )


async def run_check(
    draft: str,
    contact: Contact | None = None,
    channel: str | None = None,
    *,
    store: Store | None = None,
    llm: LLMCoach | None = None,
    on_delta: Callable[[str], None] | None = None,
    record: bool = True,
    id: str | None = None,
    mutes: Sequence[Mute] | None = None,
    now: datetime | None = None,
) -> CheckRecord:
    """Offline first; then the LLM when one is given (its failure keeps the offline result with
    `llm_error`); then the record goes into the history unless `record` is False.

    Mutes come from `store` when not given. The record is not evidence about the relationship
    until it is marked sent (`Store.mark_sent`)."""
    if mutes is None:
        mutes = store.list_mutes(contact.id if contact else None) if store is not None else ()
    offline = check_offline(draft, contact, channel, mutes=mutes, now=now, id=id)
    rec = CheckRecord(
        draft=draft,
        contact_id=contact.id if contact is not None else None,
        contact_name=contact.name if contact is not None else None,
        channel=channel,  # validated by check_offline
        result=offline,
        engine="offline",
        timings={"offline_ms": offline.elapsed_ms},
    )
    if llm is not None:
        started = time.perf_counter()
        try:
            outcome = await llm.coach(draft, contact, channel, offline, on_delta=on_delta)
        except LLMError as exc:
            rec.result = offline.model_copy(update={"llm_error": exc.one_line()})
            rec.timings["llm_ms"] = round((time.perf_counter() - started) * 1000, 1)
        else:
            merged = outcome.result
            # The model may raise a rule the user muted; a mute holds for every engine.
            kept = apply_mutes(merged.flags, mutes, rec.contact_id)
            if len(kept) != len(merged.flags):
                merged = merged.model_copy(update={"flags": kept})
            if merged.id is None and id is not None:
                merged = merged.model_copy(update={"id": id})
            rec.result = merged
            rec.engine = merged.engine
            rec.model = outcome.model or None
            rec.prompt = outcome.prompt or None
            rec.prompt_template = outcome.template or None
            rec.coaching = outcome.coaching or None
            rec.tokens = dict(outcome.tokens)
            rec.timings.update(outcome.timings)
            rec.timings.setdefault("llm_ms", round((time.perf_counter() - started) * 1000, 1))
    if record and store is not None:
        store.add_check(rec)
    return rec
