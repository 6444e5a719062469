"""Merging: one person across sources, idempotent re-imports, user edits never overwritten."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from coach.imports import apply_plan, plan_import
from coach.models import Contact, Interaction
from coach.store import open_store

FIX = Path(__file__).parent / "fixtures" / "imports"


def _import(path: Path) -> tuple[int, int, int]:
    with open_store() as store:
        plan = apply_plan(store, plan_import(store, path))
    return len(plan.new), len(plan.merged), plan.interactions


def _snapshot() -> list[dict[str, object]]:
    with open_store() as store:
        return [c.model_dump(mode="json") for c in store.list_contacts(limit=0)]


def test_reimporting_every_format_changes_nothing() -> None:
    paths = [FIX / "linkedin", FIX / "x_archive", FIX / "contacts_v3.vcf",
             FIX / "contacts_v4.vcf", FIX / "google_current.csv", FIX / "google_legacy.csv",
             FIX / "linkedin_connections_2022.csv", FIX / "linkedin_2021",
             FIX / "linkedin_two_people", FIX / "contacts_v21.vcf"]
    for p in paths:
        _import(p)
    before = _snapshot()
    for p in paths:
        assert _import(p) == (0, 0, 0), p.name
    assert _snapshot() == before  # not even `updated` moved


def test_one_person_across_linkedin_vcard_and_x() -> None:
    _import(FIX / "linkedin")
    # The vCard has Dana's LinkedIn URL (same slug) plus her email and X handle.
    assert _import(FIX / "contacts_v3.vcf") == (1, 1, 0)
    # The X archive knows her handle @danar: merged into the same contact, not a new one.
    new, merged, _ = _import(FIX / "x_archive")
    assert (new, merged) == (3, 1)
    with open_store() as store:
        danas = [c for c in store.list_contacts(limit=0) if "danar" in c.handles.get("x", "")]
    assert len(danas) == 1
    dana = danas[0]
    assert dana.name == "Dana Reyes"
    assert dana.handles["email"] == "dana@example.com"
    assert dana.handles["x_id"] == "2001"
    assert dana.sources == ["import:linkedin", "import:vcard", "import:x"]
    assert {i.source for i in dana.interactions} == {"import:linkedin", "import:x"}
    assert len(dana.interactions) == 3 + 5
    ats = [i.at for i in dana.interactions]
    assert ats == sorted(ats)


def test_same_email_in_google_and_linkedin_is_one_contact() -> None:
    _import(FIX / "linkedin")
    assert _import(FIX / "google_current.csv") == (1, 1, 0)  # Priya merged, Chris added
    with open_store() as store:
        priya = store.find_contact("Priya Natarajan")
    assert priya.preferred_name == "Pri"
    assert priya.handles["email_2"] == "priya.n@example.com"


def test_user_edits_are_never_overwritten() -> None:
    with open_store() as store:
        store.add_contact(Contact(
            name="Dana R.", preferred_name="Dr. Reyes", how_met="Her talk at RoboConf",
            notes="my own note", context="customer", stage="acquaintance",
            handles={"linkedin": "https://www.linkedin.com/in/dana-reyes-4a1b",
                     "email": "dana@work.example"},
            interactions=[Interaction(direction="out", at=datetime(2026, 1, 1, tzinfo=UTC),
                                      text="manual log", source="manual")],
        ))
    assert _import(FIX / "linkedin") == (3, 1, 6)  # 3 of the 6 are hers
    with open_store() as store:
        dana = store.find_contact("Dana R.")
    assert (dana.name, dana.preferred_name, dana.how_met, dana.notes, dana.context,
            dana.stage) == ("Dana R.", "Dr. Reyes", "Her talk at RoboConf", "my own note",
                            "customer", "acquaintance")
    assert dana.handles["email"] == "dana@work.example"
    assert dana.interactions[0].text == "manual log"
    assert len(dana.interactions) == 4
    assert dana.sources == ["import:linkedin"]


def test_only_empty_fields_are_filled() -> None:
    with open_store() as store:
        store.add_contact(Contact(name="Alex Kim", handles={"email": "ALEX@example.net"}))
    assert _import(FIX / "contacts_v4.vcf") == (1, 1, 0)
    with open_store() as store:
        alex = store.find_contact("Alex Kim")
    assert alex.pronouns == "they/them" and alex.preferred_name == "Lex"
    assert alex.handles["email"] == "ALEX@example.net"  # matched case-insensitively, kept as is
    assert "email_2" not in alex.handles


def test_dry_run_plan_writes_nothing() -> None:
    with open_store() as store:
        plan = plan_import(store, FIX / "linkedin")
        assert len(plan.new) == 4
        assert store.count_contacts() == 0
    summary = plan.summary()
    assert summary["add"] == 4 and summary["applied"] is False
    assert summary["sample"][0]["action"] == "add"


def test_cli_dry_run_then_import(capsys: pytest.CaptureFixture[str]) -> None:
    from coach.cli import main

    assert main(["contacts", "import", str(FIX / "google_legacy.csv"), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "add 2 contact(s), merge into 0, skip 0" in out and "Dry run: nothing was written" in out
    with open_store() as store:
        assert store.count_contacts() == 0
    assert main(["contacts", "import", str(FIX / "google_legacy.csv"), "--format", "google",
                 "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert (summary["add"], summary["applied"], summary["format"]) == (2, True, "google")
    assert main(["contacts", "import", str(FIX / "google_legacy.csv")]) == 0
    assert "Nothing to change" in capsys.readouterr().out


def test_two_stored_contacts_shown_to_be_one_person_are_reported() -> None:
    _import(FIX / "linkedin")
    _import(FIX / "x_archive")  # no shared key yet: a second Dana
    with open_store() as store:
        plan = plan_import(store, FIX / "contacts_v3.vcf")  # has her LinkedIn URL and @danar
    assert len(plan.duplicates) == 1
    assert [name for _, name in plan.duplicates[0]] == ["Dana Reyes", "Dana Reyes"]
    assert any("look like one person" in line for line in plan.describe())
    assert plan.summary()["possible_duplicates"][0][0]["name"] == "Dana Reyes"


def test_a_shared_phone_number_does_not_merge_people(tmp_path: Path) -> None:
    header = "First Name,Last Name,Labels,Phone 1 - Label,Phone 1 - Value"
    (tmp_path / "g.csv").write_text(
        f"{header}\nAna,Lopez,* myContacts,Work,+1 415 555 0199\n"
        "Bo,Chen,* myContacts,Work,(415) 555-0199\n", encoding="utf-8")
    assert _import(tmp_path / "g.csv") == (2, 0, 0)


def test_a_made_up_name_gives_way_to_a_real_one(tmp_path: Path) -> None:
    import shutil

    shutil.copy(FIX / "x_archive" / "data" / "direct-messages.js", tmp_path / "direct-messages.js")
    _import(tmp_path / "direct-messages.js")  # no tweets.js: Dana is "X user 2001"
    with open_store() as store:
        assert store.find_contact("X user 2001").handles["x_id"] == "2001"
        store.add_contact(Contact(name="Kim", handles={"x_id": "2004"}))  # named by the user
    _import(FIX / "x_archive")  # tweets.js knows "Dana Reyes" (2001) and "Kim Lee" (2004)
    with open_store() as store:
        names = {c.handles.get("x_id"): c.name for c in store.list_contacts(limit=0)}
    assert names["2001"] == "Dana Reyes"
    assert names["2004"] == "Kim"  # the user's own name for her stays
