"""One SSL context for every httpx client the tests make.

httpx builds an SSL context whenever a client is made, loading all of certifi's CA certificates:
30-50 ms of CPU, for clients that only speak plain HTTP to 127.0.0.1. The tests make a client per
request, as separate callers would, thousands in a run (the authorization matrix alone spent half
its CPU there), so the default context is made once and shared. A client given a `verify` or a
`cert` of its own still gets a context of its own. httpx is pinned (pyproject.toml): if a release
moves the function, `install` fails at import, loudly.
"""

from __future__ import annotations

import ssl
from typing import Any

import httpx._transports.default as httpx_transports
from httpx._config import create_ssl_context

# what httpx's transports call to make a client's context (httpx exports it only privately)
MAKER = "create_ssl_context"


def install() -> None:
    shared = create_ssl_context()

    def shared_default(
        verify: ssl.SSLContext | str | bool = True, cert: Any = None, trust_env: bool = True
    ) -> ssl.SSLContext:
        if verify is True and cert is None:
            return shared
        return create_ssl_context(verify=verify, cert=cert, trust_env=trust_env)

    assert getattr(httpx_transports, MAKER) is create_ssl_context
    setattr(httpx_transports, MAKER, shared_default)
