"""The Chair's calendar carries the handover and its checklist; pillars carry members' tasks."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from governance.kernel.calendar import (
    PUBLIC,
    member_audience,
    pillar_audience,
    role_audience,
)
from governance.kernel.model import Pillar, Plenary, Role
from governance.rulebook.model import Rulebook, load_rulebook
from governance.year.handover.calendar import handover_events
from governance.year.handover.rules import plan_handover
from governance.year.milestones import calendar_item, plan

RULEBOOK = Rulebook()
AT = datetime(2026, 11, 1, tzinfo=UTC)
PLENARY = Plenary(
    id="plenary-2027",
    year=2027,
    starts=date(2027, 3, 16),
    ends=date(2027, 3, 19),
    location="Norland Harbour",
)
CHAIR = role_audience(Role.CHAIR)
SECRETARIAT = role_audience(Role.SECRETARIAT)
NAMES = {"gov-norland": "Government of Norland", "gov-estavia": "Government of Estavia"}


def test_the_handover_and_every_checklist_item_are_in_the_chairs_calendar() -> None:
    handover = plan_handover(PLENARY, "gov-norland", RULEBOOK, AT)
    assert handover is not None
    events = handover_events(handover, RULEBOOK, NAMES, PLENARY.starts)
    by_uid = {e.uid: e for e in events}
    keys = [i.key.replace("_", "-") for i in RULEBOOK.chair.handover_items]
    assert set(by_uid) == {
        "handover-2027@vpi.govsched",
        "handover-2027-designation@vpi.govsched",
        *(f"handover-2027-{k}@vpi.govsched" for k in keys),
    }
    assert all(CHAIR in e.audiences and SECRETARIAT in e.audiences for e in events)
    assert not any(PUBLIC in e.audiences or e.confidential for e in events)
    day = by_uid["handover-2027@vpi.govsched"]
    assert (day.start_date, day.kind) == (date(2027, 3, 19), "chair_handover")
    assert day.description == (
        "The Government Chair passes at the end of the plenary on 19 March 2027. "
        "Outgoing: Government of Norland; incoming: not yet named."
    )
    briefing = by_uid["handover-2027-briefing-pack@vpi.govsched"]
    assert briefing.start_date == PLENARY.starts - timedelta(days=30)
    assert briefing.title == "Handover 2027: Briefing pack for the incoming Chair"
    assert briefing.description == "Due on 14 February 2027; owner: the outgoing Government Chair."
    named_by = by_uid["handover-2027-designation@vpi.govsched"]
    assert named_by.start_date == PLENARY.starts - timedelta(days=60)


def test_naming_the_incoming_chair_reaches_its_focal_points_under_the_same_uids() -> None:
    planned = plan_handover(PLENARY, "gov-norland", RULEBOOK, AT)
    assert planned is not None
    named = planned.model_copy(update={"incoming": "gov-estavia"})
    before = {e.uid: e for e in handover_events(planned, RULEBOOK, NAMES, PLENARY.starts)}
    after = {e.uid: e for e in handover_events(named, RULEBOOK, NAMES, PLENARY.starts)}
    assert set(before) == set(after)
    assert member_audience("gov-estavia") in after["handover-2027@vpi.govsched"].audiences
    assert "incoming: Government of Estavia." in after["handover-2027@vpi.govsched"].description
    assert after["handover-2027-designation@vpi.govsched"].description.endswith("Done.")


def test_annual_reports_due_is_in_every_reporting_pillars_feed() -> None:
    milestones = plan(PLENARY, RULEBOOK, AT)
    reports = next(m for m in milestones if m.key == "annual_reports_due")
    item = calendar_item(reports, RULEBOOK)
    voting = {pillar_audience(p) for p in (Pillar.GOVERNMENT, Pillar.COMPANY, Pillar.NGO)}
    assert voting <= item.audiences
    assert pillar_audience(Pillar.OBSERVER) not in item.audiences
    observers_too = load_rulebook({"reporting": {"observers_report": True}})
    assert pillar_audience(Pillar.OBSERVER) in calendar_item(reports, observers_too).audiences
    others = [m for m in milestones if m.key != "annual_reports_due"]
    assert not any(
        a.startswith("pillar:") for m in others for a in calendar_item(m, RULEBOOK).audiences
    )
