"""The reporting cycle's activities at two edges (issue 19), on the store as the cycle reads it.

A plenary early in January: its reports were due before the cycle opened, so its overdue step
and its assignment run at the opening, and each report that comes in afterwards (late) gets its
reviewers on arrival. Before, the cycle dropped both steps and no report ever got reviewers.

A review sent after the cycle closed: taken, and its feedback reaches the reported member's
focal points; then the cycle ends again. Before, the closed cycle ended at once and the
feedback was never sent. Missing reviews, an observer's reviewed report and withdrawn members
are the adversarial cases around it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy.orm import Session
from temporalio.testing import ActivityEnvironment

from activities.reports import ReportActivities
from governance.kernel.errors import InvalidInput
from governance.kernel.model import MemberStatus, Pillar, Role
from governance.registry.changes import AddMember, AddPerson, RegistryCommand, SchedulePlenary
from governance.reports.contracts import CycleRequest, CycleStatus, RunStep
from governance.reports.cycle import Report, ReportKind, Review, SubmitReview, submit_review
from governance.rulebook.model import load_rulebook
from govsched.notify.console import RecordingNotifier
from govsched.persistence.commands.registry import seed
from govsched.persistence.commands.reports import open_cycle_years
from govsched.persistence.db import Database
from govsched.persistence.repos import registry as registry_repo
from govsched.persistence.repos import reports as report_repo
from tests.helpers import focal_point_of

MEMBERS = {
    "gov-norland": (Pillar.GOVERNMENT, "Norland"),
    "gov-estavia": (Pillar.GOVERNMENT, "Estavia"),
    "co-aurum": (Pillar.COMPANY, "Sudria"),
    "co-basalt": (Pillar.COMPANY, "Valdoria"),
    "ngo-watch": (Pillar.NGO, "Westmark"),
    "ngo-civic": (Pillar.NGO, "Korvania"),
    "obs-geneva": (Pillar.OBSERVER, "Helvetia"),
}
# observers' reports are reviewed by governments here, to reach the observer's feedback case
RULEBOOK = load_rulebook(
    {
        "peer_review": {
            "reviewers_for": {
                "government": ["company", "ngo"],
                "company": ["government", "ngo"],
                "ngo": ["government", "company"],
                "observer": ["government"],
            }
        }
    }
)
# 2 January 2027 at midnight in Toronto: the cycle of a plenary on 5-7 January 2027 opens
OPENING = datetime(2027, 1, 2, 5, tzinfo=UTC)
# the cycle of a plenary on 18-21 May 2027 closes at the end of its last day
CLOSED_AT = datetime(2027, 5, 22, 4, tzinfo=UTC)
AFTER_CLOSE = datetime(2027, 6, 15, 14, tzinfo=UTC)


def _registry(starts: date, ends: date) -> list[RegistryCommand]:
    commands: list[RegistryCommand] = [
        SchedulePlenary(year=2027, starts=starts, ends=ends, location="Norland Harbour")
    ]
    for member, (pillar, country) in MEMBERS.items():
        commands.append(
            AddMember(
                id=member, name=member, pillar=pillar, country=country, joined=date(2020, 3, 1)
            )
        )
        commands.append(focal_point_of(member))
    commands.append(
        AddPerson(id="sec-amina", name="Amina", email="amina@sec.example", roles=[Role.SECRETARIAT])
    )
    return commands


def _report(member: str, at: datetime) -> Report:
    return Report(
        year=2027,
        member=member,
        kind=ReportKind.UPDATE,
        url=f"https://{member}.example/report",
        submitted_at=at,
        submitted_by=f"fp-{member}",
        late=True,
    )


def _status(activities: ReportActivities, now: datetime) -> CycleStatus:
    status: CycleStatus = ActivityEnvironment().run(
        activities.status, CycleRequest(year=2027, now=now)
    )
    return status


@pytest.fixture
def early(sqlite_db: Database) -> Database:
    with sqlite_db.writing() as session:
        seed(session, _registry(date(2027, 1, 5), date(2027, 1, 7)), OPENING, RULEBOOK)
    return sqlite_db


def test_an_early_january_cycle_assigns_at_its_opening_and_late_reports_on_arrival(
    early: Database,
) -> None:
    notifier = RecordingNotifier()
    cycle = ReportActivities(early, RULEBOOK, notifier)
    assert _status(cycle, OPENING).steps == [
        "open-2027-01-02",
        "overdue-2026-11-21",
        "assign-2026-11-21",
        "reviews-late-2026-12-21",
    ]
    for step in _status(cycle, OPENING).steps:
        ActivityEnvironment().run(cycle.run_step, RunStep(year=2027, step=step, now=OPENING))
    # at the opening the six members of the voting pillars hear their report is overdue:
    # its due day, 21 November, came before the cycle opened (the rulebook's dates)
    overdue = [n for n in notifier.sent if n.text.startswith("Overdue: your annual report")]
    assert {n.text for n in overdue} == {
        "Overdue: your annual report for 2027 was due on 21 November 2026. "
        "It can still be submitted; the Steering Committee has been told."
    }
    assert sorted(r for n in overdue for r in n.recipients) == sorted(
        f"fp-{m}" for m in MEMBERS if not m.startswith("obs-")
    )

    arrived = datetime(2027, 1, 2, 15, tzinfo=UTC)
    with early.writing() as session:
        report_repo.save_report(session, _report("co-aurum", arrived))
    status = _status(cycle, arrived)
    assert status.steps == []
    assert status.late_reports  # before the fix: never, the assignment had not run
    ActivityEnvironment().run(cycle.assign_late, CycleRequest(year=2027, now=arrived))

    with early.reading() as session:
        reviews = report_repo.reviews(session, 2027)
    assert len(reviews) == 2
    assert {r.report_of for r in reviews} == {"co-aurum"}
    assert {MEMBERS[r.reviewer][0] for r in reviews} == {Pillar.GOVERNMENT, Pillar.NGO}
    assert {r.assigned_at for r in reviews} == {arrived}
    assert not _status(cycle, arrived).late_reports


@pytest.fixture
def closed(sqlite_db: Database) -> Database:
    """A cycle that closed after its plenary of 18-21 May 2027: Aurum's and the observer's
    reports each had two reviewers; one of Aurum's reviews came back in time (its feedback
    sent), the other and both of the observer's were still awaited at the close."""
    with sqlite_db.writing() as session:
        seed(
            session,
            _registry(date(2027, 5, 18), date(2027, 5, 21)),
            datetime(2026, 12, 1, tzinfo=UTC),
            RULEBOOK,
        )
        report_repo.save_report(session, _report("co-aurum", datetime(2027, 3, 1, tzinfo=UTC)))
        report_repo.save_report(session, _report("obs-geneva", datetime(2027, 3, 2, tzinfo=UTC)))
        assigned_at = datetime(2027, 4, 4, 4, tzinfo=UTC)
        pairs = [
            ("co-aurum", "gov-norland"),
            ("co-aurum", "ngo-watch"),
            ("obs-geneva", "gov-estavia"),
            ("obs-geneva", "gov-norland"),
        ]
        report_repo.add_reviews(
            session,
            [
                Review(year=2027, report_of=of, reviewer=by, reason="test", assigned_at=assigned_at)
                for of, by in pairs
            ],
        )
        _review(session, "co-aurum", "gov-norland", datetime(2027, 5, 1, tzinfo=UTC))
        (in_time,) = report_repo.pending_feedback(session, 2027, 10)
        report_repo.mark_feedback(session, in_time, datetime(2027, 5, 1, tzinfo=UTC))
        for step in ("open-2027-01-02", "assign-2027-04-03", "close"):
            report_repo.mark_done(session, 2027, step)
    return sqlite_db


