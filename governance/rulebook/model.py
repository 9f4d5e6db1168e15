"""The initiative's rulebook: every period, offset and label the scheduler applies.

The defaults below are the VPI rulebook (../shared/domain/vpi-governance.md, section 11). Most VPI
numbers are DEFAULTs there (nothing public fixes them), so an operator changes any of them with a
TOML or YAML file that overrides a subset (`load_rulebook`); no number below is used as a constant
anywhere else. Day counts are calendar days in the initiative's time zone.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import time
from enum import StrEnum
from typing import Annotated, Any

from pydantic import ConfigDict, Field, PositiveInt, ValidationError, model_validator

from governance.kernel.errors import Problem, RulebookInvalid
from governance.kernel.languages import Language
from governance.kernel.model import Pillar, Role
from governance.kernel.text import ValidText
from governance.reports.indicators.settings import IndicatorRules
from governance.rulebook.checks import semantic_problems
from governance.rulebook.label_texts import VPI_LABEL_TEXTS, label_text

Days = Annotated[int, Field(ge=1, le=3660, description="a period in calendar days")]
Offsets = Annotated[list[Days], Field(description="days before a deadline, e.g. [14, 3]")]


class Section(ValidText):
    model_config = ConfigDict(frozen=True, extra="forbid")


class MonthDay(Section):
    """A recurring calendar date such as 31 March."""

    month: Annotated[int, Field(ge=1, le=12)]
    day: Annotated[int, Field(ge=1, le=31)]


class Labels(Section):
    """What the initiative calls its bodies; renaming one keeps all history (rule 17)."""

    steering_committee: str = "Steering Committee"
    chair: str = "Government Chair"
    secretariat: str = "Secretariat"
    plenary: str = "Annual Plenary"


class Initiative(Section):
    name: str = "Voluntary Principles Initiative"
    short_name: str = "VPI"
    # The Secretariat sits in Ottawa: deadlines are calendar days there.
    timezone: str = "America/Toronto"
    # Calendar UIDs end with this domain; changing it after go-live duplicates every event.
    uid_domain: Annotated[str, Field(pattern=r"^[a-z0-9.-]{3,100}$")] = "vpi.govsched"
    labels: Labels = Labels()
    # What people read in when they have not chosen (issue 20): pages, notices, feeds.
    language: Language = Language.EN
    # Each label (below, and the titles of milestones, handover items and meetings) in the
    # other languages, by its English text (governance/rulebook/label_texts.py).
    label_texts: dict[str, dict[Language, Annotated[str, Field(min_length=1, max_length=200)]]] = (
        VPI_LABEL_TEXTS
    )


class Recommendation(StrEnum):
    SUPPORT = "support"
    OBJECT = "object"
    ABSTAIN = "abstain"


class Applications(Section):
    windows: list[MonthDay] = [MonthDay(month=3, day=31), MonthDay(month=9, day=15)]
    call_lead_days: Days = 70
    information_response_days: Days = 30
    information_reminder_days_before: Offsets = [7]
    review_days: Days = 42
    review_reminder_days_before: Offsets = [14, 3]
    silence_counts_as: Recommendation = Recommendation.ABSTAIN
    no_objection_days: Days = 14
    decision_target_months: PositiveInt = 12
    decision_warning_months: PositiveInt = 9


class EvidenceKind(StrEnum):
    NATIONAL_ACTION_PLAN = "national_action_plan"
    IMPLEMENTATION_EVIDENCE = "implementation_evidence"


class EngagedPeriod(Section):
    """Engaged members have until a date in the Nth calendar year after admission to be Full."""

    calendar_years_after_admission: PositiveInt = 3
    due: MonthDay = MonthDay(month=12, day=31)
    yearly_checkpoints: bool = True
    checkpoint_days_before: Offsets = [90, 30]
    evidence: dict[Pillar, EvidenceKind] = {
        Pillar.GOVERNMENT: EvidenceKind.NATIONAL_ACTION_PLAN,
        Pillar.COMPANY: EvidenceKind.IMPLEMENTATION_EVIDENCE,
        Pillar.NGO: EvidenceKind.IMPLEMENTATION_EVIDENCE,
    }


class Milestone(Section):
    """A plenary milestone, `offset_days` from the plenary's first day (negative: before)."""

    key: Annotated[str, Field(pattern=r"^[a-z0-9_]{1,60}$")]
    title: Annotated[str, Field(min_length=1, max_length=200)]
    offset_days: int
    owner_role: Role
    public: bool = False
    follow_up: bool = Field(False, description="true for work after the plenary (outcome note)")
    extraordinary: bool = Field(False, description="also planned for extraordinary plenaries")


