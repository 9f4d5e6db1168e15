"""Who may read a person's email address: the Secretariat and the person themselves. The API's
people and the web directory both ask this one rule."""

from __future__ import annotations

from governance.kernel.model import Person, Role


def may_see_email(person: Person, viewer: Person) -> bool:
    return viewer.id == person.id or Role.SECRETARIAT in viewer.roles
