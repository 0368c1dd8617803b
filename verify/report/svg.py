"""A few SVG primitives written by hand (no plotting dependency). Every attribute value and text
node goes through ``escape.h``; attribute *names* are always ours, never from an article."""

from __future__ import annotations

from typing import Any

from verify.report.escape import h

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
# Okabe-Ito: distinguishable with the common colour-vision deficiencies.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#8C564B", "#332288")
UNKNOWN_COLOUR = "#9a9a9a"


def num(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def el(tag: str, attrs: dict[str, Any] | None = None, body: str = "") -> str:
    """``<tag a="v">body</tag>``; ``body`` is already-built markup (use ``h`` for text)."""
    parts = [tag]
    for name, value in (attrs or {}).items():
        if value is None:
            continue
        text = num(value) if isinstance(value, float) else str(value)
        parts.append(f'{name.rstrip("_").replace("_", "-")}="{h(text)}"')
    opening = " ".join(parts)
    return f"<{opening}>{body}</{tag}>" if body else f"<{opening}/>"


def text(x: float, y: float, content: str, **attrs: Any) -> str:
    return el("text", {"x": float(x), "y": float(y), **attrs}, h(content))


def tooltip(content: str) -> str:
    """A native hover tooltip (no script): SVG's <title> child."""
    return el("title", None, h(content)) if content else ""


def document(width: float, height: float, label: str, body: str) -> str:
    """A standalone SVG (valid as a file and inline in HTML)."""
    return el(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "viewBox": f"0 0 {num(width)} {num(height)}",
            "width": float(width),
            "height": float(height),
            "role": "img",
            "aria-label": label,
            "font-family": FONT,
            "font-size": 12,
        },
        # An opaque background: a standalone file stays readable in a dark-themed viewer.
        tooltip(label) + el("rect", {"width": "100%", "height": "100%", "fill": "#fff"}) + body,
    )


def side_colours(sides: list[str]) -> dict[str, str]:
    """A fixed colour per side, the same in every picture of one report ("unknown" is grey)."""
    named = sorted(s for s in sides if s != "unknown")
    colours = {s: PALETTE[i % len(PALETTE)] for i, s in enumerate(named)}
    colours["unknown"] = UNKNOWN_COLOUR
    return colours


#: P(contradiction) colour scale: below 0.5 a neutral grey-blue that darkens with p, from 0.5 up
#: a red that deepens to 1, so no cell is red unless the model leans to contradiction.
_LOW = ((0xF4, 0xF6, 0xF8), (0x9C, 0xAE, 0xC0))  # p = 0 .. 0.5
_HIGH = ((0xF4, 0xA5, 0x82), (0x99, 0x00, 0x0D))  # p = 0.5 .. 1
LEGEND_STOPS = (0.0, 0.25, 0.5, 0.75, 1.0)


def _mix(lo: tuple[int, int, int], hi: tuple[int, int, int], t: float) -> str:
    r, g, b = (round(a + (z - a) * t) for a, z in zip(lo, hi, strict=True))
    return f"#{r:02x}{g:02x}{b:02x}"


def p_colour(p: float) -> str:
    """Colour for a probability of contradiction: grey-blue under 0.5, red from 0.5."""
    p = min(max(p, 0.0), 1.0)
    if p < 0.5:
        return _mix(*_LOW, p / 0.5)
    return _mix(*_HIGH, (p - 0.5) / 0.5)


def p_legend(x: float, y: float, label: str, width: float = 200.0) -> str:
    """A horizontal colour bar for ``p_colour`` with ticks at LEGEND_STOPS (y: top of the bar)."""
    steps = 20
    w = width / steps
    out = [text(x, y - 5, label, fill="#333", font_size=11)]
    for k in range(steps):
        mid = (k + 0.5) / steps
        out.append(
            el(
                "rect",
                {"x": x + k * w, "y": y, "width": w + 0.3, "height": 10, "fill": p_colour(mid)},
            )
        )
    for stop in LEGEND_STOPS:
        tx = x + stop * width
        out.append(el("line", {"x1": tx, "y1": y + 10, "x2": tx, "y2": y + 14, "stroke": "#666"}))
        out.append(text(tx, y + 25, f"{stop:g}", text_anchor="middle", fill="#444", font_size=10))
    return "".join(out)


def shorten(label: str, width: int) -> str:
    label = " ".join(label.split())
    return label if len(label) <= width else label[: width - 1] + "…"
