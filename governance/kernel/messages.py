"""What a notice says, as a reference a reader's language can render later (issue 20).

Governance is pure and notices are built inside workflows, so a notice cannot be translated
where it is written: it carries a `Message` instead, the English message id (extracted into the
catalogs by `make messages`: `say`, `say_n` and `say_in` are its markers), its plural and count,
and typed parameters. The notifiers render it in each recipient's language at delivery
(govsched/i18n/messages.py). The English rendering (`english`) stays the notice's `text`, so
the ledger, the idempotency keys and the committed workflow histories are what they were.

Parameters are typed so each language can write them its own way: a day, a period, an
instant in the event's time zone, a number, a list of names, a rulebook label, or another
message (a term such as "full" that is itself translated). Text as written (a name, an id, a
link) is never translated.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Annotated, Literal

from pydantic import AwareDatetime, Field

from governance.kernel.marking import N_ as N_  # re-exported: the markers live apart
from governance.kernel.marking import NP_ as NP_
from governance.kernel.model import Frozen
from governance.kernel.wording import LISTED, date_range_text, day_text, listing, moment_text


class Text(Frozen):
    """As written, in every language: a name, an id, a link, a statement."""

    kind: Literal["text"] = "text"
    value: str


class Number(Frozen):
    kind: Literal["number"] = "number"
    value: int


class Figure(Frozen):
    """A measured figure with its digits after the point (`0.500`), or a share (`10%`): each
    language writes its own decimal sign and percent."""

    kind: Literal["figure"] = "figure"
    value: float
    digits: int = 0
    percent: bool = False

    def english(self) -> str:
        return f"{self.value:.{self.digits}%}" if self.percent else f"{self.value:.{self.digits}f}"


class Day(Frozen):
    kind: Literal["day"] = "day"
    value: date


class Period(Frozen):
    """`on 18 May 2027` or `from 18 to 21 May 2027`, the preposition included."""

    kind: Literal["period"] = "period"
    starts: date
    ends: date


class Instant(Frozen):
    """A moment, written in the event's time zone."""

    kind: Literal["instant"] = "instant"
    value: AwareDatetime
    timezone: str


class Names(Frozen):
    """`a, b and c`; past `shown` names, `and 12 more`."""

    kind: Literal["names"] = "names"
    values: tuple[str, ...]
    shown: int = LISTED


class Label(Frozen):
    """A rulebook label ("Steering Committee", a milestone's title) by its key, with the text
    the notice was written with (the rulebook may give it in other languages)."""

    kind: Literal["label"] = "label"
    key: str
    text: str


class Word(Frozen):
    """One of the system's own values (a state, a role) by its identifier (`under_review`).

    Its English is the identifier, as refusals have always written it (the audit, the API's
    `reason` and tests read it); another language writes the workspace's word for the value,
    the one its pages show (the catalog's context "word")."""

    kind: Literal["word"] = "word"
    value: str


class Term(Frozen):
    """Another message, translated in its turn ("full", "engaged", a line of a list)."""

    kind: Literal["term"] = "term"
    message: Message


class Terms(Frozen):
    """Several messages, one after the other, as the language separates items of a list."""

    kind: Literal["terms"] = "terms"
    messages: tuple[Message, ...]
    separator: str = ", "


Param = Annotated[
    Text | Number | Figure | Day | Period | Instant | Names | Label | Word | Term | Terms,
    Field(discriminator="kind"),
]
Value = Param | str | int | date


class Message(Frozen):
    id: Annotated[str, Field(min_length=1, max_length=3000)]
    plural: str | None = None
    count: int | None = None
    # pgettext's context: the same English words meaning something else elsewhere
    context: str | None = None
    params: dict[str, Param] = {}
    # Sentences that follow this one (a summary built of parts), each translated on its own.
    then: tuple[Message, ...] = ()

    def english(self) -> str:
        """The message as written, in English: the notice's `text`."""
        form = self.id if self.count is None or self.count == 1 else (self.plural or self.id)
        values = {name: english_value(param) for name, param in self.params.items()}
        if self.count is not None:
            values.setdefault("count", str(self.count))
        first = form % values if values else form
        return " ".join([first, *(sentence.english() for sentence in self.then)])


def english_value(param: Param) -> str:
    match param:
        case Text(value=value) | Label(text=value) | Word(value=value):
            return value
        case Number(value=number):
            return str(number)
        case Figure():
            return param.english()
        case Day(value=day):
            return day_text(day)
        case Period(starts=starts, ends=ends):
            return date_range_text(starts, ends)
        case Instant(value=moment, timezone=timezone):
            return moment_text(moment, timezone)
        case Names(values=values, shown=shown):
            return listing(list(values), shown)
        case Term(message=message):
            return message.english()
        case Terms(messages=messages, separator=separator):
            return separator.join(message.english() for message in messages)
    raise TypeError(f"not a message parameter: {param!r}")


def _param(value: Value) -> Param:
    if isinstance(value, str):
        return Text(value=value)
    if isinstance(value, bool):
        raise TypeError("a yes/no is no message parameter: write the words")
    if isinstance(value, int):
        return Number(value=value)
    if isinstance(value, date):
        return Day(value=value)
    return value


def _params(values: Mapping[str, Value]) -> dict[str, Param]:
    return {
        # a year names a year, it counts nothing: "2027" in every language, never "2,027"
        name: Text(value=str(value)) if name == "year" and type(value) is int else _param(value)
        for name, value in values.items()
    }


def say(message: str, /, **params: Value) -> Message:
    """A message with named `%(name)s` placeholders; strings are taken as written, ints as
    numbers and dates as days."""
    return Message(id=message, params=_params(params))


def say_n(singular: str, plural: str, count: int, /, **params: Value) -> Message:
    """A message whose words depend on `count` (`%(count)s` is filled with it)."""
    return Message(id=singular, plural=plural, count=count, params=_params(params))


def say_in(context: str, message: str, /, **params: Value) -> Message:
    """A message whose translation depends on where it is used (a report "full", not a
    room)."""
    return Message(id=message, context=context, params=_params(params))


def figure(value: float, digits: int = 0, *, percent: bool = False) -> Figure:
    return Figure(value=value, digits=digits, percent=percent)


def word(value: str) -> Word:
    return Word(value=str(value))


def word_list(values: Sequence[str]) -> Terms:
    """Values as words, `a, b, c`: the English joins the identifiers as refusals always have."""
    # "%(value)s" is no message to translate: each item is its word alone
    return Terms(messages=tuple(Message(id="%(value)s", params={"value": word(v)}) for v in values))


def term(message: Message) -> Term:
    return Term(message=message)


def names(values: Sequence[str], shown: int = LISTED) -> Names:
    return Names(values=tuple(values), shown=shown)


def sentences(first: Message, *rest: Message) -> Message:
    """`first` followed by `rest`, each its own sentence."""
    return first.model_copy(update={"then": (*first.then, *rest)})


Term.model_rebuild()
Terms.model_rebuild()
Message.model_rebuild()


def said(words: str | Message) -> Text | Term:
    """A parameter from words given either as a message (translated in turn) or as written."""
    return term(words) if isinstance(words, Message) else Text(value=words)


def english_of(words: str | Message) -> str:
    return words.english() if isinstance(words, Message) else words
