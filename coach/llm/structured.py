"""What the model must answer: a result model, its JSON schema (every string bounded), the
`response_format` variants, tolerant extraction of JSON from free text, and live coaching text
pulled out of a half-streamed JSON reply.
"""

from __future__ import annotations

import copy
import re
from typing import Any, Literal

import orjson
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from coach.llm.errors import LLMBadReply

FORMATS = ("json_schema", "json_object", "text")


class LLMFlag(BaseModel):
    """A finding, located by quoting the draft's exact words (models are poor at offsets)."""

    model_config = ConfigDict(extra="ignore")

    quote: str = Field(max_length=200, description="the exact words from the draft")
    rule: str = Field(max_length=40, description="a short kebab-case rule name")
    severity: Literal["info", "warn", "stop"] = "warn"
    message: str = Field("", max_length=200, description="one line: why it matters")


class LLMReply(BaseModel):
    """The structured reply; field order is the order the model writes (coaching streams first)."""

    model_config = ConfigDict(extra="ignore")

    coaching: str = Field("", max_length=1200, description="short coaching for the writer")
    verdict: Literal["ok", "revise", "hold"] = "ok"
    flags: list[LLMFlag] = Field(default_factory=list, max_length=6)
    rewrite: str | None = Field(None, max_length=4000, description="a minimal edit, or null")
    advice: str = Field("", max_length=300, description="one line on timing or next step")


def _inline_refs(node: Any, defs: dict[str, Any]) -> Any:
    if isinstance(node, dict):
        if "$ref" in node:
            name = node["$ref"].rsplit("/", 1)[-1]
            return _inline_refs(copy.deepcopy(defs[name]), defs)
        return {k: _inline_refs(v, defs) for k, v in node.items() if k not in ("$defs", "title")}
    if isinstance(node, list):
        return [_inline_refs(v, defs) for v in node]
    return node


def _tighten(node: Any, draft_len: int) -> None:
    """Every object closed and fully required; every string bounded (so grammars terminate)."""
    if isinstance(node, dict):
        if node.get("type") == "object" and "properties" in node:
            node["additionalProperties"] = False
            node["required"] = list(node["properties"])
        if node.get("type") == "string" and "enum" not in node:
            node.setdefault("maxLength", 300)
        node.pop("default", None)
        for value in node.values():
            _tighten(value, draft_len)
    elif isinstance(node, list):
        for value in node:
            _tighten(value, draft_len)


def reply_schema(draft_len: int = 1000) -> dict[str, Any]:
    """The JSON schema of LLMReply, refs inlined; the rewrite is bounded by the draft's length."""
    raw = LLMReply.model_json_schema()
    schema: dict[str, Any] = _inline_refs(raw, raw.get("$defs", {}))
    _tighten(schema, draft_len)
    rewrite_cap = min(4000, int(draft_len * 1.3) + 40)
    for option in schema["properties"]["rewrite"].get("anyOf", []):
        if option.get("type") == "string":
            option["maxLength"] = rewrite_cap
    return schema


def response_format(kind: str, draft_len: int = 1000) -> dict[str, Any] | None:
    if kind == "json_schema":
        return {
            "type": "json_schema",
            "json_schema": {
                "name": "coach_reply",
                "strict": True,
                "schema": reply_schema(draft_len),
            },
        }
    if kind == "json_object":
        return {"type": "json_object"}
    return None


_FENCE = re.compile(r"```(?:json)?\s*(.*?)```", re.DOTALL)
_TRAILING_COMMA = re.compile(r",\s*([}\]])")
_THINK = re.compile(r"<think>.*?(</think>|$)", re.DOTALL)


def _balanced_objects(text: str) -> list[str]:
    """Every top-level `{...}` with balanced braces, strings respected, in order."""
    found: list[str] = []
    start = text.find("{")
    while start != -1:
        depth, in_str, esc, end = 0, False, False, -1
        for i in range(start, len(text)):
            ch = text[i]
            if in_str:
                if esc:
                    esc = False
                elif ch == "\\":
                    esc = True
                elif ch == '"':
                    in_str = False
            elif ch == '"':
                in_str = True
            elif ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
                if depth == 0:
                    end = i + 1
                    break
        if end < 0:
            start = text.find("{", start + 1)
            continue
        found.append(text[start:end])
        start = text.find("{", end)
    return found


def strip_reasoning(text: str) -> str:
    """Drop `<think>...</think>` blocks that reasoning models put before their answer."""
    return _THINK.sub("", text)


