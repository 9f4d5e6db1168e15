"""Funding-request work for My work: the step a request waits on, for whoever takes it.

The Secretariat checks a sent request is complete; a Steering Committee member who reviews it
recommends by the review's last day, unless they stand aside (`funding.stands_aside`); the
group's coordinators complete a returned request and report on the use of approved funds by the
report's due day. Only requests the person may see (`funding.may_see`) are read, and each item
carries the step's form for that request alone.

The completeness check has no deadline in the rulebook, so it is listed without one ("later"),
saying the day the request was sent; a returned request waits on the group, also without one.
"""

from __future__ import annotations

from datetime import date

from governance.groups import funding as funding_rules
from governance.groups.funding import FundingRequest, FundingState
from governance.groups.model import Group
from governance.kernel.model import Role, has_left
from governance.kernel.timekeeping import local_date
from governance.rulebook.model import Rulebook
from govsched.http.web import funding_forms as steps
from govsched.http.web.auth import Viewer
from govsched.http.web.forms import Form
from govsched.http.web.work_item import WorkItem
from govsched.i18n import formatting
from govsched.i18n.current import gettext as _
from govsched.persistence.db import Database
from govsched.persistence.repos import group_plans as plan_repo
from govsched.persistence.repos import groups as group_repo
from govsched.services.group_plans import asker

BACK = "/web/my-work"
KIND = "funding"


def _step(
    request: FundingRequest, group: Group, viewer: Viewer, rulebook: Rulebook
) -> tuple[str, date | None, str, Form] | None:
    """What `viewer` must do on the request now: the title, by when, a detail and the form."""
    person = viewer.person
    # a coordinator whose member left takes no step on the group's funds
    coordinator = group.acts_as_coordinator(person.id) and not has_left(viewer.actor.member_status)
    # a party to the group's requests stands aside from their review (the service refuses it)
    reviews = viewer.holds(Role.STEERING_COMMITTEE) and not funding_rules.stands_aside(
        group, person.id, person.member
    )
    fixed = steps.fixed(request.id)
    at = (group.id, request.year, fixed, BACK)
    match request.state:
        case FundingState.SUBMITTED if viewer.holds(Role.SECRETARIAT):
            sent = local_date(request.requested_at, rulebook.initiative.timezone)
            return (
                _("Check %(group)s's funding request %(request)s for completeness"),
                None,
                _("sent on %(day)s") % {"day": formatting.day(sent)},
                steps.check(f"funding-check-{request.id}", *at),
            )
        case FundingState.UNDER_REVIEW if reviews and person.id in request.silent_reviewers:
            return (
                _("Recommend on %(group)s's funding request %(request)s"),
                request.review_due_date,
                _("Steering Committee review"),
                steps.recommend(f"funding-recommend-{request.id}", *at),
            )
        case FundingState.RETURNED if coordinator:
            return (
                _("Complete %(group)s's returned funding request %(request)s"),
                None,
                _("Missing: %(missing)s") % {"missing": request.missing},
                steps.complete(f"funding-complete-{request.id}", *at),
            )
        case FundingState.APPROVED if coordinator:
            return (
                _("Report on the use of %(group)s's funds from request %(request)s"),
                request.report_due,
                _("approved; report on the use of funds due"),
                steps.report_use(f"funding-report-{request.id}", *at),
            )
        case _:
            return None


def funding_items(db: Database, viewer: Viewer, rulebook: Rulebook) -> list[WorkItem]:
    with db.reading() as session:
        groups = {g.id: g for g in group_repo.groups(session)}
        requests = [
            r
            for r in plan_repo.requests(session)
            if r.state not in funding_rules.FINAL
            and r.group_id in groups
            and funding_rules.may_see(
                asker(groups[r.group_id], viewer.person, viewer.actor.member_status)
            )
        ]
    items = []
    for request in requests:
        group = groups[request.group_id]
        step = _step(request, group, viewer, rulebook)
        if step is None:
            continue
        title, due, detail, form = step
        items.append(
            WorkItem(
                due,
                title % {"group": group.name, "request": request.id},
                detail,
                f"/web/groups/{group.id}/plans/{request.year}",
                (form,),
                KIND,
            )
        )
    return items
