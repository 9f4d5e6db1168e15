"""How often one address may post the signed-out forms (the public application, the answer on
a status link): enough for someone correcting a refused form, not enough to flood the
Secretariat's queue. Every attempt counts, refused ones too, so probing the form costs the same
as filling it. Kept in the API process's memory: a restart forgets, which only ever lets more
through, never blocks someone for good.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from limits import RateLimitItem, RateLimitItemPerHour
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

ATTEMPTS_PER_HOUR = 10
_LIMIT: RateLimitItem = RateLimitItemPerHour(ATTEMPTS_PER_HOUR)


def _limiter(app: FastAPI) -> MovingWindowRateLimiter:
    limiter = getattr(app.state, "public_form_limiter", None)
    if limiter is None:
        limiter = MovingWindowRateLimiter(MemoryStorage())
        app.state.public_form_limiter = limiter
    return limiter


def allowed(request: Request, form: str) -> bool:
    """Count this attempt at `form` from the request's address; False once over the limit."""
    address = request.client.host if request.client else "unknown"
    return _limiter(request.app).hit(_LIMIT, "public-form", form, address)
