"""`coach doctor`: where things are, whether the store opens, which engine a check would use."""

from __future__ import annotations

import argparse
import sys

from coach import __version__, paths
from coach.cli.output import add_json_flag, print_json
from coach.config import load_settings
from coach.errors import CoachError
from coach.store import open_store


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("doctor", help="report the home, the store and the LLM endpoint in use")
    add_json_flag(p)
    p.set_defaults(func=cmd_doctor)


def gather() -> dict[str, object]:
    report: dict[str, object] = {
        "version": __version__,
        "python": sys.version.split()[0],
        "home": str(paths.home_override()) if paths.home_override() else None,
        "config_file": str(paths.config_file()),
        "data_dir": str(paths.data_dir()),
        "cache_dir": str(paths.cache_dir()),
    }
    try:
        settings = load_settings()
        report["config"] = "ok" if paths.config_file().exists() else "defaults (no file)"
    except CoachError as exc:
        settings = None
        report["config"] = exc.one_line()
    try:
        with open_store() as store:
            report["store"] = {
                "status": "ok",
                "schema_version": store.schema_version,
                "contacts": store.count_contacts(),
                "checks": store.count_checks(),
            }
    except CoachError as exc:
        report["store"] = {"status": "error", "error": exc.one_line()}
    report["engine"] = describe_engine(settings)
    return report


def describe_engine(settings: object) -> dict[str, object]:
    """Which engine `coach check` would use, the endpoint and model, and why (probes local ports)."""
    from coach.config import Settings
    from coach.llm.endpoints import probe_local
    from coach.llm.engine import resolve_engine

    choice = resolve_engine(settings if isinstance(settings, Settings) else None)
    report: dict[str, object] = {"engine": "offline", "why": choice.reason}
    llm = choice.coach
    if llm is not None and llm.endpoint is not None:
        status, models = _reachability(llm)
        model = llm.model or (models[0] if models else "")
        usable = status.startswith("ok")
        report["engine"] = f"llm:{model}" if usable else "offline (the LLM endpoint is not usable)"
        report["endpoint"] = llm.endpoint.base_url
        report["model"] = model or "(the first one the server lists)"
        report["source"] = llm.endpoint.source
        report["status"] = status
    found = probe_local()
    report["found_locally"] = [
        f"{h.name} at {h.base_url}: {', '.join(h.models[:5])}" for h in found
    ]
    return report


def _reachability(llm: object) -> tuple[str, list[str]]:
    """Ask the endpoint for its models, briefly: ("ok, serves: ...", models) or what went wrong."""
    import asyncio

    from coach.errors import LLMError
    from coach.llm.engine import LLMCoach

    if not isinstance(llm, LLMCoach) or llm.client is None or llm.endpoint is None:
        return "unknown", []
    llm.endpoint.connect_timeout = min(llm.endpoint.connect_timeout, 1.0)
    llm.endpoint.read_timeout = min(llm.endpoint.read_timeout, 3.0)
    client = llm.client

    async def ask() -> list[str]:
        try:
            return await client.list_models()
        finally:
            await client.aclose()

    try:
        models = asyncio.run(ask())
    except LLMError as exc:
        return f"not usable: {exc.one_line()}", []
    if llm.model and models and llm.model not in models:
        listed = ", ".join(models[:5])
        return f"not usable: it does not serve {llm.model}; it serves: {listed}", models
    return f"ok, serves: {', '.join(models[:5]) or 'no models listed'}", models


def cmd_doctor(args: argparse.Namespace) -> int:
    report = gather()
    if args.json:
        print_json(report)
        return 0
    for key, value in report.items():
        if isinstance(value, dict):
            print(f"{key}:")
            for k, v in value.items():
                print(f"  {k}: {v}")
        else:
            print(f"{key}: {value}")
    return 0
