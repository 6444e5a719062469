"""Endpoint resolution: URL normalisation, `${ENV}` keys, loopback-only by default, the precedence
of flags, environment, config and probing, and the concurrent probe of local ports."""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from coach.config import EndpointConfig, Settings, save_settings
from coach.errors import ConfigError
from coach.llm import endpoints
from coach.llm.endpoints import expand_env, from_config, is_loopback, normalize_base_url
from coach.llm.engine import resolve_engine
from tests.llm_server import free_port


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("localhost:11434", "http://localhost:11434/v1"),
        ("http://localhost:11434/", "http://localhost:11434/v1"),
        ("http://127.0.0.1:8080/v1/", "http://127.0.0.1:8080/v1"),
        ("http://127.0.0.1:8080/v1/chat/completions", "http://127.0.0.1:8080/v1"),
        ("https://api.example.com/openai/v1/models", "https://api.example.com/openai/v1"),
        ("http://host:1234/api", "http://host:1234/api/v1"),
        ("  http://[::1]:8000  ", "http://[::1]:8000/v1"),
    ],
)
def test_normalize_base_url(given: str, expected: str) -> None:
    assert normalize_base_url(given) == expected


@pytest.mark.parametrize("bad", ["", "ftp://x/v1", "http://"])
def test_bad_urls_are_config_errors(bad: str) -> None:
    with pytest.raises(ConfigError):
        normalize_base_url(bad)


def test_loopback() -> None:
    assert is_loopback("http://localhost:11434/v1")
    assert is_loopback("http://127.0.0.5:1/v1")
    assert is_loopback("http://[::1]:8000/v1")
    assert not is_loopback("http://192.168.1.20:11434/v1")
    assert not is_loopback("https://api.openai.com/v1")
    assert not is_loopback("http://localhost.evil.com/v1")


def test_expand_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MY_KEY", "s3cret")
    assert expand_env("Bearer ${MY_KEY}") == "Bearer s3cret"
    assert expand_env("literal") == "literal"
    monkeypatch.delenv("MY_KEY")
    with pytest.raises(ConfigError, match="MY_KEY is not set"):
        expand_env("${MY_KEY}")


def test_from_config_expands_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEAM_KEY", "k")
    ep = from_config(
        "team", EndpointConfig(base_url="localhost:8000", model="m", api_key="${TEAM_KEY}")
    )
    assert (ep.base_url, ep.model, ep.api_key, ep.source) == (
        "http://localhost:8000/v1",
        "m",
        "k",
        "config [endpoints.team]",
    )


