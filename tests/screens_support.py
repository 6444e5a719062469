"""Shared fixtures for the screen tests: a frozen clock, a fixed set of contacts and history, and a
fake LLM coach that streams its coaching over time like a real server would."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from coach.llm import LLMCoach, LLMOutcome
from coach.models import (
    CheckRecord,
    CheckResult,
    Contact,
    Disclosure,
    Flag,
    Interaction,
    Preference,
    Scores,
)
from coach.store import Store, open_store

FROZEN = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def frozen_now() -> datetime:
    return FROZEN


def _at(days: float) -> datetime:
    return FROZEN - timedelta(days=days)


def fixed_contacts() -> list[Contact]:
    """Four people at different stages, with times fixed relative to FROZEN."""
    return [
        Contact(
            id="c-dana", name="Dana Reyes", preferred_name="Dana", context="customer",
            how_met="replied to our launch post",
            interactions=[
                Interaction(direction="out", at=_at(9), channel="public_reply",
                            text="Thanks for trying the beta!"),
                Interaction(direction="in", at=_at(8), channel="public_reply",
                            text="Love the new release!"),
            ],
            disclosures=[Disclosure(who="them", topic="work", depth=0, summary="runs a bakery")],
            preferences=[Preference(kind="topic_avoid", value="family",
                                    quote="I keep my family offline")],
            created=_at(30), updated=_at(8),
        ),
        Contact(
            id="c-lars", name="Lars Eriksen", context="professional", stage="introduced",
            how_met="met at a meetup",
            interactions=[
                Interaction(direction="in", at=_at(20), channel="meeting", text="Nice to meet you"),
                Interaction(direction="out", at=_at(6), channel="email", text="Following up"),
                Interaction(direction="out", at=_at(4), channel="email", text="Any news?"),
                Interaction(direction="out", at=_at(2), channel="email", text="Just bumping this"),
            ],
            created=_at(30), updated=_at(2),
        ),
        Contact(
            id="c-mika", name="Mika Virtanen", pronouns="they/them", context="personal",
            how_met="old school friend", stage="close",
            interactions=[Interaction(direction="in", at=_at(1), channel="sms", text="Pizza Friday?")],
            disclosures=[Disclosure(who="them", topic="family", depth=2, summary="new baby")],
            created=_at(300), updated=_at(1),
        ),
        Contact(id="c-priya", name="Priya Raman", context="professional",
                created=_at(3), updated=_at(3)),
    ]


def fixed_records(n: int = 6) -> list[CheckRecord]:
    """History entries with fixed times, newest last in the list (the store sorts them)."""
    verdicts = ("ok", "revise", "hold")
    drafts = ("Thanks for the quick reply, Dana!", "So you never answered?",
              "How is your family doing these days?")
    contacts = (("c-dana", "Dana Reyes"), ("c-lars", "Lars Eriksen"), ("c-dana", "Dana Reyes"))
    out = []
    for i in range(n):
        cid, name = contacts[i % 3]
        draft = drafts[i % 3]
        flags = [] if i % 3 == 0 else [Flag(rule="rude-opener" if i % 3 == 1 else "personal-question",
                                            start=0, end=6, message="Worth a second look",
                                            evidence="from the fixed test data", source="a source")]
        out.append(CheckRecord(
            id=f"h-{i:03d}", created=_at(10 - i), draft=draft, contact_id=cid, contact_name=name,
            channel="dm",
            result=CheckResult(verdict=verdicts[i % 3], flags=flags,
                               scores=Scores(courtesy=0.8, intimacy=0.1 * (i % 5),
                                             pacing=0.15 * (i % 4))),
        ))
    return out


def seed_store(contacts: bool = True, records: int = 0) -> None:
    with open_store() as store:
        if contacts:
            store.add_contacts(fixed_contacts())
        for rec in fixed_records(records):
            store.add_check(rec)


def open_test_store() -> Store:
    return open_store()


class FakeStreamingCoach(LLMCoach):
    """Streams `chunks` through on_delta, one every `delay` seconds, then returns a rewrite."""

    name = "fake"

    def __init__(self, chunks: list[str] | None = None, delay: float = 0.01,
                 rewrite: str | None = "Thanks, Dana!") -> None:
        super().__init__(None)
        self.model = "fake-model"
        self.chunks = chunks or ["**Tone** ", "is ", "friendly. ", "Keep ", "it ", "short."]
        self.delay = delay
        self.rewrite = rewrite
        self.started = asyncio.Event()
        self.sent: list[str] = []
        self.cancelled = False

    async def coach(self, draft: str, contact: Contact | None, channel: str | None,
                    offline: CheckResult, *,
                    on_delta: Callable[[str], None] | None = None) -> LLMOutcome:
        self.started.set()
        try:
            for chunk in self.chunks:
                await asyncio.sleep(self.delay)
                self.sent.append(chunk)
                if on_delta is not None:
                    on_delta(chunk)
        except asyncio.CancelledError:
            self.cancelled = True
            raise
        result = offline.model_copy(update={"engine": "llm:fake-model", "rewrite": self.rewrite})
        return LLMOutcome(result=result, coaching="".join(self.chunks), prompt="PROMPT TEXT",
                          template="check-v1", model="fake-model")


async def wait_for(pilot: object, predicate: Callable[[], object], timeout: float = 30.0) -> None:
    """Let workers finish: pause until `predicate()` is true (fails the test after `timeout`)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() > deadline:
            raise AssertionError("the screen did not reach the expected state in time")
        await pilot.pause(0.02)  # type: ignore[attr-defined]


def text_of(widget: object) -> str:
    """The plain text a Static shows (whatever kind of renderable it holds)."""
    from io import StringIO

    from rich.console import Console

    content = widget.content  # type: ignore[attr-defined]
    if isinstance(content, str):
        return content
    console = Console(file=StringIO(), width=200, color_system=None, legacy_windows=False)
    console.print(content)
    return console.file.getvalue()  # type: ignore[attr-defined]
