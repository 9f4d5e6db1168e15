"""Who may call each route: the table the authorization matrix asserts, cell by cell.

Each route names the identities refused with a 403, and those for whom the item does not exist
(a 404: applications and concerns are confidential, so their existence is not confirmed to
people who may not see them); every other signed-in identity must get past authorization (any
answer but 401, 403 or 5xx: a 404, 409 or 422 from the rules is fine).
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
}
EVERYONE = frozenset(IDENTITIES)
NOT_SECRETARIAT = EVERYONE - {"secretariat"}
MEMBERS_ONLY = frozenset({"focal_point", "engaged_focal_point"})
# A concern filed by `focal_point`, before its referral to the Steering Committee: the other
# member and the Committee member who is not the Chair do not know of it.
UNREFERRED = frozenset({"engaged_focal_point", "steering_committee"})

PUBLIC = "public"


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
            sec_only,
            {"question": "Please send your security policy."},
        ),
        Call(
            "POST",
            "/applications/{application_id}/provide-information",
            NOT_SECRETARIAT,
            {"answer": "Attached."},
            why="the applicant's contact, or the Secretariat on its behalf",
        ),
        Call("POST", "/applications/{application_id}/mark-complete", sec_only),
        Call("POST", "/applications/{application_id}/start-review", sec_only),
        Call(
            "POST",
            "/applications/{application_id}/recommend",
            EVERYONE - {"chair", "steering_committee"},
            {"recommendation": "support"},
        ),
        Call(
            "POST",
            "/applications/{application_id}/object",
            EVERYONE - {"chair", "steering_committee", "focal_point"},
            {"reason": "Not yet."},
            why="Full members' focal points (only in the no-objection period)",
        ),
        Call(
            "POST",
            "/applications/{application_id}/plenary-decision",
            EVERYONE - {"secretariat", "chair"},
            {"decision": "admit"},
        ),
        # Engaged membership: the member's own focal point, or the Secretariat
        Call("GET", "/members/{engaged_member}/engaged-period"),
        Call(
            "POST",
            "/members/{engaged_member}/evidence",
            EVERYONE - {"secretariat", "engaged_focal_point"},
            {"kind": "implementation_evidence"},
        ),
        Call(
            "POST",
            "/members/{engaged_member}/full-membership",
            EVERYONE - {"secretariat", "engaged_focal_point"},
        ),
        Call(
            "POST",
            "/members/{engaged_member}/engaged-period/extension",
            EVERYONE - {"secretariat", "chair", "steering_committee"},
            {"until": "2031-01-31", "reason": "Audit delayed."},
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
            hidden=frozenset({"engaged_focal_point"}),
        ),
        Call(
            "POST",
            "/concerns/{case}/decision",
            frozenset({"focal_point", "steering_committee"}),
            {"outcome": "resolved"},
            hidden=frozenset({"engaged_focal_point"}),
        ),
        Call(
            "POST",
            "/concerns/{case}/withdrawal",
            frozenset({"steering_committee", "chair"}),
            {},
            hidden=frozenset({"engaged_focal_point"}),
            why="the filer (focal_point, here: a 409 once decided) or the Secretariat",
        ),
        # calendars and notifications: one's own, or the Secretariat for anyone
        Call("POST", "/me/calendar-token", body={}),
        Call("DELETE", "/me/calendar-token"),
        Call("DELETE", "/people/{person_id}/calendar-tokens", sec_only),
        Call("PUT", "/me/calendar-preferences", body={"alarm_minutes_before": 60}),
        Call("GET", "/calendar-items/{item_id}"),
        Call("GET", "/people/{person_id}/notification-preferences"),
        Call("PUT", "/people/{person_id}/notification-preferences", body={"opt_out": []}),
        # last: it ends the application the rows above act on
        Call("POST", "/applications/{application_id}/withdraw", sec_only, {}),
    ]


CALLS = _calls()
