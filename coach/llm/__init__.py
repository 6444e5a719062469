"""LLM coaching through any OpenAI-compatible endpoint (Ollama, llama.cpp, LM Studio, vLLM).

Names load on first use (PEP 562): the offline path imports this package without paying for httpx.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from coach.llm.client import ChatClient
    from coach.llm.endpoints import Endpoint, normalize_base_url, probe_local
    from coach.llm.engine import EngineChoice, LLMCoach, LLMOutcome, resolve_engine

_WHERE = {
    "ChatClient": "coach.llm.client",
    "Endpoint": "coach.llm.endpoints",
    "normalize_base_url": "coach.llm.endpoints",
    "probe_local": "coach.llm.endpoints",
    "EngineChoice": "coach.llm.engine",
    "LLMCoach": "coach.llm.engine",
    "LLMOutcome": "coach.llm.engine",
    "resolve_engine": "coach.llm.engine",
}
__all__ = [
    "ChatClient",
    "Endpoint",
    "EngineChoice",
    "LLMCoach",
    "LLMOutcome",
    "normalize_base_url",
    "probe_local",
    "resolve_engine",
]


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'coach.llm' has no attribute {name!r}")