DEFAULT_MILESTONES = [
    Milestone(
        key="save_the_date",
        title="Save-the-date",
        offset_days=-120,
        owner_role=Role.SECRETARIAT,
        public=True,
    ),
    Milestone(
        key="call_for_agenda_and_presenters",
        title="Call for agenda items and presenters",
        offset_days=-90,
        owner_role=Role.SECRETARIAT,
        public=True,
    ),
    Milestone(
        key="strategy_review",
        title="Yearly strategy review",
        offset_days=-60,
        owner_role=Role.STEERING_COMMITTEE,
    ),
    Milestone(
        key="annual_reports_due",
        title="Annual reports due",
        offset_days=-45,
        owner_role=Role.FOCAL_POINT,
    ),
    Milestone(
        key="draft_agenda",
        title="Draft agenda circulated",
        offset_days=-30,
        owner_role=Role.SECRETARIAT,
        extraordinary=True,
    ),
    Milestone(
        key="final_papers",
        title="Final papers",
        offset_days=-14,
        owner_role=Role.SECRETARIAT,
        extraordinary=True,
    ),
    Milestone(
        key="outcome_note",
        title="Minutes and outcome note",
        offset_days=30,
        owner_role=Role.SECRETARIAT,
        follow_up=True,
        extraordinary=True,
    ),
    Milestone(
        key="communications_plan_update",
        title="Communications plan update",
        offset_days=60,
        owner_role=Role.SECRETARIAT,
        follow_up=True,
    ),
    Milestone(
        key="steering_committee_retreat",
        title="Steering Committee strategic retreat",
        offset_days=180,
        owner_role=Role.STEERING_COMMITTEE,
        follow_up=True,
    ),
]


class GroupNominations(Section):
    """The call to In-country Implementation Groups to nominate one member each to attend the
    annual plenary (Strategy 3c). DEFAULT: nothing public fixes these days."""

    # The call goes to every active group this many days before the plenary's first day...
    call_days_before: Annotated[int, Field(ge=1, le=365)] = 120
    # ...and a group nominates (or replaces its nominee) by the end of the local day this many
    # days before it; a group that has not nominated by then is reminded once.
    deadline_days_before: Annotated[int, Field(ge=0, le=364)] = 60

    @model_validator(mode="after")
    def _call_before_deadline(self) -> GroupNominations:
        if self.deadline_days_before >= self.call_days_before:
            raise ValueError(
                "the deadline must fall after the call (fewer days before the plenary)"
            )
        return self


class Plenary(Section):
    usual_months: list[Annotated[int, Field(ge=1, le=12)]] = [3, 4, 5]
    duration_days: Days = 4
    milestones: list[Milestone] = DEFAULT_MILESTONES
    milestone_reminder_days_before: Offsets = [14, 3]
    # Weekly reminders to the owner of an overdue milestone, after which the Secretariat's
    # overdue list (and state) still shows it but nobody is messaged again.
    milestone_overdue_reminders: Annotated[int, Field(ge=0, le=52)] = 3
    # DEFAULT: days after a plenary's last local day during which its decisions may still be
    # recorded (the minutes are written up after the meeting); 0 allows only the plenary's days.
    decision_grace_days: Annotated[int, Field(ge=0, le=60)] = 7
    # DEFAULT: the hours each plenary day sits, local time in the initiative's zone; calendars
    # show one timed, busy session per day of the plenary.
    session_opens: time = time(9, 0)
    session_closes: time = time(17, 30)
    group_nominations: GroupNominations = GroupNominations()


class HandoverOwner(StrEnum):
    OUTGOING_CHAIR = "outgoing_chair"
    INCOMING_CHAIR = "incoming_chair"
    SECRETARIAT = "secretariat"


class HandoverItem(Section):
    key: Annotated[str, Field(pattern=r"^[a-z0-9_]{1,60}$")]
    title: Annotated[str, Field(min_length=1, max_length=200)]
    owner: HandoverOwner
    days_before_plenary: Annotated[int, Field(ge=0, le=365)]


