"""Saving, submitting and amending a member's indicator values for one reporting year, and a
reviewer's comment on one of them (issue 22).

A member keeps one draft and one submitted version per year. Saving a draft never touches the
submitted values; submitting again after a submission is an amendment: it is audited with the
indicators it changed, and the member's reviewers are told. Every refusal names its field.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, Field

from governance.kernel.errors import Forbidden, InvalidInput, NotFound, Problem
from governance.kernel.messages import say
from governance.kernel.model import Frozen, MemberStatus, Pillar, Role, Slug
from governance.kernel.notices import Notification, direct_notice
from governance.kernel.terms import pillar_term
from governance.kernel.text import text_problem
from governance.kernel.wording import listing
from governance.reports.cycle import MAY_REPORT, check_still_reviews, not_reporting
from governance.reports.indicators.model import IndicatorSet
from governance.reports.indicators.settings import IndicatorRules
from governance.reports.indicators.values import Stage, checked_values, stored
from governance.rulebook.model import NotificationKind

COMMENT_LENGTH = 1000


class SubmitIndicators(Frozen):
    """A member's indicator values for a reporting year: a draft, or its submission."""

    action: Literal["submit_indicators"] = "submit_indicators"
    year: Annotated[int, Field(ge=1990, le=2200)]
    member: Slug
    by: Slug
    indicators: dict[str, Any] = {}
    draft: bool = False


class CommentIndicator(Frozen):
    """A reviewing member's comment on one indicator of the member it reviews."""

    action: Literal["comment_indicator"] = "comment_indicator"
    year: Annotated[int, Field(ge=1990, le=2200)]
    report_of: Slug
    reviewer: Slug
    by: Slug
    key: Annotated[str, Field(min_length=1, max_length=60)]
    text: Annotated[str, Field(min_length=1, max_length=COMMENT_LENGTH)]


class StoredIndicators(Frozen):
    year: int
    member: str
    version: str
    draft: dict[str, Any] | None = None
    draft_saved_at: AwareDatetime | None = None
    submitted: dict[str, Any] | None = None
    submitted_at: AwareDatetime | None = None
    submitted_by: str | None = None
    amendments: int = 0


class IndicatorComment(Frozen):
    year: int
    report_of: str
    reviewer: str
    key: str
    text: str
    at: AwareDatetime
    by: str


@dataclass(frozen=True)
class MemberAtHand:
    """What the rules need to know of the member reported on and the person acting."""

    status: MemberStatus | None
    pillar: Pillar | None
    by_roles: frozenset[Role] | None
    by_member: str | None


@dataclass(frozen=True)
class Recorded:
    stored: StoredIndicators
    # the keys whose submitted value changed, when this submission amends an earlier one
    amended: tuple[str, ...] | None


def _acting_for(member: str, by: str, roles: frozenset[Role] | None, own: str | None) -> None:
    if roles is None:
        raise InvalidInput(say("no such person"), [Problem("by", say("no person %(by)r", by=by))])
    if Role.SECRETARIAT in roles or (Role.FOCAL_POINT in roles and own == member):
        return
    raise Forbidden(
        f"{Role.FOCAL_POINT.value} for {member}",
        say("acting for %(member)s", member=member),
        [
            Problem(
                "by", say("only a focal point of %(member)s or the Secretariat may", member=member)
            )
        ],
    )


def _reporting_member(cmd_member: str, facts: MemberAtHand) -> Pillar:
    if facts.status is None or facts.pillar is None:
        raise InvalidInput(
            say("no such member"),
            [Problem("member", say("no member %(cmd_member)r", cmd_member=cmd_member))],
        )
    if facts.status not in MAY_REPORT:
        raise InvalidInput(
            say("this member does not report"),
            [Problem("member", not_reporting(facts.status))],
        )
    return facts.pillar


