"""The workspace with email (a real SMTP server in the test process): sign-in links go to the
person's address and never to the Secretariat's page, unsubscribe links work without a
sign-in, the email outbox lists what went out, and people choose their channels."""

from __future__ import annotations

from collections.abc import Iterator, MutableMapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import anyio
import pytest
from fastapi.testclient import TestClient

from activities.notifications import NotificationActivities
from governance.kernel.languages import Language
from governance.kernel.notices import direct_notice
from governance.notifications.channels import Channels, EmailCadence
from governance.rulebook.model import NotificationKind, Rulebook
from govsched.config import Settings
from govsched.http.app import create_app
from govsched.http.web.routes import session as session_routes
from govsched.notify.email.links import unsubscribe_url
from govsched.persistence.db import Database
from govsched.persistence.repos import api_tokens as token_repo
from govsched.persistence.repos import audit as audit_repo
from govsched.persistence.repos import channel_choice as channel_choice_repo
from govsched.persistence.repos import notification_preferences as preference_repo
from govsched.persistence.repos import registry as registry_repo
from govsched.services.ids import server_secret
from govsched.services.notifiers import email_notifier
from tests.api.conftest import seeded_database
from tests.smtp_sink import Received, SmtpSink
from tests.web.conftest import CHAIR, FOCAL_POINT, ROLES, SECRETARIAT
from tests.web.html_checks import csrf, error_for, hidden, sign_in, text, unlabelled

K = NotificationKind


@dataclass
class MailSite:
    app: TestClient
    db: Database
    tokens: dict[str, str]
    sink: SmtpSink
    settings: Settings

    def client(self, person: str | None = None) -> TestClient:
        client = TestClient(self.app.app)
        if person is not None:
            assert sign_in(client, self.tokens[person]).status_code == 303
        return client

    def address(self, person: str) -> str:
        with self.db.reading() as session:
            record = registry_repo.get_person(session, person)
        assert record is not None
        return record.email


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MailSite]:
    url, db = seeded_database(tmp_path_factory.mktemp("web-email"))
    with db.writing() as session:
        now = datetime.now(UTC)
        tokens = {p: token_repo.issue(session, p, now, "web test") for p in ROLES.values()}
    with SmtpSink() as sink:
        settings = Settings(
            database_url=url,
            id_secret="web email tests",
            smtp_host="127.0.0.1",
            smtp_port=sink.port,
            smtp_tls="none",
            smtp_from="VPI Secretariat <secretariat@vpi.example.org>",
        )
        app = create_app(settings, db=db, run_scheduler=False)
        yield MailSite(TestClient(app), db, tokens, sink, settings)
    db.dispose()


def _new_mail(site: MailSite, before: int) -> list[Received]:
    return site.sink.wait_for(before + 1)[before:]


def _link_in(received: Received) -> str:
    plain = received.part("plain")
    [line] = [line for line in plain.splitlines() if "/web/sign-in/link/" in line]
    return line.strip().split("http://127.0.0.1:8000", 1)[1]


def _redeem(client: TestClient, path: str) -> int:
    landing = client.get(path)
    data = {
        "secret": hidden(landing.text, "secret"),
        "pre_session": hidden(landing.text, "pre_session"),
    }
    return int(client.post("/web/sign-in/link", data=data, follow_redirects=False).status_code)


