"""Deterministic orchestration: one workflow class per module, registered here."""

from __future__ import annotations

from workflows.application import ApplicationWorkflow
from workflows.engaged_membership import EngagedMembershipWorkflow
from workflows.governance_year import GovernanceYearWorkflow
from workflows.registry_change import RegistryChangeWorkflow
from workflows.verification_roster import VerificationRosterWorkflow

WORKFLOWS: list[type] = [
    RegistryChangeWorkflow,
    ApplicationWorkflow,
    EngagedMembershipWorkflow,
    VerificationRosterWorkflow,
    GovernanceYearWorkflow,
]