def record_indicators(
    cmd: SubmitIndicators,
    at: datetime,
    has_cycle: bool,
    facts: MemberAtHand,
    rules: IndicatorRules,
    already: StoredIndicators | None,
) -> Recorded:
    """The values as they are kept after `cmd`, or why they are refused (nothing kept)."""
    if not has_cycle:
        raise InvalidInput(
            say("no reporting cycle"),
            [Problem("year", say("no %(year)s annual plenary is scheduled", year=cmd.year))],
        )
    pillar = _reporting_member(cmd.member, facts)
    _acting_for(cmd.member, cmd.by, facts.by_roles, facts.by_member)
    indicator_set = rules.set_for_year(cmd.year)
    stage = Stage.DRAFT if cmd.draft else Stage.SUBMISSION
    values = stored(checked_values(indicator_set, pillar, cmd.indicators, stage))
    base = already or StoredIndicators(year=cmd.year, member=cmd.member, version="")
    if cmd.draft:
        kept = base.model_copy(
            update={"version": indicator_set.version, "draft": values, "draft_saved_at": at}
        )
        return Recorded(kept, None)
    before = base.submitted
    amended = None
    if before is not None:
        amended = tuple(sorted(k for k in {*before, *values} if before.get(k) != values.get(k)))
    kept = base.model_copy(
        update={
            "version": indicator_set.version,
            "draft": None,
            "draft_saved_at": None,
            "submitted": values,
            "submitted_at": at,
            "submitted_by": cmd.by,
            "amendments": base.amendments + (before is not None),
        }
    )
    return Recorded(kept, amended)


def amendment_notices(
    kept: StoredIndicators,
    member_name: str,
    changed: Sequence[str],
    reviewers: Sequence[str],
    at: datetime,
    labels: Mapping[str, str],
) -> list[Notification]:
    """Tell the focal points of the member's reviewers that the values they read changed."""
    what = listing([labels.get(k, k) for k in changed]) if changed else "no value changed"
    text = (
        f"{member_name} amended its {kept.year} impact indicators after submitting them "
        f"(amendment {kept.amendments}): {what}."
    )
    item = f"report-{kept.year}-{kept.member}"
    version = f"indicators-{kept.amendments}"
    return [
        direct_notice(NotificationKind.CHANGE_NOTICE, p, item, version, text, at) for p in reviewers
    ]


def check_comment(
    cmd: CommentIndicator,
    at: datetime,
    assigned: bool,
    by_roles: frozenset[Role] | None,
    by_member: str | None,
    indicator_set: IndicatorSet,
    pillar: Pillar,
    reviewer_status: MemberStatus | None = None,
) -> IndicatorComment:
    """The comment, if its author acts for an assigned reviewer that has not left the
    initiative (`reviewer_status`, when read) and names an indicator."""
    if by_roles is None:
        raise InvalidInput(
            say("no such person"), [Problem("by", say("no person %(by)r", by=cmd.by))]
        )
    if Role.FOCAL_POINT not in by_roles or by_member != cmd.reviewer:
        raise Forbidden(
            f"{Role.FOCAL_POINT.value} for {cmd.reviewer}",
            say("commenting for %(reviewer)s", reviewer=cmd.reviewer),
            [Problem("by", say("only a focal point of %(reviewer)s may", reviewer=cmd.reviewer))],
        )
    if not assigned:
        raise NotFound("review assignment", f"{cmd.reviewer} of {cmd.report_of} in {cmd.year}")
    check_still_reviews(cmd.reviewer, reviewer_status)
    keys = {i.key for i in indicator_set.indicators(pillar)}
    problems = []
    if cmd.key not in keys:
        problems.append(
            Problem(
                "key",
                say(
                    "not an indicator of the %(pillar)s pillar in this year's set",
                    pillar=pillar_term(pillar),
                ),
            )
        )
    reason = text_problem(cmd.text)
    if reason is not None:
        problems.append(Problem("text", reason))
    elif not cmd.text.strip():
        # kept stripped: spaces alone were kept as an empty comment and sent with the review
        problems.append(Problem("text", say("must not be blank")))
    if problems:
        raise InvalidInput(say("the comment is refused"), problems)
    return IndicatorComment(
        year=cmd.year,
        report_of=cmd.report_of,
        reviewer=cmd.reviewer,
        key=cmd.key,
        text=cmd.text.strip(),
        at=at,
        by=cmd.by,
    )


def comments_text(comments: Sequence[IndicatorComment], labels: Mapping[str, str]) -> str:
    """The per-indicator comments as they travel with the review to the member: each indicator's
    label and the reviewer's words as written (the notice frames them in the reader's language)."""
    return " | ".join(f"{labels.get(c.key, c.key)}: {c.text}" for c in comments)
