"""What a page shows for a picture: the chart at two widths and the same facts as text.

The chart is drawn twice, for a desktop column and for a phone (a chart scaled down to a phone
would have unreadable 6-pixel labels); the page's style sheet shows one. Screen readers get the
sentence and the table: the drawing itself is one labelled image.
"""

from __future__ import annotations

import hashlib
import re
import threading
import unicodedata
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from governance.kernel.text import shown
from govsched.http.web.charts import render
from govsched.http.web.charts.reading import reading_key, vega_locale
from govsched.i18n.current import current_language

# Drawing widths in CSS pixels: the content column on a desktop, and a 375 px phone less the
# page's margins.
WIDE, NARROW = 800, 330
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# How long a label may be before the chart truncates it (the table keeps it whole).
LABEL_LIMIT = {WIDE: 260, NARROW: 150}

# The palette: every colour has at least 4.5:1 contrast on white (tests/web/charts check it),
# more than the 3:1 graphics need, and the pairs that carry meaning differ in lightness and
# hue, so they stay apart for colour-blind readers; shapes or text say the same where it counts.
INK = "#1b1b1b"
MUTED = "#4a4a4a"
GRID = "#d5d9e0"
BLUE = "#0b4f9c"
GREEN = "#1d6b2f"
RED = "#a4121b"
ORANGE = "#9a4a00"
PURPLE = "#6a3d9a"
GREY = "#5f6368"
FONT = "Liberation Sans, Arial, Helvetica, sans-serif"
# The drawings of each version of a picture's facts (render.svg keeps each spec's too).
_drawings: OrderedDict[str, tuple[Markup, Markup]] = OrderedDict()
_lock = threading.Lock()

THEME: dict[str, Any] = {
    "font": FONT,
    "lineBreak": "\n",
    "background": "#ffffff",
    "padding": 4,
    "view": {"stroke": None},
    "axis": {
        "labelFontSize": 14,
        "titleFontSize": 14,
        "labelColor": INK,
        "titleColor": INK,
        "titleFontWeight": "bold",
        "domainColor": MUTED,
        "tickColor": MUTED,
        "gridColor": GRID,
    },
    "legend": {
        "labelFontSize": 14,
        "titleFontSize": 14,
        "labelColor": INK,
        "titleColor": INK,
        "orient": "bottom",
        "direction": "horizontal",
        "columns": 0,
    },
    "text": {"fontSize": 13, "color": INK},
}


@dataclass(frozen=True)
class Table:
    """The picture's facts for reading: one row for each mark or group of marks."""

    caption: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Picture:
    key: str
    title: str
    summary: str
    wide: Markup
    narrow: Markup
    table: Table
    # Set when there is nothing to draw: the page shows this sentence in the chart's place, never
    # empty axes; the table stays when it has something to say (cells hidden from the reader)
    empty: str | None = None


def nothing_to_draw(key: str, title: str, why: str, table: Table | None = None) -> Picture:
    """A picture's place when there is nothing to draw: its title, `why`, and `table` if given."""
    facts = table or Table(caption="", headers=(), rows=())
    return Picture(key, title, why, Markup(""), Markup(""), facts, empty=why)


def drawn(
    key: str,
    title: str,
    summary: str,
    table: Table,
    spec: Callable[[int], dict[str, Any]],
    facts: object,
) -> Picture:
    """The picture with its chart rendered at both widths (`spec(width)`), once for each
    version of its `facts` and each language it is read in: building and checking a spec costs
    more than looking it up."""
    version = hashlib.sha256(f"{key}:{reading_key()}:{facts!r}".encode()).hexdigest()
    with _lock:
        found = _drawings.get(version)
    if found is None:
        # Markup: vl-convert's SVG escapes every text it draws (tests/web check it)
        found = (Markup(render.svg(spec(WIDE))), Markup(render.svg(spec(NARROW))))
        with _lock:
            _drawings[version] = found
            while len(_drawings) > render.CACHE_SIZE:
                _drawings.popitem(last=False)
    return Picture(key, title, summary, found[0], found[1], table)


def themed(chart: dict[str, Any], width: int, description: str) -> dict[str, Any]:
    """A spec from altair with the workspace's look, fitted to `width` including its axes."""
    return {
        **chart,
        "width": width,
        "autosize": {"type": "fit-x", "contains": "padding"},
        "description": chart_text(description),
        # the drawing's own month names and percent sign in the page's language
        "config": {**THEME, "locale": vega_locale(current_language())},
    }


def chart_text(value: str) -> str:
    """Text as a chart may show it: what any page may show (`shown`), without control
    characters (an SVG is XML, which has no place for most of them)."""
    cleaned = _CONTROLS.sub(" ", shown(unicodedata.normalize("NFC", value)))
    return " ".join(cleaned.split())


def unique_labels(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """A label for each id that no other id has: a chart's rows are keyed by their label, so
    two members of the same name would otherwise share one row."""
    cleaned = [(key, chart_text(label) or chart_text(key)) for key, label in pairs]
    counts = Counter(label for _, label in cleaned)
    labels: dict[str, str] = {}
    taken: set[str] = set()
    for key, label in cleaned:
        first = label if counts[label] == 1 else f"{label} ({chart_text(key)})"
        candidate, number = first, 2
        while candidate in taken:  # a name that happens to read like another's label
            candidate, number = f"{first} ({number})", number + 1
        taken.add(candidate)
        labels[key] = candidate
    return labels


def row_labels(width: int) -> dict[str, Any]:
    """How a chart's row names are written: smaller and cut shorter on a phone."""
    short = width < 400
    return {"labelLimit": LABEL_LIMIT.get(width, 200), "labelFontSize": 12 if short else 14}


def text_size(width: int) -> int:
    """The size of text written beside or on marks."""
    return 12 if width < 400 else 13


def title_under_labels(short: bool) -> dict[str, Any]:
    """On a phone an x axis's title starts under the row labels, where there is room."""
    return {"titleAnchor": "start", "titleAlign": "left", "titleX": -120} if short else {}


def whole_ticks(most: int) -> list[int]:
    """Whole-number ticks from 0 to at least `most`, at most five steps of a round size (the
    last tick is the top of the scale that uses them)."""
    step = next((s for s in (1, 2, 5, 10, 20, 50, 100, 200, 500) if most <= s * 4), most // 4)
    step = max(step, 1)
    top = max(-(-most // step) * step, step)
    return list(range(0, top + 1, step))
