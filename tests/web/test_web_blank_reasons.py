"""A form's required text that shows nothing (zero-width spaces, spaces of other scripts) is
refused beside its field, in the reader's words, and nothing is recorded: a status change's
decision, an application's statement. Spaces alone count as not given ("this is required"), as
every empty field does.

Found by a review: `str.strip` keeps U+200B, so a decision of zero-width spaces was recorded.
"""

from __future__ import annotations

import pytest

from govsched.persistence.repos import applications as application_repo
from govsched.persistence.repos import registry as registry_repo
from tests.web.conftest import SECRETARIAT, Site
from tests.web.html_checks import error_for, text
from tests.web.test_web_actions import _form_data
from tests.web.test_web_intake import GOOD

FORM = "member-status-gov-norland"


@pytest.mark.parametrize(
    ("decision", "reason"),
    [
        ("\u200b\u200b", "must not be blank"),
        ("\u3000\ufeff\u2060", "must not be blank"),
        ("   ", "this is required"),
    ],
)
def test_a_blank_decision_is_refused_beside_its_field(
    site: Site, decision: str, reason: str
) -> None:
    client = site.client(SECRETARIAT)
    with site.db.reading() as session:
        before = registry_repo.get_member(session, "gov-norland")
    assert before is not None
    page = client.get("/web/directory/members/gov-norland").text
    data = _form_data(page, FORM, status="inactive", decision=decision)
    refused = client.post(data.pop("_action"), data=data)
    assert refused.status_code == 422, text(refused.text)
    assert error_for(refused.text, f"{FORM}-decision") == reason
    with site.db.reading() as session:
        after = registry_repo.get_member(session, "gov-norland")
    assert after == before


def test_a_public_application_with_a_blank_statement_is_refused_beside_it(site: Site) -> None:
    client = site.client()
    with site.db.reading() as session:
        before = len(application_repo.records(session, None, None, None))
    page = client.get("/apply").text
    data = _form_data(page, "apply", **{**GOOD, "statement": "\u200b\n\u2060"})
    refused = client.post(data.pop("_action"), data=data)
    assert refused.status_code == 422
    assert error_for(refused.text, "apply-statement") == "must not be blank"
    with site.db.reading() as session:
        assert len(application_repo.records(session, None, None, None)) == before
