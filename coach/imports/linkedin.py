"""LinkedIn data export (the zip or its CSVs): Connections, messages and invitations.

Identity is the `/in/<slug>` of the profile URL. The export's owner (you) is found from the
messages: the one participant of (nearly) every conversation who is not among your connections.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache

from coach.imports.people import Parsed, Person, linkedin_slug
from coach.imports.progress import EVERY, Progress, no_progress
from coach.imports.source import Bundle, CsvRow, failed, read_csv
from coach.models import Interaction

SOURCE = "import:linkedin"
CONNECTIONS_HEADER = ("First Name", "Last Name")
MESSAGES_HEADER = ("CONVERSATION ID", "FROM", "DATE", "CONTENT")
INVITATIONS_HEADER = ("From", "To", "Sent At", "Direction")
_YES = {"yes", "true", "1"}


def looks_like_connections(cells: list[str]) -> bool:
    return all(c in cells for c in CONNECTIONS_HEADER) and "Connected On" in cells


def looks_like_messages(cells: list[str]) -> bool:
    return all(c in cells for c in MESSAGES_HEADER)


def looks_like_invitations(cells: list[str]) -> bool:
    return all(c in cells for c in INVITATIONS_HEADER)


def parse(bundle: Bundle, progress: Progress = no_progress) -> Parsed:
    out = Parsed("linkedin")
    members = _members(bundle)
    if not members:
        raise failed(bundle.path.name, None, "no Connections.csv, messages.csv or Invitations.csv")
    connections: set[str] = set()  # "linkedin:<slug>" and "name:<name>" of your connections
    unlinked: dict[str, list[Person]] = {}  # connections without a URL (pre-2023), by name
    # Invitations first: where two files fill one field, the invite note ("we met at...") is
    # better "how we met" text than the date you connected.
    if "invitations" in members:
        out.files.append(bundle.display(members["invitations"]))
        out.persons.extend(_invitations(bundle, members["invitations"], out))
    if "connections" in members:
        member = members["connections"]
        out.files.append(bundle.display(member))
        for p in _connections(bundle, member, out, progress):
            slug = next((k for k in p.keys if k.startswith("linkedin:")), None)
            connections.add(slug or "name:" + p.name.casefold())
            if not slug:
                unlinked.setdefault(p.name.casefold(), []).append(p)
            out.persons.append(p)
    if "messages" in members:
        out.files.append(bundle.display(members["messages"]))
        # Within one export a unique name is safe to link: the URL-less connection named like
        # a message sender is that sender (the only other tie in old exports is the name).
        by_name = {name: group[0] for name, group in unlinked.items() if len(group) == 1}
        out.persons.extend(_messages(bundle, members["messages"], out, connections, by_name,
                                     progress))
    return out


def _members(bundle: Bundle) -> dict[str, str]:
    found: dict[str, str] = {}
    if bundle.is_single_file:
        text = bundle.read_text(bundle.members[0])
        head = text[:4000]
        name = bundle.members[0]
        for kind, test in (("connections", looks_like_connections),
                           ("messages", looks_like_messages),
                           ("invitations", looks_like_invitations)):
            if any(test([c.strip() for c in line.split(",")]) for line in head.splitlines()):
                found[kind] = name
        if not found:
            raise failed(bundle.display(name), None,
                         "no LinkedIn header row (Connections.csv needs First Name, Last Name, "
                         "Connected On; messages.csv CONVERSATION ID, FROM, DATE, CONTENT; "
                         "Invitations.csv From, To, Sent At, Direction)")
        return found
    for kind, basename in (("connections", "Connections.csv"), ("messages", "messages.csv"),
                           ("invitations", "Invitations.csv")):
        member = bundle.find(basename)
        if member:
            found[kind] = member
    return found


def _connections(bundle: Bundle, member: str, out: Parsed, progress: Progress) -> list[Person]:
    display = bundle.display(member)
    text = bundle.read_text(member)
    total = text.count("\n")
    _, rows = read_csv(text, display, looks_like_connections, CONNECTIONS_HEADER)
    people: list[Person] = []
    for n, row in enumerate(rows):
        if n % EVERY == 0:
            progress("LinkedIn connections", row.line, total)
        name = f"{row.get('First Name')} {row.get('Last Name')}".strip()
        if not name:
            out.ignore("connections without a name")
            continue
        p = Person(name=name, source=SOURCE, origin=f"{display} line {row.line}")
        p.add_url(row.get("URL"))
        p.add_email(row.get("Email Address"))
        p.fields["context"] = "professional"
        connected = row.get("Connected On")
        if connected:
            when = _parse_time(connected, ("%d %b %Y", "%d-%b-%y", "%Y-%m-%d"), display, row)
            p.fields["how_met"] = f"Connected on LinkedIn on {when:%d %b %Y}"
        work = " at ".join(x for x in (row.get("Position"), row.get("Company")) if x)
        if work:
            p.fields["notes"] = f"{work} (from LinkedIn)"
        people.append(p)
    progress("LinkedIn connections", total, total)
    return people


def _invitations(bundle: Bundle, member: str, out: Parsed) -> list[Person]:
    display = bundle.display(member)
    _, rows = read_csv(bundle.read_text(member), display, looks_like_invitations,
                       INVITATIONS_HEADER)
    people: list[Person] = []
    for row in rows:
        incoming = row.get("Direction").upper() == "INCOMING"
        name = row.get("From") if incoming else row.get("To")
        url = row.get("inviterProfileUrl") if incoming else row.get("inviteeProfileUrl")
        if not name or not linkedin_slug(url):
            out.ignore("invitations without a name or profile URL")
            continue
        when = _parse_time(row.get("Sent At"), ("%m/%d/%y, %I:%M %p", "%m/%d/%Y, %I:%M %p"),
                           display, row)
        p = Person(name=name, source=SOURCE, origin=f"{display} line {row.line}")
        p.add_url(url)
        p.fields["context"] = "professional"
        note = row.get("Message")
        who = "They invited you" if incoming else "You invited them"
        p.fields["how_met"] = f"{who} to connect on LinkedIn: \"{note}\"" if note else (
            f"{who} to connect on LinkedIn on {when:%d %b %Y}")
        if note:
            p.interactions.append(Interaction(direction="in" if incoming else "out", at=when,
                                              channel="dm", text=note, public=False,
                                              source=SOURCE))
        people.append(p)
    return people


@dataclass
class _Msg:
    line: int
    conversation: str
    sender: tuple[str, str]  # (slug, name)
    recipients: list[tuple[str, str]]
    at: datetime
    text: str


def _messages(
    bundle: Bundle, member: str, out: Parsed, connections: set[str],
    by_name: dict[str, Person], progress: Progress,
) -> list[Person]:
    display = bundle.display(member)
    text = bundle.read_text(member)
    total = text.count("\n")
    _, rows = read_csv(text, display, looks_like_messages, MESSAGES_HEADER)
    msgs: list[_Msg] = []
    for n, row in enumerate(rows):
        if n % EVERY == 0:
            progress("LinkedIn messages", row.line, total)
        if (row.get("FOLDER").casefold() == "draft" or row.get("IS MESSAGE DRAFT").casefold()
                in _YES or row.get("IS CONVERSATION DRAFT").casefold() in _YES):
            out.ignore("draft messages")
            continue
        sender = linkedin_slug(row.get("SENDER PROFILE URL"))
        if not sender:
            out.ignore("messages without a sender profile URL")
            continue
        urls = [u for u in row.get("RECIPIENT PROFILE URLS").split(",") if u.strip()]
        names = [n.strip() for n in row.get("TO").split(",")]
        if len(names) != len(urls):
            names = [""] * len(urls)  # a name with a comma in it: keep the URLs, drop the names
        recipients = [(s, nm) for s, nm in zip((linkedin_slug(u) for u in urls), names,
                                               strict=True) if s]
        subject, content = row.get("SUBJECT"), row.get("CONTENT")
        body = f"{subject}\n\n{content}" if subject and content else subject or content
        at = _parse_time(row.get("DATE"), ("%Y-%m-%d %H:%M:%S %Z", "%Y-%m-%d %H:%M:%S",
                                           "%Y-%m-%d %H:%M %Z"), display, row)
        msgs.append(_Msg(row.line, row.get("CONVERSATION ID"), (sender, row.get("FROM")),
                         recipients, at, body))
    progress("LinkedIn messages", total, total)
    owner = _owner(msgs, connections, _profile_name(bundle))
    people: dict[str, Person] = {}
    linked: set[str] = set()  # slugs that went onto a connection already in the output

    def person(slug: str, name: str, line: int) -> Person:
        p = people.get(slug)
        if p is None and name and name.casefold() in by_name:
            p = by_name.pop(name.casefold())
            p.add_url(f"https://www.linkedin.com/in/{slug}")
            people[slug] = p
            linked.add(slug)
        elif p is None:
            p = Person(name=name or slug, source=SOURCE, origin=f"{display} line {line}",
                       placeholder_name=not name)
            p.add_url(f"https://www.linkedin.com/in/{slug}")
            p.fields["context"] = "professional"
            people[slug] = p
        elif p.placeholder_name and name:
            p.name, p.placeholder_name = name, False
        return p

    members: dict[str, dict[str, str]] = {}
    for m in msgs:
        if m.sender[0] != owner:
            members.setdefault(m.conversation, {})[m.sender[0]] = m.sender[1]
    for m in msgs:
        if m.sender[0] != owner:
            person(*m.sender, m.line).interactions.append(
                Interaction(direction="in", at=m.at, channel="dm", text=m.text, public=False,
                            source=SOURCE))
            for slug, name in m.recipients:  # learn names of the others in a group chat
                if slug != owner:
                    person(slug, name, m.line)
            continue
        # Your message goes on the log of everyone it went to (each member of a group chat).
        # Older exports have no RECIPIENT PROFILE URLS: then it went to the others who wrote
        # in that conversation.
        recipients = m.recipients or sorted(members.get(m.conversation, {}).items())
        for slug, name in recipients:
            if slug != owner:
                person(slug, name, m.line).interactions.append(
                    Interaction(direction="out", at=m.at, channel="dm", text=m.text,
                                public=False, source=SOURCE))
    return [p for slug, p in people.items() if slug not in linked]


def _profile_name(bundle: Bundle) -> str:
    """Your own name, from the export's Profile.csv when it is there."""
    member = None if bundle.is_single_file else bundle.find("Profile.csv")
    if member is None:
        return ""
    display = bundle.display(member)
    _, rows = read_csv(bundle.read_text(member), display,
                       lambda cells: "First Name" in cells and "Last Name" in cells)
    for row in rows:
        return f"{row.get('First Name')} {row.get('Last Name')}".strip().casefold()
    return ""


