"""A member's status changed by a recorded decision: the history only grows, forward in time;
Withdrawn and Expelled are final; Engaged and Full come from the application process, except
an Inactive member's return to the status it held before."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from governance.kernel.errors import Conflict, GovernanceError, InvalidInput, NotFound
from governance.kernel.model import ACTIVE_STATUSES, Member, MemberStatus, Pillar, StatusChange
from governance.kernel.timekeeping import local_date, start_of_day
from governance.registry.changes import change_member_status
from governance.registry.member_status import FINAL, STAYS, ChangeMemberStatus
from governance.rulebook.model import Rulebook

RULEBOOK = Rulebook()
TZ = RULEBOOK.initiative.timezone
NOW = datetime(2027, 6, 15, 10, tzinfo=UTC)
TODAY = local_date(NOW, TZ)


def _member(*history: tuple[MemberStatus, date]) -> Member:
    changes = tuple(
        StatusChange(status=s, since=start_of_day(d, TZ), decision=f"decided {d}")
        for s, d in history
    )
    return Member(
        id="co-test",
        name="Test Mining",
        pillar=Pillar.COMPANY,
        country="Norland",
        joined=history[0][1],
        status=history[-1][0],
        status_history=changes,
    )


def _apply(member: Member, cmd: ChangeMemberStatus) -> Member:
    effects = change_member_status(cmd, NOW, member, RULEBOOK)
    assert effects.status_change is not None
    return member.model_copy(
        update={
            "status": effects.status_change.status,
            "status_history": (*member.status_history, effects.status_change),
        }
    )


days_ago = st.integers(min_value=-3, max_value=4000)
hostile_decision = st.one_of(
    st.text(max_size=320), st.sampled_from(["", " ", "x\x00y", "<b>expelled</b>", "\u202eok"])
)
requests = st.lists(
    st.tuples(st.sampled_from(list(MemberStatus)), st.none() | days_ago, hostile_decision),
    max_size=6,
)


@given(st.sampled_from(sorted(ACTIVE_STATUSES)), requests)
def test_the_history_only_grows_forward_and_final_statuses_stay(
    start: MemberStatus, asked: list[tuple[MemberStatus, int | None, str]]
) -> None:
    member = _member((start, date(2015, 3, 1)))
    for status, ago, decision in asked:
        before = member
        try:
            cmd = ChangeMemberStatus(
                member=member.id,
                status=status,
                decision=decision,
                since=None if ago is None else TODAY - timedelta(days=ago),
            )
            member = _apply(member, cmd)
        except (GovernanceError, ValueError):
            assert member == before  # a refusal changes nothing
            continue
        assert before.status not in FINAL
        assert member.status is status is not before.status
        assert status not in ACTIVE_STATUSES or before.status is MemberStatus.INACTIVE
        sinces = [c.since for c in member.status_history]
        assert sinces == sorted(sinces)
        assert local_date(sinces[-1], TZ) <= TODAY
        assert member.status_history[: len(before.status_history)] == before.status_history


def test_an_inactive_member_returns_to_what_it_was_and_nothing_else() -> None:
    member = _member((MemberStatus.ENGAGED, date(2020, 1, 1)), (MemberStatus.INACTIVE, TODAY))
    with pytest.raises(InvalidInput) as refused:
        _apply(member, ChangeMemberStatus(member=member.id, status="full", decision="d"))
    assert refused.value.problems[0].reason == "an inactive member returns to engaged"
    back = _apply(member, ChangeMemberStatus(member=member.id, status="engaged", decision="d"))
    assert back.status is MemberStatus.ENGAGED


@pytest.mark.parametrize(
    ("member", "cmd", "error", "field"),
    [
        (
            None,
            ChangeMemberStatus(member="co-x", status="inactive", decision="d"),
            NotFound,
            "member",
        ),
        (
            _member(
                (MemberStatus.FULL, date(2020, 1, 1)), (MemberStatus.EXPELLED, date(2026, 1, 1))
            ),
            ChangeMemberStatus(member="co-test", status="inactive", decision="d"),
            Conflict,
            "status",
        ),
        (
            _member((MemberStatus.FULL, date(2020, 1, 1))),
            ChangeMemberStatus(member="co-test", status="engaged", decision="d"),
            InvalidInput,
            "status",
        ),
        (
            _member((MemberStatus.FULL, date(2020, 1, 1))),
            ChangeMemberStatus(
                member="co-test", status="withdrawn", decision="d", since=date(2019, 12, 31)
            ),
            InvalidInput,
            "since",
        ),
    ],
)
def test_each_refusal_names_its_field(
    member: Member | None, cmd: ChangeMemberStatus, error: type[GovernanceError], field: str | None
) -> None:
    with pytest.raises(error) as refused:
        change_member_status(cmd, NOW, member, RULEBOOK)
    assert [p.path for p in refused.value.problems][:1] == ([field] if field else [])


def test_a_change_dated_before_the_last_names_that_day_in_words() -> None:
    member = _member((MemberStatus.FULL, date(2020, 1, 1)))
    cmd = ChangeMemberStatus(
        member="co-test", status="withdrawn", decision="d", since=date(2019, 12, 31)
    )
    with pytest.raises(InvalidInput) as refused:
        change_member_status(cmd, NOW, member, RULEBOOK)
    assert refused.value.problems[0].reason == "before the last change, on 1 January 2020"


@pytest.mark.parametrize(
    ("final", "reason"),
    [
        (MemberStatus.WITHDRAWN, "a withdrawn member's status does not change"),
        (MemberStatus.EXPELLED, "an expelled member's status does not change"),
    ],
)
def test_a_final_status_is_refused_in_english_whose_article_agrees(
    final: MemberStatus, reason: str
) -> None:
    """Found by review: "a expelled member's status does not change"."""
    member = _member((MemberStatus.FULL, date(2020, 1, 1)), (final, date(2026, 1, 1)))
    with pytest.raises(Conflict) as refused:
        _apply(member, ChangeMemberStatus(member=member.id, status="inactive", decision="d"))
    assert [(p.path, p.reason) for p in refused.value.problems] == [("status", reason)]


def test_every_final_status_has_its_sentence() -> None:
    assert set(STAYS) == FINAL
