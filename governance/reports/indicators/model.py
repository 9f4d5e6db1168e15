"""What an indicator set is: per pillar, versioned by the reporting year it applies from.

Wording is kept per language code (`texts["en"]`), so the languages issue adds a language by adding
a key, not by changing the model. English is the one every indicator must carry.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import ConfigDict, Field

from governance.kernel.model import OneLine, Paragraphs, Pillar
from governance.kernel.text import ValidText

Key = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,59}$", description="e.g. sites_reviewed")]
Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$", description="ISO 4217 code, e.g. USD")]
LanguageCode = Annotated[str, Field(pattern=r"^[a-z]{2,3}(-[A-Z]{2})?$", examples=["en", "fr"])]
REQUIRED_LANGUAGE = "en"


class IndicatorSection(ValidText):
    model_config = ConfigDict(frozen=True, extra="forbid")


class IndicatorType(StrEnum):
    YES_NO = "yes_no"
    WHOLE_NUMBER = "whole_number"
    PERCENTAGE = "percentage"
    AMOUNT = "amount"
    CHOICE = "choice"
    SHORT_TEXT = "short_text"


NUMERIC_TYPES = frozenset(
    {IndicatorType.WHOLE_NUMBER, IndicatorType.PERCENTAGE, IndicatorType.AMOUNT}
)


class Theme(StrEnum):
    """The part of the Voluntary Principles an indicator evidences."""

    RISK_ASSESSMENT = "risk_assessment"
    PUBLIC_SECURITY = "public_security"
    PRIVATE_SECURITY = "private_security"
    GRIEVANCE_AND_REMEDY = "grievance_and_remedy"
    ENGAGEMENT_WITH_COMMUNITIES = "engagement_with_communities"
    IN_COUNTRY_PROCESSES = "in_country_processes"
    OUTREACH = "outreach"


class Wording(IndicatorSection):
    label: Annotated[OneLine, Field(min_length=1, max_length=200)]
    guidance: Annotated[Paragraphs, Field(max_length=2000)] = ""


class Indicator(IndicatorSection):
    """One question of the set. `minimum`/`maximum` bound numbers (an amount's sum, a whole
    number, a percentage within 0-100); `choices` are a one-of's answers; `currencies` the
    amounts' allowed currencies (empty: any ISO code); `max_length` a short text's length."""

    key: Key
    type: IndicatorType
    theme: Theme
    required: bool = False
    texts: dict[LanguageCode, Wording]
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    choices: list[Annotated[OneLine, Field(min_length=1, max_length=80)]] = []
    currencies: list[Currency] = []
    max_length: Annotated[int, Field(ge=1, le=2000)] | None = None

    def label(self, language: str = REQUIRED_LANGUAGE) -> str:
        """The label in `language`, or in English when that language has none yet."""
        return (self.texts.get(language) or self.texts[REQUIRED_LANGUAGE]).label


class IndicatorSet(IndicatorSection):
    """The questions of each pillar from reporting year `from_year` until the next version."""

    version: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9.-]{0,39}$", examples=["vpi-2027"])]
    from_year: Annotated[int, Field(ge=1990, le=2200)]
    # True while the set is the shipped DEFAULT, not one the members agreed.
    default: bool = False
    pillars: dict[Pillar, list[Indicator]] = {}

    def indicators(self, pillar: Pillar) -> list[Indicator]:
        return self.pillars.get(pillar, [])
