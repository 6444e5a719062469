"""`coach check` and the mute commands at the command line: exit codes, JSON shape, batch,
inline contacts, errors as one line (never a traceback)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from coach.cli import main
from coach.models import Contact
from coach.store import open_store

INLINE = json.dumps(
    {
        "name": "Dana Reyes",
        "preferred_name": "Dana",
        "context": "customer",
        "disclosures": [{"who": "them", "topic": "work", "depth": 0}],
        "interactions": [
            {
                "direction": "out",
                "at": "2026-11-19T10:00:00Z",
                "channel": "public_reply",
                "text": "Thanks!",
            },
            {
                "direction": "in",
                "at": "2026-11-20T10:00:00Z",
                "channel": "public_reply",
                "text": "Love it",
            },
        ],
    }
)


def run(*argv: str, home: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "coach", "--home", str(home), *argv],
        capture_output=True,
        text=True,
        timeout=60,
        input=stdin,
    )


def test_subprocess_exit_codes_json_and_stdin(coach_home: Path) -> None:
    ok = run(
        "check",
        "Thanks so much for the kind words!",
        "--offline",
        "--json",
        "--strict",
        home=coach_home,
    )
    assert ok.returncode == 0, ok.stderr
    data = json.loads(ok.stdout)
    assert data["verdict"] == "ok" and data["engine"] == "offline" and "history_id" in data

    hold = run(
        "check",
        "-",
        "--offline",
        "--strict",
        "--contact",
        INLINE,
        "--channel",
        "dm",
        home=coach_home,
        stdin="Dana, is your depression any better?",
    )
    assert hold.returncode == 3, hold.stderr
    assert "HOLD" in hold.stdout and "personal-question" in hold.stdout
    assert "\x1b[" not in hold.stdout  # not a terminal: no colour

    empty = run("check", "-", "--offline", home=coach_home, stdin="   ")
    assert empty.returncode == 2 and "empty" in empty.stderr
    assert "Traceback" not in empty.stderr


def test_strict_revise_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        ["check", "Hey hun, the fix is live.", "--offline", "--strict", "--contact", INLINE]
    )
    assert code == 1
    out = capsys.readouterr().out
    assert "[[hun]]" in out and "Rewrite: Hey Dana, the fix is live." in out
    # The edit is shown before the text to copy: the one word swapped, nothing else touched.
    assert "Changes: Hey [-hun-]{+Dana+}, the fix is live.  (removes 1 word, adds 1)" in out


def test_the_changes_line_stays_one_line_and_inert() -> None:
    from coach.cli.check import diff_line

    draft = "Hi hun,\nthe fix\x1b[2J is live."
    line = diff_line(draft, "Hi Dana,\nthe fix\x1b[2J is live.", colour=False)
    assert "\n" not in line and "\x1b" not in line
    assert line.startswith("Hi [-hun-]{+Dana+}, the fix")


@pytest.mark.parametrize(
    ("contact", "needle"),
    [
        ('{"name": ', "not valid JSON"),
        ('{"name": ""}', "name"),
        ('{"name": "X", "stage": "bestie"}', "stage"),
        ('{"name": "X", "interactions": [1]}', "interactions"),
    ],
)
def test_malformed_inline_contact_is_one_clear_line(
    contact: str, needle: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "hello", "--offline", "--contact", contact]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("coach: ") and "\n" not in err and needle in err


def test_unknown_stored_contact_exits_4(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "hello", "--offline", "--contact", "Nobody"]) == 4
    assert "No contact named 'Nobody'" in capsys.readouterr().err


def test_stored_contact_and_history(capsys: pytest.CaptureFixture[str]) -> None:
    with open_store() as store:
        store.add_contact(Contact.model_validate_json(INLINE))
    assert main(["check", "How are your kids?", "--offline", "--json", "--contact", "Dana"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert "personal-question" in {f["rule"] for f in data["flags"]}
    assert main(["check", "Thanks!", "--offline", "--json", "--no-history"]) == 0
    assert "history_id" not in json.loads(capsys.readouterr().out)
    with open_store() as store:
        assert store.count_checks() == 1


def test_batch_keeps_order_and_turns_bad_lines_into_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = [
        json.dumps({"id": "a", "draft": "Thanks for the talk!"}),
        "not json",
        json.dumps(
            {
                "id": "c",
                "draft": "How are your kids?",
                "contact": json.loads(INLINE),
                "channel": "dm",
            }
        ),
        "",
        json.dumps({"id": "d", "draft": "hi", "contact": "Nobody"}),
        json.dumps({"id": "e", "draft": "", "channel": "dm"}),
        json.dumps({"id": "f", "draft": "hi", "channel": "fax"}),
        json.dumps({"id": "g", "draft": "hi", "contact": {"name": "X", "stage": "weird"}}),
    ]
    batch = tmp_path / "in.jsonl"
    batch.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["check", "--batch", str(batch), "--offline"]) == 4
    captured = capsys.readouterr()
    out = [json.loads(line) for line in captured.out.splitlines()]
    assert [o.get("id") for o in out] == ["a", None, "c", "d", "e", "f", "g"]
    assert out[0]["verdict"] == "ok" and "error" not in out[0]
    assert out[2]["verdict"] in ("revise", "hold")
    assert all("error" in o for o in out[1:2] + out[3:])
    assert "5 batch lines could not be checked" in captured.err


def test_batch_file_missing_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--batch", "/nonexistent/x.jsonl", "--offline"]) == 2
    assert "Cannot read the batch file" in capsys.readouterr().err


def test_mute_unmute_and_list(capsys: pytest.CaptureFixture[str]) -> None:
    with open_store() as store:
        store.add_contact(Contact.model_validate_json(INLINE))
    assert main(["mute", "endearment", "--reason", "casual brand"]) == 0
    assert (
        main(["mute", "personal-question", "--contact", "Dana", "--reason", "kids are our topic"])
        == 0
    )
    capsys.readouterr()
    assert main(["mutes", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert {(m["rule"], m["contact_name"]) for m in listed} == {
        ("endearment", None),
        ("personal-question", "Dana Reyes"),
    }
    assert (
        main(["check", "Hey hun, how are your kids?", "--offline", "--json", "--contact", "Dana"])
        == 0
    )
    rules = {f["rule"] for f in json.loads(capsys.readouterr().out)["flags"]}
    assert not {"endearment", "personal-question"} & rules
    assert main(["unmute", "endearment"]) == 0
    assert main(["unmute", "endearment"]) == 4
    assert "not muted" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:  # argparse: --reason is required
        main(["mute", "endearment"])
    assert exc.value.code == 2


def test_highlight_marks_spans_in_colour_only_when_asked() -> None:
    from coach.check import check_offline
    from coach.cli.check import highlight

    draft = "Thanks, hun! How are your kids?"
    result = check_offline(draft, Contact.model_validate_json(INLINE), "dm")
    plain = highlight(draft, result, colour=False)
    assert "[[hun]]" in plain and "\x1b[" not in plain
    coloured = highlight(draft, result, colour=True)
    assert "\x1b[33mhun\x1b[0m" in coloured
    assert (
        coloured.replace("\x1b[33m", "").replace("\x1b[1;31m", "").replace("\x1b[0m", "") == draft
    )


def test_human_output_never_passes_control_characters_to_the_terminal(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["check", "hi\x00\x07 there \x1b[31m red", "--offline", "--no-history"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out and "\x00" not in out
    assert "\u241b[31m red" in out  # shown as a visible symbol, the rest kept


def test_the_offline_reason_is_quiet_unless_an_llm_was_asked_for(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["check", "Thanks for the quick reply!", "--no-history"]) == 0
    assert "(offline coach:" not in capsys.readouterr().out
    assert main(["check", "Thanks!", "--no-history", "--endpoint", "http://example.com/v1"]) == 0
    out = capsys.readouterr().out
    assert "(offline coach:" in out and "not on this machine" in out
