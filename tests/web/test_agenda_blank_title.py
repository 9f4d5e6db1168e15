"""An agenda item's or a document's title of spaces alone is refused, naming `title`, by the
bodies the API and the web forms both accept.

Found by a review: `POST /plenaries/plenary-2027/agenda/items {"title": "   "}` answered 201."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from govsched.http.agenda_bodies import AgendaItemIn, DocumentIn


@pytest.mark.parametrize("title", ["   ", "\u00a0", " \u3000 "])
def test_a_title_of_spaces_alone_is_refused(title: str) -> None:
    for body in (
        lambda: AgendaItemIn(title=title),
        lambda: DocumentIn(title=title, url="https://example.org/a.pdf"),
    ):
        with pytest.raises(ValidationError) as refused:
            body()
        (error,) = refused.value.errors()
        assert (error["loc"], error["msg"]) == (("title",), "Value error, must not be blank")
    assert AgendaItemIn(title=" Opening ").title == " Opening "
