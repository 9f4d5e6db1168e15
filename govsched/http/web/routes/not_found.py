"""An address under /web/ that is no page: a page that says so, in the reader's language.

Mounted last, after the static files: without it the API's JSON answered a mistyped or cut
link in the workspace (`{"error": "not_found", ...}`), which a person cannot read.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from govsched.http.web.rendering import WebRoute, error_page
from govsched.i18n.current import gettext as _

router = APIRouter(route_class=WebRoute, include_in_schema=False)


@router.api_route("/web/{_address:path}", methods=["GET", "HEAD", "POST"])
def no_such_page(request: Request, _address: str) -> Response:
    return error_page(
        request,
        404,
        _("No such page"),
        _(
            "There is no page at this address: it may have been mistyped or cut short. "
            "Nothing was changed."
        ),
    )
