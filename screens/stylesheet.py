"""A Textual Stylesheet that keeps what it has parsed while the theme's variables stay the same.

Textual re-parses every CSS source from scratch on each `App.refresh_css` (the first switch to
each mode triggers one), and the parse after it starts cold again: ~10 ms a pass here, several
passes before the first screen is up. Parsed rules depend only on the CSS text and the variables,
both part of what this cache is keyed or cleared on, so reusing them gives the same rules.
"""

from __future__ import annotations

from textual.css.stylesheet import Stylesheet


class ReusingStylesheet(Stylesheet):
    def set_variables(self, variables: dict[str, str]) -> None:
        # Textual clears the parse caches even when the variables are the ones parsed with.
        if variables == self._variables:
            return
        super().set_variables(variables)

    def reparse(self) -> None:
        # Textual parses into a fresh, cold sheet; parsing in place gives the same rules from the
        # cache, and on an error it raises before the rules in use are replaced, as Textual's
        # does. (New variables have just cleared the cache, so then everything is parsed anew.)
        self.parse()
