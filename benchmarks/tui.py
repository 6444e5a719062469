"""How fast the Textual app feels, each figure against its reference in the same run.

- startup_ms: `CoachApp` from construction to its home screen's first paint (it takes keys from
  then on while the contacts fill in from a worker), on a store of 10,000 contacts and 100,000
  history records; bare_startup_ms: a bare Textual App showing one Static, from construction to
  its screen's first paint; startup_ratio = startup / bare (target <= 1.5). "First paint" is a
  callback queued after the first refresh, so work queued before it (the footer building its
  keys) counts too: until that is done the screen would not handle a key either. Imports are not
  counted (a first run in the same process pays them for both apps).
  startup_rows_ms (and startup_rows_ratio) go on until the first contact rows are on screen.
  The app keeps Textual's parsed CSS in its cache folder (screens/stylesheet.py), so every launch
  but the first skips the parse: startup_ms is such a launch; startup_first_launch_ms (and its
  ratio) is the first one on a machine, with the cache removed before each run.
- keystroke_ratio: median time of one key in the compose draft while a fake LLM streams coaching at
  200 tokens/s, over the same with nothing streaming (<= 2).
- history_open_ms: from switching to the history screen (first time in the session, 1.5 s after
  launch and once the app's idle warm-up is over) to its first page of 100,000 shown and its
  workers done (< 200); history_reopen_ms: the same, later on. The warm-up builds the history
  screen off screen (CoachApp._prebuild), so the first switch shows that screen and re-reads the
  store; a switch before the warm-up is over builds the screen then, as a reopen never does.
- peak_mb: peak resident memory of a process running one session on that store (home, the
  history 30 pages down, a compose check with streamed coaching) (< 200);
  peak_mb_after_jump_to_oldest: the same after End in the history (offset ~100,000).

All runs are headless (`App.run_test()`, the same harness for the app and its reference); times are
medians of several runs. The data is built once, through the store's bulk path, in a parent
process; the timings run in one child process and the memory session in another, so peak_mb is
the app's alone.

    uv run python benchmarks/tui.py [--contacts 10000] [--records 100000] [--runs 5]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


# -- data ---------------------------------------------------------------------------------
def build_home(home: Path, n_contacts: int, n_records: int) -> None:
    from coach import paths
    from coach.models import CheckRecord, CheckResult, Contact, Interaction, Scores
    from coach.store import open_store

    paths.set_home(home)
    rng = random.Random(7)
    firsts = ["Dana", "Lars", "Mika", "Priya", "Yusuf", "Ana", "Kwame", "Sofía", "Trần", "Zeynep"]
    lasts = ["Reyes", "Eriksen", "Virtanen", "Raman", "Haddad", "Kovač", "Mensah", "Marín", "Ngọc"]
    contacts = []
    for i in range(n_contacts):
        interactions = [
            Interaction(direction=rng.choice(("in", "out")), channel="dm",
                        at=NOW - timedelta(days=rng.randint(0, 400)), text="hello there")
            for _ in range(rng.randint(0, 4))
        ]
        contacts.append(Contact(id=f"c{i:06d}", name=f"{rng.choice(firsts)} {rng.choice(lasts)} {i}",
                                context=rng.choice(("personal", "professional", "customer")),
                                interactions=interactions))
    drafts = ["Thanks for the quick reply!", "So you never answered?", "How is your family?",
              "Could we find 20 minutes next week to talk about the pilot?"]
    records = []
    for i in range(n_records):
        c = contacts[rng.randrange(n_contacts)] if n_contacts else None
        records.append(CheckRecord(
            id=f"h{i:07d}", created=NOW - timedelta(minutes=7 * i), draft=rng.choice(drafts),
            contact_id=c.id if c else None, contact_name=c.name if c else None, channel="dm",
            result=CheckResult(verdict=rng.choice(("ok", "revise", "hold")),
                               scores=Scores(intimacy=rng.random(), pacing=rng.random())),
        ))
    with open_store() as store:
        store.add_contacts(contacts)
        bulk = getattr(store, "add_checks", None)
        if bulk is not None:
            bulk(records)
        else:
            for r in records:
                store.add_check(r)


# -- measurements (child process) -----------------------------------------------------------
async def _wait(pilot: Any, cond: Any, timeout: float = 60.0) -> None:
    deadline = time.perf_counter() + timeout
    while not cond():
        if time.perf_counter() > deadline:
            raise TimeoutError("the app did not get there in time")
        await asyncio.sleep(0.001)


PAINTED: dict[str, float] = {}


def _mark_first_paint(screen: Any) -> None:
    """Record when a screen has been laid out and painted once (it takes keys from then on)."""
    screen.call_after_refresh(lambda: PAINTED.setdefault("at", time.perf_counter()))


async def bare_startup() -> float:
    """A bare App showing one Static: construction to its screen's first paint."""
    from textual.app import App, ComposeResult
    from textual.widgets import Static

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("a static screen")

        def on_mount(self) -> None:
            _mark_first_paint(self.screen)

    PAINTED.clear()
    started = time.perf_counter()
    app = Bare()
    async with app.run_test(size=(120, 40)) as pilot:
        await _wait(pilot, lambda: "at" in PAINTED)
    return (PAINTED["at"] - started) * 1000


