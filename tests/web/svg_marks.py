"""Reading a rendered chart back: its marks by layer name, their labels, sizes and places.

Vega's SVG puts each layer's marks in a group whose class ends with `<name>_marks` (the specs
in govsched/http/web/charts name every layer), one element per mark with an aria-label."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

SVG = "{http://www.w3.org/2000/svg}"


def parsed(svg: str) -> ET.Element:
    """The SVG as XML (it must be well formed, whatever text the data held)."""
    return ET.fromstring(svg)


def marks(svg: str, layer: str) -> list[ET.Element]:
    """The marks of one named layer, in data order."""
    found: list[ET.Element] = []
    for group in parsed(svg).iter(f"{SVG}g"):
        if f"{layer}_marks" in group.get("class", "").split():
            found += list(group)
    return found


def label(mark: ET.Element) -> str:
    return mark.get("aria-label", "")


def text(mark: ET.Element) -> str:
    return "".join(mark.itertext())


def translate(mark: ET.Element) -> tuple[float, float]:
    found = re.search(r"translate\(([-\d.e]+),([-\d.e]+)\)", mark.get("transform", ""))
    assert found, mark.attrib
    return float(found.group(1)), float(found.group(2))


def rect(mark: ET.Element) -> tuple[float, float, float, float]:
    """x, y, width, height of a bar or cell (Vega draws them as `M x,y h w v h h -w Z`)."""
    numbers = [float(n) for n in re.findall(r"-?[\d.]+(?:e-?\d+)?", mark.get("d", ""))]
    assert len(numbers) >= 4, mark.attrib
    x, y, width, height = numbers[:4]
    return x, y, width, height


def data(spec: dict[str, Any], layer: str | None = None) -> list[dict[str, Any]]:
    """The rows a spec draws (of one named layer, or of the chart): inline, or in the
    `datasets` altair moves them to."""
    part = spec if layer is None else next(s for s in spec["layer"] if s.get("name") == layer)
    source = part.get("data") or spec["data"]
    rows: list[dict[str, Any]] = (
        source["values"] if "values" in source else spec["datasets"][source["name"]]
    )
    return rows


def texts_everywhere(svg: str) -> str:
    """Every text and attribute value in the SVG, for looking for what must not be there."""
    root = parsed(svg)
    parts = []
    for element in root.iter():
        parts.append(element.text or "")
        parts += list(element.attrib.values())
    return "\n".join(parts)
