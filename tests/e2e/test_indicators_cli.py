"""`govsched reports indicators ...` (issue 22): values from a file, refused with every field named
and a non-zero exit, submitted, amended, read back, and exported by the Secretariat only. Runs
the command in-process on the demo registry (no worker: no workflow is told of indicators)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest

from govsched.cli.main import run
from govsched.persistence.repos import audit as audit_repo
from tests.api.conftest import seeded_database

MEMBER = "co-aurum-mining"
BY = "fp-co-aurum-mining"


def test_values_from_a_file_through_the_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url, db = seeded_database(tmp_path)
    monkeypatch.setenv("GOVSCHED_DATABASE_URL", url)
    bad, good, later, broken = (tmp_path / n for n in ("bad.yaml", "good.yaml", "b.yaml", "x.yaml"))
    bad.write_text("risk_assessments: lots\nsites_arrangements_reviewed: 140\n", encoding="utf-8")
    good.write_text(
        "risk_assessments: 4\nsites_arrangements_reviewed: '62.5'\n"
        "security_grievances_received: 1\n"
        "implementation_spend: {amount: '1200.50', currency: USD}\n",
        encoding="utf-8",
    )
    later.write_text(
        "risk_assessments: 5\nsites_arrangements_reviewed: '62.5'\n"
        "security_grievances_received: 1\n",
        encoding="utf-8",
    )
    broken.write_text("[not, a, mapping]\n", encoding="utf-8")
    base = ["reports", "indicators", "2026", MEMBER, "--by", BY, "--values"]

    refused = run([*base, str(bad)])
    refused_err = capsys.readouterr().err
    not_a_map = run([*base, str(broken)])
    not_a_map_err = capsys.readouterr().err
    drafted = run([*base, str(good), "--draft"])
    submitted = run([*base, str(good)])
    amended = run([*base, str(later)])
    said = capsys.readouterr().out
    shown = run(["reports", "indicators-show", "2026", MEMBER, "--by", BY])
    view = capsys.readouterr().out
    out = tmp_path / "values.xlsx"
    not_secretariat = run(
        ["reports", "indicators-export", "2026", "--format", "xlsx", "--out", str(out), "--by", BY]
    )
    exported = run(
        [
            *("reports", "indicators-export", "2026", "--format", "xlsx"),
            *("--out", str(out), "--by", "sec-amina-okafor"),
        ]
    )
    as_csv = tmp_path / "values.csv"
    run(["reports", "indicators-export", "2026", "--out", str(as_csv), "--by", "sec-amina-okafor"])

    assert (refused, not_a_map) == (2, 2)
    assert "indicators.risk_assessments" in refused_err
    assert "indicators.sites_arrangements_reviewed" in refused_err
    assert "indicators.security_grievances_received: a value is required" in refused_err
    assert "--values" in not_a_map_err
    assert "Traceback" not in refused_err + not_a_map_err
    assert (drafted, submitted, amended, shown) == (0, 0, 0, 0)
    assert "3 indicator value(s) submitted (amendment 1)" in said
    assert '"risk_assessments": 5' in view
    assert (not_secretariat, exported) == (2, 0)
    book = openpyxl.load_workbook(out, read_only=True)
    rows = [[c or "" for c in row] for row in book["values"].iter_rows(values_only=True)]
    assert rows == list(csv.reader(io.StringIO(as_csv.read_text(encoding="utf-8"))))
    with db.reading() as session:
        actions = [e.action for e in audit_repo.entries(session) if e.item_kind == "indicators"]
    assert actions == ["indicators.draft_saved", "indicators.submitted", "indicators.amended"]
    db.dispose()
