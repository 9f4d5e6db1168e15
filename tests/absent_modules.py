"""Optional modules that are not installed, refused at once instead of searched for.

httpcore asks for `sniffio` (to tell asyncio from trio) every time an async client takes or
gives back a connection, inside a try that falls back to asyncio. Not installed, each ask walks
every folder of sys.path through pytest's import hooks: some 14,000 failed searches in the
authorization matrix alone. `None` in sys.modules makes the same import fail at once with the
same ImportError, so httpcore takes the same fallback it takes now. A module that is installed is
left alone.
"""

from __future__ import annotations

import importlib.util
import sys

OPTIONAL = ("sniffio",)


def install() -> None:
    for name in OPTIONAL:
        if name not in sys.modules and importlib.util.find_spec(name) is None:
            sys.modules[name] = None  # type: ignore[assignment]
