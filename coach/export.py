"""Exports: contacts as vCard 4.0, CSV or JSON; the coaching history as Markdown, JSON or CSV.

Every file is written whole to a temporary name and renamed into place, readable by its owner only.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

import orjson

from coach.errors import StoreError, UsageError
from coach.models import CheckRecord, Contact

CONTACT_FORMATS = ("vcard", "csv", "json")
HISTORY_FORMATS = ("markdown", "json", "csv")
_SUFFIXES = {".vcf": "vcard", ".vcard": "vcard", ".csv": "csv", ".json": "json",
             ".md": "markdown", ".markdown": "markdown"}


def format_for(path: Path, fmt: str | None, allowed: Sequence[str]) -> str:
    """The format asked for, else the one the file name suggests."""
    chosen = fmt or _SUFFIXES.get(path.suffix.casefold())
    if chosen is None or chosen not in allowed:
        raise UsageError(f"Cannot tell which format to write {path.name} in.",
                         f"Add --format {'|'.join(allowed)}.")
    return chosen


def write_private(path: Path, data: bytes | str) -> Path:
    """Write atomically (temp file, fsync, rename) with mode 0600; never a half-written file."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    path = path.expanduser()
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise UsageError(f"The folder {folder} does not exist.", "Create it or pick another path.")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)  # created 0600
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(payload)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, 0o600)
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    except OSError as exc:
        raise StoreError(f"Cannot write {path}: {exc.strerror or exc}. Nothing was written.",
                         "Check the path and the free space.") from None
    return path


# -- contacts ------------------------------------------------------------------------------
def contacts_to_json(contacts: Iterable[Contact]) -> bytes:
    return orjson.dumps([c.model_dump(mode="json") for c in contacts],
                        option=orjson.OPT_INDENT_2) + b"\n"


CSV_COLUMNS = ("id", "name", "preferred_name", "pronouns", "context", "stage", "how_met",
               "email", "phone", "handles", "notes", "interactions", "last_contact", "sources")


