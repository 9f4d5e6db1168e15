"""Applying registry changes and recording audit entries."""

from __future__ import annotations

from temporalio import activity

from governance.kernel.audit import AuditEntry
from governance.kernel.errors import GovernanceError, error_payload
from governance.registry.changes import audit_entry
from governance.registry.contracts import AppliedChange, CommandOutcome, RegistryChange
from governance.rulebook.model import Rulebook
from govsched.persistence.commands.effects import applied_outcome, record_applied, store_effects
from govsched.persistence.commands.registry import decide
from govsched.persistence.db import Database
from govsched.persistence.repos import audit as audit_repo


class RegistryActivities:
    def __init__(self, db: Database, rulebook: Rulebook) -> None:
        self._db = db
        self._rulebook = rulebook

    @activity.defn(name="apply-registry-change")
    def apply(self, change: RegistryChange) -> CommandOutcome:
        """Apply the change and its audit entry and calendar events in one transaction.

        A refusal is an outcome, not an error: nothing is written and the reason goes back to
        whoever asked. A retry of a change that committed returns the recorded outcome.
        """
        with self._db.writing() as session:
            stored = applied_outcome(session, change.key)
            if stored is not None:
                return CommandOutcome.model_validate(stored)
            try:
                effects = decide(session, change.command, change.at, self._rulebook)
            except GovernanceError as refusal:
                return CommandOutcome(refusal=error_payload(refusal))
            entry = audit_entry(effects, change.key, change.at, change.actor, change.reason)
            store_effects(session, effects, entry, change.at)
            outcome = CommandOutcome(
                applied=AppliedChange(
                    item_kind=effects.item_kind,
                    item_id=effects.item_id,
                    summary=effects.summary,
                    notices=list(effects.notices),
                    scheduled=list(effects.scheduled),
                )
            )
            record_applied(session, change.key, change.at, outcome.model_dump(mode="json"))
            return outcome

    @activity.defn(name="record-audit-entry")
    def record_audit(self, entry: AuditEntry) -> bool:
        """Append the entry unless its key is already in the log."""
        with self._db.writing() as session:
            return audit_repo.append(session, entry)
