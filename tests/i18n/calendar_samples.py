"""One of every calendar entry governance publishes, built by its own module (issue 20), for the
feed language tests: each module that writes calendar items adds them here."""

from __future__ import annotations

from datetime import date, timedelta

from governance.applications import effects as applications
from governance.applications import engaged_period as period
from governance.applications.engaged_effects import deadline_item
from governance.applications.model import ApplicationState
from governance.concerns import effects as concerns
from governance.concerns.model import ConcernState
from governance.concerns.rules import file_concern
from governance.kernel.calendar import CalendarItem
from governance.kernel.model import PlenaryKind
from governance.registry.changes import SchedulePlenary, schedule_plenary
from governance.reports.cycle import review_deadline
from governance.roster.effects import presentation_item
from governance.rulebook.model import Rulebook
from governance.year.handover import rules as handover_rules
from governance.year.handover.calendar import handover_events
from tests.i18n.notice_samples import AT, DATES

RULEBOOK = Rulebook()
DOMAIN = RULEBOOK.initiative.uid_domain


def plenary_items() -> list[CalendarItem]:
    """The plenaries (annual and extraordinary), their sessions, the Committee's meetings and
    the milestones, as scheduling a plenary publishes them."""
    from tests.governance.registry import test_registry_rules as cast

    items: list[CalendarItem] = []
    annual, extraordinary = (
        (PlenaryKind.ANNUAL, cast.NORLAND, 2027),
        (PlenaryKind.EXTRAORDINARY, None, 2028),
    )
    for kind, host, year in (annual, extraordinary):
        cmd = SchedulePlenary(
            year=year,
            starts=date(year, 5, 18),
            ends=date(year, 5, 21),
            location="Norland Harbour",
            kind=kind,
        )
        items += schedule_plenary(cmd, AT, frozenset(), host, cast.RULEBOOK).calendar
    return items


def handover_items() -> list[CalendarItem]:

    scheduled = schedule_plenary(
        SchedulePlenary(
            year=2027, starts=date(2027, 5, 18), ends=date(2027, 5, 21), location="Norland Harbour"
        ),
        AT,
        frozenset(),
        None,
        RULEBOOK,
    )
    assert scheduled.plenary is not None
    items: list[CalendarItem] = []
    for outgoing, incoming in (("gov-norland", None), ("gov-norland", "gov-estavia")):
        handover = handover_rules.plan_handover(scheduled.plenary, outgoing, RULEBOOK)
        assert handover is not None
        handover = handover.model_copy(update={"incoming": incoming})
        items += handover_events(
            handover, RULEBOOK, {"gov-norland": "Norland"}, plenary_starts=date(2027, 5, 18)
        )
    return items


def member_items() -> list[CalendarItem]:
    """Reviews, the roster, concerns, applications and the Engaged period."""
    from tests.governance.applications import application_cast as applied
    from tests.governance.applications import test_engaged_period as engaged
    from tests.governance.concerns import concern_cast as concerned
    from tests.governance.roster import test_roster_effects as rostered

    plan, published = rostered.PLAN, rostered._published()
    slot = published.document.slots[0]
    filed = file_concern(concerned.filing(), concerned.FILER, AT, concerned.RULES).record
    in_dialogue = filed.model_copy(
        update={"state": ConcernState.DIALOGUE, "dialogue_due": AT + timedelta(days=90)}
    )
    in_review = in_dialogue.model_copy(
        update={"state": ConcernState.REVIEW, "review_due": AT + timedelta(days=150)}
    )
    submitted = applied.admission()
    reviewing = applied.under_review()
    provisional = applied.provisionally_admitted()
    extended = period.extend(
        engaged.yssel(),
        engaged.NEW_DATE,
        engaged.NEW_DUE,
        engaged.EXTENDED_AT,
        "sc-ana",
        engaged.STEERING,
        "soon",
    )
    items = [
        review_deadline(DATES, "gov-norland", ["co-aurum", "ngo-watch"], RULEBOOK),
        presentation_item(plan, slot, "Company 0", DOMAIN),
        *concerns.calendar_items(None, filed, AT, concerned.RULES, concerned.PARTIES),
        *concerns.calendar_items(filed, in_dialogue, AT, concerned.RULES, concerned.PARTIES),
        *concerns.calendar_items(in_dialogue, in_review, AT, concerned.RULES, concerned.PARTIES),
        deadline_item(engaged.yssel(), DOMAIN),
        deadline_item(extended, DOMAIN),
    ]
    steps = [
        (submitted, reviewing),
        (reviewing, applied.in_no_objection_period()),
        (reviewing, provisional),
        (provisional, provisional.model_copy(update={"state": ApplicationState.ADMITTED})),
        (reviewing, reviewing.model_copy(update={"state": ApplicationState.ADMITTED})),
        (provisional, provisional.model_copy(update={"state": ApplicationState.REJECTED})),
    ]
    for before, after in steps:
        items += applications.calendar_changes(before, after, AT, applied.RULES)
    return items


def every_item() -> list[CalendarItem]:
    """One of each, the last version of each UID kept (as the store keeps them)."""
    latest = {i.uid: i for i in [*plenary_items(), *handover_items(), *member_items()]}
    return list(latest.values())
