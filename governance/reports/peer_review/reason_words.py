"""A review assignment's reason as a message each reader's language renders (issue 20).

The peer-review rule writes why it paired a reviewer with a report in English, and the stored
assignments keep that text: a recomputation compares it. So, as for the roster's reasons, the
reason is read back piece by piece (its parts are separated by "; ") rather than the rule
changing what it stores. A part this module does not recognise is shown as written.
"""

from __future__ import annotations

import re

from governance.kernel.messages import (
    N_,
    Figure,
    Message,
    Term,
    Terms,
    Text,
    figure,
    say,
    say_in,
    term,
)

_SIMPLE = (
    (
        r"(?P<reviewer>[a-z_]+) reviewer of a (?P<report>[a-z_]+) report",
        N_("%(reviewer)s reviewer of a %(report)s report"),
    ),
    (
        r"reviewers' pillars (?P<pillars>[a-z_+]+) \(all different\)",
        N_("reviewers' pillars %(pillars)s (all different)"),
    ),
    (
        r"reviewers' pillars (?P<pillars>[a-z_+]+) \(a repeat was unavoidable\)",
        N_("reviewers' pillars %(pillars)s (a repeat was unavoidable)"),
    ),
    (
        r"load (?P<load>\d+) against an average of (?P<average>[\d.]+) "
        r"\(allowed (?P<lower>\d+)-(?P<upper>\d+)\)",
        N_("load %(load)s against an average of %(average)s (allowed %(lower)s-%(upper)s)"),
    ),
    (
        r"load (?P<load>\d+) against an average of (?P<average>[\d.]+) "
        r"\(allowed at most (?P<upper>\d+)\)",
        N_("load %(load)s against an average of %(average)s (allowed at most %(upper)s)"),
    ),
    (
        r"load tolerance widened from the rulebook's (?P<before>\d+) to (?P<after>\d+): "
        r"no assignment within (?P<within>\d+)",
        N_(
            "load tolerance widened from the rulebook's %(before)s to %(after)s: "
            "no assignment within %(within)s"
        ),
    ),
    (
        r"seeded order (?P<order>\d+) of (?P<of>\d+) candidates",
        N_("seeded order %(order)s of %(of)s candidates"),
    ),
    (
        r"(?P<allowed>\d+) of (?P<of>\d+) reviewing-pillar members allowed after exclusions",
        N_("%(allowed)s of %(of)s reviewing-pillar members allowed after exclusions"),
    ),
    (
        r"solver work limit reached: not proven optimal",
        N_("solver work limit reached: not proven optimal"),
    ),
    (r"rule version (?P<version>\d+)", N_("rule version %(version)s")),
)
_PATTERNS = tuple((re.compile(f"^{pattern}$"), message) for pattern, message in _SIMPLE)
# Parameters that name a pillar, read as the workspace names it ("word"); numbers stay numbers.
_PILLAR_NAMES = frozenset({"reviewer", "report"})
_NUMBERS = frozenset({"load", "lower", "upper", "before", "after", "within", "order", "of"})


def _value(name: str, value: str) -> Term | Text | Terms | Figure | int:
    if name in _PILLAR_NAMES:
        return term(say_in("word", value.replace("_", " ")))
    if name == "pillars":
        # the pillars joined with "+" as the rule writes them, each named in the language
        words = tuple(say_in("word", p.replace("_", " ")) for p in value.split("+"))
        return Terms(messages=words, separator="+")
    if name in _NUMBERS or name == "allowed":
        return int(value)
    if name == "average":
        # written with two digits by the rule; the reader's locale writes its decimal sign
        return figure(float(value), 2)
    return Text(value=value)


def _part(text: str) -> Message:
    for pattern, message in _PATTERNS:
        found = pattern.match(text)
        if found:
            params = {name: _value(name, value) for name, value in found.groupdict().items()}
            return say(message, **params)
    return Message(id="%(text)s", params={"text": Text(value=text)})


def assignment_reason(reason: str) -> Message:
    """The reason's parts, each a message, separated as the rule separates them."""
    parts = tuple(_part(part) for part in reason.split("; ")) if reason else ()
    if not parts:
        return Message(id="%(text)s", params={"text": Text(value=reason)})
    return Message(id="%(parts)s", params={"parts": Terms(messages=parts, separator="; ")})