def _owner(msgs: list[_Msg], connections: set[str], profile_name: str = "") -> str | None:
    """You: named in Profile.csv; else in the most conversations, preferring a non-connection."""
    seen: dict[str, set[str]] = {}
    for m in msgs:
        if profile_name and m.sender[1].casefold() == profile_name:
            return m.sender[0]
        for slug in (m.sender[0], *(s for s, _ in m.recipients)):
            seen.setdefault(slug, set()).add(m.conversation)
    if not seen:
        return None
    names = {m.sender[0]: m.sender[1].casefold() for m in msgs}
    names.update((s, n.casefold()) for m in msgs for s, n in m.recipients if n)

    def is_connection(slug: str) -> bool:
        return f"linkedin:{slug}" in connections or f"name:{names.get(slug, '')}" in connections

    counts = Counter({slug: len(convs) for slug, convs in seen.items()})
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], is_connection(kv[0]), kv[0]))
    return ranked[0][0]


def _parse_time(text: str, formats: tuple[str, ...], display: str, row: CsvRow) -> datetime:
    value = _when(text.strip(), formats)
    if value is None:
        raise failed(display, row.line, f"'{text[:40]}' is not a date this importer knows")
    return value


@lru_cache(maxsize=8192)
def _when(text: str, formats: tuple[str, ...]) -> datetime | None:
    """Cached: 50,000 connections share a few thousand dates, and strptime is slow."""
    # LinkedIn writes UTC or no zone at all; either way, read it as UTC.
    iso = text.removesuffix(" UTC")
    if len(iso) >= 16 and iso[4:5] == "-":
        try:
            value = datetime.fromisoformat(iso)
        except ValueError:
            pass
        else:
            return value if value.tzinfo else value.replace(tzinfo=UTC)
    for fmt in formats:
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=UTC)
        except ValueError:
            continue
    return None
