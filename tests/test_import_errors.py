"""Malformed input: a clear ImportFailed naming file, line and reason; the store untouched."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from coach.errors import ImportFailed
from coach.imports import apply_plan, plan_import
from coach.store import open_store

FIX = Path(__file__).parent / "fixtures" / "imports"


def store_bytes(home: Path) -> dict[str, bytes]:
    return {str(p.relative_to(home)): p.read_bytes() for p in sorted(home.rglob("*"))
            if p.is_file()}


def import_fails(path: Path, fmt: str = "auto") -> str:
    with open_store() as store, pytest.raises(ImportFailed) as err:
        apply_plan(store, plan_import(store, path, fmt))
    msg = err.value.one_line()
    assert "Nothing was imported" in msg
    return msg


@pytest.fixture
def populated(coach_home: Path) -> dict[str, bytes]:
    """A store with real data in it, and its exact bytes."""
    with open_store() as store:
        apply_plan(store, plan_import(store, FIX / "google_legacy.csv"))
    return store_bytes(coach_home)


def test_bad_encoding_names_file_and_line(tmp_path: Path, coach_home: Path,
                                          populated: dict[str, bytes]) -> None:
    src = (FIX / "linkedin" / "Connections.csv").read_bytes()
    bad = src.replace(b"Tom", "T\xf6m".encode("latin-1"))
    (tmp_path / "Connections.csv").write_bytes(bad)
    msg = import_fails(tmp_path / "Connections.csv", "linkedin")
    assert "Connections.csv, line 7" in msg and "UTF-8" in msg
    assert store_bytes(coach_home) == populated


def test_broken_row_in_the_middle_rejects_the_whole_file(
        tmp_path: Path, coach_home: Path, populated: dict[str, bytes]) -> None:
    lines = (FIX / "linkedin" / "Connections.csv").read_text(encoding="utf-8-sig").splitlines()
    lines[5] += ",extra,cells"  # Priya's row (line 6): the rows before it were fine
    (tmp_path / "Connections.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    msg = import_fails(tmp_path / "Connections.csv")
    assert "line 6" in msg and "9 cells but the header has 7" in msg
    assert store_bytes(coach_home) == populated


def test_unclosed_quote(tmp_path: Path) -> None:
    text = (FIX / "google_current.csv").read_text(encoding="utf-8")
    (tmp_path / "g.csv").write_text(text.replace("Loves hiking", '"Loves hiking'), "utf-8")
    msg = import_fails(tmp_path / "g.csv", "google")
    assert "g.csv" in msg and "line" in msg


def test_bad_date(tmp_path: Path) -> None:
    text = (FIX / "linkedin" / "messages.csv").read_text(encoding="utf-8")
    (tmp_path / "messages.csv").write_text(text.replace("2026-02-09 09:15:00 UTC", "yesterday"),
                                           encoding="utf-8")
    msg = import_fails(tmp_path / "messages.csv")
    assert "messages.csv, line 2" in msg and "'yesterday' is not a date" in msg


def test_truncated_zip(tmp_path: Path, coach_home: Path, populated: dict[str, bytes]) -> None:
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for p in (FIX / "linkedin").iterdir():
            zf.write(p, p.name)
    data = archive.read_bytes()
    archive.write_bytes(data[: len(data) // 2])
    msg = import_fails(archive)
    assert "export.zip" in msg and "damaged or truncated" in msg
    assert store_bytes(coach_home) == populated


def test_corrupt_member_in_a_zip(tmp_path: Path) -> None:
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as zf:
        zf.write(FIX / "linkedin" / "Connections.csv", "Connections.csv")
    data = bytearray(archive.read_bytes())
    i = data.index(b"Acme Robotics")
    data[i] ^= 0x20  # CRC mismatch
    archive.write_bytes(bytes(data))
    msg = import_fails(archive)
    assert "export.zip:Connections.csv" in msg


def test_wrong_json_in_x_js(tmp_path: Path, coach_home: Path,
                            populated: dict[str, bytes]) -> None:
    shutil.copytree(FIX / "x_archive", tmp_path / "x")
    dm = tmp_path / "x" / "data" / "direct-messages.js"
    text = dm.read_text(encoding="utf-8").replace('"id" : "9002",', '"id" : "9002"')
    dm.write_text(text, encoding="utf-8")
    msg = import_fails(tmp_path / "x")
    assert "direct-messages.js, line 27" in msg and "broken JSON" in msg
    assert store_bytes(coach_home) == populated


def test_x_js_without_the_ytd_prefix(tmp_path: Path) -> None:
    shutil.copytree(FIX / "x_archive", tmp_path / "x")
    tw = tmp_path / "x" / "data" / "tweets.js"
    tw.write_text(tw.read_text(encoding="utf-8").split("=", 1)[1], encoding="utf-8")
    msg = import_fails(tmp_path / "x", "x")
    assert "tweets.js, line 1" in msg and "window.YTD" in msg


def test_x_js_with_the_wrong_shape(tmp_path: Path) -> None:
    shutil.copytree(FIX / "x_archive", tmp_path / "x")
    (tmp_path / "x" / "data" / "direct-messages.js").write_text(
        'window.YTD.direct_messages.part0 = [{"dmConversation": {"messages": 5}}]', "utf-8")
    msg = import_fails(tmp_path / "x")
    assert "direct-messages.js" in msg and "dmConversation.messages" in msg


def test_broken_vcard_names_the_line(tmp_path: Path) -> None:
    text = (FIX / "contacts_v3.vcf").read_text(encoding="utf-8")
    text = text.replace("TITLE:Route setter", "TITLE Route setter")
    (tmp_path / "c.vcf").write_text(text, encoding="utf-8")
    msg = import_fails(tmp_path / "c.vcf")
    assert "c.vcf, line 11" in msg and "TITLE Route setter" in msg


def test_unclosed_vcard(tmp_path: Path) -> None:
    text = (FIX / "contacts_v4.vcf").read_text(encoding="utf-8")
    (tmp_path / "c.vcf").write_text(text.rsplit("END:VCARD", 1)[0], encoding="utf-8")
    assert "never closed" in import_fails(tmp_path / "c.vcf")


def test_missing_required_column(tmp_path: Path) -> None:
    (tmp_path / "Connections.csv").write_text(
        "First Name,Surname,Connected On\nDana,Reyes,08 Feb 2026\n", "utf-8")
    msg = import_fails(tmp_path / "Connections.csv", "linkedin")
    assert "Connections.csv" in msg and "no LinkedIn header row" in msg


def test_unknown_file_and_missing_path(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello\n", encoding="utf-8")
    with open_store() as store:
        with pytest.raises(ImportFailed, match=r"Cannot tell what kind of export notes\.txt"):
            plan_import(store, tmp_path / "notes.txt")
        with pytest.raises(ImportFailed, match="No such file"):
            plan_import(store, tmp_path / "nope.zip")


def test_cli_exit_4_with_one_line_and_store_unchanged(tmp_path: Path, coach_home: Path,
                                                      populated: dict[str, bytes]) -> None:
    bad = tmp_path / "Connections.csv"
    bad.write_bytes((FIX / "linkedin" / "Connections.csv").read_bytes() + b"\xff\xfe,x\n")
    env = {**os.environ, "COACH_HOME": str(coach_home)}
    out = subprocess.run([sys.executable, "-m", "coach", "contacts", "import", str(bad)],
                         capture_output=True, text=True, env=env, timeout=60)
    assert out.returncode == 4
    assert out.stdout == ""
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and "Connections.csv, line 8" in lines[0]
    assert "Traceback" not in out.stderr
    assert store_bytes(coach_home) == populated


@pytest.mark.parametrize("offset", [5, 40, 120, 300])
def test_damaged_deflate_stream(tmp_path: Path, offset: int) -> None:
    """zlib errors inside a member (found by fuzzing) are import errors, not tracebacks."""
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(FIX / "linkedin" / "messages.csv", "messages.csv")
        info = zf.getinfo("messages.csv")
    data = bytearray(archive.read_bytes())
    start = info.header_offset + 30 + len(info.filename)
    for i in range(start + offset, start + offset + 6):
        data[i] ^= 0xA5
    archive.write_bytes(bytes(data))
    assert "export.zip:messages.csv" in import_fails(archive)


def test_a_failure_while_writing_keeps_nothing(monkeypatch: pytest.MonkeyPatch,
                                               coach_home: Path) -> None:
    """The new contacts and the merges are written in one store transaction: a fault in the
    second half (injected: a real disk rarely fails on cue) undoes the first."""
    from coach.errors import StoreError

    with open_store() as store:
        apply_plan(store, plan_import(store, FIX / "linkedin"))
    before = store_bytes(coach_home)
    with open_store() as store:
        plan = plan_import(store, FIX / "google_current.csv")
        assert len(plan.new) == 1 and len(plan.merged) == 1

        def fail(contacts: object) -> int:
            raise StoreError("disk full (injected)")

        monkeypatch.setattr(store, "update_contacts", fail)
        with pytest.raises(StoreError):
            apply_plan(store, plan)
    with open_store() as store:
        assert sorted(c.name for c in store.list_contacts()) == [
            "Dana Reyes", "Lena Fischer", "Priya Natarajan", "Tom Okafor"]
    assert {k: v for k, v in store_bytes(coach_home).items() if "lock" not in k} == {
        k: v for k, v in before.items() if "lock" not in k}
