"""`coach prompts list|show|path|copy|render`, `coach models`, `coach serve`: the LLM side of the CLI."""

from __future__ import annotations

import argparse
import asyncio
import shutil
import sys
import time
from pathlib import Path

from coach import paths, prompting
from coach.cli.output import add_json_flag, print_json, print_table
from coach.config import load_settings
from coach.errors import CoachError, UsageError
from coach.models import CHANNELS, CheckResult, Contact


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("prompts", help="list, show, copy or render the LLM prompt templates")
    psub = p.add_subparsers(dest="prompts_command", metavar="ACTION", required=True)

    ls = psub.add_parser("list", help="the templates, their versions and which file is used")
    add_json_flag(ls)
    ls.set_defaults(func=cmd_prompts_list)

    show = psub.add_parser("show", help="print a template's source")
    show.add_argument("name", metavar="NAME", help="e.g. check.j2 (the .j2 may be left off)")
    show.set_defaults(func=cmd_prompts_show)

    where = psub.add_parser("path", help="where your overrides go (or the file NAME resolves to)")
    where.add_argument("name", metavar="NAME", nargs="?")
    where.set_defaults(func=cmd_prompts_path)

    copy = psub.add_parser("copy", help="copy a shipped template into your folder to edit it")
    copy.add_argument("name", metavar="NAME")
    copy.set_defaults(func=cmd_prompts_copy)

    render = psub.add_parser("render", help="show exactly what would be sent for a draft")
    render.add_argument("draft", metavar="TEXT", help="the draft, or - to read stdin")
    render.add_argument("--contact", metavar="NAME_OR_ID", help="a stored contact")
    render.add_argument("--channel", choices=CHANNELS)
    add_json_flag(render)
    render.set_defaults(func=cmd_prompts_render)

    models = sub.add_parser("models", help="list the models the LLM endpoint serves")
    models.add_argument(
        "--endpoint", metavar="URL", help="else COACH_ENDPOINT, the config, a probe"
    )
    add_json_flag(models)
    models.set_defaults(func=cmd_models)

    serve = sub.add_parser(
        "serve", help="serve a GGUF model locally (needs the coach[embedded] extra)"
    )
    serve.add_argument("--model", required=True, metavar="FILE.gguf", type=Path)
    serve.add_argument("--port", type=int, default=8080)
    serve.add_argument("--ctx", type=int, default=4096, help="context size in tokens")
    serve.add_argument("--threads", type=int, help="CPU threads (default: cores - 1)")
    serve.set_defaults(func=cmd_serve)


def _name(name: str) -> str:
    return name if name.endswith(".j2") else name + ".j2"


def cmd_prompts_list(args: argparse.Namespace) -> int:
    infos = prompting.list_templates()
    if args.json:
        print_json(
            [
                {
                    "name": t.name,
                    "version": t.version,
                    "source": "user" if t.overridden else "shipped",
                    "path": str(t.path),
                }
                for t in infos
            ]
        )
        return 0
    print_table(
        ["name", "version", "from", "path"],
        [(t.name, t.version, "yours" if t.overridden else "shipped", t.path) for t in infos],
    )
    return 0


def cmd_prompts_show(args: argparse.Namespace) -> int:
    sys.stdout.write(prompting.template_path(_name(args.name)).read_text(encoding="utf-8"))
    return 0


def cmd_prompts_path(args: argparse.Namespace) -> int:
    if args.name:
        print(prompting.template_path(_name(args.name)))
    else:
        print(paths.user_prompts_dir())
    return 0


def cmd_prompts_copy(args: argparse.Namespace) -> int:
    name = _name(args.name)
    source = paths.shipped_prompts_dir() / name
    if not source.is_file():
        prompting.template_path(name)  # raises NotFoundError listing the known names
    target = paths.ensure_private_dir(paths.user_prompts_dir()) / name
    if target.exists():
        raise UsageError(f"{target} already exists.", "Edit it, or delete it to start again.")
    shutil.copyfile(source, target)
    print(target)
    return 0


def _offline_result(draft: str, contact: Contact | None, channel: str | None) -> CheckResult:
    """The offline analysis the prompt cites, if the offline coach is available in this build."""
    try:
        from coach.check import check_offline  # type: ignore[attr-defined,unused-ignore]
    except ImportError:
        return CheckResult()
    result = check_offline(draft, contact, channel)
    return result if isinstance(result, CheckResult) else CheckResult()


def cmd_prompts_render(args: argparse.Namespace) -> int:
    draft = sys.stdin.read() if args.draft == "-" else args.draft
    if not draft.strip():
        raise UsageError("The draft is empty.", "Give the text to check, or - to read stdin.")
    contact = None
    if args.contact:
        from coach.store import open_store

        with open_store() as store:
            contact = store.find_contact(args.contact)
    offline = _offline_result(draft, contact, args.channel)
    rendered = prompting.render_check(draft, contact, args.channel, offline)
    if args.json:
        print_json({"template": rendered.template, "messages": rendered.messages()})
    else:
        sys.stdout.write(rendered.as_text())
    return 0


def cmd_models(args: argparse.Namespace) -> int:
    from coach.llm.engine import resolve_engine

    choice = resolve_engine(load_settings(), endpoint=args.endpoint)
    if choice.coach is None or choice.coach.client is None:
        raise CoachError(f"No LLM endpoint to ask: {choice.reason}.", "Pass --endpoint URL.")
    client = choice.coach.client

    async def fetch() -> list[str]:
        try:
            return await client.list_models()
        finally:
            await client.aclose()

    models = asyncio.run(fetch())
    if args.json:
        print_json({"endpoint": client.endpoint.base_url, "models": models})
    else:
        print(f"{client.endpoint.base_url} serves:")
        for name in models:
            print(f"  {name}")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from coach.llm.embedded import start_server

    server = start_server(args.model, port=args.port, ctx=args.ctx, threads=args.threads)
    url = f"http://127.0.0.1:{args.port}/v1"
    print(f"Serving {args.model.name} at {url} (Ctrl-C stops it).")
    print(f"Use it with: coach check --endpoint {url} ...  or  export COACH_ENDPOINT={url}")
    sys.stdout.flush()
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        print("Stopped.")
    finally:
        del server
    return 0
