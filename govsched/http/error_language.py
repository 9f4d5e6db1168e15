"""The `message` of an API error in the reader's language (issue 20).

The reader's language is the request's Accept-Language, else the initiative's. An English reader
gets the sentence as the rules wrote it, naming what went wrong; another reader gets the same
sentence in their language when the rules worded it as a message (every refusal `governance`
makes), else what the error code means. The problems keep their field names (they name the
request's own fields) and their reasons as written: the field tells a client where to look.
"""

from __future__ import annotations

from fastapi import Request

from governance.kernel.languages import Language
from governance.kernel.messages import Message
from govsched.i18n.current import N_, gettext, use_language
from govsched.i18n.messages import render
from govsched.i18n.negotiation import negotiate

_MEANINGS = {
    "invalid": N_("The request is invalid: each problem names a field and the reason."),
    "refused": N_("The request was refused by the initiative's rules."),
    "not_found": N_("Nothing was found at this address."),
    "conflict": N_("The request conflicts with the current state of things."),
    "forbidden": N_("Your role does not allow this."),
    "unauthenticated": N_("Sign in first: this needs a valid token."),
    "unavailable": N_("The service is briefly unavailable; try again shortly."),
    "method_not_allowed": N_("This address does not accept this method."),
    "too_large": N_("The request is too large for this service: send a smaller one."),
    "http_error": N_("The request could not be served."),
    "internal": N_("An unexpected error occurred; it has been logged."),
}


def reader_language(request: Request) -> Language:
    state = getattr(request.app.state, "govsched", None)
    default = state.rulebook.initiative.language if state is not None else Language.EN
    return negotiate(request.headers.get("accept-language"), default)


def message_for(
    request: Request, code: str, english: str, words: Message | None = None
) -> tuple[str, Language]:
    """The error's message as the reader reads it, and the language it is in."""
    language = reader_language(request)
    # tests answer in the pseudo-locale to find a message that bypasses the catalog, as pages do
    pseudo = bool(getattr(request.app.state, "pseudo_locale", False))
    if language is Language.EN and not pseudo:
        return english, Language.EN
    if words is not None:
        state = getattr(request.app.state, "govsched", None)
        labels = state.rulebook.label_text if state is not None else None
        return render(words, language, labels, pseudo=pseudo), language
    if code not in _MEANINGS:
        return english, Language.EN
    with use_language(language, pseudo=pseudo):
        return gettext(_MEANINGS[code]), language
