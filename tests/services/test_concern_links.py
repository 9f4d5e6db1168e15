"""The private link a filer follows a concern by (govsched/services/concern_links.py): made by
the server alone, one per case, refused exactly as an unknown case, and kept out of the logs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from governance.concerns import rules
from governance.concerns.model import ConcernRules, ConcernState, Filing
from governance.kernel.actor import Actor
from governance.kernel.errors import NotFound
from governance.kernel.model import Role
from governance.rulebook.model import Rulebook
from govsched.http.log_redaction import redact
from govsched.persistence.repos import concerns as concern_repo
from govsched.services.concern_links import follow_path, follow_secret, followed
from govsched.services.ids import IdMaker
from tests.api.conftest import seeded_database
from tests.governance.concerns.concern_cast import AT

RULES = ConcernRules.of(Rulebook())
IDS = IdMaker(b"one installation")
FILER = Actor(
    person="fp-ngo-centre-for-security-and-rights",
    roles=frozenset({Role.FOCAL_POINT}),
    member="ngo-centre-for-security-and-rights",
)


def test_a_link_is_the_servers_own_and_differs_by_case_and_by_installation() -> None:
    secret = follow_secret(IDS, "c-0a1b2c3d4e5f")
    assert re.fullmatch(r"[0-9a-f]{64}", secret)  # 256 bits: not to be guessed
    assert follow_secret(IDS, "c-0a1b2c3d4e5f") == secret
    assert follow_secret(IDS, "c-0a1b2c3d4e60") != secret
    assert follow_secret(IdMaker(b"another installation"), "c-0a1b2c3d4e5f") != secret
    # the case id's own HMAC (the id maker's purpose) is not the link's
    assert IDS.keyed("c", "concern", "c-0a1b2c3d4e5f").removeprefix("c-") not in secret
    assert follow_path(IDS, "c-0a1b2c3d4e5f") == f"/web/follow/c-0a1b2c3d4e5f/{secret}"


def test_a_wrong_secret_is_told_what_an_unknown_case_is(tmp_path: Path) -> None:
    _, db = seeded_database(tmp_path)
    try:
        filing = Filing(about="co-basalt-mining", summary="Guards at the gate.", anonymous=True)
        record = rules.file_concern(filing, FILER, AT, RULES, case="c-0a1b2c3d4e5f").record
        with db.writing() as session:
            concern_repo.save(session, record, None)
        seen = followed(db, IDS, RULES, record.id, follow_secret(IDS, record.id))
        assert seen.state is ConcernState.FILED
        with pytest.raises(NotFound) as wrong:
            followed(db, IDS, RULES, record.id, "0" * 64)
        with pytest.raises(NotFound) as unknown:
            followed(db, IDS, RULES, "c-ffffffffffff", follow_secret(IDS, "c-ffffffffffff"))
        assert wrong.value.message.replace(record.id, "X") == unknown.value.message.replace(
            "c-ffffffffffff", "X"
        )
    finally:
        db.dispose()


def test_the_link_never_reaches_a_log_line() -> None:
    secret = follow_secret(IDS, "c-0a1b2c3d4e5f")
    line = f'127.0.0.1 - "GET /web/follow/c-0a1b2c3d4e5f/{secret} HTTP/1.1" 200'
    assert redact(line) == '127.0.0.1 - "GET /web/follow/c-0a1b2c3d4e5f/<redacted> HTTP/1.1" 200'
