"""What each kind of notice is called, in the reader's language (a subject line, a Slack
message's footer)."""

from __future__ import annotations

from governance.rulebook.model import NotificationKind
from govsched.i18n.current import N_, gettext

_TITLES = {
    NotificationKind.DEADLINE_REMINDER: N_("Deadline reminder"),
    NotificationKind.OVERDUE: N_("Overdue"),
    NotificationKind.DECISION: N_("Decision"),
    NotificationKind.ROSTER: N_("Roster"),
    NotificationKind.CHANGE_NOTICE: N_("Change"),
    NotificationKind.HANDOVER: N_("Chair handover"),
    NotificationKind.DIGEST: N_("Digest"),
    NotificationKind.ANNOUNCEMENT: N_("Announcement"),
    NotificationKind.REQUEST: N_("Action required"),
}


def kind_title(kind: NotificationKind) -> str:
    return gettext(_TITLES[kind])
