"""`coach prompts ...`, `coach models`, `coach serve`: filled in by the LLM issue."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Adds the LLM-related commands."""
