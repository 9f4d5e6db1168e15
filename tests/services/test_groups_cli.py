"""`govsched group ...` as the Secretariat and a coordinator run it: the same rules as the API,
a clear message and exit status 2 for every refusal, and nothing recorded by one."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from governance.kernel.model import Plenary
from govsched.cli.main import EXIT_REFUSED, run
from govsched.persistence.repos import groups as group_repo
from govsched.persistence.repos import registry as registry_repo
from tests.api.conftest import seeded_database

SECRETARIAT = "sec-amina-okafor"
COORDINATOR = "fp-co-aurum-mining"
MEMBER = "fp-gov-lusmark"


def test_a_group_is_recorded_explored_activated_and_meets_from_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url, db = seeded_database(tmp_path)
    monkeypatch.setenv("GOVSCHED_DATABASE_URL", url)
    monkeypatch.setenv("GOVSCHED_TODAY", "2027-03-01")

    def govsched(*args: str) -> tuple[int, str, str]:
        code = run(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    create = ("group", "create", "ghana", "--name", "Ghana", "--country", "GH")
    refused = govsched(*create, "--timezone", "Africa/Accra", "--by", MEMBER)
    assert refused[0] == EXIT_REFUSED
    assert "needs the role 'secretariat'" in refused[2]
    bad_zone = govsched(*create, "--timezone", "Ghana", "--by", SECRETARIAT)
    assert bad_zone[0] == EXIT_REFUSED
    assert "timezone" in bad_zone[2]
    with db.reading() as session:
        assert group_repo.groups(session) == []

    assert (
        govsched(
            *create, "--timezone", "Africa/Accra", "--coordinator", COORDINATOR, "--by", SECRETARIAT
        )[0]
        == 0
    )
    early = govsched("group", "status", "ghana", "active", "--by", SECRETARIAT)
    assert early[0] == EXIT_REFUSED
    assert "exploration" in early[2]
    found = ("--demand", "Asked by companies.", "--support", "Backed.", "--on", "2027-01-10")
    assert govsched("group", "explored", "ghana", *found, "--by", SECRETARIAT)[0] == 0
    assert (
        govsched("group", "status", "ghana", "active", "--by", SECRETARIAT)[1]
        .rstrip()
        .endswith("active")
    )

    series = (
        "group",
        "meeting",
        "ghana",
        "ghana-monthly",
        "--title",
        "Monthly plenary",
        "--starts",
        "2027-02-02T10:00",
        "--ends",
        "2027-02-02T12:00",
        "--rule",
        "FREQ=MONTHLY;BYDAY=1TU",
    )
    assert govsched(*series, "--by", MEMBER)[0] == EXIT_REFUSED
    assert govsched(*series, "--by", COORDINATOR)[0] == 0
    cancel = govsched("group", "cancel", "ghana-monthly", "2027-04-06T10:00", "--by", COORDINATOR)
    assert cancel[0] == 0, cancel[2]
    stray = govsched("group", "cancel", "ghana-monthly", "2027-04-07T10:00", "--by", COORDINATOR)
    assert stray[0] == EXIT_REFUSED
    assert "is not given by the rule" in stray[2]
    counts = govsched(
        "group",
        "attendance",
        "ghana-monthly",
        "--occurrence",
        "2027-02-02T10:00",
        "--total",
        "12",
        "--women",
        "20",
        "--by",
        COORDINATOR,
    )
    assert counts[0] == EXIT_REFUSED
    assert "more than the 12 who attended" in counts[2]
    code, listing, _ = govsched("group", "occurrences", "ghana", "--days", "70", "--by", MEMBER)
    assert code == 0
    assert [o["local_starts"] for o in json.loads(listing)] == [
        "2027-03-02T10:00:00",
        "2027-05-04T10:00:00",
    ]
    db.dispose()


def test_a_group_nominates_its_member_and_the_secretariat_confirms_from_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The 2027 plenary opens on 17 May; on 1 March the call (17 January) is out and the
    deadline (18 March) ahead."""
    url, db = seeded_database(tmp_path)
    monkeypatch.setenv("GOVSCHED_DATABASE_URL", url)
    monkeypatch.setenv("GOVSCHED_TODAY", "2027-03-01")
    with db.writing() as session:
        registry_repo.save_plenary(
            session,
            Plenary(
                id="plenary-2027",
                year=2027,
                starts=date(2027, 5, 17),
                ends=date(2027, 5, 20),
                location="Norland Harbour",
            ),
        )

    def govsched(*args: str) -> tuple[int, str, str]:
        code = run(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    by_secretariat = ("--by", SECRETARIAT)
    create = ("group", "create", "ghana", "--name", "Ghana", "--country", "GH")
    assert (
        govsched(
            *create,
            "--timezone",
            "Africa/Accra",
            "--coordinator",
            COORDINATOR,
            "--member",
            "co-aurum-mining",
            *by_secretariat,
        )[0]
        == 0
    )
    found = ("--demand", "Asked by companies.", "--support", "Backed.", "--on", "2027-01-10")
    assert govsched("group", "explored", "ghana", *found, *by_secretariat)[0] == 0
    assert govsched("group", "status", "ghana", "active", *by_secretariat)[0] == 0
    local = ("group", "participant", "ghana", "kofi", "--name", "Kofi Mensah")
    assert govsched(*local, *by_secretariat)[0] == 0

    nominate = ("group", "nominate", "ghana", "--year", "2027")
    outsider = govsched(*nominate, "kofi", "--by", MEMBER)
    assert outsider[0] == EXIT_REFUSED
    code, out, err = govsched(*nominate, "kofi", "--by", COORDINATOR)
    assert code == 0, err
    assert json.loads(out)["person"] == "kofi"
    second = govsched(*nominate, COORDINATOR, "--by", COORDINATOR)
    assert second[0] == EXIT_REFUSED
    assert "has nominated 'kofi' already" in second[2]
    replaced = govsched(*nominate, COORDINATOR, "--replaces", "kofi", "--by", COORDINATOR)
    assert json.loads(replaced[1])["replaced"] == ["kofi"]

    confirm = ("group", "confirm", "ghana", "--year", "2027", "--travel", "supported")
    assert govsched(*confirm, "--by", COORDINATOR)[0] == EXIT_REFUSED
    assert json.loads(govsched(*confirm, *by_secretariat)[1])["travel_supported"] is True
    listed = json.loads(govsched("group", "nominations", "--year", "2027", *by_secretariat)[1])
    assert [(n["group_id"], n["person"], n["status"]) for n in listed] == [
        ("ghana", COORDINATOR, "confirmed")
    ]

    assert govsched("group", "remove", "ghana", "--participant", "kofi", *by_secretariat)[0] == 0
    again = govsched("group", "remove", "ghana", "--participant", "kofi", *by_secretariat)
    assert again[0] == EXIT_REFUSED
    assert "is not a local participant" in again[2]
    with db.reading() as session:
        kept = group_repo.get_group(session, "ghana")
    assert kept is not None
    assert kept.participants == ()
