"""Crash safety: children writing to the store are SIGKILLed at random moments, 240 times.

Each child is forked from the test process (so one kill costs a fork, not an interpreter start),
runs inserts, updates or deletes (compacting often, so kills also land mid-compaction), and
appends each acknowledged write to an ack file only after the store call returned. After every
kill the store must open, every file must parse, and every acknowledged write must be there.
"""

from __future__ import annotations

import os
import random
import signal
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from coach.models import CheckRecord, CheckResult, Contact, Flag
from coach.store import Store, snapshot

KILLS = 240
MODES = ("insert", "update", "delete")


def _record(rng: random.Random, n: int) -> CheckRecord:
    return CheckRecord(
        draft=f"draft {n} " + "words " * rng.randint(10, 60),
        contact_id=f"c{n % 7}",
        result=CheckResult(
            verdict=rng.choice(["ok", "revise", "hold"]),
            flags=[Flag(rule="too_fast", message="slow down", evidence="met yesterday")],
        ),
        # Three weeks of history, so writes hit several week tables.
        created=datetime.now(UTC) - timedelta(days=rng.random() * 21),
    )


def _child(root: Path, mode: str, seed: int, targets: list[str], acks: Path) -> None:
    """Runs in the forked child until it is killed. Never returns."""
    rng = random.Random(seed)
    fd = os.open(acks, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)

    def ack(line: str) -> None:
        os.write(fd, (line + "\n").encode())

    store = Store(root)
    # Compact far more often than in real use so that kills also hit the compaction path.
    store.history.journal.compact_min_bytes = 16_000
    store._people.journal.compact_min_bytes = 8_000
    n = seed * 100_000
    while True:
        n += 1
        if mode == "insert":
            if n % 5 == 0:
                c = store.add_contact(Contact(name=f"Person {n}"))
                ack(f"c {c.id}")
            r = store.add_check(_record(rng, n))
            ack(f"i {r.id}")
        elif mode == "update" and n % 3 == 0:
            cid = f"c-fixed-{n % 10}"
            contact = store.get_contact(cid)
            assert contact is not None
            version = int(contact.notes or "0") + 1
            ack(f"try {cid} {version}")
            contact.notes = str(version)
            store.update_contact(contact)
            ack(f"cu {cid} {version}")
        elif mode == "update":
            rid = rng.choice(targets)
            rec = store.get_check(rid)
            assert rec is not None
            version = int(rec.coaching or "0") + 1
            ack(f"try {rid} {version}")
            rec.coaching = str(version)
            store.update_check(rec)
            ack(f"u {rid} {version}")
        else:
            r = store.add_check(_record(rng, n))
            ack(f"i {r.id}")
            ack(f"try-d {r.id}")  # from here on the record may be gone before "d" is written
            store.delete_check(r.id)
            ack(f"d {r.id}")


