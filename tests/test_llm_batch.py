"""The concurrent batch runner: bounded concurrency, input order, failures kept per item,
cancellation reaching every worker, and the progress bar on stderr."""

from __future__ import annotations

import asyncio
import io
import random
from collections.abc import Callable, Iterator

import pytest

from coach.batch_llm import BatchItem, ProgressBar, run_batch, run_concurrently, run_ordered
from coach.errors import LLMError
from coach.llm.engine import LLMCoach, LLMOutcome
from coach.models import CheckResult, Contact

HANG_GUARD = 10.0


async def test_results_in_input_order_with_bounded_concurrency() -> None:
    in_flight = 0
    peak = 0
    rng = random.Random(3)

    async def work(n: int) -> int:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        await asyncio.sleep(rng.random() / 200)  # finish out of order
        in_flight -= 1
        return n * n

    outcomes = await asyncio.wait_for(
        run_concurrently(list(range(50)), work, concurrency=4), HANG_GUARD
    )
    assert [o.value for o in outcomes] == [n * n for n in range(50)]
    assert peak == 4


async def test_one_failure_does_not_stop_the_rest() -> None:
    async def work(n: int) -> int:
        if n == 2:
            raise LLMError("endpoint fell over")
        return n

    done: list[tuple[int, int]] = []
    outcomes = await run_concurrently(
        [0, 1, 2, 3], work, concurrency=2, progress=lambda d, t: done.append((d, t))
    )
    assert [o.ok for o in outcomes] == [True, True, False, True]
    assert str(outcomes[2].error) == "endpoint fell over"
    assert done[-1] == (4, 4) and len(done) == 4


async def test_empty_batch() -> None:
    async def work(n: int) -> int:
        raise AssertionError("never called")

    assert await run_concurrently([], work) == []


async def test_cancelling_the_batch_cancels_every_worker() -> None:
    started = asyncio.Event()
    cancelled = 0

    async def work(n: int) -> int:
        nonlocal cancelled
        started.set()
        try:
            await asyncio.sleep(HANG_GUARD * 2)
        except asyncio.CancelledError:
            cancelled += 1
            raise
        return n

    task = asyncio.create_task(run_concurrently(list(range(10)), work, concurrency=3))
    await asyncio.wait_for(started.wait(), HANG_GUARD)
    await asyncio.sleep(0)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await asyncio.wait_for(task, HANG_GUARD)
    assert cancelled == 3


class _FakeCoach(LLMCoach):
    """Stands in for an endpoint: the contract is the `coach` coroutine."""

    def __init__(self) -> None:
        super().__init__()
        self.closed = False

    async def coach(
        self,
        draft: str,
        contact: Contact | None,
        channel: str | None,
        offline: CheckResult,
        *,
        on_delta: Callable[[str], None] | None = None,
    ) -> LLMOutcome:
        if "boom" in draft:
            raise LLMError("boom")
        name = contact.name if contact else "-"
        return LLMOutcome(result=offline.model_copy(update={"advice": f"{name}:{channel}"}))

    async def aclose(self) -> None:
        self.closed = True


async def test_run_batch_passes_items_through_and_closes_the_client() -> None:
    fake = _FakeCoach()
    items = [
        BatchItem("hi", CheckResult(), Contact(name="Dana"), "dm"),
        BatchItem("boom", CheckResult()),
        BatchItem("yo", CheckResult(), None, "email"),
    ]
    outcomes = await run_batch(items, fake, concurrency=8)
    assert [o.value.result.advice if o.value else None for o in outcomes] == [
        "Dana:dm",
        None,
        "-:email",
    ]
    assert isinstance(outcomes[1].error, LLMError) and fake.closed


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_draws_on_a_terminal_only() -> None:
    tty = _Tty()
    bar = ProgressBar(stream=tty)
    bar(1, 4)
    bar(4, 4)
    text = tty.getvalue()
    assert "1/4" in text and "4/4" in text and text.endswith("\n")
    pipe = io.StringIO()
    quiet = ProgressBar(stream=pipe)
    quiet(4, 4)
    assert pipe.getvalue() == ""


async def test_run_ordered_streams_in_order_and_reads_lazily() -> None:
    pulled = 0
    in_flight = 0
    peak = 0
    emitted: list[int] = []
    rng = random.Random(5)

    def source() -> Iterator[int]:
        nonlocal pulled
        for n in range(40):
            pulled += 1
            yield n

    async def work(n: int) -> int:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        await asyncio.sleep(rng.random() / 200)
        in_flight -= 1
        return n

    def emit(n: int) -> None:
        emitted.append(n)
        # Never more than two windows of input read ahead of what was written out.
        assert pulled - len(emitted) <= 2 * 3

    counts: list[int] = []
    ran = await asyncio.wait_for(
        run_ordered(source(), work, emit, concurrency=3, progress=counts.append), HANG_GUARD
    )
    assert ran == 40 and emitted == list(range(40)) and counts == list(range(1, 41))
    assert peak == 3


async def test_run_ordered_propagates_a_bug_and_cancels_the_rest() -> None:
    cancelled = 0

    async def work(n: int) -> int:
        nonlocal cancelled
        if n == 1:
            raise RuntimeError("bug")
        try:
            await asyncio.sleep(HANG_GUARD * 2)
        except asyncio.CancelledError:
            cancelled += 1
            raise
        return n

    with pytest.raises(RuntimeError, match="bug"):
        await asyncio.wait_for(run_ordered([1, 2, 3], work, lambda n: None), HANG_GUARD)
    await asyncio.sleep(0)
    assert cancelled == 2
