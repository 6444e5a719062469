"""`coach demo [load]`: the demo contacts in your own home (or a throwaway one)."""

from __future__ import annotations

import argparse

from coach.cli.output import add_json_flag, print_json
from coach.demo import load_demo
from coach.paths import data_dir
from coach.store import open_store


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("demo", help="load the demo contacts into this home",
                       description="Load the demo contacts into this home. With no ACTION: load.")
    dsub = p.add_subparsers(dest="demo_command", metavar="ACTION")
    load = dsub.add_parser("load", help="add the demo contacts (existing ones are left alone)")
    add_json_flag(load)
    load.set_defaults(func=cmd_load)
    # `coach demo` alone loads: it is what the command's own help line says it does.
    add_json_flag(p)
    p.set_defaults(func=lambda args: cmd_load(load.parse_args([], namespace=args)))


def cmd_load(args: argparse.Namespace) -> int:
    with open_store() as store:
        added = load_demo(store)
        total = store.count_contacts()
    if args.json:
        print_json({"added": added, "contacts": total, "data_dir": str(data_dir())})
    else:
        print(f"Loaded {added} demo contacts into {data_dir()} ({total} contacts in all).")
    return 0
