"""`govsched` given an argument that is not valid text (bytes the terminal cannot decode): a
refusal naming the argument, exit status 2, no trace, and nothing recorded (issue 17, item 15).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select

from govsched.persistence.tables import AuditRow, ConcernRow
from tests.api.conftest import free_port, seeded_database

BIN = Path(sys.executable).parent


def test_an_argument_that_is_not_utf8_is_refused_naming_it_and_nothing_is_recorded(
    tmp_path: Path,
) -> None:
    url, db = seeded_database(tmp_path)
    with db.reading() as session:
        audited = session.scalar(select(func.count()).select_from(AuditRow))
    env = {k: v for k, v in os.environ.items() if not k.startswith("GOVSCHED_")}
    env |= {
        "GOVSCHED_DATABASE_URL": url,
        # nothing listens there: the old code stored the case before it needed Temporal
        "GOVSCHED_TEMPORAL_ADDRESS": f"127.0.0.1:{free_port()}",
        "LC_ALL": "C.UTF-8",
    }
    run = subprocess.run(
        [
            os.fsencode(BIN / "govsched"),
            b"concern",
            b"file",
            b"c-bad-bytes",
            b"--about",
            b"co-basalt-mining",
            b"--summary",
            b"Guards \xff\xfe at the gate.",
            b"--by",
            b"fp-ngo-centre-for-security-and-rights",
        ],
        env=env,
        capture_output=True,
        timeout=120,
        check=False,
    )
    err = run.stderr.decode("utf-8", "replace")
    assert run.returncode == 2, err
    assert "summary: " in err
    assert "is not valid Unicode text" in err
    assert "Traceback" not in err
    with db.reading() as session:
        assert session.scalar(select(func.count()).select_from(ConcernRow)) == 0
        assert session.scalar(select(func.count()).select_from(AuditRow)) == audited
    db.dispose()