def contacts_to_csv(contacts: Iterable[Contact]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(CSV_COLUMNS)
    for c in contacts:
        last = max((i.at for i in c.interactions), default=None)
        others = {k: v for k, v in c.handles.items() if k not in ("email", "phone")}
        w.writerow([
            c.id, c.name, c.preferred_name, c.pronouns, c.context, c.stage or "", c.how_met,
            c.handles.get("email", ""), c.handles.get("phone", ""),
            "; ".join(f"{k}={v}" for k, v in others.items()), c.notes, len(c.interactions),
            last.isoformat() if last else "", "; ".join(c.sources),
        ])
    return buf.getvalue()


def _vtext(value: str) -> str:
    return (value.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
            .replace("\r\n", "\\n").replace("\n", "\\n"))


def _fold(line: str) -> str:
    """Lines of at most 75 octets, continued with a space (RFC 6350 3.2), never mid-character."""
    out, current, size = [], "", 0
    for ch in line:
        n = len(ch.encode("utf-8"))
        if size + n > 75:
            out.append(current)
            current, size = " ", 1
        current += ch
        size += n
    out.append(current)
    return "\r\n".join(out)


def _vcard(c: Contact) -> str:
    parts = c.name.split()
    family, given = (parts[-1], " ".join(parts[:-1])) if len(parts) > 1 else ("", c.name)
    lines = ["BEGIN:VCARD", "VERSION:4.0", f"UID;VALUE=text:{_vtext(c.id)}",
             f"FN:{_vtext(c.name)}", f"N:{_vtext(family)};{_vtext(given)};;;"]
    if c.preferred_name:
        lines.append(f"NICKNAME:{_vtext(c.preferred_name)}")
    if c.pronouns:
        lines.append(f"PRONOUNS:{_vtext(c.pronouns)}")
    for kind, value in c.handles.items():
        if kind.startswith("email"):
            lines.append(f"EMAIL:{_vtext(value)}")
        elif kind.startswith("phone"):
            lines.append(f"TEL;VALUE=text:{_vtext(value)}")
        elif kind == "linkedin":
            url = value if value.startswith("http") else f"https://www.linkedin.com/in/{value}"
            lines.append(f"SOCIALPROFILE;SERVICE-TYPE=LinkedIn:{url}")
        elif kind in ("x", "twitter"):
            lines.append(f"SOCIALPROFILE;SERVICE-TYPE=X:https://x.com/{value.lstrip('@')}")
        elif kind == "website":
            lines.append(f"URL:{value}")
        else:
            lines.append(f"X-COACH-HANDLE;TYPE={_vtext(kind)}:{_vtext(value)}")
    if c.notes:
        lines.append(f"NOTE:{_vtext(c.notes)}")
    if c.how_met:
        lines.append(f"X-COACH-HOW-MET:{_vtext(c.how_met)}")
    lines.append(f"X-COACH-CONTEXT:{c.context}")
    if c.stage:
        lines.append(f"X-COACH-STAGE:{c.stage}")
    lines.append("END:VCARD")
    return "".join(_fold(line) + "\r\n" for line in lines)


def contacts_to_vcard(contacts: Iterable[Contact]) -> str:
    return "".join(_vcard(c) for c in contacts)


def render_contacts(contacts: Sequence[Contact], fmt: str) -> bytes | str:
    if fmt == "vcard":
        return contacts_to_vcard(contacts)
    if fmt == "csv":
        return contacts_to_csv(contacts)
    return contacts_to_json(contacts)


# -- history -------------------------------------------------------------------------------
def history_to_json(records: Iterable[CheckRecord]) -> bytes:
    return orjson.dumps([r.model_dump(mode="json") for r in records],
                        option=orjson.OPT_INDENT_2) + b"\n"


HISTORY_COLUMNS = ("id", "created", "contact", "channel", "verdict", "courtesy", "intimacy",
                   "pacing", "engine", "sent", "flags", "advice", "rewrite", "draft")


def history_to_csv(records: Iterable[CheckRecord]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(HISTORY_COLUMNS)
    for r in records:
        s = r.result.scores
        w.writerow([
            r.id, r.created.isoformat(), r.contact_name or "", r.channel or "", r.result.verdict,
            f"{s.courtesy:.3f}", f"{s.intimacy:.3f}", f"{s.pacing:.3f}", r.engine,
            "yes" if r.sent else "no", "; ".join(f.rule for f in r.result.flags),
            r.result.advice, r.result.rewrite or "", r.draft,
        ])
    return buf.getvalue()


def history_to_markdown(records: Sequence[CheckRecord], title: str = "Coaching history") -> str:
    out = [f"# {title}", "", f"{len(records)} check(s), newest first.", ""]
    for r in records:
        who = r.contact_name or "no contact"
        out.append(f"## {r.created:%Y-%m-%d %H:%M} · {who} · {r.result.verdict}"
                   + (" · sent" if r.sent else ""))
        out.append("")
        s = r.result.scores
        out.append(f"`{r.id}` · {r.channel or 'any channel'} · engine {r.engine} · courtesy "
                   f"{s.courtesy:.2f}, intimacy {s.intimacy:.2f}, pacing {s.pacing:.2f}")
        out.append("")
        out.extend("> " + line if line else ">" for line in r.draft.splitlines() or [""])
        out.append("")
        for f in r.result.flags:
            span = r.draft[f.start:f.end]
            quote = f" (“{span}”)" if span else ""
            because = f" Because: {f.evidence}" if f.evidence else ""
            out.append(f"- **{f.severity}** {f.rule}: {f.message}{quote}.{because}")
        if r.result.flags:
            out.append("")
        if r.result.advice:
            out.extend([f"Advice: {r.result.advice}", ""])
        if r.result.rewrite:
            out.extend(["Rewrite:", "", *("> " + x for x in r.result.rewrite.splitlines()), ""])
    return "\n".join(out)


def render_history(records: Sequence[CheckRecord], fmt: str) -> bytes | str:
    if fmt == "markdown":
        return history_to_markdown(records)
    if fmt == "csv":
        return history_to_csv(records)
    return history_to_json(records)


def export_contacts(contacts: Sequence[Contact], path: Path, fmt: str | None = None) -> str:
    chosen = format_for(path, fmt, CONTACT_FORMATS)
    write_private(path, render_contacts(contacts, chosen))
    return chosen


def export_history(records: Sequence[CheckRecord], path: Path, fmt: str | None = None) -> str:
    chosen = format_for(path, fmt, HISTORY_FORMATS)
    write_private(path, render_history(records, chosen))
    return chosen


__all__ = ["export_contacts", "export_history", "write_private"]
