"""The outbox: every notice the workspace sent, to whom, on which channel (Slack, email, the
console), and where each delivery stands, read from the delivery ledger. Notices go out through
the real notifiers: Slack against the HTTP fake of Slack's servers, email to a real SMTP
server in the test process, the console when no Slack token is set."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from governance.applications.applicant_notices import question_notices
from governance.kernel.notices import Notification, channel_notice, direct_notice
from governance.notifications.channels import Channels, DeliveryChoice
from governance.rulebook.model import NotificationKind, Rulebook
from govsched.config import Settings
from govsched.http.app import create_app
from govsched.notify.delivery import LedgerDelivery
from govsched.persistence.db import Database
from govsched.persistence.repos import api_tokens as token_repo
from govsched.persistence.repos import applications as application_repo
from govsched.persistence.repos import channel_choice as channel_choice_repo
from govsched.persistence.repos import registry as registry_repo
from govsched.services.notifiers import notifier_for
from tests.api.conftest import seeded_database
from tests.governance.applications.application_cast import information_requested
from tests.slack_fake import TOKEN, SlackFake
from tests.slack_helpers import CHANNELS
from tests.smtp_sink import SmtpSink
from tests.web.conftest import FOCAL_POINT, ROLES, SECRETARIAT, STEERING_COMMITTEE
from tests.web.html_checks import error_for, sign_in, text, unlabelled

K = NotificationKind
NOW = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)


@dataclass
class OutboxSite:
    app: TestClient
    db: Database
    tokens: dict[str, str]
    settings: Settings

    def client(self, person: str) -> TestClient:
        client = TestClient(self.app.app)
        assert sign_in(client, self.tokens[person]).status_code == 303
        return client

    def send(self, notice: Notification) -> None:
        notifier = notifier_for(self.settings, self.db, Rulebook())
        LedgerDelivery(self.db, notifier).deliver(notice)

    def page(self, **params: str) -> str:
        response = self.client(SECRETARIAT).get("/web/outbox", params=params)
        assert response.status_code == 200, response.text
        return text(response.text)


def _email(db: Database, person: str) -> str:
    with db.reading() as session:
        record = registry_repo.get_person(session, person)
    assert record is not None
    return record.email


def _name(db: Database, person: str) -> str:
    with db.reading() as session:
        record = registry_repo.get_person(session, person)
    assert record is not None
    return record.name


@pytest.fixture(scope="module")
def mail() -> Iterator[SmtpSink]:
    with SmtpSink() as sink:
        yield sink


def _site(
    tmp_path_factory: pytest.TempPathFactory, sink: SmtpSink, slack: SlackFake | None
) -> OutboxSite:
    url, db = seeded_database(tmp_path_factory.mktemp("web-outbox"))
    with db.writing() as session:
        now = datetime.now(UTC)
        tokens = {p: token_repo.issue(session, p, now, "web test") for p in ROLES.values()}
    settings = Settings(
        database_url=url,
        id_secret="web outbox tests",
        smtp_host="127.0.0.1",
        smtp_port=sink.port,
        smtp_tls="none",
        smtp_from="VPI Secretariat <secretariat@vpi.example.org>",
    )
    if slack is not None:
        chat = {
            "slack_token": SecretStr(TOKEN),
            "slack_base_url": slack.base_url,
            "slack_channels": CHANNELS,
            "slack_pacing_seconds": 0.0,
        }
        settings = settings.model_copy(update=chat)
    app = create_app(settings, db=db, run_scheduler=False)
    return OutboxSite(TestClient(app), db, tokens, settings)


REMINDER = direct_notice(
    K.DEADLINE_REMINDER, FOCAL_POINT, "report-2026-gov-lusmark", 1, "Outbox test: report due", NOW
)
TO_COMMITTEE = direct_notice(
    K.DEADLINE_REMINDER, STEERING_COMMITTEE, "app-outbox", 2, "Outbox test: recommend", NOW
)
POST = channel_notice(K.DECISION, "secretariat", "app-outbox", 1, "Outbox test: decided", NOW)


@pytest.fixture(scope="module")
def slack_site(tmp_path_factory: pytest.TempPathFactory, mail: SmtpSink) -> Iterator[OutboxSite]:
    fake = SlackFake().start()
    try:
        site = _site(tmp_path_factory, mail, fake)
        fake.add_user(_email(site.db, FOCAL_POINT), "UFOCAL")
        site.send(REMINDER)
        site.send(POST)
        yield site
    finally:
        fake.stop()


@pytest.fixture(scope="module")
def console_site(tmp_path_factory: pytest.TempPathFactory, mail: SmtpSink) -> OutboxSite:
    site = _site(tmp_path_factory, mail, None)
    with site.db.writing() as session:
        chat_too = DeliveryChoice(channels=Channels.BOTH)
        channel_choice_repo.set_choice(session, STEERING_COMMITTEE, chat_too, NOW)
    site.send(REMINDER)
    site.send(POST)
    site.send(TO_COMMITTEE)
    return site


def test_each_notice_shows_its_slack_posts_and_emails(slack_site: OutboxSite) -> None:
    words = slack_site.page()
    assert "Outbox test: report due" in words
    assert "Outbox test: decided" in words
    assert "Slack to #secretariat: posted" in words
    name = _name(slack_site.db, FOCAL_POINT)
    assert f"Slack to {name}: posted" in words
    assert f"Email to {name} <{_email(slack_site.db, FOCAL_POINT)}>: accepted by the relay" in words
    # the channel's post is emailed to the Secretariat's people, each with a line
    assert f"<{_email(slack_site.db, SECRETARIAT)}>: accepted by the relay" in words
    assert "Console to" not in words


def test_the_outbox_filters_by_channel_kind_and_delivery(slack_site: OutboxSite) -> None:
    only_slack = slack_site.page(channel="slack")
    assert "Outbox test: report due" in only_slack
    assert "Outbox test: decided" in only_slack
    assert "Nothing matches these choices" in slack_site.page(channel="console")
    reminders = slack_site.page(kind="deadline_reminder")
    assert "Outbox test: report due" in reminders
    assert "Outbox test: decided" not in reminders
    assert "Nothing matches these choices" in slack_site.page(state="failed")


def test_without_a_slack_token_chat_is_the_console(console_site: OutboxSite) -> None:
    words = console_site.page(channel="console")
    assert "Console to #secretariat: printed on the worker's console" in words
    # the focal point chose nothing: with email and no Slack, that is email alone
    assert "Outbox test: report due" not in words
    emailed = console_site.page(channel="email")
    assert f"Email to {_name(console_site.db, FOCAL_POINT)}" in emailed
    assert "Outbox test: report due" in emailed
    # who chose Slack and email gets both: the console stands in for Slack
    assert "Outbox test: recommend" in words
    committee = _name(console_site.db, STEERING_COMMITTEE)
    assert f"Console to {committee}: printed on the worker's console" in words
    assert f"Email to {committee} <{_email(console_site.db, STEERING_COMMITTEE)}>" in words
    assert "Nothing matches these choices" in console_site.page(channel="slack")


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"channel": "pigeon"}, "outbox-channel"),
        ({"state": "lost"}, "outbox-state"),
        ({"kind": "gossip"}, "outbox-kind"),
    ],
)
def test_a_bad_choice_is_refused_beside_its_field(
    slack_site: OutboxSite, params: dict[str, str], field: str
) -> None:
    response = slack_site.client(SECRETARIAT).get("/web/outbox", params=params)
    assert response.status_code == 422
    assert "is not one of the choices" in error_for(response.text, field)
    assert "Outbox test" not in response.text
    assert unlabelled(response.text) == []


def test_the_outbox_is_the_secretariats(slack_site: OutboxSite) -> None:
    # notices carry confidential text (applications, concerns): nobody else reads them here
    for person in (STEERING_COMMITTEE, FOCAL_POINT):
        response = slack_site.client(person).get("/web/outbox")
        assert response.status_code == 403
        assert "Outbox test" not in response.text
    html = slack_site.client(SECRETARIAT).get("/web/my-work").text
    assert 'href="/web/outbox"' in html


def test_a_post_emailed_to_many_is_summed_up_with_each_person_inside(
    slack_site: OutboxSite,
) -> None:
    post = channel_notice(
        K.ANNOUNCEMENT, "government", "plenary-2027", 9, "Outbox test: governments", NOW
    )
    slack_site.send(post)
    html = slack_site.client(SECRETARIAT).get("/web/outbox", params={"kind": "announcement"}).text
    summary = re.search(r"<summary><strong>Email</strong> to (\d+) people: (\d+) delivered", html)
    assert summary, text(html)
    assert summary.group(1) == summary.group(2)
    assert int(summary.group(1)) > 3
    # each person is still listed, inside the summary
    inside = html[html.index("<details") : html.index("</details>")]
    assert inside.count("accepted by the relay") == int(summary.group(1))
    assert "Slack to #government: posted" in text(html)


def test_an_applicants_notice_is_emailed_to_its_contact_never_printed(
    console_site: OutboxSite,
) -> None:
    record = information_requested().model_copy(update={"id": "app-outbox-asked"})
    with console_site.db.writing() as session:
        application_repo.save(session, record)
    [notice] = question_notices(record, NOW)
    console_site.send(notice)
    emailed = console_site.page(channel="email")
    assert "Please send your security policy." in emailed
    assert "Email to app-outbox-asked <contact@ember.example>: accepted by the relay" in emailed
    # an applicant is nobody in the directory: never on chat, nor on the console standing in
    assert "Please send your security policy." not in console_site.page(channel="console")
