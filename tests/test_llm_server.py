"""Against a real llama.cpp server (xllamacpp) serving a tiny random model: listing, checks
streamed and not, structured output, cancel mid-stream, unknown model, wrong key, huge prompt."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from coach.batch_llm import BatchItem, run_batch
from coach.cli import main
from coach.config import EndpointConfig, Settings, save_settings
from coach.llm import endpoints
from coach.llm.client import ChatClient
from coach.llm.endpoints import Endpoint
from coach.llm.engine import LLMCoach, resolve_engine
from coach.llm.errors import LLMAuthError, LLMContextExceeded, LLMModelNotFound
from coach.llm.structured import LLMReply, response_format
from coach.models import CheckResult, Contact, Flag, Interaction, Preference
from coach.store import open_store
from tests.llm_server import MODEL_NAME, LlamaServer, free_port, make_tiny_model

pytestmark = pytest.mark.llm
HANG_GUARD = 60.0  # only so a broken test fails instead of hanging CI
API_KEY = "test-key-123"
DRAFT = "Hey Dana, how is your family doing? Thanks for the kind words!"
SOME_DAY = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_tiny_model(tmp_path_factory.mktemp("llm") / "tiny.gguf")


@pytest.fixture(scope="session")
def llama(tiny_model: Path) -> Iterator[LlamaServer]:
    server = LlamaServer(tiny_model).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def keyed_llama(tiny_model: Path) -> Iterator[LlamaServer]:
    server = LlamaServer(tiny_model, api_key=API_KEY).start()
    yield server
    server.stop()


def _endpoint(server: LlamaServer, **kw: Any) -> Endpoint:
    ep = Endpoint(base_url=server.base_url, model=MODEL_NAME, read_timeout=30.0, **kw)
    ep.max_tokens = 3000  # room for any reply the schema allows; a grammar-closed one stops early
    ep.extra = {"seed": 42}  # a fixed seed keeps the random model's output the same every run
    return ep


def _contact() -> Contact:
    return Contact(
        name="Dana Reyes",
        preferred_name="Dana",
        notes="{{ 7*7 }} stays text",
        preferences=[Preference(kind="topic_avoid", value="family", quote="I keep it offline")],
        interactions=[
            # A fixed date: the same prompt every day gives the same seeded reply.
            Interaction(direction="in", channel="public_reply", text="Love it!", at=SOME_DAY)
        ],
    )


def _offline() -> CheckResult:
    flag = Flag(
        rule="personal-question", severity="stop", start=10, end=35, evidence="asked not to"
    )
    return CheckResult(verdict="hold", flags=[flag], advice="Leave family out.")


async def _coach(coach: LLMCoach, **kw: Any) -> Any:
    try:
        return await asyncio.wait_for(
            coach.coach(DRAFT, _contact(), "dm", _offline(), **kw), HANG_GUARD
        )
    finally:
        await coach.aclose()


async def test_lists_models(llama: LlamaServer) -> None:
    async with ChatClient(_endpoint(llama)) as client:
        assert await client.list_models() == [MODEL_NAME]


async def test_check_end_to_end_not_streamed(llama: LlamaServer) -> None:
    outcome = await _coach(LLMCoach(_endpoint(llama)))
    result = outcome.result
    assert result.engine == f"llm:{MODEL_NAME}"
    assert result.flags[0] == _offline().flags[0]  # evidence-backed offline flag kept
    assert result.verdict == "hold"  # never softer than offline
    assert all(DRAFT[f.start : f.end] for f in result.flags)  # every span is in the draft
    assert outcome.tokens["prompt"] > 100 and outcome.tokens["completion"] > 0
    assert outcome.template == "check.j2@check-v1+system.j2@system-v1"
    assert "{{ 7*7 }} stays text" in outcome.prompt
    assert outcome.timings["llm_ms"] > 0


async def test_check_end_to_end_streamed(llama: LlamaServer) -> None:
    deltas: list[str] = []
    outcome = await _coach(LLMCoach(_endpoint(llama)), on_delta=deltas.append)
    assert outcome.result.engine == f"llm:{MODEL_NAME}"
    # What streamed to the screen is exactly the coaching text that was parsed at the end.
    assert "".join(deltas) == outcome.coaching
    assert outcome.tokens["completion"] > 0  # the usage chunk arrived


@pytest.mark.parametrize("seed", [1, 2, 3])
async def test_json_schema_output_conforms(llama: LlamaServer, seed: int) -> None:
    ep = _endpoint(llama)
    ep.extra = {"seed": seed}
    async with ChatClient(ep) as client:
        reply = await asyncio.wait_for(
            client.chat(
                [{"role": "user", "content": "Check: thanks a lot!"}],
                response_format=response_format("json_schema", 20),
            ),
            HANG_GUARD,
        )
    assert reply.finish_reason == "stop"  # the grammar closed the object before max_tokens
    parsed = LLMReply.model_validate_json(reply.content)
    assert parsed.rewrite is None or len(parsed.rewrite) <= 20 * 1.3 + 40


async def test_cancel_mid_stream_frees_the_server(llama: LlamaServer) -> None:
    ep = _endpoint(llama)
    ep.max_tokens = 4000  # a random model never stops: this would stream for seconds
    client = ChatClient(ep)
    got_text = asyncio.Event()
    task = asyncio.create_task(
        client.chat(
            [{"role": "user", "content": "go"}], stream=True, on_delta=lambda _: got_text.set()
        )
    )
    await asyncio.wait_for(got_text.wait(), HANG_GUARD)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await asyncio.wait_for(task, HANG_GUARD)
    await client.aclose()
    # The server dropped the cancelled request: a new one is served at once.
    async with ChatClient(_endpoint(llama)) as fresh:
        reply = await asyncio.wait_for(
            fresh.chat([{"role": "user", "content": "hi"}], max_tokens=5), HANG_GUARD
        )
    assert reply.finish_reason == "length"


async def test_unknown_model_name(llama: LlamaServer) -> None:
    ep = _endpoint(llama)
    ep.model = "llama-3-70b"
    with pytest.raises(LLMModelNotFound) as err:
        await _coach(LLMCoach(ep))
    assert MODEL_NAME in err.value.message and "--model" in err.value.hint


async def test_wrong_api_key(keyed_llama: LlamaServer) -> None:
    with pytest.raises(LLMAuthError) as err:
        await _coach(LLMCoach(_endpoint(keyed_llama, api_key="wrong")))
    assert "COACH_API_KEY" in err.value.hint
    async with ChatClient(_endpoint(keyed_llama, api_key=API_KEY)) as client:
        assert await client.list_models() == [MODEL_NAME]


async def test_prompt_larger_than_the_context(llama: LlamaServer) -> None:
    coach = LLMCoach(_endpoint(llama))
    huge = "Thanks for everything you do for the community. " * 1000
    with pytest.raises(LLMContextExceeded) as err:
        await asyncio.wait_for(coach.coach(huge, None, "dm", CheckResult()), HANG_GUARD)
    await coach.aclose()
    assert "Shorten" in err.value.hint


async def test_batch_runs_concurrently_in_input_order(llama: LlamaServer) -> None:
    ep = _endpoint(llama)
    items = [BatchItem(draft=f"Thanks {n}, great talk!", offline=CheckResult()) for n in range(2)]
    items.insert(1, BatchItem(draft="x" * 60000, offline=CheckResult()))  # too long: fails alone
    seen: list[int] = []
    outcomes = await asyncio.wait_for(
        run_batch(items, LLMCoach(ep), concurrency=2, progress=lambda d, t: seen.append(d)),
        HANG_GUARD,
    )
    assert [o.ok for o in outcomes] == [True, False, True]
    assert isinstance(outcomes[1].error, LLMContextExceeded)
    assert all(o.value.result.engine == f"llm:{MODEL_NAME}" for o in outcomes if o.value)
    assert seen == [1, 2, 3]


def test_probe_finds_a_local_server(llama: LlamaServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(endpoints, "LOCAL_SERVERS", (("llama.cpp", llama.port),))
    monkeypatch.setattr("coach.llm.engine.LOCAL_SERVERS", endpoints.LOCAL_SERVERS)
    endpoints.clear_probe_cache()
    choice = resolve_engine()
    assert choice.coach is not None and choice.coach.model == MODEL_NAME
    assert choice.reason == f"found llama.cpp at {llama.base_url} serving {MODEL_NAME}"
    endpoints.clear_probe_cache()


def _cli(
    home: Path, *argv: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "coach", "--home", str(home), *argv],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
    )


def _main(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """The CLI in this process (a subprocess costs seconds of imports on a busy CI machine)."""
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_models_and_doctor(
    llama: LlamaServer, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _main(capsys, "models", "--endpoint", llama.base_url, "--json")
    assert code == 0, err
    assert json.loads(out) == {"endpoint": llama.base_url, "models": [MODEL_NAME]}
    monkeypatch.setenv("COACH_ENDPOINT", llama.base_url)
    code, out, err = _main(capsys, "doctor", "--json")
    engine = json.loads(out)["engine"]
    assert engine["endpoint"] == llama.base_url and engine["source"] == "COACH_ENDPOINT"
    assert engine["engine"] == f"llm:{MODEL_NAME}"
    assert engine["status"] == f"ok, serves: {MODEL_NAME}"


def test_cli_models_unreachable_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _main(capsys, "models", "--endpoint", f"http://127.0.0.1:{free_port()}/v1")
    assert code == 4 and err.startswith("coach: Could not reach") and len(err.splitlines()) == 1


def _config(home: Path, server: LlamaServer) -> None:
    """An endpoint entry for the server: a fixed seed and room for the random model's reply."""
    save_settings(
        Settings(
            endpoints={
                "test": EndpointConfig(
                    base_url=server.base_url, max_tokens=3000, seed=42, read_timeout=30.0
                )
            }
        )
    )


