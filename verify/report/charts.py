"""The report's pictures, as standalone SVG strings: contradiction matrices (side x side and
actor x actor), the topic map (``topic_map``) and the claim timeline. Each returns a ``Figure``; a figure with
nothing to draw says why instead of drawing an empty frame."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from verify.labels import CONTRADICTION
from verify.report.data import parse_date
from verify.report.escape import h
from verify.report.svg import (
    document,
    el,
    num,
    p_colour,
    p_legend,
    shorten,
    side_colours,
    text,
    tooltip,
)

CHAR_W = 7.2  # average width of a 12px system-ui character, for laying out labels


@dataclass(frozen=True)
class Figure:
    key: str  # file stem for the Markdown export: report_files/<key>.svg
    title: str
    wide: bool  # laid out across the page (maps, timelines) rather than side by side
    caption: str
    svg: str | None  # None: nothing to draw (``caption`` says why)


def side_legend(
    colours: dict[str, str], present: list[str], x: float, y: float
) -> tuple[str, float]:
    """Side swatches in one row; returns (markup, width)."""
    out, cx = [], x
    for side in present:
        out.append(el("circle", {"cx": cx + 5, "cy": y - 4, "r": 5, "fill": colours[side]}))
        out.append(text(cx + 14, y, shorten(side, 18), fill="#333"))
        cx += 24 + 7 * len(shorten(side, 18))
    return "".join(out), cx - x


# -- contradiction matrix ---------------------------------------------------------------------


def _matrix(
    key: str,
    title: str,
    who: Callable[[dict[str, Any]], str],
    pairs: list[dict[str, Any]],
    names: list[str],
    what: str,
) -> Figure:
    if len(names) < 2:
        return Figure(
            key, title, False, f"Fewer than two {what} in the selected pairs: no matrix.", None
        )
    index = {n: i for i, n in enumerate(names)}
    count: Counter[tuple[int, int]] = Counter()
    seen: Counter[tuple[int, int]] = Counter()
    best: dict[tuple[int, int], float] = {}
    for p in pairs:
        i, j = index.get(who(p["a"])), index.get(who(p["b"]))
        if i is None or j is None:
            continue
        for at in {(i, j), (j, i)}:  # unordered pairs: the matrix is symmetric
            seen[at] += 1
            best[at] = max(best.get(at, 0.0), p["confidence"])
            if p["verdict"] == CONTRADICTION:
                count[at] += 1
    cell = 58 if len(names) <= 6 else 44
    lengths = [CHAR_W * len(shorten(n, 24)) for n in names]  # estimated text widths
    label_w = 16 + max(lengths)
    head_h = 18 + 0.64 * max(lengths)  # column labels are turned 40 degrees: sin(40) of them
    overhang = max(cell * (k + 0.5) + 0.77 * w for k, w in enumerate(lengths)) - cell * len(names)
    width = label_w + cell * len(names) + max(overhang, 0) + 12
    legend_y = head_h + cell * len(names) + 26
    width = max(width, label_w + 230)
    height = legend_y + 32
    body = []
    for k, name in enumerate(names):
        y = head_h + cell * k + cell / 2 + 4
        body.append(text(label_w - 8, y, shorten(name, 24), text_anchor="end", fill="#222"))
        x = label_w + cell * k + cell / 2
        body.append(
            el(
                "text",
                {"transform": f"translate({num(x)},{num(head_h - 8)}) rotate(-40)", "fill": "#222"},
                tooltip(name) + h(shorten(name, 24)),
            )
        )
    for (i, j), n_seen in sorted(seen.items()):
        n = count[(i, j)]
        x, y = label_w + cell * j, head_h + cell * i
        # Colour is the highest P(contradiction) in the cell, on the scale of the legend; the
        # number counts verdicts (an analyst's contradiction on a pair the model scored low
        # shows as a count on a pale cell, never as a red one).
        fill = p_colour(best[(i, j)])
        ink = "#fff" if best[(i, j)] > 0.8 else "#222"
        tip = (
            f"{names[i]} vs {names[j]}: {n} contradiction(s) in {n_seen} pair(s), "
            f"highest contradiction confidence {best[(i, j)]:.2f}"
        )
        body.append(
            el(
                "g",
                None,
                tooltip(tip)
                + el(
                    "rect",
                    {
                        "x": x,
                        "y": y,
                        "width": cell - 2,
                        "height": cell - 2,
                        "rx": 3,
                        "fill": fill,
                        "stroke": "#d0d0d0",
                    },
                )
                + text(
                    x + cell / 2 - 1,
                    y + cell / 2 - 2,
                    str(n),
                    text_anchor="middle",
                    font_size=15,
                    font_weight="600",
                    fill=ink,
                )
                + text(
                    x + cell / 2 - 1,
                    y + cell / 2 + 13,
                    f"max {best[(i, j)]:.2f}" if cell >= 50 else f"{best[(i, j)]:.2f}",
                    text_anchor="middle",
                    font_size=9.5,
                    fill=ink,
                ),
            )
        )
    for i in range(len(names)):  # empty cells: a faint frame, so the grid stays readable
        for j in range(len(names)):
            if (i, j) not in seen:
                body.append(
                    el(
                        "rect",
                        {
                            "x": label_w + cell * j,
                            "y": head_h + cell * i,
                            "width": cell - 2,
                            "height": cell - 2,
                            "rx": 3,
                            "fill": "#fbfbfb",
                            "stroke": "#ececec",
                        },
                    )
                )
    body.append(p_legend(label_w, legend_y, "colour: highest P(contradiction) in the cell", 200.0))
    caption = (
        f"Contradictions between {what} among the pairs matching the filters (listed or not): "
        "the number counts pairs whose verdict is contradiction; the colour (and 'max') is "
        "the highest model probability of contradiction in the cell, red only from 0.5 up."
    )
    return Figure(key, title, False, caption, document(width, height, title, "".join(body)))


def side_matrix(doc: dict[str, Any]) -> Figure:
    pairs = doc["pairs"]
    sides = sorted(
        {c["side"] for p in pairs for c in (p["a"], p["b"])}, key=lambda s: (s == "unknown", s)
    )
    return _matrix(
        "matrix-sides",
        "Contradiction matrix: side by side",
        lambda c: c["side"],
        pairs,
        sides,
        "sides",
    )


def actor_matrix(doc: dict[str, Any], limit: int = 10) -> Figure:
    """The ``limit`` actors most involved in contradictions (then in pairs), side by side."""
    pairs = doc["pairs"]
    weight: Counter[str] = Counter()
    for p in pairs:
        for c in (p["a"], p["b"]):
            weight[c["actor"] or "?"] += 1000 if p["verdict"] == CONTRADICTION else 1
    names = [n for n, _ in weight.most_common(limit)]
    side_of = {c["actor"] or "?": c["side"] for p in pairs for c in (p["a"], p["b"])}
    names.sort(key=lambda n: (side_of.get(n) == "unknown", side_of.get(n, ""), n))
    title = "Contradiction matrix: actor by actor"
    if len(weight) > limit:
        title += f" (top {limit})"
    return _matrix("matrix-actors", title, lambda c: c["actor"] or "?", pairs, names, "actors")


# -- timeline -----------------------------------------------------------------------------------


def timeline(doc: dict[str, Any]) -> Figure:
    key, title = "timeline", "Timeline: claims by article date"
    dates = {a["id"]: parse_date(a["date"]) for a in doc["articles"]}
    found = [(dates.get(c["article_id"]), c) for c in doc["claims"]]
    dated = [(d, c) for d, c in found if d is not None]
    undated = len(doc["claims"]) - len(dated)
    if not dated:
        return Figure(
            key, title, True, "No timeline: none of these claims' articles has a date.", None
        )
    contested = {
        c["id"] for p in doc["pairs"] if p["verdict"] == CONTRADICTION for c in (p["a"], p["b"])
    }
    sides = sorted({c["side"] for _, c in dated}, key=lambda s: (s == "unknown", s))
    colours = side_colours(list(doc["summary"]["sides"]))
    cells: Counter[tuple[date, str]] = Counter()
    hot: Counter[tuple[date, str]] = Counter()
    for d, c in dated:
        cells[(d, c["side"])] += 1
        hot[(d, c["side"])] += c["id"] in contested
    first, last = min(d for d, _ in dated), max(d for d, _ in dated)
    span = max((last - first).days, 1)
    label_w = 16 + CHAR_W * max(len(shorten(s, 18)) for s in sides)
    lane, top, right = 46.0, 20.0, 40.0
    width = 1100.0
    height = top + lane * len(sides) + 40

    def x_of(d: date) -> float:
        if first == last:
            return label_w + (width - label_w - right) / 2
        return label_w + 20 + (d - first).days / span * (width - label_w - right - 40)

    body = []
    for k, side in enumerate(sides):
        y = top + lane * k + lane / 2
        body.append(
            el("line", {"x1": label_w, "y1": y, "x2": width - 10, "y2": y, "stroke": "#e6e6e6"})
        )
        body.append(text(label_w - 8, y + 4, shorten(side, 18), text_anchor="end", fill="#222"))
    biggest = max(cells.values())
    for (d, side), n in sorted(cells.items()):
        x, y = x_of(d), top + lane * sides.index(side) + lane / 2
        r = 4 + 14 * math.sqrt(n / biggest)
        tip = f"{d.isoformat()} · {side}: {n} claim(s), {hot[(d, side)]} in contradiction pairs"
        body.append(
            el(
                "g",
                None,
                tooltip(tip)
                + el(
                    "circle",
                    {
                        "cx": x,
                        "cy": y,
                        "r": r,
                        "fill": colours.get(side, "#999"),
                        "fill-opacity": 0.8,
                        "stroke": "#fff",
                    },
                )
                + text(x + r + 3, y + 4, str(n), fill="#333", font_size=11),
            )
        )
    axis_y = top + lane * len(sides) + 6
    body.append(
        el("line", {"x1": label_w, "y1": axis_y, "x2": width - 10, "y2": axis_y, "stroke": "#999"})
    )
    ticks = sorted({d for d, _ in dated})
    step = max(1, math.ceil(len(ticks) / 8))
    for d in ticks[::step]:
        x = x_of(d)
        body.append(
            el("line", {"x1": x, "y1": axis_y, "x2": x, "y2": axis_y + 5, "stroke": "#999"})
        )
        body.append(
            text(x, axis_y + 18, d.isoformat(), text_anchor="middle", fill="#444", font_size=11)
        )
    caption = (
        f"{len(dated)} claims placed at their article's date, one lane per side; circle "
        "area grows with the number of claims."
    )
    if undated:
        caption += f" {undated} claim(s) from undated articles are left out."
    return Figure(key, title, True, caption, document(width, height, title, "".join(body)))
