"""Every refusal `governance` makes is worded as a message, so each surface writes it in its
reader's language (issue 20): the API's `message`, a form's refusal beside its field, a page."""

from __future__ import annotations

import ast
import re
from datetime import UTC, date, datetime

import pytest
from pydantic import ValidationError

from governance.applications.model import ApplicationState
from governance.applications.rules import require_state
from governance.groups.meetings import MovedOccurrence
from governance.kernel.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    Problem,
    error_from_payload,
    error_payload,
)
from governance.kernel.languages import Language
from governance.kernel.messages import Instant, say
from governance.kernel.model import Person
from govsched.http.web.forms import refusal_errors, validation_errors
from govsched.http.web.unavailable import nothing_recorded, try_again
from govsched.i18n.catalogs import PSEUDO_OPEN
from govsched.i18n.current import use_language
from govsched.i18n.maintain import ROOT
from govsched.i18n.refusals import problem_text, reason_text, refusal_text
from govsched.services.groups import made
from govsched.temporal.client import ServiceUnavailable
from tests.governance.applications.application_cast import under_review
from tests.i18n.test_notice_messages import outside_brackets

LIMA = "America/Lima"

# Where the message or the reason is in each refusal's arguments.
REFUSALS = {
    "Problem": 1,
    "InvalidInput": 0,
    "Conflict": 0,
    "GovernanceError": 0,
    "Forbidden": 1,
    "_Refused": 0,
}
# The rulebook's own checks are read by the operator who loads it (the CLI, the installation's
# file): operator output stays English (ARCHITECTURE, Languages).
OPERATOR_ONLY = ("governance/rulebook/", "governance/reports/indicators/checks.py")
# Loading the installation's rulebook file is the operator's work too.
GOVSCHED_OPERATOR_ONLY = ("govsched/services/rulebooks.py",)


def _written_out(node: ast.expr) -> bool:
    return isinstance(node, ast.JoinedStr) or (
        isinstance(node, ast.Constant) and isinstance(node.value, str)
    )


def _english_only(
    folders: tuple[str, ...], operator_only: tuple[str, ...]
) -> tuple[list[str], int]:
    found: list[str] = []
    checked = 0
    for path in sorted(p for folder in folders for p in (ROOT / folder).rglob("*.py")):
        where = str(path.relative_to(ROOT))
        if where.startswith(operator_only):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            at = REFUSALS.get(node.func.id)
            if at is None or len(node.args) <= at:
                continue
            checked += 1
            if _written_out(node.args[at]):
                found.append(f"{where}:{node.lineno} {node.func.id}: word it with say()")
    return found, checked


def test_no_refusal_in_governance_is_a_sentence_written_only_in_english() -> None:
    found, checked = _english_only(("governance",), OPERATOR_ONLY)
    assert checked > 300
    assert not found, "\n".join(found)


def test_no_refusal_govsched_raises_for_its_readers_is_written_only_in_english() -> None:
    """The services, the HTTP routes and the store refuse too; the web and the API write those
    refusals in their reader's language like the rules' own."""
    found, checked = _english_only(
        ("govsched/services", "govsched/http", "govsched/persistence"), GOVSCHED_OPERATOR_ONLY
    )
    assert checked > 60
    assert not found, "\n".join(found)


# Message parameters left as ISO text on purpose (ARCHITECTURE.md, the workspace in four
# languages): an occurrence's identifier echoed back as the caller sent it, the roster
# document's draw day (a published record recomputed byte for byte), and ISO days inside a
# list, where a long date in English would stand in a French sentence.
ISO_ON_PURPOSE = {
    ("governance/groups/meetings.py", "recurrence_id"),
    ("governance/groups/meetings.py", "moment"),
    ("governance/roster/document.py", "day"),
    ("governance/groups/followup.py", "deliverables"),
    ("governance/concerns/rules.py", "today"),
}


def test_messages_take_days_and_instants_as_values_not_their_iso_text() -> None:
    """A parameter given as `x.isoformat()` reads "2027-03-18" in every language; given as the
    day itself it reads "18 March 2027", "18 mars 2027", "2027年3月18日"."""
    found, seen = [], set()
    for path in sorted((ROOT / "governance").rglob("*.py")):
        where = str(path.relative_to(ROOT))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            if node.func.id not in ("say", "say_n", "say_in"):
                continue
            for keyword in node.keywords:
                iso = any(
                    isinstance(part, ast.Call)
                    and isinstance(part.func, ast.Attribute)
                    and part.func.attr == "isoformat"
                    for part in ast.walk(keyword.value)
                )
                if iso and (where, keyword.arg) in ISO_ON_PURPOSE:
                    seen.add((where, keyword.arg))
                elif iso:
                    found.append(f"{where}:{node.lineno} {keyword.arg}: pass the value itself")
    assert not found, "\n".join(found)
    assert seen == ISO_ON_PURPOSE, "an allowed ISO parameter is gone: take it off the list"


