"""The registry of the initiative: members, the people who act for them, plenaries, Chair terms.

Value objects only (frozen, validated). Identifiers are short lowercase slugs because they end up
in Temporal workflow ids, calendar UIDs and URLs, where they must be stable and unambiguous.
"""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum
from typing import Annotated, Any, TypeVar

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
)

from governance.kernel.languages import Language
from governance.kernel.marking import N_
from governance.kernel.text import ValidText, check_required_text, refuse_blank_required_text

_SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")
_EMAIL = re.compile(r"[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+")


def _refused(english: str) -> ValueError:
    """A validator's refusal a form writes in its reader's language (issue 20)."""
    # imported here: the messages' module builds on this one
    from governance.kernel.errors import ValueRefused
    from governance.kernel.messages import Message

    return ValueRefused(Message(id=english))


def _slug(value: str) -> str:
    if not _SLUG.fullmatch(value):
        raise _refused(
            N_("use 1 to 63 lowercase letters, digits or '-', starting with a letter or digit")
        )
    return value


def _email(value: str) -> str:
    if len(value) > 254 or not _EMAIL.fullmatch(value):
        raise _refused(N_("is not an email address"))
    return value


Slug = Annotated[
    str,
    AfterValidator(_slug),
    Field(description="lowercase letters, digits and '-'", examples=["gov-norland"]),
]
Email = Annotated[str, AfterValidator(_email), Field(examples=["focal.point@example.org"])]


def _is_control(ch: str) -> bool:
    return ord(ch) < 32 or ord(ch) == 127


def _no_control_characters(value: str) -> str:
    if any(_is_control(ch) for ch in value):
        raise _refused(N_("must be one line, without control characters"))
    return value


def _paragraphs(value: str) -> str:
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    if any(_is_control(ch) and ch not in "\n\t" for ch in value):
        raise _refused(N_("must not contain control characters other than tabs and line breaks"))
    return value


OneLine = Annotated[str, AfterValidator(_no_control_characters)]
# Free text over several lines: line endings normalised to "\n", other control characters refused.
Paragraphs = Annotated[str, AfterValidator(_paragraphs)]


class Frozen(ValidText):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Incoming(Frozen):
    """A request as a person sends it (an API body, a form): each text it must hold (a field
    with a minimum length) is refused when blank, naming the field (`governance.kernel.text`,
    "Required text is seen"). Only requests: stored records and workflow payloads keep the
    lenient models, so a text taken before the rule still loads and replays."""

    # field by field, so a blank reason is named beside whatever else the request got wrong
    @field_validator("*", mode="after")
    @classmethod
    def _required_text_is_seen(cls, value: Any, info: ValidationInfo) -> Any:
        check_required_text(cls, info.field_name, value)
        return value


M = TypeVar("M", bound=BaseModel)


def incoming(model: type[M], data: Any) -> M:
    """`model` built from a request's `data` where the model is a command rather than an
    `Incoming` body (a form posting a registry change, a concern's step, an application), its
    required text checked as `Incoming` checks the API's: a pydantic error naming each field."""
    made = model.model_validate(data)
    refuse_blank_required_text(made)
    return made


class Pillar(StrEnum):
    """The three voting pillars, and observers who attend without a vote."""

    GOVERNMENT = "government"
    COMPANY = "company"
    NGO = "ngo"
    OBSERVER = "observer"


VOTING_PILLARS: tuple[Pillar, ...] = (Pillar.GOVERNMENT, Pillar.COMPANY, Pillar.NGO)


class MemberStatus(StrEnum):
    """Every admitted organisation starts Engaged and becomes Full once it shows implementation."""

    ENGAGED = "engaged"
    FULL = "full"
    INACTIVE = "inactive"
    WITHDRAWN = "withdrawn"
    EXPELLED = "expelled"


ACTIVE_STATUSES: frozenset[MemberStatus] = frozenset({MemberStatus.ENGAGED, MemberStatus.FULL})
# Who votes: Full members of the three voting pillars. Observers carry the status `full` while
# active, and Engaged members have not yet shown implementation: neither votes, objects, nor
# receives what only voting members receive. Every selection of voters or of their recipients
# (rules, feeds, notices, database queries) goes through this rule.
VOTING_STATUS = MemberStatus.FULL


def votes(pillar: Pillar | None, status: MemberStatus | None) -> bool:
    """Is a member of this pillar and status a voting member?"""
    return status is VOTING_STATUS and pillar in VOTING_PILLARS


# Members that left the initiative: withdrawn or expelled, both final. A member that left owes
# nothing and reads nothing of other members' any more (the reports it reviewed, their reviews,
# indicator values, a group's funding requests); what is about itself stays its own (its
# report and the reviews of it). Inactive is not among them: an Inactive member may come back.
LEFT_STATUSES: frozenset[MemberStatus] = frozenset({MemberStatus.WITHDRAWN, MemberStatus.EXPELLED})


def has_left(status: MemberStatus | None) -> bool:
    """Has a member of this status left the initiative (None: no member, or not known)?"""
    return status in LEFT_STATUSES


class Role(StrEnum):
    """What a person may do. Roles are held by people, never by organisations."""

    SECRETARIAT = "secretariat"
    CHAIR = "chair"
    STEERING_COMMITTEE = "steering_committee"
    FOCAL_POINT = "focal_point"


class StatusChange(Frozen):
    """A member's status from `since`, and the decision that caused it."""

    status: MemberStatus
    since: AwareDatetime
    decision: Annotated[OneLine, Field(min_length=1, max_length=300)]


class Member(Frozen):
    id: Slug
    name: Annotated[OneLine, Field(min_length=1, max_length=200)]
    pillar: Pillar
    country: Annotated[OneLine, Field(min_length=1, max_length=80)]
    joined: date
    status: MemberStatus
    status_history: tuple[StatusChange, ...]
    group: Annotated[OneLine, Field(max_length=120)] | None = None


class Person(Frozen):
    id: Slug
    name: Annotated[OneLine, Field(min_length=1, max_length=200)]
    email: Email
    member: Slug | None = None
    roles: frozenset[Role] = frozenset()
    # None: the initiative's default language (rulebook `initiative.language`).
    language: Language | None = None


class PlenaryKind(StrEnum):
    ANNUAL = "annual"
    EXTRAORDINARY = "extraordinary"


class Plenary(Frozen):
    """A plenary meeting; the host is an attribute of the plenary, not derived from the Chair."""

    id: Slug
    year: Annotated[int, Field(ge=1990, le=2200)]
    kind: PlenaryKind = PlenaryKind.ANNUAL
    starts: date
    ends: date
    location: Annotated[OneLine, Field(min_length=1, max_length=200)]
    host: Slug | None = None


class ChairTerm(Frozen):
    """A government's term as Chair, from one handover instant to the next."""

    member: Slug
    starts: AwareDatetime
    ends: AwareDatetime


class SteeringCommitteeSeat(Frozen):
    member: Slug
    pillar: Pillar
    starts: date
    ends: date
    # When the seat was recorded: no expiry reminder is stamped earlier (None if unknown).
    recorded_at: AwareDatetime | None = None


def plenary_id(year: int, kind: PlenaryKind = PlenaryKind.ANNUAL, number: int = 1) -> str:
    """The stable id of a plenary: `plenary-2027`, or `plenary-2027-x2` for an extraordinary one."""
    if kind is PlenaryKind.ANNUAL:
        return f"plenary-{year}"
    return f"plenary-{year}-x{number}"
