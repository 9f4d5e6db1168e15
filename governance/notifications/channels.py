"""How each person wants to be told: on Slack, by email, or both; email at once or daily.

A person who never chose gets every channel the installation has (Slack with a token, email
with an SMTP relay): turning email on never silences anyone who was reading Slack. A logical
channel's post (all_members, secretariat...) stays a Slack channel post for everyone; by email
it reaches each person the channel stands for, one email each.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from governance.kernel.model import ACTIVE_STATUSES, Frozen, MemberStatus, Pillar, Role


class Channels(StrEnum):
    SLACK = "slack"
    EMAIL = "email"
    BOTH = "both"


class EmailCadence(StrEnum):
    # one email per notice, as it happens
    IMMEDIATE = "immediate"
    # the day's notices in one email, at the rulebook's digest hour
    DAILY = "daily"


class DeliveryChoice(Frozen):
    """A person's choice; `channels` None means not chosen (every configured channel)."""

    channels: Channels | None = None
    email: EmailCadence = EmailCadence.IMMEDIATE


class Available(Frozen):
    """The channels this installation has. Without a Slack token, chat is the console (the
    stand-in `make run` prints), which only those who chose Slack get once email exists."""

    slack: bool = False
    email: bool = False


def wants_chat(choice: DeliveryChoice, available: Available) -> bool:
    """Whether the person's direct notices go to chat (Slack, or its console stand-in)."""
    if not available.email:
        return True  # chat is all there is: a choice of email alone cannot be honoured
    if choice.channels is None:
        return available.slack
    return choice.channels in (Channels.SLACK, Channels.BOTH)


def wants_email(choice: DeliveryChoice, available: Available) -> bool:
    if not available.email:
        return False
    if choice.channels is None:
        return True
    return choice.channels in (Channels.EMAIL, Channels.BOTH)


class ChannelReach(Frozen):
    """Who a logical channel stands for when its post goes out by email."""

    roles: frozenset[Role] = frozenset()
    # people of members in these pillars, active members only (ACTIVE_STATUSES)
    pillars: frozenset[Pillar] = frozenset()
    member_statuses: frozenset[MemberStatus] = ACTIVE_STATUSES


def channel_reach(channel: str) -> ChannelReach:
    """`secretariat`, `chair`, `steering_committee`, `focal_point`: the role's holders; a
    pillar's name: the people of its active members; `all_members`: the people of every active
    member (observers and Engaged members too, as the Slack channel has them). Any other
    channel reaches nobody by email."""
    if channel in {role.value for role in Role}:
        return ChannelReach(roles=frozenset({Role(channel)}))
    if channel in {pillar.value for pillar in Pillar}:
        return ChannelReach(pillars=frozenset({Pillar(channel)}))
    if channel == "all_members":
        return ChannelReach(pillars=frozenset(Pillar))
    return ChannelReach()


class EmailState(StrEnum):
    """Where one email stands (the email outbox's delivery state)."""

    # waiting for the person's daily digest
    HELD = "held"
    # carried by the daily digest named on the row
    IN_DIGEST = "in_digest"
    # recorded, not yet handed to the relay
    SENDING = "sending"
    # DATA sent, the relay's answer not recorded: the window of a possible second copy
    HANDED_OVER = "handed_over"
    # the relay answered 250: it has the message
    ACCEPTED = "accepted"
    # the relay refused it for good (an unknown mailbox, a refused sender)
    REFUSED = "refused"


class OutboxEmail(Frozen):
    """One row of the email outbox, as the Secretariat sees it (no body: a sign-in link's
    secret is never stored, and the notice's text is in the ledger)."""

    notification_key: str
    person_id: str
    person_name: str | None
    address: str
    kind: str
    subject: str
    state: EmailState
    created_at: datetime
    accepted_at: datetime | None
    handovers: int
    error: str | None
    digest_key: str | None
