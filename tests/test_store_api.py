"""The Store's public behaviour: contacts, history listing and filters, mark_sent, mutes, drafts."""

from __future__ import annotations

import os
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from coach.errors import NotFoundError, UsageError
from coach.models import CheckRecord, CheckResult, Contact, Interaction, Mute
from coach.store import Store, open_store


def record(
    draft: str, *, contact: Contact | None = None, verdict: str = "ok", at: datetime | None = None
) -> CheckRecord:
    return CheckRecord(
        draft=draft,
        contact_id=contact.id if contact else None,
        contact_name=contact.name if contact else None,
        channel="dm",
        result=CheckResult(verdict=verdict),  # type: ignore[arg-type]
        created=at or datetime.now(UTC),
    )


@pytest.fixture
def store() -> Store:
    s = open_store()
    yield s
    s.close()


def test_find_contact_by_id_name_preferred_and_prefix(store: Store) -> None:
    dana = store.add_contact(Contact(name="Dana Reyes", preferred_name="Dr. Reyes"))
    store.add_contact(Contact(name="Sam Ortiz"))
    store.add_contact(Contact(name="Samantha Cole"))
    assert store.find_contact(dana.id).name == "Dana Reyes"
    assert store.find_contact("dana reyes").id == dana.id
    assert store.find_contact("Dr. Reyes").id == dana.id
    assert store.find_contact("dan").id == dana.id
    assert store.find_contact("sam ortiz").name == "Sam Ortiz"  # exact beats prefix
    with pytest.raises(UsageError, match="matches 2 contacts"):
        store.find_contact("sam")
    with pytest.raises(NotFoundError):
        store.find_contact("nobody")


def test_contacts_add_update_list_count_and_duplicates(store: Store) -> None:
    a = store.add_contact(Contact(name="Zoe", handles={"x": "@zoe"}))
    store.add_contacts([Contact(name="Adam"), Contact(name="mia")])
    with pytest.raises(UsageError):
        store.add_contact(Contact(id=a.id, name="Other"))
    assert [c.name for c in store.list_contacts()] == ["Adam", "mia", "Zoe"]
    assert [c.name for c in store.list_contacts(search="@zo")] == ["Zoe"]
    assert [c.name for c in store.list_contacts(limit=1)] == ["Adam"]
    assert store.count_contacts() == 3
    a.notes = "met at the meetup"
    store.update_contact(a)
    assert store.get_contact(a.id).notes == "met at the meetup"  # type: ignore[union-attr]
    with pytest.raises(NotFoundError):
        store.update_contact(Contact(name="Ghost"))


def test_history_newest_first_with_filters_and_counts(store: Store) -> None:
    dana = store.add_contact(Contact(name="Dana"))
    base = datetime(2026, 1, 5, 12, tzinfo=UTC)
    # Spread over ten weeks so that listing crosses week tables.
    for i in range(30):
        contact = dana if i % 3 == 0 else None
        verdict = "hold" if i % 5 == 0 else "ok"
        store.add_check(
            record(
                f"draft {i}", contact=contact, verdict=verdict, at=base + timedelta(days=i * 2.5)
            )
        )
    newest = store.list_checks(limit=5)
    assert [r.draft for r in newest] == [f"draft {i}" for i in (29, 28, 27, 26, 25)]
    assert [r.draft for r in store.list_checks(limit=3, offset=2)] == [
        "draft 27",
        "draft 26",
        "draft 25",
    ]
    assert len(store.list_checks(limit=0)) == 30
    assert store.count_checks() == 30
    mine = store.list_checks(limit=0, contact_id=dana.id)
    assert [r.draft for r in mine] == [f"draft {i}" for i in range(27, -1, -3)]
    assert store.count_checks(contact_id=dana.id) == 10
    assert store.count_checks(verdict="hold") == 6
    since = base + timedelta(days=50)
    assert all(r.created >= since for r in store.list_checks(limit=0, since=since))
    assert store.count_checks(since=since) == 10
    assert store.count_checks(until=base + timedelta(days=5)) == 3
    assert [r.draft for r in store.list_checks(text="DRAFT 1", limit=3)] == [
        "draft 19",
        "draft 18",
        "draft 17",
    ]
    assert store.count_checks(text="draft 2") == 11  # 2 and 20..29


