"""The sandbox every worker and replayer runs the workflows in.

The SDK's default sandbox imports a workflow's module, and everything that module imports and
does not pass through, afresh for every workflow run: about a third of a worker's CPU in a
rehearsed year, and most of the memory of each cached workflow (issue 21). These packages are
passed through instead, imported once per process: their code is deterministic and keeps no
state a run could change (the workflows' modules hold classes and constant tables only;
`governance` is pure by its layer contract). The sandbox's runtime restrictions (no clock, no
randomness, no I/O from workflow code) still apply to everything that runs inside it.
"""

from __future__ import annotations

from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner, SandboxRestrictions

PASSED_THROUGH = (
    "workflows",
    "activities",
    "governance",
    "pydantic",
    "pydantic_core",
    "annotated_types",
    "typing_extensions",
    "typing_inspection",
)


def workflow_runner() -> SandboxedWorkflowRunner:
    """The runner for `Worker(workflow_runner=...)` and `Replayer(workflow_runner=...)`."""
    return SandboxedWorkflowRunner(
        restrictions=SandboxRestrictions.default.with_passthrough_modules(*PASSED_THROUGH)
    )
