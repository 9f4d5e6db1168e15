"""What the demo's first start promises (issue 19), read from its database: checks shared by the
tests that start the demo's stack (tests/e2e/test_first_start.py at several days,
tests/e2e/test_seeded_demo_start.py after `govsched seed demo`)."""

from __future__ import annotations

from governance.kernel.model import plenary_id
from govsched.http.web.roster_work import pending_deferrals
from govsched.persistence.db import Database
from govsched.persistence.repos import roster as roster_repo


def assert_roster_published_with_a_deferral_pending(database_url: str, year: int) -> None:
    """The next plenary's roster is published (drawn at the first start, 90 days ahead) and the
    last member drawn has asked to defer, with nobody having decided yet."""
    db = Database.from_url(database_url)
    try:
        with db.reading() as session:
            document = roster_repo.document(session, plenary_id(year))
            assert document is not None, f"no roster published for {year}"
            pending = pending_deferrals(session, document)
    finally:
        db.dispose()
    presenters = [slot.member for slot in document.slots]
    assert presenters
    assert document.deferrals == ()
    assert [member for member, _ in pending] == [presenters[-1]]
