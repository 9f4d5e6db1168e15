"""One of every notice written as a message, for the rendering tests (issue 20).

Each governance module whose notices carry a message adds its notices here, so the pseudo-locale
test covers every notification kind the module sends.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from governance.applications import applicant_notices
from governance.applications import effects as applications
from governance.applications.model import ApplicationState
from governance.applications.rules import Transition as ApplicationStep
from governance.applications.timeline import TimedEvent as ApplicationEvent
from governance.applications.timeline import TimedEventKind
from governance.concerns import effects as concerns
from governance.concerns.model import Decision, Outcome
from governance.concerns.rules import Transition as ConcernStep
from governance.concerns.rules import file_concern
from governance.concerns.timeline import TimedEvent as ConcernEvent
from governance.concerns.timeline import TimedKind
from governance.kernel.messages import Message
from governance.kernel.model import Pillar, Plenary, PlenaryKind, Role, SteeringCommitteeSeat
from governance.kernel.notices import Notification
from governance.reports import notices as reports
from governance.reports.cycle import CycleDates, EscalationKind, MissedReport, ReportKind, Review
from governance.reports.peer_review import diagnosis
from governance.reports.peer_review.assignment import together_reason
from governance.rulebook.model import Rulebook
from governance.year import milestones, seats
from governance.year.handover import rules as handover_rules

AT = datetime(2027, 1, 4, 14, 0, tzinfo=UTC)
DATES = CycleDates(
    year=2027,
    plenary_id="plenary-2027",
    opens=date(2027, 1, 2),
    due=date(2027, 4, 1),
    review_due=date(2027, 4, 20),
    plenary_ends=date(2027, 5, 21),
)


def report_notices(name: str = "Norland", count: int = 3) -> list[Notification]:
    names = [f"{name} {i}" for i in range(count)]
    missed = [
        MissedReport(year=2027, member=f"m{i}", missed_in_a_row=1 + i % 3, escalation=kind, at=AT)
        for i, kind in enumerate(
            [EscalationKind.REFERRED, EscalationKind.PROPOSE_INACTIVE] * max(1, count)
        )
    ]
    review = Review(
        year=2027,
        report_of="m0",
        reviewer="r",
        reason="assigned",
        assigned_at=AT,
        url="https://example.org/r/1",
    )
    return [
        *reports.opened(DATES, AT, names),
        *reports.report_reminder(DATES, "m0", ReportKind.FULL, ["p"], "due-14", AT),
        *reports.report_reminder(DATES, "m0", ReportKind.UPDATE, ["p"], "due-14", AT),
        *reports.report_overdue(DATES, "m0", ["p"], "overdue", AT),
        *reports.escalations(DATES, missed, {"m0": name}, AT),
        *reports.assigned(DATES, "r", {"m0": name, "m1": "Estavia"}, ["p"], AT),
        *reports.review_reminder(DATES, "r", names, ["p"], "due-2", AT),
        *reports.reviews_late(DATES, [(name, names) for name in names], AT),
        *reports.feedback(review, name, ["p"], AT),
        # reports set aside together: each binding rule's diagnosis, worded by governance
        *reports.cannot_assign(2027, [(n, _set_aside_together()) for n in names], count + 1, AT),
        reports.back_from_inactive(2027, "m0", name, AT, Rulebook()),
        *reports.report_moved(2027, "m0", date(2027, 4, 1), date(2027, 4, 8), ["p"], AT, "moved-1"),
        *reports.reviews_moved(
            2027, "r", date(2027, 4, 20), date(2027, 4, 27), ["p"], AT, "moved-1"
        ),
    ]


def _set_aside_together() -> Message:
    problems = [diagnosis.relaxed(True, False, True), diagnosis.relaxed(False, False, False)]
    return together_reason(problems, others=True)


def application_notices(name: str = "Norland") -> list[Notification]:
    from tests.governance.applications import application_cast as cast

    submitted = cast.admission()
    named = submitted.applicant.model_copy(update={"organisation": name})
    record = submitted.model_copy(update={"applicant": named})
    reviewing = cast.under_review().model_copy(update={"applicant": named})
    provisional = cast.provisionally_admitted().model_copy(update={"applicant": named})
    notices: list[Notification] = []
    steps = [
        (record, record, "submitted"),
        (record, record.model_copy(update={"window": date(2027, 3, 31)}), "submitted"),
        (record, record, "information_provided"),
        (record, reviewing, "review_started"),
        (
            reviewing,
            cast.in_no_objection_period().model_copy(update={"applicant": named}),
            "review_closed",
        ),
        (reviewing, reviewing, "objected"),
        (reviewing, provisional, "provisionally_admitted"),
        (
            reviewing,
            provisional.model_copy(update={"ratification_plenary": "plenary-2027"}),
            "provisionally_admitted",
        ),
        (
            provisional,
            provisional.model_copy(update={"state": ApplicationState.ADMITTED}),
            "admitted",
        ),
        (reviewing, reviewing.model_copy(update={"state": ApplicationState.ADMITTED}), "admitted"),
        (
            provisional,
            provisional.model_copy(update={"state": ApplicationState.REJECTED}),
            "rejected",
        ),
        (reviewing, reviewing.model_copy(update={"state": ApplicationState.LAPSED}), "lapsed"),
    ]
    for before, after, action in steps:
        step = ApplicationStep(after, f"application.{action}", "sec", note="2 support, 1 abstain")
        notices += applications.transition_notices(before, step, AT, cast.RULES, ("fp-1",))
    for kind in TimedEventKind:
        event = ApplicationEvent(at=AT, key=kind.value, kind=kind)
        windowed = reviewing.model_copy(update={"window": date(2027, 3, 31)})
        notices += applications.timed_notices(windowed, event, cast.RULES)
    # the applicant's own: the Secretariat's question and its reminder
    asked = cast.information_requested().model_copy(update={"applicant": named})
    reminder = ApplicationEvent(
        at=AT, key="information-1-reminder-7", kind=TimedEventKind.INFORMATION_REMINDER
    )
    notices += applicant_notices.question_notices(asked, AT)
    notices += applicant_notices.question_reminders(asked, reminder)
    return notices


def concern_notices(name: str = "co-aurum") -> list[Notification]:
    from tests.governance.concerns import concern_cast as cast

    filed = file_concern(cast.filing(), cast.FILER, AT, cast.RULES).record
    record = filed.model_copy(
        update={
            "dialogue_due": AT + timedelta(days=90),
            "review_due": AT + timedelta(days=150),
        }
    )
    decision = Decision(
        outcome=Outcome.REMEDIAL_PLAN, at=AT, by="sec", follow_ups=(date(2027, 9, 1),)
    )
    closed = record.model_copy(update={"decision": decision})
    notices: list[Notification] = []
    steps = [
        (record, "filed"),
        (record, "acknowledged"),
        (record, "dialogue_extended"),
        (record, "referred"),
        (record, "recommended"),
        (record.model_copy(update={"decision_plenary": "plenary-2027"}), "recommended"),
        (closed, "decided"),
        (record, "withdrawn"),
    ]
    for after, action in steps:
        step = ConcernStep(after, f"concern.{action}", "sec")
        notices += concerns.transition_notices(step, AT, cast.RULES, cast.PARTIES)
    for kind in TimedKind:
        for each in (record, record.model_copy(update={"decision_plenary": "plenary-2027"})):
            event = ConcernEvent(at=AT, key=kind.value, kind=kind)
            notices += concerns.timed_notices(each, event, cast.RULES, cast.PARTIES)
    return notices


def year_notices(name: str = "Norland") -> list[Notification]:
    rulebook = Rulebook()
    before = Plenary(
        id="plenary-2027",
        year=2027,
        starts=date(2027, 5, 18),
        ends=date(2027, 5, 21),
        location="Norland Harbour",
    )
    after = before.model_copy(update={"starts": date(2027, 6, 8), "ends": date(2027, 6, 8)})
    extraordinary = before.model_copy(
        update={"id": "plenary-2027-x1", "kind": PlenaryKind.EXTRAORDINARY}
    )
    old, new = milestones.plan(before, rulebook), milestones.plan(after, rulebook)
    chairs = milestones.ChairHolders(people=("chair-1",))
    notices = milestones.move_notices(before, after, old, new, rulebook, AT, ["chair-1"])
    notices += milestones.move_notices(
        extraordinary, extraordinary, old, new, rulebook, AT, ["chair-1"]
    )
    for milestone in [*old, *milestones.plan(extraordinary, rulebook)]:
        for step in ("due-14", "overdue-1"):
            notices += milestones.step_notices(
                milestone, milestones.Step(AT, step), rulebook, chairs
            )
    seat = SteeringCommitteeSeat(
        member="gov-x", pillar=Pillar.GOVERNMENT, starts=date(2025, 5, 21), ends=date(2027, 5, 21)
    )
    notices += seats.expiry_notices(seat, milestones.Step(AT, "expiry-60"), name, rulebook)
    return notices + handover_notices(before, rulebook)


def handover_notices(plenary: Plenary, rulebook: Rulebook) -> list[Notification]:
    notices: list[Notification] = []
    for outgoing in ("gov-norland", None):
        handover = handover_rules.plan_handover(plenary, outgoing, rulebook)
        assert handover is not None
        owners = handover_rules.Owners(chairs=("chair-1",), incoming=())
        for item in handover.items:
            for step in ("reminder-7", "overdue-1"):
                notices += handover_rules.item_notices(
                    handover, item, milestones.Step(AT, step), owners
                )
        notices.append(handover_rules.missing_incoming_notice(handover, AT, rulebook, AT))
        for member in ("gov-estavia", "gov-norland"):
            for when in (AT, handover.handover_at):
                for earlier in (handover, handover.model_copy(update={"incoming": "gov-valdoria"})):
                    notices += handover_rules.designate(
                        earlier, member, "sec", when, {"gov-estavia": "Estavia"}, rulebook
                    )[1]
        designated = handover.model_copy(update={"incoming": "gov-estavia", "designated_at": AT})
        for tasks in (
            handover_rules.ChairTasks(),
            handover_rules.ChairTasks(
                milestones=tuple(
                    m for m in milestones.plan(plenary, rulebook) if m.owner_role is Role.CHAIR
                ),
                applications=(
                    handover_rules.WaitingApplication("Kestrel"),
                    handover_rules.WaitingApplication("Ember", provisional=True),
                ),
                items=handover.items,
            ),
        ):
            notices += handover_rules.hand_over(
                designated, None, None, ["fp-estavia"], tasks, {"gov-estavia": "Estavia"}, rulebook
            ).notices
        notices.append(
            handover_rules.stalled_notice(handover, {"gov-norland": "Norland"}, rulebook)
        )
    return notices


def roster_notices() -> list[Notification]:
    from governance.roster import effects as roster
    from governance.roster.contracts import DeferralRequest
    from governance.roster.document import defer
    from tests.governance.roster import test_roster_effects as cast

    plan, published = cast.PLAN, cast._published()
    empty = published.model_copy(
        update={"document": published.document.model_copy(update={"slots": ()})}
    )
    request = DeferralRequest(
        member="co-1", reason="Audit late.", requested_by="fp-co-1", requested_at=AT
    )
    _, added = defer(published.document, "co-0", "Audit", "fp-co-0", "chair", AT)
    moved = plan.model_copy(
        update={"plenary_starts": date(2027, 6, 8), "plenary_ends": date(2027, 6, 8)}
    )
    return [
        roster.seed_notice(plan, AT),
        *roster.publication_notices(plan, published),
        *roster.publication_notices(plan, empty),
        roster.request_notice(plan, request, "Company 1"),
        *roster.deferral_notices(
            plan, published.presenters, published.document.slots[0], added, AT
        ),
        *roster.moved_notices(plan, moved, published, AT),
        roster.refusal_notice(plan, request, "Company 1", AT),
        roster.outcomes_reminder(plan, ["Company 0", "Company 1"], AT),
    ]


def registry_notices() -> list[Notification]:
    from governance.registry.changes import SchedulePlenary, schedule_plenary, set_chair
    from tests.governance.registry import test_registry_rules as cast

    effects = set_chair(cast.chair("gov-norland", 2027), cast.AT, cast.NORLAND, [], cast.RULEBOOK)
    notices = [scheduled.notification for scheduled in effects.scheduled]
    for kind, host in ((PlenaryKind.ANNUAL, cast.NORLAND), (PlenaryKind.EXTRAORDINARY, None)):
        cmd = SchedulePlenary(
            year=2027,
            starts=date(2027, 5, 18),
            ends=date(2027, 5, 21),
            location="Norland Harbour",
            kind=kind,
        )
        notices += schedule_plenary(cmd, AT, frozenset(), host, cast.RULEBOOK).notices
    return notices


def digest_notices() -> list[Notification]:
    from governance.notifications.digest import MAX_LINES, digest_notice

    today = date(2027, 1, 4)
    entries = [(date(2027, 1, 5), f"Entry {i}") for i in range(MAX_LINES + 3)]
    rulebook = Rulebook()
    return [
        digest_notice("secretariat", [], today, AT, rulebook),
        digest_notice("secretariat", entries[:2], today, AT, rulebook),
        digest_notice("secretariat", entries, today, AT, rulebook),
    ]


def daily_email_digests() -> list[Notification]:
    """A person's daily email digest: its frame around a notice kept with its message, one
    kept as text only (issued before messages were kept), and one too many to fit."""
    from governance.notifications.email_digest import DigestEntry, daily_digest_notice

    reminder = report_notices()[0]
    entries = [
        DigestEntry(AT, reminder.kind.value, reminder.text, reminder.message),
        DigestEntry(AT, "deadline_reminder", "Report due on Friday."),
    ]
    many = [DigestEntry(AT, "decision", f"Decision {i}: " + "x" * 390) for i in range(12)]
    return [
        daily_digest_notice("fp-1", date(2027, 1, 4), 1, entries, AT),
        daily_digest_notice("fp-1", date(2027, 1, 4), 2, many, AT),
    ]


def agenda_notices() -> list[Notification]:
    from governance.year.published_agenda import PublishedItem
    from govsched.services.published_agenda import notice
    from tests.governance.year import test_published_agenda as cast

    first = cast._version(1, PublishedItem(id=1, title="Opening"))
    items = [PublishedItem(id=i, title=f"Item {i}") for i in range(1, 14)]
    second = cast._version(2, *items)
    return [
        notice(cast.PLENARY, first, None),
        notice(cast.PLENARY, second, first),
        notice(cast.PLENARY, cast._version(3, items[0]), second),
    ]


def engaged_notices() -> list[Notification]:
    from governance.applications import engaged_period as period
    from governance.applications.engaged_effects import event_notices
    from tests.governance.applications import test_engaged_period as cast

    record = cast.yssel()
    notices: list[Notification] = []
    for each in (record, record.model_copy(update={"required_evidence": None})):
        for event in period.pending_events(each):
            notices += event_notices(each, event, ["fp-1"], "Steering Committee")
    return notices


def status_notices() -> list[Notification]:
    """A member's status change, to each status the directory records or returns to."""
    from governance.kernel.model import Member, MemberStatus, StatusChange
    from governance.kernel.timekeeping import start_of_day
    from governance.registry.status_notices import status_notices as told

    tz = Rulebook().initiative.timezone
    member = Member(
        id="gov-yssel",
        name="Government of Yssel",
        pillar=Pillar.GOVERNMENT,
        country="Yssel",
        joined=date(2025, 7, 29),
        status=MemberStatus.INACTIVE,
        status_history=(),
    )
    notices: list[Notification] = []
    for status, until in (
        (MemberStatus.INACTIVE, None),
        (MemberStatus.WITHDRAWN, None),
        (MemberStatus.EXPELLED, None),
        (MemberStatus.FULL, None),
        (MemberStatus.ENGAGED, date(2028, 3, 20)),
        (MemberStatus.ENGAGED, None),
    ):
        change = StatusChange(
            status=status, since=start_of_day(date(2027, 1, 4), tz), decision="Plenary decision 4"
        )
        notices += told(member, change, ["fp-1"], AT, tz, until)
    return notices


def group_plan_notices(name: str = "Ghana group") -> list[Notification]:
    """Every notice of a group's plan and its funding requests (issue 23)."""
    from governance.groups import followup
    from governance.groups import funding as rules
    from governance.groups.money import Money, Spent
    from governance.groups.plans import Deliverable, Plan
    from governance.kernel.model import Role
    from governance.rulebook.model import Recommendation

    rulebook = Rulebook()
    parties = followup.Parties(group_name=name, timezone="Africa/Accra", coordinators=("ama",))
    owner = Deliverable(id="survey", title="Survey", owner="kofi", due=date(2027, 3, 31))
    plan = Plan(group_id="ghana", year=2027, created_at=AT, deliverables=(owner,))
    coordinator = rules.Asker("ama", frozenset(), coordinator=True)
    secretariat = rules.Asker("sam", frozenset({Role.SECRETARIAT}))
    usd = Money(amount="1200.00", currency="USD")
    asked = rules.request_funding("fr-1", "ghana", 2027, usd, "Trainings.", coordinator, AT)
    returned = rules.return_incomplete(asked, secretariat, "A quote.")
    review = rules.start_review(asked, secretariat, ("sc-a",), AT, rulebook)
    approved = rules.close_review(review, AT + timedelta(days=50), rulebook)
    objection = rules.recommend(
        review,
        rules.Asker("sc-a", frozenset({Role.STEERING_COMMITTEE})),
        Recommendation.OBJECT,
        "",
        AT,
        rulebook,
    )
    spent = Spent(amount="1200.00", currency="USD")
    reported = rules.report_use(approved, coordinator, spent, "Held.", AT)
    notices = [
        *followup.step_notices(None, asked, parties, AT),
        *followup.step_notices(asked, returned, parties, AT),
        *followup.step_notices(asked, review, parties, AT),
        *followup.step_notices(review, approved, parties, AT),
        *followup.step_notices(review, objection, parties, AT),
        *followup.step_notices(approved, reported, parties, AT),
    ]
    # windows that each end just after one kind of step: the latest step in each is sent
    windows = [
        ([], datetime(2027, 3, 18, tzinfo=UTC)),  # the deliverable's reminder
        ([review], datetime(2027, 2, 2, tzinfo=UTC)),  # the reviewers' reminder
        ([approved], datetime(2027, 5, 20, tzinfo=UTC)),  # the use report's reminder
        ([approved], datetime(2027, 12, 1, tzinfo=UTC)),  # late deliverable and report
        ([review], datetime(2027, 3, 1, tzinfo=UTC)),  # the review closes by itself
    ]
    for requests, until in windows:
        notices += followup.run_due(plan, requests, parties, AT, until, rulebook).notices
    return notices


def named_notices(name: str, count: int) -> list[Notification]:
    """The notices that quote what members wrote (names, lists of them)."""
    return [*report_notices(name, count), *application_notices(name)]


def every_notice(name: str = "Norland", count: int = 3) -> list[Notification]:
    return [
        *report_notices(name, count),
        *application_notices(name),
        *concern_notices(),
        *year_notices(name),
        *roster_notices(),
        *registry_notices(),
        *digest_notices(),
        *daily_email_digests(),
        *agenda_notices(),
        *engaged_notices(),
        *status_notices(),
        *group_plan_notices(),
    ]
