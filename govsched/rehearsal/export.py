"""The rehearsal's outputs, written so that the same scenario gives the same bytes.

    DIR/state.json            the registry (and each process's own keys) at `until`
    DIR/notifications.jsonl   one line per delivered notification, in the order issued
    DIR/calendars/*.ics       public.ics, person-<id>.ics, role-<role>.ics, pillar-<pillar>.ics,
                              group-<id>.ics
    DIR/audit.jsonl           the audit log, in the order things happened

Instants are UTC as `YYYY-MM-DDTHH:MM:SSZ` and dates `YYYY-MM-DD`, in scenario time only.
Lists are sorted by their natural key (id, start, issue instant and key), never by timing.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from governance.concerns.access import export_entry
from governance.concerns.model import ConcernRecord
from governance.groups.meetings import occurrences
from governance.groups.plans import overdue as overdue_deliverables
from governance.kernel.notices import DIRECT, Notification
from governance.kernel.timekeeping import end_of_day, iso_instant, local_date
from governance.reports.cycle import expected_kind, owes_report_for, report_status
from governance.rulebook.model import Rulebook
from governance.year.milestones import deadline_progress, progress
from govsched.notify.readers import languages_of, text_in
from govsched.persistence.commands.reports import dates_of
from govsched.persistence.repos import applications as application_repo
from govsched.persistence.repos import audit as audit_repo
from govsched.persistence.repos import concerns as concern_repo
from govsched.persistence.repos import group_plans as plan_repo
from govsched.persistence.repos import groups as group_repo
from govsched.persistence.repos import handover as handover_repo
from govsched.persistence.repos import indicators as indicator_repo
from govsched.persistence.repos import milestones as milestone_repo
from govsched.persistence.repos import notifications as notification_repo
from govsched.persistence.repos import registry as registry_repo
from govsched.persistence.repos import reports as report_repo
from govsched.persistence.repos import roster as roster_repo
from govsched.rehearsal.actions import Refusal
from govsched.services.feeds.export import write_feeds

# Links back to items in rehearsed feeds point at the address `make run` serves by default, so
# the bytes never depend on the machine's settings.
FEED_BASE_URL = "http://127.0.0.1:8000"

# Each process adds the part of state.json it owns: key -> builder(session, now, rulebook).
StateSection = Callable[[Session, datetime, Rulebook], Any]


def registry_state(session: Session) -> dict[str, Any]:
    members = [
        {
            "id": m.id,
            "name": m.name,
            "pillar": m.pillar.value,
            "status": m.status.value,
            "joined": m.joined.isoformat(),
            "status_history": [
                {"status": h.status.value, "since": iso_instant(h.since), "decision": h.decision}
                for h in m.status_history
            ],
        }
        for m in registry_repo.list_members(session)
    ]
    people = [
        {
            "id": p.id,
            "name": p.name,
            "email": p.email,
            "member": p.member,
            "roles": sorted(r.value for r in p.roles),
        }
        for p in registry_repo.list_people(session)
    ]
    plenaries = [
        {
            "year": p.year,
            "starts": p.starts.isoformat(),
            "ends": p.ends.isoformat(),
            "location": p.location,
            "host": p.host,
        }
        for p in registry_repo.list_plenaries(session)
    ]
    chair_terms = [
        {"member": t.member, "starts": iso_instant(t.starts), "ends": iso_instant(t.ends)}
        for t in registry_repo.list_chair_terms(session)
    ]
    return {
        "members": members,
        "people": people,
        "plenaries": plenaries,
        "chair_terms": chair_terms,
    }


def applications_state(
    session: Session, _now: datetime, _rulebook: Rulebook
) -> list[dict[str, Any]]:
    return [
        {
            "id": record.id,
            "organisation": record.applicant.organisation,
            "pillar": record.applicant.pillar.value,
            "state": record.state.value,
            "outcome": record.outcome.value if record.outcome else None,
            "window": record.window.isoformat() if record.window else None,
            "decided_at": iso_instant(record.decided_at) if record.decided_at else None,
            "history": [
                {"state": step.state.value, "at": iso_instant(step.at), "by": step.by}
                for step in record.history
            ],
        }
        for record in application_repo.records(session)
    ]


def rosters_state(
    session: Session, _now: datetime, _rulebook: Rulebook
) -> dict[str, list[dict[str, str]]]:
    """Each roster as it stands (after deferrals), by year."""
    return {
        str(document.year): [
            {"member": s.member, "pillar": s.pillar.value, "reason": s.reason}
            for s in document.slots
        ]
        for document in roster_repo.documents(session)
    }


def ledger_state(session: Session, _now: datetime, _rulebook: Rulebook) -> list[dict[str, Any]]:
    return [
        {"year": e.year, "member": e.member, "outcome": e.outcome.value}
        for e in roster_repo.ledger(session)
    ]


def milestones_state(session: Session, now: datetime, rulebook: Rulebook) -> list[dict[str, Any]]:
    """Every plenary's milestones; an open one whose due day has ended is `overdue`."""
    tz = rulebook.initiative.timezone
    rows = []
    for m in milestone_repo.all_milestones(session):
        status = progress(m, now, tz).value
        rows.append(
            {
                "year": m.year,
                "key": m.key,
                "title": m.title,
                "due": m.due.isoformat(),
                "owner_role": m.owner_role.value,
                "status": status,
                "plenary": m.plenary_id,
            }
        )
    return rows


