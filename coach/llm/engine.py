"""Choosing the LLM engine (`resolve_engine`) and running one coaching request (`LLMCoach.coach`).

- `resolve_engine(settings, endpoint=..., model=..., api_key=..., offline=...)` -> EngineChoice:
  explicit arguments, then COACH_ENDPOINT / COACH_MODEL / COACH_API_KEY, then the config's named
  endpoint, then the usual local ports; a non-loopback endpoint needs an opt-in.
- `await coach.coach(draft, contact, channel, offline_result, on_delta=cb)` -> LLMOutcome, the
  merged result (offline evidence-backed flags kept). Raises coach.errors.LLMError (or a subclass)
  when the endpoint fails or lies; the caller then keeps the offline result with `llm_error`.
  Cancelling the task closes the stream.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from coach.config import Settings, load_settings
from coach.errors import CoachError, LLMError
from coach.llm.endpoints import (
    LOCAL_SERVERS,
    Endpoint,
    from_config,
    is_loopback,
    normalize_base_url,
    probe_local,
)
from coach.llm.errors import (
    LLMBadReply,
    LLMModelNotFound,
    LLMPromptError,
    LLMServerError,
    UnsupportedFormat,
)
from coach.models import CheckResult, Contact

if TYPE_CHECKING:
    import httpx

    from coach.llm.client import ChatClient
    from coach.llm.structured import LLMReply

# httpx, Jinja and the reply schema load on first use: an offline `coach check` imports this
# module for the type and the resolver only, and should not pay ~0.5 s of imports for them.

REMOTE_OPT_IN = "COACH_ALLOW_REMOTE"


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
    """Coaching through one OpenAI-compatible endpoint. Safe to share between concurrent tasks."""

    name: str = "llm"
    model: str = ""

    def __init__(
        self,
        endpoint: Endpoint | None = None,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.endpoint = endpoint
        self.model = endpoint.model if endpoint else ""
        self.client: ChatClient | None = None
        if endpoint is not None:
            from coach.llm.client import ChatClient

            self.client = ChatClient(endpoint, transport=transport)
        # The structured-output variant the server accepted; learned once, reused for a batch.
        self._format: str | None = None
        self._model_checked = False
        self._model_lock: asyncio.Lock | None = None

    def __repr__(self) -> str:
        url = self.endpoint.base_url if self.endpoint else "-"
        return f"LLMCoach({url!r}, model={self.model!r})"

    async def aclose(self) -> None:
        # getattr: test doubles subclass this without calling __init__.
        client = getattr(self, "client", None)
        if client is not None:
            await client.aclose()

    async def ensure_model(self) -> str:
        """Pick the first served model when none was named; refuse a name the server does not list.

        llama.cpp answers whatever model name it is sent, so the check has to happen here.
        """
        assert self.client is not None and self.endpoint is not None
        if self._model_checked:
            return self.model
        if self._model_lock is None:
            self._model_lock = asyncio.Lock()
        async with self._model_lock:
            if self._model_checked:
                return self.model
            try:
                served = await self.client.list_models()
            except (LLMBadReply, LLMServerError):
                served = []  # no usable model list: trust the configured name
            url = self.endpoint.base_url
            if not self.model:
                if not served:
                    raise LLMModelNotFound(
                        f"{url} lists no models and none was named. "
                        "Your draft and the offline result are kept.",
                        "Pass --model NAME or set model in the endpoint's config.",
                    )
                self.model = served[0]
            elif served and self.model not in served and f"{self.model}:latest" in served:
                self.model = f"{self.model}:latest"  # Ollama lists tags; people type the name
            elif served and self.model not in served:
                raise LLMModelNotFound(
                    f"{url} does not serve the model '{self.model}'; it serves: "
                    f"{', '.join(served[:8])}. Your draft and the offline result are kept.",
                    "Pass --model with one of those, or fix model in the config.",
                )
            self.endpoint.model = self.model
            self._model_checked = True
        return self.model

    def _formats(self) -> list[str]:
        from coach.llm.structured import FORMATS

        if self._format is not None:
            return [self._format]
        assert self.endpoint is not None
        if self.endpoint.response_format in FORMATS:
            return [self.endpoint.response_format]
        return list(FORMATS)

    async def coach(
        self,
        draft: str,
        contact: Contact | None,
        channel: str | None,
        offline: CheckResult,
        *,
        on_delta: Callable[[str], None] | None = None,
    ) -> LLMOutcome:
        if self.client is None or self.endpoint is None:
            raise LLMError(
                "No LLM endpoint is configured; the offline result is kept.",
                "Start a local server or pass --endpoint URL.",
            )
        from coach.llm.merge import clean_text, merge
        from coach.llm.structured import CoachingStream, parse_reply, response_format
        from coach.prompting import render_check

        started = time.perf_counter()
        model = await self.ensure_model()
        try:
            prompt = render_check(draft, contact, channel, offline)
        except CoachError as exc:
            # A broken template of the user's must not lose the check: the caller falls back.
            raise LLMPromptError(
                f"The LLM prompt could not be built: {exc.message} "
                "Your draft and the offline result are kept.",
                exc.hint,
            ) from exc
        messages = prompt.messages()
        stream = CoachingStream() if on_delta else None

        def relay(text: str) -> None:
            if stream is not None and on_delta is not None:
                shown = clean_text(stream.feed(text))  # as the final coaching will be
                if shown:
                    on_delta(shown)

        reply_text = ""
        finish: str | None = None
        tokens: dict[str, int] = {}
        timings: dict[str, float] = {}
        last_error: LLMError | None = None
        for kind in self._formats():
            try:
                reply = await self.client.chat(
                    messages,
                    stream=on_delta is not None,
                    on_delta=relay if on_delta else None,
                    response_format=response_format(kind, len(draft)),
                )
            except UnsupportedFormat as exc:
                last_error = exc
                continue
            self._format = kind
            reply_text = reply.content
            finish = reply.finish_reason
            _add_tokens(tokens, reply.usage)
            timings["llm_ms"] = reply.elapsed_ms
            if reply.first_token_ms is not None:
                timings["first_token_ms"] = reply.first_token_ms
            break
        else:
            raise LLMBadReply(
                f"The endpoint accepted none of the ways to ask for structured output "
                f"({last_error}). Your draft and the offline result are kept.",
                'Set response_format = "text" for this endpoint in the config.',
            )

        try:
            parsed = parse_reply(reply_text)
        except LLMBadReply as first_error:
            if finish == "length":
                # Asking again would be cut off the same way.
                raise LLMBadReply(
                    f"The model's reply was cut off at max_tokens "
                    f"({self.endpoint.max_tokens}) before it was complete. "
                    "Your draft and the offline result are kept.",
                    "Raise max_tokens for this endpoint in the config.",
                ) from first_error
            parsed = await self._repair(messages, reply_text, first_error, tokens, len(draft))

        result = merge(offline, parsed, draft, model)
        total_ms = (time.perf_counter() - started) * 1000
        timings["total_ms"] = total_ms
        result.elapsed_ms = round(offline.elapsed_ms + total_ms, 1)
        return LLMOutcome(
            result=result,
            coaching=clean_text(parsed.coaching),
            prompt=prompt.as_text(),
            template=prompt.template,
            model=model,
            tokens=tokens,
            timings=timings,
        )

    async def _repair(
        self,
        messages: list[dict[str, str]],
        reply_text: str,
        error: LLMBadReply,
        tokens: dict[str, int],
        draft_len: int,
    ) -> LLMReply:
        """One more request: show the model its reply and what was wrong with it."""
        from coach.llm.structured import parse_reply, response_format

        assert self.client is not None
        repair = [
            *messages,
            {"role": "assistant", "content": reply_text[:4000]},
            {
                "role": "user",
                "content": f"That reply could not be used: {error.message} "
                "Answer again with only the JSON object described above.",
            },
        ]
        kind = self._format or "text"
        try:
            reply = await self.client.chat(repair, response_format=response_format(kind, draft_len))
        except UnsupportedFormat:
            reply = await self.client.chat(repair)
        _add_tokens(tokens, reply.usage)
        return parse_reply(reply.content)


def _add_tokens(total: dict[str, int], usage: dict[str, int]) -> None:
    for key, value in usage.items():
        total[key] = total.get(key, 0) + value


@dataclass(slots=True)
class EngineChoice:
    coach: LLMCoach | None
    reason: str


def _remote_refusal(ep: Endpoint, opted_in: bool) -> str | None:
    if ep.is_loopback or opted_in:
        return None
    return (
        f"{ep.base_url} is not on this machine; relationship notes stay local, so the offline "
        f"coach is used. To allow it, set allow_remote = true for the endpoint in the config "
        f"(or {REMOTE_OPT_IN}=1)."
    )


def resolve_engine(
    settings: Settings | None = None,
    *,
    endpoint: str | None = None,
    model: str | None = None,
    api_key: str | None = None,
    offline: bool = False,
    probe: bool = True,
) -> EngineChoice:
    """Which LLM to use, if any, and one line on why (shown by `coach doctor`)."""
    if offline:
        return EngineChoice(None, "offline requested (--offline); no LLM is used")
    try:
        settings = settings if settings is not None else load_settings()
    except CoachError as exc:
        return EngineChoice(None, f"the config could not be read ({exc.message}); offline coach")
    if settings.offline:
        return EngineChoice(None, "offline = true in the config; no LLM is used")
    env_opt_in = os.environ.get(REMOTE_OPT_IN, "").strip().lower() in ("1", "true", "yes")
    model = model or os.environ.get("COACH_MODEL") or None
    api_key = api_key if api_key is not None else os.environ.get("COACH_API_KEY")

    url, source = endpoint, "--endpoint"
    if not url and os.environ.get("COACH_ENDPOINT"):
        url, source = os.environ["COACH_ENDPOINT"], "COACH_ENDPOINT"
    try:
        if url:
            # A URL on the command line or in the environment: it may name a config entry, or
            # match one's base URL, whose settings (timeouts, key, max_tokens...) then apply.
            name = url if url in settings.endpoints else _config_for_url(settings, url)
            if name:
                ep = from_config(name, settings.endpoints[name])
                opted_in = ep.allow_remote or env_opt_in
            else:
                ep = Endpoint(base_url=normalize_base_url(url), name=url)
                opted_in = env_opt_in
            ep.source = source
        elif settings.endpoint:
            if settings.endpoint not in settings.endpoints:
                names = ", ".join(settings.endpoints) or "none"
                return EngineChoice(
                    None,
                    f"the config names endpoint '{settings.endpoint}', but [endpoints] has only: "
                    f"{names}; offline coach",
                )
            ep = from_config(settings.endpoint, settings.endpoints[settings.endpoint])
            opted_in = ep.allow_remote or env_opt_in
        else:
            return _probe_choice(model, api_key, probe)
    except CoachError as exc:
        return EngineChoice(None, f"{exc.message} Offline coach used.")

    refusal = _remote_refusal(ep, opted_in)
    if refusal:
        return EngineChoice(None, refusal)
    if model:
        ep.model = model
    if api_key:
        ep.api_key = api_key
    what = f"model {ep.model}" if ep.model else "the first model it lists"
    return EngineChoice(LLMCoach(ep), f"{ep.base_url} from {ep.source}, {what}")


def _config_for_url(settings: Settings, url: str) -> str | None:
    wanted = normalize_base_url(url)
    for name, config in settings.endpoints.items():
        try:
            if normalize_base_url(config.base_url) == wanted:
                return name
        except CoachError:
            continue
    return None


def _probe_choice(model: str | None, api_key: str | None, probe: bool) -> EngineChoice:
    ports = ", ".join(f"{name} :{port}" for name, port in LOCAL_SERVERS)
    if not probe:
        return EngineChoice(None, "no endpoint configured; offline coach")
    hits = probe_local()
    for hit in hits:
        if model and hit.models and model not in hit.models:
            continue
        chosen = model or (hit.models[0] if hit.models else "")
        if not chosen:
            continue
        ep = Endpoint(
            base_url=hit.base_url,
            model=chosen,
            api_key=api_key or "",
            name=hit.name,
            source=f"found {hit.name} listening",
        )
        assert is_loopback(ep.base_url)
        return EngineChoice(LLMCoach(ep), f"found {hit.name} at {hit.base_url} serving {chosen}")
    if hits and model:
        found = "; ".join(f"{h.name} ({', '.join(h.models[:3]) or 'no models'})" for h in hits)
        return EngineChoice(
            None, f"no local server serves '{model}' (found {found}); offline coach"
        )
    return EngineChoice(
        None, f"no endpoint configured and nothing answered on {ports}; offline coach"
    )
