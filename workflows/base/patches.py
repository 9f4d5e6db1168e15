"""The register of `workflow.patched` ids: each change of commands made to a deployed workflow,
what its old branch still does, and when that branch can go.

A patch id is never reused. Retiring one takes two deployments: first `workflow.deprecate_patch`
once no run that started before the patch is open (the Temporal UI's list filtered by type and
start time, or `temporal workflow list --query "WorkflowType='<type>' AND
ExecutionStatus='Running' AND StartTime < '<deployed>'"`), then, once no run that started before
the deprecation is open, the call and the committed histories that hold the old branch go. A
test checks that every id a workflow asks about is registered here, and that each registered id
is still asked about.
"""

from __future__ import annotations

from dataclasses import dataclass

# -- registry-change: minutes long, except a run that waits for a Chair term beginning later
TRACK_ENGAGED_PERIOD = "track-engaged-period"
START_VERIFICATION_ROSTER = "start-verification-roster"
WAKE_GOVERNANCE_YEAR = "wake-governance-year"
WAKE_ON_MEMBER_STATUS = "wake-on-member-status"
# -- every workflow that starts a process outliving it
STARTED_BY_ACTIVITY = "start-processes-by-activity"
# -- application
ANNOUNCE_IN_PAGES = "announce-proposal-in-pages"
OBSERVERS_ADMITTED_FULL = "observers-admitted-full"
LEANER_STEPS = "application-leaner-steps"
SUBMISSION_STEP_LOCAL = "application-submission-step-local"
SILENCE_OF_SITTING_REVIEWERS = "application-silence-of-sitting-reviewers"
APPLICANT_TOLD_OF_QUESTION = "application-applicant-told-of-question"
# -- verification-roster
FOLLOWS_PLENARY_MOVES = "roster-follows-plenary-moves"
ROSTER_IN_STORE = "roster-kept-in-store"
REPLAN_AT_THE_MOVE = "roster-replanned-at-the-move"
DRAW_AS_LONG_AS_IT_TAKES = "roster-draw-as-long-as-it-takes"
# -- report-cycle
CONTINUE_WHILE_BUSY = "report-cycle-continue-as-new-while-busy"
CONTINUE_WHEN_LONG = "report-cycle-continue-as-new-when-long"
# -- application, governance-year, chair-handover, report-cycle, verification-roster
SHOWN_IN_SEARCH = "search-attributes"


@dataclass(frozen=True)
class Patch:
    id: str
    workflows: tuple[str, ...]
    # why the commands changed
    why: str
    # what runs that started before the patch still do on replay
    old_branch: str
    # when `deprecate_patch` becomes safe
    deprecate_when: str
    # committed histories (tests/replay/histories) recorded before the patch that replay its
    # old branch; they go with the old branch
    old_histories: tuple[str, ...] = ()


