# ruff: noqa: RUF001 - the Chinese and French punctuation is what these tests assert
"""Governance's documents in the reader's language (issue 20): the draft agenda, the published
agenda's change lines, a roster slot's reason, and a fractional count of days."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from types import SimpleNamespace

from governance.applications.model import ApplicationKind, ApplicationState, Objection
from governance.kernel.languages import Language
from governance.kernel.model import Pillar
from governance.reports.indicators.model import Wording
from governance.roster.fairness import report_text, simulate
from governance.roster.reason_words import slot_reason
from governance.roster.rule import RosterRules, Slot
from governance.year.handover.rules import plan_handover
from governance.year.milestones import plan, plenary_message
from governance.year.plenary_agenda import AgendaFacts, agenda_words
from governance.year.published_agenda import AgendaVersion, PublishedItem, changes
from govsched.http.api.reading import indicators_in
from govsched.http.web.charts import reading
from govsched.http.web.rendering import TEMPLATES
from govsched.i18n.current import use_language
from govsched.i18n.documents import (
    agenda_draft_note,
    agenda_in_reading,
    message_in_reading,
    reason_in_reading,
)
from govsched.i18n.messages import use_label_texts
from govsched.services.indicators import IndicatorQuestion, IndicatorsView
from tests.governance.year.test_plenary_agenda import PLENARY, RULEBOOK, application, facts

AT = datetime(2027, 4, 1, 9, tzinfo=UTC)


def _live_facts() -> AgendaFacts:
    handover = plan_handover(PLENARY, "gov-norland", RULEBOOK)
    assert handover is not None
    return facts(
        applications=(
            application(
                "app-kestrel",
                "Kestrel Minerals",
                ApplicationState.AWAITING_PLENARY,
                ApplicationKind.ADMISSION,
                objections=(Objection(person="p-1", member="gov-norland", reason="r", at=AT),),
            ),
        ),
        roster=(
            Slot(
                member="co-aurum",
                pillar=Pillar.COMPANY,
                reason="due: last presented 2024, 3 plenaries since, cycle of 3",
                rank=1,
            ),
        ),
        handover=handover.model_copy(update={"incoming": "gov-estavia"}),
        milestones=plan(PLENARY, RULEBOOK),
        names={"gov-norland": "Norland", "gov-estavia": "Estavia", "co-aurum": "Aurum"},
    )


def _sections(language: Language) -> dict[str, tuple[str, tuple[str, ...], str]]:
    words = agenda_words(_live_facts(), RULEBOOK, None)
    with use_language(language):
        agenda = agenda_in_reading(words, RULEBOOK.label_text)
    return {s.key: (s.title, s.items, s.empty) for s in agenda.sections} | {
        "": (agenda.title, (agenda.dates,), "")
    }


def test_the_draft_agenda_in_french() -> None:
    got = _sections(Language.FR)
    assert got[""] == (
        "Séance plénière annuelle 2027 (VPI) : projet d'ordre du jour",
        ("18–21 mai 2027",),
        "",
    )
    assert got["opening"][0] == "Ouverture de la séance par la Présidence gouvernementale"
    assert got["membership_decisions"] == (
        "Nouveaux membres : décisions et ratifications",
        (
            "Admission de Kestrel Minerals (entreprise, Estavia) : décision, "
            "1 objection enregistrée",
        ),
        "Aucune candidature n'attend la plénière.",
    )
    assert got["verification_presentations"][1] == (
        "1. Aurum (entreprise) : son tour est venu : dernière présentation en 2024, "
        "3 plénières depuis, cycle de 3",
    )
    assert got["strategy_review"][1] == (
        "Revue annuelle de la stratégie (échéance le 19 mars 2027)",
    )
    assert got["chair_handover"][1][0].startswith(
        "Présidence gouvernementale : passation de Norland à Estavia (liste de contrôle encore "
        "ouverte : Dossier d'information pour la présidence entrante, "
    )
    assert got["closing"][0] == "Questions diverses et clôture"


def test_the_draft_agenda_in_chinese() -> None:
    got = _sections(Language.ZH)
    assert got[""][0] == "VPI 2027 年年度全体会议：议程草案"
    assert got["opening"][0] == "政府主席致开幕词"
    assert got["membership_decisions"][1] == (
        "接纳Kestrel Minerals（公司，Estavia）：待决定，已记录 1 项反对意见",
    )
    assert got["peer_review"] == ("年度报告：同行审议结果", (), "尚无同行审议结果记录。")
    assert got["chair_handover"][1][0].startswith(
        "政府主席：由Norland交接给Estavia（核对清单尚未完成：给候任主席的情况介绍材料、"
    )


def test_the_draft_agendas_line_under_its_title_in_spanish() -> None:
    words = agenda_words(_live_facts(), RULEBOOK, None)
    with use_language(Language.ES):
        note = agenda_draft_note(agenda_in_reading(words, RULEBOOK.label_text))
    assert (
        note == "Norland Harbour, 18–21 de mayo de 2027. Proyecto a fecha de 18 de abril de 2027."
    )


def test_the_english_agenda_is_the_rules_own_text() -> None:
    words = agenda_words(_live_facts(), RULEBOOK, None)
    english = agenda_in_reading(words, RULEBOOK.label_text)
    decisions = next(s for s in english.sections if s.key == "membership_decisions")
    assert decisions.items == (
        "Admission of Kestrel Minerals (company, Estavia): decision, 1 objection recorded",
    )


def _version(number: int, *items: tuple[int, str]) -> AgendaVersion:
    return AgendaVersion(
        plenary_id=PLENARY.id,
        number=number,
        published_at=AT,
        published_by="sec-ana",
        items=tuple(PublishedItem(id=i, title=title) for i, title in items),
    )


def test_a_published_agendas_change_lines_in_french_and_chinese() -> None:
    before = _version(1, (1, "Opening"), (2, "Budget"), (3, "Roster"))
    after = _version(2, (2, "Budget 2028"), (1, "Opening"), (4, "Outreach"))
    found = changes(before, after)
    assert [c.text for c in found] == [
        "Item 1 renamed from Budget",
        "Budget 2028 moved from item 2 to item 1",
        "Opening moved from item 1 to item 2",
        "Added item 3: Outreach",
        "Removed item 3: Roster",
    ]
    with use_language(Language.FR):
        french = [message_in_reading(c.words) for c in found if c.words is not None]
    assert french == [
        "Point 1 renommé (anciennement Budget)",
        "Budget 2028 déplacé du point 2 au point 1",
        "Opening déplacé du point 1 au point 2",
        "Point 3 ajouté : Outreach",
        "Point 3 retiré : Roster",
    ]
    with use_language(Language.ZH):
        assert message_in_reading(found[3].words) == "新增第 3 项：Outreach"  # type: ignore[arg-type]


def test_roster_reasons_read_back_in_english_exactly() -> None:
    reasons = [
        "deferred from 2026",
        "absent in 2026: presents at the next plenary",
        "excused in 2026: keeps its priority",
        "due: never presented (eligible since 2024), 1 plenary since, cycle of 3",
        "due: last turn 2023 (excused), 3 plenaries since, cycle of 3",
        "longest since last presentation (2022); tie among 3 broken by the published seed: rank 2",
        "replaces co-aurum: never presented (Full since 2025)",
    ]
    assert [slot_reason(r).english() for r in reasons] == reasons


def test_roster_reasons_in_french_and_chinese() -> None:
    tie = "longest since last presentation (2022); tie among 3 broken by the published seed: rank 2"
    with use_language(Language.FR):
        assert reason_in_reading(tie) == (
            "le plus longtemps sans présenter (dernière fois en 2022) ; égalité entre 3 "
            "départagée par la graine publiée : rang 2"
        )
        assert reason_in_reading(
            "due: last turn 2023 (excused), 3 plenaries since, cycle of 3"
        ) == ("son tour est venu : dernier tour en 2023 (excusé), 3 plénières depuis, cycle de 3")
    with use_language(Language.ZH):
        assert reason_in_reading("replaces co-aurum: never presented (Full since 2025)") == (
            "替代co-aurum：从未作介绍（自 2025 年起为正式成员）"
        )
    # a reason the rules never wrote is shown as written
    with use_language(Language.FR):
        assert reason_in_reading("longest wait") == "longest wait"


def test_a_fractional_day_count_takes_the_plural_of_the_number_as_written() -> None:
    with use_language(Language.FR):
        assert reading.days(1.5) == "1,5 jour"
        assert reading.days(2.5) == "2,5 jours"
        assert reading.days(1) == "1 jour"
        assert reading.days(1234.5) == "1\u202f234,5 jours"
    with use_language(Language.EN):
        assert reading.days(1.5) == "1.5 days"
        assert reading.days(1) == "1 day"
    with use_language(Language.ES):
        assert reading.days(1.5) == "1,5 días"


def _caption(language: Language) -> str:
    picture = TEMPLATES.env.get_template("_picture.html").module.picture  # type: ignore[attr-defined]
    facts = SimpleNamespace(
        key="timeline",
        title="年度时间轴" if language is Language.ZH else "Calendrier de l'année",
        summary="摘要" if language is Language.ZH else "Résumé",
        wide="",
        narrow="",
        table=SimpleNamespace(caption="t", headers=(), rows=()),
    )
    with use_language(language):
        html = str(picture(facts))
    return html.split("<figcaption", 1)[1].split(">", 1)[1].split("</figcaption>", 1)[0]


def test_a_pictures_title_ends_as_its_language_ends_a_sentence() -> None:
    assert _caption(Language.ZH) == "<strong>年度时间轴。</strong>摘要"
    assert _caption(Language.FR) == "<strong>Calendrier de l&#39;année.</strong> Résumé"


def test_the_apis_indicator_labels_follow_the_readers_language() -> None:
    the_set = RULEBOOK.indicators.set_for_year(2030)
    company = the_set.pillars[Pillar.COMPANY]
    first = company[0]
    french = Wording(
        label="Évaluations des risques tenant compte de la sécurité et des droits de l'homme",
        guidance="Comptez les évaluations achevées pendant l'année.",
    )
    worded = the_set.model_copy(
        update={
            "pillars": {
                **the_set.pillars,
                Pillar.COMPANY: [
                    first.model_copy(update={"texts": {**first.texts, "fr": french}}),
                    *company[1:],
                ],
            }
        }
    )
    questions = [
        IndicatorQuestion(
            key=i.key,
            label=i.label(),
            guidance="",
            type=i.type.value,
            theme=i.theme.value,
            required=i.required,
        )
        for i in company[:2]
    ]
    view = IndicatorsView(
        year=2030, member="co-aurum", version=the_set.version, default_set=True, questions=questions
    )
    read = indicators_in(view, worded, Language.FR)
    assert [q.label for q in read.questions] == [
        "Évaluations des risques tenant compte de la sécurité et des droits de l'homme",
        "Sites whose security arrangements were reviewed",  # no French wording: as written
    ]
    assert read.questions[0].guidance == "Comptez les évaluations achevées pendant l'année."
    assert indicators_in(view, worded, Language.EN) == view


def test_the_fairness_report_in_french() -> None:
    figures = simulate(RosterRules.of(RULEBOOK), 3, 2027)
    with use_language(Language.FR):
        text = report_text(figures, 3, write=message_in_reading)
    lines = text.splitlines()
    assert lines[0] == "Équité du calendrier sur 3 années simulées"
    assert lines[1].startswith("(64 membres au départ : 12 gouvernement, 36 entreprise, 16 ONG ;")
    # shares with the French percent sign, after a (narrow) no-break space
    assert re.search(r"chaque année 3\s%", lines[1].replace("\u202f", " ")), lines[1]
    assert lines[3].split() == ["govsched", "tour", "de", "rôle", "aléatoire"]
    assert lines[4].startswith("dispersion (présentations par année d'éligibilité) ")
    # every measured figure is written with the French decimal comma, never a point
    figures_written = [cell for line in lines[4:9] for cell in line.split()[-3:]]
    assert all(re.fullmatch(r"\d+(,\d{3})?", cell) for cell in figures_written), figures_written
    assert any("," in cell for cell in figures_written)
    assert lines[-1].startswith("cycles manqués : nombre de fois où un membre éligible")


def test_a_message_names_its_labels_as_the_requests_rulebook_does() -> None:
    """The `say` filter of every page gives no labels: the request's (`use_label_texts`) count,
    so a page names the Annual Plenary as the reader's feed does (found by a review)."""
    title = plenary_message(False, 2027, RULEBOOK)
    with use_language(Language.FR), use_label_texts(RULEBOOK.label_text):
        assert message_in_reading(title) == "Séance plénière annuelle 2027 (VPI)"
