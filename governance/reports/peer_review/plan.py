"""What a peer-review assignment takes and gives, apart from the solver: the worker and the
rehearsals name these without importing numpy or OR-Tools, which only the assignment's own
short-lived process loads under `govsched worker` (activities/own_process.py)."""

from __future__ import annotations

from governance.kernel.errors import InvalidInput
from governance.kernel.messages import Message
from governance.kernel.model import Frozen, Pillar
from governance.reports.peer_review.version import RULE_VERSION, RuleVersion


class Reviewable(Frozen):
    member: str
    pillar: Pillar
    country: str
    group: str | None = None


class Assignment(Frozen):
    report_of: str
    reviewer: str
    reason: str


class AssignmentInput(Frozen):
    year: int
    seed: str
    reports: tuple[Reviewable, ...]
    reviewers: tuple[Reviewable, ...]
    conflicts: frozenset[tuple[str, str]] = frozenset()  # (reviewer, reported)
    previous: frozenset[tuple[str, str]] = frozenset()  # (reviewer, reported) last year
    existing: tuple[Assignment, ...] = ()
    # Which rule makes the short lists; a year assigned before versions existed (its reasons
    # name no version) recomputes with 1.
    rule_version: RuleVersion = RULE_VERSION


class AssignmentImpossible(InvalidInput):
    """No assignment meets the hard constraints; each problem names the one that binds."""


class SetAside(Frozen):
    """A report given no reviewers, and why: the rule that binds (the first, if several bind
    together) and the explanation in words."""

    report_of: str
    rule: str
    reason: str
    # `reason` as a message for the Secretariat's notice (None: the reason as written)
    words: Message | None = None


class ReviewPlan(Frozen):
    """What `plan_reviews` decides: the new assignments, and the reports set aside."""

    assignments: tuple[Assignment, ...]
    set_aside: tuple[SetAside, ...] = ()
