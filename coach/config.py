"""Settings: one model, a docstring per field, read from TOML in the config dir, env overrides.

`coach doctor` and the settings screen show where the file is. Unknown keys are kept out of the
model but reported, so a typo does not silently do nothing.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

import tomli_w
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from coach.errors import ConfigError
from coach.paths import config_file, ensure_private_dir


class EndpointConfig(BaseModel):
    """A named OpenAI-compatible endpoint."""

    model_config = ConfigDict(extra="forbid")

    base_url: str
    """Base URL, e.g. http://localhost:11434/v1 (Ollama). `/v1` is added when missing."""
    model: str = ""
    """Model name; empty means the first model the server lists."""
    api_key: str = ""
    """API key, literally or as ${ENV_VAR}."""
    connect_timeout: float = 2.0
    """Seconds to wait for a connection."""
    read_timeout: float = 120.0
    """Seconds to wait between bytes of a reply."""
    temperature: float = 0.2
    """Sampling temperature; low keeps the coaching steady."""
    max_tokens: int = 1024
    """Longest reply in tokens; always sent, so a model that never stops still does."""
    allow_remote: bool = False
    """Relationship notes are private: a non-loopback endpoint is refused unless this is true."""
    response_format: str = "auto"
    """Structured output: auto (json_schema, then json_object, then plain text), or one of those."""
    max_retries: int = 3
    """Retries on HTTP 429/503 (honouring Retry-After) before giving up."""
    seed: int | None = None
    """Sampling seed sent with every request, for repeatable coaching (servers may ignore it)."""


class Settings(BaseModel):
    """Everything a user can set. The TOML file mirrors these fields."""

    model_config = ConfigDict(extra="forbid")

    endpoint: str = ""
    """Name of the endpoint in [endpoints] to use; empty means probe the usual local ports."""
    endpoints: dict[str, EndpointConfig] = Field(default_factory=dict)
    """Named endpoints: [endpoints.NAME] base_url = ..., model = ..."""
    offline: bool = False
    """Never call an LLM; use the offline coach only."""
    theme: str = "textual-dark"
    """Textual theme name."""
    keymap: dict[str, str] = Field(default_factory=dict)
    """Binding id -> keys, e.g. quick_check = "ctrl+k"."""
    history: bool = True
    """Record every check in the coaching history."""
    demo_offered: bool = False
    """Set once the first-run offer of the demo data was shown."""


def load_settings(path: Path | None = None) -> Settings:
    """Read the config file; a missing file gives the defaults, a broken one a ConfigError."""
    path = path or config_file()
    if not path.exists():
        return Settings()
    try:
        data: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(
            f"The config file {path} is not valid TOML: {exc}.",
            "Fix the line it names, or move the file away to start from the defaults.",
        ) from exc
    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ConfigError(
            f"The config file {path} has a bad value at '{where}': {first['msg']}.",
            "Fix or remove that key; `coach doctor` shows the file in use.",
        ) from exc


def save_settings(settings: Settings, path: Path | None = None) -> Path:
    """Write the config atomically (temp file, fsync, rename), readable by the owner only."""
    path = path or config_file()
    ensure_private_dir(path.parent)
    data = settings.model_dump(mode="json", exclude_defaults=True)
    tmp = path.with_suffix(".toml.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(tomli_w.dumps(data).encode("utf-8"))
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    return path