def test_get_update_delete_check(store: Store) -> None:
    r = store.add_check(record("hello there"))
    assert store.get_check(r.id).draft == "hello there"  # type: ignore[union-attr]
    r.coaching = "fine"
    store.update_check(r)
    assert store.get_check(r.id).coaching == "fine"  # type: ignore[union-attr]
    # Moving a record in time moves it to another week table, still found by id.
    r.created = r.created - timedelta(days=60)
    store.update_check(r)
    assert store.get_check(r.id).created == r.created  # type: ignore[union-attr]
    assert store.count_checks() == 1
    assert store.delete_check(r.id) is True
    assert store.delete_check(r.id) is False
    assert store.get_check(r.id) is None
    with pytest.raises(NotFoundError):
        store.update_check(r)


def test_mark_sent_logs_one_outgoing_interaction(store: Store) -> None:
    dana = store.add_contact(Contact(name="Dana"))
    r = store.add_check(record("see you thursday", contact=dana))
    sent = store.mark_sent(r.id)
    assert sent.sent and sent.sent_at is not None
    store.mark_sent(r.id)
    # A retry after a crash between the two writes must not log it twice either.
    store.log_interaction(
        dana.id, Interaction(direction="out", text="see you thursday", source=f"check:{r.id}")
    )
    outs = [i for i in store.get_contact(dana.id).interactions if i.direction == "out"]  # type: ignore[union-attr]
    assert len(outs) == 1 and outs[0].text == "see you thursday"
    assert store.get_check(r.id).sent is True  # type: ignore[union-attr]
    with pytest.raises(NotFoundError):
        store.mark_sent("h-missing")


def test_delete_contact_removes_history_and_mutes(store: Store) -> None:
    dana = store.add_contact(Contact(name="Dana"))
    sam = store.add_contact(Contact(name="Sam"))
    base = datetime(2026, 3, 2, tzinfo=UTC)
    for i in range(6):
        store.add_check(record(f"d{i}", contact=dana, at=base + timedelta(days=9 * i)))
    keep = store.add_check(record("to sam", contact=sam))
    store.add_mute(Mute(rule="late_hour", contact_id=dana.id))
    store.add_mute(Mute(rule="too_fast"))
    assert store.delete_contact(dana.id) is True
    assert store.get_contact(dana.id) is None
    assert store.count_checks(contact_id=dana.id) == 0
    assert [r.id for r in store.list_checks(limit=0)] == [keep.id]
    assert [m.rule for m in store.list_mutes(dana.id)] == ["too_fast"]
    assert store.delete_contact(dana.id) is False
    # keep_history leaves the records
    store.add_check(record("sam again", contact=sam))
    store.delete_contact(sam.id, with_history=False)
    assert store.count_checks(contact_id=sam.id) == 2


def test_mutes_replace_and_scope(store: Store) -> None:
    store.add_mute(Mute(rule="r1", reason="first"))
    store.add_mute(Mute(rule="r1", reason="second"))
    store.add_mute(Mute(rule="r2", contact_id="c1"))
    assert [m.reason for m in store.list_mutes()] == ["second"]
    assert sorted(m.rule for m in store.list_mutes("c1")) == ["r1", "r2"]
    assert store.remove_mute("r2", "c1") is True
    assert store.remove_mute("r2", "c1") is False


def test_drafts_upsert_get_delete(store: Store) -> None:
    store.save_draft("main", "hel", contact="c1")
    store.save_draft("main", "hello")
    got = store.get_draft("main")
    assert got is not None and got["text"] == "hello" and got["meta"] == {}
    store.delete_draft("main")
    assert store.get_draft("main") is None


def test_reopen_sees_everything_and_files_are_private(coach_home: Path) -> None:
    with open_store() as s:
        c = s.add_contact(Contact(name="Dana"))
        r = s.add_check(record("hi", contact=c))
        s.save_draft("x", "y")
    with open_store() as s:
        assert s.get_contact(c.id) is not None
        assert s.get_check(r.id) is not None
        assert s.get_draft("x") is not None
        assert s.schema_version == 2
        files = s.files()
    assert files
    for p in files:
        assert stat.S_IMODE(os.stat(p).st_mode) == 0o600, p
    for d in [p.parent for p in files]:
        assert stat.S_IMODE(os.stat(d).st_mode) == 0o700, d


