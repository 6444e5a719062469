"""The check entry point: input limits, the result shape, history records, LLM success and
failure (faked at the LLMCoach seam: a real server cannot be made to fail on cue here)."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coach.check import MAX_ANALYSED_CHARS, check_offline, run_check
from coach.errors import LLMError, UsageError
from coach.llm.engine import LLMCoach, LLMOutcome
from coach.models import CheckResult, Contact, Flag, Interaction, Mute
from coach.store import Store

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def dana() -> Contact:
    return Contact(
        name="Dana Reyes",
        preferred_name="Dana",
        interactions=[
            Interaction(
                direction="out",
                at=datetime(2026, 11, 20, tzinfo=UTC),
                channel="public_reply",
                text="Thanks!",
            ),
            Interaction(
                direction="in",
                at=datetime(2026, 11, 21, tzinfo=UTC),
                channel="public_reply",
                text="Love it",
            ),
        ],
    )


@pytest.mark.parametrize("draft", ["", "   \n\t ", "\x00\x1b\x07"])
def test_empty_draft_is_a_clear_usage_error(draft: str) -> None:
    with pytest.raises(UsageError, match=r"empty|nothing to check"):
        check_offline(draft)


def test_unknown_channel_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="Unknown channel 'fax'"):
        check_offline("hello", channel="fax")


def test_result_matches_the_contract_shape() -> None:
    r = check_offline("Hi Dana, how are your kids?", dana(), "dm", now=NOW, id="x1")
    data = r.to_json_dict()
    assert set(data) == {
        "id",
        "verdict",
        "scores",
        "stage",
        "flags",
        "advice",
        "rewrite",
        "engine",
        "elapsed_ms",
    }
    assert data["id"] == "x1" and data["engine"] == "offline" and data["elapsed_ms"] > 0
    assert set(data["scores"]) == {"courtesy", "intimacy", "pacing"}
    assert all(0 <= v <= 1 for v in data["scores"].values())
    for f in data["flags"]:
        assert set(f) == {"rule", "severity", "start", "end", "message", "evidence", "source"}
    CheckResult.model_validate(data)  # round-trips through the validating model


def test_one_megabyte_draft_is_checked_up_to_the_cap_without_hanging() -> None:
    draft = ("Could you tell me more about your family? " * 30_000)[:1_000_000]
    started = time.process_time()
    r = check_offline(draft, dana(), "dm", now=NOW)
    assert time.process_time() - started < 30  # a generous bound: it must finish, not hang
    cut = [f for f in r.flags if f.rule == "truncated"]
    assert cut and cut[0].start == MAX_ANALYSED_CHARS and cut[0].end == len(draft)
    assert all(f.end <= MAX_ANALYSED_CHARS for f in r.flags if f.rule != "truncated")


def test_control_characters_are_ignored_but_offsets_index_the_original() -> None:
    draft = "\x00\x07Hi\x1b[31m Dana, are you\x0c married?\x7f"
    r = check_offline(draft, dana(), "dm", now=NOW)
    flag = next(f for f in r.flags if f.rule == "personal-question")
    assert "married" in draft[flag.start : flag.end]


def test_mixed_scripts_and_emoji_give_a_sensible_result() -> None:
    r = check_offline("Привет! 你好 👋🏽 مرحبا — thanks for the talk, José!", dana(), "dm", now=NOW)
    assert r.verdict == "ok"


async def test_run_check_records_history_and_respects_stored_mutes(tmp_path: Path) -> None:
    with Store(tmp_path / "data") as store:
        c = store.add_contact(dana())
        store.add_mute(Mute(rule="endearment", contact_id=c.id, reason="we are that casual"))
        rec = await run_check("Hey hun, the fix is live.", c, "dm", store=store, now=NOW)
        assert "endearment" not in {f.rule for f in rec.result.flags}
        stored = store.get_check(rec.id)
        assert stored is not None and stored.contact_id == c.id and not stored.sent
        assert stored.timings["offline_ms"] > 0
        # Not evidence until marked sent; then it is an outgoing interaction.
        assert len(store.get_contact(c.id).interactions) == 2  # type: ignore[union-attr]
        store.mark_sent(rec.id)
        assert len(store.get_contact(c.id).interactions) == 3  # type: ignore[union-attr]
        quiet = await run_check("hello", None, store=store, record=False)
        assert store.get_check(quiet.id) is None


class FailingLLM(LLMCoach):
    model = "broken"

    async def coach(
        self,
        draft: str,
        contact: Contact | None,
        channel: str | None,
        offline: CheckResult,
        *,
        on_delta: Callable[[str], None] | None = None,
    ) -> LLMOutcome:
        raise LLMError(
            "The endpoint http://127.0.0.1:9/v1 refused the connection.",
            "Start the server or use --offline.",
        )


class EchoLLM(LLMCoach):
    model = "tiny"

    async def coach(
        self,
        draft: str,
        contact: Contact | None,
        channel: str | None,
        offline: CheckResult,
        *,
        on_delta: Callable[[str], None] | None = None,
    ) -> LLMOutcome:
        if on_delta:
            on_delta("Looks ")
            on_delta("fine.")
        merged = offline.model_copy(update={"engine": "llm:tiny"})
        return LLMOutcome(
            result=merged,
            coaching="Looks fine.",
            prompt="P",
            template="check-v1",
            model="tiny",
            tokens={"prompt": 10, "completion": 2},
        )


async def test_llm_failure_keeps_the_offline_result_with_the_error(tmp_path: Path) -> None:
    with Store(tmp_path / "data") as store:
        rec = await run_check("Thanks for the report!", None, store=store, llm=FailingLLM(), id="a")
    assert rec.result.engine == "offline"
    assert rec.result.llm_error and "refused the connection" in rec.result.llm_error
    assert rec.result.to_json_dict()["llm_error"] == rec.result.llm_error


async def test_llm_success_is_merged_and_recorded(tmp_path: Path) -> None:
    deltas: list[str] = []
    with Store(tmp_path / "data") as store:
        rec = await run_check(
            "Thanks for the report!", None, store=store, llm=EchoLLM(), on_delta=deltas.append
        )
        stored = store.get_check(rec.id)
    assert deltas == ["Looks ", "fine."]
    assert stored is not None and stored.engine == "llm:tiny" and stored.model == "tiny"
    assert stored.prompt_template == "check-v1" and stored.tokens == {"prompt": 10, "completion": 2}
    assert stored.coaching == "Looks fine."


@settings(max_examples=200, deadline=None)
@given(
    st.text(max_size=300) | st.text(alphabet="abcdeyouhnkidsmarie ?!,.'\n😀\u0301İ", max_size=200)
)
def test_any_text_gives_a_result_or_a_clear_usage_error(draft: str) -> None:
    try:
        r = check_offline(draft, dana(), "dm", now=NOW)
    except UsageError as exc:
        assert "nothing to check" in exc.message
        return
    assert r.verdict in ("ok", "revise", "hold")
    for f in r.flags:
        assert 0 <= f.start <= f.end <= len(draft)


class RuleRaisingLLM(LLMCoach):
    """A model that adds a flag for a rule the user has muted."""

    model = "tiny"

    async def coach(
        self,
        draft: str,
        contact: Contact | None,
        channel: str | None,
        offline: CheckResult,
        *,
        on_delta: Callable[[str], None] | None = None,
    ) -> LLMOutcome:
        extra = Flag(rule="endearment", severity="warn", start=0, end=5, message="Too familiar")
        merged = offline.model_copy(
            update={"engine": "llm:tiny", "flags": [*offline.flags, extra]}
        )
        return LLMOutcome(result=merged, model="tiny")


async def test_a_muted_rule_stays_muted_when_the_llm_raises_it(tmp_path: Path) -> None:
    with Store(tmp_path / "data") as store:
        store.add_mute(Mute(rule="endearment", reason="we are old friends"))
        rec = await run_check("Hello there", None, store=store, llm=RuleRaisingLLM())
    assert rec.result.engine == "llm:tiny"
    assert "endearment" not in {f.rule for f in rec.result.flags}
