"""Every test runs with COACH_HOME in a temporary folder; nothing touches real user dirs."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from coach import paths

# Times on screen and in human output are local: pin the zone so the snapshots and the expected
# text are the same on every machine (the CLI tests' child processes inherit it).
os.environ["TZ"] = "UTC"
time.tzset()


@pytest.fixture(autouse=True)
def coach_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    home = tmp_path / "coach-home"
    home.mkdir(mode=0o700)
    monkeypatch.setenv("COACH_HOME", str(home))
    for var in ("COACH_ENDPOINT", "COACH_MODEL", "COACH_API_KEY"):
        monkeypatch.delenv(var, raising=False)
    paths.set_home(None)
    yield home
    paths.set_home(None)
