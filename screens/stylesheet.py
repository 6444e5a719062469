"""A Textual Stylesheet that parses each piece of CSS once: once per process while the theme's
variables stay the same, and once per machine with the rules kept on disk.

In a process: Textual re-parses every CSS source from scratch on each `App.refresh_css` (the
first switch to each mode triggers one), and the parse after it starts cold again: ~10 ms a pass
here, several passes before the first screen is up. Parsed rules depend only on the CSS text and
the variables, both part of what this cache is keyed or cleared on, so reusing them gives the
same rules.

Across launches: parsing the CSS of the home screen (ours and Textual's own for the table, the
input and the rest) is about a third of the time to the first paint, the same work every time.
Like Python's .pyc files, the parsed rules are kept in the cache folder, keyed by a hash of
everything the parse depends on (the CSS text, where it came from, its rank, scope and the theme
variables) in a file named after the Textual and Python versions. A missing, foreign or broken
file is ignored and rebuilt; an entry that does not load is parsed again.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sys
import tempfile
from pathlib import Path
from typing import Any

import textual
from textual.css.model import RuleSet
from textual.css.stylesheet import Stylesheet

CACHE_NAME = f"css-textual{textual.__version__}-py{sys.version_info[0]}{sys.version_info[1]}.pickle"
MAX_ENTRIES = 400  # past this the file is rewritten with what this process used


class ReusingStylesheet(Stylesheet):
    def __init__(self, *args: Any, cache_file: Path | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cache_file = cache_file
        self._disk: dict[str, bytes] | None = None  # read on the first parse
        self._used: set[str] = set()
        self._dirty = False
        self._fingerprint: bytes | None = None

    def set_variables(self, variables: dict[str, str]) -> None:
        # Textual clears the parse caches even when the variables are the ones parsed with.
        if variables == self._variables:
            return
        self._fingerprint = None
        super().set_variables(variables)

    def reparse(self) -> None:
        # Textual parses into a fresh, cold sheet; parsing in place gives the same rules from the
        # cache, and on an error it raises before the rules in use are replaced, as Textual's
        # does. (New variables have just cleared the cache, so then everything is parsed anew.)
        self.parse()

    # -- the disk cache ----------------------------------------------------------------------
    def _parse_rules(
        self,
        css: str,
        read_from: Any,
        is_default_rules: bool = False,
        tie_breaker: int = 0,
        scope: str = "",
    ) -> list[RuleSet]:
        args = (css, read_from, is_default_rules, tie_breaker, scope)
        if self.cache_file is None:
            return super()._parse_rules(*args)
        known: list[RuleSet] | None = self._parse_cache.get(args)
        if known is not None:
            return known
        key = self._key(*args)
        self._used.add(key)
        disk = self._load()
        stored = disk.get(key)
        if stored is not None:
            try:
                rules: list[RuleSet] = pickle.loads(stored)
            except Exception:  # written by another version of something: parse it again
                rules = []
            if rules:
                self._parse_cache[args] = rules
                return rules
        rules = super()._parse_rules(*args)
        if any(rule.errors for rule in rules):
            return rules  # invalid CSS: Textual reports it; nothing to keep
        with contextlib.suppress(Exception):  # a rule that cannot be pickled is parsed next time
            # Pickled now, as parsed: what is saved later is exactly what a parse gives.
            disk[key] = pickle.dumps(rules, protocol=pickle.HIGHEST_PROTOCOL)
            self._dirty = True
        return rules

    def _key(self, css: str, read_from: Any, is_default_rules: bool, tie_breaker: int,
             scope: str) -> str:
        if self._fingerprint is None:
            h = hashlib.blake2b(digest_size=16)
            for name, value in sorted(self._variables.items()):
                h.update(f"{name}\0{value}\0".encode("utf-8", "surrogatepass"))
            self._fingerprint = h.digest()
        h = hashlib.blake2b(self._fingerprint, digest_size=20)
        for part in (repr(read_from), repr(is_default_rules), repr(tie_breaker), scope, css):
            h.update(part.encode("utf-8", "surrogatepass"))
            h.update(b"\0")
        return h.hexdigest()

    def _load(self) -> dict[str, bytes]:
        if self._disk is None:
            self._disk = {}
            path = self.cache_file
            with contextlib.suppress(Exception):  # missing, unreadable or not ours: start empty
                if path is None:
                    return self._disk
                info = path.stat()
                # Only a file of this user's that nobody else can write: a pickle runs code.
                if info.st_uid == os.getuid() and not info.st_mode & 0o022:
                    data = pickle.loads(path.read_bytes())
                    if isinstance(data, dict):
                        self._disk = {k: v for k, v in data.items()
                                      if isinstance(k, str) and isinstance(v, bytes)}
        return self._disk

    def save_cache(self) -> None:
        """Write what was parsed anew (atomically, owner-only); a failure only costs the next
        launch a parse."""
        if not self._dirty or self.cache_file is None or self._disk is None:
            return
        self._dirty = False
        entries = self._disk
        if len(entries) > MAX_ENTRIES:
            entries = {k: v for k, v in entries.items() if k in self._used}
        folder = self.cache_file.parent
        with contextlib.suppress(Exception):
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd, tmp = tempfile.mkstemp(prefix=".css-", dir=folder)  # created 0600
            try:
                with os.fdopen(fd, "wb") as out:
                    pickle.dump(entries, out, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(tmp, self.cache_file)
            finally:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(tmp)
