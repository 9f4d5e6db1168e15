"""The published roster: its inputs, its result, and how anyone can recompute it.

The document carries everything the rule used (the members with their status histories, the
ledger of past presentations, the rulebook's parameters with the version of the rule, the seed
and the day of the draw) and
everything that happened since (deferrals, with the replacements drawn by the same rule).
`verify` recomputes the roster from those inputs alone and says whether it matches.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from pydantic import AwareDatetime

from governance.kernel.errors import InvalidInput
from governance.kernel.messages import N_, Message, say, say_in, say_n, term
from governance.kernel.model import Frozen
from governance.roster.reason_words import slot_reason
from governance.roster.rule import (
    RULE_VERSION,
    Draw,
    LedgerEntry,
    RosterMember,
    RosterRules,
    Slot,
    draw,
    replace,
)

RULE_SUMMARIES = {
    1: N_(
        "Full members of each presenting pillar, Full for at least the grace period; slots "
        "shared between pillars by their shares; within a pillar: deferred (or absent) last "
        "year first, then excused, then the oldest last turn (for a member that never "
        "presented, the year before it became eligible), then the longer Full, then the "
        "published seed: lowest SHA-256 of 'seed:year:member'."
    ),
    2: N_(
        "Full members of each presenting pillar, Full for at least the grace period. Members "
        "deferred (or absent) at the previous plenary, and members due (as many plenaries "
        "since their last turn, or since they first became eligible, as the cycle leaves) must "
        "present: the number of slots grows from one cycle's share of the eligible members "
        "until every pillar holds its must-present members within one slot of its share. "
        "Within a pillar: the must-present members, then excused, then the oldest last turn, "
        "then the longer Full, then the published seed: lowest SHA-256 of "
        "'seed:year:member'."
    ),
    3: N_(
        "Full members of each presenting pillar, Full for at least the grace period. Members "
        "whose latest outcome was a deferral (or an absence) present at the next plenary they "
        "are eligible for, and members due (as many plenaries since their last turn, or since "
        "they first became eligible, as the cycle leaves) must present: the number of slots "
        "grows from one cycle's share of the eligible members until every pillar holds its "
        "must-present members within one slot of its share. Within a pillar: the "
        "must-present members, then excused, then the oldest last turn, then the longer Full, "
        "then the published seed: lowest SHA-256 of 'seed:year:member'."
    ),
}
RULE_SUMMARY = RULE_SUMMARIES[RULE_VERSION]


class Deferral(Frozen):
    member: str
    reason: str
    requested_by: str
    decided_by: str
    decided_at: AwareDatetime
    replaced_by: str | None


class RosterDocument(Frozen):
    year: int
    plenary: str
    seed: str
    drawn_on: date
    drawn_at: AwareDatetime
    rules: RosterRules
    members: tuple[RosterMember, ...]
    ledger: tuple[LedgerEntry, ...]
    drawn: tuple[Slot, ...]
    deferrals: tuple[Deferral, ...] = ()
    slots: tuple[Slot, ...]


def publish(
    year: int,
    plenary: str,
    seed: str,
    drawn_on: date,
    drawn_at: AwareDatetime,
    members: tuple[RosterMember, ...],
    ledger: tuple[LedgerEntry, ...],
    rules: RosterRules,
) -> RosterDocument:
    """Draw the roster and keep, with it, every input needed to recompute it."""
    relevant = tuple(
        m for m in sorted(members, key=lambda m: m.id) if m.pillar in rules.presenting_pillars
    )
    history = tuple(sorted((e for e in ledger if e.year < year), key=lambda e: (e.year, e.member)))
    result = draw(year, drawn_on, relevant, history, rules, seed)
    return RosterDocument(
        year=year,
        plenary=plenary,
        seed=seed,
        drawn_on=drawn_on,
        drawn_at=drawn_at,
        rules=rules,
        members=relevant,
        ledger=history,
        drawn=result.slots,
        slots=result.slots,
    )


def _as_draw(document: RosterDocument, slots: tuple[Slot, ...]) -> Draw:
    return Draw(year=document.year, seed=document.seed, slots=slots, quotas={}, eligible=0)


def defer(
    document: RosterDocument,
    member: str,
    reason: str,
    requested_by: str,
    decided_by: str,
    decided_at: AwareDatetime,
) -> tuple[RosterDocument, Slot | None]:
    """Take `member` off the roster and fill its slot by the same rule; returns the new slot."""
    before = {s.member for s in document.slots}
    after = replace(
        _as_draw(document, document.slots),
        member,
        document.drawn_on,
        document.members,
        document.ledger,
        document.rules,
        deferred={d.member for d in document.deferrals},
    )
    added = next((s for s in after.slots if s.member not in before), None)
    deferral = Deferral(
        member=member,
        reason=reason,
        requested_by=requested_by,
        decided_by=decided_by,
        decided_at=decided_at,
        replaced_by=added.member if added else None,
    )
    updated = document.model_copy(
        update={"slots": after.slots, "deferrals": (*document.deferrals, deferral)}
    )
    return updated, added


@dataclass(frozen=True, slots=True)
class Recomputed:
    """What the published inputs give: the draw, each deferral's replacement, the roster."""

    drawn: tuple[Slot, ...]
    replaced_by: tuple[str | None, ...]
    slots: tuple[Slot, ...]


