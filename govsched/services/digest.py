"""The weekly digest job: per channel, the coming deadlines, through the notification ledger."""

from __future__ import annotations

import logging
import os
import socket
import uuid
from datetime import datetime, timedelta

from apscheduler.triggers.cron import CronTrigger

from governance.kernel.notices import DIRECT
from governance.kernel.timekeeping import local_date
from governance.notifications.digest import channel_audiences, coming, digest_notice
from governance.rulebook.model import NotificationKind, Rulebook
from govsched.config import Settings
from govsched.notify.delivery import DeliveryReceipt, LedgerDelivery
from govsched.persistence.db import Database
from govsched.persistence.repos import calendar as calendar_repo
from govsched.services.email_digest import (
    DAILY_EMAIL_DIGEST_JOB,
    daily_digest_trigger,
    send_daily_email_digests,
)
from govsched.services.leased_scheduler import LeasedScheduler, register
from govsched.services.notifiers import email_notifier, notifier_for

log = logging.getLogger("govsched.digest")

DIGEST_JOB = "weekly-digest"
DIGEST_LEASE = "scheduler"


def digest_channels(rulebook: Rulebook) -> list[str]:
    routes = rulebook.notifications.routes.get(NotificationKind.DIGEST, [])
    return [channel for channel in routes if channel != DIRECT]


def send_digest(
    db: Database, rulebook: Rulebook, notify: LedgerDelivery, now: datetime
) -> list[DeliveryReceipt]:
    """One digest per channel for the week of `now`; a second call that week sends nothing."""
    tz = rulebook.initiative.timezone
    today = local_date(now, tz)
    channels = digest_channels(rulebook)
    audiences = frozenset().union(*(channel_audiences(c) for c in channels))
    with db.reading() as session:
        items = [event.item for event in calendar_repo.visible_events(session, audiences)]
    days = rulebook.notifications.digest_days_ahead
    receipts = []
    for channel in channels:
        entries = coming(items, channel, today, days, tz)
        receipts.append(notify.deliver(digest_notice(channel, entries, today, now, rulebook)))
    return receipts


def digest_trigger(rulebook: Rulebook) -> CronTrigger:
    rules = rulebook.notifications
    return CronTrigger(
        day_of_week=rules.digest_weekday,
        hour=rules.digest_hour,
        minute=0,
        timezone=rulebook.initiative.timezone,
    )


def holder_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def digest_scheduler(settings: Settings, db: Database, rulebook: Rulebook) -> LeasedScheduler:
    """The leased scheduler of the API process, with the weekly digest registered."""
    notify = LedgerDelivery(db, notifier_for(settings, db, rulebook), report=log.warning)
    register(DIGEST_JOB, lambda: send_digest(db, rulebook, notify, settings.now()))
    jobs = {DIGEST_JOB: digest_trigger(rulebook)}
    by_email = email_notifier(settings, db, rulebook)
    if by_email is not None:
        # the daily email digest (issue 19): by email only, whatever else the person chose
        emails = LedgerDelivery(db, by_email, report=log.warning)
        register(
            DAILY_EMAIL_DIGEST_JOB,
            lambda: send_daily_email_digests(db, rulebook, emails, settings.now()),
        )
        jobs[DAILY_EMAIL_DIGEST_JOB] = daily_digest_trigger(rulebook)
    return LeasedScheduler(
        db,
        DIGEST_LEASE,
        holder_name(),
        jobs,
        ttl=timedelta(seconds=60),
        renew_every=15.0,
        timezone=rulebook.initiative.timezone,
    )
