"""The draft plenary agenda from live state, as JSON, Markdown and HTML (issue 6)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from hypothesis import given
from hypothesis import strategies as st

from governance.applications.model import (
    Applicant,
    ApplicationKind,
    ApplicationRecord,
    ApplicationState,
)
from governance.kernel.model import Pillar, Plenary, PlenaryKind
from governance.roster.rule import Slot
from governance.rulebook.model import Rulebook
from governance.year.handover.rules import plan_handover
from governance.year.milestones import plan
from governance.year.plenary_agenda import AgendaFacts, as_html, as_markdown, draft_agenda

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
    return {s.key: s.items for s in draft_agenda(agenda_facts, RULEBOOK).sections}


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
        "participant_concerns",
        "closing",
    ]
    assert got["membership_decisions"] == (
        "Admission of Kestrel Minerals (company, Estavia): decision, 0 objection(s) recorded",
        "Ratification of the provisional admission of Basalt Energy (company, Estavia)",
    )
    assert got["full_membership_votes"] == ("Full membership of Lumen Resources",)
    assert got["verification_presentations"] == ("1. Aurum (company): longest wait",)
    assert got["strategy_review"] == ("Yearly strategy review (due 19 March 2027)",)
    assert got["chair_handover"][0].startswith(
        "Government Chair: handover from Norland to Estavia (checklist still open: Briefing pack"
    )


def test_empty_sections_say_so_and_an_extraordinary_plenary_is_shorter() -> None:
    agenda = draft_agenda(facts(), RULEBOOK)
    empty = {s.key: s.empty for s in agenda.sections if not s.items}
    assert empty["verification_presentations"] == "The roster is not drawn yet."
    assert empty["membership_decisions"] == "No application awaits the plenary."
    special = PLENARY.model_copy(
        update={"id": "plenary-2027-x1", "kind": PlenaryKind.EXTRAORDINARY}
    )
    short = draft_agenda(AgendaFacts(plenary=special, as_of=date(2027, 4, 18)), RULEBOOK)
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


@given(
    organisation=st.text(min_size=1, max_size=60).filter(lambda t: t.strip() and t.isprintable())
)
def test_applicant_text_cannot_inject_markup(organisation: str) -> None:
    hostile = f"<script>alert(1)</script> [x](http://evil) **{organisation}**"
    record = application(
        "app-x", hostile, ApplicationState.AWAITING_PLENARY, ApplicationKind.ADMISSION
    )
    agenda = draft_agenda(facts(applications=(record,)), RULEBOOK)
    page = as_html(agenda)
    assert "<script>" not in page
    assert "&lt;script&gt;" in page
    markdown = as_markdown(agenda)
    # every markup character arrives escaped, so renderers show it as text
    assert "<script>" not in markdown
    assert "\\<script\\>" in markdown
    assert "\\[x\\](http://evil)" in markdown
    assert "\\*\\*" in markdown