def recomputed(document: RosterDocument) -> Recomputed:
    current = draw(
        document.year,
        document.drawn_on,
        document.members,
        document.ledger,
        document.rules,
        document.seed,
    )
    drawn = current.slots
    deferred: set[str] = set()
    replacements: list[str | None] = []
    for deferral in document.deferrals:
        before = {s.member for s in current.slots}
        current = replace(
            current,
            deferral.member,
            document.drawn_on,
            document.members,
            document.ledger,
            document.rules,
            deferred=deferred,
        )
        deferred.add(deferral.member)
        replacements.append(next((s.member for s in current.slots if s.member not in before), None))
    return Recomputed(drawn, tuple(replacements), current.slots)


def recompute(document: RosterDocument) -> tuple[Slot, ...]:
    """The roster the published inputs give: the draw, then each deferral's replacement."""
    return recomputed(document).slots


def verify(document: RosterDocument) -> list[str]:
    """Differences between the published roster and the one its inputs give (none: it holds):
    the roster, and also the first draw and each deferral's replacement, which the circulated
    roster prints (found by a review: a replacement altered in the file still matched)."""
    try:
        expected = recomputed(document)
    except InvalidInput as refused:
        # a deferral of a member the inputs never put on the roster: the inputs do not give it
        return [f"the deferrals differ: {refused.message}"]
    problems = _slot_differences("the members", document.slots, expected.slots)
    problems += _slot_differences("the first draw's members", document.drawn, expected.drawn)
    for deferral, replacement in zip(document.deferrals, expected.replaced_by, strict=True):
        if deferral.replaced_by != replacement:
            problems.append(
                f"{deferral.member}'s deferral: published replaced by {deferral.replaced_by}, "
                f"recomputed {replacement}"
            )
    return problems


def _slot_differences(
    what: str, published: tuple[Slot, ...], expected: tuple[Slot, ...]
) -> list[str]:
    problems = []
    if tuple(s.member for s in expected) != tuple(s.member for s in published):
        problems.append(
            f"{what} differ: published "
            f"{[s.member for s in published]}, recomputed {[s.member for s in expected]}"
        )
    for shown, recomputed_slot in zip(published, expected, strict=False):
        if shown != recomputed_slot and shown.member == recomputed_slot.member:
            problems.append(
                f"{shown.member}: published {shown.model_dump()}, "
                f"recomputed {recomputed_slot.model_dump()}"
            )
    return problems


def markdown(
    document: RosterDocument, names: dict[str, str], write: Callable[[Message], str] | None = None
) -> str:
    """The roster for circulation to all members; `write` renders each message in the reader's
    language (English, as the rules write it, by default)."""
    said = write or Message.english
    lines = [
        "# "
        + said(
            say(
                "Verification presentations, %(year)s plenary (%(plenary)s)",
                year=str(document.year),
                plenary=document.plenary,
            )
        ),
        "",
        said(
            say_n(
                "Drawn on %(day)s with the published seed `%(seed)s`, from %(members)s members "
                "and %(count)s ledger entry.",
                "Drawn on %(day)s with the published seed `%(seed)s`, from %(members)s members "
                "and %(count)s ledger entries.",
                len(document.ledger),
                day=document.drawn_on.isoformat(),
                seed=document.seed,
                members=len(document.members),
            )
        ),
        "",
        "| # | " + " | ".join(said(h) for h in (say("Member"), say("Pillar"), say("Why"))) + " |",
        "|---|---|---|---|",
    ]
    for slot in document.slots:
        name = names.get(slot.member, slot.member).replace("|", "\\|")
        pillar = said(say_in("word", slot.pillar.value))
        lines.append(f"| {slot.rank} | {name} | {pillar} | {said(slot_reason(slot.reason))} |")
    if document.deferrals:
        lines += ["", said(say("Deferrals:")), ""]
        for d in document.deferrals:
            member = names.get(d.member, d.member)
            if d.replaced_by:
                line = say(
                    "%(member)s: %(reason)s (replaced by %(replacement)s)",
                    member=member,
                    reason=d.reason,
                    replacement=names.get(d.replaced_by, d.replaced_by),
                )
            else:
                line = say(
                    "%(member)s: %(reason)s (replaced by nobody)", member=member, reason=d.reason
                )
            lines.append(f"- {said(line)}")
    version = document.rules.rule_version
    lines += [
        "",
        said(
            say(
                "The rule (version %(version)s): %(summary)s",
                version=str(version),
                summary=term(say(RULE_SUMMARIES[version])),
            )
        ),
        "",
        said(
            say(
                "Anyone can check this roster: `govsched roster verify` recomputes it from the "
                "inputs published with it (the JSON document)."
            )
        ),
    ]
    return "\n".join(lines) + "\n"
