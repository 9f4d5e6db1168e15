"""The registry's rules: which commands are refused, and what an accepted one causes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from governance.kernel.audit import SYSTEM_ACTOR
from governance.kernel.calendar import PUBLIC
from governance.kernel.errors import Conflict, InvalidInput, Problem
from governance.kernel.model import ChairTerm, MemberStatus, Pillar, PlenaryKind, Role
from governance.kernel.timekeeping import start_of_day
from governance.registry.changes import (
    AddMember,
    AddPerson,
    MemberFacts,
    SchedulePlenary,
    SetChair,
    add_member,
    add_person,
    audit_entry,
    schedule_plenary,
    set_chair,
)
from governance.rulebook.model import NotificationKind, Rulebook, load_rulebook

RULEBOOK = Rulebook()
TZ = "America/Toronto"
AT = datetime(2027, 1, 4, 14, 0, tzinfo=UTC)

NORLAND = MemberFacts("gov-norland", "Government of Norland", Pillar.GOVERNMENT, MemberStatus.FULL)
YSSEL = MemberFacts("gov-yssel", "Government of Yssel", Pillar.GOVERNMENT, MemberStatus.ENGAGED)
AURUM = MemberFacts("co-aurum-mining", "Aurum Mining", Pillar.COMPANY, MemberStatus.FULL)
OECD = MemberFacts("obs-oecd", "OECD", Pillar.OBSERVER, MemberStatus.FULL)


def term(member: str, starts: date, ends: date) -> ChairTerm:
    """A Chair term from one local midnight in Ottawa to another."""
    return ChairTerm(member=member, starts=start_of_day(starts, TZ), ends=start_of_day(ends, TZ))


def year_term(member: str, year: int) -> ChairTerm:
    return term(member, date(year, 3, 21), date(year + 1, 3, 21))


def chair(member: str, year: int) -> SetChair:
    return SetChair(member=member, starts=date(year, 3, 21), ends=date(year + 1, 3, 21))


def plenary_2027(**changes: object) -> SchedulePlenary:
    fields: dict[str, object] = {
        "year": 2027,
        "starts": date(2027, 5, 18),
        "ends": date(2027, 5, 21),
        "location": "Norland Harbour",
        "host": "gov-norland",
    }
    fields.update(changes)
    return SchedulePlenary.model_validate(fields)


def person(**changes: object) -> AddPerson:
    fields: dict[str, object] = {
        "id": "fp-norland",
        "name": "Lea Moreau",
        "email": "lea@norland.example",
        "member": "gov-norland",
        "roles": ["focal_point"],
    }
    fields.update(changes)
    return AddPerson.model_validate(fields)


# add_member


def test_a_member_id_already_taken_is_a_conflict() -> None:
    cmd = AddMember(id="gov-norland", name="Norland", pillar=Pillar.GOVERNMENT, country="Norland")
    with pytest.raises(Conflict) as caught:
        add_member(cmd, AT, True, RULEBOOK)
    assert caught.value.problems == [Problem("id", "already taken")]


def test_an_observer_is_never_recorded_as_engaged_and_nothing_is_recorded() -> None:
    cmd = AddMember(
        id="obs-dcaf",
        name="DCAF",
        pillar=Pillar.OBSERVER,
        country="Switzerland",
        status=MemberStatus.ENGAGED,
    )
    with pytest.raises(InvalidInput) as caught:
        add_member(cmd, AT, False, RULEBOOK)
    assert caught.value.problems == [
        Problem("status", "observers are recorded as full while active")
    ]
    full = add_member(cmd.model_copy(update={"status": MemberStatus.FULL}), AT, False, RULEBOOK)
    assert full.member is not None
    assert full.member.status is MemberStatus.FULL


def test_a_new_member_is_recorded_with_its_status_history() -> None:
    cmd = AddMember(
        id="ngo-civic-space",
        name="Civic Space Trust",
        pillar=Pillar.NGO,
        country="Norland",
        joined=date(2027, 1, 2),
        status=MemberStatus.ENGAGED,
        decision="admitted at the 2027 plenary",
    )
    effects = add_member(cmd, AT, False, RULEBOOK)
    assert effects.action == "member.added"
    assert (effects.item_kind, effects.item_id) == ("member", "ngo-civic-space")
    assert effects.summary == "Civic Space Trust recorded as an engaged member"
    member = effects.member
    assert member is not None
    assert member.joined == date(2027, 1, 2)
    assert [(c.status, c.since, c.decision) for c in member.status_history] == [
        (
            MemberStatus.ENGAGED,
            datetime(2027, 1, 2, 5, 0, tzinfo=UTC),
            "admitted at the 2027 plenary",
        )
    ]


def test_a_member_without_a_joining_date_joins_on_the_local_day_of_the_command() -> None:
    # 02:00 UTC on 1 January is still 31 December in Ottawa.
    at = datetime(2027, 1, 1, 2, 0, tzinfo=UTC)
    cmd = AddMember(
        id="co-ember-energy", name="Ember Energy", pillar=Pillar.COMPANY, country="Yssel"
    )
    effects = add_member(cmd, at, False, RULEBOOK)
    assert effects.member is not None
    assert effects.member.joined == date(2026, 12, 31)
    assert effects.summary == "Ember Energy recorded as a full member"


# add_person


def test_a_person_id_already_taken_is_a_conflict() -> None:
    with pytest.raises(Conflict) as caught:
        add_person(person(), True, False, NORLAND)
    assert caught.value.problems == [Problem("id", "already taken")]


def test_an_email_already_taken_is_a_conflict() -> None:
    with pytest.raises(Conflict) as caught:
        add_person(person(), False, True, NORLAND)
    assert caught.value.problems == [Problem("email", "already taken")]


def test_roles_held_for_a_member_need_a_member() -> None:
    cmd = person(member=None, roles=["steering_committee", "focal_point", "secretariat"])
    with pytest.raises(InvalidInput) as caught:
        add_person(cmd, False, False, None)
    assert caught.value.problems == [
        Problem("roles", "the role 'focal_point' is held for a member: give `member`"),
        Problem("roles", "the role 'steering_committee' is held for a member: give `member`"),
    ]


def test_a_secretariat_person_needs_no_member() -> None:
    cmd = person(id="sec-amina", member=None, roles=["secretariat"])
    effects = add_person(cmd, False, False, None)
    assert effects.person is not None
    assert effects.person.member is None
    assert effects.person.roles == frozenset({Role.SECRETARIAT})


def test_a_person_of_an_unknown_member_is_refused() -> None:
    cmd = person(member="gov-atlantis")
    with pytest.raises(InvalidInput) as caught:
        add_person(cmd, False, False, None)
    assert caught.value.problems == [Problem("member", "no member 'gov-atlantis'")]


def test_only_a_person_of_a_government_can_hold_the_chair_role() -> None:
    cmd = person(id="fp-aurum", member="co-aurum-mining", roles=["focal_point", "chair"])
    with pytest.raises(InvalidInput) as caught:
        add_person(cmd, False, False, AURUM)
    assert caught.value.problems == [
        Problem("roles", "only people of a government can act as Chair")
    ]


def test_a_person_of_an_observer_cannot_hold_the_steering_committee_role() -> None:
    cmd = person(id="obs-ann", member="obs-oecd", roles=["focal_point", "steering_committee"])
    with pytest.raises(InvalidInput) as caught:
        add_person(cmd, False, False, OECD)
    assert caught.value.problems == [
        Problem("roles", "observers do not sit on the Steering Committee: they never vote")
    ]


def test_a_person_of_a_government_can_hold_the_chair_role() -> None:
    effects = add_person(person(roles=["focal_point", "chair"]), False, False, NORLAND)
    assert effects.action == "person.added"
    assert effects.person is not None
    assert effects.person.roles == frozenset({Role.FOCAL_POINT, Role.CHAIR})
    assert effects.person.member == "gov-norland"


# schedule_plenary


def test_a_plenary_with_invalid_dates_and_an_unknown_host_lists_every_problem() -> None:
    cmd = plenary_2027(starts=date(2028, 5, 18), ends=date(2028, 5, 17), host="gov-atlantis")
    with pytest.raises(InvalidInput) as caught:
        schedule_plenary(cmd, AT, frozenset(), None, RULEBOOK)
    assert caught.value.problems == [
        Problem("ends", "the plenary ends before it starts"),
        Problem("starts", "the 2027 plenary must start in 2027"),
        Problem("host", "no member 'gov-atlantis'"),
    ]


def test_a_plenary_hosted_by_a_company_is_refused() -> None:
    cmd = plenary_2027(host="co-aurum-mining")
    with pytest.raises(InvalidInput) as caught:
        schedule_plenary(cmd, AT, frozenset(), AURUM, RULEBOOK)
    assert caught.value.problems == [Problem("host", "a plenary is hosted by a government")]


def test_a_one_day_plenary_is_accepted() -> None:
    cmd = plenary_2027(starts=date(2027, 5, 18), ends=date(2027, 5, 18), host=None)
    effects = schedule_plenary(cmd, AT, frozenset(), None, RULEBOOK)
    assert effects.summary == (
        "The VPI 2027 Annual Plenary will take place in Norland Harbour, on 18 May 2027."
    )


def test_a_second_annual_plenary_in_a_year_is_a_conflict() -> None:
    with pytest.raises(Conflict) as caught:
        schedule_plenary(plenary_2027(), AT, frozenset({"plenary-2027"}), NORLAND, RULEBOOK)
    assert caught.value.problems == [Problem("year", "already scheduled; move it instead")]


def test_extraordinary_plenaries_are_numbered_within_their_year() -> None:
    cmd = plenary_2027(kind="extraordinary")
    first = schedule_plenary(cmd, AT, frozenset({"plenary-2027"}), NORLAND, RULEBOOK)
    second = schedule_plenary(
        cmd, AT, frozenset({"plenary-2027", "plenary-2027-x1"}), NORLAND, RULEBOOK
    )
    assert first.item_id == "plenary-2027-x1"
    assert second.item_id == "plenary-2027-x2"
    assert second.plenary is not None
    assert second.plenary.kind is PlenaryKind.EXTRAORDINARY
    assert second.calendar[0].title == "VPI 2027 Extraordinary Plenary"
    assert second.calendar[0].uid == "plenary-2027-x2@vpi.govsched"


def test_a_scheduled_plenary_is_a_public_all_day_calendar_item() -> None:
    effects = schedule_plenary(plenary_2027(), AT, frozenset(), NORLAND, RULEBOOK)
    assert effects.action == "plenary.scheduled"
    assert effects.item_id == "plenary-2027"
    assert effects.plenary is not None
    assert effects.plenary.host == "gov-norland"
    item, *others = effects.calendar
    milestones = [m for m in others if m.kind == "milestone"]
    assert {m.kind for m in others} == {"milestone", "plenary_session", "committee_meeting"}
    assert len(milestones) == len(effects.milestones)
    assert item.uid == "plenary-2027@vpi.govsched"
    assert item.kind == "plenary"
    assert item.title == "VPI 2027 Annual Plenary"
    assert item.all_day
    assert (item.start_date, item.end_date) == (date(2027, 5, 18), date(2027, 5, 21))
    assert item.audiences == frozenset({PUBLIC})
    assert not item.confidential
    assert item.location == "Norland Harbour"
    assert item.description == (
        "The VPI 2027 Annual Plenary will take place in Norland Harbour, "
        "from 18 to 21 May 2027, hosted by Government of Norland."
    )


def test_a_scheduled_plenary_is_announced_to_all_members() -> None:
    effects = schedule_plenary(plenary_2027(), AT, frozenset(), NORLAND, RULEBOOK)
    (notice,) = effects.notices
    assert notice.key == "announcement:plenary-2027:v1:all_members"
    assert notice.kind is NotificationKind.ANNOUNCEMENT
    assert notice.channel == "all_members"
    assert notice.item == "plenary-2027"
    assert notice.issued_at == AT
    assert notice.text == effects.summary
    assert effects.scheduled == ()


def test_the_plenary_label_and_uid_domain_come_from_the_rulebook() -> None:
    rulebook = load_rulebook(
        {"initiative": {"uid_domain": "example.org", "labels": {"plenary": "Plenary Meeting"}}}
    )
    effects = schedule_plenary(plenary_2027(), AT, frozenset(), NORLAND, rulebook)
    assert effects.calendar[0].uid == "plenary-2027@example.org"
    assert effects.calendar[0].title == "VPI 2027 Plenary Meeting"


# set_chair: refusals


def test_a_chair_that_is_not_a_member_is_refused() -> None:
    with pytest.raises(InvalidInput) as caught:
        set_chair(chair("gov-atlantis", 2027), AT, None, [], RULEBOOK)
    assert caught.value.problems == [Problem("member", "no member 'gov-atlantis'")]


def test_the_chair_must_be_a_government() -> None:
    with pytest.raises(InvalidInput) as caught:
        set_chair(chair("co-aurum-mining", 2027), AT, AURUM, [], RULEBOOK)
    assert caught.value.problems == [Problem("member", "the Chair is a government")]


def test_the_chair_must_be_a_full_member() -> None:
    with pytest.raises(InvalidInput) as caught:
        set_chair(chair("gov-yssel", 2027), AT, YSSEL, [], RULEBOOK)
    assert caught.value.problems == [Problem("member", "the Chair must be a full member (engaged)")]


def test_a_term_that_ends_before_it_starts_is_refused_with_every_problem() -> None:
    cmd = SetChair(member="gov-yssel", starts=date(2027, 3, 21), ends=date(2027, 3, 20))
    with pytest.raises(InvalidInput) as caught:
        set_chair(cmd, AT, YSSEL, [], RULEBOOK)
    assert caught.value.problems == [
        Problem("member", "the Chair must be a full member (engaged)"),
        Problem("ends", "the term ends before it starts"),
    ]


def test_a_term_that_ends_when_it_starts_is_refused() -> None:
    cmd = SetChair(member="gov-norland", starts=date(2027, 3, 21), ends=date(2027, 3, 21))
    with pytest.raises(InvalidInput) as caught:
        set_chair(cmd, AT, NORLAND, [], RULEBOOK)
    assert [p.path for p in caught.value.problems] == ["ends"]


def test_a_term_overlapping_another_chair_term_is_a_conflict() -> None:
    terms = [year_term("gov-estavia", 2027)]
    cmd = SetChair(member="gov-norland", starts=date(2028, 1, 1), ends=date(2029, 1, 1))
    with pytest.raises(Conflict) as caught:
        set_chair(cmd, AT, NORLAND, terms, RULEBOOK)
    assert caught.value.problems == [
        Problem("starts", "gov-estavia is Chair until 21 March 2028"),
    ]


def test_a_term_inside_another_chair_term_is_a_conflict() -> None:
    terms = [year_term("gov-estavia", 2027)]
    cmd = SetChair(member="gov-norland", starts=date(2027, 6, 1), ends=date(2027, 7, 1))
    with pytest.raises(Conflict):
        set_chair(cmd, AT, NORLAND, terms, RULEBOOK)


def test_a_term_starting_when_the_previous_one_ends_is_accepted() -> None:
    terms = [year_term("gov-estavia", 2026)]
    effects = set_chair(chair("gov-norland", 2027), AT, NORLAND, terms, RULEBOOK)
    assert effects.chair_term == year_term("gov-norland", 2027)


# set_chair: consecutive terms


def test_two_back_to_back_terms_of_one_government_are_allowed() -> None:
    terms = [year_term("gov-norland", 2026)]
    effects = set_chair(chair("gov-norland", 2027), AT, NORLAND, terms, RULEBOOK)
    assert effects.action == "chair_term.recorded"


def test_a_third_back_to_back_term_is_refused() -> None:
    terms = [year_term("gov-norland", 2025), year_term("gov-norland", 2026)]
    with pytest.raises(Conflict) as caught:
        set_chair(chair("gov-norland", 2027), AT, NORLAND, terms, RULEBOOK)
    assert caught.value.problems == [Problem("member", "at most 2 consecutive terms are allowed")]


def test_a_term_after_a_break_starts_a_new_run_of_terms() -> None:
    terms = [year_term("gov-norland", 2024), year_term("gov-norland", 2025)]
    terms.append(year_term("gov-estavia", 2026))
    effects = set_chair(chair("gov-norland", 2027), AT, NORLAND, terms, RULEBOOK)
    assert effects.chair_term == year_term("gov-norland", 2027)


def test_terms_of_other_governments_do_not_count_towards_the_limit() -> None:
    terms = [year_term("gov-estavia", 2025), year_term("gov-estavia", 2026)]
    effects = set_chair(chair("gov-norland", 2027), AT, NORLAND, terms, RULEBOOK)
    assert effects.chair_term is not None


def test_with_a_limit_of_one_term_a_second_back_to_back_term_is_refused() -> None:
    rulebook = load_rulebook({"chair": {"max_consecutive_terms": 1}})
    terms = [year_term("gov-norland", 2026)]
    with pytest.raises(Conflict) as caught:
        set_chair(chair("gov-norland", 2027), AT, NORLAND, terms, rulebook)
    assert caught.value.problems == [Problem("member", "at most 1 consecutive terms are allowed")]


def test_with_a_limit_of_one_term_a_term_after_a_break_is_allowed() -> None:
    rulebook = load_rulebook({"chair": {"max_consecutive_terms": 1}})
    terms = [year_term("gov-norland", 2025), year_term("gov-estavia", 2026)]
    effects = set_chair(chair("gov-norland", 2027), AT, NORLAND, terms, rulebook)
    assert effects.chair_term is not None


def test_a_term_recorded_before_two_back_to_back_terms_is_refused() -> None:
    terms = [year_term("gov-norland", 2027), year_term("gov-norland", 2028)]
    with pytest.raises(Conflict) as caught:
        set_chair(chair("gov-norland", 2026), AT, NORLAND, terms, RULEBOOK)
    assert caught.value.problems == [Problem("member", "at most 2 consecutive terms are allowed")]


def test_a_term_filling_the_gap_between_two_terms_is_refused() -> None:
    terms = [year_term("gov-norland", 2026), year_term("gov-norland", 2028)]
    with pytest.raises(Conflict) as caught:
        set_chair(chair("gov-norland", 2027), AT, NORLAND, terms, RULEBOOK)
    assert caught.value.problems == [Problem("member", "at most 2 consecutive terms are allowed")]


def test_terms_recorded_plenary_day_to_plenary_day_count_as_consecutive_across_their_gaps() -> None:
    # each term recorded from one plenary's day to the day before the next: a day apart
    terms = [
        term("gov-norland", date(2025, 5, 23), date(2026, 5, 21)),
        term("gov-norland", date(2026, 5, 22), date(2027, 3, 18)),
    ]
    with pytest.raises(Conflict) as caught:
        set_chair(
            SetChair(member="gov-norland", starts=date(2027, 3, 19), ends=date(2028, 3, 17)),
            AT,
            NORLAND,
            terms,
            RULEBOOK,
        )
    assert caught.value.problems == [Problem("member", "at most 2 consecutive terms are allowed")]


def test_a_term_after_another_chair_or_a_year_without_any_is_not_consecutive() -> None:
    other_between = [
        term("gov-norland", date(2025, 5, 23), date(2026, 5, 21)),
        term("gov-estavia", date(2026, 6, 1), date(2026, 12, 1)),
        term("gov-norland", date(2026, 12, 2), date(2027, 3, 18)),
    ]
    next_term = SetChair(member="gov-norland", starts=date(2027, 3, 19), ends=date(2028, 3, 17))
    assert set_chair(next_term, AT, NORLAND, other_between, RULEBOOK).chair_term is not None
    a_year_apart = [
        term("gov-norland", date(2024, 3, 21), date(2025, 3, 21)),
        term("gov-norland", date(2026, 3, 21), date(2027, 3, 18)),
    ]
    assert set_chair(next_term, AT, NORLAND, a_year_apart, RULEBOOK).chair_term is not None


# set_chair: effects


def test_a_term_starting_later_schedules_its_handover_notice_at_the_term_start() -> None:
    effects = set_chair(chair("gov-norland", 2027), AT, NORLAND, [], RULEBOOK)
    assert effects.item_id == "chair-gov-norland-2027-03-21"
    assert effects.summary == (
        "Government of Norland recorded as Government Chair from 21 March 2027 to 21 March 2028"
    )
    assert effects.notices == ()
    (scheduled,) = effects.scheduled
    starts = datetime(2027, 3, 21, 4, 0, tzinfo=UTC)
    assert scheduled.due == starts
    notice = scheduled.notification
    assert notice.key == "handover:chair-gov-norland-2027-03-21:v1:all_members"
    assert notice.kind is NotificationKind.HANDOVER
    assert notice.channel == "all_members"
    assert notice.issued_at == starts
    assert notice.text == "Government of Norland is now the Government Chair, until 21 March 2028."
    assert scheduled.audit.key == "chair_term.began:chair-gov-norland-2027-03-21"
    assert scheduled.audit.at == starts
    assert scheduled.audit.actor == SYSTEM_ACTOR
    assert scheduled.audit.action == "chair_term.began"
    assert scheduled.audit.reason == notice.text


def test_a_term_that_already_started_schedules_no_notice() -> None:
    effects = set_chair(chair("gov-norland", 2026), AT, NORLAND, [], RULEBOOK)
    assert effects.chair_term == year_term("gov-norland", 2026)
    assert effects.scheduled == ()


def test_a_term_starting_at_the_instant_of_the_command_schedules_no_notice() -> None:
    cmd = SetChair(member="gov-norland", starts=AT, ends=AT + timedelta(days=365))
    effects = set_chair(cmd, AT, NORLAND, [], RULEBOOK)
    assert effects.scheduled == ()


def test_bare_dates_are_local_midnights_in_ottawa_across_daylight_saving_time() -> None:
    # 14 March 2027 and 7 November 2027 are the days the clocks change in Ottawa.
    cmd = SetChair(member="gov-norland", starts=date(2027, 3, 14), ends=date(2027, 11, 7))
    effects = set_chair(cmd, AT, NORLAND, [], RULEBOOK)
    assert effects.chair_term is not None
    assert effects.chair_term.starts == datetime(2027, 3, 14, 5, 0, tzinfo=UTC)  # EST, UTC-5
    assert effects.chair_term.ends == datetime(2027, 11, 7, 4, 0, tzinfo=UTC)  # EDT, UTC-4


def test_an_aware_time_is_kept_as_the_same_instant() -> None:
    geneva = timezone(timedelta(hours=1))
    cmd = SetChair(
        member="gov-norland",
        starts=datetime(2027, 3, 21, 12, 0, tzinfo=geneva),
        ends=date(2028, 3, 21),
    )
    effects = set_chair(cmd, AT, NORLAND, [], RULEBOOK)
    assert effects.chair_term is not None
    assert effects.chair_term.starts == datetime(2027, 3, 21, 11, 0, tzinfo=UTC)
    assert effects.chair_term.starts.utcoffset() == timedelta(0)


def test_the_chair_label_comes_from_the_rulebook() -> None:
    rulebook = load_rulebook({"initiative": {"labels": {"chair": "Chair"}}})
    effects = set_chair(chair("gov-norland", 2027), AT, NORLAND, [], rulebook)
    assert effects.scheduled[0].notification.text.startswith(
        "Government of Norland is now the Chair"
    )


# audit_entry


def test_the_audit_entry_of_a_command_is_keyed_by_the_command_and_its_action() -> None:
    effects = schedule_plenary(plenary_2027(), AT, frozenset(), NORLAND, RULEBOOK)
    entry = audit_entry(effects, "change-42", AT, "sec-amina", "agreed at the SC call")
    assert entry.key == "change-42:plenary.scheduled"
    assert entry.at == AT
    assert entry.actor == "sec-amina"
    assert entry.action == "plenary.scheduled"
    assert (entry.item_kind, entry.item_id) == ("plenary", "plenary-2027")
    assert entry.reason == "agreed at the SC call"
    assert entry.data == {"summary": effects.summary}


def test_the_same_command_key_gives_the_same_audit_entry() -> None:
    effects = set_chair(chair("gov-norland", 2027), AT, NORLAND, [], RULEBOOK)
    first = audit_entry(effects, "k1", AT, "sec-amina", "")
    again = audit_entry(effects, "k1", AT, "sec-amina", "")
    assert first == again
    assert first.key == "k1:chair_term.recorded"
