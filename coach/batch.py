"""`coach check --batch`: one JSON line in, one JSON line out, in input order. A line that cannot
be checked becomes `{"id": ..., "error": "..."}` and the rest still run.

The LLM work adds concurrency on top of `prepare` / `check_prepared`; the order of the output
is the order of the input lines whatever the engine.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
from pydantic import ValidationError

from coach.check import run_check
from coach.errors import CoachError
from coach.llm.engine import LLMCoach
from coach.models import CheckRequest, Contact
from coach.store import Store


@dataclass(slots=True)
class Prepared:
    """One input line, parsed: either a request ready to check, or the error to print for it."""

    line: int
    id: str | None
    draft: str = ""
    channel: str | None = None
    contact: Contact | None = None
    error: str | None = None

    def error_object(self) -> dict[str, Any]:
        return {"id": self.id, "error": self.error, "line": self.line}


def validation_message(exc: ValidationError) -> str:
    """The first problem pydantic found, as one readable clause."""
    first = exc.errors()[0]
    where = ".".join(str(p) for p in first["loc"]) or "the object"
    return f"{where}: {first['msg']}"


class ContactResolver:
    """Names and ids to stored contacts (looked up once per batch), inline objects validated."""

    def __init__(self, store: Store | None) -> None:
        self.store = store
        self._cache: dict[str, Contact] = {}

    def __call__(self, ref: str | Contact | dict[str, Any] | None) -> Contact | None:
        if ref is None or isinstance(ref, Contact):
            return ref
        if isinstance(ref, dict):
            try:
                return Contact.model_validate(ref)
            except ValidationError as exc:
                raise CoachError(
                    f"The inline contact is not valid ({validation_message(exc)}).",
                    "See CONTRACT.md, 'A batch input line'.",
                ) from exc
        if ref not in self._cache:
            if self.store is None:
                raise CoachError(f"No store to look up the contact '{ref}' in.")
            self._cache[ref] = self.store.find_contact(ref)
        return self._cache[ref]


def prepare(line_no: int, raw: str | bytes, resolve: Callable[[Any], Contact | None]) -> Prepared:
    """Parse and validate one input line; never raises."""
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        return Prepared(line_no, None, error=f"line {line_no} is not valid JSON ({exc.msg}).")
    if not isinstance(data, dict):
        return Prepared(line_no, None, error=f"line {line_no} is not a JSON object.")
    given_id = data.get("id")
    item_id = None if given_id is None else str(given_id)
    contact_ref = data.pop("contact", None)
    try:
        req = CheckRequest.model_validate(data)
    except ValidationError as exc:
        return Prepared(line_no, item_id, error=f"line {line_no}: {validation_message(exc)}.")
    if not req.draft.strip():
        return Prepared(line_no, item_id, error=f"line {line_no}: the draft is empty.")
    try:
        contact = resolve(contact_ref)
    except CoachError as exc:
        return Prepared(line_no, item_id, error=f"line {line_no}: {exc.one_line()}")
    return Prepared(line_no, item_id, req.draft, req.channel, contact)


def input_lines(stream: Iterable[bytes | str]) -> Iterator[tuple[int, bytes | str]]:
    """Numbered non-blank lines (blank lines are not input and produce no output)."""
    for n, raw in enumerate(stream, start=1):
        if raw.strip():
            yield n, raw


async def check_prepared(
    item: Prepared,
    *,
    store: Store | None,
    llm: LLMCoach | None,
    record: bool,
    now: datetime | None = None,
) -> dict[str, Any]:
    """The output object for one prepared line (its check result, or its error)."""
    if item.error is not None:
        return item.error_object()
    try:
        rec = await run_check(
            item.draft,
            item.contact,
            item.channel,
            store=store,
            llm=llm,
            record=record,
            id=item.id,
            now=now,
        )
    except CoachError as exc:
        return {"id": item.id, "error": f"line {item.line}: {exc.one_line()}", "line": item.line}
    return rec.result.to_json_dict()


async def run_batch(
    stream: Iterable[bytes | str],
    emit: Callable[[dict[str, Any]], None],
    *,
    store: Store | None,
    llm: LLMCoach | None = None,
    record: bool = True,
    now: datetime | None = None,
    concurrency: int = 1,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Check every line in order, one at a time, emitting each output object as soon as it is
    ready (the offline coach needs no concurrency). Returns how many lines failed.

    With an LLM and `concurrency` > 1, up to that many requests are in flight at once
    (coach.batch_llm.run_ordered); the output is still in input order."""
    resolve = ContactResolver(store)
    failed = 0
    if llm is not None and concurrency > 1:
        from coach.batch_llm import run_ordered

        async def one(item: Prepared) -> dict[str, Any]:
            return await check_prepared(item, store=store, llm=llm, record=record, now=now)

        def out(obj: dict[str, Any]) -> None:
            nonlocal failed
            failed += "error" in obj
            emit(obj)

        items = (prepare(n, raw, resolve) for n, raw in input_lines(stream))
        await run_ordered(items, one, out, concurrency=concurrency, progress=progress)
        return failed
    for n, raw in input_lines(stream):
        item = prepare(n, raw, resolve)
        obj = await check_prepared(item, store=store, llm=llm, record=record, now=now)
        failed += "error" in obj
        emit(obj)
    return failed
