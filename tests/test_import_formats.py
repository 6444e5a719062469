"""Each importer on small files in each real shape and its awkward variants."""

from __future__ import annotations

import shutil
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from coach.errors import ImportFailed
from coach.imports import apply_plan, plan_import
from coach.models import Contact
from coach.store import Store, open_store

FIX = Path(__file__).parent / "fixtures" / "imports"


def zip_folder(folder: Path, dest: Path, prefix: str = "") -> Path:
    with zipfile.ZipFile(dest, "w") as zf:
        for p in sorted(folder.rglob("*")):
            if p.is_file():
                zf.write(p, prefix + p.relative_to(folder).as_posix())
    return dest


def run_import(path: Path, fmt: str = "auto") -> dict[str, Contact]:
    with open_store() as store:
        apply_plan(store, plan_import(store, path, fmt))
        return by_name(store)


def by_name(store: Store) -> dict[str, Contact]:
    return {c.name: c for c in store.list_contacts(limit=0)}


# -- LinkedIn ------------------------------------------------------------------------------
def test_linkedin_folder_connections_messages_invitations() -> None:
    people = run_import(FIX / "linkedin")
    assert set(people) == {"Dana Reyes", "Priya Natarajan", "Tom Okafor", "Lena Fischer"}
    dana = people["Dana Reyes"]
    assert dana.handles["linkedin"] == "https://www.linkedin.com/in/dana-reyes-4a1b"
    assert dana.context == "professional"
    assert dana.sources == ["import:linkedin"]
    # The invitation note is the best "how we met" text; the connection date fills nothing over it.
    assert dana.how_met == ("They invited you to connect on LinkedIn: \"Hi Sam, we met at the "
                            "RoboConf panel on safety. Would love to stay in touch.\"")
    assert dana.notes == "Head of Product at Acme Robotics (from LinkedIn)"
    log = [(i.direction, i.at, i.channel, i.is_public) for i in dana.interactions]
    assert log == [
        ("in", datetime(2026, 2, 8, 9, 3, tzinfo=UTC), "dm", False),  # invitation note
        ("in", datetime(2026, 2, 9, 9, 15, tzinfo=UTC), "dm", False),
        ("out", datetime(2026, 2, 9, 10, 2, tzinfo=UTC), "dm", False),
    ]
    # A message whose text spans two lines keeps both; the draft is skipped.
    assert dana.interactions[2].text.endswith("compare notes\non robotics roadmaps sometime.")
    assert all("Half-written" not in i.text for i in dana.interactions)
    assert all(i.source == "import:linkedin" for i in dana.interactions)


def test_linkedin_group_conversation_goes_to_each_member() -> None:
    people = run_import(FIX / "linkedin")
    tom, priya = people["Tom Okafor"], people["Priya Natarajan"]
    # Tom wrote to the group (in); your reply went to Tom and Priya (out for both).
    assert [(i.direction, i.text) for i in tom.interactions] == [
        ("in", "Meetup\n\nSee you both Thursday?"), ("out", "Count me in.")]
    assert [(i.direction, i.text) for i in priya.interactions] == [("out", "Count me in.")]
    assert "Sam Owner" not in people  # the export's owner is you, not a contact


def test_linkedin_zip_with_nested_folder(tmp_path: Path) -> None:
    archive = zip_folder(FIX / "linkedin", tmp_path / "Basic_LinkedInDataExport.zip", "export/")
    with open_store() as store:
        plan = plan_import(store, archive)
    assert plan.format == "linkedin"
    assert len(plan.new) == 4 and plan.interactions == 6
    assert plan.ignored == {"draft messages": 1}


