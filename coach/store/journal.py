"""JournalStorage: a crash-safe, multi-process TinyDB storage for one folder of tables.

Each table has a snapshot file (snapshot.py); every change since goes to one shared append-only
journal, one checksummed JSON line per transaction, fsync'd before the write returns. A torn last
line (a crash mid-append) is ignored and cut off by the next writer. Writers hold an exclusive
flock on `.lock`; readers a shared one, and re-read only the journal tail another process appended.
When the journal outgrows the snapshots it would rewrite, the touched tables get new snapshots
(temp file, fsync, rename) and a fresh journal replaces the old one atomically.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import threading
import zlib
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import orjson
from tinydb.storages import Storage

from coach.errors import CorruptFileError, StoreError
from coach.paths import ensure_private_dir
from coach.store import snapshot as snap
from coach.store.fileio import atomic_write, corrupt, open_private, sync_fd, write_all
from coach.store.lookups import IndexedReads
from coach.store.maintenance import JOURNAL_FORMAT, Maintenance, journal_header, valid_table_name

JOURNAL = "journal.jsonl"
LOCK = ".lock"

# An op is [kind, table, doc_id, doc]: "i" insert, "u" update (whole doc), "d" delete,
# "t" truncate, "s" snapshot replaced in bulk (readers drop their copy of that table).
Op = list[Any]
Docs = dict[str, dict[str, Any]]


class _Tables(Mapping[str, Docs]):
    """What `Storage.read()` returns: tables load lazily, only when TinyDB asks for one."""

    def __init__(self, storage: JournalStorage) -> None:
        self._storage = storage

    def __getitem__(self, name: str) -> Docs:
        return self._storage.docs(name)

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._storage.table_names()))

    def __len__(self) -> int:
        return len(self._storage.table_names())


class JournalStorage(IndexedReads, Maintenance, Storage):
    """TinyDB Storage over a folder: `TinyDB(folder, storage=JournalStorage)`.

    `summary_fields` are document fields whose distinct values each snapshot header lists, so
    `locate(field, value)` finds the tables holding a value without reading them."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        summary_fields: tuple[str, ...] = (),
        bloom_fields: tuple[str, ...] = (),
        compact_min_bytes: int = 1 << 20,
        compact_max_bytes: int = 4 << 20,
        compact_ratio: float = 0.5,
        max_loaded: int = 64,
        max_loaded_bytes: int = 16 << 20,
    ) -> None:
        self.folder = ensure_private_dir(Path(path))
        self.journal_path = self.folder / JOURNAL
        self.summary_fields = summary_fields
        self.bloom_fields = bloom_fields
        # Values of these fields in journal ops, for locate() (snapshots answer via blooms).
        self._jkey_fields = bloom_fields or summary_fields
        self.compact_min_bytes = compact_min_bytes
        self.compact_max_bytes = compact_max_bytes
        self.compact_ratio = compact_ratio
        self.max_loaded = max_loaded
        self.max_loaded_bytes = max_loaded_bytes
        self._weights: dict[str, int] = {}  # snapshot bytes of each table in memory
        self._lock_fd: int | None = open_private(self.folder / LOCK, os.O_RDWR | os.O_CREAT)
        # flock serialises processes; this serialises threads of one process (UI workers).
        self._mutex = threading.RLock()
        self._jfd: int | None = None
        self._jino = -1
        self._jid = ""
        self._offset = 0  # bytes of the journal applied (whole lines only)
        self._lines = 0
        self._ops: dict[str, list[tuple[int, Op]]] = {}  # table -> (end offset, op)
        self._max_id: dict[str, int] = {}
        self._jkeys: dict[str, dict[Any, set[str]]] = {f: {} for f in self._jkey_fields}
        self._jkeys_stale = False
        self._loaded: OrderedDict[str, Docs] = OrderedDict()
        self._headers: dict[str, tuple[tuple[int, int, int] | None, snap.Header | None]] = {}
        self._versions: dict[str, int] = {}
        self._epoch = 0
        self._sh_depth = 0
        self._tx_depth = 0
        self._staged: list[Op] = []
        self._tx_next: dict[str, int] = {}
        self._paths: dict[str, str] = {}
        self._listing: tuple[int, frozenset[str]] | None = None
        self._change_cache: dict[str, tuple[tuple[int, int, int], bool, Docs]] = {}
        self._values_cache: dict[tuple[str, str], tuple[tuple[int, int, int], dict[str, Any]]] = {}
        self._recheck_at = 0

    # -- TinyDB Storage API ----------------------------------------------------------------
    def read(self) -> dict[str, dict[str, Any]] | None:
        return _Tables(self)  # type: ignore[return-value]

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        """Replace everything (TinyDB's drop_tables and friends): one bulk snapshot per table."""
        with self.transaction():
            for name in self.table_names() - set(data):
                self.replace_table(name, {})
            for name, docs in data.items():
                self.replace_table(name, {str(k): dict(v) for k, v in docs.items()})

    def close(self) -> None:
        for attr in ("_jfd", "_lock_fd"):
            fd = getattr(self, attr)
            if fd is not None:
                with contextlib.suppress(OSError):
                    os.close(fd)
                setattr(self, attr, None)
        self._loaded.clear()
        self._ops.clear()

    # -- locking -----------------------------------------------------------------------------
    def _flock(self, mode: int) -> None:
        if self._lock_fd is None:
            raise StoreError("The store was closed.", "Open it again.")
        fcntl.flock(self._lock_fd, mode)

    @contextlib.contextmanager
    def shared(self) -> Iterator[None]:
        """A consistent view: refreshed from disk, and no compaction can swap files under us."""
        with self._mutex:
            if self._tx_depth or self._sh_depth:
                yield
                return
            with self._shared_locked():
                yield

    @contextlib.contextmanager
    def _shared_locked(self) -> Iterator[None]:
        self._flock(fcntl.LOCK_SH)
        self._sh_depth = 1
        try:
            self._refresh()
            yield
        finally:
            self._sh_depth = 0
            if self._lock_fd is not None:
                fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
            self._evict()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """All changes staged inside become one journal line: all of them are kept, or none."""
        with self._mutex, self._transaction_locked():
            yield

    @contextlib.contextmanager
    def _transaction_locked(self) -> Iterator[None]:
        if self._tx_depth:
            self._tx_depth += 1
            try:
                yield
            finally:
                self._tx_depth -= 1
            return
        if self._sh_depth:
            raise RuntimeError("cannot start a write inside a read section")
        self._flock(fcntl.LOCK_EX)
        self._tx_depth = 1
        self._staged = []
        self._tx_next = {}
        try:
            self._refresh()
            yield
            if self._staged:
                self._commit()
        except BaseException:
            self._rollback()
            raise
        finally:
            self._tx_depth = 0
            self._staged = []
            self._tx_next = {}
            if self._lock_fd is not None:
                fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
            self._evict()

    # -- reading the journal -----------------------------------------------------------------
    def _reset(self) -> None:
        if self._jfd is not None:
            with contextlib.suppress(OSError):
                os.close(self._jfd)
        self._jfd = None
        self._jino = -1
        self._jid = ""
        self._offset = 0
        self._recheck_at = 0
        self._lines = 0
        self._ops = {}
        self._max_id = {}
        self._jkeys = {f: {} for f in self._jkey_fields}
        self._jkeys_stale = False
        self._loaded.clear()
        self._epoch += 1

    def _refresh(self) -> None:
        """Catch up with other processes: a new journal means start over; a longer one, read on."""
        try:
            st = os.stat(self.journal_path)
        except FileNotFoundError:
            if self._jfd is not None:
                self._reset()
            return
        if self._jfd is None or st.st_ino != self._jino:
            self._reset()
            self._jfd = open_private(self.journal_path, os.O_RDWR | os.O_APPEND)
            self._jino = os.fstat(self._jfd).st_ino
        if st.st_size > self._offset:
            try:
                self._read_tail(st.st_size)
            except CorruptFileError:
                self._reset()  # forget the half-read tail; a retry reads from the start again
                raise
        elif st.st_size < self._offset:  # someone cut committed lines: trust the disk, re-read
            self._reset()
            self._refresh()

    def _read_tail(self, size: int) -> None:
        assert self._jfd is not None
        data = os.pread(self._jfd, size - self._offset, self._offset)
        pos = 0
        end = len(data)
        while pos < end:
            nl = data.find(b"\n", pos)
            if nl < 0:
                break  # a torn last line from a crash: never acknowledged, ignored
            line = data[pos:nl]
            self._lines += 1
            ops = self._decode_line(line)
            line_end = self._offset + nl + 1
            if ops is not None:
                for op in ops:
                    self._record(op, line_end)
            pos = nl + 1
        self._offset += pos

    def _decode_line(self, line: bytes) -> list[Op] | None:
        """Check one journal line; returns its ops (None for the header line)."""
        n = self._lines
        if len(line) < 10 or line[8:9] != b" ":
            raise corrupt(self.journal_path, n, "not a journal line (no checksum)")
        payload = line[9:]
        try:
            crc = int(line[:8], 16)
        except ValueError:
            raise corrupt(self.journal_path, n, "the checksum is not hexadecimal") from None
        if zlib.crc32(payload) != crc:
            raise corrupt(self.journal_path, n, "checksum mismatch (damaged or edited by hand)")
        try:
            value = orjson.loads(payload)
        except orjson.JSONDecodeError as exc:
            raise corrupt(self.journal_path, n, f"not valid JSON ({exc})") from None
        if n == 1:
            if not isinstance(value, dict) or value.get("format") != JOURNAL_FORMAT:
                raise corrupt(self.journal_path, 1, "this is not a coach journal header")
            self._jid = str(value.get("id", ""))
            return None
        if not isinstance(value, list) or not all(
            isinstance(op, list) and len(op) == 4 and isinstance(op[1], str) for op in value
        ):
            raise corrupt(self.journal_path, n, "expected a list of [kind, table, id, doc] ops")
        return value

    def _record(self, op: Op, end: int) -> None:
        """Apply one committed op to what we know (and to the table, if it is in memory)."""
        kind, table, doc_id, _doc = op
        # Kept as decoded: read-only from here on. Tables TinyDB may change in place get copies.
        self._ops.setdefault(table, []).append((end, op))
        if kind in ("i", "u"):
            if doc_id > self._max_id.get(table, 0):
                self._max_id[table] = doc_id
            self._jkeys_stale = True  # rebuilt on demand: most cold starts never need it
        elif kind == "s":
            self._loaded.pop(table, None)
            self._headers.pop(table, None)
        loaded = self._loaded.get(table)
        if loaded is not None:
            self._apply(loaded, op, copy=True)
        self._versions[table] = self._versions.get(table, 0) + 1

    def _journal_keys(self) -> dict[str, dict[Any, set[str]]]:
        """{field: {value: tables}} over the journal's ops, for locate()."""
        if self._jkeys_stale:
            keys: dict[str, dict[Any, set[str]]] = {f: {} for f in self._jkey_fields}
            for table, ops in self._ops.items():
                for _end, (kind, _t, _id, doc) in ops:
                    if kind in ("i", "u"):
                        for f, index in keys.items():
                            value = doc.get(f)
                            if value is not None:
                                index.setdefault(value, set()).add(table)
            self._jkeys = keys
            self._jkeys_stale = False
        return self._jkeys

    @staticmethod
    def _apply(docs: Docs, op: Op, *, copy: bool = False) -> None:
        """Apply one op to a table's documents; `copy` when the table is live (TinyDB updates
        documents in place, and the journal's copy must never change)."""
        kind, _table, doc_id, doc = op
        if kind in ("i", "u"):
            docs[str(doc_id)] = orjson.loads(orjson.dumps(doc)) if copy else doc
        elif kind == "d":
            docs.pop(str(doc_id), None)
        elif kind == "t":
            docs.clear()

    # -- tables ------------------------------------------------------------------------------
    def _snap_path(self, table: str) -> str:
        path = self._paths.get(table)
        if path is None:
            path = self._paths[table] = str(snap.snapshot_path(self.folder, table))
        return path

    def _header(self, table: str, *, with_index: bool = False) -> snap.Header | None:
        """The table's snapshot header (and index), cached until the file changes."""
        path = self._snap_path(table)
        try:
            st = os.stat(path)
            stamp: tuple[int, int, int] | None = (st.st_ino, st.st_mtime_ns, st.st_size)
        except FileNotFoundError:
            stamp = None
        cached = self._headers.get(table)
        if (
            cached is not None
            and cached[0] == stamp
            and (not with_index or cached[1] is None or cached[1].rows is not None)
        ):
            return cached[1]
        header = snap.read_header(Path(path), with_index=with_index) if stamp else None
        self._headers[table] = (stamp, header)
        return header

    def _pending_ops(self, table: str, header: snap.Header | None) -> list[Op]:
        """Journal ops the snapshot does not already include."""
        ops = self._ops.get(table, [])
        if header is not None and header.journal_id and header.journal_id == self._jid:
            return [op for end, op in ops if end > header.journal_upto]
        return [op for _end, op in ops]

    def _load(self, table: str, *, live: bool = True) -> Docs:
        """Snapshot plus journal. `live`: TinyDB may change these documents in place, so the
        journal's copies are copied (compaction only writes them out, and skips that)."""
        header = self._header(table)
        docs: Docs = {}
        if header is not None:
            got = snap.read_snapshot(snap.snapshot_path(self.folder, table))
            if got is not None:
                header, docs = got
                self._headers.pop(table, None)
        for op in self._pending_ops(table, header):
            self._apply(docs, op, copy=live)
        return docs

    def _evict(self) -> None:
        """Keep memory bounded: drop the least recently used tables beyond the count or the
        byte budget (always keeping the one just used)."""
        weights = self._weights
        total = sum(weights.get(t, 0) for t in self._loaded)
        while len(self._loaded) > 1 and (
            len(self._loaded) > self.max_loaded or total > self.max_loaded_bytes
        ):
            table, _docs = self._loaded.popitem(last=False)
            total -= weights.get(table, 0)

    def docs(self, table: str) -> Docs:
        """The live documents of one table, keyed by str(doc_id). Do not modify outside TinyDB."""
        with self.shared():
            docs = self._loaded.get(table)
            if docs is None:
                docs = self._load(table)
                self._loaded[table] = docs
                try:
                    self._weights[table] = os.stat(self._snap_path(table)).st_size
                except FileNotFoundError:
                    self._weights[table] = 0
            else:
                self._loaded.move_to_end(table)
            return docs

    def table_names(self) -> set[str]:
        with self.shared():
            # The listing only changes when a file is created or renamed, which changes the
            # folder's mtime: list it again only then.
            stamp = os.stat(self.folder).st_mtime_ns
            if self._listing is None or self._listing[0] != stamp:
                cut = len(snap.SUFFIX)
                names = frozenset(
                    n[:-cut]
                    for n in os.listdir(self.folder)
                    if n.endswith(snap.SUFFIX) and not n.startswith(".")
                )
                self._listing = (stamp, names)
            return set(self._listing[1]) | set(self._ops)

    def count(self, table: str) -> int:
        """How many documents, without loading the table when it is not in memory."""
        with self.shared():
            if table in self._loaded:
                return len(self._loaded[table])
            header = self._header(table)
            n = header.count if header else 0
            for op in self._pending_ops(table, header):
                kind = op[0]
                if kind == "i":
                    n += 1
                elif kind == "d":
                    n -= 1
                elif kind == "t":
                    n = 0
                # "s" marks the bulk snapshot we just read the header of: nothing to add.
            return n

    def version(self, table: str) -> tuple[int, int]:
        """Changes whenever the table may have changed (for query caches)."""
        with self.shared():
            return (self._epoch, self._versions.get(table, 0))

    def next_id(self, table: str) -> int:
        header = self._header(table)
        base = header.next_id if header else 1
        return max(base, self._max_id.get(table, 0) + 1)

    # -- writing -----------------------------------------------------------------------------
    def allocate_id(self, table: str) -> int:
        """A document id no process has used in this table (we hold the write lock)."""
        if not self._tx_depth:
            raise RuntimeError("allocate_id outside a transaction")
        n = self._tx_next.get(table) or self.next_id(table)
        self._tx_next[table] = n + 1
        return n

    def stage(self, kind: str, table: str, doc_id: int, doc: dict[str, Any] | None) -> None:
        """Add one change to the open transaction (and to the table, if it is in memory)."""
        if not self._tx_depth:
            raise RuntimeError("stage outside a transaction")
        if not valid_table_name(table):
            raise StoreError(f"Bad table name {table!r}.", "Use letters, digits, - and _.")
        op: Op = [kind, table, doc_id, doc]
        loaded = self._loaded.get(table)
        if loaded is not None:
            self._apply(loaded, op)
        self._staged.append(op)
        self._versions[table] = self._versions.get(table, 0) + 1

    def _ensure_journal(self) -> None:
        if self._jfd is not None:
            return
        atomic_write(self.journal_path, journal_header())
        self._refresh()

    def _commit(self) -> None:
        self._ensure_journal()
        assert self._jfd is not None
        payload = orjson.dumps(self._staged)
        line = b"%08x " % zlib.crc32(payload) + payload + b"\n"
        try:
            if os.fstat(self._jfd).st_size > self._offset:
                os.ftruncate(self._jfd, self._offset)  # cut a torn line left by a crash
            write_all(self._jfd, line)
            sync_fd(self._jfd)
        except OSError as exc:
            with contextlib.suppress(OSError):
                os.ftruncate(self._jfd, self._offset)
            raise StoreError(
                f"Could not save to {self.journal_path}: {exc.strerror or exc}. "
                "This change was not saved; earlier data is intact.",
                "Check free disk space and permissions of the data folder.",
            ) from exc
        self._offset += len(line)
        self._lines += 1
        # Record fresh copies decoded from the line: the staged docs may be live objects that
        # TinyDB mutates in place, and memory must hold exactly what the disk holds.
        for op in orjson.loads(payload):
            self._record(op, self._offset)
        self._staged = []
        with contextlib.suppress(StoreError, OSError):
            # The write above is durable already; a failed compaction only postpones it.
            self._maybe_compact()

    def _rollback(self) -> None:
        for op in self._staged:
            self._loaded.pop(op[1], None)
            self._versions[op[1]] = self._versions.get(op[1], 0) + 1
