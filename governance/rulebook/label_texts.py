"""The rulebook's labels in each language (issue 20): what the initiative calls its bodies, its
plenary milestones, its handover items and its meetings.

A label is found by its English text, so renaming one in a rulebook ("Board" for "Steering
Committee") asks for its other languages too: a label with no text in one of them is a rulebook
refusal naming it (`label_problems`). The VPI's own terms come from the glossary
(../shared/domain/glossary.md): the Chinese ones as the Strategy 2019-2022 prints them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

from governance.kernel.errors import Problem
from governance.kernel.languages import Language

if TYPE_CHECKING:
    from governance.rulebook.model import Rulebook

FR, ES, ZH = Language.FR, Language.ES, Language.ZH


def _texts(fr: str, es: str, zh: str) -> dict[Language, str]:
    return {FR: fr, ES: es, ZH: zh}


VPI_LABEL_TEXTS: dict[str, dict[Language, str]] = {
    # the initiative itself (`initiative.name`), as the glossary writes it
    "Voluntary Principles Initiative": _texts(
        "Initiative des Principes volontaires",
        "Iniciativa de los Principios Voluntarios",
        "《自愿原则》倡议",
    ),
    # the bodies
    "Steering Committee": _texts("Comité directeur", "Comité Directivo", "指导委员会"),
    "Government Chair": _texts(
        "Présidence gouvernementale", "Presidencia gubernamental", "政府主席"
    ),
    "Secretariat": _texts("Secrétariat", "Secretaría", "秘书处"),
    "Annual Plenary": _texts("Séance plénière annuelle", "Sesión plenaria anual", "年度全体会议"),
    # the plenary's milestones
    "Save-the-date": _texts("Réservez la date", "Reserve la fecha", "预留日期通知"),
    "Call for agenda items and presenters": _texts(
        "Appel à points de l'ordre du jour et à intervenants",
        "Convocatoria de puntos del orden del día y de ponentes",
        "征集议程项目和发言人",
    ),
    "Yearly strategy review": _texts(
        "Revue annuelle de la stratégie", "Revisión anual de la estrategia", "年度战略审查"
    ),
    "Annual reports due": _texts(
        "Échéance des rapports annuels", "Vencimiento de los informes anuales", "年度报告截止"
    ),
    "Draft agenda circulated": _texts(
        "Diffusion du projet d'ordre du jour",
        "Circulación del proyecto de orden del día",
        "分发议程草案",
    ),
    "Final papers": _texts("Documents définitifs", "Documentos finales", "最终文件"),
    "Minutes and outcome note": _texts(
        "Procès-verbal et note de résultats", "Acta y nota de resultados", "会议纪要和成果说明"
    ),
    "Communications plan update": _texts(
        "Mise à jour du plan de communication",
        "Actualización del plan de comunicación",
        "传播计划更新",
    ),
    "Steering Committee strategic retreat": _texts(
        "Retraite stratégique du Comité directeur",
        "Retiro estratégico del Comité Directivo",
        "指导委员会战略务虚会",
    ),
    # the Chair's handover
    "Briefing pack for the incoming Chair": _texts(
        "Dossier d'information pour la présidence entrante",
        "Carpeta informativa para la presidencia entrante",
        "给候任主席的情况介绍材料",
    ),
    "Open applications and their deadlines": _texts(
        "Candidatures en cours et leurs échéances",
        "Solicitudes en curso y sus plazos",
        "待处理的申请及其截止日期",
    ),
    "Open verification roster deferrals": _texts(
        "Reports en attente dans le calendrier des présentations de vérification",
        "Aplazamientos pendientes en la lista de presentaciones de verificación",
        "核查情况介绍的人员名册中待处理的延期",
    ),
    "Steering Committee contacts": _texts(
        "Contacts du Comité directeur", "Contactos del Comité Directivo", "指导委员会联系人"
    ),
    "Association signatories": _texts(
        "Signataires de l'Association", "Signatarios de la Asociación", "协会签署人"
    ),
    "Channel and calendar ownership": _texts(
        "Propriété des canaux et des calendriers",
        "Titularidad de los canales y calendarios",
        "频道和日历的所有权",
    ),
    # the Steering Committee's meetings
    "Steering Committee meeting before the plenary": _texts(
        "Réunion du Comité directeur avant la plénière",
        "Reunión del Comité Directivo antes de la plenaria",
        "全体会议前的指导委员会会议",
    ),
}


def labels_in_use(rulebook: Rulebook) -> Iterator[tuple[str, str]]:
    """(path, English text) of every label the rulebook gives people to read."""
    labels = rulebook.initiative.labels
    for field in type(labels).model_fields:
        yield f"initiative.labels.{field}", getattr(labels, field)
    for i, milestone in enumerate(rulebook.plenary.milestones):
        yield f"plenary.milestones.{i}.title", milestone.title
    for i, item in enumerate(rulebook.chair.handover_items):
        yield f"chair.handover_items.{i}.title", item.title
    for i, meeting in enumerate(rulebook.steering_committee.meetings):
        yield f"steering_committee.meetings.{i}.title", meeting.title


def label_text(
    texts: Mapping[str, Mapping[Language, str]], english: str, language: Language
) -> str:
    """The label in `language`; English is the label as the rulebook writes it."""
    if language is Language.EN:
        return english
    return texts.get(english, {}).get(language) or english


def label_problems(rulebook: Rulebook) -> list[Problem]:
    texts = rulebook.initiative.label_texts
    problems = []
    for path, english in labels_in_use(rulebook):
        missing = [
            language.value
            for language in Language
            if language is not Language.EN and not (texts.get(english) or {}).get(language)
        ]
        if missing:
            problems.append(
                Problem(
                    path,
                    f"{english!r} has no text in {', '.join(missing)}: give it in "
                    f"initiative.label_texts.{english!r}",
                )
            )
    return problems
