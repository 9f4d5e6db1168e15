"""Calendar feeds. The public feed needs no token; it is served from the cache with validators."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime

from fastapi import APIRouter, Request, Response

from api.deps import State
from service.calendars import feed_version, public_feed

router = APIRouter(tags=["calendars"])

ICAL = "text/calendar; charset=utf-8"


def _not_modified(request: Request, etag: str, last_modified: datetime) -> bool:
    """RFC 9110 conditional GET; a malformed validator is ignored, never an error."""
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None:
        tags = [t.strip().removeprefix("W/") for t in if_none_match.split(",")]
        return "*" in tags or etag in tags
    if_modified_since = request.headers.get("if-modified-since")
    if if_modified_since:
        try:
            since = parsedate_to_datetime(if_modified_since)
        except (TypeError, ValueError):
            return False
        if since.tzinfo is None:
            return False
        return last_modified.replace(microsecond=0) <= since
    return False


@router.get(
    "/calendars/public.ics",
    response_class=Response,
    responses={200: {"content": {"text/calendar": {}}}, 304: {"description": "unchanged"}},
)
def public_calendar(state: State, request: Request) -> Response:
    now = datetime.now(UTC)
    with state.db.reading() as session:
        version = feed_version(session, now)
        feed = state.feeds.get("public", version, lambda: public_feed(session, state.rulebook, now))
    headers = {
        "ETag": feed.etag,
        "Last-Modified": format_datetime(feed.last_modified, usegmt=True),
        "Cache-Control": "public, max-age=300",
    }
    if _not_modified(request, feed.etag, feed.last_modified):
        return Response(status_code=304, headers=headers)
    return Response(content=feed.body, media_type=ICAL, headers=headers)
