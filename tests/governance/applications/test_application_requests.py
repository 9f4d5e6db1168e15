"""Requests on applications and Engaged periods, as a scenario or a CLI user states them."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError

from governance.applications import requests as req
from governance.applications.model import PlenaryDecision
from governance.kernel.model import Frozen, Pillar
from governance.rulebook.model import EvidenceKind, Recommendation
from govsched.rehearsal.action_schemas import ACTIONS

SUBMISSION: dict[str, Any] = {
    "organisation": "Ember Energy",
    "pillar": "company",
    "country": "Yssel",
    "contact_email": "contact@ember.example",
    "statement": "We commit to the Voluntary Principles.",
}

VALID: dict[type[Frozen], dict[str, Any]] = {
    req.SubmitApplication: SUBMISSION,
    req.MarkComplete: {"application": "app-ember", "by": "sec-amina"},
    req.RequestInformation: {
        "application": "app-ember",
        "by": "sec-amina",
        "question": "Please send your policy.",
        "respond_within_days": 14,
    },
    req.ProvideInformation: {"application": "app-ember", "answer": "Attached."},
    req.StartReview: {"application": "app-ember", "by": "sec-amina"},
    req.Recommend: {"application": "app-ember", "by": "sc-ana", "recommendation": "support"},
    req.Object: {"application": "app-ember", "by": "fp-norland", "reason": "Litigation."},
    req.RecordPlenaryDecision: {
        "application": "app-ember",
        "by": "chair-rosa",
        "decision": "admit",
    },
    req.WithdrawApplication: {"application": "app-ember", "by": "sec-amina"},
    req.RecordMilestone: {
        "member": "gov-yssel",
        "kind": "national_action_plan",
        "by": "fp-yssel",
    },
    req.RequestFullMembership: {"member": "gov-yssel", "by": "fp-yssel"},
    req.ExtendEngagedPeriod: {
        "member": "gov-yssel",
        "by": "sc-ana",
        "until": "2031-06-30",
        "reason": "The plan is in parliament.",
    },
}
MODELS = sorted(VALID, key=lambda m: m.__name__)


def errors_at(model: type[Frozen], data: dict[str, Any]) -> set[str]:
    with pytest.raises(ValidationError) as caught:
        model.model_validate(data)
    return {".".join(str(p) for p in e["loc"]) for e in caught.value.errors()}


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_each_request_accepts_its_fields_and_names_its_action(model: type[Frozen]) -> None:
    request = model.model_validate(VALID[model])
    action = request.model_dump()["action"]
    assert req.APPLICATION_ACTIONS[action] is model


def test_the_fields_are_read_into_their_types() -> None:
    decision = req.RecordPlenaryDecision.model_validate(VALID[req.RecordPlenaryDecision])
    assert decision.decision is PlenaryDecision.ADMIT
    assert decision.note == ""
    recommend = req.Recommend.model_validate(VALID[req.Recommend])
    assert recommend.recommendation is Recommendation.SUPPORT
    milestone = req.RecordMilestone.model_validate(VALID[req.RecordMilestone])
    assert milestone.kind is EvidenceKind.NATIONAL_ACTION_PLAN
    extend = req.ExtendEngagedPeriod.model_validate(VALID[req.ExtendEngagedPeriod])
    assert extend.until == date(2031, 6, 30)
    submission = req.SubmitApplication.model_validate(SUBMISSION)
    assert submission.pillar is Pillar.COMPANY
    assert submission.documents == []
    assert submission.id is None


BY_MODELS = [m for m in MODELS if "by" in m.model_fields]
APPLICATION_MODELS = [m for m in MODELS if "application" in m.model_fields]


@pytest.mark.parametrize("model", BY_MODELS, ids=lambda m: m.__name__)
@pytest.mark.parametrize("by", ["Sec Amina", "SEC-AMINA", "-sec", "", "sec_amina", "a" * 64])
def test_by_must_be_a_slug(model: type[Frozen], by: str) -> None:
    assert errors_at(model, {**VALID[model], "by": by}) == {"by"}


@pytest.mark.parametrize("model", APPLICATION_MODELS, ids=lambda m: m.__name__)
@pytest.mark.parametrize("application", ["App Ember", "app/ember", "", "Ember"])
def test_the_application_must_be_a_slug(model: type[Frozen], application: str) -> None:
    assert errors_at(model, {**VALID[model], "application": application}) == {"application"}


def test_the_applicant_may_answer_without_by_but_not_with_a_bad_one() -> None:
    assert req.ProvideInformation.model_validate(VALID[req.ProvideInformation]).by is None
    bad = {**VALID[req.ProvideInformation], "by": "Not A Slug"}
    assert errors_at(req.ProvideInformation, bad) == {"by"}


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_a_request_without_its_required_fields_is_refused(model: type[Frozen]) -> None:
    required = {name for name, field in model.model_fields.items() if field.is_required()}
    assert required
    assert errors_at(model, {}) == required


def test_a_statement_is_required_and_not_empty() -> None:
    missing = {k: v for k, v in SUBMISSION.items() if k != "statement"}
    assert errors_at(req.SubmitApplication, missing) == {"statement"}
    assert errors_at(req.SubmitApplication, {**SUBMISSION, "statement": ""}) == {"statement"}


def test_a_statement_keeps_paragraphs_but_refuses_control_characters() -> None:
    kept = req.SubmitApplication.model_validate({**SUBMISSION, "statement": "One.\r\nTwo."})
    assert kept.statement == "One.\nTwo."
    assert errors_at(req.SubmitApplication, {**SUBMISSION, "statement": "a\x00b"}) == {"statement"}


@pytest.mark.parametrize("url", ["https://ember.example/policy.pdf", "http://ember.example/a?b=c"])
def test_documents_are_web_addresses(url: str) -> None:
    submission = req.SubmitApplication.model_validate({**SUBMISSION, "documents": [url]})
    assert submission.documents == [url]


@pytest.mark.parametrize(
    "url",
    ["ftp://ember.example/policy.pdf", "ember.example/policy.pdf", "https://", "https://a b.c"],
)
def test_documents_that_are_not_http_addresses_are_refused(url: str) -> None:
    assert errors_at(req.SubmitApplication, {**SUBMISSION, "documents": [url]}) == {"documents.0"}


def test_the_contact_email_must_be_an_address() -> None:
    bad = {**SUBMISSION, "contact_email": "not an address"}
    assert errors_at(req.SubmitApplication, bad) == {"contact_email"}


@pytest.mark.parametrize("days", [0, -1])
def test_the_response_time_must_be_positive(days: int) -> None:
    bad = {**VALID[req.RequestInformation], "respond_within_days": days}
    assert errors_at(req.RequestInformation, bad) == {"respond_within_days"}


def test_the_response_time_may_be_left_to_the_rulebook() -> None:
    data = {k: v for k, v in VALID[req.RequestInformation].items() if k != "respond_within_days"}
    assert req.RequestInformation.model_validate(data).respond_within_days is None


def test_a_question_a_reason_and_an_answer_must_not_be_empty() -> None:
    fields: list[tuple[type[Frozen], str]] = [
        (req.RequestInformation, "question"),
        (req.ProvideInformation, "answer"),
        (req.Object, "reason"),
        (req.ExtendEngagedPeriod, "reason"),
    ]
    for model, field in fields:
        assert errors_at(model, {**VALID[model], field: ""}) == {field}


def test_unknown_values_and_fields_are_refused() -> None:
    assert errors_at(req.Recommend, {**VALID[req.Recommend], "recommendation": "veto"}) == {
        "recommendation"
    }
    assert errors_at(req.MarkComplete, {**VALID[req.MarkComplete], "urgent": True}) == {"urgent"}
    assert errors_at(req.MarkComplete, {**VALID[req.MarkComplete], "action": "recommend"}) == {
        "action"
    }


def test_every_application_action_is_a_rehearsal_action() -> None:
    for name, model in req.APPLICATION_ACTIONS.items():
        assert ACTIONS[name] is model
    assert set(req.APPLICATION_ACTIONS) == {
        "submit_application",
        "mark_complete",
        "request_information",
        "provide_information",
        "start_review",
        "recommend",
        "object",
        "record_plenary_decision",
        "withdraw_application",
        "record_milestone",
        "request_full_membership",
        "extend_engaged_period",
    }


def test_each_action_name_is_the_default_of_its_request() -> None:
    for name, model in req.APPLICATION_ACTIONS.items():
        assert model.model_fields["action"].default == name
