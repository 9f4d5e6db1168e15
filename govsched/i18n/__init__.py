"""What govsched says to people, in their language (issue 20).

The catalogs are gettext `.po` files in this package (`locale/<language>/LC_MESSAGES/`), written
by the team and kept up to date with `make messages` (Babel extracts from Python and the Jinja2
templates). They are compiled in memory when first used, so a checkout runs offline with no
build step and no compiled file can go stale beside its source. Operator output (the CLI, logs)
stays English.
"""

from govsched.i18n.catalogs import translations
from govsched.i18n.current import (
    current_language,
    gettext,
    ngettext,
    pgettext,
    use_language,
)
from govsched.i18n.formatting import babel_locale

__all__ = [
    "babel_locale",
    "current_language",
    "gettext",
    "ngettext",
    "pgettext",
    "translations",
    "use_language",
]