async def coach_startup(first_launch: bool = False) -> tuple[float, float]:
    """(construction to the home screen's first paint; construction to the first contact rows
    on screen), in ms. `first_launch`: with the parsed-CSS cache removed first, as on the very
    first launch on a machine (or after a Textual upgrade)."""
    from textual.widgets import DataTable

    from screens.app import CoachApp
    from screens.home import HomeScreen

    if first_launch:
        from coach import paths
        from screens.stylesheet import CACHE_NAME

        (paths.cache_dir() / CACHE_NAME).unlink(missing_ok=True)
    PAINTED.clear()
    started = time.perf_counter()
    app = CoachApp(llm=None, now=lambda: NOW)
    async with app.run_test(size=(120, 40)) as pilot:
        await _wait(pilot, lambda: "at" in PAINTED)
        assert isinstance(app.screen, HomeScreen)
        await _wait(pilot, lambda: app.screen.query_one("#contacts", DataTable).row_count > 0)
        await pilot.pause()
        rows = time.perf_counter() - started
    return (PAINTED["at"] - started) * 1000, rows * 1000


def _instrument_home() -> None:
    from screens.home import HomeScreen

    original = HomeScreen.on_mount

    def on_mount(self: HomeScreen) -> None:
        original(self)
        _mark_first_paint(self)

    HomeScreen.on_mount = on_mount  # type: ignore[method-assign]


COACHING = (
    "**Tone.** Warm and clear; the thanks lands well. ",
    "The question about family comes early for two exchanges, ",
    "and Dana has said nothing about family yet.\n\n",
    "- Keep the thanks and the launch detail.\n",
    "- Drop the family question, or wait until Dana raises it.\n\n",
)


def _coaching_tokens(n: int) -> list[str]:
    words: list[str] = []
    while len(words) < n:
        for part in COACHING:
            pieces = part.split(" ")
            words.extend(w + " " for w in pieces[:-1])
            words.append(pieces[-1])
    return words[:n]


