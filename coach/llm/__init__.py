"""LLM coaching through any OpenAI-compatible endpoint (Ollama, llama.cpp, LM Studio, vLLM)."""

from coach.llm.engine import EngineChoice, LLMCoach, LLMOutcome, resolve_engine

__all__ = ["EngineChoice", "LLMCoach", "LLMOutcome", "resolve_engine"]
