"""`coach contacts import/export`, `coach history export`, backup and forget.

Filled in by the imports issue; until then these commands are not registered.
"""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Top-level commands (export --all, import --all, forget)."""


def register_contacts(csub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`coach contacts import|export`."""


def register_history(hsub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`coach history export`."""
