"""The Rich style of nested parts of one widget, computed as Textual computes a node's style.

The one-widget header and footer draw what used to be several widgets (a key inside the footer,
its description inside the key...). Each part here is a component class of the widget; its style
is what it would have been as a child node of the parts before it: every background blended over
the one below, the last colour set drawn over that background, the text styles added.
"""

from __future__ import annotations

from rich.style import Style
from textual.color import Color
from textual.css.styles import StylesBase
from textual.widget import Widget


def nested_style(widget: Widget, *components: str) -> Style:
    """The style of `components[-1]` as if nested in the ones before it, inside `widget`."""
    background = Color(0, 0, 0, 0)
    color = Color(255, 255, 255, 0)
    style = Style()
    opacity = 1.0
    chain: list[StylesBase] = [node.styles for node in reversed(widget.ancestors_with_self)]
    chain += [widget.get_component_styles(name) for name in components]
    for styles in chain:  # as textual.dom.DOMNode.rich_style
        opacity *= styles.opacity
        if styles.has_rule("background"):
            background += styles.background.tint(styles.background_tint).multiply_alpha(opacity)
        if styles.has_rule("color"):
            color = styles.color
        style += styles.text_style
    style += Style.from_color(
        (background + color).rich_color if (background.a or color.a) else None,
        background.rich_color if background.a else None,
    )
    return style
