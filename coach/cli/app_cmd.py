"""`coach` (the full-screen app), `coach --demo` and `coach quick`."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    quick = sub.add_parser("quick", help="the quick draft check as a small inline app")
    quick.add_argument("--contact", metavar="NAME_OR_ID", help="check against this contact")
    quick.set_defaults(func=run_quick)


def run_app(args: argparse.Namespace) -> int:
    from coach import paths

    if getattr(args, "demo", False):
        from coach.demo import make_demo_home

        paths.set_home(make_demo_home())
    from screens.app import CoachApp

    app = CoachApp(demo=bool(getattr(args, "demo", False)))
    app.run()
    return int(app.return_code or 0)


def run_quick(args: argparse.Namespace) -> int:
    from screens.quick import run_quick_inline

    return run_quick_inline(contact=args.contact)
