"""Peer reviewers whose member leaves mid-cycle, as the Secretariat records it (found by a
review, 8 December 2026, fifteenth session).

A member that withdraws or is expelled after its assignment owes nothing: the status change
takes back, in its own transaction, the reviews it had not submitted (its submitted ones stay:
they are the reviewed members' feedback), the Secretariat hears which, its review deadline
leaves its calendars, and the cycle's next look gives each of those reports another reviewer
as a late report gets one. It is reminded of nothing and listed late nowhere after that, even
for a review left assigned to it before the rule existed. An Inactive member keeps its reviews
(it may still submit them, as it may still report) and is reminded of them like any reviewer.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy.orm import Session
from temporalio.testing import ActivityEnvironment

from activities.reports import ReportActivities
from activities.review_assignment import publish_deadlines
from governance.kernel.calendar import EventStatus, member_audience, role_audience
from governance.kernel.model import MemberStatus, Pillar, Role
from governance.registry.changes import (
    AddMember,
    AddPerson,
    Effects,
    MovePlenary,
    RegistryCommand,
    SchedulePlenary,
    audit_entry,
)
from governance.registry.member_status import ChangeMemberStatus
from governance.reports.contracts import CycleRequest, CycleStatus, RunStep
from governance.reports.cycle import (
    Report,
    ReportKind,
    Review,
    StepKind,
    SubmitReview,
    cycle_steps,
    submit_review,
)
from governance.reports.cycle_log import ToldDates
from governance.rulebook.model import Rulebook
from govsched.notify.console import RecordingNotifier
from govsched.persistence.commands.effects import store_effects
from govsched.persistence.commands.registry import decide, seed
from govsched.persistence.commands.reports import dates_of
from govsched.persistence.db import Database
from govsched.persistence.repos import calendar as calendar_repo
from govsched.persistence.repos import registry as registry_repo
from govsched.persistence.repos import reports as report_repo
from tests.helpers import focal_point_of

RULEBOOK = Rulebook()
# every member in a country of its own: no review is excluded for its country
MEMBERS = {
    "gov-b": Pillar.GOVERNMENT,
    "gov-e": Pillar.GOVERNMENT,
    "gov-f": Pillar.GOVERNMENT,
    "co-a": Pillar.COMPANY,
    "co-g": Pillar.COMPANY,
    "co-h": Pillar.COMPANY,
    "ngo-c": Pillar.NGO,
    "ngo-d": Pillar.NGO,
    "ngo-i": Pillar.NGO,
}
# the 2027 plenary on 8-9 June: reports due 24 April, reviews 24 May (Toronto)
ASSIGNED = datetime(2027, 4, 25, 4, 0, tzinfo=UTC)
# after the first review reminder (17 May), before the second (22 May)
LEFT = datetime(2027, 5, 19, 15, 0, tzinfo=UTC)
# (reported, reviewer): co-a's report is reviewed by gov-b and ngo-c, ngo-c's by gov-b (its
# review already in) and co-g, gov-e's by co-a and ngo-d
PAIRS = [
    ("co-a", "gov-b"),
    ("co-a", "ngo-c"),
    ("ngo-c", "gov-b"),
    ("ngo-c", "co-g"),
    ("gov-e", "co-a"),
    ("gov-e", "ngo-d"),
]


def _registry(leaver_status: MemberStatus = MemberStatus.FULL) -> list[RegistryCommand]:
    commands: list[RegistryCommand] = [
        SchedulePlenary(year=2027, starts=date(2027, 6, 8), ends=date(2027, 6, 9), location="Oslo")
    ]
    for member, pillar in MEMBERS.items():
        status = leaver_status if member == "gov-b" else MemberStatus.FULL
        commands += [
            AddMember(
                id=member,
                name=f"Member {member}",
                pillar=pillar,
                country=member,
                joined=date(2015, 1, 1),
                status=status,
                decision="plenary decision",
            ),
            focal_point_of(member),
        ]
    commands.append(
        AddPerson(id="sec", name="Sec", email="sec@example.org", roles=[Role.SECRETARIAT])
    )
    return commands


def _review_in(session: Session, report_of: str, reviewer: str, at: datetime) -> None:
    recorded = submit_review(
        SubmitReview(
            year=2027,
            report_of=report_of,
            reviewer=reviewer,
            by=f"fp-{reviewer}",
            url=f"https://{reviewer}.example/review-{report_of}",
        ),
        at,
        report_repo.get_review(session, 2027, report_of, reviewer),
        frozenset({Role.FOCAL_POINT}),
        reviewer,
    )
    report_repo.record_review(session, recorded)


def _cycle(db: Database, leaver_status: MemberStatus = MemberStatus.FULL) -> None:
    """Reports in by the due day, reviewers assigned at the overdue instant and told of their
    deadline, one review already in."""
    with db.writing() as session:
        seed(session, _registry(leaver_status), datetime(2026, 12, 1, tzinfo=UTC), RULEBOOK)
        for member in ("co-a", "ngo-c", "gov-e"):
            report_repo.save_report(
                session,
                Report(
                    year=2027,
                    member=member,
                    kind=ReportKind.UPDATE,
                    url=f"https://{member}.example/report",
                    submitted_at=datetime(2027, 4, 1, tzinfo=UTC),
                    submitted_by=f"fp-{member}",
                ),
            )
        report_repo.add_reviews(
            session,
            [
                Review(year=2027, report_of=of, reviewer=by, reason="paired", assigned_at=ASSIGNED)
                for of, by in PAIRS
            ],
        )
        dates = dates_of(session, 2027, RULEBOOK)
        assert dates is not None
        publish_deadlines(session, dates, {by for _, by in PAIRS}, ASSIGNED, RULEBOOK)
        _review_in(session, "ngo-c", "gov-b", datetime(2027, 5, 2, tzinfo=UTC))
        for step in cycle_steps(dates, RULEBOOK):
            if step.at <= ASSIGNED:
                report_repo.mark_done(session, 2027, step.name)
        report_repo.mark_done(session, 2027, ToldDates.of(dates).marker)


def _change(db: Database, member: str, status: MemberStatus, at: datetime = LEFT) -> Effects:
    """The change as the registry activity applies it: decided, then stored in one transaction."""
    command = ChangeMemberStatus(member=member, status=status, decision="plenary decision")
    with db.writing() as session:
        effects = decide(session, command, at, RULEBOOK)
        store_effects(session, effects, audit_entry(effects, f"{member}-{at}", at, "sec", ""), at)
    return effects


def _step(cycle: ReportActivities, kind: StepKind, which: int = 0) -> datetime:
    """Run the cycle's `which`-th step of `kind` at its instant; returns the instant."""
    with cycle._db.reading() as session:
        dates = dates_of(session, 2027, RULEBOOK)
    assert dates is not None
    step = [s for s in cycle_steps(dates, RULEBOOK) if s.kind is kind][which]
    ActivityEnvironment().run(cycle.run_step, RunStep(year=2027, step=step.name, now=step.at))
    return step.at


