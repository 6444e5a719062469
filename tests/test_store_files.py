"""Schema upgrades from the first single-file layout, and damaged files: clear errors, kept backups."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from coach.errors import CorruptFileError, StoreError
from coach.models import CheckRecord, CheckResult, Contact, Mute
from coach.store import Store, upgrades


def _legacy_file(root: Path, *, with_meta: bool) -> dict[str, object]:
    """coach.json exactly as the first Store (plain TinyDB, JSONStorage) laid it out."""
    dana = Contact(id="c-dana", name="Dana Reyes", preferred_name="Dana")
    sam = Contact(id="c-sam", name="Sam Ortiz")
    base = datetime(2025, 12, 29, 9, tzinfo=UTC)
    history = {
        str(i + 1): CheckRecord(
            id=f"h{i}",
            draft=f"old draft {i}",
            contact_id="c-dana" if i % 2 else None,
            result=CheckResult(verdict="ok"),
            created=base + timedelta(days=4 * i),
        ).model_dump(mode="json")
        for i in range(6)
    }
    tables: dict[str, object] = {
        "contacts": {"1": dana.model_dump(mode="json"), "2": sam.model_dump(mode="json")},
        "history": history,
        "mutes": {"1": Mute(rule="late_hour").model_dump(mode="json")},
        "drafts": {"1": {"slot": "main", "text": "half typed", "meta": {}, "saved": "x"}},
    }
    if with_meta:
        tables["meta"] = {"1": {"schema_version": 1}}
    root.mkdir(parents=True, exist_ok=True, mode=0o700)
    (root / "coach.json").write_text(json.dumps(tables))
    return tables


def _snapshot_of_store(root: Path) -> dict[str, object]:
    with Store(root) as s:
        return {
            "contacts": sorted(c.id for c in s.list_contacts(limit=0)),
            "dana": s.find_contact("dana").preferred_name,
            "history": [r.id for r in s.list_checks(limit=0)],
            "dana_history": [r.id for r in s.list_checks(limit=0, contact_id="c-dana")],
            "mutes": [m.rule for m in s.list_mutes()],
            "draft": (s.get_draft("main") or {}).get("text"),
            "version": s.schema_version,
        }


@pytest.mark.parametrize("with_meta", [True, False], ids=["v1", "v0"])
def test_upgrade_from_single_file_layout_twice_is_idempotent(
    coach_home: Path, with_meta: bool
) -> None:
    root = coach_home / "data"
    _legacy_file(root, with_meta=with_meta)
    assert upgrades.read_version(root) == (1 if with_meta else 0)
    assert upgrades.upgrade(root) == upgrades.CURRENT_VERSION
    first = _snapshot_of_store(root)
    assert first == {
        "contacts": ["c-dana", "c-sam"],
        "dana": "Dana",
        "history": ["h5", "h4", "h3", "h2", "h1", "h0"],
        "dana_history": ["h5", "h3", "h1"],
        "mutes": ["late_hour"],
        "draft": "half typed",
        "version": 2,
    }
    assert not (root / "coach.json").exists()
    assert (root / "coach.json.v1-backup").exists()  # the old file is kept, not deleted
    files_before = sorted(p.name for p in root.rglob("*"))
    assert upgrades.upgrade(root) == upgrades.CURRENT_VERSION
    assert _snapshot_of_store(root) == first
    assert sorted(p.name for p in root.rglob("*")) == files_before


def test_upgrade_resumes_after_a_crash_midway(coach_home: Path) -> None:
    root = coach_home / "data"
    _legacy_file(root, with_meta=True)
    # A crash after the new folders were written but before meta.json: run the step again.
    upgrades.step_1_to_2(root)
    (root / "meta.json").unlink()
    os.rename(root / "coach.json.v1-backup", root / "coach.json")
    assert upgrades.upgrade(root) == 2
    snap = _snapshot_of_store(root)
    assert snap["history"] == ["h5", "h4", "h3", "h2", "h1", "h0"]
    assert snap["contacts"] == ["c-dana", "c-sam"]
    # The second retirement of coach.json must not replace the first backup.
    assert (root / "coach.json.v1-backup").exists()


def test_newer_schema_is_refused_without_changes(coach_home: Path) -> None:
    root = coach_home / "data"
    root.mkdir(mode=0o700)
    (root / "meta.json").write_text('{"schema_version": 99}')
    with pytest.raises(StoreError, match="newer coach"):
        Store(root)
    assert (root / "meta.json").read_text() == '{"schema_version": 99}'


def _store_with_history(root: Path, n: int = 5) -> list[str]:
    with Store(root) as s:
        ids = [s.add_check(CheckRecord(draft=f"d{i}", result=CheckResult())).id for i in range(n)]
        s.history.journal.compact()  # write a snapshot
        ids.append(s.add_check(CheckRecord(draft="tail", result=CheckResult())).id)
    return ids


def _only_snapshot(root: Path) -> Path:
    (snap,) = (root / "history").glob("w*.snapshot.jsonl")
    return snap


def test_truncated_snapshot_names_file_and_line(coach_home: Path) -> None:
    root = coach_home / "data"
    _store_with_history(root)
    snap = _only_snapshot(root)
    data = snap.read_bytes()
    cut = data[: data.rfind(b"\n", 0, len(data) - 1) + 1]  # lose the last document line
    snap.write_bytes(cut)
    with pytest.raises(CorruptFileError) as err, Store(root) as s:
        s.list_checks()
    msg = err.value.message
    assert str(snap) in msg and "line 7" in msg and "truncated" in msg
    assert err.value.hint
    assert snap.read_bytes() == cut  # the damaged file is left in place, untouched


def test_file_cut_mid_line_is_reported(coach_home: Path) -> None:
    root = coach_home / "data"
    _store_with_history(root)
    snap = _only_snapshot(root)
    snap.write_bytes(snap.read_bytes()[:-20])
    with (
        pytest.raises(CorruptFileError, match=r"line 7: the last line is cut off"),
        Store(root) as s,
    ):
        s.list_checks()


def test_hand_edited_snapshot_with_syntax_error(coach_home: Path) -> None:
    root = coach_home / "data"
    _store_with_history(root)
    snap = _only_snapshot(root)
    lines = snap.read_text().splitlines(keepends=True)
    lines[3] = lines[3].replace('"draft":', '"draft"', 1)  # a missing colon, as by hand
    snap.write_text("".join(lines))
    expected = r"snapshot\.jsonl, line 4: not a valid"
    with pytest.raises(CorruptFileError, match=expected), Store(root) as s:
        s.count_checks(text="d")


def test_garbage_line_in_the_middle_of_the_journal(coach_home: Path) -> None:
    root = coach_home / "data"
    ids = _store_with_history(root)
    with Store(root) as s:
        s.add_check(CheckRecord(draft="later", result=CheckResult()))
    journal = root / "history" / "journal.jsonl"
    lines = journal.read_bytes().splitlines(keepends=True)
    assert len(lines) == 3  # header + two writes
    lines.insert(2, b"this is not json at all\n")
    journal.write_bytes(b"".join(lines))
    with pytest.raises(CorruptFileError, match=r"journal\.jsonl, line 3"), Store(root) as s:
        s.get_check(ids[0])


def test_edited_journal_line_fails_its_checksum(coach_home: Path) -> None:
    root = coach_home / "data"
    _store_with_history(root)
    journal = root / "history" / "journal.jsonl"
    data = journal.read_bytes().replace(b'"tail"', b'"TAIL"')
    journal.write_bytes(data)
    with pytest.raises(CorruptFileError, match="line 2: checksum mismatch"), Store(root) as s:
        s.list_checks()


def test_corrupt_meta_json(coach_home: Path) -> None:
    root = coach_home / "data"
    Store(root).close()
    (root / "meta.json").write_text('{\n  "schema_version": 2,\n  oops\n}\n')
    with pytest.raises(CorruptFileError, match=r"meta\.json, line 3"):
        Store(root)


def test_corrupt_legacy_file_is_reported_not_upgraded(coach_home: Path) -> None:
    root = coach_home / "data"
    root.mkdir(mode=0o700)
    (root / "coach.json").write_text('{"contacts": {"1": {"name": "Dana"}},\n "history": {')
    with pytest.raises(CorruptFileError, match=r"coach\.json, line 2"):
        Store(root)
    assert (root / "coach.json").exists()
    assert not (root / "meta.json").exists()


def test_backups_are_never_overwritten(coach_home: Path) -> None:
    root = coach_home / "data"
    _store_with_history(root)
    snap = _only_snapshot(root)
    original = snap.read_bytes()

    def damage(tail: bytes) -> None:
        snap.write_bytes(original[:-1] + tail)
        with pytest.raises(CorruptFileError), Store(root) as s:
            s.list_checks()

    damage(b"X\n")
    damage(b"X\n")  # the same damage again: reuses its backup, makes no second copy
    damage(b"Y\n")  # different damage: a new backup next to the first
    backups = sorted(snap.parent.glob(snap.name + ".damaged-*"))
    assert len(backups) == 2
    contents = {b.read_bytes() for b in backups}
    assert contents == {original[:-1] + b"X\n", original[:-1] + b"Y\n"}
    assert all(oct(b.stat().st_mode & 0o777) == "0o600" for b in backups)
