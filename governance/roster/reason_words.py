"""A roster slot's reason as a message each reader's language renders (issue 20).

The rule writes each slot's reason in English (`rule.py`), and published rosters, their JSON
documents and workflow histories keep that text: it is part of what `govsched roster verify`
recomputes. So the reason is read back from its words here, piece by piece, rather than the
rule changing what it stores. A reason this module does not recognise is shown as written.
"""

from __future__ import annotations

import re

from governance.kernel.messages import N_, NP_, Message, Term, Text, say, say_in, say_n, term

_TIE = re.compile(
    r"^(?P<basis>.*); tie among (?P<tied>\d+) broken by (?P<seed>.*): rank (?P<rank>\d+)$"
)
_REPLACES = re.compile(r"^replaces (?P<vacated>[^:]+): (?P<reason>.*)$")
_DUE = re.compile(
    r"^due: (?P<turn>.*), (?P<passed>\d+) (?:plenary|plenaries) since, cycle of (?P<cycle>\d+)$"
)
_LAST_TURN = re.compile(r"^last turn (?P<year>\d+) \((?P<outcome>[a-z_]*)\)$")
_SIMPLE = (
    (r"deferred from (?P<year>\d+)", N_("deferred from %(year)s")),
    (
        r"absent in (?P<year>\d+): presents the next year",
        N_("absent in %(year)s: presents the next year"),
    ),
    (
        r"absent in (?P<year>\d+): presents at the next plenary",
        N_("absent in %(year)s: presents at the next plenary"),
    ),
    (
        r"excused in (?P<year>\d+): keeps its priority",
        N_("excused in %(year)s: keeps its priority"),
    ),
    (
        r"never presented \(eligible since (?P<year>\d+)\)",
        N_("never presented (eligible since %(year)s)"),
    ),
    (r"never presented \(Full since (?P<year>\d+)\)", N_("never presented (Full since %(year)s)")),
    (r"last presented (?P<year>\d+)", N_("last presented %(year)s")),
    (
        r"longest since last presentation \((?P<year>\d+)\)",
        N_("longest since last presentation (%(year)s)"),
    ),
)
_PATTERNS = tuple((re.compile(f"^{pattern}$"), message) for pattern, message in _SIMPLE)
# A last turn's outcome, as the roster's reason names it.
_OUTCOMES = {
    "presented": NP_("presentation outcome", "presented"),
    "deferred": NP_("presentation outcome", "deferred"),
    "excused": NP_("presentation outcome", "excused"),
    "absent": NP_("presentation outcome", "absent"),
}


def as_written(text: str) -> Message:
    """Text no catalog holds, shown as it is in every language."""
    return Message(id="%(text)s", params={"text": Text(value=text)})


def slot_reason(reason: str) -> Message:
    """`due: last presented 2024, 3 plenaries since, cycle of 3` as a message."""
    tie = _TIE.match(reason)
    if tie:
        seed = (
            say("the published seed")
            if tie["seed"] == "the published seed"
            else say("a provisional seed (the plenary is not scheduled yet)")
            if tie["seed"] == "a provisional seed (the plenary is not scheduled yet)"
            else as_written(tie["seed"])
        )
        return say(
            "%(basis)s; tie among %(tied)s broken by %(seed)s: rank %(rank)s",
            basis=term(slot_reason(tie["basis"])),
            tied=int(tie["tied"]),
            seed=term(seed),
            rank=int(tie["rank"]),
        )
    replaces = _REPLACES.match(reason)
    if replaces:
        return say(
            "replaces %(vacated)s: %(reason)s",
            vacated=replaces["vacated"],
            reason=term(slot_reason(replaces["reason"])),
        )
    due = _DUE.match(reason)
    if due:
        return say_n(
            "due: %(turn)s, %(count)s plenary since, cycle of %(cycle)s",
            "due: %(turn)s, %(count)s plenaries since, cycle of %(cycle)s",
            int(due["passed"]),
            turn=term(slot_reason(due["turn"])),
            cycle=int(due["cycle"]),
        )
    last_turn = _LAST_TURN.match(reason)
    if last_turn:
        outcome = last_turn["outcome"]
        # worked out apart: a nested marker inside `say(...)` hides the outer one from extraction
        said: Term | str = outcome
        if outcome in _OUTCOMES:
            said = term(say_in("presentation outcome", _OUTCOMES[outcome]))
        return say("last turn %(year)s (%(outcome)s)", year=last_turn["year"], outcome=said)
    for pattern, message in _PATTERNS:
        found = pattern.match(reason)
        if found:
            return say(message, year=found["year"])
    return as_written(reason)
