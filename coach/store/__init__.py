"""Persistence for contacts, history, mutes and drafts: crash-safe, multi-process TinyDB.

`Store` (store.py) is the only way the rest of the app reads or writes personal data; its public
methods are the contract the CLI, the analysis, the importers and the screens code against.
Underneath: journal.py (a TinyDB Storage: snapshots + fsync'd journal + file locks), tables.py
(TinyDB Table/TinyDB subclasses), snapshot.py (file format, index line, Bloom filters),
history.py / people.py (week-sharded history, hashed contact tables), upgrades.py (schema steps).
"""

from coach.store.store import Store, open_store

__all__ = ["Store", "open_store"]
