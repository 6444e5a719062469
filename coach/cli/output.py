"""Shared pieces of command output: JSON printing, tables, the --json and --limit options."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Sequence
from typing import Any

import orjson
from rich.cells import cell_len


def print_json(data: Any) -> None:
    sys.stdout.write(orjson.dumps(data, option=orjson.OPT_INDENT_2).decode() + "\n")


def print_json_line(data: Any) -> None:
    sys.stdout.write(orjson.dumps(data).decode() + "\n")


def add_json_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")


def add_limit_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--limit",
        type=_non_negative_int,
        default=50,
        metavar="N",
        help="show at most N (default 50, 0 = all)",
    )


def _non_negative_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got '{text}'") from None
    if value < 0:
        raise argparse.ArgumentTypeError("expected 0 or more")
    return value


def print_table(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """A plain, aligned text table (no colour: safe in pipes)."""
    table = [[str(h) for h in headers], *[[_cell(v) for v in row] for row in rows]]
    # Terminal cells, not characters: "김서연" is three characters and six cells wide.
    widths = [max(cell_len(r[i]) for r in table) for i in range(len(headers))]
    for n, row in enumerate(table):
        print("  ".join(cell + " " * (widths[i] - cell_len(cell))
                        for i, cell in enumerate(row)).rstrip())
        if n == 0:
            print("  ".join("-" * w for w in widths))


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    text = text.replace("\n", " ")
    return text if len(text) <= 60 else text[:57] + "..."