def _status(cycle: ReportActivities, now: datetime) -> CycleStatus:
    status: CycleStatus = ActivityEnvironment().run(cycle.status, CycleRequest(year=2027, now=now))
    return status


def _reviews(db: Database) -> list[tuple[str, str, bool]]:
    with db.reading() as session:
        return [
            (r.report_of, r.reviewer, r.submitted_at is not None)
            for r in report_repo.reviews(session, 2027)
        ]


def _reminded(notifier: RecordingNotifier) -> set[str]:
    return {
        p for n in notifier.sent if n.text.startswith("Reminder: your peer") for p in n.recipients
    }


def _late_list(notifier: RecordingNotifier) -> str:
    (listed,) = [n.text for n in notifier.sent if n.text.startswith("Peer reviews for 2027 not")]
    return listed


@pytest.mark.parametrize("status", [MemberStatus.WITHDRAWN, MemberStatus.EXPELLED])
def test_a_reviewer_that_leaves_after_the_reminders_began_owes_nothing_and_is_replaced(
    db: Database, status: MemberStatus
) -> None:
    notifier = RecordingNotifier()
    cycle = ReportActivities(db, RULEBOOK, notifier)
    _cycle(db)
    _step(cycle, StepKind.REVIEW_REMINDER, 0)
    assert "fp-gov-b" in _reminded(notifier)  # reminded of co-a's report while a member

    effects = _change(db, "gov-b", status)

    # its open review is taken back at once; the one it submitted stays (ngo-c's feedback)
    assert ("co-a", "gov-b", False) not in _reviews(db)
    assert ("ngo-c", "gov-b", True) in _reviews(db)
    told = [n for n in effects.notices if n.channel == "secretariat" and "no longer" in n.text]
    assert [n.text for n in told] == [
        "Member gov-b has left the initiative and no longer reviews: its 2027 peer reviews not "
        "yet submitted (of Member co-a) are taken back, and while the cycle is open each of "
        "those reports is given another reviewer, as a late report is."
    ]
    # its review deadline (naming the members it reviewed) leaves its own calendars
    with db.reading() as session:
        shown = calendar_repo.visible_events(session, frozenset({member_audience("gov-b")}))
        kept = calendar_repo.visible_events(session, frozenset({role_audience(Role.SECRETARIAT)}))
    assert [e.item.uid for e in shown] == []
    withdrawn = [e.item for e in kept if e.item.uid.startswith("reviews-2027-gov-b@")]
    assert [i.status for i in withdrawn] == [EventStatus.CANCELLED]

    # co-a's report waits for another reviewer, which the next look assigns as for a late one
    assert _status(cycle, LEFT).late_reports
    notifier.sent.clear()
    ActivityEnvironment().run(cycle.assign_late, CycleRequest(year=2027, now=LEFT))
    of_aurum = [(by, done) for of, by, done in _reviews(db) if of == "co-a"]
    assert len(of_aurum) == 2
    assert ("ngo-c", False) in of_aurum
    (replacement,) = [by for by, _ in of_aurum if by != "ngo-c"]
    assert replacement not in ("gov-b", "co-a")
    assert MEMBERS[replacement] in (Pillar.GOVERNMENT, Pillar.NGO)
    assert [n.recipients for n in notifier.sent if n.text.startswith("Your peer reviews")] == [
        (f"fp-{replacement}",)
    ]
    # the others' reviews did not move
    assert {(of, by) for of, by, _ in _reviews(db) if of != "co-a"} == {
        (of, by) for of, by in PAIRS if of != "co-a"
    }
    assert not _status(cycle, LEFT).late_reports

    notifier.sent.clear()
    _step(cycle, StepKind.REVIEW_REMINDER, 1)
    assert "fp-gov-b" not in _reminded(notifier)
    assert f"fp-{replacement}" in _reminded(notifier)
    _step(cycle, StepKind.REVIEWS_LATE)
    assert "gov-b" not in _late_list(notifier)


