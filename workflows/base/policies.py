"""Timeouts and retries for every activity call.

Store and notifier activities are idempotent, so retrying them is always safe. The retry window
is long (about a day) because a governance process waiting out a database or Slack outage is
better than one that fails and needs a person to restart it; a refusal by the rules is an
outcome, not an error, and is never retried.
"""

from __future__ import annotations

from datetime import timedelta

from temporalio.common import RetryPolicy

STORE_TIMEOUT = timedelta(seconds=60)
NOTIFY_TIMEOUT = timedelta(seconds=120)
# A step of a whole cycle notifies every member concerned (20,000 at the most), page by page,
# heartbeating after each page.
BATCH_TIMEOUT = timedelta(hours=2)
BATCH_HEARTBEAT = timedelta(minutes=2)

PATIENT_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=1),
    backoff_coefficient=2.0,
    maximum_interval=timedelta(minutes=5),
    maximum_attempts=300,
)
