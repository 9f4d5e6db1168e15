"""The rulebook: the VPI defaults, overrides merged onto them, and every way it is refused."""

from __future__ import annotations

from typing import Any

import pytest

from governance.kernel.errors import Problem, RulebookInvalid
from governance.kernel.model import Pillar, Role
from governance.rulebook.checks import semantic_problems
from governance.rulebook.model import (
    DEFAULT_MILESTONES,
    MonthDay,
    NotificationKind,
    Rulebook,
    load_rulebook,
    merge_overrides,
)


def refusal(overrides: dict[str, Any], base: str = "vpi") -> list[Problem]:
    """The problems `load_rulebook` lists for `overrides` (it must refuse them)."""
    with pytest.raises(RulebookInvalid) as caught:
        load_rulebook(overrides, base=base)
    assert caught.value.problems, "a refusal must list its problems"
    return caught.value.problems


def reasons_at(problems: list[Problem], path: str) -> list[str]:
    return [p.reason for p in problems if p.path == path]


def default_milestones() -> list[dict[str, Any]]:
    return [m.model_dump(mode="json") for m in DEFAULT_MILESTONES]


# The VPI defaults


def test_the_vpi_rulebook_has_no_semantic_problems() -> None:
    assert semantic_problems(Rulebook()) == []


def test_loading_no_overrides_gives_the_vpi_rulebook() -> None:
    assert load_rulebook({}) == Rulebook()


def test_the_vpi_rulebook_keeps_its_deadlines_in_ottawa() -> None:
    rulebook = Rulebook()
    assert rulebook.initiative.timezone == "America/Toronto"
    assert rulebook.chair.max_consecutive_terms == 2
    assert rulebook.reporting.due_days_before_plenary == 45


# Merging overrides


def test_an_override_of_one_field_keeps_the_rest_of_its_table() -> None:
    rulebook = load_rulebook({"applications": {"no_objection_days": 21}})
    assert rulebook.applications.no_objection_days == 21
    assert rulebook.applications.review_days == 42
    assert rulebook.applications.windows == [MonthDay(month=3, day=31), MonthDay(month=9, day=15)]
    assert rulebook.chair == Rulebook().chair


def test_nested_tables_merge_key_by_key() -> None:
    rulebook = load_rulebook({"initiative": {"labels": {"chair": "Chair of the Plenary"}}})
    assert rulebook.initiative.labels.chair == "Chair of the Plenary"
    assert rulebook.initiative.labels.plenary == "Annual Plenary"
    assert rulebook.initiative.timezone == "America/Toronto"


def test_a_list_in_an_override_replaces_the_whole_list() -> None:
    rulebook = load_rulebook({"applications": {"windows": [{"month": 6, "day": 1}]}})
    assert rulebook.applications.windows == [MonthDay(month=6, day=1)]


def test_a_milestone_list_in_an_override_replaces_every_milestone() -> None:
    milestone = {
        "key": "save_the_date",
        "title": "Save the date",
        "offset_days": -100,
        "owner_role": "secretariat",
    }
    rulebook = load_rulebook({"plenary": {"milestones": [milestone]}})
    assert [m.key for m in rulebook.plenary.milestones] == ["save_the_date"]
    assert rulebook.plenary.milestones[0].offset_days == -100


def test_a_mapping_field_merges_so_a_new_channel_keeps_the_others() -> None:
    rulebook = load_rulebook(
        {
            "notifications": {
                "channels": {"board": "vpi-board"},
                "routes": {"digest": ["secretariat", "board"]},
            }
        }
    )
    assert rulebook.notifications.channels["board"] == "vpi-board"
    assert rulebook.notifications.channels["secretariat"] == "vpi-secretariat"
    assert rulebook.notifications.routes[NotificationKind.DIGEST] == ["secretariat", "board"]
    assert rulebook.notifications.routes[NotificationKind.OVERDUE] == ["direct", "secretariat"]


def test_merge_overrides_leaves_its_inputs_unchanged() -> None:
    base: dict[str, Any] = {"a": {"b": 1, "c": [1, 2]}, "d": 4}
    overrides: dict[str, Any] = {"a": {"c": [3]}}
    merged = merge_overrides(base, overrides)
    assert merged == {"a": {"b": 1, "c": [3]}, "d": 4}
    assert base == {"a": {"b": 1, "c": [1, 2]}, "d": 4}
    assert overrides == {"a": {"c": [3]}}


def test_a_scalar_override_replaces_a_table_and_is_then_refused() -> None:
    problems = refusal({"chair": 3})
    assert [p.path for p in problems] == ["chair"]


def test_moving_the_reports_deadline_and_its_milestone_together_is_accepted() -> None:
    milestones = default_milestones()
    for milestone in milestones:
        if milestone["key"] == "annual_reports_due":
            milestone["offset_days"] = -40
    rulebook = load_rulebook(
        {"reporting": {"due_days_before_plenary": 40}, "plenary": {"milestones": milestones}}
    )
    assert rulebook.reporting.due_days_before_plenary == 40


