"""The daily email digest job: each person on the daily cadence gets their held notices in one
email at the rulebook's digest hour (`notifications.digest_hour`, local time).

Held emails are first given to the day's digest (in one transaction), then the digest goes
through the notification ledger like any notice. A crash between the two leaves the digest
open: the next run sends it (its ledger row and Message-ID make a second run send nothing
more), and no held email is ever given to two digests.
"""

from __future__ import annotations

from datetime import datetime

from apscheduler.triggers.cron import CronTrigger

from governance.kernel.timekeeping import local_date
from governance.notifications.email_digest import daily_digest_notice, digest_key, parse_digest_key
from governance.rulebook.model import Rulebook
from govsched.notify.delivery import DeliveryReceipt, LedgerDelivery
from govsched.persistence.db import Database
from govsched.persistence.repos import email as email_repo

DAILY_EMAIL_DIGEST_JOB = "daily-email-digest"


def send_daily_email_digests(
    db: Database, rulebook: Rulebook, notify: LedgerDelivery, now: datetime
) -> list[DeliveryReceipt]:
    """Give every held email to its person's digest of today, then send every open digest."""
    today = local_date(now, rulebook.initiative.timezone)
    with db.writing() as session:
        for person in email_repo.people_with_held(session):
            number = 1
            # a digest with a ledger row is fixed: later notices go in the next one
            while email_repo.has_ledger_row(session, digest_key(person, today, number)):
                number += 1
            email_repo.assign_held(session, person, digest_key(person, today, number))
        keys = email_repo.open_digests(session)
    receipts = []
    for key in keys:
        day, number = parse_digest_key(key)
        person = key.rsplit(":", 1)[1]
        with db.reading() as session:
            entries = email_repo.digest_contents(session, key)
            # a digest sent again keeps its first instant: same Date header, same message
            issued = email_repo.ledger_issued_at(session, key) or now
        notice = daily_digest_notice(person, day, number, entries, issued)
        receipts.append(notify.deliver(notice))
    return receipts


def daily_digest_trigger(rulebook: Rulebook) -> CronTrigger:
    return CronTrigger(
        hour=rulebook.notifications.digest_hour, minute=0, timezone=rulebook.initiative.timezone
    )
