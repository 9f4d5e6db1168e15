"""A year a page reads from its query or a form field, read as the API reads a year in its path:
digits within the API's bound. `str.isdigit` is no test: it takes "²", which `int` refuses, and a
year past the bound is more than the database can hold."""

from __future__ import annotations

from pydantic import TypeAdapter, ValidationError

from govsched.http.path_years import ReportingYear as Year

_YEAR: TypeAdapter[int] = TypeAdapter(Year)


def asked_year(raw: str | None) -> int | None:
    """The year `raw` names, or None when it names none the API would take."""
    try:
        return _YEAR.validate_python(raw)
    except ValidationError:
        return None