def handovers_state(session: Session, now: datetime, rulebook: Rulebook) -> list[dict[str, Any]]:
    """Every Chair handover with its checklist; an open item past its due day is `overdue`."""
    tz = rulebook.initiative.timezone
    return [
        {
            "year": h.year,
            "outgoing": h.outgoing,
            "incoming": h.incoming,
            "items": [
                {
                    "key": i.key,
                    "title": i.title,
                    "owner": i.owner.value,
                    "due": i.due.isoformat(),
                    "status": deadline_progress(i.completed_at is not None, i.due, now, tz).value,
                    "completed_by": i.completed_by,
                }
                for i in h.items
            ],
            "completed_at": iso_instant(h.completed_at) if h.completed_at else None,
        }
        for h in handover_repo.all_handovers(session)
    ]


def seats_state(session: Session, _now: datetime, _rulebook: Rulebook) -> list[dict[str, Any]]:
    return [
        {
            "member": s.member,
            "pillar": s.pillar.value,
            "starts": s.starts.isoformat(),
            "ends": s.ends.isoformat(),
        }
        for s in registry_repo.list_seats(session)
    ]


def report_cycles_state(session: Session, now: datetime, rulebook: Rulebook) -> dict[str, Any]:
    """Each reporting year: its dates, every member's report, the reviews, the escalations."""
    tz = rulebook.initiative.timezone
    members = registry_repo.list_members(session)
    cycles: dict[str, Any] = {}
    for year in report_repo.report_years(session):
        dates = dates_of(session, year, rulebook)
        if dates is None:
            continue
        overdue = now >= end_of_day(dates.due, tz)
        submitted = {r.member: r for r in report_repo.reports(session, year)}
        rows = []
        for m in members:
            report = submitted.get(m.id)
            if report is None and not owes_report_for(
                m.status, m.pillar, m.joined, dates, rulebook
            ):
                continue
            if report is not None:
                status = report_status(report)
                kind = report.kind.value
            else:
                status = "overdue" if overdue else "open"
                kind = expected_kind(year, m.joined, rulebook).value
            rows.append(
                {
                    "member": m.id,
                    "kind": kind,
                    "submitted_at": iso_instant(report.submitted_at) if report else None,
                    "status": status,
                }
            )
        cycles[str(year)] = {
            "opens": dates.opens.isoformat(),
            "due": dates.due.isoformat(),
            "reports": rows,
            "reviews": [
                {
                    "report_of": r.report_of,
                    "reviewer": r.reviewer,
                    "due": dates.review_due.isoformat(),
                    "submitted_at": iso_instant(r.submitted_at) if r.submitted_at else None,
                    "reason": r.reason,
                }
                for r in report_repo.reviews(session, year)
            ],
            "escalations": [
                {
                    "member": m.member,
                    "missed_in_a_row": m.missed_in_a_row,
                    "escalation": m.escalation.value,
                }
                for m in report_repo.missed(session, year)
                if m.escalation is not None
            ],
        }
    return cycles


