"""LLM client overhead and SSE parsing speed, each against its reference in the same run.

- overhead_ratio: a full streamed check through coach (render the prompt, stream, pull the coaching
  text out live, parse, validate, merge) over a bare httpx streamed request with the same body,
  against a real llama.cpp server (xllamacpp) serving a tiny random model; runs interleaved, the
  fastest of each compared (medians reported too).
  Target: within 1.10.
- sse_events_per_s: the client's per-event work (SSE framing, JSON decode, delta extraction) on a
  synthetic in-memory stream of llama.cpp-shaped chunks. Target: over 50,000/s.

Usage: uv run python benchmarks/llm_client.py [--runs 16] [--events 200000]
The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# Never touch the real user dirs, even though nothing here writes.
os.environ["COACH_HOME"] = tempfile.mkdtemp(prefix="coach-bench-")

import httpx  # noqa: E402
import orjson  # noqa: E402

from coach.llm.client import ChatClient, ChatReply  # noqa: E402
from coach.llm.endpoints import Endpoint  # noqa: E402
from coach.llm.engine import LLMCoach  # noqa: E402
from coach.llm.sse import SSEParser  # noqa: E402
from coach.llm.structured import response_format  # noqa: E402
from coach.models import CheckResult, Contact, Flag, Interaction, Preference  # noqa: E402
from coach.prompting import render_check  # noqa: E402
from tests.llm_server import MODEL_NAME, LlamaServer, make_tiny_model  # noqa: E402

DRAFT = "Hey Dana, how is your family doing? Thanks again for the kind words on the launch!"


def _contact() -> Contact:
    return Contact(
        name="Dana Reyes",
        preferred_name="Dana",
        context="customer",
        preferences=[Preference(kind="topic_avoid", value="family", quote="I keep it offline")],
        interactions=[Interaction(direction="in", channel="public_reply", text="Love it!")],
    )


def _offline() -> CheckResult:
    flag = Flag(rule="personal-question", severity="stop", start=10, end=35)
    return CheckResult(verdict="hold", flags=[flag])


async def _bare(url: str, payload: bytes, client: httpx.AsyncClient) -> float:
    for attempt in range(2):
        started = time.perf_counter()
        try:
            async with client.stream(
                "POST", url, content=payload, headers={"Content-Type": "application/json"}
            ) as response:
                async for _ in response.aiter_bytes():
                    pass
            break
        except httpx.RemoteProtocolError:
            # An idle keep-alive connection closed by the server: resent once, as coach does.
            if attempt:
                raise
    return (time.perf_counter() - started) * 1000


async def _overhead(server: LlamaServer, runs: int, max_tokens: int) -> dict[str, float]:
    ep = Endpoint(base_url=server.base_url, model=MODEL_NAME, read_timeout=60.0)
    ep.max_tokens = max_tokens
    ep.extra = {"seed": 11}  # same seed, same prompt: both paths get the same tokens back
    coach = LLMCoach(ep)
    await coach.ensure_model()
    coach._format = "json_schema"  # what the server accepted; both paths send the same body

    prompt = render_check(DRAFT, _contact(), "dm", _offline())
    body = coach.client.request_body(  # type: ignore[union-attr]
        prompt.messages(), stream=True, response_format=response_format("json_schema", len(DRAFT))
    )
    payload = orjson.dumps(body)
    url = f"{server.base_url}/chat/completions"
    bare_client = httpx.AsyncClient(timeout=60.0, trust_env=False, verify=False)

    async def ours() -> float:
        started = time.perf_counter()
        await coach.coach(DRAFT, _contact(), "dm", _offline(), on_delta=lambda _: None)
        return (time.perf_counter() - started) * 1000

    for _ in range(2):  # warm both connections and the server's prompt cache
        await ours()
        await _bare(url, payload, bare_client)
    client_ms: list[float] = []
    bare_ms: list[float] = []
    client_cpu: list[float] = []
    bare_cpu: list[float] = []

    async def timed_ours() -> None:
        cpu = time.process_time()
        client_ms.append(await ours())
        client_cpu.append((time.process_time() - cpu) * 1000)

    async def timed_bare() -> None:
        cpu = time.process_time()
        bare_ms.append(await _bare(url, payload, bare_client))
        bare_cpu.append((time.process_time() - cpu) * 1000)

    for i in range(runs):
        # Alternate which goes first so drift on a noisy machine hits both alike.
        if i % 2:
            await timed_bare()
            await timed_ours()
        else:
            await timed_ours()
            await timed_bare()
    await bare_client.aclose()
    await coach.aclose()
    client_med, bare_med = statistics.median(client_ms), statistics.median(bare_ms)
    # Noise on a shared machine only ever adds time, so the fastest run of each is the truest
    # cost; the ratio of medians is kept alongside.
    return {
        "client_ms": round(min(client_ms), 2),
        "bare_ms": round(min(bare_ms), 2),
        "overhead_ratio": round(min(client_ms) / min(bare_ms), 3),
        "client_median_ms": round(client_med, 2),
        "bare_median_ms": round(bare_med, 2),
        "median_ratio": round(client_med / bare_med, 3),
        # This process's CPU per request (the server's work excluded): what coach itself adds.
        "client_cpu_ms": round(statistics.median(client_cpu), 2),
        "bare_cpu_ms": round(statistics.median(bare_cpu), 2),
    }


def _synthetic_stream(events: int) -> list[bytes]:
    """llama.cpp-shaped chunks, cut into 4 KB network-sized pieces at arbitrary points."""
    words = ["Thanks", " for", " asking", " \\u00e9", " —", " ok", "\\n", " kind"]
    lines = []
    for n in range(events):
        event = {
            "choices": [{"finish_reason": None, "index": 0, "delta": {"content": words[n % 8]}}],
            "created": 1795803841,
            "id": "chatcmpl-4oLpqnt1ns8vvE0ZPE7YSlMYOETzxr1D",
            "model": MODEL_NAME,
            "system_fingerprint": "b0-unknown",
            "object": "chat.completion.chunk",
        }
        lines.append(b"data: " + orjson.dumps(event) + b"\n\n")
    blob = b"".join(lines) + b"data: [DONE]\n\n"
    return [blob[i : i + 4096] for i in range(0, len(blob), 4096)]


def _sse_rate(events: int) -> dict[str, float]:
    chunks = _synthetic_stream(events)
    client = ChatClient(Endpoint(base_url="http://127.0.0.1:1/v1", model=MODEL_NAME))

    def parse_only() -> int:
        parser = SSEParser()
        return sum(len(parser.feed(chunk)) for chunk in chunks)

    def full() -> int:
        parser = SSEParser()
        reply = ChatReply(content="")
        count = 0
        parts: list[str] = []
        for chunk in chunks:
            for data in parser.feed(chunk):
                if data == "[DONE]":
                    break
                parts.append(client._apply_event(data, reply))
                count += 1
        return count

    rates = {}
    for name, fn in (("sse_parse_only_per_s", parse_only), ("sse_events_per_s", full)):
        best = float("inf")
        for _ in range(3):
            started = time.perf_counter()
            count = fn()
            best = min(best, time.perf_counter() - started)
        rates[name] = round(count / best)
    return rates


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--runs", type=int, default=16)
    ap.add_argument("--max-tokens", type=int, default=1500)
    ap.add_argument("--events", type=int, default=200_000)
    args = ap.parse_args()

    figures: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as tmp:
        model = make_tiny_model(Path(tmp) / "tiny.gguf")
        server = LlamaServer(model).start()
        try:
            figures.update(asyncio.run(_overhead(server, args.runs, args.max_tokens)))
        finally:
            server.stop()
    figures.update(_sse_rate(args.events))
    figures["runs"] = args.runs
    figures["events"] = args.events
    print(
        f"streamed check: coach {figures['client_ms']} ms vs bare httpx {figures['bare_ms']} ms "
        f"(ratio {figures['overhead_ratio']}); SSE {figures['sse_events_per_s']:,} events/s",
        file=sys.stderr,
    )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
