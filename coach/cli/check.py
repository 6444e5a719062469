"""`coach check` (one draft or a JSONL batch) and `coach mute | unmute | mutes`."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from typing import Any

import orjson
from pydantic import ValidationError

from coach.analysis.verdict import PACING_RULES
from coach.batch import run_batch, validation_message
from coach.check import run_check
from coach.cli.output import add_json_flag, print_json, print_json_line, print_table
from coach.diffing import PLAIN_MARKS, change_summary, word_diff
from coach.errors import NotFoundError, UsageError
from coach.llm.engine import LLMCoach
from coach.models import CHANNELS, CheckRecord, CheckResult, Contact, Mute
from coach.store import Store, open_store
from coach.timefmt import shown

STRICT_EXIT = {"ok": 0, "revise": 1, "hold": 3}
KNOWN_RULES = tuple(sorted(PACING_RULES))
_COLOURS = {"stop": "\x1b[1;31m", "warn": "\x1b[33m", "info": "\x1b[36m"}
_RESET = "\x1b[0m"


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Adds `coach check`, `coach mute`, `coach unmute` and `coach mutes`."""
    p = sub.add_parser(
        "check",
        help="check a draft before you send it",
        description="Check a draft for courtesy and pacing. Exit 0 when the check "
        "ran; with --strict, 1 for revise and 3 for hold.",
    )
    p.add_argument(
        "text",
        nargs="?",
        metavar="TEXT | -",
        help="the draft; '-' (or nothing, with a pipe) reads stdin",
    )
    p.add_argument(
        "--contact",
        metavar="NAME_OR_ID",
        help="a stored contact, or a whole contact as an inline JSON object",
    )
    p.add_argument("--channel", choices=CHANNELS, help="where the message goes")
    p.add_argument("--offline", action="store_true", help="use the offline coach only, no LLM")
    p.add_argument("--strict", action="store_true", help="exit 1 for revise, 3 for hold")
    p.add_argument("--no-history", action="store_true", help="do not record this check")
    p.add_argument("--endpoint", metavar="URL", help="OpenAI-compatible endpoint for the LLM")
    p.add_argument("--model", metavar="NAME", help="model name on that endpoint")
    p.add_argument(
        "--batch",
        metavar="FILE.jsonl",
        help="check one JSON object per line ('-' reads stdin); JSON lines out",
    )
    p.add_argument(
        "--concurrency",
        type=int,
        default=4,
        metavar="N",
        help="with --batch and an LLM: requests in flight at once (default 4)",
    )
    add_json_flag(p)
    p.set_defaults(func=cmd_check)

    m = sub.add_parser("mute", help="silence a rule, for everyone or for one contact")
    m.add_argument("rule", help=f"a rule id, e.g. {', '.join(KNOWN_RULES[:4])}")
    m.add_argument("--contact", metavar="NAME_OR_ID", help="only for this contact")
    m.add_argument("--reason", required=True, help="why (kept with the mute)")
    add_json_flag(m)
    m.set_defaults(func=cmd_mute)

    u = sub.add_parser("unmute", help="bring a muted rule back")
    u.add_argument("rule")
    u.add_argument("--contact", metavar="NAME_OR_ID", help="the contact the mute was for")
    add_json_flag(u)
    u.set_defaults(func=cmd_unmute)

    ls = sub.add_parser("mutes", help="list muted rules and why")
    ls.add_argument("--contact", metavar="NAME_OR_ID", help="global mutes plus this contact's")
    add_json_flag(ls)
    ls.set_defaults(func=cmd_mutes)


# -- check ----------------------------------------------------------------------------------
def cmd_check(args: argparse.Namespace) -> int:
    if args.batch and args.text:
        raise UsageError("Give either a draft or --batch FILE, not both.")
    llm, why = _resolve_llm(args)
    with open_store() as store:
        record = not args.no_history and _history_enabled(args)
        if args.batch:
            return _run_batch(args, store, llm, record)
        draft = _read_draft(args.text)
        contact = _resolve_contact(args.contact, store)
        rec = asyncio.run(
            run_check(
                draft, contact, args.channel, store=store, llm=llm, record=record, on_delta=None
            )
        )
    result = rec.result
    if args.json:
        data = result.to_json_dict()
        if record:
            data["history_id"] = rec.id
        print_json(data)
    else:
        print_human(draft, rec, colour=_use_colour())
        if llm is None and not args.offline and why and _llm_asked_for(args):
            # Quiet by default: the reason is shown only to someone who set an LLM up.
            print(f"(offline coach: {why})")
    return STRICT_EXIT[result.verdict] if args.strict else 0


def _history_enabled(args: argparse.Namespace) -> bool:
    from coach.config import load_settings
    from coach.errors import ConfigError

    try:
        return load_settings().history
    except ConfigError:
        if args.offline:
            return True  # a broken config must not stop an offline check; --offline needs none
        raise


