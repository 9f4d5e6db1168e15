"""The Secretariat's directory forms, each the body of a registry change the API takes."""

from __future__ import annotations

from collections.abc import Sequence

from governance.kernel.model import Member, MemberStatus, Role
from governance.registry.member_status import RECORDED
from govsched.http.web.forms import Field, Form
from govsched.http.web.intake_forms import PILLAR_NAMES
from govsched.http.web.labels import words
from govsched.i18n.marking import N_

ROLE_LABELS = {
    Role.SECRETARIAT: N_("Secretariat"),
    Role.CHAIR: N_("Chair"),
    Role.STEERING_COMMITTEE: N_("Steering Committee"),
    Role.FOCAL_POINT: N_("Focal point"),
}
REASON = Field("reason", N_("Why (for the register, optional)"), "text")


def add_member(back: str) -> Form:
    return Form(
        "add-member",
        "/web/directory/members",
        N_("Record the member"),
        (
            Field(
                "id", N_("Short id"), required=True, hint=N_("lower case and dashes: gov-norland")
            ),
            Field("name", N_("Name"), required=True),
            Field("pillar", N_("Pillar"), "select", list(PILLAR_NAMES.items()), required=True),
            Field("country", N_("Country"), required=True),
            Field("joined", N_("Member since"), "date", hint=N_("empty: today")),
            Field(
                "status",
                N_("Status"),
                "select",
                [(s.value, words(s)) for s in MemberStatus],
                hint=N_("admissions go through an application; this records existing members"),
            ),
            REASON,
        ),
        back,
    )


def add_person(members: Sequence[tuple[str, str]], back: str) -> Form:
    roles = tuple(
        Field(f"role_{role.value}", label, "checkbox") for role, label in ROLE_LABELS.items()
    )
    return Form(
        "add-person",
        "/web/directory/people",
        N_("Add the person"),
        (
            Field(
                "id",
                N_("Short id"),
                required=True,
                hint=N_("lower case and dashes: fp-gov-norland"),
            ),
            Field("name", N_("Name"), required=True),
            Field("email", N_("Email"), "email", required=True),
            Field(
                "member", N_("Member"), "select", members, hint=N_("empty: the Secretariat's staff")
            ),
            *roles,
            REASON,
        ),
        back,
    )


def change_roles(people: Sequence[tuple[str, str]], back: str) -> Form:
    roles = tuple(
        Field(f"role_{role.value}", label, "checkbox") for role, label in ROLE_LABELS.items()
    )
    return Form(
        "change-roles",
        "/web/directory/roles",
        N_("Give these roles"),
        (
            Field("person", N_("Person"), "select", people, required=True),
            *roles,
            REASON,
        ),
        back,
    )


def record_seat(members: Sequence[tuple[str, str]], back: str) -> Form:
    return Form(
        "record-seat",
        "/web/directory/seats",
        N_("Record the seat"),
        (
            Field("member", N_("Member"), "select", members, required=True),
            Field("starts", N_("From"), "date", required=True),
            Field("ends", N_("Until"), "date", required=True),
            REASON,
        ),
        back,
    )


def record_chair_term(governments: Sequence[tuple[str, str]], back: str) -> Form:
    return Form(
        "record-chair-term",
        "/web/directory/chair-terms",
        N_("Record the term"),
        (
            Field("member", N_("Government"), "select", governments, required=True),
            Field(
                "starts", N_("From"), "date", required=True, hint=N_("from the start of that day")
            ),
            Field("ends", N_("Until"), "date", required=True),
            REASON,
        ),
        back,
    )


def _status_choices(member: Member) -> list[tuple[str, str]]:
    """What the directory may set: Inactive, Withdrawn, Expelled, and for an Inactive member
    the status it held before (the rule refuses anything else, this only offers less)."""
    offered = [s for s in MemberStatus if s in RECORDED and s is not member.status]
    if member.status is MemberStatus.INACTIVE:
        before = [c.status for c in member.status_history if c.status is not MemberStatus.INACTIVE]
        if before:
            offered.insert(0, before[-1])
    return [(s.value, words(s)) for s in offered]


def change_status(member: Member, back: str) -> Form:
    return Form(
        f"member-status-{member.id}",
        f"/web/directory/members/{member.id}/status",
        N_("Record the status change"),
        (
            Field("status", N_("New status"), "select", _status_choices(member), required=True),
            Field(
                "decision",
                N_("The decision"),
                required=True,
                hint=N_("as the history will show it: who decided, and when"),
            ),
            Field("since", N_("From"), "date", hint=N_("empty: today")),
            REASON,
        ),
        back,
    )