# Refusals by field type


def test_an_unknown_key_is_refused_with_its_path() -> None:
    problems = refusal({"applications": {"no_objection_day": 21}})
    assert [p.path for p in problems] == ["applications.no_objection_day"]
    assert "Extra inputs are not permitted" in problems[0].reason


def test_an_unknown_top_level_section_is_refused() -> None:
    problems = refusal({"verification": {}})
    assert [p.path for p in problems] == ["verification"]


def test_a_wrong_type_is_refused_with_its_path() -> None:
    problems = refusal({"applications": {"review_days": "six weeks"}})
    assert [p.path for p in problems] == ["applications.review_days"]
    assert "valid integer" in problems[0].reason


def test_a_negative_period_is_refused() -> None:
    problems = refusal({"applications": {"no_objection_days": -3}})
    assert [p.path for p in problems] == ["applications.no_objection_days"]
    assert "greater than or equal to 1" in problems[0].reason


def test_a_zero_period_is_refused() -> None:
    problems = refusal({"calendars": {"cancelled_retention_days": 0}})
    assert [p.path for p in problems] == ["calendars.cancelled_retention_days"]


def test_a_zero_term_limit_is_refused() -> None:
    problems = refusal({"chair": {"max_consecutive_terms": 0}})
    assert [p.path for p in problems] == ["chair.max_consecutive_terms"]


def test_an_unknown_pillar_as_a_mapping_key_is_refused_with_the_key_in_its_path() -> None:
    problems = refusal({"roster": {"pillar_shares": {"governmnt": 0.5, "company": 0.5}}})
    assert [p.path for p in problems] == ["roster.pillar_shares.governmnt"]
    assert problems[0].reason.startswith("unknown key: ")


def test_an_unknown_owner_role_in_a_milestone_is_refused_with_its_index() -> None:
    milestones = default_milestones()
    milestones[2]["owner_role"] = "president"
    problems = refusal({"plenary": {"milestones": milestones}})
    assert [p.path for p in problems] == ["plenary.milestones.2.owner_role"]


def test_every_field_problem_is_reported_at_once() -> None:
    problems = refusal(
        {
            "bogus": 1,
            "applications": {"no_objection_days": -3, "review_days": "x"},
            "roster": {"pillar_shares": {"governmnt": 0.5}},
            "calendars": {"refresh_interval_hours": 0},
        }
    )
    assert {p.path for p in problems} == {
        "bogus",
        "applications.no_objection_days",
        "applications.review_days",
        "roster.pillar_shares.governmnt",
        "calendars.refresh_interval_hours",
    }


# Refusals by the rules of the rulebook itself


def test_an_unknown_time_zone_is_refused() -> None:
    problems = refusal({"initiative": {"timezone": "Mars/Olympus_Mons"}})
    assert problems == [
        Problem("initiative.timezone", "'Mars/Olympus_Mons' is not an IANA zone"),
    ]


def test_a_malformed_time_zone_name_is_refused() -> None:
    problems = refusal({"initiative": {"timezone": "../etc/passwd"}})
    assert [p.path for p in problems] == ["initiative.timezone"]


def test_a_time_zone_region_that_is_not_a_zone_is_refused() -> None:
    # "America" names a folder of the tz database, not a zone.
    problems = refusal({"initiative": {"timezone": "America"}})
    assert [p.path for p in problems] == ["initiative.timezone"]


def test_a_recurring_window_on_30_february_is_refused() -> None:
    problems = refusal(
        {"applications": {"windows": [{"month": 3, "day": 31}, {"month": 2, "day": 30}]}}
    )
    assert [p.path for p in problems] == ["applications.windows.1"]
    assert "2/30" in problems[0].reason


def test_a_recurring_date_on_29_february_is_refused_as_it_is_not_every_year() -> None:
    problems = refusal({"reporting": {"opens": {"month": 2, "day": 29}}})
    assert [p.path for p in problems] == ["reporting.opens"]


def test_a_window_listed_twice_is_refused() -> None:
    window = {"month": 3, "day": 31}
    problems = refusal({"applications": {"windows": [window, window]}})
    assert reasons_at(problems, "applications.windows") == ["the same window is listed twice"]


def test_a_preparatory_milestone_on_the_first_day_of_the_plenary_is_refused() -> None:
    milestones = default_milestones()
    milestones[0]["offset_days"] = 0  # save_the_date
    problems = refusal({"plenary": {"milestones": milestones}})
    assert [p.path for p in problems] == ["plenary.milestones.0.offset_days"]
    assert "'save_the_date' prepares the plenary" in problems[0].reason


