"""The relationship at a glance: who they are, how you met, the exchange so far and your notes.
Rendered as rich Text (user data never parsed as markup). What each side disclosed, their stated
preferences, the requests and the messages themselves are in the list below it
(widgets/fact_list.py), to edit."""

from __future__ import annotations

from datetime import datetime

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.text import Text

from coach.models import Contact
from screens.pace import ago, last_contact, stage_label, unanswered


def _heading(title: str) -> Text:
    return Text(f"\n{title}", style="bold")


def render_relationship(contact: Contact, now: datetime) -> RenderableType:
    parts: list[RenderableType] = []
    title = Text(contact.name, style="bold")
    if contact.preferred_name and contact.preferred_name != contact.name:
        title.append(f"  (goes by {contact.preferred_name})", style="dim")
    if contact.pronouns:
        title.append(f"  {contact.pronouns}", style="dim")
    parts.append(title)
    parts.append(Text(f"{contact.context} · stage {stage_label(contact)}", style="italic"))
    if contact.how_met:
        parts.append(Text.assemble(("How you met: ", "dim"), contact.how_met))

    ins = sum(1 for i in contact.interactions if i.direction == "in")
    outs = len(contact.interactions) - ins
    summary = Text.assemble(
        ("\nInteractions: ", "bold"),
        f"{len(contact.interactions)} ({ins} from them, {outs} from you); last {ago(last_contact(contact), now)}",
    )
    waiting = unanswered(contact)
    if waiting:
        summary.append(f"; {waiting} of yours unanswered", style="bold yellow" if waiting >= 2 else "")
    parts.append(summary)

    if contact.notes:
        parts.append(_heading("Notes"))
        parts.append(Padding(Text(contact.notes), (0, 0, 0, 2)))
    return Group(*parts)
