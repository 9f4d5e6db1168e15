"""Keep feed tokens (and concerns' private links) out of every log line.

A feed URL is its own credential, and access logs, error logs and tracebacks all print request
paths; redacting at the logging layer covers every logger the API process has, including ones
added later.
"""

from __future__ import annotations

import logging
import re

_FEED_PATH = re.compile(r"/calendars/(?!public\.ics)[A-Za-z0-9_\-]+\.ics")
REDACTED = "/calendars/<redacted>.ics"
# a concern's private link (govsched/services/concern_links.py) is a credential too
_FOLLOW_PATH = re.compile(r"(/web/follow/[a-z0-9-]+/)[0-9a-f]+")
_LOGGERS = ("uvicorn.access", "uvicorn.error", "govsched.api", "fastapi")


def redact(text: str) -> str:
    return _FOLLOW_PATH.sub(r"\1<redacted>", _FEED_PATH.sub(REDACTED, text))


class FeedTokenFilter(logging.Filter):
    """Rewrites a record's message and arguments so no feed token survives formatting."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {
                k: redact(v) if isinstance(v, str) else v for k, v in record.args.items()
            }
        return True


_FILTER = FeedTokenFilter()


def install() -> None:
    """Attach the filter to the API's loggers and to every handler of the root logger."""
    for name in _LOGGERS:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
    for handler in logging.getLogger().handlers:
        if _FILTER not in handler.filters:
            handler.addFilter(_FILTER)