def _llm_asked_for(args: argparse.Namespace) -> bool:
    """Did the user name an endpoint or model (flags, environment or config)?"""
    if args.endpoint or args.model or os.environ.get("COACH_ENDPOINT") or os.environ.get(
        "COACH_MODEL"
    ):
        return True
    from coach.config import load_settings

    return bool(load_settings().endpoint)


def _resolve_llm(args: argparse.Namespace) -> tuple[LLMCoach | None, str]:
    """The LLM coach to use, if any, and the one-line reason for the choice."""
    if args.offline:
        return None, "--offline"
    from coach.config import load_settings
    from coach.llm import engine

    choice = engine.resolve_engine(
        load_settings(),
        endpoint=args.endpoint,
        model=args.model,
        api_key=os.environ.get("COACH_API_KEY"),
        offline=False,
    )
    return choice.coach, choice.reason


def _read_draft(text: str | None) -> str:
    if text is None and sys.stdin.isatty():
        raise UsageError(
            "No draft given.", "Pass it as an argument, or pipe it in: `... | coach check -`."
        )
    if text is None or text == "-":
        data = sys.stdin.buffer.read()
        text = data.decode("utf-8", errors="replace")
    if not text.strip():
        raise UsageError(
            "The draft is empty: there is nothing to check.",
            "Pass the text as an argument, or pipe it in with `-`.",
        )
    return text


def _resolve_contact(ref: str | None, store: Store) -> Contact | None:
    if ref is None:
        return None
    if ref.lstrip().startswith("{"):
        try:
            data = orjson.loads(ref)
        except orjson.JSONDecodeError as exc:
            raise UsageError(
                f"--contact is not valid JSON ({exc.msg}).",
                "Give a stored contact's name or id, or a JSON object.",
            ) from exc
        try:
            return Contact.model_validate(data)
        except ValidationError as exc:
            raise UsageError(
                f"--contact is not a valid contact ({validation_message(exc)}).",
                "Give name, context and the relationship fields; see the README's "
                "batch input format.",
            ) from exc
    return store.find_contact(ref)


def _run_batch(args: argparse.Namespace, store: Store, llm: LLMCoach | None, record: bool) -> int:
    def emit(obj: dict[str, Any]) -> None:
        print_json_line(obj)
        sys.stdout.flush()

    from coach.batch_llm import ProgressBar

    if args.concurrency < 1:
        raise UsageError("--concurrency must be 1 or more.")
    bar = ProgressBar() if llm is not None else None  # the offline coach is too fast to need one
    more = {"concurrency": args.concurrency, "progress": bar}
    if args.batch == "-":
        failed = asyncio.run(
            run_batch(sys.stdin.buffer, emit, store=store, llm=llm, record=record, **more)
        )
    else:
        try:
            fh = open(args.batch, "rb")  # noqa: SIM115 - closed below, after the run
        except OSError as exc:
            raise UsageError(
                f"Cannot read the batch file {args.batch}: {exc.strerror}.",
                "Check the path, or use '-' to read stdin.",
            ) from exc
        with fh:
            failed = asyncio.run(run_batch(fh, emit, store=store, llm=llm, record=record, **more))
    if bar is not None:
        bar.finish()
    if failed:
        print(
            f"coach: {failed} batch line{'s' if failed != 1 else ''} could not be checked; "
            "see the error objects in the output.",
            file=sys.stderr,
        )
        return 4
    return 0


def _use_colour() -> bool:
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


_CONTROL = {c: chr(0x2400 + c) for c in range(0x20) if chr(c) not in "\n\t"}
_CONTROL.update({0x7F: "\u2421", **{c: "\ufffd" for c in range(0x80, 0xA0)}})


def printable(text: str) -> str:
    """Control characters shown as visible symbols, so a draft cannot drive the terminal."""
    return text.translate(_CONTROL)


def highlight(draft: str, result: CheckResult, colour: bool) -> str:
    """The draft with flagged spans marked: ANSI colour on a terminal, [[brackets]] otherwise."""
    spans = sorted((f for f in result.flags if f.end > f.start), key=lambda f: (f.start, -f.end))
    out: list[str] = []
    pos = 0
    for f in spans:
        if f.start < pos:
            continue  # nested or overlapping: the outer span is already marked
        out.append(printable(draft[pos : f.start]))
        piece = printable(draft[f.start : f.end])
        out.append(f"{_COLOURS[f.severity]}{piece}{_RESET}" if colour else f"[[{piece}]]")
        pos = f.end
    out.append(printable(draft[pos:]))
    return "".join(out)


