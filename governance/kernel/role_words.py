"""The role a refusal says is missing, in words each language can write (issue 20).

`Forbidden.missing_role` stays what it always was, an English phrase of role identifiers
(`secretariat or chair`, `focal_point for acme`) that API clients read as `missing_role`; a
reader of another language reads each role as the workspace names it. A phrase made of parts
this module does not know is shown as written.
"""

from __future__ import annotations

import re

from governance.kernel.messages import Param, Text, say, term, word

# The roles and the handover's owners, as refusals name them (identifiers or their words).
_ROLES = frozenset(
    {
        "secretariat",
        "chair",
        "steering_committee",
        "steering committee",
        "focal_point",
        "focal point",
        "outgoing chair",
        "incoming chair",
    }
)
_PILLARS = frozenset({"government", "company", "ngo", "observer"})
_SEPARATOR = re.compile(r"(, | or )")


def _part(text: str) -> Param | None:
    if text in _ROLES:
        return word(text)
    if text in ("Secretariat", "the Secretariat"):
        return term(say("the Secretariat") if text.startswith("the ") else say("Secretariat"))
    if text == "the deliverable's owner":
        return term(say("the deliverable's owner"))
    if text == "a reviewer of it":
        return term(say("a reviewer of it"))
    role, sep, who = text.partition(" for ")
    if sep and role in _ROLES and who and " " not in who:
        return term(say("%(role)s for %(who)s", role=word(role), who=who))
    found = re.fullmatch(r"coordinator of (\S+)", text)
    if found:
        return term(say("coordinator of %(group)s", group=found.group(1)))
    found = re.fullmatch(r"(\w+) pillar member", text)
    if found and found.group(1) in _PILLARS:
        return term(say("%(pillar)s pillar member", pillar=word(found.group(1))))
    return None


def role_words(missing_role: str) -> Param:
    """`missing_role` as a message whose English is the phrase itself."""
    pieces = _SEPARATOR.split(missing_role)
    parts = [_part(piece) for piece in pieces[::2]]
    known = [part for part in parts if part is not None]
    if len(known) < len(parts):
        return Text(value=missing_role)
    joined = known[-1]
    # joined from the right, so "a, b or c" keeps its English commas and "or"
    for part, separator in zip(reversed(known[:-1]), reversed(pieces[1::2]), strict=True):
        if separator == ", ":
            joined = term(say("%(one)s, %(other)s", one=part, other=joined))
        else:
            joined = term(say("%(one)s or %(other)s", one=part, other=joined))
    return joined
