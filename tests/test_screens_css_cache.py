"""The parsed CSS kept on disk between launches: the same rules as a parse, a broken or
foreign file ignored (and rebuilt), nothing kept for invalid CSS."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

import pytest
from screens_support import frozen_now, seed_store, wait_for
from textual.css.stylesheet import Stylesheet, StylesheetError

from coach import paths
from screens.app import CoachApp
from screens.stylesheet import CACHE_NAME, ReusingStylesheet


def _rules_signature(sheet: Stylesheet) -> list[Any]:
    return [(repr(r.selector_set), r.is_default_rules, r.tie_breaker,
             repr(sorted(r.styles._rules.items())), r.styles.important) for r in sheet.rules]


async def _launch(counter: list[int], monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """One app run to its home screen; returns its rules; `counter` counts real parses."""
    real = Stylesheet._parse_rules

    def counting(self: Stylesheet, *args: Any, **kwargs: Any) -> Any:
        counter.append(1)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Stylesheet, "_parse_rules", counting)
    app = CoachApp(llm=None, now=frozen_now)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: getattr(app.screen, "contacts", None))
        await pilot.pause()
        rules = _rules_signature(app.stylesheet)
    monkeypatch.setattr(Stylesheet, "_parse_rules", real)
    return rules


async def test_the_second_launch_reads_the_rules_the_first_parsed(
        monkeypatch: pytest.MonkeyPatch) -> None:
    seed_store()
    cache = paths.cache_dir() / CACHE_NAME
    first: list[int] = []
    rules_first = await _launch(first, monkeypatch)
    assert cache.exists() and stat.S_IMODE(cache.stat().st_mode) == 0o600
    second: list[int] = []
    rules_second = await _launch(second, monkeypatch)
    assert first and not second  # nothing parsed again
    assert rules_second == rules_first


async def test_a_broken_or_foreign_cache_is_ignored_and_rebuilt(
        monkeypatch: pytest.MonkeyPatch) -> None:
    seed_store()
    cache = paths.cache_dir() / CACHE_NAME
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_bytes(b"not a pickle at all")
    parsed: list[int] = []
    await _launch(parsed, monkeypatch)
    assert parsed and cache.read_bytes() != b"not a pickle at all"
    # A file others could have written is not loaded (a pickle can run code).
    cache.chmod(0o666)
    parsed.clear()
    await _launch(parsed, monkeypatch)
    assert parsed


def test_invalid_css_raises_and_is_not_kept(tmp_path: Path) -> None:
    sheet = ReusingStylesheet(cache_file=tmp_path / CACHE_NAME)
    sheet.add_source("Screen { color: nonsense-colour-42; }", read_from=("test.tcss", ""))
    with pytest.raises(StylesheetError):
        sheet.parse()
    sheet.save_cache()
    assert not (tmp_path / CACHE_NAME).exists()
