"""Exports: contacts as vCard 4.0 / CSV / JSON, history as Markdown / JSON / CSV, files 0600."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import vobject

from coach.cli import main
from coach.errors import UsageError
from coach.export import contacts_to_vcard, export_contacts
from coach.imports import apply_plan, plan_import
from coach.models import CheckRecord, CheckResult, Contact, Flag, Interaction
from coach.store import open_store

FIX = Path(__file__).parent / "fixtures" / "imports"
T0 = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


def _dana() -> Contact:
    return Contact(
        name="Dana Reyes", preferred_name="Dana", pronouns="she/her", context="customer",
        stage="introduced", how_met="replied to our launch post; then, a DM",
        notes="Line one\nLine two; with a semicolon, and a comma, and a very long tail that "
              "must be folded because vCard lines stop at seventy-five octets: ünïcödé",
        handles={"email": "dana@example.com", "x": "@danar", "x_id": "2001",
                 "linkedin": "https://www.linkedin.com/in/dana-reyes-4a1b", "mastodon": "@d@x"},
        interactions=[Interaction(direction="in", at=T0, text="Love the release!",
                                  channel="public_reply")],
    )


@pytest.fixture
def filled_store() -> list[CheckRecord]:
    dana = _dana()
    records = []
    with open_store() as store:
        store.add_contact(dana)
        store.add_contact(Contact(name="Pat Doe"))
        for n, verdict in enumerate(["ok", "revise", "hold"]):
            r = CheckRecord(
                created=T0 + timedelta(days=n), draft=f"Draft {n}: how is your family?",
                contact_id=dana.id, contact_name=dana.name, channel="dm",
                result=CheckResult(verdict=verdict, advice="Wait for a reply.", flags=[
                    Flag(rule="personal-question", start=9, end=28, message="Asks about family",
                         evidence="Dana shared nothing about family")]))
            store.add_check(r)
            records.append(r)
        store.add_check(CheckRecord(created=T0, draft="Hello world", result=CheckResult()))
    return records


def test_vcard_40_is_valid_folded_and_private(tmp_path: Path, filled_store: object) -> None:
    out = tmp_path / "contacts.vcf"
    assert main(["contacts", "export", str(out)]) == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    raw = out.read_bytes()
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    cards = list(vobject.readComponents(raw.decode()))
    assert [c.fn.value for c in cards] == ["Dana Reyes", "Pat Doe"]
    assert cards[0].version.value == "4.0"
    assert cards[0].note.value.startswith("Line one\nLine two; with a semicolon, and a comma")
    assert cards[0].note.value.endswith("ünïcödé")


def test_vcard_round_trips_through_the_importer(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    dana = _dana()
    out = tmp_path / "c.vcf"
    export_contacts([dana], out)
    monkeypatch.setenv("COACH_HOME", str(tmp_path / "other-home"))
    with open_store() as store:
        apply_plan(store, plan_import(store, out))
        back = store.find_contact("Dana Reyes")
    assert (back.preferred_name, back.pronouns, back.context, back.stage, back.how_met,
            back.notes) == (dana.preferred_name, dana.pronouns, dana.context, dana.stage,
                            dana.how_met, dana.notes)
    assert back.handles == dana.handles


def test_contacts_csv_and_json(tmp_path: Path, filled_store: object) -> None:
    assert main(["contacts", "export", str(tmp_path / "c.csv")]) == 0
    rows = list(csv.DictReader(io.StringIO((tmp_path / "c.csv").read_text(encoding="utf-8"))))
    assert [r["name"] for r in rows] == ["Dana Reyes", "Pat Doe"]
    assert rows[0]["email"] == "dana@example.com"
    assert "x=@danar" in rows[0]["handles"]
    assert rows[0]["interactions"] == "1" and rows[0]["notes"].startswith("Line one\nLine two")
    assert main(["contacts", "export", str(tmp_path / "c.json"), "--search", "pat"]) == 0
    data = json.loads((tmp_path / "c.json").read_text(encoding="utf-8"))
    assert [c["name"] for c in data] == ["Pat Doe"]
    assert Contact.model_validate(data[0]).name == "Pat Doe"


def test_history_exports_with_filters(tmp_path: Path, filled_store: list[CheckRecord],
                                      capsys: pytest.CaptureFixture[str]) -> None:
    md = tmp_path / "h.md"
    assert main(["history", "export", str(md), "--contact", "Dana", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"file": str(md), "format": "markdown",
                                                   "checks": 3}
    text = md.read_text(encoding="utf-8")
    assert text.index("Draft 2") < text.index("Draft 1") < text.index("Draft 0")  # newest first
    assert "Hello world" not in text
    assert "**warn** personal-question: Asks about family (“how is your family?”)" in text
    assert stat.S_IMODE(md.stat().st_mode) == 0o600

    assert main(["history", "export", str(tmp_path / "h.csv"), "--verdict", "hold"]) == 0
    rows = list(csv.DictReader(io.StringIO((tmp_path / "h.csv").read_text(encoding="utf-8"))))
    assert [(r["verdict"], r["draft"], r["flags"]) for r in rows] == [
        ("hold", "Draft 2: how is your family?", "personal-question")]

    assert main(["history", "export", str(tmp_path / "h.json"),
                 "--since", "2026-11-21", "--until", "2026-11-21T23:59"]) == 0
    data = json.loads((tmp_path / "h.json").read_text(encoding="utf-8"))
    assert [CheckRecord.model_validate(d).id for d in data] == [filled_store[1].id]


def test_unknown_suffix_needs_a_format(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="Cannot tell which format") as err:
        export_contacts([], tmp_path / "contacts.txt")
    assert err.value.hint == "Add --format vcard|csv|json."
    export_contacts([], tmp_path / "contacts.txt", "json")
    assert json.loads((tmp_path / "contacts.txt").read_text(encoding="utf-8")) == []


def test_export_to_a_missing_folder_is_one_line_exit_2(tmp_path: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "coach", "contacts", "export", str(tmp_path / "no" / "c.vcf")],
        capture_output=True, text=True, timeout=60,
        env={**os.environ, "COACH_HOME": str(tmp_path / "h")})
    assert out.returncode == 2
    assert out.stderr.count("\n") == 1 and "does not exist" in out.stderr


def test_vcard_escapes_are_reversible() -> None:
    c = Contact(name="A, B; C\\D", notes="x")
    card = next(vobject.readComponents(contacts_to_vcard([c])))
    assert card.fn.value == "A, B; C\\D"


def test_reimporting_our_own_vcard_export_changes_nothing(tmp_path: Path) -> None:
    with open_store() as store:
        for p in (FIX / "linkedin", FIX / "linkedin_connections_2022.csv", FIX / "x_archive",
                  FIX / "contacts_v4.vcf"):
            apply_plan(store, plan_import(store, p))
        before = [c.model_dump(mode="json") for c in store.list_contacts(limit=0)]
        export_contacts(store.list_contacts(limit=0), tmp_path / "all.vcf")
        plan = plan_import(store, tmp_path / "all.vcf")
        # Even Ben Castillo (no handle at all) and both Danas are recognised by their coach id.
        assert (len(plan.new), len(plan.merged), plan.unchanged) == (0, 0, len(before))
        assert plan.duplicates == []