@pytest.mark.slow
def test_sigkill_at_random_moments_never_loses_or_corrupts(coach_home: Path) -> None:
    root = coach_home / "data"
    rng = random.Random(20261127)
    with Store(root) as s:
        s.add_checks(_record(rng, i) for i in range(60))
        s.add_contacts(Contact(id=f"c-fixed-{i}", name=f"Fixed {i}") for i in range(10))
        targets = [r.id for r in s.list_checks(limit=0)]
    present: set[str] = set(targets)
    deleted: set[str] = set()
    contacts: set[str] = set()
    versions: dict[str, int] = {}
    maybe_deleted: set[str] = set()
    tried: dict[str, int] = {}
    contact_versions: dict[str, int] = {}
    checked: dict[Path, tuple[int, int, int]] = {}
    killed_in: dict[str, int] = dict.fromkeys(MODES, 0)
    started = time.monotonic()
    for kill in range(KILLS):
        mode = MODES[kill % 3]
        acks = coach_home / f"acks-{kill}.txt"
        pid = os.fork()
        if pid == 0:  # the child: never return into pytest
            try:
                _child(root, mode, kill + 1, targets, acks)
            finally:
                os._exit(0)
        time.sleep(rng.uniform(0.002, 0.1))
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        assert os.WIFSIGNALED(status), "the child stopped on its own (an exception?)"
        killed_in[mode] += 1
        lines = acks.read_text().splitlines() if acks.exists() else []
        for line in lines:
            kind, ident, *rest = line.split()
            if kind == "i":
                present.add(ident)
            elif kind == "try-d":
                maybe_deleted.add(ident)
            elif kind == "d":
                present.discard(ident)
                deleted.add(ident)
            elif kind == "c":
                contacts.add(ident)
            elif kind == "u":
                versions[ident] = int(rest[0])
            elif kind == "cu":
                contact_versions[ident] = int(rest[0])
            elif kind == "try":
                tried[ident] = max(tried.get(ident, 0), int(rest[0]))
        # Reopen like a fresh process would and check every acknowledged write.
        with Store(root) as s:
            # Raw documents (validating ~1,500 models after each of 240 kills would dominate).
            docs = {d["id"]: d for d in s.history.iter_newest()}
            assert [r.id for r in s.list_checks(limit=5)] == list(docs)[:5]
            missing = present - docs.keys() - maybe_deleted
            assert not missing, f"kill {kill} ({mode}): lost acknowledged inserts {missing}"
            back = deleted & docs.keys()
            assert not back, f"kill {kill} ({mode}): deleted records came back {back}"
            for rid, v in versions.items():
                got = int(docs[rid]["coaching"] or "0")
                # Never older than acknowledged; newer only by writes that were attempted.
                assert v <= got <= tried[rid], f"kill {kill}: {rid} has update {got}, acked {v}"
            assert s.count_checks() == len(docs)
            # Every snapshot parses whole (header count, index line, each document line);
            # unchanged files were checked after an earlier kill already.
            for snap_file in root.rglob("*" + snapshot.SUFFIX):
                st = snap_file.stat()
                stamp = (st.st_ino, st.st_mtime_ns, st.st_size)
                if checked.get(snap_file) != stamp:
                    assert snapshot.read_snapshot(snap_file) is not None
                    checked[snap_file] = stamp
            people = {d["id"]: d for d in s.people.scan()}
            assert contacts <= people.keys(), f"kill {kill}: lost contacts"
            assert s.count_contacts() == len(people)
            for cid, v in contact_versions.items():
                got = int(people[cid]["notes"] or "0")
                assert v <= got <= tried[cid], f"kill {kill}: {cid} has update {got}, acked {v}"
    damaged = [p for p in root.rglob("*") if ".damaged-" in p.name]
    assert damaged == []
    assert min(killed_in.values()) >= 80
    assert len(present) >= 80, "the children wrote too little to prove anything"
    assert versions and contact_versions, "no update was acknowledged"
    # Run time is not asserted (no timing thresholds); this keeps it visible in -v output.
    print(f"{KILLS} kills, {len(present)} records, {time.monotonic() - started:.1f}s")


def test_torn_last_line_is_ignored_then_cut(coach_home: Path) -> None:
    root = coach_home / "data"
    with Store(root) as s:
        keep = s.add_check(_record(random.Random(1), 1))
    journal = root / "history" / "journal.jsonl"
    size = journal.stat().st_size
    with journal.open("ab") as fh:
        fh.write(b'1234abcd [["i","w2026-48",99,{"id":"half')  # a crash mid-append
    with Store(root) as s:
        assert [r.id for r in s.list_checks(limit=0)] == [keep.id]
        second = s.add_check(_record(random.Random(2), 2))
    data = journal.read_bytes()
    assert b"half" not in data and len(data) > size
    with Store(root) as s:
        assert {r.id for r in s.list_checks(limit=0)} == {keep.id, second.id}
