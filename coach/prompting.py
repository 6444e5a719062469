"""Prompt templates: a sandboxed Jinja environment over the shipped `prompts/` folder, any template
overridable by name from the user's prompts folder, and the variables a check prompt gets.

User text (drafts, notes, quotes) is only ever passed as data: `{{ 7*7 }}` in a note stays verbatim.
"""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from coach import paths
from coach.errors import ConfigError, NotFoundError
from coach.models import CheckResult, Contact

SYSTEM_TEMPLATE = "system.j2"
CHECK_TEMPLATE = "check.j2"
_VERSION = re.compile(r"\{#\s*version:\s*([^#]+?)\s*#\}")
MAX_QUOTED_TEXT = 400  # characters of one past message shown to the model
MAX_INTERACTIONS = 6


def _dirs() -> list[Path]:
    return [paths.user_prompts_dir(), paths.shipped_prompts_dir()]


def _user_state(folder: Path) -> tuple[tuple[str, int], ...]:
    """Names and mtimes of the user's overrides: a new or edited override means a new environment."""
    try:
        return tuple(
            sorted((e.name, e.stat().st_mtime_ns) for e in os.scandir(folder) if e.is_file())
        )
    except OSError:
        return ()


def environment() -> SandboxedEnvironment:
    """The environment for the current folders: user folder first, then the shipped templates.

    Compiling the templates costs ~20 ms, so environments are cached; the key includes the user's
    overrides, so adding or editing one takes effect at once, even in a running app.
    """
    user_dir, shipped_dir = _dirs()
    return _environment(str(user_dir), str(shipped_dir), _user_state(user_dir))


@functools.lru_cache(maxsize=8)
def _environment(
    user_dir: str, shipped_dir: str, _state: tuple[tuple[str, int], ...]
) -> SandboxedEnvironment:
    loader = jinja2.FileSystemLoader([user_dir, shipped_dir], encoding="utf-8")
    return SandboxedEnvironment(
        loader=loader,
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # prompts are plain text, not HTML
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )


@dataclass(slots=True)
class TemplateInfo:
    name: str
    path: Path
    overridden: bool  # True when the user's folder holds this name
    version: str


def template_path(name: str) -> Path:
    """The file a template name resolves to (the user's copy wins)."""
    for folder in _dirs():
        candidate = folder / name
        if candidate.is_file():
            return candidate
    known = ", ".join(t.name for t in list_templates()) or "none"
    raise NotFoundError(f"No prompt template named '{name}'.", f"Known templates: {known}.")


def template_version(name: str) -> str:
    """The `{# version: ... #}` tag of a template, or "unversioned"."""
    match = _VERSION.search(template_path(name).read_text(encoding="utf-8"))
    return match.group(1) if match else "unversioned"


def list_templates() -> list[TemplateInfo]:
    user_dir, shipped_dir = _dirs()
    names: set[str] = set()
    for folder in (user_dir, shipped_dir):
        if folder.is_dir():
            names.update(p.name for p in folder.glob("*.j2"))
    out = []
    for name in sorted(names):
        path = user_dir / name if (user_dir / name).is_file() else shipped_dir / name
        match = _VERSION.search(path.read_text(encoding="utf-8", errors="replace"))
        out.append(
            TemplateInfo(name, path, path.parent == user_dir, match.group(1) if match else "")
        )
    return out


def render(name: str, **variables: Any) -> str:
    """Render one template; every template failure becomes a ConfigError naming the file."""
    env = environment()
    try:
        return env.get_template(name).render(**variables).strip() + "\n"
    except jinja2.TemplateNotFound as exc:
        missing = exc.name or name
        raise NotFoundError(
            f"No prompt template named '{missing}' (needed by '{name}').",
            f"Templates live in {paths.shipped_prompts_dir()}; yours in {paths.user_prompts_dir()}.",
        ) from exc
    except jinja2.UndefinedError as exc:
        raise ConfigError(
            f"The prompt template '{name}' uses a variable that is not defined: {exc.message}.",
            f"Fix {template_path(name)}, or delete your copy to use the shipped one.",
        ) from exc
    except jinja2.TemplateSyntaxError as exc:
        raise ConfigError(
            f"The prompt template '{exc.name or name}' has a syntax error on line {exc.lineno}: "
            f"{exc.message}.",
            f"Fix {exc.filename or template_path(name)}.",
        ) from exc
    except jinja2.exceptions.SecurityError as exc:
        raise ConfigError(
            f"The prompt template '{name}' tried something the sandbox forbids: {exc}.",
            "Templates may only format the variables they are given.",
        ) from exc


def _clip(text: str, limit: int = MAX_QUOTED_TEXT) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def contact_vars(contact: Contact | None) -> dict[str, Any] | None:
    """Plain data about the contact for templates (no model objects: the sandbox sees only data)."""
    if contact is None:
        return None
    recent = sorted(contact.interactions, key=lambda i: i.at)[-MAX_INTERACTIONS:]
    return {
        "name": contact.name,
        "address_name": contact.address_name,
        "pronouns": contact.pronouns,
        "context": contact.context,
        "declared_stage": contact.stage or "",
        "how_met": contact.how_met,
        "notes": _clip(contact.notes, 1000),
        "preferences": [
            {"kind": p.kind, "value": p.value, "quote": _clip(p.quote, 300)}
            for p in contact.preferences
        ],
        "disclosures": [
            {"who": d.who, "topic": d.topic, "depth": d.depth, "private": d.private}
            for d in contact.disclosures
        ],
        "interactions": [
            {
                "direction": i.direction,
                "when": i.at.strftime("%Y-%m-%d"),
                "channel": i.channel,
                "public": i.is_public,
                "text": _clip(i.text),
            }
            for i in recent
        ],
        "interaction_count": len(contact.interactions),
        "incoming": sum(1 for i in contact.interactions if i.direction == "in"),
        "outgoing": sum(1 for i in contact.interactions if i.direction == "out"),
    }


def offline_vars(draft: str, offline: CheckResult) -> dict[str, Any]:
    return {
        "verdict": offline.verdict,
        "stage": offline.stage,
        "scores": offline.scores.model_dump(),
        "advice": offline.advice,
        "flags": [
            {
                "rule": f.rule,
                "severity": f.severity,
                "words": draft[f.start : f.end],
                "message": f.message,
                "evidence": f.evidence,
            }
            for f in offline.flags
        ],
    }


@dataclass(slots=True)
class RenderedPrompt:
    system: str
    user: str
    template: str  # "check.j2@check-v1+system.j2@system-v1", recorded in history

    def messages(self) -> list[dict[str, str]]:
        return [{"role": "system", "content": self.system}, {"role": "user", "content": self.user}]

    def as_text(self) -> str:
        return f"### system\n{self.system}\n### user\n{self.user}"


def render_check(
    draft: str,
    contact: Contact | None,
    channel: str | None,
    offline: CheckResult,
    *,
    output_format: str = "json",
) -> RenderedPrompt:
    """The system and user messages for checking one draft."""
    variables = {
        "draft": draft,
        "channel": channel or "",
        "contact": contact_vars(contact),
        "offline": offline_vars(draft, offline),
        "output_format": output_format,
    }
    system = render(SYSTEM_TEMPLATE, **variables)
    user = render(CHECK_TEMPLATE, **variables)
    label = (
        f"{CHECK_TEMPLATE}@{template_version(CHECK_TEMPLATE)}"
        f"+{SYSTEM_TEMPLATE}@{template_version(SYSTEM_TEMPLATE)}"
    )
    return RenderedPrompt(system, user, label)