def test_a_preparatory_milestone_after_the_plenary_it_prepares_is_refused() -> None:
    milestones = default_milestones()
    milestones[4]["offset_days"] = 10  # draft_agenda
    problems = refusal({"plenary": {"milestones": milestones}})
    assert [p.path for p in problems] == ["plenary.milestones.4.offset_days"]


def test_a_preparatory_milestone_the_day_before_the_plenary_is_accepted() -> None:
    milestones = default_milestones()
    milestones[5]["offset_days"] = -1  # final_papers
    rulebook = load_rulebook({"plenary": {"milestones": milestones}})
    assert rulebook.plenary.milestones[5].offset_days == -1


def test_a_follow_up_milestone_before_the_plenary_ends_is_refused() -> None:
    milestones = default_milestones()
    milestones[6]["offset_days"] = 3  # outcome_note, on the last day of a four-day plenary
    problems = refusal({"plenary": {"milestones": milestones}})
    assert problems == [
        Problem(
            "plenary.milestones.6.offset_days",
            "follow-up 'outcome_note' falls before the plenary has ended",
        )
    ]


def test_a_follow_up_milestone_the_day_after_the_plenary_is_accepted() -> None:
    milestones = default_milestones()
    milestones[6]["offset_days"] = 4
    rulebook = load_rulebook({"plenary": {"milestones": milestones}})
    assert rulebook.plenary.milestones[6].offset_days == 4


def test_a_follow_up_milestone_must_follow_a_longer_plenary_too() -> None:
    problems = refusal({"plenary": {"duration_days": 31}})
    assert [p.path for p in problems] == ["plenary.milestones.6.offset_days"]


def test_the_reports_milestone_must_agree_with_the_reporting_deadline() -> None:
    problems = refusal({"reporting": {"due_days_before_plenary": 40}})
    assert [p.path for p in problems] == ["plenary.milestones.3.offset_days"]
    reason = problems[0].reason
    assert "'annual_reports_due' is at -45 days" in reason
    assert "reporting.due_days_before_plenary says 40 days" in reason


def test_the_call_milestone_must_agree_with_the_roster_call() -> None:
    problems = refusal({"roster": {"call_days_before_plenary": 80}})
    assert [p.path for p in problems] == ["plenary.milestones.1.offset_days"]
    assert "roster.call_days_before_plenary" in problems[0].reason


def test_duplicate_milestone_keys_are_refused() -> None:
    milestones = default_milestones()
    milestones[5]["key"] = "draft_agenda"
    problems = refusal({"plenary": {"milestones": milestones}})
    assert problems == [Problem("plenary.milestones", "key 'draft_agenda' is used 2 times")]


def test_duplicate_handover_items_are_refused() -> None:
    item = {"key": "pack", "title": "Pack", "owner": "secretariat", "days_before_plenary": 7}
    problems = refusal({"chair": {"handover_items": [item, item]}})
    assert problems == [Problem("chair.handover_items", "key 'pack' is used 2 times")]


def test_a_pillar_reviewing_itself_is_refused() -> None:
    problems = refusal({"peer_review": {"reviewers_for": {"ngo": ["ngo", "company"]}}})
    assert problems == [
        Problem("peer_review.reviewers_for.ngo", "reviewers must come from other pillars")
    ]


def test_observers_presenting_or_a_pillar_presenting_twice_are_refused() -> None:
    """Observers are never drawn (README, "Verification roster"), and a pillar listed twice
    drew its members twice. Found by a review: both rulebooks were accepted."""
    problems = refusal({"roster": {"presenting_pillars": ["government", "observer"]}})
    assert problems == [Problem("roster.presenting_pillars", "observers never present")]
    problems = refusal({"roster": {"presenting_pillars": ["government", "ngo", "government"]}})
    assert problems == [
        Problem("roster.presenting_pillars", "pillar 'government' is listed 2 times")
    ]


def test_observers_as_reviewers_are_refused_but_may_be_reviewed() -> None:
    problems = refusal({"peer_review": {"reviewers_for": {"company": ["observer", "ngo"]}}})
    assert problems == [Problem("peer_review.reviewers_for.company", "observers never review")]
    reviewed = load_rulebook(
        {
            "peer_review": {"reviewers_for": {"observer": ["government"]}},
            "reporting": {"observers_report": True},
        }
    )
    assert reviewed.peer_review.reviewers_for[Pillar.OBSERVER] == [Pillar.GOVERNMENT]
    assert Rulebook().reporting.observers_report is False  # DEFAULT: observers owe no report


def test_a_pillar_without_reviewers_is_refused() -> None:
    problems = refusal({"peer_review": {"reviewers_for": {"company": []}}})
    assert reasons_at(problems, "peer_review.reviewers_for.company") == [
        "at least one reviewing pillar is needed"
    ]


