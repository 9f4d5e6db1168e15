"""The private link a filer follows a concern by, without signing in (an anonymous filer need
leave no session behind; a third party the Secretariat filed for has no account at all).

The link's secret is an HMAC of the case id under the installation's id secret
(`services.ids.server_secret`): only the server can make it, nobody can guess it (256 bits), and
nothing is stored, so there is no table of links to leak. The page it opens names no one
(`governance.concerns.follow`), which is what makes handing it on safe.
"""

from __future__ import annotations

import hmac
from hashlib import sha256

from governance.concerns.follow import FollowView, follow_view
from governance.concerns.model import ConcernRules
from governance.kernel.errors import NotFound
from govsched.persistence.db import Database
from govsched.persistence.repos import concerns as concern_repo
from govsched.services.ids import IdMaker

PURPOSE = b"concern-follow-link"


def follow_secret(ids: IdMaker, case: str) -> str:
    return hmac.new(ids.secret, PURPOSE + b"\x00" + case.encode(), sha256).hexdigest()


def follow_path(ids: IdMaker, case: str) -> str:
    return f"/web/follow/{case}/{follow_secret(ids, case)}"


def followed(db: Database, ids: IdMaker, rules: ConcernRules, case: str, secret: str) -> FollowView:
    """The case behind a private link; a wrong secret is told exactly what an unknown case is."""
    # compared before the database is read, in constant time: the answer's timing says nothing.
    # As bytes: compare_digest refuses a str with letters outside ASCII (a mangled link).
    sent = secret.encode("utf-8", "surrogatepass")
    if not hmac.compare_digest(follow_secret(ids, case).encode(), sent):
        raise NotFound("concern", case)
    with db.reading() as session:
        record = concern_repo.get(session, case)
    if record is None:
        raise NotFound("concern", case)
    return follow_view(record, rules)