def _review(session: Session, report_of: str, reviewer: str, at: datetime) -> Review:
    """A review through the rule the service and the form apply, by the reviewer's focal point."""
    person = registry_repo.get_person(session, f"fp-{reviewer}")
    assert person is not None
    recorded = submit_review(
        SubmitReview(
            year=2027,
            report_of=report_of,
            reviewer=reviewer,
            by=person.id,
            url=f"https://{reviewer}.example/review-{report_of}",
        ),
        at,
        report_repo.get_review(session, 2027, report_of, reviewer),
        frozenset(person.roles),
        person.member,
    )
    report_repo.record_review(session, recorded)
    return recorded


def _feedback(notifier: RecordingNotifier) -> list[tuple[tuple[str, ...], str]]:
    return [(n.recipients, n.text) for n in notifier.sent if "peer review of your" in n.text]


def test_a_closed_cycle_with_reviews_still_missing_ends_at_once(closed: Database) -> None:
    notifier = RecordingNotifier()
    cycle = ReportActivities(closed, RULEBOOK, notifier)
    status = _status(cycle, AFTER_CLOSE)
    assert (status.finished, status.feedback, status.steps) == (True, False, [])
    with closed.reading() as session:
        assert open_cycle_years(session) == []
    assert notifier.sent == []


