"""A person's language is kept with them, on both databases (issue 20)."""

from __future__ import annotations

from governance.kernel.languages import Language
from governance.kernel.model import Person
from govsched.persistence.db import Database
from govsched.persistence.repos import registry as registry_repo


def test_a_person_s_language_is_read_back_as_chosen_and_none_stays_none(db: Database) -> None:
    chosen = Person(id="li-wei", name="李伟", email="li.wei@example.org", language=Language.ZH)
    default = Person(id="ana", name="Ana", email="ana@example.org")
    with db.writing() as session:
        registry_repo.save_person(session, chosen)
        registry_repo.save_person(session, default)
    with db.reading() as session:
        assert registry_repo.get_person(session, "li-wei") == chosen
        assert registry_repo.get_person(session, "ana") == default
        assert registry_repo.get_person(session, "ana").language is None  # type: ignore[union-attr]
