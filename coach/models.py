"""The one vocabulary for all of coach: contacts and their relationship, checks and their results.

Field names and vocabularies follow CONTRACT.md. Models validate data at the edges (CLI input,
import files, LLM replies, the store); inside, code passes these models around.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator

SCHEMA_VERSION = 1

Context = Literal["personal", "professional", "customer"]
Stage = Literal["stranger", "introduced", "acquaintance", "friend", "close"]
Channel = Literal[
    "public_reply", "mention", "comment", "dm", "email", "sms", "call", "meeting", "in_person"
]
Topic = Literal[
    "work",
    "location",
    "hobbies",
    "opinions",
    "family",
    "relationships",
    "health",
    "money",
    "beliefs",
    "emotions",
    "sexuality",
]
Direction = Literal["in", "out"]
Who = Literal["them", "me"]
Verdict = Literal["ok", "revise", "hold"]
Severity = Literal["info", "warn", "stop"]
PreferenceKind = Literal[
    "name_form",  # how they want to be addressed ("Dana", "Dr. Reyes")
    "pronouns",
    "topic_avoid",  # a topic they asked not to discuss
    "channel",  # the channel they prefer (value: a Channel)
    "channel_avoid",  # a channel they asked not to be contacted on
    "quiet_hours",  # value like "20:00-08:00"
    "frequency",  # how often they want to hear from you
    "other",
]

STAGES: tuple[Stage, ...] = get_args(Stage)
CHANNELS: tuple[Channel, ...] = get_args(Channel)
PUBLIC_CHANNELS: frozenset[str] = frozenset({"public_reply", "mention", "comment"})
TOPICS: tuple[Topic, ...] = get_args(Topic)
CONTEXTS: tuple[Context, ...] = get_args(Context)


def new_id(prefix: str = "") -> str:
    """A short random id, unique enough for one person's data (48 bits)."""
    return prefix + secrets.token_hex(6)


def utcnow() -> datetime:
    return datetime.now(UTC)


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=False, validate_assignment=False)


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


class Interaction(_Model):
    """One message or meeting between you and the contact."""

    direction: Direction
    at: datetime = Field(default_factory=utcnow)
    channel: Channel = "dm"
    text: str = ""
    public: bool | None = None  # None: derived from the channel
    source: str = ""  # where the fact came from: "manual", "import:linkedin", "check:<id>", ...

    @field_validator("at")
    @classmethod
    def _norm_at(cls, v: datetime) -> datetime:
        return _aware(v)

    @property
    def is_public(self) -> bool:
        return self.public if self.public is not None else self.channel in PUBLIC_CHANNELS


class Disclosure(_Model):
    """Something one side told the other: the topic and how deep (0 outer .. 3 core)."""

    who: Who
    topic: Topic
    depth: int = Field(0, ge=0, le=3)
    private: bool = False
    summary: str = ""
    at: datetime | None = None
    source: str = ""


class Preference(_Model):
    """A preference the contact stated, with their own words where they gave them."""

    kind: PreferenceKind
    value: str
    quote: str = ""
    source: str = ""


class Ask(_Model):
    """A request made either way (an intro, a call, a favour, money, time)."""

    who: Who
    what: str
    size: Literal["small", "medium", "large"] = "small"
    at: datetime | None = None
    status: Literal["open", "granted", "declined"] = "open"


class Mute(_Model):
    """A rule silenced for everyone (contact_id None) or for one contact, with the user's reason."""

    rule: str
    contact_id: str | None = None
    reason: str = ""
    created: datetime = Field(default_factory=utcnow)


class Contact(_Model):
    """A person and the relationship so far."""

    id: str = Field(default_factory=lambda: new_id("c"))
    name: str = Field(min_length=1, max_length=200)
    preferred_name: str = ""  # the name form they use / asked for
    pronouns: str = ""
    context: Context = "personal"
    stage: Stage | None = None  # declared by the user; None: computed from the evidence
    how_met: str = ""
    handles: dict[str, str] = Field(default_factory=dict)  # {"x": "@dana", "email": "...", ...}
    notes: str = ""
    interactions: list[Interaction] = Field(default_factory=list)
    disclosures: list[Disclosure] = Field(default_factory=list)
    preferences: list[Preference] = Field(default_factory=list)
    asks: list[Ask] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list)  # imports this contact came from
    created: datetime = Field(default_factory=utcnow)
    updated: datetime = Field(default_factory=utcnow)

    @field_validator("name")
    @classmethod
    def _name_not_blank(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("name must not be blank")
        return v.strip()

    @property
    def address_name(self) -> str:
        """The name to use when writing to them."""
        return self.preferred_name or self.name.split()[0]


class Flag(_Model):
    """One finding: the exact span, the rule, why, the fact behind it and its source."""

    rule: str
    severity: Severity = "warn"
    start: int = 0
    end: int = 0
    message: str = Field("", max_length=300)
    evidence: str = Field("", max_length=500)
    source: str = Field("", max_length=200)


class Scores(_Model):
    courtesy: float = Field(0.5, ge=0, le=1)
    intimacy: float = Field(0.0, ge=0, le=1)
    pacing: float = Field(0.0, ge=0, le=1)


class CheckResult(_Model):
    """The outcome of one check (CONTRACT.md, "A check result")."""

    id: str | None = None
    verdict: Verdict = "ok"
    scores: Scores = Field(default_factory=lambda: Scores())
    stage: Stage = "introduced"
    flags: list[Flag] = Field(default_factory=list)
    advice: str = ""
    rewrite: str | None = None
    engine: str = "offline"
    elapsed_ms: float = 0.0
    llm_error: str | None = None

    def to_json_dict(self) -> dict[str, Any]:
        data = self.model_dump(mode="json")
        if data.get("llm_error") is None:
            data.pop("llm_error", None)
        return data


class CheckRecord(_Model):
    """One entry of the coaching history."""

    id: str = Field(default_factory=lambda: new_id("h"))
    created: datetime = Field(default_factory=utcnow)
    draft: str
    contact_id: str | None = None
    contact_name: str | None = None
    channel: Channel | None = None
    result: CheckResult
    engine: str = "offline"
    model: str | None = None
    prompt_template: str | None = None  # template name and version used for the LLM
    prompt: str | None = None  # the rendered prompt that was sent, if any
    coaching: str | None = None  # the LLM's free-text coaching, if any
    timings: dict[str, float] = Field(default_factory=dict)  # {"offline_ms":..., "llm_ms":...}
    tokens: dict[str, int] = Field(default_factory=dict)  # {"prompt": n, "completion": n}
    sent: bool = False
    sent_at: datetime | None = None


class CheckRequest(_Model):
    """A batch input line (CONTRACT.md, "A batch input line")."""

    id: str | None = None
    draft: str
    channel: Channel | None = None
    contact: str | Contact | None = None
