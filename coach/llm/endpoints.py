"""Which OpenAI-compatible endpoint to talk to: config, `${ENV}` keys, `/v1` normalisation, loopback
check, and a fast concurrent probe of the usual local ports (Ollama, llama.cpp, LM Studio, vLLM).
"""

from __future__ import annotations

import ipaddress
import json
import os
import re
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit, urlunsplit

from coach.config import EndpointConfig
from coach.errors import ConfigError

# The servers people run locally, in the order a tie is broken.
LOCAL_SERVERS: tuple[tuple[str, int], ...] = (
    ("Ollama", 11434),
    ("llama.cpp", 8080),
    ("LM Studio", 1234),
    ("vLLM", 8000),
)
PROBE_TIMEOUT = 0.25  # seconds per port; ports are probed at once, so this is the worst case
PROBE_CACHE_SECONDS = 30.0

_ENV_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
_VERSION_PATH = re.compile(r"/v\d+(beta\d*)?$")


@dataclass(slots=True)
class Endpoint:
    """A resolved endpoint: everything the client needs, nothing read from the config again."""

    base_url: str
    model: str = ""
    api_key: str = ""
    connect_timeout: float = 2.0
    read_timeout: float = 120.0
    temperature: float = 0.2
    max_tokens: int = 1024
    allow_remote: bool = False
    response_format: str = "auto"
    max_retries: int = 3
    name: str = ""  # config name, or the server found by probing
    source: str = ""  # where it came from, for `coach doctor`: "--endpoint", "COACH_ENDPOINT", ...
    extra: dict[str, object] = field(default_factory=dict)  # extra request fields (tests: seed)

    @property
    def is_loopback(self) -> bool:
        return is_loopback(self.base_url)

    def with_model(self, model: str) -> Endpoint:
        return replace(self, model=model)


def normalize_base_url(url: str) -> str:
    """`localhost:11434` -> `http://localhost:11434/v1`; a pasted `/chat/completions` is cut off."""
    text = url.strip()
    if not text:
        raise ConfigError(
            "The endpoint URL is empty.", "Give a URL like http://localhost:11434/v1."
        )
    if "://" not in text:
        text = "http://" + text
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(
            f"'{url}' is not an http(s) URL.", "Give a URL like http://localhost:11434/v1."
        )
    path = parts.path.rstrip("/")
    for tail in ("/chat/completions", "/completions", "/models"):
        if path.endswith(tail):
            path = path[: -len(tail)]
    if not _VERSION_PATH.search(path):
        path += "/v1"
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def is_loopback(url: str) -> bool:
    host = (urlsplit(url if "://" in url else "http://" + url).hostname or "").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def expand_env(value: str, *, what: str = "api_key") -> str:
    """Replace `${VAR}` with the environment's value; a missing variable is an error naming it."""

    def sub(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in os.environ:
            raise ConfigError(
                f"The {what} refers to ${{{name}}}, but {name} is not set in the environment.",
                f"Export {name}, or put the value in the config file.",
            )
        return os.environ[name]

    return _ENV_REF.sub(sub, value)


def from_config(name: str, config: EndpointConfig) -> Endpoint:
    return Endpoint(
        base_url=normalize_base_url(config.base_url),
        model=config.model,
        api_key=expand_env(config.api_key, what=f"api_key of [endpoints.{name}]"),
        connect_timeout=config.connect_timeout,
        read_timeout=config.read_timeout,
        temperature=config.temperature,
        max_tokens=config.max_tokens,
        allow_remote=config.allow_remote,
        response_format=config.response_format,
        max_retries=config.max_retries,
        name=name,
        source=f"config [endpoints.{name}]",
        extra={} if config.seed is None else {"seed": config.seed},
    )


@dataclass(slots=True)
class ProbeHit:
    name: str  # "Ollama", ...
    base_url: str
    models: list[str]


_PROBE_REQUEST = b"GET /v1/models HTTP/1.0\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n\r\n"


def _probe_one(name: str, port: int, timeout: float) -> ProbeHit | None:
    """`GET /v1/models` over a plain socket: an httpx client costs ~200 ms to build on first use,
    most of the probe's budget, and a loopback HTTP/1.0 request needs none of it."""
    deadline = time.monotonic() + timeout
    chunks: list[bytes] = []
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
            sock.sendall(_PROBE_REQUEST)
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                sock.settimeout(left)
                data = sock.recv(65536)
                if not data:
                    break  # HTTP/1.0: the server closes after the reply
                chunks.append(data)
                if sum(map(len, chunks)) > 1 << 20:
                    return None  # no model list is this big
    except OSError:
        return None
    head, _, body = b"".join(chunks).partition(b"\r\n\r\n")
    status = head.split(b"\r\n", 1)[0].split()
    if len(status) < 2 or status[1] != b"200":
        # Something listens, but it is not an OpenAI-compatible server (or wants a key).
        return None
    try:
        data = json.loads(body)["data"]
        models = [str(m["id"]) for m in data if isinstance(m, dict) and "id" in m]
    except (ValueError, KeyError, TypeError):
        return None
    return ProbeHit(name, f"http://127.0.0.1:{port}/v1", models)


_probe_lock = threading.Lock()
_probe_cache: dict[tuple[tuple[str, int], ...], tuple[float, list[ProbeHit]]] = {}


def probe_local(
    servers: tuple[tuple[str, int], ...] | None = None, *, timeout: float = PROBE_TIMEOUT
) -> list[ProbeHit]:
    """The local servers that answer `GET /v1/models`, probed at once; cached for a few seconds.

    Threads rather than asyncio so that callers inside a running event loop (the app) can use it.
    """
    servers = servers if servers is not None else LOCAL_SERVERS
    now = time.monotonic()
    with _probe_lock:
        cached = _probe_cache.get(servers)
        if cached and now - cached[0] < PROBE_CACHE_SECONDS:
            return list(cached[1])
    with ThreadPoolExecutor(max_workers=max(1, len(servers))) as pool:
        results = list(pool.map(lambda s: _probe_one(s[0], s[1], timeout), servers))
    hits = [hit for hit in results if hit is not None]
    with _probe_lock:
        _probe_cache[servers] = (time.monotonic(), hits)
    return hits


def clear_probe_cache() -> None:
    with _probe_lock:
        _probe_cache.clear()