def test_the_secretariat_sends_a_link_it_never_sees_and_the_person_signs_in_with_it(
    site: MailSite,
) -> None:
    before = len(site.sink.received)
    secretariat = site.client(SECRETARIAT)
    page = secretariat.get("/web/sign-in-links")
    sent = secretariat.post(
        "/web/sign-in-links", data={"person": FOCAL_POINT, "csrf_token": csrf(page.text)}
    )

    assert sent.status_code == 200
    assert "A sign-in link was emailed to" in text(sent.text)
    assert site.address(FOCAL_POINT) in sent.text
    assert "/web/sign-in/link/" not in sent.text  # the secret is not on the page
    assert 'id="issued-link"' not in sent.text
    [mail] = _new_mail(site, before)
    assert mail.rcpt_tos == (site.address(FOCAL_POINT),)
    path = _link_in(mail)
    assert path in mail.part("html")
    assert mail.message["List-Unsubscribe"] is None  # nobody subscribed to sign-in links

    outbox = secretariat.get("/web/outbox/email", params={"kind": "sign_in"})
    assert outbox.status_code == 200
    assert site.address(FOCAL_POINT) in outbox.text
    assert "Your sign-in link" in outbox.text
    assert "accepted by the relay" in outbox.text
    assert path.rsplit("/", 1)[1] not in outbox.text  # nor in the outbox

    visitor = site.client()
    assert _redeem(visitor, path) == 303
    with site.db.reading() as session:
        person = registry_repo.get_person(session, FOCAL_POINT)
    assert person is not None
    assert person.name in text(visitor.get("/web/my-work").text)
    assert _redeem(site.client(), path) == 410  # once


def test_a_person_asks_for_a_link_by_address_and_strangers_learn_nothing(
    site: MailSite,
) -> None:
    def ask(address: str) -> str:
        client = site.client()
        form = client.get("/web/sign-in")
        assert unlabelled(form.text) == []
        data = {"address": address, "pre_session": hidden(form.text, "pre_session")}
        response = client.post("/web/sign-in/email", data=data)
        assert response.status_code == 200
        return text(response.text)

    before = len(site.sink.received)
    known = ask(site.address(CHAIR).upper())
    [mail] = _new_mail(site, before)
    unknown = ask("nobody@nowhere.example")

    assert known == unknown  # the same answer whoever asks
    assert "a sign-in link is on its way" in known
    assert mail.rcpt_tos == (site.address(CHAIR),)
    assert _redeem(site.client(), _link_in(mail)) == 303
    assert len(site.sink.received) == before + 1  # nothing for the unknown address


def test_asking_again_and_again_is_paced(site: MailSite) -> None:
    before = len(site.sink.received)
    for _ in range(5):
        client = site.client()
        form = client.get("/web/sign-in")
        data = {
            "address": site.address(SECRETARIAT),
            "pre_session": hidden(form.text, "pre_session"),
        }
        assert client.post("/web/sign-in/email", data=data).status_code == 200
    site.sink.wait_for(before + 3)
    assert len(site.sink.to(site.address(SECRETARIAT))) == 3


def test_a_bad_address_is_refused_beside_the_field(site: MailSite) -> None:
    client = site.client()
    form = client.get("/web/sign-in")
    data = {"address": "not an address", "pre_session": hidden(form.text, "pre_session")}
    response = client.post("/web/sign-in/email", data=data)
    assert response.status_code == 422
    assert error_for(response.text, "address") == "enter your email address"


def _email_to(site: MailSite, person: str, kind: NotificationKind, item: str) -> Received:
    notifier = email_notifier(site.settings, site.db, Rulebook())
    assert notifier is not None
    before = len(site.sink.received)
    notice = direct_notice(kind, person, item, 1, "Your report is due.", datetime.now(UTC))
    NotificationActivities(site.db, notifier).deliver(notice)
    [mail] = _new_mail(site, before)
    return mail


def _unsubscribe_path(mail: Received) -> str:
    url = str(mail.message["List-Unsubscribe"]).strip("<> ")
    return url.split("http://127.0.0.1:8000", 1)[1]


