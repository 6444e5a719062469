"""Faults a real server cannot produce on demand: each ends in a typed error a person can act on,
or a graceful fallback, and nothing hangs. httpx.MockTransport for replies, a tiny asyncio
loopback server for trickling, stalled and cut streams."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import orjson
import pytest

from coach.errors import LLMError
from coach.llm.client import ChatClient, retry_after_seconds
from coach.llm.endpoints import Endpoint
from coach.llm.engine import LLMCoach
from coach.llm.errors import (
    LLMAuthError,
    LLMBadReply,
    LLMContextExceeded,
    LLMModelNotFound,
    LLMRateLimited,
    LLMReplyTooLarge,
    LLMServerError,
    LLMTimeout,
    LLMUnreachable,
)
from coach.models import CheckResult
from tests.llm_server import free_port

MESSAGES = [{"role": "user", "content": "hi"}]
GOOD: dict[str, Any] = {
    "coaching": "Fine.",
    "verdict": "ok",
    "flags": [],
    "rewrite": None,
    "advice": "",
}
HANG_GUARD = 10.0  # seconds: only there so a broken test fails instead of hanging


def _endpoint(url: str = "http://127.0.0.1:9/v1", **kw: Any) -> Endpoint:
    kw.setdefault("connect_timeout", 0.5)
    kw.setdefault("read_timeout", 0.5)
    return Endpoint(base_url=url, model="m", **kw)


def _completion(content: str, finish: str = "stop") -> dict[str, Any]:
    return {
        "model": "m",
        "choices": [{"index": 0, "finish_reason": finish, "message": {"content": content}}],
        "usage": {"prompt_tokens": 5, "completion_tokens": 7},
    }


def _client(handler: Callable[[httpx.Request], httpx.Response], **kw: Any) -> ChatClient:
    return ChatClient(_endpoint(**kw), transport=httpx.MockTransport(handler), backoff=0.0)


async def _chat(client: ChatClient, **kw: Any) -> Any:
    try:
        return await asyncio.wait_for(client.chat(MESSAGES, **kw), HANG_GUARD)
    finally:
        await client.aclose()


# -- transport faults ---------------------------------------------------------------------------


async def test_connection_refused_is_unreachable() -> None:
    client = ChatClient(_endpoint(f"http://127.0.0.1:{free_port()}/v1"))
    with pytest.raises(LLMUnreachable) as err:
        await _chat(client)
    assert "Could not reach" in err.value.message and "--offline" in err.value.hint


async def test_connect_timeout() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectTimeout("timed out", request=request)

    with pytest.raises(LLMTimeout, match="Connecting to"):
        await _chat(_client(handler))


async def test_read_timeout_on_a_stalled_server() -> None:
    async def stall(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read(1024)
        await asyncio.sleep(HANG_GUARD)  # accepts the request, never answers

    async with _loopback(stall) as url:
        with pytest.raises(LLMTimeout, match="stopped answering"):
            await _chat(ChatClient(_endpoint(url, read_timeout=0.3)))


# -- HTTP status faults ---------------------------------------------------------------------------


async def test_429_honours_retry_after_then_succeeds() -> None:
    calls: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        if len(calls) < 3:
            return httpx.Response(429, headers={"Retry-After": "0"}, json={"error": "busy"})
        return httpx.Response(200, json=_completion("done"))

    reply = await _chat(_client(handler))
    assert reply.content == "done" and len(calls) == 3


async def test_retry_after_longer_than_the_cap_gives_up_at_once() -> None:
    calls: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        return httpx.Response(429, headers={"Retry-After": "3600"})

    with pytest.raises(LLMRateLimited, match="asks to wait 3600 s"):
        await _chat(_client(handler))
    assert len(calls) == 1


async def test_503_after_all_retries_is_rate_limited() -> None:
    calls: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        return httpx.Response(503, text="overloaded")

    with pytest.raises(LLMRateLimited, match="busy"):
        await _chat(_client(handler, max_retries=2))
    assert len(calls) == 3


def test_retry_after_parses_seconds_and_dates() -> None:
    assert retry_after_seconds("7") == 7.0
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # in the past
    assert retry_after_seconds("soon") is None
    assert retry_after_seconds(None) is None


@pytest.mark.parametrize(
    ("status", "body", "error", "words"),
    [
        (500, {"error": {"message": "CUDA fell over"}}, LLMServerError, "CUDA fell over"),
        (401, {"error": {"message": "Invalid API Key"}}, LLMAuthError, "Invalid API Key"),
        (404, {"error": {"message": "model 'x' not found"}}, LLMModelNotFound, "does not serve"),
        (404, "<html>nope</html>", LLMServerError, "ending in /v1"),
        (400, {"error": {"message": "exceeds the context size"}}, LLMContextExceeded, "longer"),
    ],
)
async def test_status_errors_are_typed(
    status: int, body: Any, error: type[LLMError], words: str
) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if isinstance(body, str):
            return httpx.Response(status, text=body)
        return httpx.Response(status, json=body)

    with pytest.raises(error) as err:
        await _chat(_client(handler))
    assert words in err.value.one_line()
    assert "kept" in err.value.message  # says the draft was not lost


# -- bad bodies -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"<html>Welcome to nginx</html>", "not JSON"),
        (orjson.dumps({"result": "hello"}), "not a chat completion"),
        (orjson.dumps({"choices": []}), "not a chat completion"),
        (orjson.dumps({"choices": [{"message": {"content": 42}}]}), "not a chat completion"),
        (b'{"choices": [{"message": {"content": "caf\xe9"}}]}', "not valid UTF-8"),
    ],
)
async def test_unusable_bodies(content: bytes, words: str) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=content)

    with pytest.raises(LLMBadReply, match=words):
        await _chat(_client(handler))


async def test_five_megabyte_reply_is_refused() -> None:
    big = orjson.dumps(_completion("x" * 5_000_000))

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=big)

    with pytest.raises(LLMReplyTooLarge, match="over 2048 KB"):
        await _chat(_client(handler))


async def test_five_megabyte_stream_is_refused() -> None:
    event = b"data: " + orjson.dumps({"choices": [{"delta": {"content": "x" * 1000}}]}) + b"\n\n"

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=event * 5000)

    with pytest.raises(LLMReplyTooLarge):
        await _chat(_client(handler), stream=True)


def _sse(*events: dict[str, Any] | str) -> bytes:
    out = b""
    for event in events:
        data = event.encode() if isinstance(event, str) else orjson.dumps(event)
        out += b"data: " + data + b"\n\n"
    return out


def _delta(text: str, finish: str | None = None) -> dict[str, Any]:
    return {"choices": [{"index": 0, "delta": {"content": text}, "finish_reason": finish}]}


async def test_stream_with_usage_and_done() -> None:
    body = _sse(
        _delta("Hel"),
        _delta("lo", "stop"),
        {"choices": [], "usage": {"prompt_tokens": 3, "completion_tokens": 2}},
        "[DONE]",
    )

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=body)

    seen: list[str] = []
    reply = await _chat(_client(handler), stream=True, on_delta=seen.append)
    assert seen == ["Hel", "lo"] and reply.content == "Hello"
    assert reply.usage == {"prompt": 3, "completion": 2} and reply.finish_reason == "stop"


async def test_stream_cut_mid_event() -> None:
    body = _sse(_delta("Hel")) + b'data: {"choices": [{"delta": {"cont'

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=body)

    with pytest.raises(LLMBadReply, match="ended before it was complete"):
        await _chat(_client(handler), stream=True)


async def test_stream_with_invalid_utf8_event() -> None:
    body = b'data: {"choices": [{"delta": {"content": "\xff\xfe"}}]}\n\n'

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=body)

    with pytest.raises(LLMBadReply, match="not valid UTF-8"):
        await _chat(_client(handler), stream=True)


async def test_stream_error_event_is_typed() -> None:
    body = _sse({"error": {"message": "exceeds the available context size"}})

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=body)

    with pytest.raises(LLMContextExceeded):
        await _chat(_client(handler), stream=True)


# -- a real socket: trickle, cancel, cut --------------------------------------------------------


class _loopback:
    """A one-behaviour HTTP server on a free loopback port, for faults MockTransport can't fake."""

    def __init__(
        self, handle: Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]
    ) -> None:
        self.handle = handle
        self.server: asyncio.Server | None = None

    async def __aenter__(self) -> str:
        self.server = await asyncio.start_server(self.handle, "127.0.0.1", 0)
        port = self.server.sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}/v1"

    async def __aexit__(self, *exc: object) -> None:
        assert self.server is not None
        self.server.close()


