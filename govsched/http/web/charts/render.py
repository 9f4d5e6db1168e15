"""Vega-Lite specs to SVG, on the server: offline, deterministic, and cached by the spec.

vl-convert runs the Vega-Lite and Vega JavaScript libraries in an engine of its own (no
browser, no network: external data is refused). The same spec gives the same bytes, so the
SVG is kept by the SHA-256 of the spec's canonical JSON, which is the data version: a page
whose facts did not change costs a dictionary look-up. The engine's first render in a process
takes about half a second (it loads the libraries); later ones take tens of milliseconds.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from collections import OrderedDict
from functools import cache
from typing import Any

log = logging.getLogger("govsched.web.charts")


@cache
def vega_lite() -> str:
    """The Vega-Lite library vl-convert runs: the one altair builds specs for ("v6.4.1" -> "6.4").

    Asked for at the first drawing, not at import: altair is a large part of the API's
    start-up, and most processes that import the web app never draw a picture."""
    import altair as alt

    return ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])


# Enough for every picture of every page at both widths for a few dozen data versions.
CACHE_SIZE = 512

_cache: OrderedDict[str, str] = OrderedDict()
_lock = threading.Lock()


def spec_key(spec: dict[str, Any]) -> str:
    canonical = json.dumps(spec, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def svg(spec: dict[str, Any]) -> str:
    """The spec drawn as an SVG document (from the cache when it was drawn before)."""
    key = spec_key(spec)
    with _lock:
        found = _cache.get(key)
        if found is not None:
            _cache.move_to_end(key)
            return found
    import vl_convert  # with vega_lite(): loaded at the first drawing

    started = time.perf_counter()
    drawn = vl_convert.vegalite_to_svg(spec, vl_version=vega_lite(), allowed_base_urls=[])
    log.debug("chart rendered in %.0f ms", (time.perf_counter() - started) * 1000)
    with _lock:
        _cache[key] = drawn
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return drawn


def cached(spec: dict[str, Any]) -> bool:
    with _lock:
        return spec_key(spec) in _cache