def test_days_instants_and_years_in_a_refusal_read_in_each_language() -> None:
    refusal = Conflict(
        say("attendance is recorded after the meeting"),
        [
            Problem(
                "recurrence_id",
                say(
                    "the meeting starts at %(starts)s",
                    starts=Instant(value=datetime(2027, 5, 4, 14, tzinfo=UTC), timezone=LIMA),
                ),
            ),
            Problem("due", say("%(due)s is not in %(year)s", due=date(2028, 1, 5), year=2027)),
        ],
    )
    assert [p.reason for p in refusal.problems] == [
        "the meeting starts at 4 May 2027, 09:00 UTC-05",
        "5 January 2028 is not in 2027",
    ]
    expected = {
        Language.EN: ("4 May 2027, 09:00", "5 January 2028 is not in 2027"),
        Language.FR: ("4 mai 2027, 09:00", "5 janvier 2028 n'est pas en 2027"),
        Language.ES: ("4 de mayo de 2027, 9:00", "5 de enero de 2028 no está en 2027"),
        Language.ZH: ("2027年5月4日", "2028年1月5日 不在 2027 年内"),
    }
    for language, (moment, day) in expected.items():
        with use_language(language):
            assert moment in problem_text(refusal.problems[0]), language
            assert problem_text(refusal.problems[1]) == f"due: {day}"


def test_a_refusal_reads_in_each_language_and_keeps_its_english() -> None:
    refusal = InvalidInput(
        say("the person cannot be added"),
        [Problem("member", say("no member %(member)r", member="acme"))],
    )
    assert refusal.message == "the person cannot be added"
    assert refusal.problems[0].reason == "no member 'acme'"
    expected = {
        Language.EN: ("the person cannot be added", "member: no member 'acme'"),
        Language.FR: ("la personne ne peut pas être ajoutée", "member: aucun membre 'acme'"),
        Language.ES: ("no se puede añadir a la persona", "member: no existe el miembro 'acme'"),
        Language.ZH: ("无法添加该人员", "member: 没有成员 'acme'"),
    }
    for language, (sentence, problem) in expected.items():
        with use_language(language):
            assert refusal_text(refusal) == sentence
            assert problem_text(refusal.problems[0]) == problem


def test_a_form_shows_the_refusal_and_its_reason_in_the_reader_language() -> None:
    refusal = Conflict(
        say("the plenary cannot be moved"),
        [
            Problem("starts", say("a plenary can only move to a day after today")),
            Problem("year", say("the plenary has begun; it can no longer be moved")),
        ],
    )
    with use_language(Language.FR):
        errors = refusal_errors(refusal, ["starts"])
    assert errors == {
        "": "la plénière ne peut pas être déplacée : "
        "la plénière a commencé ; elle ne peut plus être déplacée",
        "starts": "une plénière ne peut être déplacée qu'à une date postérieure à aujourd'hui",
    }


def test_a_not_found_names_its_kind_in_the_reader_language() -> None:
    with use_language(Language.ES):
        assert refusal_text(NotFound("application", "app-1")) == "solicitud 'app-1': no existe"
        # a kind the rules do not list reads as written
        assert refusal_text(NotFound("widget", "w")) == "widget 'w': no existe"


def test_the_words_cross_a_process_boundary_with_the_refusal() -> None:
    """Workflows and activities hand refusals over as payloads: the message goes with them."""
    refusal = Conflict(
        say("the %(year)s handover is complete", year="2027"),
        [Problem("year", say("already scheduled; move it instead"))],
    )
    again = error_from_payload(error_payload(refusal))
    assert again.words == refusal.words
    assert again.problems[0].words == refusal.problems[0].words
    with use_language(Language.ZH):
        assert refusal_text(again) == "2027 年交接已完成"
    # a payload from before the messages reads as written
    old = error_payload(refusal)
    old.pop("words")
    with use_language(Language.FR):
        assert refusal_text(error_from_payload(old)) == "the 2027 handover is complete"


