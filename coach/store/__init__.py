"""Persistence for contacts, history, mutes and drafts (TinyDB underneath).

`Store` is the only way the rest of the app reads or writes personal data. Its public methods are
the contract the CLI, the analysis, the importers and the screens code against.
"""

from coach.store.store import Store, open_store

__all__ = ["Store", "open_store"]
