"""A member's status change is told to its focal points and the Secretariat's channel, in each
reader's language; a return to Engaged names the day its Engaged period ends (issue 19)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from governance.kernel.languages import Language
from governance.kernel.model import Member, MemberStatus, Pillar, StatusChange
from governance.kernel.notices import DIRECT
from governance.kernel.timekeeping import start_of_day
from governance.registry.changes import change_member_status
from governance.registry.member_status import ChangeMemberStatus
from governance.rulebook.model import NotificationKind, Rulebook
from govsched.i18n.messages import render

RULEBOOK = Rulebook()
TZ = RULEBOOK.initiative.timezone
NOW = datetime(2027, 6, 15, 14, tzinfo=UTC)


def _member(status: MemberStatus, *earlier: MemberStatus) -> Member:
    history = tuple(
        StatusChange(status=s, since=start_of_day(date(2025, 3, 1 + i), TZ), decision="admitted")
        for i, s in enumerate((*earlier, status))
    )
    return Member(
        id="gov-yssel",
        name="Government of Yssel",
        pillar=Pillar.GOVERNMENT,
        country="Yssel",
        joined=date(2025, 3, 1),
        status=status,
        status_history=history,
    )


def test_inactive_is_told_to_each_focal_point_and_the_secretariat() -> None:
    cmd = ChangeMemberStatus(
        member="gov-yssel",
        status=MemberStatus.INACTIVE,
        decision="Steering Committee, 10 June 2027",
        since=date(2027, 6, 12),
    )
    effects = change_member_status(
        cmd, NOW, _member(MemberStatus.FULL), RULEBOOK, ["fp-yssel-b", "fp-yssel-a"]
    )
    told = [(n.channel, n.recipients, n.kind, n.key) for n in effects.notices]
    assert told == [
        (
            DIRECT,
            ("fp-yssel-a",),
            NotificationKind.DECISION,
            "decision:member-status-gov-yssel:v2:fp-yssel-a",
        ),
        (
            DIRECT,
            ("fp-yssel-b",),
            NotificationKind.DECISION,
            "decision:member-status-gov-yssel:v2:fp-yssel-b",
        ),
        (
            "secretariat",
            (),
            NotificationKind.DECISION,
            "decision:member-status-gov-yssel:v2:secretariat",
        ),
    ]
    message = effects.notices[0].message
    assert message is not None
    assert effects.notices[0].text == (
        "Government of Yssel is now an inactive member from 12 June 2027 "
        "(decision: Steering Committee, 10 June 2027)."
    )
    assert render(message, Language.FR) == (
        "Government of Yssel est membre inactif à compter du 12 juin 2027 "
        "(décision : Steering Committee, 10 June 2027)."
    )


def test_a_return_to_engaged_names_the_end_of_the_engaged_period() -> None:
    cmd = ChangeMemberStatus(
        member="gov-yssel", status=MemberStatus.ENGAGED, decision="Plenary decision 7"
    )
    member = _member(MemberStatus.INACTIVE, MemberStatus.ENGAGED)
    effects = change_member_status(
        cmd, NOW, member, RULEBOOK, ["fp-yssel-a"], engaged_until=date(2028, 3, 31)
    )
    assert [n.key for n in effects.notices] == [
        "decision:member-status-gov-yssel:v3:fp-yssel-a",
        "decision:member-status-gov-yssel:v3:secretariat",
    ]
    message = effects.notices[0].message
    assert message is not None
    assert effects.notices[1].text == (
        "Government of Yssel is an Engaged member again from 15 June 2027 "
        "(decision: Plenary decision 7); its Engaged period ends on 31 March 2028."
    )
    assert render(message, Language.FR) == (
        "Government of Yssel redevient membre engagé à compter du 15 juin 2027 "
        "(décision : Plenary decision 7) ; sa période de membre engagé prend fin le "
        "31 mars 2028."
    )


def test_withdrawn_and_a_return_to_full_are_told_in_french() -> None:
    withdrawn = ChangeMemberStatus(
        member="gov-yssel", status=MemberStatus.WITHDRAWN, decision="letter of 1 June"
    )
    gone = change_member_status(withdrawn, NOW, _member(MemberStatus.FULL), RULEBOOK, ["fp-y"])
    back = ChangeMemberStatus(member="gov-yssel", status=MemberStatus.FULL, decision="SC")
    member = _member(MemberStatus.INACTIVE, MemberStatus.FULL)
    returned = change_member_status(back, NOW, member, RULEBOOK, ["fp-y"])
    said = [n.message for n in (gone.notices[0], returned.notices[0])]
    assert all(m is not None for m in said)
    assert [render(m, Language.FR) for m in said if m is not None] == [
        "Government of Yssel s'est retiré de l'Initiative à compter du 15 juin 2027 "
        "(décision : letter of 1 June).",
        "Government of Yssel redevient membre à part entière à compter du 15 juin 2027 "
        "(décision : SC).",
    ]


def test_a_presenter_that_stops_being_full_is_pointed_out_to_the_secretariat() -> None:
    """Found by a review: a withdrawn member stayed on the published roster as "Full since" and
    nobody was told. The Secretariat hears of it and how to draw a replacement; a member that
    presents nowhere, or that comes back to Full, adds nothing."""
    cmd = ChangeMemberStatus(
        member="gov-yssel", status=MemberStatus.WITHDRAWN, decision="letter of 10 June 2027"
    )
    effects = change_member_status(
        cmd, NOW, _member(MemberStatus.FULL), RULEBOOK, [], presents_in=2028
    )
    [roster] = [n for n in effects.notices if n.key.endswith(":vroster-2028:secretariat")]
    assert roster.text == (
        "Government of Yssel presents at the 2028 plenary's verification roster and is now no "
        "longer a Full member (withdrawn since 15 June 2027): while deferrals are open, asking "
        "and approving one for it draws a replacement; otherwise its slot stays and its outcome "
        "is recorded at the plenary."
    )
    quiet = change_member_status(cmd, NOW, _member(MemberStatus.FULL), RULEBOOK, [])
    assert not [n for n in quiet.notices if "roster" in n.key]
