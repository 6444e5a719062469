"""vCard 3.0 and 4.0 (`.vcf`, one or many cards), parsed with vobject.

Handles folded lines, quoted-printable (old 3.0 and 2.1 exports), PRONOUNS and SOCIALPROFILE
(RFC 9554, also the X-SOCIALPROFILE of older apps) and RELATED;TYPE=... as a stage hint.
"""

from __future__ import annotations

import re
from typing import Any

import vobject
from vobject.base import ParseError

from coach.imports.people import Parsed, Person
from coach.imports.progress import EVERY, Progress, no_progress
from coach.imports.source import Bundle, failed

SOURCE = "import:vcard"

# RELATED;TYPE=... (RFC 6350 6.6.6) -> the stage it hints at; the closest relations win.
_STAGE_HINTS: dict[str, str] = {
    "contact": "introduced", "met": "introduced", "acquaintance": "acquaintance",
    "colleague": "acquaintance", "co-worker": "acquaintance", "co-resident": "acquaintance",
    "neighbor": "acquaintance", "friend": "friend", "kin": "close", "child": "close",
    "parent": "close", "sibling": "close", "spouse": "close", "sweetheart": "close",
    "crush": "friend", "date": "friend", "muse": "friend",
}
_STAGE_ORDER = ("introduced", "acquaintance", "friend", "close")
_QP_PROPERTY = re.compile(r"^[^:]*ENCODING=QUOTED-PRINTABLE[^:]*:", re.IGNORECASE)
# Properties holding one text value, where a comma is text, not a list separator.
_TEXT_PROPERTY = re.compile(
    r"^(?:[A-Za-z0-9-]+\.)?(?:NOTE|FN|TITLE|PRONOUNS|X-COACH-HOW-MET)(?:;[^:]*)?:",
    re.IGNORECASE)
_BARE_COMMA = re.compile(r"(?<!\\),")
_COACH_ID = re.compile(r"c[0-9a-f]{12}")


def looks_like_vcard(head: str) -> bool:
    return head.lstrip().upper().startswith("BEGIN:VCARD")


def parse(bundle: Bundle, progress: Progress = no_progress) -> Parsed:
    out = Parsed("vcard")
    members = [m for m in bundle.members if m.casefold().endswith((".vcf", ".vcard"))]
    if bundle.is_single_file:
        members = list(bundle.members)
    if not members:
        raise failed(bundle.path.name, None, "no .vcf files")
    for member in members:
        display = bundle.display(member)
        out.files.append(display)
        text, starts = _prepare(bundle.read_text(member))
        if not looks_like_vcard(text):
            raise failed(display, 1, "does not start with BEGIN:VCARD")
        total = text.upper().count("BEGIN:VCARD")
        try:
            for n, card in enumerate(vobject.readComponents(text, ignoreUnreadable=False)):
                if n % EVERY == 0:
                    progress("vCards", n, total)
                person = _card(card, display, n + 1)
                if person is None:
                    out.ignore("cards without a name")
                else:
                    out.persons.append(person)
        except ParseError as exc:
            line = _line_of(exc, text)
            line = starts[line - 1] if line and line <= len(starts) else line
            raise failed(display, line, f"broken vCard ({_reason(exc)})") from None
        except (ValueError, TypeError, AttributeError, IndexError, KeyError,
                UnicodeError, LookupError) as exc:
            # vobject's decoders raise plain errors for bad base64, charsets and the like.
            raise failed(display, None, f"broken vCard ({type(exc).__name__}: {exc})") from None
        progress("vCards", total, total)
    return out


def _prepare(text: str) -> tuple[str, list[int]]:
    """Unfold lines, join quoted-printable soft breaks, escape bare commas in one-value text.

    vobject keeps only the part before an unescaped comma in NOTE or FN, and many real files
    (old phones, hand edits) leave commas bare; escaping them first keeps the whole text. Returns
    the text and, per line of it, the line of the original file it starts on (for errors).
    """
    lines: list[str] = []
    starts: list[int] = []
    in_qp = False
    for n, line in enumerate(text.splitlines(), 1):
        if lines and line[:1] in (" ", "\t") and not in_qp:
            lines[-1] += line[1:]
        elif in_qp:
            lines[-1] = lines[-1][:-1] + line
        else:
            lines.append(line)
            starts.append(n)
        in_qp = bool(_QP_PROPERTY.match(lines[-1])) and lines[-1].endswith("=")
    for i, line in enumerate(lines):
        m = _TEXT_PROPERTY.match(line)
        if m:  # quoted-printable leaves "\," alone, so this holds for encoded values too
            lines[i] = m.group(0) + _BARE_COMMA.sub(r"\\,", line[m.end():])
    return "\r\n".join(lines) + "\r\n", starts


