"""Response bodies that differ from the domain objects."""

from __future__ import annotations

from pydantic import BaseModel

from governance.kernel.model import Person, Role
from governance.registry.contact import may_see_email


class PersonOut(BaseModel):
    id: str
    name: str
    member: str | None
    roles: list[Role]
    # Only the Secretariat and the person themselves see an email address.
    email: str | None = None

    @classmethod
    def of(cls, person: Person, viewer: Person) -> PersonOut:
        show_email = may_see_email(person, viewer)
        return cls(
            id=person.id,
            name=person.name,
            member=person.member,
            roles=sorted(person.roles),
            email=person.email if show_email else None,
        )


class ChangeApplied(BaseModel):
    item_kind: str
    item_id: str
    summary: str


class ErrorProblem(BaseModel):
    field: str
    reason: str


class ErrorBody(BaseModel):
    error: str
    message: str
    problems: list[ErrorProblem] = []
    missing_role: str | None = None