def test_reviews_due_before_the_reports_they_review_are_refused() -> None:
    problems = refusal({"peer_review": {"review_due_days_before_plenary": 45}})
    reasons = reasons_at(problems, "peer_review.review_due_days_before_plenary")
    assert len(reasons) == 1
    assert "reviews would be due before the reports they review" in reasons[0]


def test_a_reminder_not_shorter_than_its_period_is_refused() -> None:
    problems = refusal({"applications": {"review_reminder_days_before": [42, 3]}})
    assert problems == [
        Problem(
            "applications.review_reminder_days_before.0",
            "42 days is not shorter than the review period (42 days)",
        )
    ]


def test_a_reminder_offset_is_checked_against_an_overridden_period() -> None:
    problems = refusal({"applications": {"information_response_days": 5}})
    assert [p.path for p in problems] == ["applications.information_reminder_days_before.0"]


def test_a_review_reminder_offset_listed_twice_is_refused() -> None:
    problems = refusal({"applications": {"review_reminder_days_before": [3, 3]}})
    assert problems == [
        Problem(
            "applications.review_reminder_days_before", "the same reminder offset is listed twice"
        )
    ]


def test_pillar_shares_that_do_not_add_up_to_one_are_refused() -> None:
    problems = refusal(
        {"roster": {"pillar_shares": {"government": 0.5, "company": 0.3, "ngo": 0.1}}}
    )
    assert problems == [Problem("roster.pillar_shares", "shares must add up to 1")]


def test_pillar_shares_that_add_up_to_one_are_accepted() -> None:
    rulebook = load_rulebook(
        {"roster": {"pillar_shares": {"government": 0.5, "company": 0.3, "ngo": 0.2}}}
    )
    assert rulebook.roster.pillar_shares == {
        Pillar.GOVERNMENT: 0.5,
        Pillar.COMPANY: 0.3,
        Pillar.NGO: 0.2,
    }


def test_a_share_for_a_pillar_that_does_not_present_is_refused() -> None:
    problems = refusal({"roster": {"pillar_shares": {"government": 0.5, "observer": 0.5}}})
    assert problems == [Problem("roster.pillar_shares.observer", "pillar does not present")]


def test_an_unknown_channel_in_a_route_is_refused() -> None:
    problems = refusal({"notifications": {"routes": {"digest": ["secretariat", "slack-general"]}}})
    assert problems == [
        Problem("notifications.routes.digest.1", "unknown channel 'slack-general'"),
    ]


def test_observers_cannot_hold_steering_committee_seats() -> None:
    problems = refusal({"steering_committee": {"seats_per_pillar": {"observer": 1}}})
    assert problems == [
        Problem("steering_committee.seats_per_pillar.observer", "observers do not hold seats")
    ]


def test_an_unknown_bundled_base_is_refused() -> None:
    problems = refusal({}, base="eiti")
    assert problems == [Problem("rulebook", "'eiti' is not one of: vpi")]


def test_every_contradiction_is_reported_at_once() -> None:
    milestones = default_milestones()
    milestones[0]["offset_days"] = 5
    milestones.append(dict(milestones[1]))
    problems = refusal(
        {
            "initiative": {"timezone": "Mars/Olympus_Mons"},
            "applications": {
                "windows": [{"month": 2, "day": 30}],
                "review_reminder_days_before": [50],
            },
            "plenary": {"milestones": milestones},
            "peer_review": {"reviewers_for": {"government": ["government"]}},
            "roster": {"pillar_shares": {"government": 0.9}},
            "notifications": {"routes": {"decision": ["nowhere"]}},
        }
    )
    assert {p.path for p in problems} == {
        "initiative.timezone",
        "applications.windows.0",
        "applications.review_reminder_days_before.0",
        "plenary.milestones",
        "plenary.milestones.0.offset_days",
        "peer_review.reviewers_for.government",
        "roster.pillar_shares",
        "notifications.routes.decision.0",
    }


def test_the_refusal_describes_each_problem_on_its_own_line() -> None:
    with pytest.raises(RulebookInvalid) as caught:
        load_rulebook({"applications": {"no_objection_days": -3}, "bogus": 1})
    lines = caught.value.describe().splitlines()
    assert lines[0] == (
        "the rulebook is invalid (rules that contradict each other are checked once every field "
        "is valid)"
    )
    assert any(line.startswith("  - applications.no_objection_days: ") for line in lines[1:])
    assert any(line.startswith("  - bogus: ") for line in lines[1:])


def test_roles_and_pillars_in_the_defaults_are_enums() -> None:
    rulebook = Rulebook()
    assert rulebook.plenary.milestones[2].owner_role is Role.STEERING_COMMITTEE
    assert set(rulebook.peer_review.reviewers_for) == {
        Pillar.GOVERNMENT,
        Pillar.COMPANY,
        Pillar.NGO,
    }
