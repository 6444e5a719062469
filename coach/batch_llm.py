"""Many drafts through one LLM at once: a bounded number in flight, results in input order, one
failure never stops the rest, and a progress bar on stderr.

A campaign of thousands of drafts should keep a server with parallel slots busy, not wait on one
request at a time; `concurrency` is how many requests are in flight together.
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections import deque
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, TextIO, TypeVar

from coach.llm.engine import LLMCoach, LLMOutcome
from coach.models import CheckResult, Contact

T = TypeVar("T")
R = TypeVar("R")

Progress = Callable[[int, int], None]  # (done, total)


@dataclass(slots=True)
class BatchItem:
    """One draft for the LLM, with its offline result already computed."""

    draft: str
    offline: CheckResult
    contact: Contact | None = None
    channel: str | None = None


@dataclass(slots=True)
class Outcome(Generic[R]):
    """The result of one item, or the error that stopped it (the other items still ran)."""

    value: R | None = None
    error: Exception | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


async def run_concurrently(
    items: Sequence[T],
    work: Callable[[T], Awaitable[R]],
    *,
    concurrency: int = 4,
    progress: Progress | None = None,
) -> list[Outcome[R]]:
    """Run `work` on every item with at most `concurrency` in flight; outcomes in input order.

    A fixed pool of workers pulls indexes from a queue, so 10,000 items do not make 10,000 tasks.
    Exceptions are kept per item; cancelling the caller cancels every worker.
    """
    total = len(items)
    outcomes: list[Outcome[R]] = [Outcome() for _ in range(total)]
    if total == 0:
        return outcomes
    queue: asyncio.Queue[int] = asyncio.Queue()
    for index in range(total):
        queue.put_nowait(index)
    done = 0

    async def worker() -> None:
        nonlocal done
        while True:
            try:
                index = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            try:
                outcomes[index].value = await work(items[index])
            except Exception as exc:  # one bad draft must not stop the batch
                outcomes[index].error = exc
            done += 1
            if progress is not None:
                progress(done, total)

    workers = [asyncio.create_task(worker()) for _ in range(max(1, min(concurrency, total)))]
    try:
        await asyncio.gather(*workers)
    finally:
        for task in workers:
            task.cancel()
    return outcomes


async def run_ordered(
    items: Iterable[T],
    work: Callable[[T], Awaitable[R]],
    emit: Callable[[R], None],
    *,
    concurrency: int = 4,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Stream `items` through `work`, at most `concurrency` in flight, calling `emit` with each
    result in input order as soon as it and every earlier one are done. Returns how many ran.

    Input is read lazily and at most 2 x concurrency results wait for a slow earlier one, so a
    10,000-line batch streams its output and never holds the whole file. An exception from `work`
    cancels the rest and propagates (callers turn per-item failures into values themselves).
    """
    concurrency = max(1, concurrency)
    slots = asyncio.Semaphore(concurrency)
    window: deque[asyncio.Task[R]] = deque()
    count = 0

    async def limited(item: T) -> R:
        async with slots:
            return await work(item)

    async def emit_head() -> None:
        nonlocal count
        result = await window.popleft()
        emit(result)
        count += 1
        if progress is not None:
            progress(count)

    try:
        for item in items:
            window.append(asyncio.create_task(limited(item)))
            if len(window) >= 2 * concurrency:
                await emit_head()
        while window:
            await emit_head()
    finally:
        for task in window:
            task.cancel()
    return count


async def run_batch(
    items: Sequence[BatchItem],
    llm: LLMCoach,
    *,
    concurrency: int = 4,
    progress: Progress | None = None,
) -> list[Outcome[LLMOutcome]]:
    """Coach every item through `llm`; each outcome holds an LLMOutcome or the LLMError it raised."""

    async def one(item: BatchItem) -> LLMOutcome:
        return await llm.coach(item.draft, item.contact, item.channel, item.offline)

    try:
        return await run_concurrently(items, one, concurrency=concurrency, progress=progress)
    finally:
        await llm.aclose()


class ProgressBar:
    """A one-line progress bar on stderr, redrawn at most ten times a second; silent off a terminal."""

    def __init__(self, label: str = "checking", stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.label = label
        self.enabled = self.stream.isatty()
        self._last = 0.0
        self._started = time.monotonic()

    def __call__(self, done: int, total: int | None = None) -> None:
        """Redraw; with no `total` (input streamed from stdin) it shows a count and a rate."""
        now = time.monotonic()
        final = total is not None and done >= total
        if not self.enabled or (not final and now - self._last < 0.1):
            return
        self._last = now
        rate = done / max(1e-6, now - self._started)
        if total is None:
            self.stream.write(f"\r{self.label}: {done} done, {rate:.1f}/s")
        else:
            width = 30
            filled = int(width * done / max(1, total))
            bar = "#" * filled + "-" * (width - filled)
            self.stream.write(f"\r{self.label} [{bar}] {done}/{total} {rate:.1f}/s")
        if final:
            self.stream.write("\n")
        self.stream.flush()

    def finish(self) -> None:
        """End the line after a run whose total was unknown."""
        if self.enabled and self._last:
            self.stream.write("\n")
            self.stream.flush()
