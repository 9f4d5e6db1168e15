"""What the roster process tells whom: everyone the seed and the roster, each presenter
directly, a deferral only to the two members whose slot moved."""

from __future__ import annotations

from datetime import UTC, date, datetime

from governance.kernel.calendar import PUBLIC, EventStatus, member_audience, pillar_audience
from governance.kernel.model import MemberStatus, Pillar
from governance.roster.contracts import DeferralRequest, Presenter, PublishedRoster, RosterPlan
from governance.roster.document import defer, publish
from governance.roster.effects import (
    deferral_notices,
    outcomes_reminder,
    presentation_item,
    publication_notices,
    refusal_notice,
    request_notice,
    seed_notice,
)
from governance.roster.rule import RosterMember, RosterRules, StatusMark
from governance.rulebook.model import Rulebook

SCHEDULED = datetime(2027, 1, 5, 15, tzinfo=UTC)
DRAWN = datetime(2027, 2, 17, 5, tzinfo=UTC)
PLAN = RosterPlan(
    plenary_id="plenary-2027",
    year=2027,
    seed="abc123",
    draw_on=date(2027, 2, 17),
    call_at=DRAWN,
    deferral_closes=datetime(2027, 3, 11, 5, tzinfo=UTC),
    deferral_last_day=date(2027, 3, 10),
    plenary_starts=date(2027, 5, 18),
    plenary_ends=date(2027, 5, 21),
    plenary_begins_at=datetime(2027, 5, 18, 4, tzinfo=UTC),
    outcomes_due_at=datetime(2027, 5, 22, 4, tzinfo=UTC),
)
MEMBERS = tuple(
    RosterMember(
        id=f"co-{k}",
        pillar=Pillar.COMPANY,
        history=(StatusMark(status=MemberStatus.FULL, since=date(2010 + k, 5, 1)),),
    )
    for k in range(6)
)


def _published() -> PublishedRoster:
    document = publish(
        2027, "plenary-2027", "abc123", PLAN.draw_on, DRAWN, MEMBERS, (), RosterRules.of(Rulebook())
    )
    return PublishedRoster(
        document=document,
        presenters={
            m.id: Presenter(member=m.id, name=f"Company {m.id[-1]}", focal_points=(f"fp-{m.id}",))
            for m in MEMBERS
        },
    )


def test_the_seed_is_announced_to_everyone_before_the_draw() -> None:
    notice = seed_notice(PLAN, SCHEDULED)
    assert (notice.channel, notice.issued_at) == ("all_members", SCHEDULED)
    assert notice.text == (
        "The 2027 verification roster will be drawn on 17 February 2027 by the published rule, "
        "with the seed abc123 for ties."
    )


def test_publication_tells_everyone_and_each_presenter_why() -> None:
    published = _published()
    notices = publication_notices(PLAN, published)
    assert [n.key for n in notices] == [
        "roster:roster-2027:v1:all_members",
        "roster:roster-2027:vslot-co-0:fp-co-0",
        "roster:roster-2027:vslot-co-1:fp-co-1",
    ]
    assert "(2 presenters): Company 0, Company 1." in notices[0].text
    assert notices[1].text == (
        "Company 0 presents at the 2027 plenary (from 18 to 21 May 2027); why: never presented "
        "(Full since 2010). A deferral may be asked until 10 March 2027."
    )


def test_a_deferral_is_told_only_to_the_two_members_whose_slot_moved() -> None:
    published = _published()
    moved_at = datetime(2027, 2, 22, 15, tzinfo=UTC)
    document, added = defer(published.document, "co-0", "Audit", "fp-co-0", "chair", moved_at)
    after = published.model_copy(update={"document": document})
    vacated = published.document.slots[0]
    notices = deferral_notices(PLAN, after.presenters, vacated, added, moved_at)
    assert [n.recipients for n in notices] == [("fp-co-0",), ("fp-co-2",)]
    assert notices[0].text == (
        "The 2027 verification presentation of Company 0 is deferred. Before: presenting at the "
        "2027 plenary. Now: first in line for 2028."
    )
    assert notices[1].text.startswith(
        "Company 2 now presents at the 2027 plenary (from 18 to 21 May 2027), replacing "
        "Company 0. Before: not presenting in 2027. Now: presenting; why: replaces co-0: "
    )


def test_requests_refusals_and_unrecorded_outcomes_reach_the_right_people() -> None:
    request = DeferralRequest(
        member="co-1", reason="Audit late.", requested_by="fp-co-1", requested_at=DRAWN
    )
    asked = request_notice(PLAN, request, "Company 1")
    assert asked.channel == "secretariat"
    assert "Company 1 asks to defer its 2027 verification presentation: Audit late." in asked.text
    refused = refusal_notice(PLAN, request, "Company 1", DRAWN)
    assert refused.recipients == ("fp-co-1",)
    reminder = outcomes_reminder(PLAN, ["Company 0", "Company 1"], PLAN.outcomes_due_at or DRAWN)
    assert (reminder.channel, reminder.issued_at) == ("secretariat", PLAN.outcomes_due_at)
    assert "of: Company 0, Company 1." in reminder.text


def test_a_presentation_is_on_the_member_and_secretariat_calendars_not_the_public_one() -> None:
    slot = _published().document.slots[0]
    item = presentation_item(PLAN, slot, "Company 0", "vpi.govsched")
    assert item.uid == "roster-2027-co-0@vpi.govsched"
    assert (item.start_date, item.end_date) == (PLAN.plenary_starts, PLAN.plenary_ends)
    assert member_audience("co-0") in item.audiences
    # the company pillar's feed shows what its members are asked to present
    assert pillar_audience(Pillar.COMPANY) in item.audiences
    assert PUBLIC not in item.audiences
    assert item.status is EventStatus.CONFIRMED
    cancelled = presentation_item(PLAN, slot, "Company 0", "vpi.govsched", cancelled=True)
    assert (cancelled.uid, cancelled.status) == (item.uid, EventStatus.CANCELLED)


def test_a_roster_of_thousands_is_announced_within_a_message() -> None:
    """Found by the 2,000-member cycle benchmark: the publication named every presenter."""
    members = tuple(
        RosterMember(
            id=f"co-{k}",
            pillar=Pillar.COMPANY,
            history=(StatusMark(status=MemberStatus.FULL, since=date(2010, 5, 1)),),
        )
        for k in range(3_000)
    )
    document = publish(
        2027, "plenary-2027", "abc123", PLAN.draw_on, DRAWN, members, (), RosterRules.of(Rulebook())
    )
    presenters = {
        m.id: Presenter(member=m.id, name=f"Company {m.id}", focal_points=(f"fp-{m.id}",))
        for m in members
    }
    published = PublishedRoster(document=document, presenters=presenters)
    everyone = publication_notices(PLAN, published)[0]
    assert len(document.slots) > 100
    assert f"({len(document.slots)} presenters)" in everyone.text
    assert f"and {len(document.slots) - 40} more." in everyone.text
    missing = [presenters[s.member].name for s in document.slots]
    assert "more" in outcomes_reminder(PLAN, missing, DRAWN).text
