"""Google Contacts CSV, current (`First Name,...,Labels`) and legacy (`Name,Given Name,...`).

The two are told apart by the header. Repeated groups (`E-mail 1 - Value`, `Phone 2 - Value`,
`Website 1 - Value`) are read for any N; a cell may hold several values joined by ` ::: `.
"""

from __future__ import annotations

import re

from coach.imports.people import Parsed, Person
from coach.imports.progress import EVERY, Progress, no_progress
from coach.imports.source import Bundle, CsvRow, failed, read_csv

SOURCE = "import:google"
_GROUP = re.compile(r"^(E-mail|Phone|Website|Organization|Relation) (\d+) - (Value|Name|Title)$")
_WORK_LABELS = ("work", "coworkers", "colleagues", "clients", "customers")


def looks_like_current(cells: list[str]) -> bool:
    return "First Name" in cells and "Last Name" in cells and (
        "Labels" in cells or "E-mail 1 - Value" in cells) and "Connected On" not in cells


def looks_like_legacy(cells: list[str]) -> bool:
    return "Name" in cells and "Given Name" in cells and (
        "Group Membership" in cells or "E-mail 1 - Value" in cells)


def looks_like_google(cells: list[str]) -> bool:
    return looks_like_current(cells) or looks_like_legacy(cells)


def parse(bundle: Bundle, progress: Progress = no_progress) -> Parsed:
    out = Parsed("google")
    members = list(bundle.members) if bundle.is_single_file else [
        m for m in bundle.members if m.casefold().endswith(".csv")]
    if not members:
        raise failed(bundle.path.name, None, "no .csv files")
    for member in members:
        display = bundle.display(member)
        out.files.append(display)
        text = bundle.read_text(member)
        total = text.count("\n")
        header, rows = read_csv(text, display, looks_like_google)
        legacy = looks_like_legacy(header)
        for n, row in enumerate(rows):
            if n % EVERY == 0:
                progress("Google contacts", row.line, total)
            person = _row(row, display, legacy)
            if person is None:
                out.ignore("contacts without a name, email or phone")
            else:
                out.persons.append(person)
        progress("Google contacts", total, total)
    return out


def _values(cell: str) -> list[str]:
    return [v.strip() for v in cell.split(":::") if v.strip()]


def _row(row: CsvRow, display: str, legacy: bool) -> Person | None:
    groups: dict[str, list[str]] = {}
    for column, cell in row.cells.items():
        m = _GROUP.match(column.strip())
        if m and cell.strip():
            groups.setdefault(f"{m.group(1)} {m.group(3)}", []).extend(_values(cell))
    if legacy:
        name = row.get("Name") or " ".join(
            x for x in (row.get("Given Name"), row.get("Additional Name"),
                        row.get("Family Name")) if x)
        labels = row.get("Group Membership")
    else:
        name = " ".join(x for x in (row.get("Name Prefix"), row.get("First Name"),
                                    row.get("Middle Name"), row.get("Last Name"),
                                    row.get("Name Suffix")) if x)
        labels = row.get("Labels")
    orgs = groups.get("Organization Name", []) or _values(row.get("Organization Name"))
    titles = groups.get("Organization Title", []) or _values(row.get("Organization Title"))
    emails, phones = groups.get("E-mail Value", []), groups.get("Phone Value", [])
    nickname = row.get("Nickname")
    name = name or nickname or (orgs[0] if orgs else "") or (emails[0] if emails else "")
    if not name:
        return None
    p = Person(name=name[:200], source=SOURCE, origin=f"{display} line {row.line}")
    for email in emails:
        p.add_email(email)
    for phone in phones:
        p.add_phone(phone)
    for url in groups.get("Website Value", []):
        p.add_url(url)
    if nickname and nickname != name:
        p.fields["preferred_name"] = nickname
    work = " at ".join(x for x in (titles[0] if titles else "", orgs[0] if orgs else "") if x)
    notes = "\n".join(x for x in (row.get("Notes"), work) if x)
    if notes:
        p.fields["notes"] = notes
    if any(label.strip("* ").casefold() in _WORK_LABELS for label in _values(labels)):
        p.fields["context"] = "professional"
    return p