def test_long_lived_store_sees_other_writers_and_compaction(coach_home: Path) -> None:
    ui = open_store()
    other = open_store()
    try:
        assert ui.count_checks() == 0
        assert ui.list_checks() == []
        r = other.add_check(record("from the other terminal"))
        assert [x.id for x in ui.list_checks()] == [r.id]
        c = other.add_contact(Contact(name="Dana"))
        assert ui.find_contact("dana").id == c.id
        # Force a compaction in the other store: the UI's next read must still be right.
        other.history.journal.compact()
        r2 = other.add_check(record("after compaction"))
        assert [x.draft for x in ui.list_checks()] == [
            "after compaction",
            "from the other terminal",
        ]
        assert ui.count_checks() == 2
        ui.delete_check(r2.id)
        assert other.count_checks() == 1
    finally:
        ui.close()
        other.close()


def test_compaction_keeps_everything(coach_home: Path) -> None:
    s = open_store()
    s.history.journal.compact_min_bytes = 2000  # compact often
    ids = [s.add_check(record(f"n{i}" + "x" * 300)).id for i in range(40)]
    for i in ids[::3]:
        s.delete_check(i)
    s.close()
    assert len(list((coach_home / "data" / "history").glob("*.snapshot.jsonl"))) >= 1
    with open_store() as s2:
        got = {r.id for r in s2.list_checks(limit=0)}
    assert got == set(ids) - set(ids[::3])


def test_contact_reads_use_the_indexes_not_whole_tables(coach_home: Path) -> None:
    with open_store() as s:
        s.add_contacts(Contact(id=f"c{i:04d}", name=f"Person {i:04d}") for i in range(400))
        s._people.journal.compact()
        s.add_contact(Contact(id="c-late", name="Zed Late"))  # only in the journal
    with open_store() as s:
        assert s.get_contact("c0123").name == "Person 0123"  # type: ignore[union-attr]
        assert s.find_contact("person 0399").id == "c0399"
        assert s.find_contact("zed").id == "c-late"
        assert [c.id for c in s.list_contacts(limit=3)] == ["c0000", "c0001", "c0002"]
        assert s.count_contacts() == 401
        c = s.get_contact("c0007")
        assert c is not None
        c.notes = "changed"
        s.update_contact(c)
        s.delete_contact("c0008")
        loaded = [t for t in s._people.journal._loaded if t.startswith("contacts-")]
        assert loaded == [], "reads by id or name must not load whole contact tables"
        assert s.get_contact("c0007").notes == "changed"  # type: ignore[union-attr]
        assert s.get_contact("c0008") is None
        assert [c.id for c in s.list_contacts(search="late")] == ["c-late"]
        assert len(s.list_contacts(limit=0)) == 400


def test_store_transaction_is_all_or_nothing_for_contacts(store: Store) -> None:
    with pytest.raises(RuntimeError), store.transaction():
        store.add_contact(Contact(id="c-a", name="A"))
        store.add_mute(Mute(rule="r", contact_id="c-a"))
        raise RuntimeError("import failed halfway")
    assert store.get_contact("c-a") is None
    assert store.list_all_mutes() == []
    with store.transaction():
        store.add_contact(Contact(id="c-a", name="A"))
        store.add_check(record("hi"))
    assert store.get_contact("c-a") is not None and store.count_checks() == 1


def test_bulk_paths_are_found_by_id_contact_and_count(coach_home: Path) -> None:
    base = datetime(2026, 2, 2, tzinfo=UTC)
    recs = [record(f"bulk {i}", at=base + timedelta(days=i)) for i in range(30)]
    for i, r in enumerate(recs):
        r.contact_id = f"c{i % 3}"
    with open_store() as s:
        # bulk_from=10 forces the snapshot-per-table path that large imports take.
        s.history.add_docs([r.model_dump(mode="json") for r in recs], bulk_from=10)
        s.people.insert_many(
            [Contact(id=f"c{i}", name=f"P{i}").model_dump(mode="json") for i in range(3)],
            bulk_from=2,
        )
        s.add_check(record("journal one", at=base + timedelta(days=40)))
    with open_store() as s:
        assert s.count_checks() == 31
        assert s.get_check(recs[17].id).draft == "bulk 17"  # type: ignore[union-attr]
        assert [r.draft for r in s.list_checks(limit=2)] == ["journal one", "bulk 29"]
        assert s.count_checks(contact_id="c1") == 10
        assert s.find_contact("p2").id == "c2"
        assert s.count_contacts() == 3