class Chair(Section):
    term_years: PositiveInt = 1
    max_consecutive_terms: PositiveInt = 2
    designate_incoming_days_before: Days = 60
    handover_items: list[HandoverItem] = [
        HandoverItem(
            key="briefing_pack",
            title="Briefing pack for the incoming Chair",
            owner=HandoverOwner.OUTGOING_CHAIR,
            days_before_plenary=30,
        ),
        HandoverItem(
            key="open_applications",
            title="Open applications and their deadlines",
            owner=HandoverOwner.SECRETARIAT,
            days_before_plenary=21,
        ),
        HandoverItem(
            key="open_roster_deferrals",
            title="Open verification roster deferrals",
            owner=HandoverOwner.SECRETARIAT,
            days_before_plenary=21,
        ),
        HandoverItem(
            key="steering_committee_contacts",
            title="Steering Committee contacts",
            owner=HandoverOwner.OUTGOING_CHAIR,
            days_before_plenary=14,
        ),
        HandoverItem(
            key="association_signatories",
            title="Association signatories",
            owner=HandoverOwner.SECRETARIAT,
            days_before_plenary=30,
        ),
        HandoverItem(
            key="channel_ownership",
            title="Channel and calendar ownership",
            owner=HandoverOwner.SECRETARIAT,
            days_before_plenary=7,
        ),
    ]


class CommitteeMeeting(Section):
    """A Steering Committee meeting the rulebook sets around each annual plenary (DEFAULT:
    nothing public fixes when the Committee meets), local time in the initiative's zone."""

    key: Annotated[str, Field(pattern=r"^[a-z0-9_]{1,60}$")]
    title: Annotated[str, Field(min_length=1, max_length=200)]
    days_before_plenary: Annotated[int, Field(ge=0, le=365)]
    opens: time
    closes: time


class SteeringCommittee(Section):
    seats_per_pillar: dict[Pillar, Annotated[int, Field(ge=0, le=50)]] = {
        Pillar.GOVERNMENT: 3,
        Pillar.COMPANY: 3,
        Pillar.NGO: 3,
    }
    term_years: PositiveInt = 2
    staggered: bool = True
    chair_ex_officio: bool = True
    seat_expiry_reminder_days_before: Offsets = [60, 14]
    meetings: list[CommitteeMeeting] = [
        CommitteeMeeting(
            key="pre_plenary",
            title="Steering Committee meeting before the plenary",
            days_before_plenary=1,
            opens=time(14, 0),
            closes=time(17, 0),
        ),
    ]


class ReportSection(Section):
    key: Annotated[str, Field(min_length=1, max_length=10)]
    title: Annotated[str, Field(min_length=1, max_length=200)]
    required: bool = True


def _sections(*titles: str, optional_last: bool = True) -> list[ReportSection]:
    keys = "ABCDEFGH"
    return [
        ReportSection(key=keys[i], title=t, required=not (optional_last and i == len(titles) - 1))
        for i, t in enumerate(titles)
    ]


class Reporting(Section):
    opens: MonthDay = MonthDay(month=1, day=2)
    due_days_before_plenary: Days = 45
    reminder_days_before_due: Offsets = [30, 14, 7, 1]
    overdue_after_days: Days = 1
    full_report_every_years: PositiveInt = 3
    refer_to_steering_committee_after_missed: PositiveInt = 1
    propose_inactive_after_missed: PositiveInt = 2
    # DEFAULT: observers owe no report (no reminders, overdue notices or escalation); one they
    # send anyway is kept, and reviewed only if `peer_review.reviewers_for` names reviewers for
    # observers. True: they are asked for one like every other member. Never reviewers.
    observers_report: bool = False
    templates: dict[Pillar, list[ReportSection]] = {
        Pillar.GOVERNMENT: _sections(
            "Commitment to the Voluntary Principles",
            "Policies, procedures and related activities",
            "Implementation",
            "Lessons and issues",
        ),
        Pillar.COMPANY: _sections(
            "Commitment to the Voluntary Principles",
            "Policies, procedures and related activities",
            "Implementation and security risk assessment",
            "Lessons and issues",
        ),
        Pillar.NGO: _sections(
            "Commitment to the Voluntary Principles",
            "Activities supporting implementation",
            "Lessons and issues",
        ),
    }


class PeerReview(Section):
    reviewers_per_report: PositiveInt = 2
    # reported pillar -> pillars whose members may review it
    reviewers_for: dict[Pillar, list[Pillar]] = {
        Pillar.GOVERNMENT: [Pillar.COMPANY, Pillar.NGO],
        Pillar.COMPANY: [Pillar.GOVERNMENT, Pillar.NGO],
        Pillar.NGO: [Pillar.GOVERNMENT, Pillar.COMPANY],
    }
    review_due_days_before_plenary: Days = 15
    reminder_days_before_due: Offsets = [7, 2]
    exclude_same_country: bool = True
    exclude_same_group: bool = True
    forbid_reciprocal_pairs: bool = True
    forbid_repeat_of_previous_year: bool = True
    load_tolerance: Annotated[int, Field(ge=0, le=10)] = 1


