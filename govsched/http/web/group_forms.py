"""The forms of the registry of groups (the Secretariat's) and of the groups' plenary nominations
(the group's coordinators and the Secretariat), built from what the registry holds now.

Each form's fields carry the names the rules' refusals use (`timezone`, `member_id`, `person`,
`replaces`...), so a refusal comes back beside the field it is about."""

from __future__ import annotations

from collections.abc import Sequence

from governance.groups.model import Group, GroupRole, GroupStatus, allowed_moves
from governance.groups.nominations import Nomination, NominationStatus
from governance.kernel.model import Member, Person, Plenary
from govsched.http.web.forms import Field, Form
from govsched.i18n.marking import N_

STATUS_WORDS = {
    GroupStatus.EXPLORING: N_("Being explored"),
    GroupStatus.ACTIVE: N_("Active"),
    GroupStatus.DORMANT: N_("Dormant"),
}
ROLE_WORDS = {
    GroupRole.COORDINATOR: N_("Coordinator"),
    GroupRole.PARTICIPANT: N_("Participant"),
    GroupRole.TRAINER: N_("Trainer"),
    GroupRole.OBSERVER: N_("Observer"),
}


def create_form() -> Form:
    return Form(
        "group-create",
        "/web/groups",
        N_("Record the group"),
        (
            Field(
                "id", N_("Short id"), required=True, hint=N_("Lower case and hyphens, like ghana")
            ),
            Field("name", N_("Name"), required=True),
            Field("country", N_("Country code"), required=True, hint=N_("Two capitals, like GH")),
            Field("region", N_("Region (for a regional group)")),
            Field(
                "timezone",
                N_("Time zone"),
                required=True,
                hint=N_("The group's IANA zone, like Africa/Accra"),
            ),
        ),
        "/web/groups",
    )


def _back(group: Group) -> str:
    return f"/web/groups/{group.id}"


def registry_forms(
    group: Group, members: Sequence[Member], people: Sequence[Person]
) -> list[tuple[str, Form]]:
    """The Secretariat's forms on a group's page, each with its heading; `members` and
    `people` are the initiative's (people of the group's member organisations are offered as
    coordinators)."""
    back = _back(group)
    names = {m.id: m.name for m in members}
    forms: list[tuple[str, Form]] = []
    if group.status is GroupStatus.EXPLORING:
        forms.append(
            (
                N_("What exploring found"),
                Form(
                    "group-exploration",
                    f"{back}/exploration",
                    N_("Record the findings"),
                    (
                        Field("demand", N_("Demand found"), "textarea", required=True),
                        Field("support", N_("Support found"), "textarea", required=True),
                        Field("recorded_on", N_("Recorded on"), "date", required=True),
                    ),
                    back,
                ),
            )
        )
    forms.append(
        (
            N_("Status"),
            Form(
                "group-status",
                f"{back}/status",
                N_("Change the status"),
                (
                    Field(
                        "status",
                        N_("New status"),
                        "select",
                        [(s.value, STATUS_WORDS[s]) for s in allowed_moves(group.status)],
                        required=True,
                    ),
                ),
                back,
            ),
        )
    )
    forms.append(
        (
            N_("Partner group"),
            Form(
                "group-partner",
                f"{back}/partner",
                N_("Save"),
                (
                    Field(
                        "partner",
                        N_("Recognised as a Partner group"),
                        "select",
                        [("yes", N_("Yes")), ("no", N_("No"))],
                        required=True,
                        value="yes" if group.partner else "no",
                    ),
                ),
                back,
            ),
        )
    )
    outside = [(m.id, m.name) for m in members if m.id not in group.member_ids]
    inside = [(m, names.get(m, m)) for m in sorted(group.member_ids)]
    forms.append(
        (
            N_("Member organisations"),
            Form(
                "group-member-add",
                f"{back}/members",
                N_("Add the organisation"),
                (Field("member_id", N_("Organisation"), "select", outside, required=True),),
                back,
            ),
        )
    )
    if inside:
        forms.append(
            (
                "",
                Form(
                    "group-member-remove",
                    f"{back}/members/removal",
                    N_("Remove the organisation"),
                    (Field("member_id", N_("Organisation to remove"), "select", inside, True),),
                    back,
                ),
            )
        )
    forms.append(
        (
            N_("Local participants"),
            Form(
                "group-participant-add",
                f"{back}/participants",
                N_("Add the participant"),
                (
                    Field("id", N_("Short id"), required=True, hint=N_("Lower case and hyphens")),
                    Field("name", N_("Name"), required=True),
                    Field("organisation", N_("Organisation")),
                    Field(
                        "role",
                        N_("Role in the group"),
                        "select",
                        [(r.value, ROLE_WORDS[r]) for r in GroupRole],
                        value=GroupRole.PARTICIPANT.value,
                    ),
                ),
                back,
            ),
        )
    )
    if group.participants:
        forms.append(
            (
                "",
                Form(
                    "group-participant-remove",
                    f"{back}/participants/removal",
                    N_("Remove the participant"),
                    (
                        Field(
                            "participant_id",
                            N_("Participant to remove"),
                            "select",
                            [(p.id, p.name) for p in group.participants],
                            required=True,
                        ),
                    ),
                    back,
                ),
            )
        )
    candidates = [(p.id, p.name) for p in group.participants if p.id not in group.coordinators]
    candidates += [
        (p.id, f"{p.name} ({names.get(p.member or '', p.member or '')})")
        for p in people
        if p.member in group.member_ids and p.id not in group.coordinators
    ]
    forms.append(
        (
            N_("Coordinators"),
            Form(
                "group-coordinator-add",
                f"{back}/coordinators",
                N_("Add the coordinator"),
                (Field("person_id", N_("Coordinator"), "select", candidates, required=True),),
                back,
            ),
        )
    )
    if group.coordinators:
        known = {p.id: p.name for p in people} | {p.id: p.name for p in group.participants}
        forms.append(
            (
                "",
                Form(
                    "group-coordinator-remove",
                    f"{back}/coordinators/removal",
                    N_("Remove the coordinator"),
                    (
                        Field(
                            "person_id",
                            N_("Coordinator to remove"),
                            "select",
                            [(c, known.get(c, c)) for c in sorted(group.coordinators)],
                            required=True,
                        ),
                    ),
                    back,
                ),
            )
        )
    return forms