def test_linkedin_single_connections_file_with_bom_and_preamble() -> None:
    raw = (FIX / "linkedin" / "Connections.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and raw[3:].startswith(b"Notes:")
    people = run_import(FIX / "linkedin" / "Connections.csv")
    assert set(people) == {"Dana Reyes", "Priya Natarajan", "Tom Okafor"}
    assert people["Priya Natarajan"].handles["email"] == "priya@example.org"
    assert people["Priya Natarajan"].notes == "Partner at Natarajan, Lee & Co (from LinkedIn)"
    assert people["Tom Okafor"].how_met == "Connected on LinkedIn on 03 Mar 2024"
    # The trailing slash of a profile URL does not make a different person.
    assert people["Tom Okafor"].handles["linkedin"].endswith("/in/tom-okafor")


def test_linkedin_connections_before_2023_without_url_column() -> None:
    people = run_import(FIX / "linkedin_connections_2022.csv")
    assert set(people) == {"Ada Byrne", "Ben Castillo"}
    assert people["Ada Byrne"].handles == {"email": "ada@example.com"}
    assert people["Ben Castillo"].handles == {}
    # Re-importing the URL-less file still recognises them (by name within this source).
    with open_store() as store:
        again = plan_import(store, FIX / "linkedin_connections_2022.csv")
    assert again.changes == [] and again.unchanged == 2


def test_linkedin_unknown_columns_are_ignored(tmp_path: Path) -> None:
    src = (FIX / "linkedin" / "Connections.csv").read_text(encoding="utf-8-sig")
    src = src.replace("Connected On\n", "Connected On,Tags\n").replace("2026\n", "2026,vip\n")
    src = src.replace("2025\n", "2025,\n").replace("2024\n", "2024,\n")
    (tmp_path / "Connections.csv").write_text(src, encoding="utf-8")
    people = run_import(tmp_path / "Connections.csv")
    assert len(people) == 3


# -- X archive -----------------------------------------------------------------------------
def test_x_archive_folder() -> None:
    people = run_import(FIX / "x_archive")
    assert set(people) == {"Dana Reyes", "X user 2002", "X user 2003", "Kim Lee"}
    dana = people["Dana Reyes"]  # name and handle learned from the mention in tweets.js
    assert dana.handles == {"x_id": "2001", "x": "@danar"}
    kinds = [(i.direction, i.channel, i.is_public) for i in dana.interactions]
    assert kinds == [
        ("out", "public_reply", True),  # the reply to her launch tweet came first
        ("out", "dm", False), ("in", "dm", False),
        ("in", "dm", False), ("out", "dm", False),  # the group chat
    ]
    assert [i.channel for i in people["Kim Lee"].interactions] == ["mention"]  # RT skipped
    assert [i.direction for i in people["X user 2002"].interactions] == ["in"]
    # The group member who only wrote "Same!" gets it, plus your message to the group.
    assert [(i.direction, i.text) for i in people["X user 2003"].interactions] == [
        ("out", "Glad to be here, thanks both."), ("in", "Same!")]


def test_x_archive_zip_counts_followers_as_skipped(tmp_path: Path) -> None:
    archive = zip_folder(FIX / "x_archive", tmp_path / "twitter-2026.zip")
    with open_store() as store:
        plan = plan_import(store, archive)
    assert plan.format == "x"
    # 3001 (follower) and 3002 (following) never exchanged anything; 2001 did.
    assert plan.ignored["followers and followings with no exchange"] == 2
    assert plan.ignored["retweets"] == 1


def test_x_direct_messages_alone_guesses_the_owner(tmp_path: Path) -> None:
    shutil.copy(FIX / "x_archive" / "data" / "direct-messages.js", tmp_path / "direct-messages.js")
    people = run_import(tmp_path / "direct-messages.js")
    assert set(people) == {"X user 2001", "X user 2002"}
    assert [i.direction for i in people["X user 2001"].interactions] == ["out", "in"]


# -- vCard ---------------------------------------------------------------------------------
def test_vcard_30_quoted_printable_and_folded_lines() -> None:
    people = run_import(FIX / "contacts_v3.vcf")
    assert set(people) == {"Jürgen Müller", "Dana Reyes"}  # the nameless card is skipped
    j = people["Jürgen Müller"]
    assert j.handles == {"email": "juergen@example.de", "phone": "+49 170 1234567"}
    assert j.notes.startswith("Met at the Berlin climbing gym; prefers email to calls and is "
                              "usually slow to reply in summer.")
    assert j.notes.endswith("Route setter at Kletterhalle GmbH")
    dana = people["Dana Reyes"]
    assert dana.handles["linkedin"] == "https://www.linkedin.com/in/dana-reyes-4a1b"
    assert dana.handles["x"] == "@danar"


def test_vcard_40_pronouns_socialprofile_related() -> None:
    people = run_import(FIX / "contacts_v4.vcf")
    alex = people["Alex Kim"]
    assert alex.pronouns == "they/them"
    assert alex.preferred_name == "Lex"
    assert alex.handles["x"] == "@alexkim"
    assert alex.handles["website"] == "https://example.social/@alexk"
    assert alex.stage == "friend"  # RELATED;TYPE=friend beats colleague
    assert alex.notes.endswith("so the parser must unfold it.")
    assert people["Morgan Lee"].stage == "introduced"  # RELATED;TYPE=met
    assert people["Morgan Lee"].handles["phone"] == "+1-555-010-9999"


# -- Google Contacts -----------------------------------------------------------------------
def test_google_current_csv() -> None:
    people = run_import(FIX / "google_current.csv")
    assert set(people) == {"Priya Natarajan", "Chris Doe"}  # the blank row is skipped
    priya = people["Priya Natarajan"]
    assert priya.preferred_name == "Pri"
    assert priya.context == "professional"  # the Work label
    assert priya.handles["email"] == "priya@example.org"
    assert priya.handles["email_2"] == "priya.n@example.com"
    assert priya.handles["linkedin"] == "https://www.linkedin.com/in/priyan"
    assert priya.notes == "Loves hiking\nPartner at Natarajan, Lee & Co"
    # Several values in one cell, joined by " ::: ".
    assert people["Chris Doe"].handles == {"email": "chris@example.com",
                                           "email_2": "chris.doe@example.com"}
    assert people["Chris Doe"].context == "personal"


def test_google_legacy_csv() -> None:
    people = run_import(FIX / "google_legacy.csv")
    assert set(people) == {"Ada Byrne", "Hiro Tanaka"}
    ada = people["Ada Byrne"]
    assert ada.handles == {"email": "ada@example.com", "phone": "+44 7700 900123",
                           "website": "https://ada.example.com"}
    assert ada.notes == "Old friend from uni\nEngineer at Ferry Works"
    assert people["Hiro Tanaka"].preferred_name == "Hiro-san"
    # An email of type "* Work" is not a label: only labels (Group Membership) set the context.
    assert people["Hiro Tanaka"].context == "personal"


@pytest.mark.parametrize(
    ("name", "fmt"),
    [("linkedin", "linkedin"), ("linkedin_connections_2022.csv", "linkedin"),
     ("x_archive", "x"), ("contacts_v3.vcf", "vcard"), ("contacts_v4.vcf", "vcard"),
     ("google_current.csv", "google"), ("google_legacy.csv", "google")],
)
def test_format_detection(name: str, fmt: str) -> None:
    with open_store() as store:
        assert plan_import(store, FIX / name).format == fmt


def test_wrong_format_forced_is_a_clear_error() -> None:
    with open_store() as store, pytest.raises(ImportFailed) as err:
        plan_import(store, FIX / "google_legacy.csv", "linkedin")
    assert "google_legacy.csv" in err.value.message


def test_progress_is_reported_for_big_files(tmp_path: Path) -> None:
    rows = ["First Name,Last Name,URL,Email Address,Company,Position,Connected On"]
    rows += [f"P{n},Q{n},https://www.linkedin.com/in/p{n},,,,01 Jan 2026" for n in range(5000)]
    (tmp_path / "Connections.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    seen: list[tuple[str, int, int]] = []
    with open_store() as store:
        plan = plan_import(store, tmp_path / "Connections.csv",
                           progress=lambda what, done, total: seen.append((what, done, total)))
    assert len(plan.new) == 5000
    assert len(seen) >= 3 and seen[-1] == ("LinkedIn connections", 5001, 5001)
    assert [d for _, d, _ in seen] == sorted(d for _, d, _ in seen)


def test_cli_progress_bar_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    from coach.cli.transfer import progress_bar
    from coach.imports.progress import no_progress

    monkeypatch.setattr("sys.stderr.isatty", lambda: False)
    assert progress_bar() is no_progress
    monkeypatch.setattr("sys.stderr.isatty", lambda: True)
    bar = progress_bar()
    bar("LinkedIn connections", 10, 10)
    assert "[##############################] 100%" in capsys.readouterr().err


def test_linkedin_owner_from_profile_csv() -> None:
    """One conversation, two people: only Profile.csv can say which one is you."""
    people = run_import(FIX / "linkedin_two_people")
    assert set(people) == {"Ari Zed"}
    assert [i.direction for i in people["Ari Zed"].interactions] == ["out", "in"]


def test_x_archive_split_into_parts(tmp_path: Path) -> None:
    import json

    shutil.copytree(FIX / "x_archive", tmp_path / "x")
    dm = tmp_path / "x" / "data" / "direct-messages.js"
    convs = json.loads(dm.read_text(encoding="utf-8").split("=", 1)[1])
    dm.write_text("window.YTD.direct_messages.part0 = " + json.dumps(convs[:1]), "utf-8")
    (dm.parent / "direct-messages-part1.js").write_text(
        "window.YTD.direct_messages.part1 = " + json.dumps(convs[1:]), "utf-8")
    with open_store() as store:
        plan = plan_import(store, tmp_path / "x")
    assert {c.contact.name for c in plan.new} == {"Dana Reyes", "X user 2002", "X user 2003",
                                                 "Kim Lee"}
    assert any(f.endswith("direct-messages-part1.js") for f in plan.files)


def test_vcard_21_quoted_printable_with_soft_breaks_and_commas() -> None:
    people = run_import(FIX / "contacts_v21.vcf")
    ayse = people["Ayşe Öztürk"]
    # QP line break (=0D=0A), a bare comma and a soft line break all survive.
    assert ayse.notes == "Line one\nLine two, with comma and soft break"
    assert ayse.handles == {"email": "ayse@example.com", "phone": "+90 555 123 4567"}


def test_linkedin_2021_messages_without_recipient_urls() -> None:
    """Older exports lack URL and RECIPIENT PROFILE URLS: your message went to the others who
    wrote in that conversation, and the URL-less connection is linked by her (unique) name."""
    people = run_import(FIX / "linkedin_2021")
    assert set(people) == {"Ada Byrne"}
    ada = people["Ada Byrne"]
    assert [(i.direction, i.text) for i in ada.interactions] == [
        ("out", "Hi Ada, great to connect."), ("in", "Likewise, Sam!")]
    assert ada.handles == {"email": "ada@example.com",
                           "linkedin": "https://www.linkedin.com/in/ada-byrne"}
