"""The words a page shows for the system's own values: states, kinds, pillars, outcomes.

Values are English identifiers (`awaiting_completeness_check`); a page shows them as words
(the `words` filter) in its reader's language. Each is listed here so `make messages` extracts
it, under the context "word" (a value named the same in two lists reads the same). A value not
listed reads as its English words, and the pseudo-locale check finds it.
"""

from __future__ import annotations

from enum import Enum

from govsched.i18n.current import pgettext
from govsched.i18n.marking import N_, NP_

# The contexts, written out in each entry below too: extraction reads literal strings only.
WORD = "word"
REPORT_KIND = "report kind"

WORDS = frozenset(
    {
        # applications
        NP_("word", "admission"),
        NP_("word", "full membership"),
        NP_("word", "awaiting completeness check"),
        NP_("word", "information requested"),
        NP_("word", "complete"),
        NP_("word", "under review"),
        NP_("word", "no objection period"),
        NP_("word", "awaiting plenary"),
        NP_("word", "provisionally admitted"),
        NP_("word", "admitted"),
        NP_("word", "rejected"),
        NP_("word", "withdrawn"),
        NP_("word", "lapsed"),
        NP_("word", "admit"),
        NP_("word", "reject"),
        NP_("word", "information"),
        NP_("word", "review"),
        NP_("word", "no objection"),
        # concerns
        NP_("word", "filed"),
        NP_("word", "dialogue"),
        NP_("word", "awaiting decision"),
        NP_("word", "decided"),
        NP_("word", "resolved"),
        NP_("word", "no further action"),
        NP_("word", "remedial plan"),
        NP_("word", "propose inactive"),
        NP_("word", "propose expulsion"),
        # a concern's steps (`governance.concerns.follow.step_words`)
        NP_("word", "acknowledged"),
        NP_("word", "dialogue recorded"),
        NP_("word", "dialogue extended"),
        NP_("word", "referred"),
        NP_("word", "recommended"),
        NP_("word", "resolved early"),
        # members and people
        NP_("word", "government"),
        NP_("word", "company"),
        NP_("word", "ngo"),
        NP_("word", "observer"),
        NP_("word", "engaged"),
        NP_("word", "full"),
        NP_("word", "inactive"),
        NP_("word", "expelled"),
        NP_("word", "secretariat"),
        NP_("word", "chair"),
        NP_("word", "steering committee"),
        NP_("word", "focal point"),
        NP_("word", "outgoing chair"),
        NP_("word", "incoming chair"),
        # plenaries, reports, reviews
        NP_("word", "annual"),
        NP_("word", "extraordinary"),
        NP_("word", "referred to steering committee"),
        NP_("word", "inactive proposed"),
        NP_("word", "support"),
        NP_("word", "object"),
        NP_("word", "abstain"),
        # notices and their deliveries
        NP_("word", "deadline reminder"),
        NP_("word", "overdue"),
        NP_("word", "decision"),
        NP_("word", "roster"),
        NP_("word", "change notice"),
        NP_("word", "handover"),
        NP_("word", "digest"),
        NP_("word", "announcement"),
        NP_("word", "request"),
        NP_("word", "sign in"),
        NP_("word", "sent"),
        NP_("word", "pending"),
        NP_("word", "failed"),
        NP_("word", "missing"),
        NP_("word", "opted out"),
        # kinds of item in the register
        NP_("word", "application"),
        NP_("word", "chair term"),
        NP_("word", "member"),
        NP_("word", "milestone"),
        NP_("word", "plenary"),
        NP_("word", "presentation"),
        NP_("word", "report"),
        NP_("word", "review conflict"),
        NP_("word", "steering committee seat"),
        NP_("word", "concern"),
        NP_("word", "person"),
        NP_("word", "agenda"),
        # an In-country Implementation Group's status (issue 23)
        NP_("word", "exploring"),
        NP_("word", "active"),
        NP_("word", "dormant"),
        # a group's deliverables and funding requests (issue 23)
        NP_("word", "planned"),
        NP_("word", "in progress"),
        NP_("word", "done"),
        NP_("word", "dropped"),
        NP_("word", "submitted"),
        NP_("word", "returned"),
        NP_("word", "approved"),
        NP_("word", "declined"),
        NP_("word", "use reported"),
    }
)
REPORT_KINDS = frozenset({NP_("report kind", "full"), NP_("report kind", "update")})


def words(value: object) -> str:
    """`awaiting_completeness_check` -> "awaiting completeness check", in the reader's
    language when it is one of ours."""
    raw = value.value if isinstance(value, Enum) else value
    text = str(raw).replace("_", " ")
    return pgettext(WORD, text) if text in WORDS else text


def report_kind(value: object) -> str:
    """A full report or an update (a report's kind reads differently from a member's)."""
    raw = value.value if isinstance(value, Enum) else value
    text = str(raw)
    return pgettext(REPORT_KIND, text) if text in REPORT_KINDS else text


# governance/year/milestones.py PROGRESS_LABELS, which the year page shows through the catalog
# (governance stays free of the catalog).
PROGRESS_WORDS = (N_("Open"), N_("Overdue"), N_("Completed"))
