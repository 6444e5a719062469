"""Which importer reads a path: by the files a zip or folder holds, else by a file's first lines."""

from __future__ import annotations

import csv
import io

from coach.errors import ImportFailed
from coach.imports import google, linkedin, vcard, x_archive
from coach.imports.source import Bundle, decode

FORMATS = ("linkedin", "x", "vcard", "google")


def detect(bundle: Bundle) -> str:
    """One of FORMATS, or ImportFailed saying what was looked for."""
    if not bundle.is_single_file:
        if bundle.find("Connections.csv") or bundle.find("messages.csv") or bundle.find(
                "Invitations.csv"):
            return "linkedin"
        if any((m.casefold().endswith(".js") and "data/" in m.casefold()) or
               m.casefold().endswith(("direct-messages.js", "account.js"))
               for m in bundle.members):
            return "x"
        if any(m.casefold().endswith((".vcf", ".vcard")) for m in bundle.members):
            return "vcard"
        csvs = [m for m in bundle.members if m.casefold().endswith(".csv")]
        if csvs and _csv_kind(decode(bundle.read_bytes(csvs[0])[:65536], "x", lenient=True)) \
                == "google":
            return "google"
        raise _unknown(bundle)
    head = decode(bundle.read_bytes(bundle.members[0])[:65536], "x", lenient=True)
    if vcard.looks_like_vcard(head):
        return "vcard"
    if x_archive.looks_like_x(head):
        return "x"
    kind = _csv_kind(head)
    if kind:
        return kind
    raise _unknown(bundle)


def _csv_kind(head: str) -> str | None:
    # Header rows are plain, so reading line by line is safe even where a preamble is odd.
    for line in head.splitlines()[:50]:
        try:
            cells = [c.strip() for row in csv.reader(io.StringIO(line)) for c in row]
        except csv.Error:
            continue
        if (linkedin.looks_like_connections(cells) or linkedin.looks_like_messages(cells)
                or linkedin.looks_like_invitations(cells)):
            return "linkedin"
        if google.looks_like_google(cells):
            return "google"
    return None


def _unknown(bundle: Bundle) -> ImportFailed:
    return ImportFailed(
        f"Cannot tell what kind of export {bundle.path.name} is: not a LinkedIn export, an X "
        "archive, a vCard file or a Google Contacts CSV. Nothing was imported.",
        "Pick the format with --format linkedin|x|vcard|google.",
    )
