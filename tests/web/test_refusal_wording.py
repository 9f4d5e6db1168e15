"""Form refusals in plain words (issue 19): whatever is typed into a form, the reason shown
beside a field is a sentence a Secretariat officer understands, never pydantic's own wording
(types, patterns, "String should have at most 200 characters")."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from governance.concerns.model import Filing
from governance.kernel.languages import Language
from governance.registry.changes import AddMember, AddPerson, SetChair
from governance.year.seats import RecordSeat
from govsched.http.agenda_bodies import AgendaDecisionIn, AgendaItemIn, DocumentIn
from govsched.http.web.forms import parse, validation_errors
from govsched.http.web.refusal_wording import line_of, plain
from govsched.i18n.catalogs import PSEUDO_CLOSE, PSEUDO_OPEN
from govsched.i18n.current import use_language

# what pydantic says in its own words, and never reaches a form
PYDANTIC_WORDING = (
    "String should",
    "Input should",
    "should match pattern",
    "Value error",
    "Field required",
    "valid date",
    "valid integer",
    "Extra inputs",
    "Assertion failed",
)
FORMS: dict[type[BaseModel], tuple[str, ...]] = {
    AddMember: ("id", "name", "pillar", "country", "joined", "status"),
    AddPerson: ("id", "name", "email", "member"),
    RecordSeat: ("member", "starts", "ends"),
    SetChair: ("member", "starts", "ends"),
    Filing: ("about", "summary", "evidence"),
    AgendaItemIn: ("title",),
    DocumentIn: ("title", "url"),
    AgendaDecisionIn: ("text",),
}
# hostile text: control characters, right-to-left marks, markup, very long, dates that are not
hostile = st.one_of(
    st.text(max_size=40),
    st.text(min_size=190, max_size=4100),
    st.sampled_from(
        [
            "<script>alert(1)</script>",
            "2026-13-40",
            "ftp://example.org/x",
            "https://example.org/a b",
            "\u202egov-norland",
            "x\x00y",
            "-1",
            "NaN",
            "Robert'); DROP TABLE members;--",
        ]
    ),
)


def _form(model: type[BaseModel]) -> st.SearchStrategy[tuple[type[BaseModel], dict[str, str]]]:
    fields = FORMS[model]
    return st.tuples(
        st.just(model), st.fixed_dictionaries({}, optional=dict.fromkeys(fields, hostile))
    )


@given(st.sampled_from(sorted(FORMS, key=lambda m: m.__name__)).flatmap(_form))
def test_every_refusal_beside_a_field_is_in_plain_words(
    case: tuple[type[BaseModel], dict[str, str]],
) -> None:
    model, values = case
    refusals: list[ValidationError] = []
    try:
        parse(model, values)
    except ValidationError as exc:
        refusals.append(exc)
    for refused in refusals:
        errors = validation_errors(refused, FORMS[model])
        assert errors, refused
        for field, reason in errors.items():
            assert reason.strip(), (field, refused)
            assert not any(words in reason for words in PYDANTIC_WORDING), (field, reason)


@pytest.mark.parametrize(
    ("model", "values", "field", "reason"),
    [
        (
            AgendaItemIn,
            {"title": "x" * 301},
            "title",
            "write at most 300 characters (this has 301)",
        ),
        (AddMember, {"id": "m", "name": "M", "pillar": "ngo"}, "country", "this is required"),
        (AddMember, {"pillar": "guild"}, "pillar", "choose one of the options offered"),
        (RecordSeat, {"member": "gov-x", "starts": "2026-13-40"}, "starts", "give a date as"),
        (
            Filing,
            {
                "about": "co-x",
                "summary": "s",
                "evidence": ["https://a.example", "files.example.org/b"],
            },
            "evidence",
            "line 2: give a link starting with http:// or https://",
        ),
        (AddPerson, {"email": "nobody"}, "email", "is not an email address"),
    ],
)
def test_each_kind_of_refusal_says_what_to_write(
    model: type[BaseModel], values: dict[str, Any], field: str, reason: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        model.model_validate(values)
    assert validation_errors(refused.value, FORMS[model])[field].startswith(reason)


def _refusals(model: type[BaseModel], values: dict[str, str]) -> list[Any]:
    try:
        parse(model, values)
    except ValidationError as exc:
        # our own validators' messages are kept as written; the rest is worded here
        return [e for e in exc.errors() if e["type"] not in ("value_error", "assertion_error")]
    return []


@given(st.sampled_from(sorted(FORMS, key=lambda m: m.__name__)).flatmap(_form))
def test_every_worded_refusal_goes_through_the_catalog(
    case: tuple[type[BaseModel], dict[str, str]],
) -> None:
    """Issue 20: in the pseudo-locale every sentence worded here is one catalog message (and a
    list's line number another), so none bypasses the reader's language."""
    model, values = case
    with use_language(Language.EN, pseudo=True):
        for error in _refusals(model, values):
            for said in (plain(error), line_of(error)):
                if said:
                    assert said.startswith(PSEUDO_OPEN), said
                    assert said.rstrip().endswith(PSEUDO_CLOSE), said


@given(
    st.sampled_from(sorted(FORMS, key=lambda m: m.__name__)).flatmap(_form),
    st.sampled_from([Language.FR, Language.ES, Language.ZH]),
)
def test_a_refusal_is_worded_in_the_readers_language(
    case: tuple[type[BaseModel], dict[str, str]], language: Language
) -> None:
    model, values = case
    for error in _refusals(model, values):
        with use_language(Language.EN):
            english = line_of(error) + plain(error)
        with use_language(language):
            translated = line_of(error) + plain(error)
        assert translated != english, (language, english)
        assert "%(" not in translated, translated
        # the limit the form sets is stated in every language
        limits = [str(error.get("ctx", {}).get(k)) for k in ("max_length", "min_length")]
        for limit in limits:
            if limit != "None" and limit in english:
                assert limit in translated, (limit, translated)


def test_the_refusal_beside_a_field_reads_in_french() -> None:
    with pytest.raises(ValidationError) as refused:
        AgendaItemIn.model_validate({"title": "x" * 301})
    with use_language(Language.FR):
        reason = validation_errors(refused.value, FORMS[AgendaItemIn])["title"]
    assert "300" in reason
    assert "301" in reason
    with use_language(Language.EN):
        assert validation_errors(refused.value, FORMS[AgendaItemIn])["title"] != reason
