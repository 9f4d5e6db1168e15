"""The draft plenary agenda from live state, as JSON, Markdown and HTML (issue 6)."""

from __future__ import annotations

import html
from datetime import UTC, date, datetime
from html.parser import HTMLParser

from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from governance.applications.access import may_see as may_see_application
from governance.applications.model import (
    Applicant,
    ApplicationKind,
    ApplicationRecord,
    ApplicationState,
)
from governance.concerns.access import may_see as may_see_concern
from governance.concerns.model import ConcernRecord
from governance.kernel.actor import Actor
from governance.kernel.model import MemberStatus, Pillar, Plenary, PlenaryKind, Role
from governance.reports.cycle import EscalationKind, MissedReport, Review
from governance.roster.rule import Slot
from governance.rulebook.model import Rulebook
from governance.year.handover.rules import plan_handover
from governance.year.milestones import plan
from governance.year.plenary_agenda import AgendaFacts, as_html, as_markdown, draft_agenda
from tests.governance.concerns.test_concern_access import every_step

RULEBOOK = Rulebook()
PLENARY = Plenary(
    id="plenary-2027",
    year=2027,
    starts=date(2027, 5, 18),
    ends=date(2027, 5, 21),
    location="Norland Harbour",
)
AT = datetime(2026, 12, 1, 15, tzinfo=UTC)


def application(
    app_id: str, organisation: str, state: ApplicationState, kind: ApplicationKind, **kw: object
) -> ApplicationRecord:
    return ApplicationRecord(
        id=app_id,
        kind=kind,
        applicant=Applicant(
            organisation=organisation,
            pillar=Pillar.COMPANY,
            country="Estavia",
            contact_email="ir@example.org",
            statement="We apply.",
        ),
        submitted_at=AT,
        submitted_by="applicant",
        state=state,
        history=(),
        decision_warning_at=AT,
        decision_target_at=AT,
        **kw,
    )


def facts(**kw: object) -> AgendaFacts:
    return AgendaFacts(plenary=PLENARY, as_of=date(2027, 4, 18), **kw)  # type: ignore[arg-type]


def sections(agenda_facts: AgendaFacts) -> dict[str, tuple[str, ...]]:
    return {s.key: s.items for s in draft_agenda(agenda_facts, RULEBOOK, None).sections}


def test_every_live_item_lands_in_its_section() -> None:
    handover = plan_handover(PLENARY, "gov-norland", RULEBOOK)
    assert handover is not None
    handover = handover.model_copy(update={"incoming": "gov-estavia"})
    got = sections(
        facts(
            applications=(
                application(
                    "app-kestrel",
                    "Kestrel Minerals",
                    ApplicationState.AWAITING_PLENARY,
                    ApplicationKind.ADMISSION,
                ),
                application(
                    "app-basalt",
                    "Basalt Energy",
                    ApplicationState.PROVISIONALLY_ADMITTED,
                    ApplicationKind.ADMISSION,
                ),
                application(
                    "full-co-lumen",
                    "Lumen Resources",
                    ApplicationState.AWAITING_PLENARY,
                    ApplicationKind.FULL_MEMBERSHIP,
                    member="co-lumen",
                ),
            ),
            roster=(Slot(member="co-aurum", pillar=Pillar.COMPANY, reason="longest wait", rank=1),),
            handover=handover,
            milestones=plan(PLENARY, RULEBOOK),
            names={"gov-norland": "Norland", "gov-estavia": "Estavia", "co-aurum": "Aurum"},
        )
    )
    assert list(got) == [
        "opening",
        "membership_decisions",
        "full_membership_votes",
        "verification_presentations",
        "peer_review",
        "escalations",
        "strategy_review",
        "chair_handover",
        "in_country_groups",
        "participant_concerns",
        "closing",
    ]
    assert got["membership_decisions"] == (
        "Admission of Kestrel Minerals (company, Estavia): decision, 0 objections recorded",
        "Ratification of the provisional admission of Basalt Energy (company, Estavia)",
    )
    assert got["full_membership_votes"] == ("Full membership of Lumen Resources",)
    assert got["verification_presentations"] == ("1. Aurum (company): longest wait",)
    assert got["strategy_review"] == ("Yearly strategy review (due 19 March 2027)",)
    assert got["chair_handover"][0].startswith(
        "Government Chair: handover from Norland to Estavia (checklist still open: Briefing pack"
    )


