"""`coach check`: filled in by the offline-coach issue."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Adds `coach check`."""