def test_a_review_left_to_a_member_that_left_before_the_rule_is_neither_reminded_nor_late(
    db: Database,
) -> None:
    """A database from before the fix: gov-b withdrew with its review of co-a still assigned."""
    notifier = RecordingNotifier()
    cycle = ReportActivities(db, RULEBOOK, notifier)
    _cycle(db, leaver_status=MemberStatus.WITHDRAWN)
    assert ("co-a", "gov-b", False) in _reviews(db)
    _step(cycle, StepKind.REVIEW_REMINDER, 0)
    _step(cycle, StepKind.REVIEW_REMINDER, 1)
    assert "fp-gov-b" not in _reminded(notifier)
    assert {"fp-ngo-c", "fp-co-g"} <= _reminded(notifier)
    _step(cycle, StepKind.REVIEWS_LATE)
    listed = _late_list(notifier)
    assert "Member gov-b" not in listed
    assert "Member ngo-c (of Member co-a)" in listed


def test_an_inactive_reviewer_keeps_its_reviews_is_reminded_and_may_review_once_back(
    db: Database,
) -> None:
    """Inactive is not final: the member may come back, and reviewing is part of the way."""
    notifier = RecordingNotifier()
    cycle = ReportActivities(db, RULEBOOK, notifier)
    _cycle(db)
    effects = _change(db, "gov-b", MemberStatus.INACTIVE)
    assert not [n for n in effects.notices if "no longer reviews" in n.text]
    assert ("co-a", "gov-b", False) in _reviews(db)
    assert not _status(cycle, LEFT).late_reports
    _step(cycle, StepKind.REVIEW_REMINDER, 0)
    assert "fp-gov-b" in _reminded(notifier)

    _change(db, "gov-b", MemberStatus.FULL, at=datetime(2027, 5, 21, 15, tzinfo=UTC))
    assert ("co-a", "gov-b", False) in _reviews(db)
    with db.writing() as session:
        _review_in(session, "co-a", "gov-b", datetime(2027, 5, 22, 15, tzinfo=UTC))
    assert ("co-a", "gov-b", True) in _reviews(db)
    with db.reading() as session:
        person = registry_repo.get_person(session, "fp-gov-b")
    assert person is not None
    assert Role.FOCAL_POINT in person.roles


def test_a_moved_plenary_does_not_give_a_member_that_left_its_review_deadline_back(
    db: Database,
) -> None:
    notifier = RecordingNotifier()
    cycle = ReportActivities(db, RULEBOOK, notifier)
    _cycle(db)
    _change(db, "gov-b", MemberStatus.WITHDRAWN)
    moved_at = datetime(2027, 5, 20, 15, tzinfo=UTC)
    move = MovePlenary(year=2027, starts=date(2027, 6, 15), ends=date(2027, 6, 16))
    with db.writing() as session:
        effects = decide(session, move, moved_at, RULEBOOK)
        store_effects(session, effects, audit_entry(effects, "move", moved_at, "sec", ""), moved_at)
    moved = [s for s in _status(cycle, moved_at).steps if s.startswith("moved")]
    assert moved
    for step in moved:
        ActivityEnvironment().run(cycle.run_step, RunStep(year=2027, step=step, now=moved_at))
    with db.reading() as session:
        shown = calendar_repo.visible_events(session, frozenset({member_audience("gov-b")}))
        others = calendar_repo.visible_events(session, frozenset({member_audience("ngo-c")}))
    assert [e.item.uid for e in shown] == []
    (theirs,) = [e.item for e in others if e.item.uid.startswith("reviews-2027-ngo-c@")]
    assert theirs.start_date == date(2027, 5, 31)  # moved with the plenary
    assert not [n for n in notifier.sent if "fp-gov-b" in n.recipients]
