"""A notice meant for a role's holders goes only to those who still hold it when it is sent.

Found by a review: a Steering Committee member taken off the Committee during a review went on
receiving the review's reminders, which name the applicant (README: a role taken away stops at
once).
"""

from __future__ import annotations

from datetime import UTC, datetime

from governance.kernel.model import Pillar, Role
from governance.kernel.notices import direct_notice
from governance.registry.changes import AddMember, AddPerson
from governance.rulebook.model import NotificationKind, Rulebook
from govsched.notify.console import RecordingNotifier
from govsched.notify.delivery import LedgerDelivery
from govsched.persistence.commands.registry import seed
from govsched.persistence.db import Database
from govsched.persistence.repos import notifications as notification_repo

AT = datetime(2027, 3, 1, 14, tzinfo=UTC)


def _registry(db: Database) -> None:
    people = [
        AddPerson(
            id=person,
            name=person,
            email=f"{person}@norland.example",
            member="gov-norland",
            roles=roles,
        )
        for person, roles in (
            ("sc-still", [Role.FOCAL_POINT, Role.STEERING_COMMITTEE]),
            ("sc-former", [Role.FOCAL_POINT]),
        )
    ]
    member = AddMember(id="gov-norland", name="Norland", pillar=Pillar.GOVERNMENT, country="N")
    with db.writing() as session:
        seed(session, [member, *people], AT, Rulebook())


def _reminder(person: str, for_role: Role | None) -> object:
    version = f"review-reminder-3-{for_role}"
    notice = direct_notice(NotificationKind.DEADLINE_REMINDER, person, "app-x", version, "Due.", AT)
    return notice.model_copy(update={"for_role": for_role})


def test_a_reminder_for_the_committee_reaches_its_members_only(db: Database) -> None:
    _registry(db)
    notifier = RecordingNotifier()
    delivery = LedgerDelivery(db, notifier, clock=lambda: AT)
    kept = delivery.deliver(_reminder("sc-still", Role.STEERING_COMMITTEE))  # type: ignore[arg-type]
    dropped = delivery.deliver(_reminder("sc-former", Role.STEERING_COMMITTEE))  # type: ignore[arg-type]
    anyone = delivery.deliver(_reminder("sc-former", None))  # type: ignore[arg-type]
    assert (kept.status, dropped.status, anyone.status) == (
        notification_repo.SENT,
        notification_repo.OPTED_OUT,
        notification_repo.SENT,
    )
    assert [n.recipients for n in notifier.sent] == [("sc-still",), ("sc-former",)]