_DIFF_COLOURS = {"=": "{}", "-": "\x1b[9;31m{}" + _RESET, "+": "\x1b[1;32m{}" + _RESET}


def diff_line(draft: str, rewrite: str, colour: bool) -> str:
    """The rewrite as edits of the draft, on one line: struck red / bold green on a terminal,
    [-removed-]{+added+} otherwise (as `git diff --word-diff=plain` writes it)."""
    marks = _DIFF_COLOURS if colour else PLAIN_MARKS
    ops = word_diff(draft, rewrite)
    # Whitespace trimmed off either end is not worth a mark of its own.
    while ops and ops[-1][0] != "=" and not ops[-1][1].strip():
        ops.pop()
    while ops and ops[0][0] != "=" and not ops[0][1].strip():
        ops.pop(0)
    return "".join(marks[op].format(printable(text.replace("\n", " "))) for op, text in ops)


def print_human(draft: str, rec: CheckRecord, colour: bool) -> None:
    r = rec.result
    print(highlight(draft, r, colour).rstrip())
    print()
    for f in r.flags:
        label = f"{_COLOURS[f.severity]}{f.severity}{_RESET}" if colour else f.severity
        words = f' "{printable(draft[f.start : f.end])}"' if f.end > f.start and f.end - f.start <= 60 else ""
        fact = (
            f" ({f.evidence}; {f.source})" if f.evidence else f" ({f.source})" if f.source else ""
        )
        print(f"  {label} {f.rule}{words}: {f.message}{fact}")
    s = r.scores
    print(
        f"Verdict: {r.verdict.upper()}  (courtesy {s.courtesy:.2f}, intimacy {s.intimacy:.2f}, "
        f"pacing {s.pacing:.2f}; stage {r.stage}; {r.engine})"
    )
    if r.advice:
        print(f"Advice: {r.advice}")
    if r.rewrite:
        # The edit first (rewrites should mostly remove words), then the text to copy.
        print(f"Changes: {diff_line(draft, r.rewrite, colour)}  "
              f"({change_summary(draft, r.rewrite)})")
        print(f"Rewrite: {printable(r.rewrite)}")
    if rec.coaching:
        print()
        print(printable(rec.coaching.strip()))
    if r.llm_error:
        print(f"(LLM not used: {r.llm_error})")


# -- mutes ----------------------------------------------------------------------------------
def cmd_mute(args: argparse.Namespace) -> int:
    rule = args.rule.strip()
    if not rule or not args.reason.strip():
        raise UsageError("Both a rule and a --reason are needed.")
    with open_store() as store:
        contact = store.find_contact(args.contact) if args.contact else None
        mute = store.add_mute(
            Mute(rule=rule, contact_id=contact.id if contact else None, reason=args.reason.strip())
        )
    if rule not in KNOWN_RULES and not args.json:
        print(
            f"coach: note: '{rule}' is not one of the pacing rules; it will still silence a "
            "courtesy rule of that name.",
            file=sys.stderr,
        )
    if args.json:
        print_json(_mute_json(mute, contact))
    else:
        who = f"for {contact.name}" if contact else "for everyone"
        print(f"Muted {rule} {who}: {mute.reason}")
    return 0


def cmd_unmute(args: argparse.Namespace) -> int:
    with open_store() as store:
        contact = store.find_contact(args.contact) if args.contact else None
        removed = store.remove_mute(args.rule, contact.id if contact else None)
    who = f"for {contact.name}" if contact else "for everyone"
    if not removed:
        raise NotFoundError(f"{args.rule} is not muted {who}.", "`coach mutes` lists the mutes.")
    if args.json:
        print_json({"unmuted": args.rule, "contact_id": contact.id if contact else None})
    else:
        print(f"Unmuted {args.rule} {who}.")
    return 0


def cmd_mutes(args: argparse.Namespace) -> int:
    with open_store() as store:
        if args.contact:
            contact = store.find_contact(args.contact)
            pairs = [(m, contact if m.contact_id else None) for m in store.list_mutes(contact.id)]
        else:
            pairs = [(m, None) for m in store.list_mutes(None)]
            for c in store.list_contacts(limit=0):
                pairs += [(m, c) for m in store.list_mutes(c.id) if m.contact_id == c.id]
    if args.json:
        print_json([_mute_json(m, c) for m, c in pairs])
        return 0
    if not pairs:
        print("No rules are muted.")
        return 0
    print_table(
        ["rule", "for", "reason", "since"],
        [
            (m.rule, c.name if c else "everyone", m.reason, shown(m.created, "%Y-%m-%d"))
            for m, c in pairs
        ],
    )
    return 0


def _mute_json(m: Mute, contact: Contact | None) -> dict[str, Any]:
    data = m.model_dump(mode="json")
    data["contact_name"] = contact.name if contact else None
    return data
