"""Why no assignment of peer reviewers exists, in words a Secretariat can act on.

Each check names the constraint that binds and where: a report with too few possible reviewers
(and how many each exclusion removed), a reviewer the load floor cannot be met for, or the
reviewers' total capacity. When every necessary condition holds and the solver still finds
nothing, the hard constraints are relaxed one at a time on the same graph to say which one
(reciprocity or the load rule) makes the difference.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from governance.kernel.errors import Problem
from governance.kernel.messages import NP_, Message, Term, Terms, names, say, say_in, say_n, term
from governance.kernel.model import Pillar
from governance.reports.peer_review.graph import PILLARS, Graph, Rules

# The rule behind each exclusion, by the name a Secretariat finds it under: the rulebook's
# setting, or the input that holds it (declared conflicts, this year's reviews).
RULE_OF = {
    "of the reviewing pillars": "peer_review.reviewers_for",
    "itself": "no self-review",
    "same country": "peer_review.exclude_same_country",
    "same group": "peer_review.exclude_same_group",
    "declared a conflict": "conflicts",
    "reviewed it last year": "peer_review.forbid_repeat_of_previous_year",
    "already review it": "existing reviews",
    "reviewed by it this year": "peer_review.forbid_reciprocal_pairs",
}
# What no rule change undoes: a member never reviews itself, and a reviewer it already has
# counts among its reviewers.
_FIXED = {"itself", "already review it"}
# Each exclusion as a reader's language names it (the counts before them are numbers).
_EXCLUSION_WORDS = {
    "of the reviewing pillars": NP_("peer-review exclusion", "of the reviewing pillars"),
    "itself": NP_("peer-review exclusion", "itself"),
    "same country": NP_("peer-review exclusion", "same country"),
    "same group": NP_("peer-review exclusion", "same group"),
    "declared a conflict": NP_("peer-review exclusion", "declared a conflict"),
    "reviewed it last year": NP_("peer-review exclusion", "reviewed it last year"),
    "already review it": NP_("peer-review exclusion", "already review it"),
    "reviewed by it this year": NP_("peer-review exclusion", "reviewed by it this year"),
}


@dataclass(frozen=True, slots=True)
class Shortfall:
    """A report fewer members may review than it needs, whatever else is assigned: no
    assignment can serve it until a rule (or the membership) changes."""

    report: str
    # the rules that leave it short: relaxing all of them leaves enough members to review it
    binding: tuple[str, ...]
    problem: Problem
    # the problem's reason as a message, for a notice in its reader's language
    words: Message


def _word(value: str) -> Term:
    return term(say_in("word", value))


def _pillars(rules: Rules, report: int) -> Terms | Term:
    reported = PILLARS[int(rules.reports.pillar[report])]
    names = [p.value for p in rules.review.reviewers_for.get(reported, [])]
    if names:
        return Terms(messages=tuple(say_in("word", name) for name in names))
    return term(say("none: no pillar may review %(pillar)s reports", pillar=_word(reported.value)))


def _exclusions(
    rules: Rules, graph: Graph, report: int, reasons: dict[int, tuple[str, ...]]
) -> list[tuple[str, int]]:
    """The members of the reviewing pillars, then how many each exclusion removed, in order."""
    reports, reviewers = rules.reports, rules.reviewers
    left = rules.pillar_ok[reports.pillar[report]].copy()
    counts: list[tuple[str, int]] = [("of the reviewing pillars", int(left.sum()))]
    own = int(rules.self_index[report])
    if own >= 0 and left[own]:
        left[own] = False
        counts.append(("itself", 1))
    if rules.review.exclude_same_country:
        same = left & (reviewers.country == reports.country[report])
        counts.append(("same country", int(same.sum())))
        left &= ~same
    if rules.review.exclude_same_group and reports.group[report] >= 0:
        same = left & (reviewers.group == reports.group[report])
        counts.append(("same group", int(same.sum())))
        left &= ~same
    by_kind: dict[str, int] = {}
    for v in sorted(graph.sparse.get(report, ())):
        if left[v]:
            by_kind[reasons[v][0]] = by_kind.get(reasons[v][0], 0) + 1
            left[v] = False
    return counts + sorted(by_kind.items())


def removed_by(
    rules: Rules, graph: Graph, report: int, reasons: dict[int, tuple[str, ...]]
) -> Message:
    """How many members of the reviewing pillars each exclusion removed, first rule first."""
    head, *rest = _exclusions(rules, graph, report, reasons)
    removed = tuple(_counted(label, n) for label, n in rest if n)
    if not removed:
        return _counted(*head)
    return say(
        "%(pillars)s, removed: %(removed)s",
        pillars=term(_counted(*head)),
        removed=Terms(messages=removed, separator="; "),
    )


def _counted(label: str, count: int) -> Message:
    why = _EXCLUSION_WORDS.get(label)
    exclusion: Term | str = term(say_in("peer-review exclusion", why)) if why else label
    return say("%(count)s %(exclusion)s", count=count, exclusion=exclusion)


def _binding(
    rules: Rules, graph: Graph, report: int, reasons: dict[int, tuple[str, ...]], wanted: int
) -> tuple[str, ...]:
    """The rules that leave a report short; relaxing all of them leaves enough members:

    - the number of reviewers per report, if the members of all the other voting pillars
      (observers never review) are too few for it;
    - its reviewing pillars, if their members are too few (itself and its reviewers already
      assigned set apart), with the exclusions that would still leave the other pillars short;
    - otherwise every rule that excludes one of them, each counted on its own (a member of
      the same country and group needs both relaxed).
    """
    reports, reviewers = rules.reports, rules.reviewers
    struck = graph.sparse.get(report, ())
    assigned = np.zeros(len(reviewers.members), dtype=bool)
    for v in struck:
        assigned[v] = "already review it" in reasons.get(v, ())
    observer = PILLARS.index(Pillar.OBSERVER)
    others = (reviewers.pillar != reports.pillar[report]) & (reviewers.pillar != observer)
    others &= ~assigned
    if int(others.sum()) < wanted:
        return ("peer_review.reviewers_per_report",)
    pool = rules.pillar_ok[reports.pillar[report]] & ~assigned
    own = int(rules.self_index[report])
    if own >= 0:
        pool[own] = False
    if int(pool.sum()) >= wanted:
        return _excluding(rules, graph, report, reasons, pool)[0]
    widened, left = _excluding(rules, graph, report, reasons, others)
    return (RULE_OF["of the reviewing pillars"], *(widened if left < wanted else ()))


def _excluding(
    rules: Rules,
    graph: Graph,
    report: int,
    reasons: dict[int, tuple[str, ...]],
    pool: np.ndarray,
) -> tuple[tuple[str, ...], int]:
    """The rules that exclude a member of `pool`, and how many members all of them leave."""
    reports, reviewers, review = rules.reports, rules.reviewers, rules.review
    left = pool.copy()
    found = set()
    same = pool & (reviewers.country == reports.country[report])
    if review.exclude_same_country and same.any():
        found.add("same country")
        left &= ~same
    group = reports.group[report]
    same = pool & (reviewers.group == group)
    if review.exclude_same_group and group >= 0 and same.any():
        found.add("same group")
        left &= ~same
    for v in graph.sparse.get(report, ()):
        kinds = {why for why in reasons.get(v, ()) if why not in _FIXED}
        if pool[v] and kinds:
            found |= kinds
            left[v] = False
    return tuple(RULE_OF[label] for label in RULE_OF if label in found), int(left.sum())


def unservable(
    rules: Rules, graph: Graph, need: list[int], sparse_reasons: list[dict[int, tuple[str, ...]]]
) -> list[Shortfall]:
    """Reports that fewer members may review than they need, each with the rules that bind."""
    found = []
    wants = np.asarray(need, dtype=np.int64)
    for r in np.nonzero(graph.allowed_per_report < wants)[0].tolist():
        have, wanted = int(graph.allowed_per_report[r]), need[r]
        member = rules.reports.members[r]
        binding = _binding(rules, graph, r, sparse_reasons[r], wanted)
        # the binding rules are the rulebook's setting names: as written in every language
        # (markers are not nested inside one another: extraction would miss the outer one)
        more = say_n("%(count)s more reviewer", "%(count)s more reviewers", wanted)
        members = say_n("%(count)s member", "%(count)s members", have)
        words = say(
            "needs %(wanted)s but only %(have)s may review it (reviewers come from: "
            "%(pillars)s; %(detail)s); binding: %(binding)s",
            wanted=term(more),
            have=term(members),
            pillars=_pillars(rules, r),
            detail=term(removed_by(rules, graph, r, sparse_reasons[r])),
            binding=", ".join(binding),
        )
        problem = Problem(f"reports[{member}]", words)
        found.append(Shortfall(member, binding, problem, words))
    return found


def shortfalls(
    rules: Rules, graph: Graph, need: list[int], sparse_reasons: list[dict[int, tuple[str, ...]]]
) -> list[Problem]:
    """Reports that fewer members may review than they need."""
    return [s.problem for s in unservable(rules, graph, need, sparse_reasons)]


def load_floor(
    graph: Graph, in_scope: np.ndarray, lower: int, average: Fraction, tolerance: int
) -> list[Problem]:
    """Reviewers that may review fewer reports than the load floor asks of everyone."""
    scope = np.nonzero(in_scope)[0]
    short = scope[graph.allowed_per_reviewer[scope] < lower].tolist()
    if not short:
        return []
    listed = [f"{graph.reviewers.members[v]} ({graph.allowed_per_reviewer[v]})" for v in short]
    return [
        Problem(
            "load_tolerance",
            say_n(
                "every eligible reviewer must review at least %(count)s report "
                "(average %(average)s, tolerance %(tolerance)s), but %(short)s may "
                "review fewer (in brackets, how many they may review): "
                "%(names)s. Raise the tolerance, or make these reviewers "
                "eligible for more reports.",
                "every eligible reviewer must review at least %(count)s reports "
                "(average %(average)s, tolerance %(tolerance)s), but %(short)s may "
                "review fewer (in brackets, how many they may review): "
                "%(names)s. Raise the tolerance, or make these reviewers "
                "eligible for more reports.",
                lower,
                average=format(float(average), ".2f"),
                tolerance=tolerance,
                short=len(short),
                names=names(listed, 5),
            ),
        )
    ]


def capacity(
    graph: Graph, in_scope: np.ndarray, base: list[int], upper: int, total_need: int, tol: int
) -> list[Problem]:
    """Whether the reviewers can take all the reviews needed without passing the load ceiling."""
    scope = np.nonzero(in_scope)[0]
    left = np.maximum(upper - np.asarray(base, dtype=np.int64)[scope], 0)
    room = int(np.minimum(left, graph.allowed_per_reviewer[scope]).sum())
    if room >= total_need:
        return []
    return [
        Problem(
            "load_tolerance",
            say(
                "%(total_need)s reviews are needed but the eligible reviewers can take "
                "only %(room)s more without reviewing more than %(upper)s reports each "
                "(the average plus the tolerance of %(tol)s). Raise the tolerance or "
                "widen reviewers_for.",
                total_need=total_need,
                room=room,
                upper=upper,
                tol=tol,
            ),
        )
    ]


def relaxed(reciprocity_binds: bool, loads_bind: bool, complete: bool) -> Problem:
    """The explanation when only the solver could tell that no assignment exists."""
    if reciprocity_binds:
        return Problem(
            "forbid_reciprocal_pairs",
            say(
                "every way of giving each report its reviewers makes two members review "
                "each other this year; allow reciprocal pairs, or add reviewers"
            ),
        )
    if loads_bind:
        return Problem(
            "load_tolerance",
            say(
                "the reviewers each report may have cannot share the reviews within the "
                "load tolerance (some reviewers would need more than their share); "
                "raise the tolerance"
            ),
        )
    scope = term(
        say("among all allowed reviewers")
        if complete
        else say(
            "among the candidates searched (the cheapest allowed reviewers of each report "
            "under the seeded order; the search stops widening at its size limit)"
        )
    )
    return Problem(
        "reports",
        say(
            "no assignment meets reciprocity and the load rule together %(scope)s; "
            "relax forbid_reciprocal_pairs or load_tolerance",
            scope=scope,
        ),
    )
