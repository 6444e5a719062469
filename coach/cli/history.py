"""`coach history list | show | delete` (export lives in transfer.py)."""

from __future__ import annotations

import argparse
from datetime import datetime

from coach.cli.output import add_json_flag, add_limit_flag, print_json, print_table
from coach.errors import NotFoundError, UsageError
from coach.store import open_store
from coach.timefmt import shown, typed


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from coach.cli import transfer

    p = sub.add_parser("history", help="review the coaching history",
                       description="Review the coaching history. With no ACTION: list.")
    hsub = p.add_subparsers(dest="history_command", metavar="ACTION")

    ls = hsub.add_parser("list", help="list checks, newest first (the default)")
    add_history_filters(ls)
    add_limit_flag(ls)
    add_json_flag(ls)
    ls.set_defaults(func=cmd_list)
    # `coach history` alone lists, and takes list's options.
    add_history_filters(p)
    add_limit_flag(p)
    add_json_flag(p)
    p.set_defaults(func=lambda args: cmd_list(ls.parse_args([], namespace=args)))

    show = hsub.add_parser("show", help="show one check in full")
    show.add_argument("id")
    add_json_flag(show)
    show.set_defaults(func=cmd_show)

    rm = hsub.add_parser("delete", help="delete one check from the history")
    rm.add_argument("id")
    add_json_flag(rm)
    rm.set_defaults(func=cmd_delete)

    transfer.register_history(hsub)


def add_history_filters(p: argparse.ArgumentParser) -> None:
    p.add_argument("--contact", metavar="NAME_OR_ID", help="only checks for this contact")
    p.add_argument("--verdict", choices=("ok", "revise", "hold"))
    p.add_argument("--since", type=parse_date, metavar="DATE", help="ISO date or time")
    p.add_argument("--until", type=parse_date, metavar="DATE", help="ISO date or time")
    p.add_argument("--search", metavar="TEXT", help="only drafts containing TEXT")


def parse_date(text: str) -> datetime:
    """An ISO date or time; without a zone it is local time, as shown in the app."""
    try:
        return typed(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not an ISO date (e.g. 2026-11-20 or 2026-11-20T10:00)"
        ) from None


def history_filters(args: argparse.Namespace, store: object) -> dict[str, object]:
    contact_id = None
    if args.contact:
        contact_id = store.find_contact(args.contact).id  # type: ignore[attr-defined]
    return {
        "contact_id": contact_id,
        "verdict": args.verdict,
        "since": args.since,
        "until": args.until,
        "text": args.search,
    }


def cmd_list(args: argparse.Namespace) -> int:
    with open_store() as store:
        filters = history_filters(args, store)
        records = store.list_checks(limit=args.limit, **filters)  # type: ignore[arg-type]
    if args.json:
        print_json([r.model_dump(mode="json", exclude={"prompt"}) for r in records])
        return 0
    if not records:
        print("No checks recorded yet. Try `coach check \"your draft\"`.")
        return 0
    print_table(
        ["id", "when", "contact", "verdict", "draft"],
        [(r.id, shown(r.created), r.contact_name or "-", r.result.verdict, r.draft)
         for r in records],
    )
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    with open_store() as store:
        r = store.get_check(args.id)
    if r is None:
        raise NotFoundError(f"No history record '{args.id}'.", "`coach history list` shows the ids.")
    if args.json:
        print_json(r.model_dump(mode="json"))
        return 0
    print(f"{r.id}  {shown(r.created)}  {r.contact_name or 'no contact'}"
          f"  {r.channel or ''}  engine {r.engine}{'  (sent)' if r.sent else ''}")
    print(f"verdict: {r.result.verdict}   courtesy {r.result.scores.courtesy:.2f}  "
          f"intimacy {r.result.scores.intimacy:.2f}  pacing {r.result.scores.pacing:.2f}")
    print()
    print(r.draft)
    print()
    for f in r.result.flags:
        print(f"- [{f.severity}] {f.rule}: {f.message} ({r.draft[f.start:f.end]!r})")
        if f.evidence:
            print(f"    because: {f.evidence}")
    if r.result.advice:
        print(f"advice: {r.result.advice}")
    if r.result.rewrite:
        print(f"rewrite: {r.result.rewrite}")
    return 0


def cmd_delete(args: argparse.Namespace) -> int:
    with open_store() as store:
        if not store.delete_check(args.id):
            raise NotFoundError(f"No history record '{args.id}'.",
                                "`coach history list` shows the ids.")
    if args.json:
        print_json({"deleted": args.id})
    else:
        print(f"Deleted {args.id}.")
    return 0


__all__ = ["UsageError", "register"]