HEADERS = (
    b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
)


async def _chunk(writer: asyncio.StreamWriter, data: bytes) -> None:
    writer.write(b"%x\r\n%s\r\n" % (len(data), data))
    await writer.drain()


async def test_cancel_closes_a_trickling_stream() -> None:
    first_byte = asyncio.Event()
    closed = asyncio.Event()

    async def trickle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(HEADERS)
        try:
            for byte in _sse(_delta("slow " * 50)):
                await _chunk(writer, bytes([byte]))
                first_byte.set()
                await asyncio.sleep(1.0)  # one byte a second: the read timeout never fires
        except (ConnectionError, OSError):
            pass
        finally:
            closed.set()

    async with _loopback(trickle) as url:
        client = ChatClient(_endpoint(url, read_timeout=5.0))
        task = asyncio.create_task(client.chat(MESSAGES, stream=True, on_delta=lambda _: None))
        await asyncio.wait_for(first_byte.wait(), HANG_GUARD)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await asyncio.wait_for(task, HANG_GUARD)
        await client.aclose()
        # The server notices the closed connection on its next write.
        await asyncio.wait_for(closed.wait(), HANG_GUARD)


async def test_connection_dropped_mid_stream() -> None:
    async def cut(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(HEADERS)
        await _chunk(writer, _sse(_delta("partial")) + b'data: {"choi')
        writer.close()  # no terminating chunk: the connection just ends

    async with _loopback(cut) as url:
        with pytest.raises(LLMBadReply, match=r"broke off|ended before"):
            await _chat(ChatClient(_endpoint(url)), stream=True)


async def test_a_stale_pooled_connection_is_resent_once() -> None:
    connections = 0

    async def drop_first(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal connections
        connections += 1
        await reader.readuntil(b"\r\n\r\n")
        if connections > 1:
            body = orjson.dumps(_completion("second time lucky"))
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))
            await writer.drain()
        writer.close()  # the first: closed without a word, like an idle keep-alive timeout

    async with _loopback(drop_first) as url:
        reply = await _chat(ChatClient(_endpoint(url)))
    assert reply.content == "second time lucky" and connections == 2


