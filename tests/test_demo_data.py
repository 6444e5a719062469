"""The demo data in `sample_data/`: it validates, covers the situations the coach is for, loads
from the command line, and `coach --demo`'s temporary home never touches the user's own."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from coach.demo import demo_contacts, demo_drafts, make_demo_home
from coach.models import (
    CHANNELS,
    CONTEXTS,
    Ask,
    CheckRequest,
    Contact,
    Disclosure,
    Interaction,
    Preference,
)
from coach.paths import sample_data_dir
from coach.store import open_store

# The rule ids the offline coach uses (pacing and courtesy); a non-ok draft's `why` names one,
# so a reader of the data and the verdict tests can see which rule is meant to fire.
RULE_WORDS = (
    "depth-jump", "disclosure-asymmetry", "personal-question", "endearment",
    "presumed-closeness", "big-ask", "chasing", "one-sided", "channel-escalation",
    "private-reshare", "researched-fact", "preference-name", "preference-pronouns",
    "preference-topic", "preference-channel", "quiet-hours", "courtesy",
)
# Gendered words that must not appear about anyone who has not stated their pronouns.
GENDERED = re.compile(r"\b(he|him|his|she|her|hers|himself|herself)\b", re.IGNORECASE)


def raw_contacts() -> dict[str, Any]:
    doc: dict[str, Any] = json.loads((sample_data_dir() / "contacts.json").read_text("utf-8"))
    return doc


def unknown_keys(doc: dict[str, Any], model: type[BaseModel]) -> set[str]:
    # Models ignore extra keys, so a misspelt field would vanish silently: catch it here.
    return set(doc) - set(model.model_fields)


@pytest.fixture(scope="module")
def contacts() -> list[Contact]:
    return demo_contacts()


@pytest.fixture(scope="module")
def drafts() -> list[dict[str, Any]]:
    return demo_drafts()


# -- contacts.json -----------------------------------------------------------------------------
def test_every_contact_validates_with_no_misspelt_fields() -> None:
    raw = raw_contacts()
    assert datetime.fromisoformat(raw["reference_time"]).tzinfo is not None
    for doc in raw["contacts"]:
        contact = Contact.model_validate(doc)
        assert unknown_keys(doc, Contact) == set(), contact.id
        for key, model in (("interactions", Interaction), ("disclosures", Disclosure),
                           ("preferences", Preference), ("asks", Ask)):
            for item in doc.get(key, []):
                assert unknown_keys(item, model) == set(), (contact.id, key, item)
                if "at" in item:
                    assert datetime.fromisoformat(item["at"]).tzinfo is not None, item


def test_ids_are_stable_unique_and_readable(contacts: list[Contact]) -> None:
    ids = [c.id for c in contacts]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"c-[a-z0-9-]+", i) for i in ids), ids


def test_newest_time_lands_one_day_before_now(contacts: list[Contact]) -> None:
    now = datetime(2030, 1, 15, 12, 0, tzinfo=UTC)
    shifted = demo_contacts(now)
    newest = max(i.at for c in shifted for i in c.interactions)
    assert newest == now - timedelta(days=1)
    # Late in the day the shift is still whole days: every message keeps its hour.
    late = demo_contacts(now + timedelta(hours=11))
    assert max(i.at for c in late for i in c.interactions) == now - timedelta(days=1)
    # Nothing lands in the future, and each history stays in order after the shift.
    for c in shifted:
        ats = [i.at for i in c.interactions]
        assert ats == sorted(ats), c.id
        other_times = [x.at for x in c.disclosures] + [x.at for x in c.asks]
        assert all(t is None or t < now for t in other_times), c.id


def test_contacts_span_contexts_and_stages(contacts: list[Contact]) -> None:
    assert len(contacts) >= 14
    assert set(Counter(c.context for c in contacts)) == set(CONTEXTS)
    declared = {c.stage for c in contacts if c.stage}
    assert {"stranger", "introduced", "acquaintance", "friend", "close"} <= declared
    assert any(c.stage is None for c in contacts), "some stages are left to the evidence"


def by_id(contacts: list[Contact], cid: str) -> Contact:
    return next(c for c in contacts if c.id == cid)


def test_the_situations_the_coach_is_for_are_present(contacts: list[Contact]) -> None:
    # Chasing: at least three outgoing messages since their last reply.
    lars = sorted(by_id(contacts, "c-lars-eriksen").interactions, key=lambda i: i.at)
    trailing_out = len(lars) - 1 - max(n for n, i in enumerate(lars) if i.direction == "in")
    assert trailing_out >= 3
    # A customer who only ever replied in public and shared nothing personal.
    dana = by_id(contacts, "c-dana-reyes")
    assert all(i.is_public for i in dana.interactions)
    assert all(d.depth == 0 for d in dana.disclosures)
    # A prospect who never wrote.
    assert all(i.direction == "out" for i in by_id(contacts, "c-priya-raman").interactions)
    # A new follower who shared health at depth 2, in private.
    mika = by_id(contacts, "c-mika-virtanen")
    assert any(d.who == "them" and d.topic == "health" and d.depth == 2 and d.private
               for d in mika.disclosures)
    # A private disclosure to test re-sharing in public.
    yusuf = by_id(contacts, "c-yusuf-haddad")
    assert any(d.private and d.depth >= 2 for d in yusuf.disclosures)
    # Stated preferences with the person's own words.
    okafor = by_id(contacts, "c-chidinma-okafor")
    kinds = {p.kind: p for p in okafor.preferences}
    assert kinds["name_form"].value == "Dr. Okafor" and okafor.pronouns == "they/them"
    assert kinds["channel_avoid"].value == "dm" and kinds["topic_avoid"].value == "family"
    assert all(p.quote for p in okafor.preferences)
    quiet = [p for c in contacts for p in c.preferences if p.kind == "quiet_hours"]
    assert quiet and re.fullmatch(r"\d\d:\d\d-\d\d:\d\d", quiet[0].value)
    # A name in a non-Latin script.
    assert any(not any("a" <= ch.lower() <= "z" for ch in c.name) for c in contacts)


def test_no_gender_is_inferred_for_people_who_did_not_state_pronouns(
    contacts: list[Contact],
) -> None:
    for c in contacts:
        if c.pronouns:
            continue
        # Our own descriptions of them; their messages may mention other people freely.
        ours = [c.notes, c.how_met, *(d.summary for d in c.disclosures),
                *(i.text for i in c.interactions if i.channel in ("call", "meeting", "in_person"))]
        found = [m.group(0) for text in ours for m in GENDERED.finditer(text)]
        assert found == [], (c.id, found)


# -- drafts.jsonl ------------------------------------------------------------------------------
def test_every_draft_line_is_a_valid_batch_line(
    contacts: list[Contact], drafts: list[dict[str, Any]]
) -> None:
    ids = {c.id for c in contacts}
    assert len(drafts) >= 36
    assert len({d["id"] for d in drafts}) == len(drafts)
    for d in drafts:
        request = CheckRequest.model_validate(d)
        assert request.draft.strip(), d["id"]
        assert d["channel"] in CHANNELS, d["id"]
        assert d.get("contact") is None or d["contact"] in ids, d["id"]
        assert d["expect"] in ("ok", "revise", "hold"), d["id"]
        assert d["why"].strip() and "\n" not in d["why"], d["id"]
        if d["expect"] != "ok":
            assert any(word in d["why"] for word in RULE_WORDS), (d["id"], d["why"])


def test_drafts_are_varied(contacts: list[Contact], drafts: list[dict[str, Any]]) -> None:
    verdicts = Counter(d["expect"] for d in drafts)
    assert min(verdicts["ok"], verdicts["revise"], verdicts["hold"]) >= 8, verdicts
    assert any(d.get("contact") is None for d in drafts)
    assert any(len(d["draft"]) > 1000 for d in drafts)
    assert sum(any(ord(ch) > 0x2000 for ch in d["draft"]) for d in drafts) >= 5  # emoji, Hangul
    # Every demo contact is written to at least once, so the demo shows each situation.
    addressed = {d.get("contact") for d in drafts}
    assert {c.id for c in contacts} <= addressed


# -- loading -----------------------------------------------------------------------------------
def coach_cli(*argv: str, home: Path) -> Any:
    out = subprocess.run(
        [sys.executable, "-m", "coach", "--home", str(home), *argv],
        capture_output=True, text=True, timeout=60,
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_demo_load_then_contacts_list_shows_every_demo_contact(
    tmp_path: Path, contacts: list[Contact]
) -> None:
    home = tmp_path / "cli-home"
    loaded = coach_cli("demo", "load", "--json", home=home)
    assert loaded["added"] == len(contacts)
    listed = coach_cli("contacts", "list", "--json", "--limit", "0", home=home)
    assert sorted(c["id"] for c in listed) == sorted(c.id for c in contacts)
    # Loading again leaves what is there alone.
    assert coach_cli("demo", "load", "--json", home=home)["added"] == 0
    # `coach history` alone lists the demo's history (as `history list` does).
    shown = subprocess.run([sys.executable, "-m", "coach", "--home", str(home), "history"],
                           capture_output=True, text=True, timeout=60)
    assert shown.returncode == 0 and "Lars Eriksen" in shown.stdout, shown.stderr


def test_demo_load_writes_a_coaching_history_of_the_messages_sent(
    coach_home: Path, contacts: list[Contact]
) -> None:
    from coach.demo import load_demo

    with open_store() as store:
        load_demo(store)
        records = store.list_checks(limit=0)
        sent = {(c.id, i.text) for c in contacts for i in c.interactions
                if i.direction == "out" and i.channel not in ("call", "meeting", "in_person")}
        # One record per written message you sent: checked two minutes before it went out.
        assert {(r.contact_id, r.draft) for r in records} == sent
        by_text = {(c.id, i.text): i for c in contacts for i in c.interactions}
        for r in records:
            item = by_text[(r.contact_id, r.draft)]
            assert r.sent and r.created < r.sent_at
            assert r.engine == "offline" and r.result.verdict in ("ok", "revise", "hold")
            assert item.channel == r.channel
        # The story the demo tells: Lars was chased, most messages were fine to send.
        verdicts = Counter(r.result.verdict for r in records)
        assert verdicts["ok"] > len(records) / 2
        assert any(r.result.verdict == "hold" and r.contact_name == "Lars Eriksen"
                   for r in records)
        # Loading again adds neither contacts nor history.
        assert load_demo(store) == 0
        assert store.count_checks() == len(records)


def test_demo_home_is_fresh_and_never_the_users_own(
    coach_home: Path, contacts: list[Contact]
) -> None:
    first = make_demo_home()
    second = make_demo_home()
    try:
        assert first != second
        for home in (first, second):
            assert not home.is_relative_to(coach_home) and not coach_home.is_relative_to(home)
            with open_store(home / "data") as store:
                assert store.count_contacts() == len(contacts)
        # The user's home (COACH_HOME) got no files and its store stays empty.
        assert list(coach_home.iterdir()) == []
        with open_store() as store:
            assert store.count_contacts() == 0
    finally:
        shutil.rmtree(first, ignore_errors=True)
        shutil.rmtree(second, ignore_errors=True)
