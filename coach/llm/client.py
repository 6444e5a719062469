"""An async OpenAI-compatible chat client (httpx): streaming over SSE, bounded replies, retries on
429/503 honouring Retry-After, separate connect and read timeouts, and typed errors a person can act on.

Cancelling the awaiting task closes the HTTP stream: every request runs inside `client.stream(...)`.
"""

from __future__ import annotations

import asyncio
import email.utils
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx
import orjson

from coach.llm.endpoints import Endpoint
from coach.llm.errors import (
    KEPT,
    LLMBadReply,
    LLMRateLimited,
    LLMReplyTooLarge,
    status_error,
    transport_error,
)
from coach.llm.sse import SSEParser

MAX_REPLY_BYTES = 2 * 1024 * 1024  # a coaching reply is a few KB; anything near this is not one
MAX_ERROR_BYTES = 64 * 1024
RETRY_WAIT_CAP = 30.0  # never sleep longer than this for one Retry-After
_STALE_CONNECTION = (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError)


@dataclass(slots=True)
class ChatReply:
    content: str
    finish_reason: str | None = None
    model: str = ""
    usage: dict[str, int] = field(default_factory=dict)
    elapsed_ms: float = 0.0
    first_token_ms: float | None = None


def retry_after_seconds(value: str | None) -> float | None:
    """Retry-After as seconds (an integer, or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


class ChatClient:
    """One endpoint. Reuses one connection pool per event loop; `aclose()` when done."""

    def __init__(
        self,
        endpoint: Endpoint,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        max_reply_bytes: int = MAX_REPLY_BYTES,
        retry_wait_cap: float = RETRY_WAIT_CAP,
        backoff: float = 0.5,
    ) -> None:
        self.endpoint = endpoint
        self.max_reply_bytes = max_reply_bytes
        self.retry_wait_cap = retry_wait_cap
        self.backoff = backoff
        self._transport = transport
        self._client: httpx.AsyncClient | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    # -- plumbing -------------------------------------------------------------------------------

    def _http(self) -> httpx.AsyncClient:
        loop = asyncio.get_running_loop()
        if self._client is None or self._client.is_closed or self._loop is not loop:
            # A client is bound to the loop it was made on; `asyncio.run` per command makes new ones.
            ep = self.endpoint
            local = ep.is_loopback
            self._client = httpx.AsyncClient(
                transport=self._transport,
                # Loopback: no proxy from the environment, and no certificate store to load
                # (building a verifying SSL context costs ~40 ms per client).
                trust_env=not local,
                verify=not local,
                timeout=httpx.Timeout(
                    connect=ep.connect_timeout,
                    read=ep.read_timeout,
                    write=ep.read_timeout,
                    pool=ep.connect_timeout + ep.read_timeout,
                ),
                limits=httpx.Limits(max_connections=64, max_keepalive_connections=16),
            )
            self._loop = loop
        return self._client

    async def aclose(self) -> None:
        if self._client is not None and not self._client.is_closed:
            await self._client.aclose()
        self._client = None

    async def __aenter__(self) -> ChatClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    def headers(self) -> dict[str, str]:
        headers = {"Accept": "application/json"}
        if self.endpoint.api_key:
            headers["Authorization"] = f"Bearer {self.endpoint.api_key}"
        return headers

    def _url(self, path: str) -> str:
        return f"{self.endpoint.base_url}/{path}"

    async def _read_bounded(self, response: httpx.Response, cap: int) -> bytes:
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > cap:
                raise LLMReplyTooLarge(
                    f"The endpoint's reply is over {cap // 1024} KB, far more than a coaching "
                    f"reply; stopped reading it. {KEPT}",
                    "Lower max_tokens, or check that the endpoint is a chat server.",
                )
            chunks.append(chunk)
        return b"".join(chunks)

    # -- requests -------------------------------------------------------------------------------

    async def list_models(self) -> list[str]:
        """Model ids from `GET /models`."""
        try:
            response = await self._http().get(self._url("models"), headers=self.headers())
            body = await self._read_bounded(response, self.max_reply_bytes)
        except httpx.HTTPError as exc:
            raise transport_error(self.endpoint, exc) from exc
        if response.status_code >= 400:
            raise status_error(self.endpoint, response.status_code, body)
        try:
            data = orjson.loads(body)
            return [str(m["id"]) for m in data["data"] if isinstance(m, dict) and "id" in m]
        except (orjson.JSONDecodeError, KeyError, TypeError) as exc:
            raise LLMBadReply(
                f"{self.endpoint.base_url}/models did not return a model list.",
                "Check that the endpoint is an OpenAI-compatible server.",
            ) from exc

    def request_body(
        self,
        messages: list[dict[str, str]],
        *,
        stream: bool,
        response_format: dict[str, Any] | None = None,
        max_tokens: int | None = None,
        temperature: float | None = None,
    ) -> dict[str, Any]:
        ep = self.endpoint
        body: dict[str, Any] = {
            "model": ep.model,
            "messages": messages,
            "temperature": ep.temperature if temperature is None else temperature,
            # Always bounded: a model that never emits its end token must still stop.
            "max_tokens": max_tokens or ep.max_tokens,
            "stream": stream,
        }
        if stream:
            body["stream_options"] = {"include_usage": True}
        if response_format is not None:
            body["response_format"] = response_format
        body.update(ep.extra)
        return body

    async def chat(
        self,
        messages: list[dict[str, str]],
        *,
        stream: bool = False,
        on_delta: Callable[[str], None] | None = None,
        response_format: dict[str, Any] | None = None,
        max_tokens: int | None = None,
        temperature: float | None = None,
    ) -> ChatReply:
        body = self.request_body(
            messages,
            stream=stream,
            response_format=response_format,
            max_tokens=max_tokens,
            temperature=temperature,
        )
        payload = orjson.dumps(body)
        headers = {**self.headers(), "Content-Type": "application/json"}
        attempt = 0
        resent = False
        while True:
            started = time.perf_counter()
            wait: float | None = None
            answered = False
            try:
                async with self._http().stream(
                    "POST", self._url("chat/completions"), content=payload, headers=headers
                ) as response:
                    answered = True
                    status = response.status_code
                    if status in (429, 503) and attempt < self.endpoint.max_retries:
                        wait = retry_after_seconds(response.headers.get("Retry-After"))
                        wait = self.backoff * (2**attempt) if wait is None else wait
                        if wait > self.retry_wait_cap:
                            raise LLMRateLimited(
                                f"{self.endpoint.base_url} is busy and asks to wait {wait:.0f} s. "
                                f"{KEPT}",
                                "Try again later, or lower --concurrency.",
                            )
                    elif status >= 400:
                        err = await self._read_bounded(response, MAX_ERROR_BYTES)
                        raise status_error(self.endpoint, status, err, model=self.endpoint.model)
                    elif stream:
                        return await self._read_stream(response, started, on_delta)
                    else:
                        return await self._read_json(response, started)
            except _STALE_CONNECTION as exc:
                # The server closed an idle pooled connection just as we reused it (llama.cpp
                # drops them after 5 s): nothing was answered, so sending again once is safe.
                if answered or resent:
                    raise transport_error(self.endpoint, exc) from exc
                resent = True
                continue
            except httpx.HTTPError as exc:
                raise transport_error(self.endpoint, exc) from exc
            attempt += 1
            await asyncio.sleep(wait or 0.0)

    async def _read_json(self, response: httpx.Response, started: float) -> ChatReply:
        raw = await self._read_bounded(response, self.max_reply_bytes)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise LLMBadReply(
                f"The endpoint's reply is not valid UTF-8 text. {KEPT}",
                "Check the server's configuration or try another model.",
            ) from exc
        try:
            data = orjson.loads(text)
        except orjson.JSONDecodeError as exc:
            raise LLMBadReply(
                f"The endpoint's reply is not JSON ({text[:60]!r}...). {KEPT}",
                "Check that the endpoint URL points at an OpenAI-compatible API (ending in /v1).",
            ) from exc
        try:
            choice = data["choices"][0]
            content = choice["message"].get("content") or ""
            if not isinstance(content, str):
                raise TypeError("content is not text")
        except (KeyError, IndexError, TypeError, AttributeError) as exc:
            if isinstance(data, dict) and "error" in data:
                raise status_error(self.endpoint, 500, raw, model=self.endpoint.model) from exc
            raise LLMBadReply(
                f"The endpoint answered JSON that is not a chat completion. {KEPT}",
                "Check that the endpoint is an OpenAI-compatible chat server.",
            ) from exc
        elapsed = (time.perf_counter() - started) * 1000
        return ChatReply(
            content=content,
            finish_reason=choice.get("finish_reason"),
            model=str(data.get("model") or self.endpoint.model),
            usage=_usage(data.get("usage")),
            elapsed_ms=elapsed,
            first_token_ms=elapsed,
        )

    async def _read_stream(
        self,
        response: httpx.Response,
        started: float,
        on_delta: Callable[[str], None] | None,
    ) -> ChatReply:
        parser = SSEParser()
        parts: list[str] = []
        reply = ChatReply(content="", model=self.endpoint.model)
        size = 0
        done = False
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > self.max_reply_bytes:
                raise LLMReplyTooLarge(
                    f"The streamed reply passed {self.max_reply_bytes // 1024} KB; stopped "
                    f"reading it. {KEPT}",
                    "Lower max_tokens, or check that the endpoint is a chat server.",
                )
            for data in parser.feed(chunk):
                if data == "[DONE]":
                    done = True
                    break
                text = self._apply_event(data, reply)
                if text:
                    if reply.first_token_ms is None:
                        reply.first_token_ms = (time.perf_counter() - started) * 1000
                    parts.append(text)
                    if on_delta is not None:
                        on_delta(text)
            if done:
                break
        if not done and (parser.pending or reply.finish_reason is None):
            raise LLMBadReply(
                f"The reply stream ended before it was complete (connection cut). {KEPT}",
                "Try again; if it keeps happening, check the server's log.",
            )
        reply.content = "".join(parts)
        reply.elapsed_ms = (time.perf_counter() - started) * 1000
        return reply

    def _apply_event(self, data: str, reply: ChatReply) -> str:
        try:
            event = orjson.loads(data)
        except orjson.JSONDecodeError as exc:
            raise LLMBadReply(
                f"The endpoint streamed an event that is not JSON ({data[:60]!r}). {KEPT}",
                "Check that the endpoint is an OpenAI-compatible chat server.",
            ) from exc
        if not isinstance(event, dict):
            raise LLMBadReply(f"The endpoint streamed an unexpected event. {KEPT}")
        if "error" in event:
            raise status_error(self.endpoint, 500, data.encode(), model=self.endpoint.model)
        if event.get("usage"):
            reply.usage = _usage(event["usage"])
        if event.get("model"):
            reply.model = str(event["model"])
        choices = event.get("choices") or []
        if not choices:
            return ""
        try:
            choice = choices[0]
            if choice.get("finish_reason"):
                reply.finish_reason = str(choice["finish_reason"])
            text = (choice.get("delta") or {}).get("content") or ""
        except AttributeError as exc:
            raise LLMBadReply(f"The endpoint streamed an event of the wrong shape. {KEPT}") from exc
        return text if isinstance(text, str) else ""


def _usage(value: object) -> dict[str, int]:
    if not isinstance(value, dict):
        return {}
    out: dict[str, int] = {}
    for src, dst in (("prompt_tokens", "prompt"), ("completion_tokens", "completion")):
        if isinstance(value.get(src), int):
            out[dst] = int(value[src])
    return out
