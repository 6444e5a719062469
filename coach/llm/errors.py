"""The LLM's typed failures, and how HTTP faults map to them: each says what happened, that the
draft and the offline result were kept, and what to do."""

from __future__ import annotations

from typing import TYPE_CHECKING

import orjson

from coach.errors import LLMError

if TYPE_CHECKING:
    from coach.llm.endpoints import Endpoint

KEPT = "Your draft and the offline result are kept."


class LLMUnreachable(LLMError):
    title = "LLM endpoint unreachable"


class LLMTimeout(LLMError):
    title = "LLM endpoint timed out"


class LLMAuthError(LLMError):
    title = "LLM endpoint refused the API key"


class LLMRateLimited(LLMError):
    title = "LLM endpoint is busy"


class LLMServerError(LLMError):
    title = "LLM endpoint failed"


class LLMBadReply(LLMError):
    title = "LLM reply unusable"


class LLMModelNotFound(LLMError):
    title = "Model not served"


class LLMContextExceeded(LLMError):
    title = "Prompt too long for the model"


class LLMReplyTooLarge(LLMBadReply):
    title = "LLM reply too large"


class LLMPromptError(LLMError):
    title = "Prompt template error"


class UnsupportedFormat(LLMBadReply):
    """The server rejected `response_format`; the caller falls back to a simpler one."""


def error_message(body: bytes) -> str:
    """The server's own words, from `{"error": {"message": ...}}` or the raw text."""
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError:
        return body[:300].decode("utf-8", "replace").strip()
    if isinstance(data, dict):
        err = data.get("error", data)
        if isinstance(err, dict):
            return str(err.get("message") or err.get("type") or err)[:300]
        return str(err)[:300]
    return str(data)[:300]


def transport_error(endpoint: Endpoint, exc: Exception) -> Exception:
    """The typed error for a failure below HTTP (connect, timeouts, a broken connection)."""
    import httpx  # only ever called with an httpx error in hand: already imported

    url = endpoint.base_url
    if isinstance(exc, httpx.ConnectTimeout):
        return LLMTimeout(
            f"Connecting to {url} took longer than {endpoint.connect_timeout:g} s. {KEPT}",
            "Check that the server is running, or raise connect_timeout in the config.",
        )
    if isinstance(exc, httpx.ReadTimeout | httpx.WriteTimeout | httpx.PoolTimeout):
        return LLMTimeout(
            f"{url} stopped answering for {endpoint.read_timeout:g} s. {KEPT}",
            "The model may be loading or too slow; try again, or raise read_timeout.",
        )
    if isinstance(exc, httpx.RemoteProtocolError | httpx.ReadError):
        return LLMBadReply(
            f"The connection to {url} broke off before the reply was complete. {KEPT}",
            "Try again; if it keeps happening, check the server's log.",
        )
    return LLMUnreachable(
        f"Could not reach the LLM endpoint {url} ({type(exc).__name__}). {KEPT}",
        "Start the server (e.g. `ollama serve`), check --endpoint, or use --offline.",
    )


def status_error(endpoint: Endpoint, status: int, body: bytes, *, model: str = "") -> Exception:
    """The typed error for an HTTP error status, from the status and the server's own words."""
    url = endpoint.base_url
    msg = error_message(body)
    low = msg.lower()
    if status in (401, 403):
        return LLMAuthError(
            f"{url} refused the request (HTTP {status}: {msg or 'unauthorized'}). {KEPT}",
            "Set the right key: COACH_API_KEY, or api_key in the endpoint's config.",
        )
    if "context" in low and any(w in low for w in ("exceed", "too long", "maximum", "length")):
        return LLMContextExceeded(
            f"The prompt is longer than the model's context ({msg}). {KEPT}",
            "Shorten the draft or the contact's notes, or use a model with a longer context.",
        )
    if "model" in low and any(w in low for w in ("not found", "does not exist", "unknown")):
        return LLMModelNotFound(
            f"{url} does not serve the model '{model}' ({msg}). {KEPT}",
            "Run `coach models` to see what it serves, then pass --model NAME.",
        )
    if status == 400 and any(w in low for w in ("response_format", "json_schema", "grammar")):
        return UnsupportedFormat(f"{url} rejected the structured-output request: {msg}")
    if status == 404:
        return LLMServerError(
            f"{url} has no OpenAI-compatible chat API (HTTP 404). {KEPT}",
            "The endpoint should be the server's base URL ending in /v1.",
        )
    if status in (429, 503):
        return LLMRateLimited(
            f"{url} is busy (HTTP {status}) and still was after retrying. {KEPT}",
            "Try again in a moment, or lower --concurrency.",
        )
    return LLMServerError(
        f"{url} failed with HTTP {status}: {msg or 'no details'}. {KEPT}",
        "Check the server's log; `coach doctor` shows the endpoint in use.",
    )
