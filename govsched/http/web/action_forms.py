"""The forms behind each action, named after the API route they mirror."""

from __future__ import annotations

from collections.abc import Sequence

from governance.applications.model import PlenaryDecision
from governance.reports.cycle import ReportKind
from governance.rulebook.model import Recommendation
from governance.year.milestones import PlannedMilestone
from govsched.http.web.forms import Field, Form
from govsched.http.web.labels import report_kind, words
from govsched.i18n.marking import N_


def _choices(values: Sequence[str]) -> list[tuple[str, str]]:
    return [(v, words(v)) for v in values]


def mark_complete(application: str, back: str) -> Form:
    return Form(
        f"mark-complete-{application}",
        f"/web/applications/{application}/mark-complete",
        N_("Mark complete"),
        back=back,
    )


def request_information(application: str, back: str) -> Form:
    return Form(
        f"request-information-{application}",
        f"/web/applications/{application}/request-information",
        N_("Request information"),
        (
            Field("question", N_("Question for the applicant"), "textarea", required=True),
            Field(
                "respond_within_days",
                N_("Days to answer"),
                "number",
                hint=N_("leave empty for the rulebook's period"),
            ),
        ),
        back,
    )


def provide_information(application: str, back: str) -> Form:
    return Form(
        f"provide-information-{application}",
        f"/web/applications/{application}/provide-information",
        N_("Record the answer"),
        (Field("answer", N_("The applicant's answer"), "textarea", required=True),),
        back,
    )


def start_review(application: str, back: str) -> Form:
    return Form(
        f"start-review-{application}",
        f"/web/applications/{application}/start-review",
        N_("Start the review"),
        back=back,
    )


def recommend(application: str, back: str) -> Form:
    return Form(
        f"recommend-{application}",
        f"/web/applications/{application}/recommend",
        N_("Recommend"),
        (
            Field(
                "recommendation",
                N_("Your recommendation"),
                "select",
                _choices([r.value for r in Recommendation]),
                required=True,
            ),
            Field("comment", N_("Comment (optional)"), "textarea"),
        ),
        back,
    )


def object_to(application: str, back: str) -> Form:
    return Form(
        f"object-{application}",
        f"/web/applications/{application}/object",
        N_("Object"),
        (Field("reason", N_("Why your member objects"), "textarea", required=True),),
        back,
    )


def plenary_decision(application: str, back: str) -> Form:
    return Form(
        f"plenary-decision-{application}",
        f"/web/applications/{application}/plenary-decision",
        N_("Record the decision"),
        (
            Field(
                "decision",
                N_("The plenary's decision"),
                "select",
                _choices([d.value for d in PlenaryDecision]),
                required=True,
            ),
            Field("note", N_("Note (optional)"), "textarea"),
        ),
        back,
    )


def complete_milestone(milestone: PlannedMilestone, back: str) -> Form:
    return Form(
        f"milestone-{milestone.plenary_id}-{milestone.key}",
        f"/web/plenaries/{milestone.plenary_id}/milestones/{milestone.key}/complete",
        N_("Mark done"),
        back=back,
    )


def complete_handover_item(year: int, key: str, back: str) -> Form:
    return Form(
        f"handover-{year}-{key}",
        f"/web/handovers/{year}/items/{key}/complete",
        N_("Mark done"),
        back=back,
    )


def designate_incoming(year: int, governments: Sequence[tuple[str, str]], back: str) -> Form:
    return Form(
        f"incoming-chair-{year}",
        f"/web/handovers/{year}/incoming-chair",
        N_("Name the incoming Chair"),
        (Field("member", N_("Incoming Chair government"), "select", governments, required=True),),
        back,
    )


def confirm_incoming(year: int, member: str, back: str) -> Form:
    """The second step of naming the incoming Chair: the same post, confirmed."""
    return Form(
        f"confirm-incoming-chair-{year}",
        f"/web/handovers/{year}/incoming-chair",
        N_("Confirm and announce to every member"),
        (
            Field("member", N_("Incoming Chair government"), "hidden", value=member),
            Field("confirmed", N_("Confirmed"), "hidden", value="yes"),
        ),
        back,
    )


def submit_report(year: int, member: str, kind: str, back: str) -> Form:
    return Form(
        f"report-{year}-{member}",
        f"/web/reports/{year}",
        N_("Submit the report"),
        (
            Field("member", N_("Member"), "hidden", value=member),
            Field(
                "kind",
                N_("Kind of report"),
                "select",
                [(k.value, report_kind(k)) for k in ReportKind],
                required=True,
                value=kind,
            ),
            Field("url", N_("Link to the report"), "url", required=True, hint=N_("https://...")),
            Field("public", N_("A public version is published"), "checkbox"),
            Field("public_on", N_("Public version published on"), "date"),
        ),
        back,
    )


def submit_review(year: int, report_of: str, reviewer: str, back: str) -> Form:
    return Form(
        f"review-{year}-{report_of}-{reviewer}",
        f"/web/reports/{year}/{report_of}/reviews",
        N_("Submit the review"),
        (
            Field("reviewer", N_("Reviewing member"), "hidden", value=reviewer),
            Field("url", N_("Link to the review"), "url", required=True, hint=N_("https://...")),
        ),
        back,
    )


def request_deferral(year: int, member: str, back: str) -> Form:
    return Form(
        f"deferral-{year}-{member}",
        f"/web/rosters/{year}/deferrals",
        N_("Ask to defer"),
        (
            Field("member", N_("Member"), "hidden", value=member),
            Field("reason", N_("Why the member asks to defer"), "textarea", required=True),
        ),
        back,
    )


def decide_deferral(year: int, member: str, back: str) -> Form:
    return Form(
        f"decide-deferral-{year}-{member}",
        f"/web/rosters/{year}/deferrals/{member}/decision",
        N_("Record the decision"),
        (
            Field(
                "approve",
                N_("Decision"),
                "select",
                [
                    ("true", N_("approve: draw a replacement")),
                    ("false", N_("refuse: presents as drawn")),
                ],
                required=True,
            ),
        ),
        back,
    )


def sign_in_link(people: Sequence[tuple[str, str]], by_email: bool = False) -> Form:
    return Form(
        "sign-in-link",
        "/web/sign-in-links",
        N_("Email a one-time link") if by_email else N_("Issue a one-time link"),
        (Field("person", N_("Person"), "select", people, required=True),),
        "/web/sign-in-links",
    )


def end_sessions(people: Sequence[tuple[str, str]]) -> Form:
    return Form(
        "end-sessions",
        "/web/sessions/end",
        N_("End all their sessions"),
        (Field("person", N_("Who to sign out everywhere"), "select", people, required=True),),
        "/web/sign-in-links",
    )