def nominee_choices(group: Group, people: Sequence[Person]) -> list[tuple[str, str]]:
    """Whom the group may send: its local participants and its member organisations' people."""
    found = [(p.id, p.name) for p in group.participants]
    found += [(p.id, p.name) for p in people if p.member in group.member_ids]
    return found


def nomination_form(
    group: Group,
    plenaries: Sequence[Plenary],
    people: Sequence[Person],
    current: Sequence[Nomination],
) -> Form:
    """Nominate (or, naming whom, replace) the group's member to an annual plenary."""
    nominees = {n.person: n.name for n in current}
    return Form(
        "group-nomination",
        f"{_back(group)}/nominations",
        N_("Nominate"),
        (
            Field(
                "year",
                N_("Annual plenary"),
                "select",
                [(str(p.year), f"{p.year}, {p.location}") for p in plenaries],
                required=True,
            ),
            Field("person", N_("Member to attend"), "select", nominee_choices(group, people), True),
            Field(
                "replaces",
                N_("Replaces"),
                "select",
                sorted(nominees.items()),
                hint=N_("Only to replace the current nominee, before the deadline"),
            ),
        ),
        _back(group),
    )


def confirmation_form(group: Group, current: Sequence[Nomination]) -> Form | None:
    waiting = [n for n in current if n.status is NominationStatus.NOMINATED]
    if not waiting:
        return None
    return Form(
        "group-nomination-confirm",
        f"{_back(group)}/nominations/confirmation",
        N_("Confirm the nominee"),
        (
            Field(
                "year",
                N_("Nominee"),
                "select",
                [(str(n.year), f"{n.year}: {n.name}") for n in waiting],
                required=True,
            ),
            Field(
                "travel_supported",
                N_("Travel supported by the initiative"),
                "select",
                [("yes", N_("Yes")), ("no", N_("No"))],
                required=True,
            ),
        ),
        _back(group),
    )
