"""JournalStorage and JournalTable through TinyDB's own API: writes, lookups, other processes."""

from __future__ import annotations

from pathlib import Path

import pytest
from tinydb import Query

from coach.store.snapshot import snapshot_path
from coach.store.tables import JournalDB

q = Query()


def _db(folder: Path) -> JournalDB:
    return JournalDB(folder, summary_fields=("id", "who"))


def test_tinydb_api_round_trip(tmp_path: Path) -> None:
    db = _db(tmp_path / "db")
    t = db.table("things")
    assert t.insert({"id": "a", "n": 1}) == 1
    assert t.insert_multiple([{"id": "b", "n": 2}, {"id": "c", "n": 3}]) == [2, 3]
    assert t.update({"n": 20}, q.id == "b") == [2]
    assert t.upsert({"id": "d", "n": 4}, q.id == "d") == [4]
    assert t.upsert({"id": "d", "n": 40}, q.id == "d") == [4]
    assert t.remove(q.id == "a") == [1]
    assert t.count(q.n > 3) == 2
    assert len(t) == 3
    db.close()
    again = _db(tmp_path / "db").table("things")
    assert sorted((d.doc_id, d["n"]) for d in again.all()) == [(2, 20), (3, 3), (4, 40)]
    again.truncate()
    assert len(again) == 0 and again.all() == []
    assert again.insert({"id": "e"}) == 5  # ids are never reused, even after a truncate


def test_query_cache_sees_other_instance(tmp_path: Path) -> None:
    a = _db(tmp_path / "db").table("t")
    b = _db(tmp_path / "db").table("t")
    a.insert({"id": "x", "who": "p"})
    assert len(b.search(q.who == "p")) == 1  # cached in b now
    a.insert({"id": "y", "who": "p"})
    assert len(b.search(q.who == "p")) == 2
    a.storage.compact()  # type: ignore[attr-defined]
    a.remove(q.id == "x")
    assert [d["id"] for d in b.search(q.who == "p")] == ["y"]


def test_lookup_reads_snapshot_lines_plus_later_changes(tmp_path: Path) -> None:
    db = _db(tmp_path / "db")
    t = db.table("t")
    t.insert_multiple({"id": f"r{i}", "who": "p" if i % 2 else "q", "n": i} for i in range(20))
    db.journal.compact()
    t.update({"n": 100}, q.id == "r1")
    t.update({"who": "q"}, q.id == "r3")  # moves out of p
    t.update({"who": "p"}, q.id == "r4")  # moves into p
    t.remove(q.id == "r5")
    t.insert({"id": "new", "who": "p", "n": 99})
    other = _db(tmp_path / "db").journal  # a fresh process's view: nothing in memory
    got = {d["id"]: d["n"] for d in other.lookup("t", "who", "p").values()}
    want = {f"r{i}": i for i in range(1, 20, 2)} | {"r1": 100, "r4": 4, "new": 99}
    del want["r3"], want["r5"]
    assert got == want
    assert "t" in other.locate("who", "p") and other.locate("who", "zzz") == set()
    assert other.count("t") == 20
    assert "t" not in other._loaded, "lookup and count must not load the table"


def test_lookup_after_truncate_ignores_snapshot(tmp_path: Path) -> None:
    db = _db(tmp_path / "db")
    t = db.table("t")
    t.insert_multiple({"id": f"r{i}", "who": "p"} for i in range(5))
    db.journal.compact()
    t.truncate()
    t.insert({"id": "after", "who": "p"})
    fresh = _db(tmp_path / "db").journal
    assert [d["id"] for d in fresh.lookup("t", "who", "p").values()] == ["after"]
    assert fresh.count("t") == 1


def test_hand_edit_that_shifts_lines_falls_back_to_a_full_read(tmp_path: Path) -> None:
    db = _db(tmp_path / "db")
    t = db.table("t")
    t.insert_multiple({"id": f"r{i}", "who": "p", "note": "x"} for i in range(6))
    db.journal.compact()
    db.close()
    path = snapshot_path(tmp_path / "db", "t")
    text = path.read_text().replace('"note":"x"', '"note":"a longer note, edited by hand"', 1)
    path.write_text(text)
    fresh = _db(tmp_path / "db").journal
    got = fresh.lookup("t", "who", "p")
    assert len(got) == 6
    assert sorted(d["note"] for d in got.values())[0] == "a longer note, edited by hand"


def test_failed_write_leaves_memory_as_on_disk(tmp_path: Path) -> None:
    db = _db(tmp_path / "db")
    t = db.table("t")
    t.insert({"id": "a", "n": 1})
    with pytest.raises(RuntimeError), db.transaction():
        t.update({"n": 2}, q.id == "a")
        t.insert({"id": "b"})
        raise RuntimeError("boom")  # nothing of this transaction may stay visible
    assert [(d["id"], d["n"]) for d in t.all()] == [("a", 1)]
    assert len(t) == 1
    assert [(d["id"], d["n"]) for d in _db(tmp_path / "db").table("t").all()] == [("a", 1)]


def test_bad_table_name_is_refused(tmp_path: Path) -> None:
    from coach.errors import StoreError

    with pytest.raises(StoreError, match="Bad table name"):
        _db(tmp_path / "db").table("../escape").insert({"id": "x"})


def test_bloom_has_no_false_negatives_and_few_false_positives() -> None:
    from coach.store.snapshot import Bloom

    present = [f"h{i:011x}" for i in range(2000)]
    bloom = Bloom.of(present)
    assert all(v in bloom for v in present)
    absent = [f"x{i:011x}" for i in range(5000)]
    false_positives = sum(v in bloom for v in absent)
    assert false_positives < 150  # ~1% expected; 3% would mean a broken filter
    again = Bloom(bloom.m, bloom.k, bloom.spec()["b"])  # survives the header round trip
    assert all(v in again for v in present[:100])


def test_locate_uses_header_blooms_and_journal(tmp_path: Path) -> None:
    folder = tmp_path / "db"
    db = JournalDB(folder, summary_fields=("id",), bloom_fields=("id",))
    for week in range(12):
        db.table(f"t{week:02d}").insert_multiple({"id": f"w{week}-{i}"} for i in range(50))
    db.journal.compact()
    db.table("t05").insert({"id": "late"})
    fresh = JournalDB(folder, summary_fields=("id",), bloom_fields=("id",)).journal
    assert "t07" in fresh.locate("id", "w7-3")
    assert fresh.locate("id", "late") >= {"t05"}
    assert len(fresh.locate("id", "nowhere")) <= 1  # a false positive is allowed, rarely
    assert "t07" not in fresh._headers or fresh._headers["t07"][1].rows is None, (
        "locate must answer from the first line, not read the index"
    )
