"""The request bodies of the plenary agenda, which the web forms and the API both accept."""

from __future__ import annotations

from typing import Literal

from governance.applications.model import Url
from governance.kernel.model import Incoming
from governance.year.published_agenda import DecisionText, NewTitle


class AgendaItemIn(Incoming):
    title: NewTitle


class DocumentIn(Incoming):
    title: NewTitle
    url: Url


class MoveIn(Incoming):
    direction: Literal["up", "down"]


class AgendaDecisionIn(Incoming):
    text: DecisionText
