"""Prompt templates: shipped and overridden by name, strict about variables, user text kept as data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from coach import paths, prompting
from coach.cli import main
from coach.errors import ConfigError, NotFoundError
from coach.models import CheckResult, Contact, Disclosure, Flag, Interaction, Preference
from coach.store import open_store


def _contact(notes: str = "") -> Contact:
    return Contact(
        name="Dana Reyes",
        preferred_name="Dana",
        pronouns="she/her",
        context="customer",
        how_met="replied to our launch post",
        notes=notes,
        preferences=[
            Preference(kind="topic_avoid", value="family", quote="I keep my family {% raw %}")
        ],
        disclosures=[Disclosure(who="them", topic="work", depth=0)],
        interactions=[Interaction(direction="in", channel="public_reply", text="Love it {{ x }}")],
    )


def _override(name: str, text: str) -> Path:
    folder = paths.ensure_private_dir(paths.user_prompts_dir())
    (folder / name).write_text(text, encoding="utf-8")
    return folder / name


def test_every_shipped_template_has_a_version() -> None:
    infos = prompting.list_templates()
    names = {t.name for t in infos}
    assert {"system.j2", "check.j2", "_contact.j2"} <= names
    assert all(t.version and not t.overridden for t in infos)


def test_user_text_is_data_never_template_source() -> None:
    draft = "Hi {{ 7*7 }} and {% for x in range(3) %}loop{% endfor %}"
    contact = _contact(notes="met at {{ 7*7 }} {% if true %}yes{% endif %}")
    rendered = prompting.render_check(draft, contact, "dm", CheckResult())
    assert draft in rendered.user
    assert "met at {{ 7*7 }} {% if true %}yes{% endif %}" in rendered.user
    assert "I keep my family {% raw %}" in rendered.user
    assert "Love it {{ x }}" in rendered.user
    assert "49" not in rendered.user


def test_check_prompt_carries_contact_findings_and_schema() -> None:
    draft = "Hey Dana, how is your family?"
    offline = CheckResult(
        verdict="hold",
        flags=[Flag(rule="personal-question", start=10, end=29, evidence="she shared nothing")],
    )
    rendered = prompting.render_check(draft, _contact(), "dm", offline)
    assert 'goes by "Dana"' in rendered.user
    assert "she/her" in rendered.user
    assert 'personal-question on "how is your family?"' in rendered.user
    assert '"verdict"' in rendered.user  # the output schema
    assert rendered.template == "check.j2@check-v1+system.j2@system-v1"
    assert [m["role"] for m in rendered.messages()] == ["system", "user"]


def test_no_contact_renders_without_contact_block() -> None:
    rendered = prompting.render_check("Thanks!", None, None, CheckResult())
    assert "No stored contact" in rendered.user
    assert "Channel: unspecified" in rendered.user


def test_user_folder_overrides_by_name() -> None:
    _override("system.j2", "{# version: mine-2 #}\nBe terse. Draft has {{ draft|length }} chars.")
    rendered = prompting.render_check("Hello there", None, None, CheckResult())
    assert rendered.system == "Be terse. Draft has 11 chars.\n"
    assert "system.j2@mine-2" in rendered.template
    overridden = {t.name: t for t in prompting.list_templates()}["system.j2"]
    assert overridden.overridden and overridden.version == "mine-2"


def test_missing_variable_is_an_error_naming_it() -> None:
    _override("check.j2", "{# version: x #}\n{{ draft }} for {{ recipient_nickname }}")
    with pytest.raises(ConfigError) as err:
        prompting.render_check("Hello", None, None, CheckResult())
    assert "recipient_nickname" in err.value.message
    assert "check.j2" in err.value.message


def test_syntax_error_names_the_line() -> None:
    _override("check.j2", "line one\n{% if draft %}\nno end")
    with pytest.raises(ConfigError) as err:
        prompting.render("check.j2", draft="x")
    assert "syntax error" in err.value.message and "check.j2" in err.value.message


def test_sandbox_blocks_attribute_escapes() -> None:
    _override("check.j2", "{{ draft.__class__.__mro__[1].__subclasses__() }}")
    with pytest.raises(ConfigError):
        prompting.render("check.j2", draft="x")


def test_unknown_template_lists_the_known_ones() -> None:
    with pytest.raises(NotFoundError) as err:
        prompting.template_path("nope.j2")
    assert "check.j2" in err.value.hint


def test_cli_prompts_render_with_stored_contact(capsys: pytest.CaptureFixture[str]) -> None:
    with open_store() as store:
        store.add_contact(_contact(notes="{{ 7*7 }}"))
    assert main(["prompts", "render", "--contact", "Dana", "--json", "Hi {{ 1+1 }}"]) == 0
    data = json.loads(capsys.readouterr().out)
    user = data["messages"][1]["content"]
    assert "Hi {{ 1+1 }}" in user and "{{ 7*7 }}" in user and "Dana Reyes" in user
    assert data["template"].startswith("check.j2@")


def test_cli_prompts_list_show_path_copy(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["prompts", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert {"check.j2", "system.j2"} <= {t["name"] for t in listed}
    assert main(["prompts", "show", "check"]) == 0
    assert "version: check-v1" in capsys.readouterr().out
    assert main(["prompts", "path"]) == 0
    assert capsys.readouterr().out.strip() == str(paths.user_prompts_dir())
    assert main(["prompts", "copy", "system"]) == 0
    copied = Path(capsys.readouterr().out.strip())
    assert copied.parent == paths.user_prompts_dir() and copied.is_file()
    assert main(["prompts", "path", "system.j2"]) == 0
    assert capsys.readouterr().out.strip() == str(copied)
    assert main(["prompts", "show", "nope"]) == 4
    assert "No prompt template named 'nope.j2'" in capsys.readouterr().err