def concerns_state(session: Session, _now: datetime, _rulebook: Rulebook) -> list[dict[str, Any]]:
    """Participant concerns with an anonymous filer masked: state.json is not the Secretariat's
    own export (that is `govsched concern export`)."""
    return [concerns_line(record, secretariat=False) for record in concern_repo.records(session)]


def concerns_line(record: ConcernRecord, secretariat: bool) -> dict[str, Any]:
    entry = export_entry(record, secretariat)
    for step in entry["history"]:
        step["at"] = iso_instant(step["at"])
    return entry


def indicators_state(session: Session, _now: datetime, _rulebook: Rulebook) -> dict[str, Any]:
    """Each year's submitted indicator values by member (drafts are the member's own)."""
    return {
        str(year): {
            kept.member: kept.submitted
            for kept in indicator_repo.all_stored(session, year)
            if kept.submitted is not None
        }
        for year in indicator_repo.years(session)
    }


def indicator_versions_state(
    session: Session, _now: datetime, rulebook: Rulebook
) -> dict[str, str]:
    """The indicator set version of each reporting year (the one its values were checked by)."""
    years = {*report_repo.report_years(session), *indicator_repo.years(session)}
    versions = {}
    for year in sorted(years):
        stored = [k.version for k in indicator_repo.all_stored(session, year) if k.version]
        if stored:
            versions[str(year)] = stored[0]
        elif any(s.from_year <= year for s in rulebook.indicators.sets):
            versions[str(year)] = rulebook.indicators.set_for_year(year).version
    return versions


# Before any group's first meeting: where the list of occurrences held starts.
_GROUPS_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


def groups_state(session: Session, now: datetime, _rulebook: Rulebook) -> list[dict[str, Any]]:
    """In-country groups (issue 23): each with its meetings, the occurrences held by `now`
    and to come in the next year, and attendance as counts."""
    rows = []
    for group in group_repo.groups(session):
        meetings = []
        for meeting in group_repo.meetings(session, group.id):
            held = occurrences(meeting, group.timezone, _GROUPS_EPOCH, now)
            coming = occurrences(meeting, group.timezone, now, now + timedelta(days=366))
            meetings.append(
                {
                    # SEQUENCE is the feed's business, not the rehearsal's record
                    **meeting.model_dump(
                        mode="json",
                        exclude={
                            "group_id": True,
                            "cancelled": True,
                            "sequence": True,
                            "moved": {"__all__": {"sequence"}},
                        },
                    ),
                    "cancelled": sorted(t.isoformat() for t in meeting.cancelled),
                    "held": [o.local_starts.isoformat() for o in held if o.starts < now],
                    "coming": [o.local_starts.isoformat() for o in coming if o.starts >= now],
                    "attendance": [
                        a.model_dump(mode="json", exclude={"meeting_id"})
                        for a in group_repo.attendance(session, meeting.id)
                    ],
                }
            )
        document = group.model_dump(mode="json", exclude={"member_ids", "coordinators"})
        rows.append(
            {
                **document,
                "member_ids": sorted(group.member_ids),
                "coordinators": sorted(group.coordinators),
                "meetings": meetings,
                "nominations": {
                    str(n.year): n.model_dump(mode="json", exclude={"group_id", "year"})
                    for n in group_repo.nominations(session, group_id=group.id)
                },
                **_plans_state(session, group.id, group.timezone, now, _rulebook),
            }
        )
    return rows