def test_deep_pages_match_the_full_listing_across_weeks(store: Store) -> None:
    base = datetime(2026, 1, 5, tzinfo=UTC)
    records = [
        record(f"draft {n}", verdict="hold" if n % 3 == 0 else "ok", at=base + timedelta(hours=9 * n))
        for n in range(400)  # about three weeks apart at each end: many week tables
    ]
    store.add_checks(records)
    everything = [r.id for r in store.list_checks(limit=0)]
    assert len(everything) == 400
    for offset in (0, 1, 49, 50, 123, 395, 399, 400, 450):
        page = [r.id for r in store.list_checks(limit=7, offset=offset)]
        assert page == everything[offset : offset + 7]
    holds = [r.id for r in store.list_checks(limit=0, verdict="hold")]
    assert [r.id for r in store.list_checks(limit=5, offset=60, verdict="hold")] == holds[60:65]


def test_change_contact_reads_other_writers_first_and_writes_nothing_on_error(
    coach_home: Path,
) -> None:
    from coach.models import Preference

    with open_store() as app_store, open_store() as other:
        app_store.add_contact(Contact(id="c-a", name="Ana"))
        app_store.get_contact("c-a")  # the app has read Ana...
        other.log_interaction("c-a", Interaction(direction="in", text="hi"))  # ...then a CLI wrote

        def add_pref(c: Contact) -> None:
            c.preferences.append(Preference(kind="channel_avoid", value="call", quote="no calls"))

        changed = app_store.change_contact("c-a", add_pref)
        assert [p.value for p in changed.preferences] == ["call"]
        assert len(changed.interactions) == 1  # the other process's write is kept

        def fail(c: Contact) -> None:
            c.preferences.clear()
            raise ValueError("changed elsewhere")

        with pytest.raises(ValueError):
            app_store.change_contact("c-a", fail)
        stored = other.get_contact("c-a")
        assert stored is not None and len(stored.preferences) == 1
        with pytest.raises(NotFoundError):
            app_store.change_contact("c-nobody", add_pref)


def test_find_contact_by_surname_and_suggests_close_names(store: Store) -> None:
    lars = store.add_contact(Contact(name="Lars Eriksen"))
    store.add_contact(Contact(name="Ana Eriksson"))
    store.add_contact(Contact(name="Dana Reyes", preferred_name="Dr. Reyes"))
    assert store.find_contact("eriksen").id == lars.id
    assert store.find_contact("Reye").name == "Dana Reyes"  # a later word of the preferred name
    with pytest.raises(UsageError, match="matches 2 contacts"):
        store.find_contact("erik")  # Eriksen and Eriksson
    with pytest.raises(NotFoundError) as missed:
        store.find_contact("Lars Eriksn")
    assert str(missed.value.hint).startswith("Did you mean 'Lars Eriksen'")  # the closest first
    with pytest.raises(NotFoundError) as none:
        store.find_contact("zzz")
    assert "coach contacts list" in str(none.value.hint)


def test_names_are_found_without_their_accents(store: Store) -> None:
    sofia = store.add_contact(Contact(name="Sofía Marín"))
    ngoc = store.add_contact(Contact(name="Trần Bích Ngọc"))
    seoyeon = store.add_contact(Contact(name="김서연"))
    assert store.find_contact("sofia").id == sofia.id  # typed without the accent
    assert store.find_contact("SOFÍA MARÍN").id == sofia.id
    assert store.find_contact("marin").id == sofia.id
    assert store.find_contact("tran").id == ngoc.id
    assert store.find_contact("ngoc").id == ngoc.id
    assert store.find_contact("김서").id == seoyeon.id  # Hangul is not an accent: kept whole
    assert [c.id for c in store.list_contacts(search="bich")] == [ngoc.id]
    with pytest.raises(NotFoundError) as missed:
        store.find_contact("sofa")
    assert str(missed.value.hint) == "Did you mean 'Sofía Marín'?"  # close to one of its words