def test_a_review_sent_after_the_close_reaches_the_reported_member(closed: Database) -> None:
    notifier = RecordingNotifier()
    cycle = ReportActivities(closed, RULEBOOK, notifier)
    with closed.writing() as session:
        _review(session, "co-aurum", "ngo-watch", AFTER_CLOSE)
    status = _status(cycle, AFTER_CLOSE)
    # before the fix: finished, and the feedback never went
    assert (status.finished, status.feedback, status.steps, status.late_reports) == (
        False,
        True,
        [],
        False,
    )
    with closed.reading() as session:
        # a worker starting before the cycle was woken wakes it
        assert open_cycle_years(session) == [2027]
    ActivityEnvironment().run(cycle.send_feedback, CycleRequest(year=2027, now=AFTER_CLOSE))
    assert _feedback(notifier) == [
        (
            ("fp-co-aurum",),
            "A peer review of your 2027 annual report, by ngo-watch, is available: "
            "https://ngo-watch.example/review-co-aurum",
        )
    ]
    (sent,) = notifier.sent
    assert sent.issued_at == AFTER_CLOSE
    assert _status(cycle, AFTER_CLOSE).finished
    with closed.reading() as session:
        assert open_cycle_years(session) == []
    # told once: a second look sends nothing more
    ActivityEnvironment().run(cycle.send_feedback, CycleRequest(year=2027, now=AFTER_CLOSE))
    assert len(notifier.sent) == 1


def test_late_reviews_of_an_observer_and_by_or_of_withdrawn_members_are_sent(
    closed: Database,
) -> None:
    notifier = RecordingNotifier()
    cycle = ReportActivities(closed, RULEBOOK, notifier)
    withdrew = datetime(2027, 6, 1, tzinfo=UTC)
    with closed.writing() as session:
        # the reviewer sent its review after the plenary, then withdrew: the review stays (a
        # member that left gives up only the reviews it had not submitted, and its review
        # would be refused since)
        _review(session, "obs-geneva", "gov-estavia", datetime(2027, 5, 30, tzinfo=UTC))
        registry_repo.change_status(
            session,
            "gov-estavia",
            MemberStatus.WITHDRAWN,
            withdrew,
            "left the initiative",
            withdrew.date(),
        )
        registry_repo.change_status(
            session,
            "obs-geneva",
            MemberStatus.WITHDRAWN,
            withdrew,
            "left the initiative",
            withdrew.date(),
        )
        _review(session, "obs-geneva", "gov-norland", AFTER_CLOSE)
    assert _status(cycle, AFTER_CLOSE).feedback
    ActivityEnvironment().run(cycle.send_feedback, CycleRequest(year=2027, now=AFTER_CLOSE))
    # the recommendations are the withdrawn observer's: its focal point receives both
    assert sorted(_feedback(notifier)) == [
        (
            ("fp-obs-geneva",),
            "A peer review of your 2027 annual report, by gov-estavia, is available: "
            "https://gov-estavia.example/review-obs-geneva",
        ),
        (
            ("fp-obs-geneva",),
            "A peer review of your 2027 annual report, by gov-norland, is available: "
            "https://gov-norland.example/review-obs-geneva",
        ),
    ]
    assert _status(cycle, AFTER_CLOSE).finished


def test_feedback_to_a_member_without_focal_points_is_settled_and_the_cycle_ends(
    closed: Database,
) -> None:
    notifier = RecordingNotifier()
    cycle = ReportActivities(closed, RULEBOOK, notifier)
    with closed.writing() as session:
        _review(session, "co-aurum", "ngo-watch", AFTER_CLOSE)
        person = registry_repo.get_person(session, "fp-co-aurum")
        assert person is not None
        registry_repo.set_roles(session, person.model_copy(update={"roles": []}))
    ActivityEnvironment().run(cycle.send_feedback, CycleRequest(year=2027, now=AFTER_CLOSE))
    assert _feedback(notifier) == []
    # nobody to tell, but settled: the cycle does not loop on it
    assert _status(cycle, AFTER_CLOSE).finished


def test_after_the_close_a_review_nobody_was_assigned_is_still_refused(closed: Database) -> None:
    with closed.writing() as session:
        with pytest.raises(InvalidInput) as refused:
            _review(session, "co-aurum", "co-basalt", AFTER_CLOSE)
        assert [p.path for p in refused.value.problems] == ["reviewer"]
        # an observer is never a reviewer, after the close as before it
        with pytest.raises(InvalidInput):
            _review(session, "co-aurum", "obs-geneva", AFTER_CLOSE)