async def keystrokes(streaming: bool, keys: int = 40) -> float:
    """Median time from a key event reaching the app to the draft line being re-rendered."""
    from screens_support import FakeStreamingCoach
    from textual import events

    from screens.app import CoachApp
    from screens.compose import ComposeScreen
    from screens.widgets.draft_area import DraftArea

    # 200 tokens/s of Markdown, for longer than the typing takes.
    fake = FakeStreamingCoach(chunks=_coaching_tokens(6000), delay=1 / 200)
    app = CoachApp(llm=fake, now=lambda: NOW)
    times: list[float] = []
    rendered: list[float] = []
    async with app.run_test(size=(120, 40)) as pilot:
        await app.open_compose(draft="Thanks for the note, see you Friday", contact_id="c000001")
        await _wait(pilot, lambda: isinstance(app.screen, ComposeScreen))
        screen = app.screen
        assert isinstance(screen, ComposeScreen)
        area = screen.query_one("#draft", DraftArea)
        area.focus()
        original = area._render_line

        def timed_render_line(y: int) -> Any:
            rendered.append(time.perf_counter())
            return original(y)

        area._render_line = timed_render_line  # type: ignore[method-assign]
        if streaming:
            await pilot.press("ctrl+r")
            await _wait(pilot, lambda: len(fake.sent) > 20)
        await pilot.pause(0.2)
        driver = app._driver
        assert driver is not None
        for i in range(keys):
            char = "x" if i % 2 else "y"
            before = len(area.text)
            rendered.clear()
            t0 = time.perf_counter()
            event = events.Key(char, char)
            event.set_sender(app)
            driver.send_message(event)  # as the terminal driver delivers a key
            await _wait(pilot, lambda b=before: len(area.text) > b and rendered)
            times.append(rendered[0] - t0)
            await asyncio.sleep(0.03)  # typing speed, not a flood
        if streaming:
            assert len(fake.sent) < len(fake.chunks), "the stream ended before the typing did"
            screen.action_cancel_coaching()
            await pilot.pause(0.1)
    return statistics.median(times) * 1000


async def history_open() -> tuple[float, float]:
    """(first opening of the history in a session, opening it again later), in ms."""
    from screens.app import CoachApp
    from screens.history import HistoryScreen
    from screens.widgets.check_list import CheckList

    app = CoachApp(llm=None, now=lambda: NOW)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(1.5)  # a user who presses F5 a moment after launch
        warmed = getattr(app, "warmed_up", None)
        if warmed is not None:  # and the background warm-up is over (on a loaded machine it
            await asyncio.wait_for(warmed.wait(), timeout=60)  # can take longer than 1.5 s)
        app.store.count_checks()  # the store is open, as it is once the app runs
        timings = []
        for _ in range(2):
            started = time.perf_counter()
            await app.switch_mode("history")
            screen = app.screen
            assert isinstance(screen, HistoryScreen)
            listing = screen.query_one(CheckList)
            await _wait(pilot, lambda s=screen, c=listing: c.total > 0
                        and c.record_at(0) is not None and not s.workers)
            await pilot.pause()
            timings.append((time.perf_counter() - started) * 1000)
            await app.switch_mode("home")
            await pilot.pause()
    return timings[0], timings[1]


