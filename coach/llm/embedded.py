"""The optional embedded engine: llama.cpp's own OpenAI-compatible server from the `xllamacpp`
wheel (`pip install 'coach[embedded]'`), for people with a GGUF file and no server.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from coach.errors import CoachError, UsageError


def _import_xllamacpp() -> Any:
    try:
        import xllamacpp
    except ImportError as exc:
        raise CoachError(
            "The embedded engine needs the xllamacpp package, which is not installed.",
            "Install it with `pip install 'coach[embedded]'` (or `uv sync --extra embedded`), "
            "or run any OpenAI-compatible server (Ollama, llama.cpp, LM Studio).",
        ) from exc
    return xllamacpp


def start_server(
    model: Path,
    *,
    host: str = "127.0.0.1",
    port: int = 8080,
    ctx: int = 4096,
    threads: int | None = None,
    parallel: int = 2,
    alias: str = "",
) -> Any:
    """Start serving `model`; returns the server object (it serves until dropped or the process ends)."""
    if not model.is_file():
        raise UsageError(f"No model file at {model}.", "Give the path of a .gguf file.")
    if model.suffix.lower() != ".gguf":
        raise UsageError(f"{model} is not a .gguf file.", "llama.cpp serves GGUF models only.")
    xllamacpp = _import_xllamacpp()
    params = xllamacpp.CommonParams()
    params.model.path = str(model)
    params.model_alias = {alias or model.stem}
    params.hostnames = [host]
    params.port = port
    params.n_ctx = ctx
    params.n_parallel = parallel
    # Leave a core for the terminal; more threads than cores makes timings jump.
    params.cpuparams.n_threads = threads or max(1, (os.cpu_count() or 2) - 1)
    params.cpuparams_batch.n_threads = params.cpuparams.n_threads
    params.verbosity = 1
    try:
        return xllamacpp.Server(params)
    except Exception as exc:  # the extension raises plain exceptions with llama.cpp's reason
        raise CoachError(
            f"llama.cpp could not serve {model}: {exc}.",
            "Check that the file is a complete GGUF model and the port is free.",
        ) from exc
