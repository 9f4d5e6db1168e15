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

# A step written by a local activity, in the workflow task, while a person waits for it (an
# admission's submission; ARCHITECTURE.md, the membership processes). A store write takes
# milliseconds; an attempt still waiting (on a lock) after LOCAL_STEP_ATTEMPT is cut short and
# tried again. Five attempts, after backoffs far below the local retry threshold (set to one
# attempt's length), so every retry happens in the worker under the same workflow task and
# none becomes a timer in the history: at most about 28 s in all. The attempts are counted,
# not timed: a schedule-to-close timeout did not end the local retries of an attempt that
# failed at once (temporalio 1.35: they went on for minutes). When they run out, the step goes
# to the ordinary store activity with PATIENT_RETRY: a long outage is waited out by the
# server's retries, not by a workflow task held open and heartbeated for a day.
LOCAL_STEP_ATTEMPT = timedelta(seconds=5)
LOCAL_STEP_RETRY = RetryPolicy(
    initial_interval=timedelta(milliseconds=200),
    backoff_coefficient=2.0,
    maximum_interval=timedelta(seconds=2),
    maximum_attempts=5,
)