def _card(card: Any, display: str, number: int) -> Person | None:
    if card.name.upper() != "VCARD":
        raise failed(display, None, f"card {number} is a {card.name}, not a VCARD")
    props: dict[str, list[Any]] = {}
    for child in card.getChildren():
        props.setdefault(child.name.upper(), []).append(child)
    name = _text(props.get("FN", [None])[0]) or _name_from_n(props.get("N", []))
    nickname = _text(props.get("NICKNAME", [None])[0])
    if not name:
        name = nickname or next((_text(e) for e in props.get("EMAIL", [])), "")
    if not name:
        return None
    p = Person(name=name[:200], source=SOURCE, origin=f"{display}, card {number}")
    if nickname and nickname != name:
        p.fields["preferred_name"] = nickname
    for prop in props.get("EMAIL", []):
        p.add_email(_text(prop))
    for prop in props.get("TEL", []):
        p.add_phone(_text(prop))
    for key in ("SOCIALPROFILE", "X-SOCIALPROFILE", "URL"):
        for prop in props.get(key, []):
            value = _text(prop)
            service = " ".join(_params(prop, "SERVICE-TYPE") + _params(prop, "TYPE")).casefold()
            if value and not value.startswith(("http", "www.")) and service in (
                    "twitter", "x"):
                p.add_x_handle(value)
            else:
                p.add_url(value)
    uid = _text(props.get("UID", [None])[0])
    if _COACH_ID.fullmatch(uid):  # our own export: the same contact, wherever it is now
        p.keys.add("coach:" + uid)
    pronouns = _text(props.get("PRONOUNS", [None])[0])
    if pronouns:
        p.fields["pronouns"] = pronouns
    note = _text(props.get("NOTE", [None])[0])
    work = " at ".join(x for x in (_text(props.get("TITLE", [None])[0]),
                                   _text(props.get("ORG", [None])[0])) if x)
    if note or work:
        p.fields["notes"] = "\n".join(x for x in (note, work) if x)
    hints = [_STAGE_HINTS[t] for prop in props.get("RELATED", [])
             for t in (x.casefold() for x in _params(prop, "TYPE")) if t in _STAGE_HINTS]
    if hints:
        p.fields["stage"] = max(hints, key=_STAGE_ORDER.index)
    if any(t.casefold() in ("colleague", "co-worker") for prop in props.get("RELATED", [])
           for t in _params(prop, "TYPE")):
        p.fields["context"] = "professional"
    # Our own exports carry what vCard has no property for; read it back so a round trip keeps it.
    for prop_name, field_name in (("X-COACH-HOW-MET", "how_met"), ("X-COACH-STAGE", "stage"),
                                  ("X-COACH-CONTEXT", "context")):
        value = _text(props.get(prop_name, [None])[0])
        if value:
            p.fields[field_name] = value
    for prop in props.get("X-COACH-HANDLE", []):
        kinds = _params(prop, "TYPE")
        if kinds and _text(prop):
            if kinds[0].casefold() == "x_id":
                p.add_x_id(_text(prop))  # an identity key, not just a handle
            else:
                p.handles.setdefault(kinds[0].casefold(), _text(prop))
    return p


def _params(prop: Any, key: str) -> list[str]:
    values = prop.params.get(key, []) if hasattr(prop, "params") else []
    return [v for value in values for v in str(value).split(",") if v]


def _text(prop: Any) -> str:
    if prop is None:
        return ""
    value = prop.value
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value if v)
    elif isinstance(value, bytes):
        return ""
    elif not isinstance(value, str):
        value = str(value)
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value.replace("mailto:", "").replace("tel:", "").strip()


def _name_from_n(props: list[Any]) -> str:
    if not props:
        return ""
    n = props[0].value
    parts = [getattr(n, a, "") for a in ("prefix", "given", "additional", "family", "suffix")]
    return " ".join(" ".join(p) if isinstance(p, list) else str(p) for p in parts if p).strip()


def _line_of(exc: ParseError, text: str) -> int | None:
    """vobject's own line numbers drift after folded lines; find the offending line instead."""
    m = re.search(r"Failed to parse line: (.*)$", str(exc))
    if m:
        target = m.group(1).strip()
        for n, line in enumerate(text.splitlines(), 1):
            if line.strip() == target:
                return n
    number = getattr(exc, "lineNumber", None)
    return number if isinstance(number, int) else None


def _reason(exc: ParseError) -> str:
    return re.sub(r"^At line \d+: ", "", str(exc))[:120]
