"""Backup and restore round-trip exactly; forget deletes a person and everything about them."""

from __future__ import annotations

import json
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from coach.backup import read_backup, restore, snapshot
from coach.cli import main
from coach.errors import ImportFailed, UsageError
from coach.imports import apply_plan, plan_import
from coach.models import CheckRecord, CheckResult, Contact, Mute
from coach.store import open_store

FIX = Path(__file__).parent / "fixtures" / "imports"
T0 = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


def _dana() -> Contact:
    """The LinkedIn Dana (the X archive has a second, unmerged one: no shared key yet)."""
    with open_store() as store:
        return next(c for c in store.list_contacts(limit=0)
                    if c.name == "Dana Reyes" and "linkedin" in c.handles)


def _fill() -> None:
    with open_store() as store:
        for p in (FIX / "linkedin", FIX / "x_archive", FIX / "contacts_v4.vcf"):
            apply_plan(store, plan_import(store, p))
    dana = _dana()
    with open_store() as store:
        for n in range(5):
            store.add_check(CheckRecord(
                created=T0 + timedelta(hours=n), draft=f"draft {n}", contact_id=dana.id,
                contact_name=dana.name, channel="dm", result=CheckResult(verdict="revise"),
                timings={"offline_ms": 1.5}, tokens={"prompt": 10}))
        store.add_check(CheckRecord(created=T0, draft="no contact", result=CheckResult()))
        # A batch check against an inline contact: her name, no id.
        store.add_check(CheckRecord(created=T0, draft="inline", contact_name="dana reyes",
                                    result=CheckResult()))
        store.add_mute(Mute(rule="personal-question", reason="I know her well", contact_id=dana.id,
                            created=T0))
        store.add_mute(Mute(rule="exclamation", created=T0))
        store.save_draft("compose", "Hi Dana", contact_id=dana.id)


def _data(drop: tuple[str, ...] = ("exported",)) -> dict[str, Any]:
    with open_store() as store:
        data = snapshot(store)
    for key in drop:
        data.pop(key, None)
    for d in data["drafts"]:
        d.pop("saved", None)  # the time a draft was last saved moves on restore
    return data


def test_backup_round_trips_exactly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fill()
    before = _data()
    out = tmp_path / "backup.json"
    assert main(["export", "--all", str(out)]) == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    raw = json.loads(out.read_text(encoding="utf-8"))
    assert raw["format"] == "coach-backup" and raw["schema_version"] >= 1
    assert len(raw["contacts"]) == 10 and len(raw["history"]) == 7 and len(raw["mutes"]) == 2
    assert raw["drafts_included"] is True
    assert [(d["slot"], d["text"]) for d in raw["drafts"]] == [("compose", "Hi Dana")]

    monkeypatch.setenv("COACH_HOME", str(tmp_path / "fresh"))
    assert main(["import", "--all", str(out)]) == 0
    after = _data()
    assert after == before
    # And once more: export the restored home, restore that, still identical.
    out2 = tmp_path / "backup2.json"
    assert main(["export", "--all", str(out2)]) == 0
    monkeypatch.setenv("COACH_HOME", str(tmp_path / "fresh2"))
    assert main(["import", "--all", str(out2)]) == 0
    assert _data() == before


def test_restore_refuses_to_mix_unless_replace(tmp_path: Path) -> None:
    _fill()
    out = tmp_path / "b.json"
    assert main(["export", "--all", str(out)]) == 0
    with open_store() as store:
        store.add_contact(Contact(name="Added after the backup"))
    with pytest.raises(UsageError, match="would mix them"):
        main_raises(["import", "--all", str(out)])
    before = _data()
    assert main(["import", "--all", str(out), "--replace"]) == 0
    after = _data()
    assert "Added after the backup" not in {c["name"] for c in after["contacts"]}
    assert len(after["contacts"]) == len(before["contacts"]) - 1
    assert after["history"] == before["history"] and after["mutes"] == before["mutes"]


def main_raises(argv: list[str]) -> None:
    """Run a command's function directly so its CoachError reaches the test."""
    from coach.cli import build_parser

    args = build_parser().parse_args(argv)
    args.func(args)


@pytest.mark.parametrize(("content", "reason"), [
    (b"{not json", "broken JSON at line 1"),
    (b'{"format": "something-else"}', "not a coach backup"),
    (b'{"format": "coach-backup", "schema_version": 99}', "made by a newer coach"),
    (b'{"format": "coach-backup", "schema_version": 1, "contacts": [{"name": ""}]}',
     "contacts[0].name"),
    (b'{"format": "coach-backup", "schema_version": 1, "history": [{"draft": 3}]}',
     "history[0]"),
    (b"\xff\xfe", "not valid UTF-8"),
])
def test_bad_backups_restore_nothing(tmp_path: Path, coach_home: Path, content: bytes,
                                     reason: str) -> None:
    with open_store() as store:
        store.add_contact(Contact(name="Keep me"))
    (tmp_path / "b.json").write_bytes(content)
    with pytest.raises(ImportFailed) as err:
        read_backup(tmp_path / "b.json")
    assert reason in err.value.message
    with open_store() as store:
        assert [c.name for c in store.list_contacts()] == ["Keep me"]


def test_dry_run_checks_without_writing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    _fill()
    out = tmp_path / "b.json"
    assert main(["export", "--all", str(out)]) == 0
    monkeypatch.setenv("COACH_HOME", str(tmp_path / "fresh"))
    capsys.readouterr()
    assert main(["import", "--all", str(out), "--dry-run", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["applied"] is False and summary["contacts"] == 10
    with open_store() as store:
        assert store.count_contacts() == 0


def test_forget_deletes_everything_about_them(capsys: pytest.CaptureFixture[str]) -> None:
    _fill()
    dana = _dana()
    with open_store() as store:
        others = store.count_contacts() - 1
    assert main(["forget", dana.id, "--yes", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["forgot"] == dana.id and out["history"] == 6 and out["mutes"] == 1
    assert out["drafts"] == 1
    with open_store() as store:
        assert store.get_contact(dana.id) is None
        assert store.count_checks(contact_id=dana.id) == 0
        assert store.count_checks() == 1  # the check about nobody stays
        assert [m.rule for m in store.list_mutes(dana.id)] == ["exclamation"]
        assert store.count_contacts() == others
        assert store.get_draft("compose") is None
    data = json.dumps(_data())
    assert dana.id not in data


def test_forget_asks_first(monkeypatch: pytest.MonkeyPatch) -> None:
    _fill()
    dana = _dana()
    # No terminal and no --yes: refuse, delete nothing.
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    with pytest.raises(UsageError, match="without a confirmation"):
        main_raises(["forget", dana.id])
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda _q: "no")
    with pytest.raises(UsageError, match="nothing was deleted"):
        main_raises(["forget", dana.id])
    with open_store() as store:
        assert store.get_contact(dana.id) is not None
    monkeypatch.setattr("builtins.input", lambda _q: "yes")
    main_raises(["forget", dana.id])
    with open_store() as store:
        assert store.get_contact(dana.id) is None


def test_export_needs_all(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["export", str(tmp_path / "x.json")]) == 2
    assert "needs --all" in capsys.readouterr().err


def test_restore_function_into_empty_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fill()
    out = tmp_path / "b.json"
    assert main(["export", "--all", str(out)]) == 0
    monkeypatch.setenv("COACH_HOME", str(tmp_path / "fresh"))
    with open_store() as store:
        counts = restore(store, read_backup(out))
    assert counts["contacts"] == 10 and counts["history"] == 7
