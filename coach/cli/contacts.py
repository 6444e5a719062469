"""`coach contacts list | show | add | delete` (import and export live in transfer.py)."""

from __future__ import annotations

import argparse
from typing import Any

from pydantic import ValidationError

from coach.cli.output import add_json_flag, add_limit_flag, print_json, print_table
from coach.errors import UsageError
from coach.models import CHANNELS, CONTEXTS, STAGES, Contact
from coach.store import open_store
from coach.timefmt import shown


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from coach.cli import transfer

    p = sub.add_parser("contacts", help="list, show, add, import, export or delete contacts",
                       description="List, show, add, import, export or delete contacts. "
                       "With no ACTION: list.")
    csub = p.add_subparsers(dest="contacts_command", metavar="ACTION")

    ls = csub.add_parser("list", help="list contacts, sorted by name (the default)")
    ls.add_argument("--search", help="only contacts whose name or handle contains this")
    add_limit_flag(ls)
    add_json_flag(ls)
    ls.set_defaults(func=cmd_list)
    # `coach contacts` alone lists (as `coach history` does), and takes list's options.
    p.add_argument("--search", help="only contacts whose name or handle contains this")
    add_limit_flag(p)
    add_json_flag(p)
    p.set_defaults(func=lambda args: cmd_list(ls.parse_args([], namespace=args)))

    show = csub.add_parser("show", help="show one contact and the relationship so far")
    show.add_argument("contact", metavar="NAME_OR_ID")
    add_json_flag(show)
    show.set_defaults(func=cmd_show)

    add = csub.add_parser("add", help="add a contact")
    add.add_argument("name")
    add.add_argument("--preferred-name", default="", help="the name form they use")
    add.add_argument("--pronouns", default="")
    add.add_argument("--context", choices=CONTEXTS, default="personal")
    add.add_argument("--stage", choices=STAGES, help="declared stage (else computed)")
    add.add_argument("--how-met", default="")
    add.add_argument("--handle", action="append", default=[], metavar="KIND=VALUE",
                     help="e.g. --handle x=@dana --handle email=dana@example.com")
    add.add_argument("--notes", default="")
    add_json_flag(add)
    add.set_defaults(func=cmd_add)

    rm = csub.add_parser("delete", help="delete a contact and everything about them")
    rm.add_argument("contact", metavar="NAME_OR_ID")
    rm.add_argument("--keep-history", action="store_true", help="keep their check history")
    add_json_flag(rm)
    rm.set_defaults(func=cmd_delete)

    transfer.register_contacts(csub)


def contact_summary(c: Contact) -> dict[str, Any]:
    last = max((i.at for i in c.interactions), default=None)
    return {
        "id": c.id,
        "name": c.name,
        "preferred_name": c.preferred_name,
        "context": c.context,
        "stage": c.stage,
        "interactions": len(c.interactions),
        "last_contact": last.isoformat() if last else None,
    }


def cmd_list(args: argparse.Namespace) -> int:
    with open_store() as store:
        contacts = store.list_contacts(limit=args.limit, search=args.search)
    if args.json:
        print_json([contact_summary(c) for c in contacts])
        return 0
    if not contacts:
        print("No contacts yet. Add one with `coach contacts add NAME`, or load the demo data "
              "with `coach demo load`.")
        return 0
    print_table(
        ["id", "name", "context", "stage", "msgs", "last contact"],
        [
            (s["id"], s["name"], s["context"], s["stage"] or "-", s["interactions"],
             (s["last_contact"] or "-")[:10])
            for s in map(contact_summary, contacts)
        ],
    )
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    with open_store() as store:
        c = store.find_contact(args.contact)
    if args.json:
        print_json(c.model_dump(mode="json"))
        return 0
    name = c.name + (f" ({c.preferred_name})" if c.preferred_name else "")
    print(f"{name}  [{c.id}]")
    for label, value in (("pronouns", c.pronouns), ("context", c.context),
                         ("stage", c.stage or "computed from the evidence"),
                         ("how met", c.how_met), ("notes", c.notes)):
        if value:
            print(f"  {label}: {value}")
    for kind, value in c.handles.items():
        print(f"  {kind}: {value}")
    if c.preferences:
        print("Stated preferences:")
        for p in c.preferences:
            quote = f' ("{p.quote}")' if p.quote else ""
            print(f"  - {p.kind}: {p.value}{quote}")
    if c.disclosures:
        print("Disclosures:")
        for d in c.disclosures:
            who = "they" if d.who == "them" else "you"
            print(f"  - {who}: {d.topic} (depth {d.depth}{', private' if d.private else ''})")
    if c.interactions:
        print(f"Interactions ({len(c.interactions)}, newest last):")
        for i in sorted(c.interactions, key=lambda i: i.at)[-10:]:
            arrow = "<-" if i.direction == "in" else "->"
            print(f"  {shown(i.at)} {arrow} {i.channel}: {i.text[:70]}")
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    handles: dict[str, str] = {}
    for h in args.handle:
        kind, sep, value = h.partition("=")
        if not sep or not kind.strip() or not value.strip():
            raise UsageError(f"--handle expects KIND=VALUE, got '{h}'.", "e.g. --handle x=@dana")
        handles[kind.strip()] = value.strip()
    try:
        contact = Contact(
            name=args.name, preferred_name=args.preferred_name, pronouns=args.pronouns,
            context=args.context, stage=args.stage, how_met=args.how_met, handles=handles,
            notes=args.notes,
        )
    except ValidationError as exc:
        raise UsageError(f"Cannot add that contact: {exc.errors()[0]['msg']}.") from exc
    with open_store() as store:
        store.add_contact(contact)
    if args.json:
        print_json(contact.model_dump(mode="json"))
    else:
        print(f"Added {contact.name} ({contact.id}).")
    return 0


def cmd_delete(args: argparse.Namespace) -> int:
    with open_store() as store:
        c = store.find_contact(args.contact)
        store.delete_contact(c.id, with_history=not args.keep_history)
    if args.json:
        print_json({"deleted": c.id, "name": c.name})
    else:
        print(f"Deleted {c.name} ({c.id}).")
    return 0


__all__ = ["CHANNELS", "register"]
