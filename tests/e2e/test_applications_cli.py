"""The Secretariat's `govsched applications ...` commands against the running stack."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import httpx
import pytest
import yaml

from tests.e2e.stack_process import RunningStack, StackEnv
from tests.today import today

pytestmark = pytest.mark.e2e


def test_the_secretariat_runs_an_application_from_the_command_line(tmp_path: Path) -> None:
    env = StackEnv(var_dir=tmp_path / "var")
    stack = RunningStack(env)
    try:
        stack.wait_ready()
        submitted = env.govsched(
            "applications",
            "submit",
            "--id",
            "app-cli",
            "--organisation",
            "Tide Watch",
            "--pillar",
            "ngo",
            "--country",
            "Yssel",
            "--contact-email",
            "tide@example.org",
            "--statement",
            "We work with communities near mine sites.",
            "--document",
            "https://tide.example/report.pdf",
            "--language",
            "es",
            "--by",
            "sec-amina-okafor",
        )
        info = env.govsched(
            "applications",
            "request-information",
            "app-cli",
            "--by",
            "sec-amina-okafor",
            "--question",
            "Please send your statutes.",
            "--days",
            "20",
        )
        refused = env.govsched(
            "applications", "mark-complete", "app-cli", "--by", "fp-co-aurum-mining"
        )
        wrong_state = env.govsched(
            "applications", "start-review", "app-cli", "--by", "sec-amina-okafor"
        )
        bad_input = env.govsched(
            "applications",
            "request-information",
            "app-cli",
            "--by",
            "Not A Person",
            "--question",
            "?",
        )
        listed = env.govsched("applications", "list", "--state", "information_requested")
        shown = env.govsched("applications", "show", "app-cli")
        unknown = env.govsched("applications", "show", "app-none")
        engaged = env.govsched("members", "engaged-period", "gov-yssel")
        token = env.token("sec-amina-okafor")
        with httpx.Client(
            base_url=env.base_url, timeout=60, headers={"Authorization": f"Bearer {token}"}
        ) as client:
            over_http = client.get("/applications/app-cli").json()
    finally:
        assert stack.interrupt() == 0

    assert submitted.returncode == 0, submitted.stderr
    assert yaml.safe_load(submitted.stdout)["state"] == "awaiting_completeness_check"
    assert info.returncode == 0, info.stderr
    assert refused.returncode == 2
    assert "needs the role 'secretariat'" in refused.stderr
    assert wrong_state.returncode == 2
    assert "the application is information_requested" in wrong_state.stderr
    assert bad_input.returncode == 2
    assert "by:" in bad_input.stderr
    # the demo's own application waiting on an answer is listed beside this one
    states = dict(line.split("\t")[:2] for line in listed.stdout.splitlines())
    assert states == {
        "app-cli": "information_requested",
        "app-demo-tinmoor": "information_requested",
    }
    record = yaml.safe_load(shown.stdout)
    assert record["information_requests"][0]["question"] == "Please send your statutes."
    # the applicant is emailed the question in the language the Secretariat named
    assert record["applicant"]["language"] == "es"
    assert unknown.returncode == 2
    assert "application 'app-none' does not exist" in unknown.stderr
    # The demo's Engaged members are tracked from the stack's first start. The demo admits
    # them recently, one every 75 days back from 120 days ago: Yssel, sixth, 495 days ago. It
    # has until 31 December of the third calendar year after (DEFAULT), so its period runs.
    assert engaged.returncode == 0, engaged.stderr
    period = yaml.safe_load(engaged.stdout)
    admitted = today() - timedelta(days=495)
    assert period["admitted_on"] == admitted.isoformat()
    assert period["due_date"] == f"{admitted.year + 3}-12-31"
    assert period["state"] == "engaged"
    assert over_http["state"] == "information_requested"
    assert "Traceback" not in refused.stderr + wrong_state.stderr + bad_input.stderr