def extract_json(text: str) -> dict[str, Any] | None:
    """A JSON object from a model's reply: bare, fenced, or inside prose; small repairs tried.

    The first object with a `verdict` wins (prose may hold other braces); else the first object.
    """
    text = strip_reasoning(text)
    candidates = [text.strip()]
    candidates += [m.group(1).strip() for m in _FENCE.finditer(text)]
    candidates += _balanced_objects(text)
    fallback: dict[str, Any] | None = None
    for candidate in candidates:
        for attempt in (candidate, _TRAILING_COMMA.sub(r"\1", candidate)):
            try:
                data = orjson.loads(attempt)
            except orjson.JSONDecodeError:
                continue
            if isinstance(data, dict):
                if "verdict" in data:
                    return data
                fallback = fallback if fallback is not None else data
            break
    return fallback


def parse_reply(text: str) -> LLMReply:
    """Validate a reply against LLMReply; LLMBadReply says what was wrong (used in the repair)."""
    data = extract_json(text)
    if data is None:
        raise LLMBadReply(
            "The model's reply contains no JSON object. Your draft and the offline result are kept.",
            "Try again, or use a model that follows instructions better.",
        )
    if "verdict" not in data:
        # Every field has a default, so any object would validate: insist on the one that matters.
        raise LLMBadReply(
            "The model's reply has no verdict. Your draft and the offline result are kept.",
            "Try again, or use a model that follows instructions better.",
        )
    # Models often send extra flags or long strings: trim rather than reject the whole reply.
    if isinstance(data.get("flags"), list):
        data["flags"] = [f for f in data["flags"] if isinstance(f, dict)][:6]
    try:
        return LLMReply.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "reply"
        raise LLMBadReply(
            f"The model's reply does not match the expected shape ({where}: {first['msg']}). "
            "Your draft and the offline result are kept.",
            "Try again, or use a model that follows instructions better.",
        ) from exc


class CoachingStream:
    """Pulls the `coaching` string out of a JSON reply while it streams, character by character.

    Feed raw deltas; `feed()` returns the newly decoded coaching text. Plain-text replies (no JSON)
    are passed through as they are.
    """

    _KEY = re.compile(r'"coaching"\s*:\s*"')

    def __init__(self) -> None:
        self._buf = ""
        self._pos = -1  # index in _buf of the next unread char of the value; -1: not found yet
        self._done = False
        self._plain: bool | None = None

    def feed(self, delta: str) -> str:
        self._buf += delta
        if self._plain is None:
            head = self._buf.lstrip()
            if head.startswith("<think>"):
                # A reasoning model thinks first: show nothing until the answer starts.
                end = self._buf.find("</think>")
                if end < 0:
                    return ""
                self._buf = self._buf[end + len("</think>") :]
                head = self._buf.lstrip()
            if not head or "<think>".startswith(head):
                return ""  # too early to tell what kind of reply this is
            self._plain = not head.startswith(("{", "`"))
            if self._plain:
                return self._buf  # nothing was shown yet: show all of it
        elif self._plain:
            return delta
        if self._done:
            return ""
        if self._pos < 0:
            match = self._KEY.search(self._buf)
            if not match:
                return ""
            self._pos = match.end()
        out: list[str] = []
        buf, i, n = self._buf, self._pos, len(self._buf)
        while i < n:
            ch = buf[i]
            if ch == '"':
                self._done = True
                i += 1
                break
            if ch == "\\":
                if i + 1 >= n:
                    break  # wait for the escaped char
                nxt = buf[i + 1]
                if nxt == "u":
                    if i + 6 > n:
                        break
                    code = _hex(buf[i + 2 : i + 6])
                    if 0xD800 <= code < 0xDC00:
                        # A surrogate pair arrives as two escapes: wait for the second one.
                        if i + 12 > n:
                            break
                        low = _hex(buf[i + 8 : i + 12]) if buf[i + 6 : i + 8] == "\\u" else -1
                        if 0xDC00 <= low < 0xE000:
                            out.append(chr(0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)))
                            i += 12
                            continue
                    if code >= 0:
                        out.append(chr(code))
                    i += 6
                    continue
                out.append({"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f"}.get(nxt, nxt))
                i += 2
                continue
            out.append(ch)
            i += 1
        self._pos = i
        return "".join(out)


def _hex(digits: str) -> int:
    try:
        return int(digits, 16)
    except ValueError:
        return -1
