"""The core never imports the UI framework: `coach` must work (and import fast) without Textual."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import coach

CORE = Path(coach.__file__).parent


def test_core_source_never_imports_textual() -> None:
    offenders = [
        str(p.relative_to(CORE.parent))
        for p in CORE.rglob("*.py")
        if any(
            line.lstrip().startswith(("import textual", "from textual"))
            for line in p.read_text(encoding="utf-8").splitlines()
        )
    ]
    assert offenders == []


def test_importing_core_modules_does_not_load_textual() -> None:
    code = (
        "import sys, coach.cli, coach.store, coach.models, coach.config;"
        "print('textual' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
