"""Mangled files (bytes flipped, cut, inserted) fed to every importer: a clear ImportFailed or a
valid plan, never another exception, never a partial write."""

from __future__ import annotations

import contextlib
import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coach.errors import ImportFailed
from coach.imports import apply_plan, plan_import
from coach.models import Contact
from coach.store import open_store

FIX = Path(__file__).parent / "fixtures" / "imports"


def _zip(folder: Path) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for p in sorted(folder.rglob("*")):
            if p.is_file():
                zf.write(p, p.relative_to(folder).as_posix())
    return buf.getvalue()


# (file name to write, format, original bytes)
TARGETS = [
    ("Connections.csv", "linkedin", (FIX / "linkedin" / "Connections.csv").read_bytes()),
    ("messages.csv", "linkedin", (FIX / "linkedin" / "messages.csv").read_bytes()),
    ("Invitations.csv", "linkedin", (FIX / "linkedin" / "Invitations.csv").read_bytes()),
    ("linkedin.zip", "linkedin", _zip(FIX / "linkedin")),
    ("direct-messages.js", "x", (FIX / "x_archive" / "data" / "direct-messages.js").read_bytes()),
    ("tweets.js", "x", (FIX / "x_archive" / "data" / "tweets.js").read_bytes()),
    ("x.zip", "x", _zip(FIX / "x_archive")),
    ("v3.vcf", "vcard", (FIX / "contacts_v3.vcf").read_bytes()),
    ("v4.vcf", "vcard", (FIX / "contacts_v4.vcf").read_bytes()),
    ("v21.vcf", "vcard", (FIX / "contacts_v21.vcf").read_bytes()),
    ("google.csv", "google", (FIX / "google_current.csv").read_bytes()),
    ("legacy.csv", "google", (FIX / "google_legacy.csv").read_bytes()),
]

# One edit: (kind, where as a fraction of the length, a byte, a run length).
_EDIT = st.tuples(st.sampled_from(["flip", "cut", "insert", "delete", "dup"]),
                  st.floats(0, 1), st.integers(0, 255), st.integers(1, 40))


def mangle(data: bytes, edits: list[tuple[str, float, int, int]]) -> bytes:
    buf = bytearray(data)
    for kind, where, byte, run in edits:
        i = min(int(where * len(buf)), max(len(buf) - 1, 0))
        if kind == "flip" and buf:
            buf[i] ^= byte or 1
        elif kind == "cut":
            del buf[i:]
        elif kind == "insert":
            buf[i:i] = bytes([byte]) * run
        elif kind == "delete":
            del buf[i:i + run]
        elif kind == "dup":
            buf[i:i] = buf[i:i + run]
    return bytes(buf)


def store_bytes(home: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for p in sorted(home.rglob("*")) if p.is_file()}


@pytest.mark.parametrize(("name", "fmt", "original"), TARGETS, ids=[t[0] for t in TARGETS])
@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(edits=st.lists(_EDIT, min_size=1, max_size=4))
def test_mangled_input_fails_cleanly_or_imports(
    name: str, fmt: str, original: bytes, edits: list[tuple[str, float, int, int]],
    tmp_path: Path, coach_home: Path,
) -> None:
    path = tmp_path / name
    path.write_bytes(mangle(original, edits))
    with open_store() as store:
        if store.count_contacts() == 0:
            store.add_contact(Contact(name="Already here", handles={"email": "a@example.com"}))
    before = store_bytes(coach_home)
    with open_store() as store:
        try:
            plan = plan_import(store, path, fmt)
        except ImportFailed as exc:
            assert exc.message.startswith(("Cannot import", "No such file"))
            failed = True
        else:
            failed = False
            apply_plan(store, plan)
    if failed:
        assert store_bytes(coach_home) == before
    else:  # a valid result: every stored contact still loads
        with open_store() as store:
            assert store.count_contacts() >= 1
            assert all(c.name for c in store.list_contacts(limit=0))


@pytest.mark.parametrize(("name", "fmt", "original"), TARGETS, ids=[t[0] for t in TARGETS])
def test_every_prefix_truncation_is_handled(name: str, fmt: str, original: bytes,
                                            tmp_path: Path) -> None:
    """Cut at 16 evenly spaced points: the truncated-download case, deterministically."""
    path = tmp_path / name
    with open_store() as store:
        for k in range(1, 17):
            path.write_bytes(original[: len(original) * k // 17])
            with contextlib.suppress(ImportFailed):
                plan_import(store, path, fmt)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(edits=st.lists(_EDIT, min_size=1, max_size=4))
def test_mangled_backup_fails_cleanly_or_restores(
    edits: list[tuple[str, float, int, int]], tmp_path: Path, coach_home: Path,
) -> None:
    from coach.backup import export_all, read_backup, restore

    source = tmp_path / "full.json"
    if not source.exists():
        with open_store() as store:
            apply_plan(store, plan_import(store, FIX / "linkedin"))
            export_all(store, source)
    mangled = tmp_path / "mangled.json"
    mangled.write_bytes(mangle(source.read_bytes(), edits))
    home = tmp_path / "restore-home"
    with open_store(home) as store:
        before = store_bytes(home)
        try:
            backup = read_backup(mangled)
        except ImportFailed as exc:
            assert exc.message.startswith(("Cannot restore", "Cannot import"))
            assert store_bytes(home) == before
            return
        restore(store, backup, replace=True)
        assert store.count_contacts() == len(backup.contacts)