def test_the_unsubscribe_link_of_an_email_stops_its_kind_without_a_sign_in(
    site: MailSite,
) -> None:
    mail = _email_to(site, FOCAL_POINT, K.OVERDUE, "report-unsub")
    path = _unsubscribe_path(mail)
    assert path in mail.part("plain")
    assert path in mail.part("html")
    visitor = site.client()

    page = visitor.get(path)
    with site.db.reading() as session:
        assert K.OVERDUE not in preference_repo.opted_out(session, FOCAL_POINT)  # GET: nothing
    done = visitor.post(path)

    assert page.status_code == 200
    assert "Unsubscribe from overdue notices" in page.text
    assert done.status_code == 200
    assert "will no longer receive overdue notices" in text(done.text)
    with site.db.reading() as session:
        assert K.OVERDUE in preference_repo.opted_out(session, FOCAL_POINT)
        entries = audit_repo.entries(session, "person", FOCAL_POINT)
    assert any(
        e.action == "notification.preferences_changed" and e.actor == FOCAL_POINT for e in entries
    )


def test_a_request_to_act_reaches_who_stopped_reminders_and_its_link_stops_nothing(
    site: MailSite,
) -> None:
    with site.db.writing() as session:
        preference_repo.set_opt_outs(session, CHAIR, [K.DEADLINE_REMINDER], datetime.now(UTC))
    try:
        mail = _email_to(site, CHAIR, K.REQUEST, "app-request")
        # no header for a mail program's unsubscribe button, and the footer offers no link
        # that would not stop it, only the preferences; a link made for the kind (by hand, or
        # from an email of before the kind existed) opens a page that says so
        assert "List-Unsubscribe" not in mail.message
        secret = server_secret(site.settings)
        url = unsubscribe_url("http://127.0.0.1:8000", secret, CHAIR, K.REQUEST)
        path = url.split("http://127.0.0.1:8000", 1)[1]
        assert path not in mail.part("plain")
        assert path not in mail.part("html")
        assert "Stop emails of this kind" not in mail.part("plain")
        visitor = site.client()

        page = visitor.get(path)
        done = visitor.post(path, data={"List-Unsubscribe": "One-Click"})

        for shown in (page, done):
            assert shown.status_code == 200
            assert "Requests to act cannot be stopped" in text(shown.text)
            assert "will no longer receive" not in text(shown.text)
        with site.db.reading() as session:
            assert preference_repo.opted_out(session, CHAIR) == {K.DEADLINE_REMINDER}
    finally:
        with site.db.writing() as session:
            preference_repo.set_opt_outs(session, CHAIR, [], datetime.now(UTC))


def test_an_unsubscribe_link_opens_in_its_persons_language(site: MailSite) -> None:
    """Found by a review: a Spanish reader's link opened in the browser's language; the page
    knows whose link it is. A language chosen on the page's switch still wins."""
    with site.db.writing() as session:
        registry_repo.set_person_language(session, CHAIR, Language.ES)
    try:
        path = _unsubscribe_path(_email_to(site, CHAIR, K.OVERDUE, "report-unsub-es"))
        visitor = site.client()
        page = visitor.get(path, headers={"Accept-Language": "en"})
        assert '<html lang="es">' in page.text
        chosen = visitor.get(path + "?lang=fr", headers={"Accept-Language": "en"})
        assert '<html lang="fr">' in chosen.text
    finally:
        with site.db.writing() as session:
            registry_repo.set_person_language(session, CHAIR, None)


def test_a_mail_programs_one_click_unsubscribe_works_and_a_forged_link_does_nothing(
    site: MailSite,
) -> None:
    mail = _email_to(site, CHAIR, K.ANNOUNCEMENT, "plenary-unsub")
    path = _unsubscribe_path(mail)
    token = path.rsplit("/", 1)[1]
    forged = f"/web/unsubscribe/{token[:-2]}xx"
    other_kind = path.replace(token, token.split(".")[0][:-2] + "AA." + token.split(".")[1])

    one_click = site.client().post(path, data={"List-Unsubscribe": "One-Click"})

    assert one_click.status_code == 200
    for bad in (forged, other_kind, "/web/unsubscribe/nonsense"):
        response = site.client().post(bad)
        assert response.status_code == 404
        assert "not valid" in response.text
    with site.db.reading() as session:
        assert preference_repo.opted_out(session, CHAIR) == {K.ANNOUNCEMENT}


