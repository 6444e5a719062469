"""Choosing the LLM engine and running one coaching request. STUB until the LLM issue.

The contract the rest of the app codes against:
- `resolve_engine(settings, endpoint=..., model=..., api_key=..., offline=...)` -> EngineChoice:
  which LLM coach to use (or None) and a one-line reason ("no endpoint configured or found").
- `await coach.coach(draft, contact, channel, offline_result, on_delta=cb)` -> LLMOutcome, the
  merged result (offline evidence-backed flags kept). Raises coach.errors.LLMError (or a subclass)
  when the endpoint fails or lies; the caller then keeps the offline result with `llm_error`.
  Cancelling the task closes the stream.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from coach.config import Settings
from coach.errors import LLMError
from coach.models import CheckResult, Contact


@dataclass(slots=True)
class LLMOutcome:
    result: CheckResult  # merged; engine = "llm:<model>"
    coaching: str = ""  # the model's free-text coaching (Markdown)
    prompt: str = ""  # the rendered prompt that was sent
    template: str = ""  # template name and version
    model: str = ""
    tokens: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)


class LLMCoach:
    name: str = "llm"
    model: str = ""

    async def coach(
        self,
        draft: str,
        contact: Contact | None,
        channel: str | None,
        offline: CheckResult,
        *,
        on_delta: Callable[[str], None] | None = None,
    ) -> LLMOutcome:
        raise LLMError("LLM coaching is not available yet.")


@dataclass(slots=True)
class EngineChoice:
    coach: LLMCoach | None
    reason: str


def resolve_engine(
    settings: Settings | None = None,
    *,
    endpoint: str | None = None,
    model: str | None = None,
    api_key: str | None = None,
    offline: bool = False,
) -> EngineChoice:
    return EngineChoice(None, "LLM support is not built yet; using the offline coach")
