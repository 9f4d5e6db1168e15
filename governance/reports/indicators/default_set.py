"""The DEFAULT indicator set, shaped like the VPI's pillar reporting guidelines.

DEFAULT: nothing public fixes the VPI's model indicators (key result area 4e of the Strategy asks
members to elaborate them). These follow what each pillar's reporting guidelines ask a member to
describe (../shared/domain/vpi-governance.md, section 4), so members have a starting point to
amend in the rulebook, never in code.
"""

from __future__ import annotations

from decimal import Decimal

from governance.kernel.model import Pillar
from governance.reports.indicators.model import (
    Indicator,
    IndicatorSet,
    IndicatorType,
    Theme,
    Wording,
)

T = IndicatorType


def _q(
    key: str,
    type_: IndicatorType,
    theme: Theme,
    label: str,
    guidance: str,
    *,
    required: bool = False,
    **bounds: object,
) -> Indicator:
    return Indicator.model_validate(
        {
            "key": key,
            "type": type_,
            "theme": theme,
            "required": required,
            "texts": {"en": Wording(label=label, guidance=guidance)},
            **bounds,
        }
    )


_COMPANY = [
    _q(
        "risk_assessments",
        T.WHOLE_NUMBER,
        Theme.RISK_ASSESSMENT,
        "Risk assessments that considered security and human rights",
        "Count the assessments completed in the reporting year, at any site or project.",
        required=True,
        minimum=Decimal(0),
    ),
    _q(
        "sites_arrangements_reviewed",
        T.PERCENTAGE,
        Theme.RISK_ASSESSMENT,
        "Sites whose security arrangements were reviewed",
        "The share of operated sites with security arrangements reviewed in the year.",
        required=True,
    ),
    _q(
        "security_grievances_received",
        T.WHOLE_NUMBER,
        Theme.GRIEVANCE_AND_REMEDY,
        "Security-related grievances received",
        "Grievances about conduct of public or private security, from any channel.",
        required=True,
        minimum=Decimal(0),
    ),
    _q(
        "security_grievances_resolved",
        T.WHOLE_NUMBER,
        Theme.GRIEVANCE_AND_REMEDY,
        "Security-related grievances resolved",
        "Grievances closed in the year with the complainant informed of the outcome.",
        minimum=Decimal(0),
    ),
    _q(
        "private_security_contracts_with_vp_clauses",
        T.PERCENTAGE,
        Theme.PRIVATE_SECURITY,
        "Private security contracts with Voluntary Principles clauses",
        "The share of contracts in force at the end of the year.",
    ),
    _q(
        "public_security_trainings",
        T.WHOLE_NUMBER,
        Theme.PUBLIC_SECURITY,
        "Trainings of public security forces supported",
        "Sessions on human rights the company supported or delivered for public security.",
        minimum=Decimal(0),
    ),
    _q(
        "community_dialogue_on_security",
        T.YES_NO,
        Theme.ENGAGEMENT_WITH_COMMUNITIES,
        "Security discussed with affected communities",
        "Yes if communities near operations were consulted on security arrangements.",
    ),
    _q(
        "in_country_working_group",
        T.YES_NO,
        Theme.IN_COUNTRY_PROCESSES,
        "Takes part in an in-country working group",
        "",
    ),
    _q(
        "implementation_spend",
        T.AMOUNT,
        Theme.IN_COUNTRY_PROCESSES,
        "Spending on implementing the Voluntary Principles",
        "Staff, training and assessments; an estimate is acceptable.",
        minimum=Decimal(0),
    ),
]

_GOVERNMENT = [
    _q(
        "national_action_plan",
        T.CHOICE,
        Theme.IN_COUNTRY_PROCESSES,
        "National action plan or equivalent policy",
        "The state of the plan at the end of the reporting year.",
        required=True,
        choices=["none", "in preparation", "adopted", "under revision"],
    ),
    _q(
        "host_government_outreach",
        T.WHOLE_NUMBER,
        Theme.OUTREACH,
        "Host governments approached about the Voluntary Principles",
        "Governments engaged through embassies, visits or events in the year.",
        required=True,
        minimum=Decimal(0),
    ),
    _q(
        "in_country_engagements",
        T.WHOLE_NUMBER,
        Theme.IN_COUNTRY_PROCESSES,
        "In-country engagements (working groups, multi-stakeholder meetings)",
        "",
        minimum=Decimal(0),
    ),
    _q(
        "public_security_trainings",
        T.WHOLE_NUMBER,
        Theme.PUBLIC_SECURITY,
        "Trainings of public security forces on human rights",
        "",
        minimum=Decimal(0),
    ),
    _q(
        "embassies_with_focal_point",
        T.PERCENTAGE,
        Theme.OUTREACH,
        "Embassies in extractive-sector countries with a Voluntary Principles focal point",
        "",
    ),
    _q(
        "implementation_funding",
        T.AMOUNT,
        Theme.IN_COUNTRY_PROCESSES,
        "Funding for implementation projects",
        "",
        minimum=Decimal(0),
    ),
]

_NGO = [
    _q(
        "field_engagements",
        T.WHOLE_NUMBER,
        Theme.ENGAGEMENT_WITH_COMMUNITIES,
        "Field engagements with affected communities",
        "",
        required=True,
        minimum=Decimal(0),
    ),
    _q(
        "trainings_delivered",
        T.WHOLE_NUMBER,
        Theme.PUBLIC_SECURITY,
        "Trainings delivered (communities, security providers, officials)",
        "",
        minimum=Decimal(0),
    ),
    _q(
        "incidents_monitored",
        T.WHOLE_NUMBER,
        Theme.GRIEVANCE_AND_REMEDY,
        "Security and human rights incidents monitored",
        "",
        required=True,
        minimum=Decimal(0),
    ),
    _q(
        "incidents_raised_with_members",
        T.WHOLE_NUMBER,
        Theme.GRIEVANCE_AND_REMEDY,
        "Incidents raised with a member concerned",
        "",
        minimum=Decimal(0),
    ),
    _q(
        "in_country_working_group",
        T.YES_NO,
        Theme.IN_COUNTRY_PROCESSES,
        "Takes part in an in-country working group",
        "",
    ),
    _q(
        "notable_practice",
        T.SHORT_TEXT,
        Theme.OUTREACH,
        "A practice other members could learn from",
        "One sentence.",
        max_length=300,
    ),
]

DEFAULT_SET = IndicatorSet(
    version="vpi-default-1",
    from_year=2026,
    default=True,
    pillars={Pillar.COMPANY: _COMPANY, Pillar.GOVERNMENT: _GOVERNMENT, Pillar.NGO: _NGO},
)