def _peak_mb() -> float:
    """Peak resident memory of this process. VmHWM, not ru_maxrss: on Linux ru_maxrss survives
    exec, so a child started by the (big, data-building) parent would report the parent's peak."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


async def session(peaks: dict[str, float]) -> None:
    """One session on the big store, for its memory: home, history (30 pages down), compose with
    a streamed coaching; then a jump to the oldest record."""
    from screens_support import FakeStreamingCoach
    from textual.widgets import DataTable

    from screens.app import CoachApp
    from screens.compose import ComposeScreen
    from screens.history import HistoryScreen
    from screens.widgets.check_list import CheckList

    fake = FakeStreamingCoach(chunks=_coaching_tokens(400), delay=1 / 200)
    app = CoachApp(llm=fake, now=lambda: NOW)
    async with app.run_test(size=(120, 40)) as pilot:
        await _wait(pilot, lambda: app.screen.query("#contacts")
                    and app.screen.query_one("#contacts", DataTable).row_count > 0)
        await app.switch_mode("history")
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        listing = screen.query_one(CheckList)
        await _wait(pilot, lambda: listing.total > 0)
        for _ in range(30):  # scroll through the newest thousands
            await pilot.press("pagedown")
        await _wait(pilot, lambda: listing.current is not None, timeout=60)
        await app.open_compose(draft="Thanks for the note, see you Friday", contact_id="c000001")
        await _wait(pilot, lambda: isinstance(app.screen, ComposeScreen))
        compose = app.screen
        assert isinstance(compose, ComposeScreen)
        await pilot.press("ctrl+r")
        await _wait(pilot, lambda: compose.record is not None, timeout=60)
        peaks["peak_mb"] = _peak_mb()
        # Then jump to the oldest record: the store reads every week before it to reach that
        # offset, which is the store's cost, reported apart.
        await app.switch_mode("history")
        await pilot.pause(0.5)
        await _wait(pilot, lambda: not screen.workers and listing.total > 0)  # reloaded on return
        await pilot.press("end")
        await _wait(pilot, lambda: listing.current is not None
                    and listing.cursor == listing.total - 1, timeout=120)
        peaks["peak_mb_after_jump_to_oldest"] = _peak_mb()


def child(runs: int) -> dict[str, Any]:
    _instrument_home()

    async def main() -> dict[str, Any]:
        bare: list[float] = []
        coach: list[float] = []
        rows: list[float] = []
        await bare_startup()  # imports and first-run costs out of the way for both
        await coach_startup()
        cold: list[float] = []
        for _ in range(runs):
            bare.append(await bare_startup())
            first, shown = await coach_startup()
            coach.append(first)
            rows.append(shown)
            cold.append((await coach_startup(first_launch=True))[0])
        idle = await keystrokes(streaming=False)
        busy = await keystrokes(streaming=True)
        history = [await history_open() for _ in range(max(3, runs // 2))]
        first_open = [h[0] for h in history]
        reopen = [h[1] for h in history]
        return {
            "startup_ms": round(statistics.median(coach), 1),
            "bare_startup_ms": round(statistics.median(bare), 1),
            "startup_ratio": round(statistics.median(coach) / statistics.median(bare), 2),
            "startup_first_launch_ms": round(statistics.median(cold), 1),
            "startup_first_launch_ratio": round(statistics.median(cold) / statistics.median(bare), 2),
            "startup_rows_ms": round(statistics.median(rows), 1),
            "startup_rows_ratio": round(statistics.median(rows) / statistics.median(bare), 2),
            "keystroke_idle_ms": round(idle, 2),
            "keystroke_streaming_ms": round(busy, 2),
            "keystroke_ratio": round(busy / idle, 2),
            "history_open_ms": round(statistics.median(first_open), 1),
            "history_reopen_ms": round(statistics.median(reopen), 1),
        }

    figures = asyncio.run(main())
    return figures


def session_child() -> dict[str, Any]:
    peaks: dict[str, float] = {}
    asyncio.run(session(peaks))
    return peaks


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--contacts", type=int, default=10_000)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--session", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.runs)))
        return 0
    if args.session:
        print(json.dumps(session_child()))
        return 0
    with tempfile.TemporaryDirectory(prefix="coach-tui-bench-") as tmp:
        home = Path(tmp)
        t0 = time.perf_counter()
        build_home(home, args.contacts, args.records)
        build_s = time.perf_counter() - t0
        print(f"built {args.contacts:,} contacts and {args.records:,} checks in {build_s:.1f} s",
              file=sys.stderr)
        env = {**os.environ, "COACH_HOME": str(home)}
        figures: dict[str, Any] = {}
        for flag in ("--child", "--session"):
            out = subprocess.run([sys.executable, __file__, flag, "--runs", str(args.runs)],
                                 env=env, capture_output=True, text=True, check=False)
            if out.returncode != 0:
                print(out.stderr, file=sys.stderr)
                return out.returncode
            figures.update(json.loads(out.stdout.strip().splitlines()[-1]))
    figures = {"contacts": args.contacts, "records": args.records, **figures}
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
