"""Server-Sent Events, incrementally: bytes in, the `data` of each complete event out.

Kept separate from the HTTP client so its speed can be measured on its own (benchmarks/llm_client.py)
and so a stream cut mid-event is visible: `pending` says an event was started but never finished.
"""

from __future__ import annotations

from coach.llm.errors import LLMBadReply, LLMReplyTooLarge


class SSEParser:
    """Feed raw bytes with `feed()`; it returns the data of every event completed so far."""

    __slots__ = ("_buf", "_data", "max_event_bytes")

    def __init__(self, max_event_bytes: int = 1 << 20) -> None:
        self._buf = b""
        self._data: list[bytes] = []
        self.max_event_bytes = max_event_bytes

    @property
    def pending(self) -> bool:
        """True when the stream stopped inside an event (a cut connection)."""
        return bool(self._buf.strip() or self._data)

    def feed(self, chunk: bytes) -> list[str]:
        buf = self._buf + chunk if self._buf else chunk
        lines = buf.split(b"\n")
        # The last piece has no newline yet: keep it for the next chunk.
        self._buf = lines.pop()
        if len(self._buf) > self.max_event_bytes:
            raise LLMReplyTooLarge(
                f"One streamed event from the endpoint is over {self.max_event_bytes} bytes; "
                "stopped reading it. Your draft and the offline result are kept.",
                "Check that the endpoint is an OpenAI-compatible chat server.",
            )
        events: list[str] = []
        data = self._data
        for line in lines:
            if line[-1:] == b"\r":
                line = line[:-1]
            if not line:
                if data:
                    events.append(_decode(b"\n".join(data)))
                    data = self._data = []
            elif line[:5] == b"data:":
                value = line[5:]
                data.append(value[1:] if value[:1] == b" " else value)
            # Comments (":ping") and the event/id/retry fields carry nothing we use.
        return events


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise LLMBadReply(
            "The endpoint streamed bytes that are not valid UTF-8; stopped reading. "
            "Your draft and the offline result are kept.",
            "Check the server's configuration or try another model.",
        ) from exc
