"""A notice's message (governance/kernel/messages.py) in the reader's language.

The message id goes through the catalog (its plural form chosen by the language's own rule,
its context respected); each parameter is written as the locale writes it: days and periods with
CLDR's formats, instants in the event's time zone, numbers, lists with the locale's own "and".
Text as written (names, ids, links) stays as written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from governance.kernel.languages import Language
from governance.kernel.messages import (
    Day,
    Figure,
    Instant,
    Label,
    Message,
    Names,
    Number,
    Param,
    Period,
    Term,
    Terms,
    Text,
    Word,
)
from govsched.i18n import formatting
from govsched.i18n.current import (
    current_language,
    gettext,
    ngettext,
    npgettext,
    pgettext,
    use_language,
)

# A rulebook label in a language: (English text, language) -> its text there.
LabelTexts = Callable[[str, Language], str]


def render(
    message: Message,
    language: Language,
    labels: LabelTexts | None = None,
    *,
    pseudo: bool = False,
) -> str:
    with use_language(language, pseudo=pseudo):
        return _Renderer(labels).message(message)


# The rulebook's label texts of the request being answered (set by the web's and the API's
# routes): a refusal names "the Steering Committee" as the initiative calls it in each language.
_label_texts: ContextVar[LabelTexts | None] = ContextVar("govsched_label_texts", default=None)


@contextmanager
def use_label_texts(labels: LabelTexts) -> Iterator[None]:
    token = _label_texts.set(labels)
    try:
        yield
    finally:
        _label_texts.reset(token)


def in_current_language(message: Message, labels: LabelTexts | None = None) -> str:
    """The message in the language (or the pseudo-locale) being written now, its rulebook
    labels as the request's rulebook gives them when none are given."""
    return _Renderer(labels if labels is not None else _label_texts.get()).message(message)


class _Renderer:
    def __init__(self, labels: LabelTexts | None) -> None:
        self._labels = labels

    def message(self, message: Message) -> str:
        values = {name: self.value(param) for name, param in message.params.items()}
        if message.count is not None:
            values.setdefault("count", formatting.number(message.count))
        form = self._form(message)
        first = form % values if values else form
        rest = [self.message(sentence) for sentence in message.then]
        # Chinese runs sentences together; the others put a space between them.
        joiner = "" if current_language() is Language.ZH else " "
        return joiner.join([first, *rest])

    def _form(self, message: Message) -> str:
        if message.count is not None and message.plural is not None:
            if message.context is not None:
                return npgettext(message.context, message.id, message.plural, message.count)
            return ngettext(message.id, message.plural, message.count)
        if message.context is not None:
            return pgettext(message.context, message.id)
        return gettext(message.id)

    def value(self, param: Param) -> str:
        match param:
            case Text(value=value):
                return value
            case Number(value=number):
                return formatting.number(number)
            case Figure(value=value, digits=digits, percent=percent):
                return formatting.figure(value, digits, percent=percent)
            case Day(value=day):
                return formatting.day(day)
            case Period():
                return self._period(param)
            case Instant(value=moment, timezone=timezone):
                return formatting.moment(moment, timezone)
            case Names(values=values, shown=shown):
                return self._names(values, shown)
            case Label(text=text):
                return self._labels(text, current_language()) if self._labels else text
            case Word(value=value):
                # the workspace's word for the value, as its pages show it (labels.words)
                return pgettext("word", value.replace("_", " "))
            case Term(message=message):
                return self.message(message)
            case Terms(messages=messages, separator=separator):
                if separator == ", " and current_language() is Language.ZH:
                    separator = "、"  # Chinese separates the items of a list with 、
                return separator.join(self.message(message) for message in messages)
        raise TypeError(f"not a message parameter: {param!r}")

    def _period(self, period: Period) -> str:
        if period.starts == period.ends:
            return pgettext("period", "on %(day)s") % {"day": formatting.day(period.starts)}
        return pgettext("period", "from %(start)s to %(end)s") % {
            "start": formatting.day(period.starts),
            "end": formatting.day(period.ends),
        }

    def _names(self, values: tuple[str, ...], shown: int) -> str:
        rest = len(values) - shown
        listed = list(values[:shown])
        if rest > 0:
            more = ngettext("%(count)s more", "%(count)s more", rest)
            listed.append(more % {"count": formatting.number(rest)})
        return formatting.items(listed) if listed else ""
