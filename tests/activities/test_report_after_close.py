"""A report sent after its cycle closed with its plenary (ARCHITECTURE.md, "The reporting
cycle", and the fourteenth session's last paragraph): taken only from a member that owed it,
recorded as received after the close, and the cycle still counts as missed, so it does not end
a row of misses. A member admitted after the cycle has nothing to send to it: 409 naming
`member`. Found by a review: the report was taken as an ordinary late one, and turned a missed
cycle into a late one.

Submitted through the service, the misses recorded and counted by the cycle's own steps
(`run-report-step`), on SQLite and on PostgreSQL.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from temporalio.client import Client
from temporalio.testing import ActivityEnvironment

from activities.reports import ReportActivities
from governance.kernel.errors import Conflict
from governance.kernel.model import MemberStatus, Pillar, Role
from governance.registry.changes import AddMember, AddPerson, RegistryCommand, SchedulePlenary
from governance.reports.contracts import RunStep
from governance.reports.cycle import (
    EscalationKind,
    MissedReport,
    Report,
    SubmitReport,
    expected_kind,
)
from governance.rulebook.model import Rulebook
from govsched.notify.console import RecordingNotifier
from govsched.persistence.commands.registry import seed
from govsched.persistence.db import Database
from govsched.persistence.repos import audit as audit_repo
from govsched.persistence.repos import registry as registry_repo
from govsched.persistence.repos import reports as report_repo
from govsched.services.reports import ReportService, cycle_view
from tests.helpers import focal_point_of

RULEBOOK = Rulebook()
JOINED = date(2020, 3, 1)
# plenaries on 8-9 June: reports due 45 days before (DEFAULT), on 24 April
DUE_2026, DUE_2027 = date(2026, 4, 24), date(2027, 4, 24)
LATE_BUT_OPEN = datetime(2026, 5, 20, 14, tzinfo=UTC)
# the 2026 cycle closed at the end of 9 June 2026 (Toronto)
AFTER_CLOSE = datetime(2026, 8, 3, 14, tzinfo=UTC)

# id: (pillar, status, joined)
MEMBERS = {
    "co-long-standing": (Pillar.COMPANY, MemberStatus.FULL, JOINED),
    "gov-late-in-time": (Pillar.GOVERNMENT, MemberStatus.FULL, JOINED),
    # admitted after 2026's due day, and after its plenary: neither owed 2026's report
    "ngo-after-the-due-day": (Pillar.NGO, MemberStatus.ENGAGED, date(2026, 5, 1)),
    "ngo-after-the-cycle": (Pillar.NGO, MemberStatus.ENGAGED, date(2026, 7, 1)),
    # owes none (DEFAULT `observers_report: false`)
    "obs-observer": (Pillar.OBSERVER, MemberStatus.FULL, JOINED),
    # recorded missing in 2026, made Inactive since: it owed that report
    "co-made-inactive": (Pillar.COMPANY, MemberStatus.INACTIVE, JOINED),
}


def _registry() -> list[RegistryCommand]:
    commands: list[RegistryCommand] = [
        SchedulePlenary(year=y, starts=date(y, 6, 8), ends=date(y, 6, 9), location="Oslo")
        for y in (2026, 2027)
    ]
    for member, (pillar, status, joined) in MEMBERS.items():
        commands += [
            AddMember(
                id=member,
                name=member,
                pillar=pillar,
                country="Norland",
                joined=joined,
                status=status,
                decision="recorded",
            ),
            focal_point_of(member),
        ]
    commands.append(
        AddPerson(id="sec-amina", name="Amina", email="amina@sec.example", roles=[Role.SECRETARIAT])
    )
    return commands


class _Unwoken(ReportService):
    """The service as the API runs it, without a workflow service to wake: a closed cycle's run
    only ends when woken, and what the cycle counts is read from the store."""

    async def _wake(self, year: int, key: str | None) -> None:
        return None


@pytest.fixture
def registry(db: Database) -> Database:
    with db.writing() as session:
        seed(session, _registry(), datetime(2025, 12, 1, tzinfo=UTC), RULEBOOK)
        # the 2026 overdue step saw this member Full and missing (its status changed since)
        report_repo.save_missed(
            session,
            [
                MissedReport(
                    year=2026,
                    member="co-made-inactive",
                    missed_in_a_row=1,
                    escalation=EscalationKind.REFERRED,
                    at=datetime(2026, 4, 25, 4, tzinfo=UTC),
                )
            ],
        )
    return db


def _overdue(db: Database, year: int, due: date) -> None:
    step = RunStep(year=year, step=f"overdue-{due}", now=datetime(year, 4, 25, 4, tzinfo=UTC))
    ActivityEnvironment().run(ReportActivities(db, RULEBOOK, RecordingNotifier()).run_step, step)


def _report(member: str, year: int = 2026) -> SubmitReport:
    return SubmitReport(
        year=year,
        member=member,
        by=f"fp-{member}",
        kind=expected_kind(year, MEMBERS[member][2], RULEBOOK),
        url=f"https://{member}.example/report-{year}.pdf",
    )


async def _submit(db: Database, member: str, at: datetime) -> Report:
    service = _Unwoken(Client.__new__(Client), db, RULEBOOK, task_queue="")
    return await service.submit_report(_report(member), at)


def _missed_2027(db: Database) -> dict[str, MissedReport]:
    with db.reading() as session:
        return {m.member: m for m in report_repo.missed(session, 2027)}


async def test_a_report_after_the_close_is_kept_but_leaves_the_cycle_missed(
    registry: Database,
) -> None:
    _overdue(registry, 2026, DUE_2026)
    late = await _submit(registry, "gov-late-in-time", LATE_BUT_OPEN)
    after = await _submit(registry, "co-long-standing", AFTER_CLOSE)

    assert (late.late, late.after_close) == (True, False)
    assert (after.late, after.after_close) == (True, True)
    with registry.reading() as session:
        stored = report_repo.get_report(session, 2026, "co-long-standing")
        actions = {
            e.item_id: e.action for e in audit_repo.entries(session, "report") if e.at.year == 2026
        }
        secretariat = registry_repo.get_person(session, "sec-amina")
    assert stored is not None
    assert stored.after_close
    # the register says which it was
    assert actions == {
        "report-2026-gov-late-in-time": "report.submitted",
        "report-2026-co-long-standing": "report.submitted_after_close",
    }
    # the cycle's view (API and web) says so too
    assert secretariat is not None
    view = cycle_view(registry, 2026, secretariat, AFTER_CLOSE, RULEBOOK)
    statuses = {line.member: line.status for line in view.reports}
    assert statuses["co-long-standing"] == "after_close"
    assert statuses["gov-late-in-time"] == "late"
    assert view.closes == date(2026, 6, 9)

    # both miss 2027's due day: the late report (in before the plenary) ended its row, the
    # report after the close did not: two cycles missed in a row propose Inactive status
    _overdue(registry, 2027, DUE_2027)
    missed = _missed_2027(registry)
    assert missed["gov-late-in-time"].missed_in_a_row == 1
    assert missed["gov-late-in-time"].escalation is EscalationKind.REFERRED
    assert missed["co-long-standing"].missed_in_a_row == 2
    assert missed["co-long-standing"].escalation is EscalationKind.PROPOSE_INACTIVE


@pytest.mark.parametrize("member", ["ngo-after-the-due-day", "ngo-after-the-cycle", "obs-observer"])
async def test_a_member_that_did_not_owe_the_report_cannot_send_it_after_the_close(
    registry: Database, member: str
) -> None:
    with pytest.raises(Conflict) as refused:
        await _submit(registry, member, AFTER_CLOSE)
    assert [p.path for p in refused.value.problems] == ["member"]
    assert "did not owe a report for 2026" in refused.value.problems[0].reason
    with registry.reading() as session:
        assert report_repo.get_report(session, 2026, member) is None
        assert audit_repo.entries(session, "report", f"report-2026-{member}") == []


async def test_a_member_recorded_missing_may_still_send_it_though_inactive_since(
    registry: Database,
) -> None:
    report = await _submit(registry, "co-made-inactive", AFTER_CLOSE)
    assert report.after_close


async def test_before_the_close_a_member_admitted_late_may_still_report(
    registry: Database,
) -> None:
    # the rule is the close's: while the cycle is open a report is taken as before
    report = await _submit(registry, "ngo-after-the-due-day", datetime(2026, 6, 2, 14, tzinfo=UTC))
    assert (report.late, report.after_close) == (True, False)