def test_unsubscribing_from_the_digest_switches_a_daily_reader_back_to_single_emails(
    site: MailSite,
) -> None:
    with site.db.writing() as session:
        choice = channel_choice_repo.choice_of(session, SECRETARIAT)
        daily = choice.model_copy(update={"email": EmailCadence.DAILY})
        channel_choice_repo.set_choice(session, SECRETARIAT, daily, datetime.now(UTC))
    mail = _email_to(site, SECRETARIAT, K.DIGEST, "digest-unsub")

    assert site.client().post(_unsubscribe_path(mail)).status_code == 200

    with site.db.reading() as session:
        assert channel_choice_repo.choice_of(session, SECRETARIAT).email is EmailCadence.IMMEDIATE
        assert K.DIGEST in preference_repo.opted_out(session, SECRETARIAT)


def test_a_person_chooses_channels_and_a_refused_form_records_nothing(site: MailSite) -> None:
    person = "fp-gov-estavia"
    with site.db.writing() as session:
        site.tokens[person] = token_repo.issue(session, person, datetime.now(UTC), "web test")
    client = site.client(person)
    page = client.get("/web/notifications")
    assert unlabelled(page.text) == []
    token = csrf(page.text)

    refused = client.post(
        "/web/notifications",
        data={"csrf_token": token, "channels": "pigeon", "email": "daily", "stop_overdue": "on"},
    )
    with site.db.reading() as session:
        unchanged = channel_choice_repo.choice_of(session, person)
        opted = preference_repo.opted_out(session, person)
    saved = client.post(
        "/web/notifications",
        data={"csrf_token": token, "channels": "email", "email": "daily", "stop_roster": "on"},
        follow_redirects=False,
    )

    assert refused.status_code == 422
    assert "choose one of the listed channels" in refused.text
    assert 'id="email-daily" name="email" value="daily" checked' in refused.text  # kept
    assert unchanged.channels is None
    assert opted == set()
    assert saved.status_code == 303
    with site.db.reading() as session:
        choice = channel_choice_repo.choice_of(session, person)
        assert preference_repo.opted_out(session, person) == {K.ROSTER}
    assert choice.channels is Channels.EMAIL
    assert choice.email is EmailCadence.DAILY
    shown = client.get("/web/notifications").text
    assert 'id="channels-email" name="channels" value="email" checked' in shown
    assert 'id="stop-roster" name="stop_roster" checked' in shown


def test_asking_for_a_link_answers_before_anything_is_looked_up_or_sent(
    site: MailSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A known address must not answer later than an unknown one: the relay's time would tell
    # who is in the directory. The page's last byte goes out before the address is looked up.
    events: list[str] = []

    def asking(db: Database, address: str, at: datetime) -> str | None:
        events.append("looked up")
        return None

    monkeypatch.setattr(session_routes, "person_asking", asking)
    client = site.client()
    form = client.get("/web/sign-in")
    body = f"address=someone%40example.org&pre_session={hidden(form.text, 'pre_session')}"
    cookies = "; ".join(f"{k}={v}" for k, v in client.cookies.items())

    async def run() -> None:
        sent = False

        async def receive() -> MutableMapping[str, Any]:
            nonlocal sent
            if sent:
                return {"type": "http.disconnect"}
            sent = True
            return {"type": "http.request", "body": body.encode(), "more_body": False}

        async def send(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.body" and not message.get("more_body"):
                events.append("answered")

        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "POST",
            "scheme": "http",
            "path": "/web/sign-in/email",
            "raw_path": b"/web/sign-in/email",
            "query_string": b"",
            "root_path": "",
            "headers": [
                (b"host", b"testserver"),
                (b"content-type", b"application/x-www-form-urlencoded"),
                (b"cookie", cookies.encode()),
            ],
            "client": ("127.0.0.1", 1),
            "server": ("testserver", 80),
        }
        await site.app.app(scope, receive, send)

    anyio.run(run)
    assert events == ["answered", "looked up"]