class AfterExcuse(StrEnum):
    KEEP_PRIORITY = "keep_priority"
    NEXT_CYCLE = "next_cycle"


class AfterAbsence(StrEnum):
    COUNTS_AS_PRESENTED = "counts_as_presented"
    PRESENT_NEXT_YEAR = "present_next_year"


class Roster(Section):
    presenting_pillars: list[Pillar] = [Pillar.GOVERNMENT, Pillar.COMPANY, Pillar.NGO]
    # None: as many as needed for every eligible member to present once per cycle. A number is
    # the least drawn: members carried over or due are drawn beyond it (roster rule version 2).
    presenters_per_plenary: PositiveInt | None = None
    # None: each pillar's share is proportional to its eligible members
    pillar_shares: dict[Pillar, float] | None = None
    cycle_years: PositiveInt = 3
    grace_years_newly_full: Annotated[int, Field(ge=0, le=10)] = 1
    after_excuse: AfterExcuse = AfterExcuse.KEEP_PRIORITY
    after_absence: AfterAbsence = AfterAbsence.PRESENT_NEXT_YEAR
    call_days_before_plenary: Days = 90
    deferral_window_days: Days = 21


class Calendars(Section):
    cancelled_retention_days: Days = 30
    refresh_interval_hours: Annotated[int, Field(ge=1, le=168)] = 6
    default_alarm_days_before: Annotated[int, Field(ge=0, le=60)] = 1


class NotificationKind(StrEnum):
    DEADLINE_REMINDER = "deadline_reminder"
    OVERDUE = "overdue"
    DECISION = "decision"
    ROSTER = "roster"
    CHANGE_NOTICE = "change_notice"
    HANDOVER = "handover"
    DIGEST = "digest"
    ANNOUNCEMENT = "announcement"
    # The first request to act (a review to record): a person who stops reminders must still be
    # asked, so no opt-out stops it; only the reminders and escalations that follow may be.
    REQUEST = "request"


# The kinds no opt-out stops (README: Opting out).
UNSTOPPABLE_KINDS = frozenset({NotificationKind.REQUEST})


def stoppable(kind: NotificationKind) -> bool:
    """Whether a person may opt out of `kind`."""
    return kind not in UNSTOPPABLE_KINDS


class Notifications(Section):
    """Where each kind of message goes. Channel keys are logical; Slack ids come from settings."""

    routes: dict[NotificationKind, list[str]] = {
        NotificationKind.DEADLINE_REMINDER: ["direct"],
        NotificationKind.OVERDUE: ["direct", "secretariat"],
        NotificationKind.DECISION: ["all_members"],
        NotificationKind.ROSTER: ["all_members"],
        NotificationKind.CHANGE_NOTICE: ["direct"],
        NotificationKind.HANDOVER: ["all_members"],
        NotificationKind.DIGEST: ["secretariat", "steering_committee"],
        NotificationKind.ANNOUNCEMENT: ["all_members"],
        NotificationKind.REQUEST: ["direct"],
    }
    channels: dict[str, str] = {
        "secretariat": "vpi-secretariat",
        "steering_committee": "vpi-steering-committee",
        "all_members": "vpi-members",
        "government": "vpi-governments",
        "company": "vpi-companies",
        "ngo": "vpi-ngos",
        "observer": "vpi-observers",
    }
    # Kinds whose newer version (same item, new key) edits the earlier message in place instead
    # of posting again: a moved date reads better as one corrected message than as two.
    update_in_place: list[NotificationKind] = [NotificationKind.CHANGE_NOTICE]
    # The language each channel's posts are written in (issue 20); a channel not listed reads
    # the initiative's language.
    channel_languages: dict[str, Language] = {}
    # How many days ahead the weekly digest looks, and the local weekday and hour it goes out.
    digest_days_ahead: Annotated[int, Field(ge=1, le=90)] = 14
    digest_weekday: Annotated[int, Field(ge=0, le=6, description="0 is Monday")] = 0
    digest_hour: Annotated[int, Field(ge=0, le=23)] = 8


class Concerns(Section):
    """Participant concerns (rule 26; every number a DEFAULT): the Secretariat acknowledges
    within `acknowledge_days` (the Chair is told if not); the facilitated dialogue runs
    `dialogue_days` from the acknowledgement, and the Chair may extend it
    `dialogue_extensions` times by another `dialogue_days`; the Steering Committee recommends
    within `steering_committee_review_days` of the dialogue's end."""

    acknowledge_days: Days = 14
    dialogue_days: Days = 90
    dialogue_extensions: Annotated[int, Field(ge=0, le=5)] = 1
    steering_committee_review_days: Days = 60


