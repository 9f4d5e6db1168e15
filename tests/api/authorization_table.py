"""Who may call each route: the table the authorization matrix asserts, cell by cell.

Each route names the identities refused with a 403, and those for whom the item does not exist
(a 404: applications and concerns are confidential, so their existence is not confirmed to
people who may not see them); every other signed-in identity must get past authorization (any
answer but 401, 403 or 5xx: a 404, 409 or 422 from the rules is fine). Whoever may not see a
confidential item gets exactly the answer an id nobody used gets, whatever the verb: the
routes that carry such ids are classified below (`CONFIDENTIAL_IDS`, `PUBLIC_IDS`), and
tests/api/test_authorization_matrix.py compares the two answers for each of them.
Without a token, with an unknown, revoked or malformed one, every route but the public ones is
a 401. Requests carry real bodies and real ids (`REQUESTS`), so refusals made by the service
and the workflows (not only by the route) are in the table too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# The people the matrix acts as (the demo registry's).
IDENTITIES = {
    "secretariat": "sec-amina-okafor",
    "chair": "fp-gov-norland",  # also a focal point and on the Steering Committee
    "steering_committee": "fp-co-basalt-energy",  # also a focal point
    "focal_point": "fp-gov-lusmark",  # a Full member's focal point, no other role
    "engaged_focal_point": "fp-co-kestrel-resources",  # an Engaged member's focal point
    # an observer's focal point: its member is Full while active but never votes
    "observer_focal_point": "fp-obs-organisation-for-economic-dialogue",
}
EVERYONE = frozenset(IDENTITIES)
NOT_SECRETARIAT = EVERYONE - {"secretariat"}
MEMBERS_ONLY = frozenset({"focal_point", "engaged_focal_point", "observer_focal_point"})
# An Engaged period is read by the Secretariat, the Steering Committee and its member's people.
ENGAGED_HIDDEN = frozenset({"focal_point", "observer_focal_point"})
# The application the matrix acts on is awaiting its completeness check: the Secretariat and
# the Steering Committee know of it, members do not; those who know of it but lack the role
# are refused (403), to the others it does not exist (404) whatever they ask.
COMMITTEE = frozenset({"chair", "steering_committee"})
# A concern filed by `focal_point`, before its referral to the Steering Committee: the other
# members and the Committee member who is not the Chair do not know of it.
UNREFERRED = frozenset({"engaged_focal_point", "observer_focal_point", "steering_committee"})
NOT_PARTIES = frozenset({"engaged_focal_point", "observer_focal_point"})

PUBLIC = "public"
# Only the Secretariat and the Chair edit the plenary agenda (and read its working copy).
NOT_AGENDA_EDITORS = EVERYONE - {"secretariat", "chair"}
# An in-country group's meetings and attendance (issue 23): the Secretariat, and the group's
# coordinator (the matrix's group names `focal_point`'s person as its coordinator).
NOT_GROUP_RUNNERS = EVERYONE - {"secretariat", "focal_point"}
MATRIX_GROUP = {
    "id": "matrix-group",
    "name": "Matrix group",
    "country": "GH",
    "timezone": "Africa/Accra",
    # `focal_point`'s person, and a second whom the Secretariat's removal in the table ends (so
    # that the removal takes nothing from `focal_point`, whatever the order of the calls)
    "coordinators": ["fp-gov-lusmark", "fp-gov-westmarch"],
    # active, so that it keeps a plan (the matrix's plan and funding request: MATRIX_PLAN_YEAR)
    "status": "active",
    "exploration": {"demand": "Asked.", "support": "Backed.", "recorded_on": "2026-01-05"},
}
# The matrix group's plan and the funding request its coordinator (`focal_point`) made against
# it: confidential to the group's coordinators and members (no member here), the Secretariat
# and the Steering Committee.
MATRIX_PLAN_YEAR = 2099
MATRIX_FUNDING = {
    "id": "matrix-funding",
    "year": MATRIX_PLAN_YEAR,
    "amount": {"amount": "1200.00", "currency": "USD"},
    "purpose": "A training.",
}
FUNDING_HIDDEN = frozenset({"engaged_focal_point", "observer_focal_point"})
NOT_COORDINATOR = EVERYONE - {"focal_point"}
MATRIX_SERIES = {
    "id": "matrix-series",
    "title": "Monthly meeting",
    "starts": "2026-01-06T10:00:00",
    "ends": "2026-01-06T12:00:00",
    "rule": "FREQ=MONTHLY;COUNT=12",
}


@dataclass(frozen=True)
class Call:
    method: str
    path: str  # the OpenAPI path, with {placeholders}
    refused: frozenset[str] | str = frozenset()  # identities refused with 403, or PUBLIC
    body: dict[str, Any] | None = None
    hidden: frozenset[str] = frozenset()  # identities answered 404 for a confidential item
    params: dict[str, str] = field(default_factory=dict)
    why: str = ""


def _calls() -> list[Call]:
    sec_only = NOT_SECRETARIAT
    return [
        Call("GET", "/health", PUBLIC),
        Call("GET", "/calendars/public.ics", PUBLIC),
        # the registry: everyone signed in reads it; only the Secretariat changes it
        Call("GET", "/members"),
        Call("GET", "/members/{member_id}"),
        Call("GET", "/people"),
        Call("GET", "/people/{person_id}"),
        Call("GET", "/me"),
        Call("GET", "/plenaries"),
        Call("GET", "/plenaries/{plenary_id}"),
        Call("GET", "/chair-terms"),
        Call("GET", "/steering-committee/seats"),
        Call(
            "POST",
            "/members",
            sec_only,
            {"id": "ngo-matrix", "name": "Matrix Watch", "pillar": "ngo", "country": "Norland"},
        ),
        Call("POST", "/people", sec_only, {"id": "p-matrix", "name": "M", "email": "m@x.example"}),
        Call(
            "POST",
            "/members/{member_id}/status",
            sec_only,
            {"status": "full", "decision": "Matrix decision"},
            why="the Secretariat gets past authorization to a 409: the member is already Full",
        ),
        Call(
            "PUT",
            "/people/{person_id}/roles",
            sec_only,
            {"roles": ["secretariat"]},
            why="the Secretariat, on itself, gets past authorization to a 409: nothing changes",
        ),
        Call(
            "POST",
            "/plenaries",
            sec_only,
            {"year": 2031, "starts": "2031-05-12", "ends": "2031-05-15", "location": "Oslo"},
        ),
        Call(
            "POST",
            "/chair-terms",
            sec_only,
            {"member": "gov-estavia", "starts": "2031-05-15", "ends": "2032-05-14"},
        ),
        Call(
            "POST",
            "/steering-committee/seats",
            sec_only,
            {"member": "gov-lusmark", "starts": "2031-01-01", "ends": "2032-12-31"},
        ),
        # applications: the Secretariat and the Steering Committee read them; each step belongs
        # to its role
        Call("GET", "/applications", why="each sees the applications they may (none, here)"),
        Call("GET", "/applications/{application_id}", hidden=MEMBERS_ONLY),
        Call(
            "POST",
            "/applications",
            sec_only,
            why="applicants have no account: the Secretariat records what they send",
            body={
                "organisation": "Matrix Mining",
                "pillar": "company",
                "country": "Norland",
                "contact_email": "apply@matrix.example",
                "statement": "We commit to implement the Voluntary Principles.",
            },
        ),
        Call(
            "POST",
            "/applications/{application_id}/request-information",
            COMMITTEE,
            {"question": "Please send your security policy."},
            hidden=MEMBERS_ONLY,
        ),
        Call(
            "POST",
            "/applications/{application_id}/provide-information",
            COMMITTEE,
            {"answer": "Attached."},
            hidden=MEMBERS_ONLY,
            why="the applicant's contact, or the Secretariat on its behalf",
        ),
        Call(
            "POST", "/applications/{application_id}/mark-complete", COMMITTEE, hidden=MEMBERS_ONLY
        ),
        Call("POST", "/applications/{application_id}/start-review", COMMITTEE, hidden=MEMBERS_ONLY),
        Call(
            "POST",
            "/applications/{application_id}/recommend",
            frozenset({"secretariat"}),
            {"recommendation": "support"},
            hidden=MEMBERS_ONLY,
        ),
        Call(
            "POST",
            "/applications/{application_id}/object",
            frozenset({"secretariat"}),
            {"reason": "Not yet."},
            hidden=MEMBERS_ONLY,
            why="voting members' focal points (only in the no-objection period: a 409 here)",
        ),
        Call(
            "POST",
            "/applications/{application_id}/plenary-decision",
            frozenset({"steering_committee"}),
            {"decision": "admit"},
            hidden=MEMBERS_ONLY,
        ),
        # Engaged membership: the member's own focal point, or the Secretariat; the period is
        # confidential, so those who may not read it are answered 404 on every verb
        Call("GET", "/members/{engaged_member}/engaged-period"),
        Call(
            "POST",
            "/members/{engaged_member}/evidence",
            EVERYONE - {"secretariat", "engaged_focal_point"} - ENGAGED_HIDDEN,
            {"kind": "implementation_evidence"},
            hidden=ENGAGED_HIDDEN,
        ),
        Call(
            "POST",
            "/members/{engaged_member}/full-membership",
            EVERYONE - {"secretariat", "engaged_focal_point"} - ENGAGED_HIDDEN,
            hidden=ENGAGED_HIDDEN,
        ),
        Call(
            "POST",
            "/members/{engaged_member}/engaged-period/extension",
            EVERYONE - {"secretariat", "chair", "steering_committee"} - ENGAGED_HIDDEN,
            {"until": "2031-01-31", "reason": "Audit delayed."},
            hidden=ENGAGED_HIDDEN,
        ),
        # the roster: public reads for members; deferrals by the presenter or the Secretariat,
        # decided by the Chair or the Secretariat; outcomes by the Secretariat
        Call("GET", "/rosters/forecast"),
        Call("GET", "/rosters/{year}"),
        Call("GET", "/rosters/{year}/verification"),
        Call(
            "POST",
            "/rosters/{year}/deferrals",
            body={"member": "co-basalt-energy", "reason": "Audit late."},
            why="a 409 for everyone until the roster is drawn (in 2101 here): who may ask is "
            "asserted in tests/api/roster/test_rosters_api.py",
        ),
        Call(
            "POST",
            "/rosters/{year}/deferrals/{presenter}/decision",
            EVERYONE - {"secretariat", "chair"},
            {"approve": False},
        ),
        Call(
            "POST",
            "/rosters/{year}/presentations",
            sec_only,
            {"member": "co-basalt-energy", "outcome": "presented"},
        ),
        # the governance year: milestones and the agenda for the Secretariat, the Chair and
        # the Steering Committee; the handover
        Call("GET", "/plenaries/{plenary_id}/milestones"),
        Call("GET", "/plenaries/{plenary_id}/agenda"),
        Call(
            "POST",
            "/plenaries/{plenary_id}/move",
            sec_only,
            {"starts": "2101-05-24", "ends": "2101-05-27"},
        ),
        Call(
            "POST",
            "/plenaries/{plenary_id}/milestones/{milestone}/complete",
            sec_only,
            {},
            why="the milestone's owner (the Secretariat's, here) or the Secretariat",
        ),
        # the agenda the Secretariat and the Chair keep (issue 19): its versions are everyone's
        Call("GET", "/plenaries/{plenary_id}/agenda/versions"),
        Call("GET", "/plenaries/{plenary_id}/agenda/items", NOT_AGENDA_EDITORS),
        Call("POST", "/plenaries/{plenary_id}/agenda/items", NOT_AGENDA_EDITORS, {"title": "Item"}),
        Call(
            "POST",
            "/plenaries/{plenary_id}/agenda/items/{agenda_item}/move",
            NOT_AGENDA_EDITORS,
            {"direction": "up"},
        ),
        Call(
            "POST",
            "/plenaries/{plenary_id}/agenda/items/{agenda_item}/documents",
            NOT_AGENDA_EDITORS,
            {"title": "Paper", "url": "https://example.org/paper.pdf"},
        ),
        Call("DELETE", "/plenaries/{plenary_id}/agenda/items/{agenda_item}", NOT_AGENDA_EDITORS),
        Call("POST", "/plenaries/{plenary_id}/agenda/publish", NOT_AGENDA_EDITORS),
        Call(
            "POST",
            "/plenaries/{plenary_id}/agenda/items/{agenda_item}/decision",
            NOT_AGENDA_EDITORS,
            {"text": "Adopted."},
        ),
        Call("GET", "/handovers"),
        Call("GET", "/handovers/{year}"),
        Call(
            "POST",
            "/handovers/{year}/incoming-chair",
            EVERYONE - {"secretariat", "chair"},
            {"member": "gov-estavia"},
        ),
        Call(
            "POST",
            "/handovers/{year}/items/{handover_item}/complete",
            sec_only,
            {},
            why="the item's owner (the outgoing Chair of 2101: nobody yet) or the Secretariat",
        ),
        # reports and peer review
        Call("GET", "/reports/{year}"),
        Call(
            "POST",
            "/reports/{year}",
            EVERYONE - {"secretariat", "focal_point"},
            {"member": "gov-lusmark", "kind": "full", "url": "https://r.example/lusmark.pdf"},
            why="the member's own focal point (gov-lusmark's), or the Secretariat",
        ),
        Call(
            "POST",
            "/reports/{year}/{report_of}/reviews",
            EVERYONE - {"secretariat", "focal_point"},
            {"reviewer": "gov-lusmark", "url": "https://r.example/review.pdf"},
            why="the reviewer's own focal point (gov-lusmark's), or the Secretariat",
        ),
        # impact indicators (issue 22): a member's values are its own, its reviewers', the
        # Secretariat's and the Steering Committee's; aggregates are everyone's, suppressed
        Call(
            "GET",
            "/reports/{year}/{member_id}/indicators",
            frozenset({"engaged_focal_point", "observer_focal_point"}),
            why="gov-lusmark's own focal point, its reviewers, the Secretariat, the Committee",
        ),
        Call(
            "PUT",
            "/reports/{year}/{member_id}/indicators/draft",
            EVERYONE - {"secretariat", "focal_point"},
            {},
            why="the member's own focal point (gov-lusmark's), or the Secretariat",
        ),
        Call(
            "POST",
            "/reports/{year}/{member_id}/indicators",
            EVERYONE - {"secretariat", "focal_point"},
            {},
            why="the member's own focal point (gov-lusmark's), or the Secretariat",
        ),
        Call(
            "POST",
            "/reports/{year}/{member_id}/indicators/comments",
            EVERYONE - {"focal_point"},
            {"reviewer": "gov-lusmark", "key": "national_action_plan", "text": "Which plan?"},
            why="the reviewer's own focal point (gov-lusmark's); its assignment is asked after",
        ),
        Call("GET", "/indicators/{year}"),
        Call("GET", "/indicators/{year}/comparison", params={"earlier": "2100"}),
        Call("GET", "/indicators/{year}/export.csv", sec_only),
        Call("GET", "/indicators/{year}/export.xlsx", sec_only),
        Call(
            "POST",
            "/review-conflicts",
            EVERYONE - {"secretariat", "focal_point"},
            {
                "reviewer_member": "gov-lusmark",
                "reported_member": "co-aurum-mining",
                "reason": "A joint venture.",
            },
        ),
        # participant concerns: confidential to the filer, the Secretariat and, once referred,
        # the Steering Committee; the Chair may extend the dialogue and decides
        Call("GET", "/concerns"),
        Call("GET", "/concerns/{case}", hidden=UNREFERRED),
        Call(
            "POST",
            "/concerns",
            body={"id": "c-matrix", "about": "co-aurum-mining", "summary": "A concern."},
            why="focal points file; the Secretariat only on behalf of a third party (a 422)",
        ),
        Call(
            "POST",
            "/concerns/{case}/acknowledgement",
            frozenset({"focal_point", "chair"}),
            hidden=UNREFERRED,
        ),
        Call(
            "POST",
            "/concerns/{case}/meetings",
            frozenset({"focal_point", "chair"}),
            {"note": "Met."},
            hidden=UNREFERRED,
        ),
        Call(
            "POST",
            "/concerns/{case}/extension",
            frozenset({"focal_point", "secretariat"}),
            {"reason": "More time."},
            hidden=UNREFERRED,
        ),
        Call(
            "POST",
            "/concerns/{case}/referral",
            frozenset({"focal_point", "chair"}),
            hidden=UNREFERRED,
        ),
        Call(
            "POST",
            "/concerns/{case}/recommendation",
            frozenset({"focal_point", "secretariat"}),
            {"recommendation": "Resolve it."},
            hidden=NOT_PARTIES,
        ),
        Call(
            "POST",
            "/concerns/{case}/decision",
            frozenset({"focal_point", "steering_committee"}),
            {"outcome": "resolved"},
            hidden=NOT_PARTIES,
        ),
        Call(
            "POST",
            "/concerns/{case}/withdrawal",
            frozenset({"steering_committee", "chair"}),
            {},
            hidden=NOT_PARTIES,
            why="the filer (focal_point, here: a 409 once decided) or the Secretariat",
        ),
        # calendars and notifications: one's own, or the Secretariat for anyone
        Call("POST", "/me/calendar-token", body={}),
        Call("DELETE", "/me/calendar-token"),
        Call("DELETE", "/people/{person_id}/calendar-tokens", sec_only),
        Call("DELETE", "/people/{person_id}/web-sessions", sec_only),
        Call("PUT", "/me/calendar-preferences", body={"alarm_minutes_before": 60}),
        Call("GET", "/calendar-items/{item_id}"),
        Call("GET", "/people/{person_id}/notification-preferences"),
        Call("PUT", "/people/{person_id}/notification-preferences", body={"opt_out": []}),
        # in-country groups (issue 23): read by everyone signed in; the Secretariat keeps the
        # registry of groups, the group's coordinator its meetings and attendance too
        Call("GET", "/groups"),
        Call("GET", "/groups/{group_id}"),
        Call("POST", "/groups", sec_only, {**MATRIX_GROUP, "id": "matrix-other"}),
        Call(
            "PUT",
            "/groups/{group_id}/exploration",
            sec_only,
            {"demand": "Asked.", "support": "Backed.", "recorded_on": "2026-01-05"},
        ),
        Call("PUT", "/groups/{group_id}/status", sec_only, {"status": "dormant"}),
        Call("PUT", "/groups/{group_id}/partner", sec_only, {"partner": True}),
        Call("POST", "/groups/{group_id}/members", sec_only, {"member_id": "gov-lusmark"}),
        Call(
            "POST",
            "/groups/{group_id}/participants",
            sec_only,
            {"id": "kofi-mensah", "name": "Kofi Mensah"},
        ),
        Call("POST", "/groups/{group_id}/coordinators", sec_only, {"person_id": "fp-gov-lusmark"}),
        Call("GET", "/groups/{group_id}/meetings"),
        Call("GET", "/groups/{group_id}/occurrences"),
        Call("GET", "/groups/{group_id}/calendar.ics"),
        Call(
            "POST",
            "/groups/{group_id}/meetings",
            NOT_GROUP_RUNNERS,
            {**MATRIX_SERIES, "id": "matrix-another"},
        ),
        Call(
            "POST",
            "/group-meetings/{meeting_id}/moves",
            NOT_GROUP_RUNNERS,
            {
                "recurrence_id": "2026-02-06T10:00:00",
                "starts": "2026-02-07T10:00:00",
                "ends": "2026-02-07T11:00:00",
            },
        ),
        Call(
            "POST",
            "/group-meetings/{meeting_id}/cancellations",
            NOT_GROUP_RUNNERS,
            {"recurrence_id": "2026-03-06T10:00:00"},
        ),
        Call("GET", "/group-meetings/{meeting_id}/attendance"),
        # the group's plans: read by everyone signed in, kept by the Secretariat and the
        # group's coordinator
        Call("GET", "/groups/{group_id}/plans"),
        Call("GET", "/groups/{group_id}/plans/{plan_year}"),
        Call(
            "POST",
            "/groups/{group_id}/plans",
            NOT_GROUP_RUNNERS,
            {"year": 2098},
            why="a group made dormant above keeps no new plan: the runners get a 409",
        ),
        Call(
            "POST",
            "/groups/{group_id}/plans/{plan_year}/deliverables",
            NOT_GROUP_RUNNERS,
            {"id": "matrix-d", "title": "Survey", "owner": "fp-gov-lusmark", "due": "2099-06-30"},
        ),
        Call(
            "PUT",
            "/groups/{group_id}/plans/{plan_year}/deliverables/{deliverable_id}/status",
            NOT_GROUP_RUNNERS,
            {"status": "in_progress"},
        ),
        Call(
            "POST",
            "/groups/{group_id}/plans/{plan_year}/budget-lines",
            NOT_GROUP_RUNNERS,
            {"id": "matrix-line", "label": "Venue", "amount": "10.00", "currency": "USD"},
        ),
        # its funding requests: a coordinator asks, the Secretariat checks, the Committee
        # recommends; nobody else knows of them
        Call("GET", "/groups/{group_id}/funding-requests", why="empty for those not entitled"),
        Call(
            "POST",
            "/groups/{group_id}/funding-requests",
            NOT_COORDINATOR,
            {**MATRIX_FUNDING, "id": "matrix-funding-2"},
        ),
        Call("GET", "/funding-requests/{request_id}", hidden=FUNDING_HIDDEN),
        Call(
            "POST",
            "/funding-requests/{request_id}/check",
            frozenset({"chair", "steering_committee", "focal_point"}),
            {"complete": False, "missing": "A quote."},
            hidden=FUNDING_HIDDEN,
        ),
        Call(
            "POST",
            "/funding-requests/{request_id}/completion",
            frozenset({"secretariat", "chair", "steering_committee"}),
            {"purpose": "A training, with the quote."},
            hidden=FUNDING_HIDDEN,
        ),
        Call(
            "POST",
            "/funding-requests/{request_id}/recommendations",
            frozenset({"secretariat", "focal_point"}),
            {"recommendation": "support"},
            hidden=FUNDING_HIDDEN,
            why="the Committee gets past authorization to a 409: the request is not in review",
        ),
        Call(
            "POST",
            "/funding-requests/{request_id}/use-report",
            frozenset({"secretariat", "chair", "steering_committee"}),
            {"spent": {"amount": "1100.00", "currency": "USD"}, "report": "Held."},
            hidden=FUNDING_HIDDEN,
            why="the coordinator gets past authorization to a 409: not approved",
        ),
        Call(
            "POST",
            "/group-meetings/{meeting_id}/attendance",
            NOT_GROUP_RUNNERS,
            {"recurrence_id": "2026-01-06T10:00:00", "total": 5},
        ),
        # plenary nominations (issue 23, 3c): the group's runners nominate, the Secretariat
        # confirms; everyone signed in reads who goes
        Call("GET", "/groups/{group_id}/nominations"),
        Call(
            "POST",
            "/groups/{group_id}/nominations",
            NOT_GROUP_RUNNERS,
            {"year": 2101, "person_id": "fp-gov-lusmark"},
        ),
        Call(
            "POST",
            "/groups/{group_id}/nominations/{year}/confirmation",
            sec_only,
            {"travel_supported": True},
        ),
        Call("GET", "/plenary-nominations/{year}"),
        # the registry's removals (the Secretariat's): the second coordinator, not `focal_point`
        Call("DELETE", "/groups/{group_id}/members/{member_id}", sec_only),
        Call("DELETE", "/groups/{group_id}/participants/{participant_id}", sec_only),
        Call("DELETE", "/groups/{group_id}/coordinators/{coordinator_id}", sec_only),
        # last: it ends the application the rows above act on
        Call("POST", "/applications/{application_id}/withdraw", COMMITTEE, {}, hidden=MEMBERS_ONLY),
    ]


CALLS = _calls()


# -- confidential items: the unknown-id answer to whoever may not see them ------------------------


@dataclass(frozen=True)
class Confidential:
    """A path placeholder that names a confidential item."""

    read: str  # the item's own read (a table path): 200 there means the identity may see it
    unknown: str  # an id no item has


CONFIDENTIAL_IDS = {
    "application_id": Confidential("/applications/{application_id}", "app-matrix-nobody"),
    "case": Confidential("/concerns/{case}", "c-matrix-nobody"),
    "item_id": Confidential("/calendar-items/{item_id}", "matrix-nobody"),
    "engaged_member": Confidential("/members/{engaged_member}/engaged-period", "co-matrix-nobody"),
    "request_id": Confidential("/funding-requests/{request_id}", "matrix-funding-nobody"),
}


@dataclass(frozen=True)
class WebCall:
    """A web workspace route on a confidential item, with what its form sends."""

    method: str
    path: str
    form: dict[str, str] = field(default_factory=dict)


WEB_CALLS = [
    WebCall("GET", "/web/applications/{application_id}"),
    WebCall("POST", "/web/applications/{application_id}/mark-complete"),
    WebCall("POST", "/web/applications/{application_id}/start-review"),
    WebCall(
        "POST", "/web/applications/{application_id}/request-information", {"question": "Policy?"}
    ),
    WebCall("POST", "/web/applications/{application_id}/provide-information", {"answer": "Here."}),
    WebCall("POST", "/web/applications/{application_id}/recommend", {"recommendation": "support"}),
    WebCall("POST", "/web/applications/{application_id}/object", {"reason": "Not yet."}),
    WebCall("POST", "/web/applications/{application_id}/plenary-decision", {"decision": "admit"}),
    WebCall("GET", "/web/concerns/{case}"),
    WebCall("GET", "/web/calendar-items/{item_id}"),
    WebCall("POST", "/web/concerns/{case}/acknowledge"),
    WebCall("POST", "/web/concerns/{case}/meeting", {"note": "We met."}),
    WebCall("POST", "/web/concerns/{case}/extension", {"reason": "More time."}),
    WebCall("POST", "/web/concerns/{case}/referral"),
    WebCall("POST", "/web/concerns/{case}/recommendation", {"recommendation": "Resolve."}),
    WebCall("POST", "/web/concerns/{case}/decision", {"outcome": "resolved"}),
    WebCall("POST", "/web/concerns/{case}/withdrawal", {"note": "Settled."}),
]

_REGISTRY = "the registry is read by everyone signed in"
_YEAR = "plenaries, rosters, milestones and handovers are the membership's to read"
_CYCLE = (
    "the report cycle's dates are public; who reviews whom is confidential, and who may act "
    "is asked before whether an assignment exists (governance/reports/cycle.py: submit_review)"
)
_GROUPS = "in-country groups and their meetings are the membership's to read"
_OWN = "one's own, or the Secretariat's: asked before anything is read"
_INDICATORS = (
    "members are public; who may read or write a member's values is asked before the values "
    "are read (govsched/services/indicators.py)"
)
# Every other route with an id in its path, API and web alike, names something that is not
# secret (or is a credential); a new route with an id must be classified here or above.
PUBLIC_IDS = {
    ("GET", "/members/{}"): _REGISTRY,
    ("POST", "/members/{}/status"): _REGISTRY,
    ("PUT", "/people/{}/roles"): _REGISTRY,
    ("GET", "/people/{}"): _REGISTRY,
    ("GET", "/plenaries/{}"): _REGISTRY,
    ("GET", "/rosters/{}"): _YEAR,
    ("GET", "/rosters/{}/verification"): _YEAR,
    ("POST", "/rosters/{}/deferrals"): _YEAR,
    ("POST", "/rosters/{}/deferrals/{}/decision"): _YEAR,
    ("POST", "/rosters/{}/presentations"): _YEAR,
    ("GET", "/plenaries/{}/milestones"): _YEAR,
    ("POST", "/plenaries/{}/move"): _YEAR,
    ("POST", "/plenaries/{}/milestones/{}/complete"): _YEAR,
    ("GET", "/plenaries/{}/agenda"): _YEAR + "; each reader's copy holds what they may see",
    ("GET", "/plenaries/{}/agenda/versions"): _YEAR,
    ("GET", "/plenaries/{}/agenda/items"): _YEAR,
    ("POST", "/plenaries/{}/agenda/items"): _YEAR,
    ("POST", "/plenaries/{}/agenda/items/{}/move"): _YEAR,
    ("POST", "/plenaries/{}/agenda/items/{}/documents"): _YEAR,
    ("DELETE", "/plenaries/{}/agenda/items/{}"): _YEAR,
    ("POST", "/plenaries/{}/agenda/publish"): _YEAR,
    ("POST", "/plenaries/{}/agenda/items/{}/decision"): _YEAR,
    ("POST", "/web/plenaries/{}/agenda/items"): _YEAR,
    ("POST", "/web/plenaries/{}/agenda/items/{}/move"): _YEAR,
    ("POST", "/web/plenaries/{}/agenda/items/{}/remove"): _YEAR,
    ("POST", "/web/plenaries/{}/agenda/items/{}/documents"): _YEAR,
    ("POST", "/web/plenaries/{}/agenda/items/{}/decision"): _YEAR,
    ("POST", "/web/plenaries/{}/agenda/publish"): _YEAR,
    ("POST", "/web/plenaries/{}/agenda/versions/{}/announce"): _YEAR,
    ("GET", "/web/reports/{}/report"): _CYCLE,
    ("GET", "/web/reports/{}/reviews/{}"): _CYCLE,
    ("GET", "/handovers/{}"): _YEAR,
    ("POST", "/handovers/{}/incoming-chair"): _YEAR,
    ("POST", "/handovers/{}/items/{}/complete"): _YEAR,
    ("GET", "/reports/{}"): _CYCLE,
    ("POST", "/reports/{}"): _CYCLE,
    ("POST", "/reports/{}/{}/reviews"): _CYCLE,
    ("GET", "/reports/{}/{}/indicators"): _INDICATORS,
    ("PUT", "/reports/{}/{}/indicators/draft"): _INDICATORS,
    ("POST", "/reports/{}/{}/indicators"): _INDICATORS,
    ("POST", "/reports/{}/{}/indicators/comments"): _CYCLE,
    ("POST", "/web/reports/{}/indicators"): _INDICATORS,
    ("POST", "/web/reports/{}/{}/indicator-comments"): _CYCLE,
    ("GET", "/web/indicators/{}/export.csv"): "the Secretariat's only: asked before anything",
    ("GET", "/web/indicators/{}/export.xlsx"): "the Secretariat's only: asked before anything",
    ("POST", "/web/indicators/{}/agenda"): _YEAR,
    ("GET", "/indicators/{}"): _YEAR + "; aggregates only, small cells suppressed",
    ("GET", "/indicators/{}/comparison"): _YEAR + "; aggregates only, small cells suppressed",
    ("GET", "/indicators/{}/export.csv"): "the Secretariat's only: asked before anything is read",
    ("GET", "/indicators/{}/export.xlsx"): "the Secretariat's only: asked before anything is read",
    ("DELETE", "/people/{}/calendar-tokens"): _OWN,
    ("DELETE", "/people/{}/web-sessions"): "the Secretariat's only: asked before anything is read",
    ("GET", "/people/{}/notification-preferences"): _OWN,
    ("PUT", "/people/{}/notification-preferences"): _OWN,
    ("GET", "/calendars/{}.ics"): "the feed token is its own credential (one 404 for all)",
    ("GET", "/web/sign-in/link/{}"): "a one-time sign-in secret, not an item",
    ("GET", "/web/{}"): "no page: one answer for any address under /web/ that is none",
    ("POST", "/web/{}"): "no page: one answer for any address under /web/ that is none",
    ("GET", "/web/unsubscribe/{}"): "a signed unsubscribe link is its own credential (one 404)",
    ("POST", "/web/unsubscribe/{}"): "a signed unsubscribe link is its own credential (one 404)",
    ("POST", "/web/plenaries/{}/milestones/{}/complete"): _YEAR,
    ("POST", "/web/handovers/{}/items/{}/complete"): _YEAR,
    ("POST", "/web/handovers/{}/incoming-chair"): _YEAR,
    ("POST", "/web/rosters/{}/deferrals"): _YEAR,
    ("POST", "/web/rosters/{}/deferrals/{}/decision"): _YEAR,
    ("POST", "/web/reports/{}"): _CYCLE,
    ("POST", "/web/reports/{}/{}/reviews"): _CYCLE,
    ("GET", "/web/directory/members/{}"): _REGISTRY,
    ("POST", "/web/directory/members/{}/status"): _REGISTRY,
    ("GET", "/web/follow/{}/{}"): "a concern's private link is its own credential (one 404)",
    ("GET", "/apply/status/{}/{}"): "an applicant's status link is its own credential (one 404)",
    ("GET", "/apply/status/{}"): "a status link cut short: the same page as an unknown link",
    ("GET", "/groups/{}"): _GROUPS,
    ("PUT", "/groups/{}/exploration"): _GROUPS,
    ("PUT", "/groups/{}/status"): _GROUPS,
    ("PUT", "/groups/{}/partner"): _GROUPS,
    ("POST", "/groups/{}/members"): _GROUPS,
    ("POST", "/groups/{}/participants"): _GROUPS,
    ("POST", "/groups/{}/coordinators"): _GROUPS,
    ("GET", "/groups/{}/meetings"): _GROUPS,
    ("POST", "/groups/{}/meetings"): _GROUPS,
    ("GET", "/groups/{}/occurrences"): _GROUPS,
    ("GET", "/groups/{}/calendar.ics"): _GROUPS,
    ("POST", "/group-meetings/{}/moves"): _GROUPS,
    ("POST", "/group-meetings/{}/cancellations"): _GROUPS,
    ("GET", "/group-meetings/{}/attendance"): _GROUPS + "; attendance is counts, never names",
    ("POST", "/group-meetings/{}/attendance"): _GROUPS,
    ("GET", "/groups/{}/nominations"): _GROUPS,
    ("POST", "/groups/{}/nominations"): _GROUPS,
    ("POST", "/groups/{}/nominations/{}/confirmation"): _GROUPS,
    ("GET", "/plenary-nominations/{}"): _YEAR,
    ("DELETE", "/groups/{}/members/{}"): _GROUPS,
    ("DELETE", "/groups/{}/participants/{}"): _GROUPS,
    ("DELETE", "/groups/{}/coordinators/{}"): _GROUPS,
    ("GET", "/web/groups/{}"): _GROUPS,
    ("POST", "/web/groups/{}/attendance"): _GROUPS,
    ("POST", "/web/groups/{}/cancellations"): _GROUPS,
    ("POST", "/web/groups/{}/meetings"): _GROUPS,
    ("POST", "/web/groups/{}/moves"): _GROUPS,
    ("POST", "/web/groups/{}/exploration"): _GROUPS,
    ("POST", "/web/groups/{}/status"): _GROUPS,
    ("POST", "/web/groups/{}/partner"): _GROUPS,
    ("POST", "/web/groups/{}/members"): _GROUPS,
    ("POST", "/web/groups/{}/members/removal"): _GROUPS,
    ("POST", "/web/groups/{}/participants"): _GROUPS,
    ("POST", "/web/groups/{}/participants/removal"): _GROUPS,
    ("POST", "/web/groups/{}/coordinators"): _GROUPS,
    ("POST", "/web/groups/{}/coordinators/removal"): _GROUPS,
    ("POST", "/web/groups/{}/nominations"): _GROUPS,
    ("POST", "/web/groups/{}/nominations/confirmation"): _GROUPS,
    ("GET", "/groups/{}/plans"): _GROUPS,
    ("POST", "/groups/{}/plans"): _GROUPS,
    ("GET", "/groups/{}/plans/{}"): _GROUPS,
    ("POST", "/groups/{}/plans/{}/deliverables"): _GROUPS,
    ("PUT", "/groups/{}/plans/{}/deliverables/{}/status"): _GROUPS,
    ("POST", "/groups/{}/plans/{}/budget-lines"): _GROUPS,
    ("GET", "/groups/{}/funding-requests"): _GROUPS + "; the list is empty for the others",
    ("POST", "/groups/{}/funding-requests"): _GROUPS + "; only its coordinators ask",
    ("GET", "/web/groups/{}/plans"): _GROUPS,
    ("POST", "/web/groups/{}/plans"): _GROUPS,
    ("GET", "/web/groups/{}/plans/{}"): _GROUPS + "; its funding requests only to those entitled",
    ("POST", "/web/groups/{}/plans/{}/deliverables"): _GROUPS,
    ("POST", "/web/groups/{}/plans/{}/deliverables/status"): _GROUPS,
    ("POST", "/web/groups/{}/plans/{}/budget-lines"): _GROUPS,
    # the request is named in the form, not the path: the service answers as for an unknown id
    ("POST", "/web/groups/{}/plans/{}/funding/requests"): _GROUPS,
    ("POST", "/web/groups/{}/plans/{}/funding/check"): _GROUPS,
    ("POST", "/web/groups/{}/plans/{}/funding/completion"): _GROUPS,
    ("POST", "/web/groups/{}/plans/{}/funding/recommendations"): _GROUPS,
    ("POST", "/web/groups/{}/plans/{}/funding/use-report"): _GROUPS,
    ("POST", "/apply/status/{}/{}/answer"): "an applicant's status link is its own credential",
}