REGISTER: tuple[Patch, ...] = (
    Patch(
        TRACK_ENGAGED_PERIOD,
        ("registry-change",),
        "an Engaged member recorded in the registry gets its Engaged period tracked like one "
        "admitted through an application",
        "an Engaged member added to the registry gets no Engaged period",
        "no registry-change run from before the patch is open: they end within minutes, or "
        "on the first day of a Chair term that begins later (at most a year)",
        (),
    ),
    Patch(
        START_VERIFICATION_ROSTER,
        ("registry-change",),
        "a scheduled annual plenary starts its verification roster",
        "a scheduled annual plenary gets no roster process",
        "as track-engaged-period: no registry-change run from before the patch is open",
        ("registry-change-schedule-plenary.json",),
    ),
    Patch(
        WAKE_GOVERNANCE_YEAR,
        ("registry-change",),
        "the governance year, the Chair handovers and the reporting cycles plan from the "
        "registry, so a change tells them to look again",
        "the governance year, handovers and cycles are not told of a change",
        "as track-engaged-period: no registry-change run from before the patch is open",
        ("registry-change-schedule-plenary.json",),
    ),
    Patch(
        WAKE_ON_MEMBER_STATUS,
        ("registry-change",),
        "a member that leaves gives up the peer reviews it has not submitted, and the reporting "
        "cycles give those reports other reviewers when they look again: a status change now "
        "tells them (and the governance year and the handovers) to look at once",
        "a status change tells no process: each looks again at its next instant",
        "as track-engaged-period: no registry-change run from before the patch is open",
        ("registry-change-member-status.json",),
    ),
    Patch(
        STARTED_BY_ACTIVITY,
        ("application", "engaged-membership", "registry-change"),
        "an abandoned child that ends after its parent stalls the time-skipping test server "
        "(temporalio/sdk-java#2392), and no parent needs telling when an Engaged period or a "
        "roster ends",
        "processes that outlive their starter are started as abandoned child workflows",
        "no application, engaged-membership or registry-change run from before the patch is "
        "open: Engaged periods last until Full membership (three years and more), so this one "
        "goes last",
        (
            "application-provisional-then-ratified.json",
            "application-objected-then-admitted.json",
            "engaged-membership-to-full.json",
            "registry-change-engaged-member.json",
        ),
    ),
    Patch(
        ANNOUNCE_IN_PAGES,
        ("application",),
        "with thousands of members, one activity per focal point grew every application's history "
        "with the membership",
        "each Full member's focal point is told by an activity of its own",
        "no application run from before the patch is open (an application is decided at the "
        "plenary after its window, within the rulebook's decision target of months)",
        (
            "application-provisional-then-ratified.json",
            "application-objected-then-admitted.json",
        ),
    ),
    Patch(
        OBSERVERS_ADMITTED_FULL,
        ("application",),
        "an observer admitted through an application was recorded as Engaged and given an "
        "Engaged period (reminders, a request for Full membership) although observers never vote",
        "an observer admitted before the patch is recorded as Engaged and its period starts",
        "no application run from before the patch is open that concerns an observer",
        (),
    ),
    Patch(
        SILENCE_OF_SITTING_REVIEWERS,
        ("application",),
        "a reviewer who had left the Steering Committee (the role taken away, or the member "
        "no longer voting) was counted as silent when the review closed, as if still deciding, "
        "and the review waited for them until its deadline",
        "every reviewer named when the review started who has not answered is counted silent, "
        "and the review closes early only once all of them have answered",
        "no application run from before the patch is open that was under review then (a "
        "review lasts the rulebook's review days)",
        (),
    ),
    Patch(
        APPLICANT_TOLD_OF_QUESTION,
        ("application",),
        "the Secretariat's question reached the applicant only if it happened to open its "
        "status link: nobody emailed it the question, nor reminded it before the application "
        "lapsed",
        "a question and its reminders go to the Secretariat's channel only; the applicant is "
        "not emailed",
        "no application run from before the patch is open with a question unanswered (a "
        "question lasts its response days, at most 366)",
        (
            "application-silence-of-sitting-reviewers.json",
            "application-lapsed-submission-step-local.json",
        ),
    ),
    Patch(
        LEANER_STEPS,
        ("application",),
        "a submitter waited for the notices of its submission as well as for the step, and a "
        "new run upserted the first state although its starter can set it (issue 21, "
        "docs/benchmarks.md, baseline): the submitter now has its answer once the step is "
        "written, and a run whose starter set its first state does not upsert it again",
        "the submitter's answer waits for the submission's notices; a new run upserts its "
        "first state whatever its starter set",
        "no application run from before the patch is open (an application is decided at the "
        "plenary after its window, within the rulebook's decision target of months)",
        (
            "application-provisional-then-ratified.json",
            "application-objection-then-rejected.json",
            "application-lapsed.json",
            "application-withdrawn.json",
            "application-objected-then-admitted.json",
            "application-full-membership.json",
            "application-admitted-starts-engaged-by-activity.json",
            "application-proposal-announced-in-pages.json",
            "application-shown-in-search.json",
            "application-observer-provisional-then-ratified.json",
            "application-observer-admitted-by-the-plenary.json",
        ),
    ),
    Patch(
        SUBMISSION_STEP_LOCAL,
        ("application",),
        "a submitter waited for the submission's step to go through the server as an activity "
        "task (scheduled, started, completed, and a second workflow task to hear of it; issue "
        "21, docs/benchmarks.md, baseline): an admission's first step is now written by a local "
        "activity in the workflow's first task, and only if that fails by the activity as before",
        "an admission's first step is written by the record-application-step activity",
        "no application run from before the patch is open (an application is decided at the "
        "plenary after its window, within the rulebook's decision target of months)",
        (
            "application-leaner-steps.json",
            "application-lapsed-leaner-steps.json",
        ),
    ),
    Patch(
        FOLLOWS_PLENARY_MOVES,
        ("verification-roster",),
        "the draw and the plenary's dates follow a moved plenary",
        "the draw and the plenary's dates stay where they were when the plenary moves",
        "no verification-roster run from before the patch is open (a roster ends the day "
        "after its plenary)",
        (
            "verification-roster-drawn.json",
            "verification-roster-deferrals-and-outcomes.json",
        ),
    ),
    Patch(
        ROSTER_IN_STORE,
        ("verification-roster",),
        "the drawn document (every slot's reason) outgrew a payload at 20,000 members, and each "
        "presenter's notice was an activity of its own",
        "the workflow keeps the whole drawn document and tells each presenter by an activity",
        "no verification-roster run from before the patch is open",
        (
            "verification-roster-drawn.json",
            "verification-roster-moved-after-draw.json",
            "verification-roster-replanned-before-draw.json",
        ),
    ),
    Patch(
        REPLAN_AT_THE_MOVE,
        ("verification-roster",),
        "a re-plan tells the plan when the plenary moved (a draw the move makes due happens at "
        "the move, not at the start of a day before it) and, once drawn, keeps the draw's day "
        "for a roster kept in the store too",
        "a re-plan names no move, and keeps the draw's day only for a roster whose document the "
        "workflow holds",
        "no verification-roster run from before the patch is open (a roster ends the day "
        "after its plenary)",
        (
            "verification-roster-moved-after-draw.json",
            "verification-roster-replanned-before-draw.json",
            "verification-roster-in-store-moved-after-draw.json",
        ),
    ),
    Patch(
        DRAW_AS_LONG_AS_IT_TAKES,
        ("verification-roster",),
        "the draw grows with the membership and a store activity's minute would cancel and retry "
        "it for ever at a few hundred thousand members; it now has the batch activities' two "
        "hours, kept alive by its worker",
        "the draw is cancelled after a minute and retried",
        "no verification-roster run from before the patch has yet to draw (a roster draws about "
        "90 days before its plenary)",
        (
            "verification-roster-drawn-at-the-move-kept-after-it.json",
            "verification-roster-drawn-when-scheduled-late.json",
            "verification-roster-in-store-deferrals-and-outcomes.json",
            "verification-roster-in-store-moved-after-draw.json",
            "verification-roster-shown-in-search.json",
        ),
    ),
    Patch(
        CONTINUE_WHILE_BUSY,
        ("report-cycle",),
        "a stream of submissions kept the loop busy: its history grew to 13,000 events at 2,000 "
        "members in the benchmark",
        "a busy cycle never continues as new, whatever its history's length",
        "no report-cycle run from before the patch is open (each new run asks again, so "
        "cycles continued as new since are patched)",
        (
            "report-cycle-moved-late-reports-and-reviews.json",
            "report-cycle-second-miss-escalates.json",
        ),
    ),
    Patch(
        CONTINUE_WHEN_LONG,
        ("report-cycle",),
        "a signal per submission grew one idle run to 23,000 events at 20,000 members, replayed "
        "in full by a worker whose cache had evicted it",
        "an idle cycle continues as new only when the server suggests it",
        "no report-cycle run from before the patch is open",
        (
            "report-cycle-moved-late-reports-and-reviews.json",
            "report-cycle-second-miss-escalates.json",
        ),
    ),
    Patch(
        SHOWN_IN_SEARCH,
        (
            "application",
            "governance-year",
            "chair-handover",
            "report-cycle",
            "verification-roster",
        ),
        "the Temporal UI lists applications by state and processes by year (GovschedYear, "
        "GovschedApplicationState)",
        "a run neither shows its year nor an application its state",
        "no run of those five types from before the patch is open: the governance year and "
        "report cycles continue as new within a year, rosters end after their plenary; "
        "applications are decided within months",
        (
            "application-proposal-announced-in-pages.json",
            "governance-year-after-two-plenaries.json",
            "chair-handover-at-the-plenary.json",
            "report-cycle-shorter-runs-moved-late-reports.json",
            "verification-roster-in-store-moved-after-draw.json",
        ),
    ),
)

PATCHES = {patch.id: patch for patch in REGISTER}
