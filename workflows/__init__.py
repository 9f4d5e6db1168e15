"""Deterministic orchestration: one workflow class per module, registered here.

`WORKFLOWS` is built when first asked for (by the worker and the replayer): importing any one
module of this package, such as `workflows.base.search` for its constants or one workflow for
its updates, then does not load every workflow and, through them, every activity.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    WORKFLOWS: list[type]

# (module, class) of every workflow the worker runs, in the order it registers them
_REGISTERED = (
    ("registry_change", "RegistryChangeWorkflow"),
    ("application", "ApplicationWorkflow"),
    ("engaged_membership", "EngagedMembershipWorkflow"),
    ("verification_roster", "VerificationRosterWorkflow"),
    ("governance_year", "GovernanceYearWorkflow"),
    ("chair_handover", "ChairHandoverWorkflow"),
    ("report_cycle", "ReportCycleWorkflow"),
    ("concern", "ConcernWorkflow"),
    ("group_plan", "GroupPlanWorkflow"),
)


def __getattr__(name: str) -> object:
    if name != "WORKFLOWS":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    registered = [
        getattr(importlib.import_module(f"{__name__}.{module}"), cls) for module, cls in _REGISTERED
    ]
    globals()["WORKFLOWS"] = registered
    return registered