def _plans_state(
    session: Session, group_id: str, tz: str, now: datetime, rulebook: Rulebook
) -> dict[str, Any]:
    """A group's annual plans (totals per currency as exact decimal text, the deliverables
    overdue on the group's `today`) and its funding requests (with the overdue use-report
    flag on the initiative's day)."""
    plans = [
        {
            **plan.model_dump(mode="json", exclude={"group_id", "created_at"}),
            "totals": {currency: format(total, "f") for currency, total in plan.totals.items()},
            "overdue": [d.id for d in overdue_deliverables(plan, local_date(now, tz))],
        }
        for plan in plan_repo.plans(session, group_id)
    ]
    initiative_today = local_date(now, rulebook.initiative.timezone)
    requests = [
        {
            **request.model_dump(mode="json", exclude={"group_id"}),
            "report_overdue": request.report_overdue(initiative_today),
        }
        for request in plan_repo.requests(session, group_id)
    ]
    return {"plans": plans, "funding_requests": requests}


# Each process adds the part of state.json it owns, in this order, after the registry.
STATE_SECTIONS: dict[str, StateSection] = {
    "applications": applications_state,
    "rosters": rosters_state,
    "presentation_ledger": ledger_state,
    "milestones": milestones_state,
    "handovers": handovers_state,
    "steering_committee_seats": seats_state,
    "report_cycles": report_cycles_state,
    "indicators": indicators_state,
    "indicator_versions": indicator_versions_state,
    "groups": groups_state,
    "concerns": concerns_state,
}


def _json_lines(rows: Iterable[dict[str, Any]]) -> str:
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)


def _write(path: Path, content: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")


def write_outputs(
    session: Session,
    rulebook: Rulebook,
    now: datetime,
    out: Path,
    refusals: list[Refusal],
    sections: dict[str, StateSection] | None = None,
) -> None:
    state: dict[str, Any] = {"now": iso_instant(now), **registry_state(session)}
    for key, build in (sections or {}).items():
        state[key] = build(session, now, rulebook)
    state["refusals"] = [r.as_json(iso_instant) for r in refusals]
    _write(out / "state.json", json.dumps(state, ensure_ascii=False, indent=2) + "\n")

    notifications = [
        {
            "sent_at": iso_instant(n.issued_at),
            "kind": n.kind.value,
            "channel": n.channel,
            "recipients": list(n.recipients),
            "text": n.text,
            "key": n.key,
            "read": _as_read(session, rulebook, n),
        }
        for n in notification_repo.delivered(session)
    ]
    _write(out / "notifications.jsonl", _json_lines(notifications))

    audit = [
        {
            "at": iso_instant(e.at),
            "actor": e.actor,
            "action": e.action,
            "item_kind": e.item_kind,
            "item_id": e.item_id,
            "reason": e.reason,
            "data": e.data,
            "key": e.key,
        }
        for e in audit_repo.entries(session)
    ]
    _write(out / "audit.jsonl", _json_lines(audit))

    write_feeds(session, rulebook, now, out / "calendars", FEED_BASE_URL)


def _as_read(session: Session, rulebook: Rulebook, notice: Notification) -> list[dict[str, str]]:
    """The notice as each of its readers read it (issue 20): every recipient of a direct
    notice in their language, a channel's post in the channel's."""
    default = rulebook.initiative.language
    if notice.channel == DIRECT:
        readers = languages_of(session, notice.recipients, default)
    else:
        readers = {
            notice.channel: rulebook.notifications.channel_languages.get(notice.channel, default)
        }
    return [
        {
            "to": to,
            "language": language.value,
            "text": text_in(notice, language, rulebook.label_text),
        }
        for to, language in readers.items()
    ]