@pytest.fixture
def no_probe(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Probe only a port nothing listens on, so the machine's own servers never leak in."""
    monkeypatch.setattr("coach.llm.engine.LOCAL_SERVERS", (("nothing", free_port()),))
    monkeypatch.setattr(endpoints, "LOCAL_SERVERS", (("nothing", free_port()),))
    endpoints.clear_probe_cache()
    yield
    endpoints.clear_probe_cache()


def _settings(**endpoints_: EndpointConfig) -> Settings:
    return Settings(endpoint=next(iter(endpoints_), ""), endpoints=endpoints_)


def test_offline_wins(no_probe: None) -> None:
    choice = resolve_engine(Settings(), endpoint="http://localhost:1/v1", offline=True)
    assert choice.coach is None and "--offline" in choice.reason
    choice = resolve_engine(Settings(offline=True), endpoint="http://localhost:1/v1")
    assert choice.coach is None and "offline = true" in choice.reason


def test_precedence_flag_env_config(no_probe: None, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = _settings(home=EndpointConfig(base_url="http://127.0.0.1:3000", model="cfg"))
    choice = resolve_engine(settings)
    assert choice.coach is not None and choice.coach.endpoint is not None
    assert choice.coach.endpoint.base_url == "http://127.0.0.1:3000/v1"
    assert choice.coach.model == "cfg"

    monkeypatch.setenv("COACH_ENDPOINT", "http://127.0.0.1:4000")
    monkeypatch.setenv("COACH_MODEL", "envmodel")
    monkeypatch.setenv("COACH_API_KEY", "envkey")
    choice = resolve_engine(settings)
    assert choice.coach is not None and choice.coach.endpoint is not None
    assert choice.coach.endpoint.base_url == "http://127.0.0.1:4000/v1"
    assert (choice.coach.model, choice.coach.endpoint.api_key) == ("envmodel", "envkey")
    assert "COACH_ENDPOINT" in choice.reason

    choice = resolve_engine(settings, endpoint="localhost:5000", model="flag", api_key="k2")
    assert choice.coach is not None and choice.coach.endpoint is not None
    assert choice.coach.endpoint.base_url == "http://localhost:5000/v1"
    assert (choice.coach.model, choice.coach.endpoint.api_key) == ("flag", "k2")
    assert choice.reason.startswith("http://localhost:5000/v1 from --endpoint")


def test_endpoint_flag_may_name_a_config_entry(no_probe: None) -> None:
    settings = Settings(endpoints={"lab": EndpointConfig(base_url="127.0.0.1:7000", model="x")})
    choice = resolve_engine(settings, endpoint="lab")
    assert choice.coach is not None and choice.coach.model == "x"


def test_remote_endpoints_need_an_opt_in(no_probe: None, monkeypatch: pytest.MonkeyPatch) -> None:
    choice = resolve_engine(Settings(), endpoint="https://llm.example.com/v1", model="m")
    assert choice.coach is None
    assert "not on this machine" in choice.reason and "allow_remote" in choice.reason

    remote = EndpointConfig(base_url="https://llm.example.com", model="m")
    assert resolve_engine(_settings(team=remote)).coach is None
    opted = remote.model_copy(update={"allow_remote": True})
    assert resolve_engine(_settings(team=opted)).coach is not None

    monkeypatch.setenv("COACH_ALLOW_REMOTE", "1")
    assert resolve_engine(Settings(), endpoint="https://llm.example.com/v1").coach is not None


def test_config_naming_a_missing_endpoint(no_probe: None) -> None:
    choice = resolve_engine(Settings(endpoint="gone"))
    assert choice.coach is None and "'gone'" in choice.reason


def test_config_file_is_read(no_probe: None) -> None:
    save_settings(_settings(lab=EndpointConfig(base_url="127.0.0.1:7001", model="filemodel")))
    choice = resolve_engine()
    assert choice.coach is not None and choice.coach.model == "filemodel"


def test_missing_env_key_is_reported_not_raised(no_probe: None) -> None:
    bad = EndpointConfig(base_url="127.0.0.1:7002", api_key="${NOT_SET_ANYWHERE}")
    choice = resolve_engine(_settings(lab=bad))
    assert choice.coach is None and "NOT_SET_ANYWHERE" in choice.reason


def test_nothing_found(no_probe: None) -> None:
    choice = resolve_engine(Settings())
    assert choice.coach is None and "nothing answered" in choice.reason


class _FakeModels(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = b'{"object": "list", "data": [{"id": "qwen-small"}, {"id": "other"}]}'
        self.send_response(200 if self.path == "/v1/models" else 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def fake_server() -> Iterator[int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _FakeModels)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield int(server.server_address[1])
    server.shutdown()
    server.server_close()


def test_probe_prefers_the_order_and_respects_model(
    fake_server: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    servers = (("Ollama", free_port()), ("llama.cpp", fake_server))
    monkeypatch.setattr("coach.llm.engine.LOCAL_SERVERS", servers)
    monkeypatch.setattr(endpoints, "LOCAL_SERVERS", servers)
    endpoints.clear_probe_cache()
    hits = endpoints.probe_local()
    assert [(h.name, h.models) for h in hits] == [("llama.cpp", ["qwen-small", "other"])]

    choice = resolve_engine(Settings())
    assert choice.coach is not None and choice.coach.model == "qwen-small"
    assert "found llama.cpp" in choice.reason
    choice = resolve_engine(Settings(), model="other")
    assert choice.coach is not None and choice.coach.model == "other"
    choice = resolve_engine(Settings(), model="absent")
    assert choice.coach is None and "no local server serves 'absent'" in choice.reason
    endpoints.clear_probe_cache()


def test_probe_result_is_cached(fake_server: int) -> None:
    servers = (("llama.cpp", fake_server),)
    endpoints.clear_probe_cache()
    assert len(endpoints.probe_local(servers)) == 1
    # A different port set is probed afresh; the same set comes from the cache.
    assert endpoints.probe_local((("x", free_port()),)) == []
    assert len(endpoints.probe_local(servers)) == 1
    endpoints.clear_probe_cache()


def test_probe_works_inside_a_running_event_loop(no_probe: None) -> None:
    async def inside() -> str:
        return resolve_engine(Settings()).reason

    assert "nothing answered" in asyncio.run(inside())


def test_probe_ignores_silent_and_non_openai_listeners() -> None:
    silent = socket.create_server(("127.0.0.1", 0))  # accepts (backlog), never answers
    other = ThreadingHTTPServer(("127.0.0.1", 0), _NotOpenAI)
    thread = threading.Thread(target=other.serve_forever, daemon=True)
    thread.start()
    try:
        servers = (
            ("silent", silent.getsockname()[1]),
            ("web app", int(other.server_address[1])),
        )
        endpoints.clear_probe_cache()
        assert endpoints.probe_local(servers, timeout=0.2) == []
    finally:
        silent.close()
        other.shutdown()
        other.server_close()
        endpoints.clear_probe_cache()


class _NotOpenAI(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = b"<html>login</html>"
        self.send_response(302)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass
