"""My work: everything the signed-in person must do, from the database, ordered by deadline.

Each item carries the form that does it. Items follow the same entitlements as the rules: an
application's actions go to the Secretariat, its reviewers or voting members' focal points; a
milestone to holders of its owner role; a handover item to its owner; a report, a review or a
deferral to the member's focal points; a funding request's step to the Secretariat, its
reviewers or the group's coordinators.
"""

from __future__ import annotations

from datetime import date, timedelta

from governance.applications import rules as application_rules
from governance.applications.model import ApplicationRecord, ApplicationState
from governance.kernel.model import Plenary, PlenaryKind, Role, has_left
from governance.reports.cycle import cycle_dates, expected_kind, owes_report_for
from governance.rulebook.model import HandoverOwner, Rulebook
from governance.year.handover.changes import may_complete
from governance.year.handover.rules import Handover, ItemStatus, designation_day
from governance.year.milestones import PlannedMilestone, may_complete_milestone
from govsched.http.web import action_forms as actions
from govsched.http.web.auth import Viewer
from govsched.http.web.concern_work import concern_items
from govsched.http.web.forms import Form
from govsched.http.web.funding_work import funding_items
from govsched.http.web.labels import report_kind, words
from govsched.http.web.roster_work import decision_items, deferral_items
from govsched.http.web.work_item import WorkItem
from govsched.i18n.current import current_language
from govsched.i18n.current import gettext as _
from govsched.i18n.documents import assignment_reason_in_reading
from govsched.persistence.db import Database
from govsched.persistence.repos import applications as application_repo
from govsched.persistence.repos import handover as handover_repo
from govsched.persistence.repos import milestones as milestone_repo
from govsched.persistence.repos import registry as registry_repo
from govsched.persistence.repos import reports as report_repo
from govsched.services.handover import incoming_candidates


def _application_due(record: ApplicationRecord) -> date | None:
    if record.deadline is not None:
        return record.deadline.due_date
    return record.window


def _application_items(records: list[ApplicationRecord], viewer: Viewer) -> list[WorkItem]:
    items = []
    actor = viewer.actor
    back = "/web/my-work"
    for record in records:
        name = record.applicant.organisation
        link = f"/web/applications/{record.id}"
        forms: tuple[Form, ...] = ()
        title = ""
        if Role.SECRETARIAT in actor.roles:
            if record.state is ApplicationState.AWAITING_CHECK:
                title = _("Check %(name)s's application for completeness") % {"name": name}
                forms = (
                    actions.mark_complete(record.id, back),
                    actions.request_information(record.id, back),
                )
            elif record.state is ApplicationState.INFORMATION_REQUESTED:
                title = _("Record %(name)s's answer to the information request") % {"name": name}
                forms = (actions.provide_information(record.id, back),)
            elif record.state is ApplicationState.COMPLETE:
                title = _("Start the Steering Committee review of %(name)s") % {"name": name}
                forms = (actions.start_review(record.id, back),)
            elif record.state is ApplicationState.AWAITING_PLENARY:
                title = _("Record the plenary's decision on %(name)s") % {"name": name}
                forms = (actions.plenary_decision(record.id, back),)
        if (
            not forms
            and record.state is ApplicationState.UNDER_REVIEW
            and actor.person in record.reviewers
            and application_rules.reviews(actor)
            and record.recommendation_of(actor.person) is None
        ):
            title = _("Recommend on %(name)s's application") % {"name": name}
            forms = (actions.recommend(record.id, back),)
        if (
            not forms
            and record.state is ApplicationState.NO_OBJECTION_PERIOD
            and actor.objector
            and all(o.member != actor.member for o in record.objections)
        ):
            title = _("Object to %(name)s's admission, if your member objects") % {"name": name}
            forms = (actions.object_to(record.id, back),)
        if forms:
            detail = _("%(kind)s, %(state)s") % {
                "kind": words(record.kind),
                "state": words(record.state),
            }
            items.append(
                WorkItem(_application_due(record), title, detail, link, forms, "application")
            )
    return items


def _milestone_items(
    milestones: list[PlannedMilestone], viewer: Viewer, rulebook: Rulebook
) -> list[WorkItem]:
    # What the viewer owns and may complete; report milestones are done by each report. A
    # milestone's title is a rulebook label: it reads as the rulebook names it in each language.
    language = current_language()
    return [
        WorkItem(
            m.due,
            rulebook.label_text(m.title, language),
            _("%(plenary)s, owner: %(owner)s")
            % {"plenary": m.plenary_id, "owner": words(m.owner_role)},
            f"/web/year?plenary={m.plenary_id}",
            (actions.complete_milestone(m, "/web/my-work"),),
            "milestone",
        )
        for m in milestones
        if m.owner_role in viewer.person.roles and may_complete_milestone(m, viewer.person.roles)
    ]


def _owns(handover: Handover, owner: HandoverOwner, viewer: Viewer) -> bool:
    member = viewer.person.member
    if owner is HandoverOwner.SECRETARIAT:
        return viewer.holds(Role.SECRETARIAT)
    if owner is HandoverOwner.OUTGOING_CHAIR:
        return viewer.holds(Role.CHAIR) and member == handover.outgoing
    return viewer.holds(Role.FOCAL_POINT) and member is not None and member == handover.incoming


def _handover_items(
    db: Database, handovers: list[Handover], viewer: Viewer, rulebook: Rulebook
) -> list[WorkItem]:
    items = []
    for handover in handovers:
        if handover.completed_at is not None:
            continue
        link = f"/web/year?handover={handover.year}"
        if handover.incoming is None and viewer.holds(Role.SECRETARIAT, Role.CHAIR):
            # only the governments the designation accepts
            candidates = incoming_candidates(db, handover, rulebook)
            members = [(m.id, m.name) for m in candidates]
            with db.reading() as session:
                plenary = registry_repo.get_plenary(session, handover.plenary_id)
            # the day the calendar's designation event asks it by, not the handover's
            due = None if plenary is None else designation_day(plenary.starts, rulebook)
            items.append(
                WorkItem(
                    due,
                    _("Name the incoming Chair for the %(year)s handover")
                    % {"year": handover.year},
                    _("the government that takes over"),
                    link,
                    (actions.designate_incoming(handover.year, members, "/web/my-work"),),
                    "handover",
                )
            )
        roles, member = viewer.person.roles, viewer.person.member
        for item in handover.items:
            if item.status is ItemStatus.COMPLETED or not _owns(handover, item.owner, viewer):
                continue
            if not may_complete(handover, item.key, roles, member):
                continue
            items.append(
                WorkItem(
                    item.due,
                    # a handover item's title is a rulebook label, as a milestone's
                    rulebook.label_text(item.title, current_language()),
                    _("Chair handover %(year)s") % {"year": handover.year},
                    link,
                    (actions.complete_handover_item(handover.year, item.key, "/web/my-work"),),
                    "handover",
                )
            )
    return items


def open_cycles(plenaries: list[Plenary], rulebook: Rulebook, today: date) -> list[int]:
    """Years whose reporting cycle has opened and whose plenary has not ended."""
    return sorted(
        p.year
        for p in plenaries
        if p.kind is PlenaryKind.ANNUAL and cycle_dates(p, rulebook).opens <= today <= p.ends
    )


# How long after its cycle's plenary a review still owed stays on the reviewer's My work.
REVIEWS_OWED_FOR = timedelta(days=366)


def _report_items(db: Database, viewer: Viewer, rulebook: Rulebook, today: date) -> list[WorkItem]:
    member_id = viewer.person.member
    if not viewer.holds(Role.FOCAL_POINT) or member_id is None:
        return []
    items = []
    with db.reading() as session:
        member = registry_repo.get_member(session, member_id)
        plenaries = {p.year: p for p in registry_repo.list_plenaries(session)}
        years = open_cycles(list(plenaries.values()), rulebook, today)
        reported = {y: report_repo.get_report(session, y, member_id) for y in years}
        # a review still owed is work after its cycle closed too (its form still takes it), for
        # a year after that cycle's plenary: overdue, it was missing from My work
        lately = {y for y, p in plenaries.items() if today - REVIEWS_OWED_FOR <= p.ends <= today}
        # a member that left owes no review (ARCHITECTURE.md, fifteenth session's edges)
        still_reviews = member is not None and not has_left(member.status)
        owed = [
            r
            for y in sorted({*years, *lately})
            for r in report_repo.reviews(session, y)
            if still_reviews and r.reviewer == member_id and r.submitted_at is None
        ]
        reported_by = registry_repo.member_names(session, {r.report_of for r in owed})
    if member is None:
        return []
    for year in sorted({*years, *(r.year for r in owed)}):
        dates = cycle_dates(plenaries[year], rulebook)
        owes = owes_report_for(member.status, member.pillar, member.joined, dates, rulebook)
        if year in reported and reported[year] is None and owes:
            kind = expected_kind(year, member.joined, rulebook)
            items.append(
                WorkItem(
                    dates.due,
                    _("Submit %(member)s's %(year)s report")
                    % {"member": member.name, "year": year},
                    _("report expected: %(kind)s") % {"kind": report_kind(kind)},
                    f"/web/reports?year={year}",
                    (actions.submit_report(year, member_id, kind.value, "/web/my-work"),),
                    "report",
                )
            )
        for review in (r for r in owed if r.year == year):
            items.append(
                WorkItem(
                    dates.review_due,
                    _("Review %(member)s's %(year)s report")
                    % {"member": reported_by.get(review.report_of, review.report_of), "year": year},
                    assignment_reason_in_reading(review.reason),
                    f"/web/reports?year={year}",
                    (actions.submit_review(year, review.report_of, member_id, "/web/my-work"),),
                    "review",
                )
            )
    return items


def my_work(db: Database, viewer: Viewer, rulebook: Rulebook, today: date) -> list[WorkItem]:
    with db.reading() as session:
        records = application_repo.records(session, None, None, None)
        milestones = milestone_repo.open_milestones(session)
        handovers = handover_repo.all_handovers(session)
    items = [
        *_application_items(records, viewer),
        *_milestone_items(milestones, viewer, rulebook),
        *_handover_items(db, handovers, viewer, rulebook),
        *_report_items(db, viewer, rulebook, today),
        *deferral_items(db, viewer, rulebook, today),
        *decision_items(db, viewer, today),
        *concern_items(db, viewer, rulebook),
        *funding_items(db, viewer, rulebook),
    ]
    return sorted(items, key=lambda i: i.sort_key)
