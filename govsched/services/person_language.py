"""The language a person reads govsched in: their own choice, or none for the initiative's
default (issue 20). Chosen on the notifications page or through the API; audited like the
person's other notification choices."""

from __future__ import annotations

from datetime import datetime

from governance.kernel.audit import AuditEntry
from governance.kernel.errors import NotFound
from governance.kernel.languages import Language
from govsched.persistence.db import Database
from govsched.persistence.repos import audit as audit_repo
from govsched.persistence.repos import registry as registry_repo


def language_of(db: Database, person: str) -> Language | None:
    with db.reading() as session:
        found = registry_repo.get_person(session, person)
    if found is None:
        raise NotFound("person", person)
    return found.language


def set_language(
    db: Database, person: str, language: Language | None, by: str, at: datetime
) -> Language | None:
    """Record the choice (audited: who changed whose language, and when)."""
    with db.writing() as session:
        found = registry_repo.get_person(session, person)
        if found is None:
            raise NotFound("person", person)
        if found.language == language:
            return language
        registry_repo.set_person_language(session, person, language)
        audit_repo.append(
            session,
            AuditEntry(
                key=f"person.language:{person}:{at.isoformat()}",
                at=at,
                actor=by,
                action="person.language_changed",
                item_kind="person",
                item_id=person,
                data={"language": language.value if language else None},
            ),
        )
    return language
