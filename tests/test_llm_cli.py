"""`coach serve` and `coach models` error paths: one line saying what to do, never a traceback."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from coach.cli import main
from coach.errors import CoachError
from coach.llm import embedded


def test_serve_missing_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["serve", "--model", str(tmp_path / "none.gguf")]) == 2
    assert "No model file at" in capsys.readouterr().err


def test_serve_wrong_file_type(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    weights = tmp_path / "model.bin"
    weights.write_bytes(b"\0" * 16)
    assert main(["serve", "--model", str(weights)]) == 2
    assert "not a .gguf file" in capsys.readouterr().err


def test_serve_without_xllamacpp_says_how_to_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    model = tmp_path / "m.gguf"
    model.write_bytes(b"GGUF")
    monkeypatch.setitem(sys.modules, "xllamacpp", None)  # makes `import xllamacpp` fail
    with pytest.raises(CoachError) as err:
        embedded.start_server(model)
    assert "coach[embedded]" in err.value.hint


def test_serve_broken_gguf_is_a_clear_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    model = tmp_path / "broken.gguf"
    model.write_bytes(b"GGUF" + b"\0" * 64)
    assert main(["serve", "--model", str(model), "--port", "1"]) == 4
    err = capsys.readouterr().err
    assert "could not serve" in err and "Traceback" not in err


def test_models_with_nothing_to_ask(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COACH_ENDPOINT", "https://llm.example.com/v1")
    assert main(["models"]) == 4
    assert "not on this machine" in capsys.readouterr().err
