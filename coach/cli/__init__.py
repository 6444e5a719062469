"""The `coach` command line: argparse, one module per command group.

Each module in this package has `register(subparsers)` adding its commands; a command is a function
`(args) -> int` stored as `args.func`. Errors of the CoachError family become one line on stderr
and their exit code (2 usage, 4 anything else that stopped the command).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from coach import __version__
from coach.errors import CoachError


class _Parser(argparse.ArgumentParser):
    """argparse that says what to do after a usage error, in one line, exit 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"coach: {message}. Try `{self.prog} --help`.\n")


def build_parser() -> argparse.ArgumentParser:
    from coach.cli import app_cmd, check, contacts, demo, doctor, history, llm_cmds, transfer

    parser = _Parser(
        prog="coach",
        description="Coaching on courtesy and pacing before you send a message. "
        "With no command, opens the full-screen app.",
    )
    parser.add_argument("--version", action="version", version=f"coach {__version__}")
    parser.add_argument(
        "--home",
        metavar="DIR",
        help="keep config and data together under DIR (also COACH_HOME)",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="open the app on a fresh copy of the demo data; your own data is never touched",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for module in (check, app_cmd, contacts, history, transfer, demo, doctor, llm_cmds):
        module.register(sub)
    parser.set_defaults(func=app_cmd.run_app)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from coach import paths

    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "home", None):
        paths.set_home(args.home)
    try:
        return int(args.func(args) or 0)
    except CoachError as exc:
        print(f"coach: {exc.one_line()}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("coach: interrupted; nothing was lost.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except OSError as exc:
        where = f" ({exc.filename})" if exc.filename else ""
        print(
            f"coach: {exc.strerror or exc}{where}. Nothing was changed; check the path and its "
            "permissions.",
            file=sys.stderr,
        )
        return 4


if __name__ == "__main__":
    raise SystemExit(main())
