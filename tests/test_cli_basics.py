"""The CLI's outer edges: help, usage errors (exit 2), contacts add/list/show/delete."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from coach.cli import main


def run(*argv: str, home: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "coach", "--home", str(home), *argv],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_usage_error_exits_2_with_a_hint(coach_home: Path) -> None:
    out = run("contacts", "frobnicate", home=coach_home)
    assert out.returncode == 2
    assert "--help" in out.stderr


def test_add_list_show_delete_roundtrip(coach_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["contacts", "add", "Dana Reyes", "--preferred-name", "Dana",
                 "--context", "customer", "--json"]) == 0
    added = json.loads(capsys.readouterr().out)
    assert main(["contacts", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [c["id"] for c in listed] == [added["id"]]
    assert main(["contacts", "show", "dana", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["preferred_name"] == "Dana"
    assert main(["contacts", "delete", added["id"]]) == 0
    capsys.readouterr()
    assert main(["contacts", "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_unknown_contact_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["contacts", "show", "Nobody"]) == 4
    err = capsys.readouterr().err
    assert "No contact named 'Nobody'" in err


def test_a_home_that_cannot_be_created_is_one_clear_line(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    out = run("contacts", "list", home=blocker / "home")
    assert out.returncode == 4
    assert "Traceback" not in out.stderr
    assert "Cannot create the folder" in out.stderr and "--home" in out.stderr


def test_tables_align_by_terminal_cells(capsys: pytest.CaptureFixture[str]) -> None:
    from rich.cells import cell_len

    from coach.cli.output import print_table

    print_table(["name", "stage"], [["김서연", "introduced"], ["Dana Reyes", "stranger"]])
    lines = capsys.readouterr().out.splitlines()
    # The second column starts in the same terminal column on every line.
    starts = [cell_len(line[: line.index(word)]) for line, word in
              zip(lines, ["stage", "-", "introduced", "stranger"], strict=True) if word != "-"]
    assert len(set(starts)) == 1, lines


def test_a_command_alone_does_what_its_help_line_says(capsys: pytest.CaptureFixture[str]) -> None:
    """`coach demo` loads, `coach contacts` and `coach history` list, each taking list's options."""
    assert main(["demo", "--json"]) == 0
    loaded = json.loads(capsys.readouterr().out)
    assert loaded["added"] == loaded["contacts"] > 2
    assert main(["contacts", "--json", "--limit", "2"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 2
    assert main(["contacts", "--search", "dana"]) == 0
    out = capsys.readouterr().out
    assert "Dana Reyes" in out and "Ana Kovačević" not in out
    assert main(["history", "--json", "--limit", "3"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 3
    assert main(["demo"]) == 0
    assert "Loaded 0 demo contacts" in capsys.readouterr().out