def test_empty_sections_say_so_and_an_extraordinary_plenary_is_shorter() -> None:
    agenda = draft_agenda(facts(), RULEBOOK, None)
    empty = {s.key: s.empty for s in agenda.sections if not s.items}
    assert empty["verification_presentations"] == "The roster is not drawn yet."
    assert empty["membership_decisions"] == "No application awaits the plenary."
    special = PLENARY.model_copy(
        update={"id": "plenary-2027-x1", "kind": PlenaryKind.EXTRAORDINARY}
    )
    short = draft_agenda(AgendaFacts(plenary=special, as_of=date(2027, 4, 18)), RULEBOOK, None)
    assert short.title == "VPI 2027 Extraordinary Plenary: draft agenda"
    assert [s.key for s in short.sections] == [
        "opening",
        "membership_decisions",
        "full_membership_votes",
        "participant_concerns",
        "closing",
    ]
    markdown = as_markdown(agenda)
    assert markdown.startswith("# VPI 2027 Annual Plenary: draft agenda\n\nNorland Harbour")
    assert "## 4. Verification presentations\n\n_The roster is not drawn yet._" in markdown


# Applicant text that is Markdown in CommonMark or GitHub's extensions: HTML, links, images,
# bare URLs and addresses (autolinked), emphasis, strikethrough, code, tables, entities.
HOSTILE = (
    "<script>alert(1)</script>",
    "[x](http://evil.com)",
    "![x](http://evil.com/p.png)",
    "http://evil.com/a",
    "www.evil.com",
    "ir@evil.com",
    "**bold** __bold__ *em* _em_",
    "~~gone~~ ~gone~",
    "`code`",
    "| a | b |",
    "&amp; &#60;b&#62; &copy;",
    "\\*not emphasis\\*",
    "<http://evil.com>",
)