async def test_a_server_that_always_hangs_up_is_reported() -> None:
    connections = 0

    async def hang_up(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal connections
        connections += 1
        await reader.readuntil(b"\r\n\r\n")
        writer.close()

    async with _loopback(hang_up) as url:
        with pytest.raises(LLMBadReply, match="broke off"):
            await _chat(ChatClient(_endpoint(url)))
    assert connections == 2


# -- the coach on top: model check, format fallback, repair ------------------------------------


def _server(
    chat: Callable[[dict[str, Any]], httpx.Response], models: tuple[str, ...] = ("m",)
) -> Callable[[httpx.Request], httpx.Response]:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/models"):
            return httpx.Response(200, json={"data": [{"id": m} for m in models]})
        return chat(orjson.loads(request.content))

    return handler


def _coach(handler: Callable[[httpx.Request], httpx.Response], model: str = "m") -> LLMCoach:
    ep = _endpoint()
    ep.model = model
    return LLMCoach(ep, transport=httpx.MockTransport(handler))


async def _run(coach: LLMCoach, draft: str = "Thanks for the reply!") -> Any:
    try:
        return await asyncio.wait_for(coach.coach(draft, None, "dm", CheckResult()), HANG_GUARD)
    finally:
        await coach.aclose()


async def test_coach_falls_back_from_json_schema_to_text() -> None:
    formats: list[str | None] = []

    def chat(body: dict[str, Any]) -> httpx.Response:
        fmt = body.get("response_format", {}).get("type")
        formats.append(fmt)
        if fmt is not None:
            return httpx.Response(
                400, json={"error": {"message": f"{fmt} response_format unsupported"}}
            )
        return httpx.Response(
            200, json=_completion("Here:\n```json\n" + orjson.dumps(GOOD).decode() + "\n```")
        )

    outcome = await _run(_coach(_server(chat)))
    assert formats == ["json_schema", "json_object", None]
    assert outcome.result.engine == "llm:m" and outcome.coaching == "Fine."


async def test_coach_repairs_a_bad_reply_once() -> None:
    replies = iter(["Looks fine to me!", orjson.dumps(GOOD).decode()])
    seen: list[list[dict[str, str]]] = []

    def chat(body: dict[str, Any]) -> httpx.Response:
        seen.append(body["messages"])
        return httpx.Response(200, json=_completion(next(replies)))

    outcome = await _run(_coach(_server(chat)))
    assert outcome.result.verdict == "ok" and len(seen) == 2
    assert "could not be used" in seen[1][-1]["content"]
    assert outcome.tokens == {"prompt": 10, "completion": 14}


async def test_coach_gives_up_after_one_repair() -> None:
    def chat(body: dict[str, Any]) -> httpx.Response:
        return httpx.Response(200, json=_completion('{"verdict": "perhaps"}'))

    with pytest.raises(LLMBadReply, match="verdict"):
        await _run(_coach(_server(chat)))


async def test_coach_refuses_a_model_the_server_does_not_list() -> None:
    def chat(body: dict[str, Any]) -> httpx.Response:
        return httpx.Response(200, json=_completion(orjson.dumps(GOOD).decode()))

    with pytest.raises(LLMModelNotFound, match="it serves: a, b"):
        await _run(_coach(_server(chat, models=("a", "b")), model="zzz"))
    outcome = await _run(_coach(_server(chat, models=("a", "b")), model=""))
    assert outcome.model == "a" and outcome.result.engine == "llm:a"


async def test_coach_without_endpoint_raises_llm_error() -> None:
    with pytest.raises(LLMError):
        await LLMCoach().coach("hi", None, None, CheckResult())


async def test_coach_accepts_an_ollama_name_without_its_tag() -> None:
    def chat(body: dict[str, Any]) -> httpx.Response:
        assert body["model"] == "llama3.2:latest"
        return httpx.Response(200, json=_completion(orjson.dumps(GOOD).decode()))

    outcome = await _run(_coach(_server(chat, models=("llama3.2:latest",)), model="llama3.2"))
    assert outcome.result.engine == "llm:llama3.2:latest"


async def test_reply_cut_at_max_tokens_is_not_repaired() -> None:
    calls: list[int] = []

    def chat(body: dict[str, Any]) -> httpx.Response:
        calls.append(1)
        return httpx.Response(200, json=_completion('{"coaching": "Thanks for', finish="length"))

    with pytest.raises(LLMBadReply) as err:
        await _run(_coach(_server(chat)))
    assert "cut off at max_tokens" in err.value.message and "max_tokens" in err.value.hint
    assert len(calls) == 1


async def test_elapsed_includes_the_llm() -> None:
    def chat(body: dict[str, Any]) -> httpx.Response:
        return httpx.Response(200, json=_completion(orjson.dumps(GOOD).decode()))

    coach = _coach(_server(chat))
    try:
        outcome = await coach.coach("Thanks!", None, None, CheckResult(elapsed_ms=2.0))
    finally:
        await coach.aclose()
    assert outcome.result.elapsed_ms >= 2.0 + outcome.timings["llm_ms"] - 0.1


async def test_a_broken_user_template_is_an_llm_error_so_the_check_survives() -> None:
    from coach import paths

    folder = paths.ensure_private_dir(paths.user_prompts_dir())
    (folder / "check.j2").write_text("{{ draft }} {{ no_such_thing }}", encoding="utf-8")

    def chat(body: dict[str, Any]) -> httpx.Response:
        raise AssertionError("nothing is sent when the prompt cannot be built")

    with pytest.raises(LLMError) as err:
        await _run(_coach(_server(chat)))
    assert "no_such_thing" in err.value.message and "kept" in err.value.message
