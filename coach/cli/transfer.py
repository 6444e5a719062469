"""`coach contacts import|export`, `coach history export`, `coach export|import --all`, `coach forget`.

Imports are planned whole (and shown) before anything is written; --dry-run stops there.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from coach.cli.output import add_json_flag, print_json
from coach.errors import UsageError
from coach.imports.progress import Progress, no_progress
from coach.store import open_store

IMPORT_FORMATS = ("auto", "linkedin", "x", "vcard", "google")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Top-level commands (export --all, import --all, forget)."""
    ex = sub.add_parser("export", help="write a complete backup (export --all FILE)")
    ex.add_argument("--all", action="store_true", dest="everything",
                    help="everything: contacts, history, mutes, drafts")
    ex.add_argument("file", metavar="FILE")
    add_json_flag(ex)
    ex.set_defaults(func=cmd_export_all)

    im = sub.add_parser("import", help="restore a complete backup (import --all FILE)")
    im.add_argument("--all", action="store_true", dest="everything",
                    help="a backup made by `coach export --all`")
    im.add_argument("file", metavar="FILE")
    im.add_argument("--replace", action="store_true",
                    help="wipe the data already in this home first")
    im.add_argument("--dry-run", action="store_true", help="check the backup, write nothing")
    add_json_flag(im)
    im.set_defaults(func=cmd_import_all)

    fg = sub.add_parser("forget", help="delete a person and everything about them")
    fg.add_argument("contact", metavar="NAME_OR_ID")
    fg.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    add_json_flag(fg)
    fg.set_defaults(func=cmd_forget)


def register_contacts(csub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`coach contacts import|export`."""
    im = csub.add_parser("import", help="import a LinkedIn, X, vCard or Google Contacts export")
    im.add_argument("path", metavar="PATH", help="a zip, a folder or a file")
    im.add_argument("--format", choices=IMPORT_FORMATS, default="auto")
    im.add_argument("--dry-run", action="store_true", help="show what would change, write nothing")
    add_json_flag(im)
    im.set_defaults(func=cmd_import)

    ex = csub.add_parser("export", help="export contacts as vCard 4.0, CSV or JSON")
    ex.add_argument("file", metavar="FILE")
    ex.add_argument("--format", choices=("vcard", "csv", "json"),
                    help="default: from the file name (.vcf, .csv, .json)")
    ex.add_argument("--search", help="only contacts whose name or handle contains this")
    add_json_flag(ex)
    ex.set_defaults(func=cmd_export_contacts)


def register_history(hsub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`coach history export`."""
    from coach.cli.history import add_history_filters

    ex = hsub.add_parser("export", help="export the history as Markdown, JSON or CSV")
    ex.add_argument("file", metavar="FILE")
    ex.add_argument("--format", choices=("markdown", "json", "csv"),
                    help="default: from the file name (.md, .json, .csv)")
    add_history_filters(ex)
    add_json_flag(ex)
    ex.set_defaults(func=cmd_export_history)


def progress_bar() -> Progress:
    """A one-line bar on stderr, only when a person is watching it (stderr is a terminal)."""
    if not sys.stderr.isatty():
        return no_progress
    last = [0.0]

    def show(what: str, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - last[0] < 0.1:
            return
        last[0] = now
        frac = min(1.0, done / total) if total else 1.0
        bar = "#" * int(frac * 30)
        end = "\n" if done >= total else ""
        sys.stderr.write(f"\r{what:22} [{bar:30}] {frac:4.0%}{end}")
        sys.stderr.flush()

    return show


def cmd_import(args: argparse.Namespace) -> int:
    from coach.imports import apply_plan, plan_import

    with open_store() as store:
        plan = plan_import(store, args.path, args.format, progress_bar())
        if not args.dry_run:
            apply_plan(store, plan)
    if args.json:
        print_json(plan.summary())
        return 0
    for line in plan.describe():
        print(line)
    if args.dry_run:
        print("Dry run: nothing was written. Run again without --dry-run to import.")
    elif plan.changes:
        print(f"Imported: {len(plan.new)} added, {len(plan.merged)} merged.")
    else:
        print("Nothing to change: everything in this export is already here.")
    return 0


def cmd_export_contacts(args: argparse.Namespace) -> int:
    from coach.export import export_contacts

    path = Path(args.file)
    with open_store() as store:
        contacts = store.list_contacts(limit=0, search=args.search)
    fmt = export_contacts(contacts, path, args.format)
    return _done(args, {"file": str(path), "format": fmt, "contacts": len(contacts)},
                 f"Wrote {len(contacts)} contact(s) to {path} ({fmt}).")


def cmd_export_history(args: argparse.Namespace) -> int:
    from coach.cli.history import history_filters
    from coach.export import export_history

    path = Path(args.file)
    with open_store() as store:
        filters = history_filters(args, store)
        records = store.list_checks(limit=0, **filters)  # type: ignore[arg-type]
    fmt = export_history(records, path, args.format)
    return _done(args, {"file": str(path), "format": fmt, "checks": len(records)},
                 f"Wrote {len(records)} check(s) to {path} ({fmt}).")


def _need_all(args: argparse.Namespace, verb: str) -> None:
    if not args.everything:
        raise UsageError(f"`coach {verb}` needs --all (a complete backup).",
                         f"For parts, use `coach contacts {verb}` or `coach history export`.")


def cmd_export_all(args: argparse.Namespace) -> int:
    from coach.backup import export_all

    _need_all(args, "export")
    path = Path(args.file)
    with open_store() as store:
        counts = export_all(store, path)
    summary = ", ".join(f"{n} {k}" for k, n in counts.items())
    return _done(args, {"file": str(path), **counts}, f"Backed up {summary} to {path}.")


def cmd_import_all(args: argparse.Namespace) -> int:
    from coach.backup import read_backup, restore

    _need_all(args, "import")
    backup = read_backup(Path(args.file))
    counts = backup.counts()
    summary = ", ".join(f"{n} {k}" for k, n in counts.items())
    if args.dry_run:
        return _done(args, {"file": args.file, "applied": False, **counts},
                     f"{args.file} is a valid backup ({summary}). Dry run: nothing was written.")
    with open_store() as store:
        restore(store, backup, replace=args.replace)
    return _done(args, {"file": args.file, "applied": True, **counts},
                 f"Restored {summary} from {args.file}.")


def cmd_forget(args: argparse.Namespace) -> int:
    from coach.backup import forget

    with open_store() as store:
        contact = store.find_contact(args.contact)
        if not args.yes:
            _confirm(f"Forget {contact.name} ({contact.id}): the contact, "
                     f"{len(contact.interactions)} interaction(s), their check history, mutes "
                     "and drafts? This cannot be undone. Type yes to confirm: ")
        counts = forget(store, contact)
    return _done(args, {"forgot": contact.id, "name": contact.name, **counts},
                 f"Forgot {contact.name}: {counts['interactions']} interaction(s), "
                 f"{counts['history']} check(s), {counts['mutes']} mute(s), "
                 f"{counts['drafts']} draft(s) deleted.")


def _confirm(question: str) -> None:
    if not sys.stdin.isatty():
        raise UsageError("Not forgetting anyone without a confirmation.",
                         "Run it in a terminal, or add --yes.")
    try:
        answer = input(question)
    except EOFError:
        answer = ""
    if answer.strip().casefold() not in ("yes", "y"):
        raise UsageError("Not confirmed; nothing was deleted.")


def _done(args: argparse.Namespace, data: dict[str, object], text: str) -> int:
    if args.json:
        print_json(data)
    else:
        print(text)
    return 0
