"""Calendar feeds in their reader's language (issue 20): every entry governance publishes reads
as it always did in English, through the catalog in the pseudo-locale for every kind of feed,
and in French and Chinese in a French- and a Chinese-speaking person's feed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from icalendar import Calendar

from governance.feeds.scopes import PERSON_SCOPE, Subscriber, all_scopes, scope_audiences
from governance.kernel.calendar import PUBLIC, CalendarItem, PublishedEvent, visible_to
from governance.kernel.languages import Language
from governance.kernel.model import Pillar, Role
from governance.rulebook.model import Rulebook
from govsched.feeds.ical import render_calendar
from govsched.feeds.reading import FeedReader
from govsched.i18n.catalogs import PSEUDO_OPEN
from govsched.i18n.messages import render
from govsched.persistence.db import Database
from govsched.persistence.repos import calendar as calendar_repo
from govsched.persistence.repos import registry as registry_repo
from govsched.services.feeds import tokens as feed_tokens
from govsched.services.feeds.calendars import feed_title, person_feed
from govsched.services.feeds.serving import token_feed
from tests.feeds.feed_data import FOCAL_POINT, SECRETARIAT, seeded
from tests.i18n.calendar_samples import every_item
from tests.i18n.test_notice_messages import LETTER, outside_brackets

RULEBOOK = Rulebook()
AT = datetime(2027, 1, 5, 9, tzinfo=UTC)
ITEMS = every_item()
BY_UID = {item.uid: item for item in ITEMS}
EVERY_KIND = {
    "plenary",
    "plenary_session",
    "committee_meeting",
    "milestone",
    "chair_handover",
    "handover_item",
    "presentation",
    "deadline",
    "concern_deadline",
    "membership_deadline",
    "application_deadline",
    "membership_decision",
}
# Sees every role's and the government pillar's entries (and the confidential ones addressed
# to a role); a member's own ones are addressed to other members in the samples.
EVERYONE = Subscriber(
    person_id=SECRETARIAT,
    name="Amina Okafor",
    roles=frozenset(Role),
    member_id="gov-norland",
    pillar=Pillar.GOVERNMENT,
    voting_member=True,
)


def _feed(items: list[CalendarItem], reader: FeedReader, name: str) -> Calendar:
    published = [PublishedEvent(item=i, sequence=0, created=AT, last_modified=AT) for i in items]
    body = render_calendar(
        published,
        name=name,
        tz=RULEBOOK.initiative.timezone,
        refresh=timedelta(hours=6),
        now=AT,
        retention=timedelta(days=30),
        alarm=timedelta(days=1),
        reader=reader,
    )
    return Calendar.from_ical(body)


def _all_through_the_catalog(text: str, where: str) -> None:
    assert text.startswith(PSEUDO_OPEN), f"{where}: {text}"
    assert not LETTER.search(outside_brackets(text)), f"{where}: {text}"


def test_every_entry_carries_its_messages_and_reads_as_before_in_english() -> None:
    assert {item.kind for item in ITEMS} == EVERY_KIND
    for item in ITEMS:
        assert item.title_message is not None, item.uid
        assert item.title_message.english() == item.title
        if item.description:
            assert item.description_message is not None, item.uid
            assert item.description_message.english() == item.description
    english = _feed(ITEMS, FeedReader(), "VPI")
    for event in english.walk("VEVENT"):
        item = BY_UID[str(event["UID"])]
        assert str(event["SUMMARY"]) == item.title


def test_every_feed_kind_in_the_pseudo_locale_leaves_nothing_untranslated() -> None:
    reader = FeedReader(Language.EN, RULEBOOK.label_text, pseudo=True)
    seen: set[str] = set()
    for scope in (PUBLIC, *all_scopes()):
        audiences = frozenset({PUBLIC}) if scope == PUBLIC else scope_audiences(EVERYONE, scope)
        shown = [item for item in ITEMS if visible_to(item, audiences)]
        calendar = _feed(shown, reader, feed_title(RULEBOOK, scope, EVERYONE, reader))
        _all_through_the_catalog(str(calendar["X-WR-CALNAME"]), scope)
        for event in calendar.walk("VEVENT"):
            uid = str(event["UID"])
            seen.add(BY_UID[uid].kind)
            _all_through_the_catalog(str(event["SUMMARY"]), uid)
            if "DESCRIPTION" in event:
                _all_through_the_catalog(str(event["DESCRIPTION"]), uid)
            for alarm in event.walk("VALARM"):
                _all_through_the_catalog(str(alarm["DESCRIPTION"]), uid)
    assert seen == EVERY_KIND


def _stored(db: Database, languages: dict[str, Language]) -> None:
    seeded(db)
    with db.writing() as session:
        for person, language in languages.items():
            registry_repo.set_person_language(session, person, language)
        for index, item in enumerate(ITEMS):
            calendar_repo.upsert(session, item, AT + timedelta(minutes=index))


def _name(db: Database, person: str) -> str:
    with db.reading() as session:
        found = registry_repo.get_person(session, person)
    assert found is not None
    return found.name


def _entries(body: bytes) -> dict[str, tuple[str, str]]:
    return {
        str(e["UID"]): (str(e["SUMMARY"]), str(e.get("DESCRIPTION", "")))
        for e in Calendar.from_ical(body).walk("VEVENT")
        if str(e["UID"]) in BY_UID
    }


def _expected(uid: str, language: Language) -> tuple[str, str]:
    item = BY_UID[uid]
    assert item.title_message is not None
    description = (
        render(item.description_message, language, RULEBOOK.label_text)
        if item.description_message is not None
        else item.description
    )
    return render(item.title_message, language, RULEBOOK.label_text), description


def test_a_french_and_a_chinese_speaking_person_read_their_own_feeds(sqlite_db: Database) -> None:
    """Read by icalendar, on both paths a feed takes (the token's one query, and the export's).
    One database is enough: the token query's language column runs on both in
    test_feed_fast_path.py."""
    db = sqlite_db
    _stored(db, {SECRETARIAT: Language.FR, FOCAL_POINT: Language.ZH})
    with db.writing() as session:
        token = feed_tokens.issue(session, SECRETARIAT, PERSON_SCOPE, SECRETARIAT, AT).token
    with db.reading() as session:
        french = person_feed(session, RULEBOOK, SECRETARIAT, AT).body
        chinese = person_feed(session, RULEBOOK, FOCAL_POINT, AT).body
    served = token_feed(db, RULEBOOK, token, AT, None)
    assert served is not None
    assert served.render().body == french

    entries = _entries(french)
    assert {BY_UID[uid].kind for uid in entries} >= {"plenary", "milestone", "handover_item"}
    for uid, texts in entries.items():
        assert texts == _expected(uid, Language.FR)
    sessions = [entries[uid] for uid in entries if BY_UID[uid].kind == "plenary_session"]
    assert any("jour 1 sur 4" in summary and "Séance 1" in text for summary, text in sessions)
    name = Calendar.from_ical(french)["X-WR-CALNAME"]
    assert name == f"{RULEBOOK.initiative.short_name} : {_name(db, SECRETARIAT)}"

    entries = _entries(chinese)
    assert {BY_UID[uid].kind for uid in entries} >= {"plenary", "plenary_session"}
    for uid, (summary, description) in entries.items():
        assert (summary, description) == _expected(uid, Language.ZH)
        assert summary != BY_UID[uid].title
    sessions = [entries[uid] for uid in entries if BY_UID[uid].kind == "plenary_session"]
    assert any("第1天" in summary for summary, _ in sessions)
