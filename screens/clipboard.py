"""Copy text out of the app: OSC 52 through the terminal, and a fallback that works without it.

OSC 52 is silently ignored by some terminals (macOS Terminal, some tmux setups), so the text is
also handed to a system clipboard tool when one is installed, else written to a private file.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

from coach.paths import data_dir, ensure_private_dir

_TOOLS: tuple[tuple[str, ...], ...] = (
    ("pbcopy",),
    ("wl-copy",),
    ("xclip", "-selection", "clipboard"),
    ("xsel", "--clipboard", "--input"),
)


def system_copy(text: str) -> bool:
    """Hand `text` to the first clipboard tool found; False when none worked."""
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")) and not shutil.which(
        "pbcopy"
    ):
        return False
    for cmd in _TOOLS:
        if shutil.which(cmd[0]):
            try:
                subprocess.run(cmd, input=text.encode("utf-8"), timeout=2, check=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                return True
            except (OSError, subprocess.SubprocessError):
                continue
    return False


def fallback_file(text: str) -> Path:
    """Write the text where the user can find it (owner-only), and return the path."""
    folder = ensure_private_dir(data_dir())
    path = folder / "copied.txt"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    return path


def copy_text(app: Any, text: str) -> None:
    """OSC 52 plus a fallback, and a notification saying where the text went."""
    app.copy_to_clipboard(text)
    if system_copy(text):
        app.notify("Copied to the clipboard.", timeout=3)
        return
    try:
        path = fallback_file(text)
    except OSError:
        app.notify("Sent to the terminal clipboard (OSC 52).", timeout=4)
        return
    app.notify(f"Sent to the terminal clipboard (OSC 52); also saved in {path}.", timeout=6)
