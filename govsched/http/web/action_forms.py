"""The forms behind each action, named after the API route they mirror."""

from __future__ import annotations

from collections.abc import Sequence

from governance.applications.model import PlenaryDecision
from governance.reports.cycle import ReportKind
from governance.rulebook.model import Recommendation
from governance.year.milestones import PlannedMilestone
from govsched.http.web.forms import Field, Form


def _choices(values: Sequence[str]) -> list[tuple[str, str]]:
    return [(v, v.replace("_", " ")) for v in values]


def mark_complete(application: str, back: str) -> Form:
    return Form(
        f"mark-complete-{application}",
        f"/web/applications/{application}/mark-complete",
        "Mark complete",
        back=back,
    )


def request_information(application: str, back: str) -> Form:
    return Form(
        f"request-information-{application}",
        f"/web/applications/{application}/request-information",
        "Request information",
        (
            Field("question", "Question for the applicant", "textarea", required=True),
            Field(
                "respond_within_days",
                "Days to answer",
                "number",
                hint="leave empty for the rulebook's period",
            ),
        ),
        back,
    )


def provide_information(application: str, back: str) -> Form:
    return Form(
        f"provide-information-{application}",
        f"/web/applications/{application}/provide-information",
        "Record the answer",
        (Field("answer", "The applicant's answer", "textarea", required=True),),
        back,
    )


def start_review(application: str, back: str) -> Form:
    return Form(
        f"start-review-{application}",
        f"/web/applications/{application}/start-review",
        "Start the review",
        back=back,
    )


def recommend(application: str, back: str) -> Form:
    return Form(
        f"recommend-{application}",
        f"/web/applications/{application}/recommend",
        "Recommend",
        (
            Field(
                "recommendation",
                "Your recommendation",
                "select",
                _choices([r.value for r in Recommendation]),
                required=True,
            ),
            Field("comment", "Comment (optional)", "textarea"),
        ),
        back,
    )


def object_to(application: str, back: str) -> Form:
    return Form(
        f"object-{application}",
        f"/web/applications/{application}/object",
        "Object",
        (Field("reason", "Why your member objects", "textarea", required=True),),
        back,
    )


def plenary_decision(application: str, back: str) -> Form:
    return Form(
        f"plenary-decision-{application}",
        f"/web/applications/{application}/plenary-decision",
        "Record the decision",
        (
            Field(
                "decision",
                "The plenary's decision",
                "select",
                _choices([d.value for d in PlenaryDecision]),
                required=True,
            ),
            Field("note", "Note (optional)", "textarea"),
        ),
        back,
    )


def complete_milestone(milestone: PlannedMilestone, back: str) -> Form:
    return Form(
        f"milestone-{milestone.plenary_id}-{milestone.key}",
        f"/web/plenaries/{milestone.plenary_id}/milestones/{milestone.key}/complete",
        "Mark done",
        back=back,
    )


def complete_handover_item(year: int, key: str, back: str) -> Form:
    return Form(
        f"handover-{year}-{key}",
        f"/web/handovers/{year}/items/{key}/complete",
        "Mark done",
        back=back,
    )


def designate_incoming(year: int, governments: Sequence[tuple[str, str]], back: str) -> Form:
    return Form(
        f"incoming-chair-{year}",
        f"/web/handovers/{year}/incoming-chair",
        "Name the incoming Chair",
        (Field("member", "Incoming Chair government", "select", governments, required=True),),
        back,
    )


def confirm_incoming(year: int, member: str, back: str) -> Form:
    """The second step of naming the incoming Chair: the same post, confirmed."""
    return Form(
        f"confirm-incoming-chair-{year}",
        f"/web/handovers/{year}/incoming-chair",
        "Confirm and announce to every member",
        (
            Field("member", "Incoming Chair government", "hidden", value=member),
            Field("confirmed", "Confirmed", "hidden", value="yes"),
        ),
        back,
    )


def submit_report(year: int, member: str, kind: str, back: str) -> Form:
    return Form(
        f"report-{year}-{member}",
        f"/web/reports/{year}",
        "Submit the report",
        (
            Field("member", "Member", "hidden", value=member),
            Field(
                "kind",
                "Kind of report",
                "select",
                _choices([k.value for k in ReportKind]),
                required=True,
                value=kind,
            ),
            Field("url", "Link to the report", "url", required=True, hint="https://..."),
            Field("public", "A public version is published", "checkbox"),
            Field("public_on", "Public version published on", "date"),
        ),
        back,
    )


def submit_review(year: int, report_of: str, reviewer: str, back: str) -> Form:
    return Form(
        f"review-{year}-{report_of}-{reviewer}",
        f"/web/reports/{year}/{report_of}/reviews",
        "Submit the review",
        (
            Field("reviewer", "Reviewing member", "hidden", value=reviewer),
            Field("url", "Link to the review", "url", required=True, hint="https://..."),
        ),
        back,
    )


def request_deferral(year: int, member: str, back: str) -> Form:
    return Form(
        f"deferral-{year}-{member}",
        f"/web/rosters/{year}/deferrals",
        "Ask to defer",
        (
            Field("member", "Member", "hidden", value=member),
            Field("reason", "Why the member asks to defer", "textarea", required=True),
        ),
        back,
    )


def decide_deferral(year: int, member: str, back: str) -> Form:
    return Form(
        f"decide-deferral-{year}-{member}",
        f"/web/rosters/{year}/deferrals/{member}/decision",
        "Record the decision",
        (
            Field(
                "approve",
                "Decision",
                "select",
                [("true", "approve: draw a replacement"), ("false", "refuse: presents as drawn")],
                required=True,
            ),
        ),
        back,
    )


def sign_in_link(people: Sequence[tuple[str, str]], by_email: bool = False) -> Form:
    return Form(
        "sign-in-link",
        "/web/sign-in-links",
        "Email a one-time link" if by_email else "Issue a one-time link",
        (Field("person", "Person", "select", people, required=True),),
        "/web/sign-in-links",
    )


def end_sessions(people: Sequence[tuple[str, str]]) -> Form:
    return Form(
        "end-sessions",
        "/web/sessions/end",
        "End all their sessions",
        (Field("person", "Who to sign out everywhere", "select", people, required=True),),
        "/web/sign-in-links",
    )
