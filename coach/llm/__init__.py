"""LLM coaching through any OpenAI-compatible endpoint (Ollama, llama.cpp, LM Studio, vLLM)."""

from coach.llm.client import ChatClient
from coach.llm.endpoints import Endpoint, normalize_base_url, probe_local
from coach.llm.engine import EngineChoice, LLMCoach, LLMOutcome, resolve_engine

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
