"""The request bodies of the plenary agenda, which the web forms and the API both accept."""

from __future__ import annotations

from typing import Literal

from governance.applications.model import Url
from governance.kernel.model import Frozen
from governance.year.published_agenda import DecisionText, NewTitle


class AgendaItemIn(Frozen):
    title: NewTitle


class DocumentIn(Frozen):
    title: NewTitle
    url: Url


class MoveIn(Frozen):
    direction: Literal["up", "down"]


class AgendaDecisionIn(Frozen):
    text: DecisionText