class GroupPlans(Section):
    """In-country groups' annual plans and funding requests (issue 23; every number a DEFAULT).

    A deliverable's owner is reminded `deliverable_reminder_days_before` its due day (local days
    in the group's zone) and the Secretariat gets the plan's overdue summary the day after. A
    funding request is reviewed by the Steering Committee like an application (the review's
    length, its reminders and what silence counts as are `applications`'); an approved request
    owes a report on the use of funds `use_report_days` after the decision, its coordinators
    reminded `use_report_reminder_days_before`.
    """

    deliverable_reminder_days_before: Offsets = [14, 3]
    use_report_days: Days = 90
    use_report_reminder_days_before: Offsets = [14]


class Rehearsals(Section):
    """`govsched rehearse`: a scenario spans at most `max_span_years` from its start to its
    `until` (DEFAULT 10: a few governance years, with room). The time-skipping server plays
    every timer on the way, so a scenario to 9999 would run without end."""

    max_span_years: Annotated[int, Field(ge=1, le=100)] = 10


class Rulebook(Section):
    """The whole rulebook. `Rulebook()` is the VPI rulebook."""

    initiative: Initiative = Initiative()
    applications: Applications = Applications()
    engaged_period: EngagedPeriod = EngagedPeriod()
    plenary: Plenary = Plenary()
    chair: Chair = Chair()
    steering_committee: SteeringCommittee = SteeringCommittee()
    reporting: Reporting = Reporting()
    peer_review: PeerReview = PeerReview()
    roster: Roster = Roster()
    calendars: Calendars = Calendars()
    notifications: Notifications = Notifications()
    concerns: Concerns = Concerns()
    group_plans: GroupPlans = GroupPlans()
    rehearsals: Rehearsals = Rehearsals()
    indicators: IndicatorRules = IndicatorRules()

    def label_text(self, english: str, language: Language) -> str:
        """A label, known by its English text, in `language`."""
        return label_text(self.initiative.label_texts, english, language)


BUNDLED_RULEBOOKS: dict[str, Mapping[str, Any]] = {"vpi": {}}


def merge_overrides(base: Mapping[str, Any], overrides: Mapping[str, Any]) -> dict[str, Any]:
    """Overlay `overrides` on `base`: tables merge key by key, anything else is replaced whole."""
    merged = dict(base)
    for key, value in overrides.items():
        current = merged.get(key)
        if isinstance(current, Mapping) and isinstance(value, Mapping):
            merged[key] = merge_overrides(current, value)
        else:
            merged[key] = value
    return merged


def validation_problems(exc: ValidationError) -> list[Problem]:
    """Pydantic's errors as problems with plain dotted paths (`roster.pillar_shares.ngo`)."""
    problems = []
    for err in exc.errors():
        loc = [str(part) for part in err["loc"]]
        # pydantic's "Value error, " before a validator's own words tells a reader nothing
        reason = err["msg"].removeprefix("Value error, ")
        if loc and loc[-1] == "[key]":
            loc.pop()
            reason = f"unknown key: {reason}"
        problems.append(Problem(".".join(loc), reason))
    return problems


def load_rulebook(overrides: Mapping[str, Any], base: str = "vpi") -> Rulebook:
    """The bundled rulebook `base` with `overrides` applied, or RulebookInvalid listing problems.

    Overrides may set any subset of fields. Unknown keys, wrong types, negative or zero periods
    and rules that contradict each other are all reported at once, each by its field path.
    """
    if base not in BUNDLED_RULEBOOKS:
        known = ", ".join(sorted(BUNDLED_RULEBOOKS))
        raise RulebookInvalid(
            "unknown bundled rulebook", [Problem("rulebook", f"{base!r} is not one of: {known}")]
        )
    defaults = Rulebook().model_dump(mode="json")
    data = merge_overrides(merge_overrides(defaults, BUNDLED_RULEBOOKS[base]), overrides)
    try:
        rulebook = Rulebook.model_validate(data)
    except ValidationError as exc:
        raise RulebookInvalid(
            "the rulebook is invalid (rules that contradict each other are checked once every "
            "field is valid)",
            validation_problems(exc),
        ) from None
    problems = semantic_problems(rulebook)
    if problems:
        raise RulebookInvalid("the rulebook is invalid", problems)
    return rulebook
