"""Setting up Slack tests: the fake server, people with emails, a notifier pointed at it."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from temporalio.testing import ActivityEnvironment

from governance.kernel.notices import Notification
from governance.rulebook.model import Rulebook
from govsched.notify.readers import Readers
from govsched.notify.slack.client import build_clients
from govsched.notify.slack.notifier import SlackNotifier
from govsched.notify.slack.pacing import ChannelPacer
from govsched.persistence.db import Database
from govsched.persistence.tables import PersonRoleRow, PersonRow
from tests.slack_fake import TOKEN, SlackFake
from workflows.base.policies import NOTIFY_TIMEOUT

CHANNELS = {
    "secretariat": "CSECRETARIAT",
    "steering_committee": "CSTEERING",
    "all_members": "CMEMBERS",
    "government": "CGOVERNMENTS",
    "company": "CCOMPANIES",
    "ngo": "CNGOS",
    "observer": "COBSERVERS",
}


def add_person(
    db: Database, person_id: str, email: str, roles: tuple[str, ...] = (), name: str = ""
) -> None:
    with db.writing() as session:
        session.add(PersonRow(id=person_id, name=name or person_id, email=email))
        session.flush()
        for role in roles:
            session.add(PersonRoleRow(person_id=person_id, role=role))


def slack_notifier(
    db: Database,
    fake: SlackFake,
    *,
    token: str = TOKEN,
    pacing: float = 0.0,
    timeout: int = 5,
    after_post: Callable[[Notification, str], None] | None = None,
    rulebook: Rulebook | None = None,
    pacer: ChannelPacer | None = None,
) -> SlackNotifier:
    rules = rulebook or Rulebook()
    return SlackNotifier(
        db,
        build_clients(token, fake.base_url, timeout=timeout, backoff=0.01),
        {**rules.notifications.channels, **CHANNELS},
        update_in_place=frozenset(rules.notifications.update_in_place),
        pacer=pacer or ChannelPacer(db, pacing),
        attempts=3,
        backoff=0.01,
        after_post=after_post,
        readers=Readers.of(db, rules),
    )


def attempt_environment(timeout: timedelta = NOTIFY_TIMEOUT) -> ActivityEnvironment:
    """An activity environment whose attempt started now with `timeout` to run, as a worker's
    would (the default one started in 1970 with one second: long over)."""
    env = ActivityEnvironment()
    env.info = dataclasses.replace(
        env.info, started_time=datetime.now(UTC), start_to_close_timeout=timeout
    )
    return env