def test_cli_check_uses_the_llm(llama: LlamaServer, coach_home: Path) -> None:
    _config(coach_home, llama)
    done = _cli(
        coach_home, "check", DRAFT, "--endpoint", llama.base_url, "--json", "--channel", "dm"
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["engine"] == f"llm:{MODEL_NAME}" and "llm_error" not in result
    with open_store() as store:
        (record,) = store.list_checks()
    assert record.engine == f"llm:{MODEL_NAME}" and record.model == MODEL_NAME
    assert record.prompt_template == "check.j2@check-v1+system.j2@system-v1"
    assert record.tokens["completion"] > 0 and record.timings["llm_ms"] > 0


def test_cli_check_keeps_the_offline_result_when_the_llm_fails(
    llama: LlamaServer, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["check", DRAFT, "--endpoint", llama.base_url, "--model", "nope", "--json"]
    code, out, err = _main(capsys, *argv)
    assert code == 0, err
    result = json.loads(out)
    assert result["engine"] == "offline"
    assert "does not serve the model 'nope'" in result["llm_error"]


def test_cli_batch_is_concurrent_ordered_and_survives_failures(
    llama: LlamaServer, coach_home: Path
) -> None:
    _config(coach_home, llama)
    lines = [
        {"id": "a", "draft": "Thanks for the talk!"},
        {"id": "b", "draft": "x" * 60000},  # longer than the context: fails alone
        {"id": "c"},  # no draft: a bad line
        {"id": "d", "draft": "Loved your post, thank you."},
    ]
    batch = coach_home / "in.jsonl"
    batch.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    done = _cli(
        coach_home, "check", "--batch", str(batch), "--endpoint", "test", "--concurrency", "3"
    )
    assert done.returncode == 4, done.stderr
    out = [json.loads(line) for line in done.stdout.splitlines()]
    assert [o["id"] for o in out] == ["a", "b", "c", "d"]
    assert out[0]["engine"] == out[3]["engine"] == f"llm:{MODEL_NAME}"
    assert out[1]["engine"] == "offline" and "context" in out[1]["llm_error"]
    assert "error" in out[2]


def test_coach_serve_runs_an_openai_compatible_server(tiny_model: Path, coach_home: Path) -> None:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "coach", "serve", "--model", str(tiny_model), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "COACH_HOME": str(coach_home)},
    )
    try:
        first = proc.stdout.readline() if proc.stdout else ""
        assert f"http://127.0.0.1:{port}/v1" in first
        models = httpx.get(f"http://127.0.0.1:{port}/v1/models", timeout=HANG_GUARD).json()
        assert [m["id"] for m in models["data"]] == ["tiny"]
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=HANG_GUARD)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    assert proc.returncode in (0, 130)