def rendered(markdown: str) -> tuple[list[str], list[str]]:
    """Render as GitHub would (CommonMark with autolinks, strikethrough and tables), then
    parse the HTML: the tags in order, and the text of each list item."""
    page = MarkdownIt("gfm-like").render(markdown)
    tags: list[str] = []
    items: list[str] = []
    open_item = False

    class Reader(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            nonlocal open_item
            tags.append(tag)
            if tag == "li":
                items.append("")
                open_item = True

        def handle_endtag(self, tag: str) -> None:
            nonlocal open_item
            open_item = open_item and tag != "li"

        def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            tags.append(tag)

        def handle_data(self, data: str) -> None:
            if open_item:
                items[-1] += data

    Reader(convert_charrefs=True).feed(page)
    return tags, [i.strip() for i in items]


@given(
    hostile=st.sampled_from(HOSTILE),
    organisation=st.text(min_size=1, max_size=60).filter(lambda t: t.strip() and t.isprintable()),
)
def test_applicant_text_cannot_inject_markup(hostile: str, organisation: str) -> None:
    record = application(
        "app-x",
        f"{hostile} {organisation}",
        ApplicationState.AWAITING_PLENARY,
        ApplicationKind.ADMISSION,
    )
    name = record.applicant.organisation
    agenda = draft_agenda(facts(applications=(record,)), RULEBOOK, None)
    page = as_html(agenda)
    assert "<script>" not in page
    assert html.escape(name) in page
    # The Markdown, rendered and parsed: the item reads exactly as the applicant wrote it, and
    # no element but the agenda's own headings, paragraphs, lists and emphasis appears.
    tags, items = rendered(as_markdown(agenda))
    expected = f"Admission of {name} (company, Estavia): decision, 0 objections recorded"
    assert expected.strip() in items
    assert set(tags) <= {"h1", "h2", "p", "ul", "li", "em"}


def test_the_markdown_reads_as_written_once_rendered() -> None:
    agenda = draft_agenda(facts(), RULEBOOK, None)
    tags, _ = rendered(as_markdown(agenda))
    assert tags[:3] == ["h1", "p", "h2"]
    assert "a" not in tags


# -- each reader's copy: what the access rules let them see, and nothing more ---------------------

MEMBERS = ("gov-a", "gov-b", "co-c", "ngo-d", "obs-e")
VIEWERS = st.builds(
    lambda roles, member, status, pillar: Actor(
        person="reader",
        roles=frozenset(roles),
        member=member,
        member_status=status if member else None,
        member_pillar=pillar if member else None,
    ),
    st.sets(st.sampled_from(list(Role))),
    st.sampled_from([None, *MEMBERS]),
    st.sampled_from(list(MemberStatus)),
    st.sampled_from(list(Pillar)),
)
APPLICATIONS = st.lists(
    st.tuples(st.sampled_from(list(ApplicationState)), st.sampled_from(list(ApplicationKind))),
    max_size=6,
)
PAIRS = st.lists(st.tuples(st.sampled_from(MEMBERS), st.sampled_from(MEMBERS)), max_size=6)


def _concern(k: int, about: str, filer: str) -> ConcernRecord:
    waiting = every_step(anonymous=k % 2 == 0)[-1][1].record
    assert waiting.decision_plenary == PLENARY.id
    return waiting.model_copy(
        update={"id": f"c-{k}", "about": about, "filer_member": filer, "filed_by": f"fp-{filer}"}
    )


@given(
    viewer=st.one_of(st.none(), VIEWERS),
    applied=APPLICATIONS,
    concerned=PAIRS,
    reviewed=PAIRS,
    missed=st.lists(st.sampled_from(MEMBERS), unique=True, max_size=4),
)
def test_each_reader_sees_the_items_the_access_rules_let_them_see(
    viewer: Actor | None,
    applied: list[tuple[ApplicationState, ApplicationKind]],
    concerned: list[tuple[str, str]],
    reviewed: list[tuple[str, str]],
    missed: list[str],
) -> None:
    applications = tuple(
        application(
            f"app-{k}",
            f"Applicant {k}",
            state,
            kind,
            member=f"member-{k}" if kind is ApplicationKind.FULL_MEMBERSHIP else None,
        )
        for k, (state, kind) in enumerate(applied)
    )
    concerns = tuple(_concern(k, a, f) for k, (a, f) in enumerate(concerned) if a != f)
    reviews = tuple(
        Review(year=2027, report_of=a, reviewer=b, reason="drawn", assigned_at=AT)
        for a, b in dict(reviewed).items()
        if a != b
    )
    escalations = tuple(
        MissedReport(
            year=2027, member=m, missed_in_a_row=2, escalation=EscalationKind.REFERRED, at=AT
        )
        for m in missed
    )
    everything = facts(
        applications=applications, concerns=concerns, reviews=reviews, missed=escalations
    )
    agenda = draft_agenda(everything, RULEBOOK, viewer)
    text = "\n".join(line for s in agenda.sections for line in s.items)

    def sees_application(record: ApplicationRecord) -> bool:
        return viewer is None or may_see_application(record, viewer)

    def sees_cycle(*members: str) -> bool:
        whole = {Role.SECRETARIAT, Role.STEERING_COMMITTEE, Role.CHAIR}
        # a member's own lines go to its focal points, not to a person whose role was taken away
        own = viewer is not None and Role.FOCAL_POINT in viewer.roles and viewer.member in members
        return viewer is None or bool(viewer.roles & whole) or own

    waiting = {ApplicationState.AWAITING_PLENARY, ApplicationState.PROVISIONALLY_ADMITTED}
    for record in applications:
        on_it = (record.applicant.organisation in text) or (f"of {record.member}" in text)
        assert on_it is (record.state in waiting and sees_application(record)), record.id
    for case in concerns:
        shown = viewer is None or may_see_concern(case, viewer)
        assert (f"concern {case.id} " in text) is shown
    for review in reviews:
        line = next((x for x in text.splitlines() if x.startswith(f"{review.report_of}: rev")), "")
        assert (review.reviewer in line) is sees_cycle(review.report_of, review.reviewer)
    for m in escalations:
        assert (f"{m.member}: referred" in text) is sees_cycle(m.member)
    # an empty section's words depend on the reader alone, never on what was left out
    bare = draft_agenda(facts(), RULEBOOK, viewer)
    for section, empty in zip(agenda.sections, bare.sections, strict=True):
        if not section.items:
            assert section.empty == empty.empty
