"""The wheel carries prompts/ and sample_data/, and the installed `coach` works from outside the repo."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
UV = os.environ.get("UV") or shutil.which("uv")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(UV is None, reason="uv is needed to build and install the wheel"),
]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [UV, "build", "--wheel", "--out-dir", str(out), str(REPO)],  # type: ignore[list-item]
        check=True,
        capture_output=True,
        timeout=300,
    )
    (built,) = out.glob("coach-*.whl")
    return built


def test_wheel_ships_templates_and_demo_data(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert any(n.startswith("coach/_shipped/prompts/") and n.endswith(".j2") for n in names)
    assert "coach/_shipped/sample_data/contacts.json" in names
    assert any(n.startswith("screens/") for n in names)


def test_installed_wheel_runs_outside_the_repo(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([UV, "venv", "--python", sys.executable, str(venv)],  # type: ignore[list-item]
                   check=True, capture_output=True, timeout=120)
    env = {**os.environ, "VIRTUAL_ENV": str(venv)}
    subprocess.run([UV, "pip", "install", str(wheel)],  # type: ignore[list-item]
                   check=True, capture_output=True, timeout=300, env=env)
    coach = venv / "bin" / "coach"
    home = tmp_path / "home"
    run = lambda *a: subprocess.run(  # noqa: E731
        [str(coach), "--home", str(home), *a], capture_output=True, text=True, timeout=60,
        cwd=tmp_path, check=True,
    )
    assert "usage: coach" in run("--help").stdout
    run("demo", "load")
    listed = json.loads(run("contacts", "list", "--json", "--limit", "0").stdout)
    assert len(listed) >= 12
