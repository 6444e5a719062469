"""Two real processes writing to one store at once lose nothing and never collide on ids."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from coach.store import Store, layout

WRITER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from coach.models import CheckRecord, CheckResult, Contact
    from coach.store import Store, layout

    root, tag, go = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
    store = Store(root)
    store.history.journal.compact_min_bytes = 20_000  # both processes compact mid-run too
    while not go.exists():
        time.sleep(0.001)
    for i in range(500):
        store.add_check(CheckRecord(id=f"{tag}-{i}", draft=f"{tag} says {i}", result=CheckResult()))
        if i % 10 == 0:
            store.add_contact(Contact(id=f"c{tag}{i}", name=f"{tag} person {i}"))
        if i % 50 == 0:
            store.save_draft(f"slot-{tag}", f"typing {i}")
    store.close()
    print("done")
    """
)


@pytest.mark.slow
def test_two_writers_500_inserts_each_all_present(coach_home: Path) -> None:
    root = coach_home / "data"
    go = coach_home / "go"
    Store(root).close()  # create the folder once, as the app would have
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(root), tag, str(go)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for tag in ("a", "b")
    ]
    time.sleep(0.3)  # let both finish importing, then start them together
    go.touch()
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
        assert out.strip() == "done"
    with Store(root) as s:
        records = s.list_checks(limit=0)
        ids = [r.id for r in records]
        assert len(ids) == 1000
        assert set(ids) == {f"{t}-{i}" for t in "ab" for i in range(500)}
        assert s.count_checks() == 1000
        assert s.count_contacts() == 100
        assert {c.id for c in s.list_contacts(limit=0)} == {
            f"c{t}{i}" for t in "ab" for i in range(0, 500, 10)
        }
        assert s.get_draft("slot-a")["text"] == "typing 450"  # type: ignore[index]
        # TinyDB's internal integer ids are unique per table across both processes.
        journal = s.history.journal
        weeks = [n for n in journal.table_names() if layout.is_shard(n)]
        for week in weeks:
            docs = journal.docs(week)
            assert len({d["id"] for d in docs.values()}) == len(docs)
        assert sum(len(journal.docs(w)) for w in weeks) == 1000


def test_threads_sharing_one_store(coach_home: Path) -> None:
    """UI workers may share one Store: its thread lock keeps each call whole."""
    import threading

    from coach.models import CheckRecord, CheckResult

    errors: list[BaseException] = []
    with Store(coach_home / "data") as s:

        def work(tag: str) -> None:
            try:
                for i in range(60):
                    s.add_check(CheckRecord(id=f"{tag}{i}", draft="x", result=CheckResult()))
                    s.list_checks(limit=5)
            except BaseException as exc:  # surfaced below
                errors.append(exc)

        threads = [threading.Thread(target=work, args=(t,)) for t in "abc"]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        assert s.count_checks() == 180
        assert len({r.id for r in s.list_checks(limit=0)}) == 180
