"""A real llama.cpp server for the LLM tests: a tiny random GGUF model served by xllamacpp.

`make_tiny_model(path)` writes a ~0.5 MB llama-architecture model with random weights (it talks
nonsense, fast). `python -m tests.llm_server MODEL PORT [API_KEY]` serves it; `LlamaServer` starts
that entry in a subprocess (so a crash cannot take pytest down) and stops it by its process.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

MODEL_NAME = "tiny-test"
N_CTX = 16384  # two slots of 8192: a check prompt tokenised mostly byte by byte, and the reply

# ChatML, the template most local models use; the server renders it with its own Jinja.
CHATML = (
    "{% for message in messages %}"
    "{{ '<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"
)


def _vocab() -> tuple[list[str], list[float], list[int]]:
    """SentencePiece-style vocabulary: specials, 256 byte-fallback tokens, some printable pieces."""
    from gguf import TokenType

    tokens: list[str] = ["<unk>", "<s>", "</s>", "<|im_start|>", "<|im_end|>"]
    types: list[int] = [
        TokenType.UNKNOWN,
        TokenType.CONTROL,
        TokenType.CONTROL,
        TokenType.CONTROL,
        TokenType.CONTROL,
    ]
    for b in range(256):
        tokens.append(f"<0x{b:02X}>")
        types.append(TokenType.BYTE)
    # Printable single characters and a few common pieces, so text and JSON tokenise compactly.
    pieces = [chr(c) for c in range(33, 127)] + ["▁"]
    pieces += ["▁" + w for w in ("the", "you", "to", "and", "a", "hi", "thanks", "for", "your")]
    pieces += ['":', '",', '{"', '"}', "true", "false", "null", "ok", "revise", "hold"]
    for piece in pieces:
        if piece not in tokens:
            tokens.append(piece)
            types.append(TokenType.NORMAL)
    scores = [0.0] * len(tokens)
    # Longer pieces score higher so the SPM merge prefers them.
    for i, (tok, typ) in enumerate(zip(tokens, types, strict=True)):
        if typ == TokenType.NORMAL:
            scores[i] = -1000.0 + len(tok)
    return tokens, scores, types


def make_tiny_model(path: Path, *, seed: int = 7) -> Path:
    """Write a random 2-layer llama model with a ChatML template to `path` (well under a second)."""
    import numpy as np
    from gguf import GGUFWriter

    rng = np.random.default_rng(seed)
    n_embd, n_ff, n_layer, n_head = 64, 128, 2, 4
    tokens, scores, types = _vocab()
    n_vocab = len(tokens)

    writer = GGUFWriter(str(path), "llama")
    writer.add_name(MODEL_NAME)
    writer.add_context_length(N_CTX)
    writer.add_embedding_length(n_embd)
    writer.add_block_count(n_layer)
    writer.add_feed_forward_length(n_ff)
    writer.add_head_count(n_head)
    writer.add_head_count_kv(n_head)
    writer.add_layer_norm_rms_eps(1e-5)
    writer.add_rope_dimension_count(n_embd // n_head)
    writer.add_vocab_size(n_vocab)
    writer.add_file_type(0)  # all F32
    writer.add_tokenizer_model("llama")
    writer.add_token_list(tokens)
    writer.add_token_scores(scores)
    writer.add_token_types(types)
    writer.add_bos_token_id(1)
    writer.add_eos_token_id(4)  # <|im_end|> ends a ChatML turn
    writer.add_unk_token_id(0)
    writer.add_add_bos_token(False)
    # Without this every grammar-constrained request fails with HTTP 400 (measured).
    writer.add_add_space_prefix(False)
    writer.add_chat_template(CHATML)

    def weight(*shape: int) -> np.ndarray:
        return (rng.standard_normal(shape) * 0.02).astype(np.float32)

    writer.add_tensor("token_embd.weight", weight(n_vocab, n_embd))
    writer.add_tensor("output_norm.weight", np.ones(n_embd, dtype=np.float32))
    writer.add_tensor("output.weight", weight(n_vocab, n_embd))
    for i in range(n_layer):
        writer.add_tensor(f"blk.{i}.attn_norm.weight", np.ones(n_embd, dtype=np.float32))
        for name in ("attn_q", "attn_k", "attn_v", "attn_output"):
            writer.add_tensor(f"blk.{i}.{name}.weight", weight(n_embd, n_embd))
        writer.add_tensor(f"blk.{i}.ffn_norm.weight", np.ones(n_embd, dtype=np.float32))
        writer.add_tensor(f"blk.{i}.ffn_gate.weight", weight(n_ff, n_embd))
        writer.add_tensor(f"blk.{i}.ffn_up.weight", weight(n_ff, n_embd))
        writer.add_tensor(f"blk.{i}.ffn_down.weight", weight(n_embd, n_ff))

    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(model: str, port: int, api_key: str = "", *, alias: str = MODEL_NAME) -> None:
    """Run llama.cpp's server in this process until it is killed (the subprocess entry)."""
    import xllamacpp

    params = xllamacpp.CommonParams()
    params.model.path = model
    params.model_alias = {alias}
    params.hostnames = ["127.0.0.1"]
    params.port = port
    params.n_ctx = N_CTX
    params.n_parallel = 2
    # The built-in ChatML formatter, not the Jinja one: with Jinja, the output parser rejected
    # some random replies with HTTP 500 ("does not match the expected peg-native format").
    params.use_jinja = False
    params.warmup = False
    # One thread: with two on two cores, request times jumped from 0.1 s to 6 s (measured).
    params.cpuparams.n_threads = 1
    params.cpuparams_batch.n_threads = 1
    params.verbosity = 1
    if api_key:
        params.api_keys = [api_key]
    parent = os.getppid()
    server = xllamacpp.Server(params)
    print(f"serving {MODEL_NAME} on {port}", flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        # Exit when the test run that started us is gone, so a killed pytest leaves no server.
        while os.getppid() == parent:
            time.sleep(1.0)
    del server


@dataclass
class LlamaServer:
    """One llama.cpp server subprocess on a free loopback port."""

    model: Path
    api_key: str = ""
    port: int = field(default_factory=free_port)
    proc: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self, timeout: float = 90.0) -> LlamaServer:
        root = Path(__file__).resolve().parent.parent
        args = [sys.executable, "-m", "tests.llm_server", str(self.model), str(self.port)]
        if self.api_key:
            args.append(self.api_key)
        self.proc = subprocess.Popen(
            args,
            cwd=root,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**os.environ, "PYTHONPATH": str(root)},
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"llama.cpp server exited with {self.proc.returncode}")
            try:
                r = httpx.get(f"http://127.0.0.1:{self.port}/health", timeout=1.0, headers=headers)
                if r.status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"llama.cpp server did not come up on port {self.port} in {timeout} s")

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)


if __name__ == "__main__":
    serve(sys.argv[1], int(sys.argv[2]), sys.argv[3] if len(sys.argv) > 3 else "")