def test_a_page_says_the_workflow_service_is_out_of_reach_in_the_reader_language() -> None:
    """What happened comes from the exception's message, what to do from the page."""
    lost = ServiceUnavailable(say("the workflow service cannot be reached; nothing was changed"))
    assert str(lost) == "the workflow service cannot be reached; nothing was changed"
    with use_language(Language.FR):
        assert try_again(lost) == (
            "le service de flux de travail est injoignable ; rien n'a été modifié ; réessayez"
        )
    with use_language(Language.EN, pseudo=True):
        said = nothing_recorded(lost)
    assert said.startswith(PSEUDO_OPEN)
    assert not re.search(r"[^\W\d_]", outside_brackets(said)), said
    # an exception raised with English alone reads as written
    with use_language(Language.ES):
        assert try_again(ServiceUnavailable("down")) == "down; inténtelo de nuevo"


def test_a_state_named_inside_a_refusal_reads_as_the_workspace_names_it() -> None:
    record = under_review()
    with pytest.raises(Conflict) as refused:
        require_state(record, {ApplicationState.COMPLETE}, say("start the review"))
    # the English the audit and the API's reasons read is what it always was
    assert refused.value.message == "cannot start the review: the application is under_review"
    assert refused.value.problems[0].reason == "is under_review; start the review needs: complete"
    with use_language(Language.FR):
        assert refusal_text(refused.value) == (
            "impossible de lancer l'examen : la candidature est en cours d'examen"
        )
        assert reason_text(refused.value.problems[0]) == (
            "est en cours d'examen ; lancer l'examen exige : complète"
        )
    with use_language(Language.EN):
        # an English page names the state as its pages do, not by its identifier
        assert refusal_text(refused.value) == (
            "cannot start the review: the application is under review"
        )
    with use_language(Language.EN, pseudo=True):
        said = refusal_text(refused.value) + problem_text(refused.value.problems[0])
    assert "under" not in outside_brackets(said), said


def test_a_role_inside_a_refusal_reads_as_the_workspace_names_it() -> None:
    refused = Forbidden("secretariat or chair", say("editing the plenary agenda"))
    assert refused.message == "editing the plenary agenda needs the role 'secretariat or chair'"
    with use_language(Language.ES):
        assert refusal_text(refused) == (
            "editar el orden del día de la plenaria: se necesita el rol 'Secretaría o Presidencia'"
        )
    # a phrase of parts it does not know is shown as written
    odd = Forbidden("someone else", say("editing the plenary agenda"))
    with use_language(Language.ES):
        assert refusal_text(odd).endswith("'someone else'")


def test_a_validators_refusal_reads_in_the_reader_language_on_a_form() -> None:
    with pytest.raises(ValidationError) as refused:
        Person(id="Not A Slug", name="N", email="nope")
    with use_language(Language.ZH):
        errors = validation_errors(refused.value, ["id", "email"])
    assert errors == {
        "id": "请使用 1 至 63 个小写字母、数字或 '-'，并以字母或数字开头",  # noqa: RUF001
        "email": "不是电子邮件地址",
    }
    # what the API's `reason` reads is pydantic's English, as before
    assert refused.value.errors()[1]["msg"] == "Value error, is not an email address"


def test_a_group_refusal_says_what_could_not_be_done_and_why_in_the_reader_language() -> None:
    """A group's input refused: the sentence says what could not be done, then each field and
    its reason, in English for the API and in the reader's words on a form."""
    backwards = {
        "recurrence_id": "2027-05-04T10:00:00",
        "starts": "2027-05-05T12:00:00",
        "ends": "2027-05-05T11:00:00",
    }
    with pytest.raises(InvalidInput) as refused:
        made(MovedOccurrence, backwards, prefix="")
    assert refused.value.message == (
        "the occurrence cannot be moved: ends: a moved occurrence must end after it starts"
    )
    with use_language(Language.FR):
        assert refusal_text(refused.value) == (
            "l'occurrence ne peut pas être déplacée : "
            "ends : une occurrence déplacée doit se terminer après son début"
        )
    # the bound on a meeting's years reads in the reader's words, the years as written
    far = {**backwards, "recurrence_id": "9999-12-31T22:00:00"}
    with pytest.raises(InvalidInput) as too_far:
        made(MovedOccurrence, far, prefix="")
    [year_bound, _] = too_far.value.problems
    assert (year_bound.path, year_bound.reason) == (
        "recurrence_id",
        "give a time between the years 1990 and 2200",
    )
    with use_language(Language.ZH):
        assert reason_text(year_bound) == "请填写 1990 年至 2200 年之间的时间"
