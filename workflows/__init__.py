"""Deterministic orchestration: one workflow class per module, registered here."""

from __future__ import annotations

from workflows.application import ApplicationWorkflow
from workflows.chair_handover import ChairHandoverWorkflow
from workflows.concern import ConcernWorkflow
from workflows.engaged_membership import EngagedMembershipWorkflow
from workflows.governance_year import GovernanceYearWorkflow
from workflows.group_plan import GroupPlanWorkflow
from workflows.registry_change import RegistryChangeWorkflow
from workflows.report_cycle import ReportCycleWorkflow
from workflows.verification_roster import VerificationRosterWorkflow

WORKFLOWS: list[type] = [
    RegistryChangeWorkflow,
    ApplicationWorkflow,
    EngagedMembershipWorkflow,
    VerificationRosterWorkflow,
    GovernanceYearWorkflow,
    ChairHandoverWorkflow,
    ReportCycleWorkflow,
    ConcernWorkflow,
    GroupPlanWorkflow,
]
