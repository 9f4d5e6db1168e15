"""The applicant's status link by email, against a real SMTP server: sent once per application,
text and HTML, none of the application's own words, and recorded in the email outbox."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from governance.rulebook.model import Rulebook
from govsched.config import Settings
from govsched.persistence.repos import email as email_repo
from govsched.services.status_link_email import send_status_link
from tests.api.conftest import seeded_database
from tests.smtp_sink import SmtpSink

AT = datetime(2026, 12, 6, 9, 30, tzinfo=UTC)
LINK = "https://vpi.example.org/apply/status/app-0123456789ab/" + "c" * 32
ADDRESS = "contact@harbour-light.example.org"


def _settings(url: str, port: int | None) -> Settings:
    if port is None:
        return Settings(database_url=url, id_secret="status link tests")
    return Settings(
        database_url=url,
        id_secret="status link tests",
        smtp_host="127.0.0.1",
        smtp_port=port,
        smtp_tls="none",
        smtp_from="VPI Secretariat <secretariat@vpi.example.org>",
    )


async def test_the_status_link_is_emailed_once_in_text_and_html(tmp_path: Path) -> None:
    url, db = seeded_database(tmp_path)
    try:
        with SmtpSink() as sink:
            settings = _settings(url, sink.port)
            sent = await send_status_link(
                db, settings, Rulebook(), "app-0123456789ab", ADDRESS, LINK, AT
            )
            again = await send_status_link(
                db, settings, Rulebook(), "app-0123456789ab", ADDRESS, LINK, AT
            )
            assert (sent, again) == (True, False)
            received = sink.wait_for(1)
            assert len(received) == 1
            mail = received[0]
            assert mail.rcpt_tos == (ADDRESS,)
            assert LINK in mail.part("plain")
            assert f'href="{LINK}"' in mail.part("html")
            assert "status link" in str(mail.message["Subject"])
        with db.reading() as session:
            row = email_repo.get(session, "status-link:app-0123456789ab", "app-0123456789ab")
        assert row is not None
        assert (row.state, row.kind, row.address) == ("accepted", "status_link", ADDRESS)
    finally:
        db.dispose()


async def test_without_a_relay_nothing_is_sent_or_recorded(tmp_path: Path) -> None:
    url, db = seeded_database(tmp_path)
    try:
        settings = _settings(url, None)
        sent = await send_status_link(db, settings, Rulebook(), "app-norelay", ADDRESS, LINK, AT)
        assert sent is False
        with db.reading() as session:
            assert email_repo.get(session, "status-link:app-norelay", "app-norelay") is None
    finally:
        db.dispose()


async def test_a_relay_that_refuses_the_address_is_recorded_as_refused(tmp_path: Path) -> None:
    url, db = seeded_database(tmp_path)
    try:
        with SmtpSink() as sink:
            sink.handler.refuse.add(ADDRESS)
            settings = _settings(url, sink.port)
            sent = await send_status_link(
                db, settings, Rulebook(), "app-refused", ADDRESS, LINK, AT
            )
            assert sent is False
            assert sink.received == []
        with db.reading() as session:
            row = email_repo.get(session, "status-link:app-refused", "app-refused")
        assert row is not None
        assert row.state == "refused"
    finally:
        db.dispose()
