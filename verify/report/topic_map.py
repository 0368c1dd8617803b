"""The topic map: every claim placed by a 2-D projection of its embedding, coloured by side,
each topic labelled at its centroid, the strongest contradictions drawn between claims."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from verify.labels import CONTRADICTION
from verify.report.charts import CHAR_W, Figure, side_legend
from verify.report.escape import h
from verify.report.svg import document, el, p_colour, shorten, side_colours, text, tooltip

MAP_LINES = 30  # contradiction lines drawn on the topic map (tagged ones first)
MAP_LABELS = 15  # topics labelled on the map (the largest)
MAP_POINTS = 3000  # claims drawn at most: more is a blur, and megabytes of SVG
#: Every dot is labelled with its claim id up to this many claims; above, only the ends of the
#: drawn contradiction lines (the ones a reader looks for).
MAP_DOT_LABELS = 80


def _sample(doc: dict[str, Any], claims: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """At most ``MAP_POINTS`` claims: those of the listed pairs first, then every n-th other."""
    if len(claims) <= MAP_POINTS:
        return claims
    listed = {c["id"] for p in doc["pairs"] for c in (p["a"], p["b"])}
    first = [c for c in claims if c["id"] in listed][:MAP_POINTS]
    rest = [c for c in claims if c["id"] not in listed]
    room = MAP_POINTS - len(first)
    step = max(1, -(-len(rest) // room)) if room > 0 else 0
    keep = {c["id"] for c in first} | ({c["id"] for c in rest[::step]} if step else set())
    return [c for c in claims if c["id"] in keep]


def topic_map(doc: dict[str, Any], points: dict[int, tuple[float, float]], model: str) -> Figure:
    key, title = "topic-map", "Topic map: claims by meaning"
    everyone = [c for c in doc["claims"] if c["id"] in points]
    claims = _sample(doc, everyone)
    if len(claims) < 2:
        why = "no cached claim embeddings" if not points else "fewer than two embedded claims"
        return Figure(key, title, True, f"No topic map: {why}.", None)
    colours = side_colours(list(doc["summary"]["sides"]))
    width, height, pad, top = 1100.0, 560.0, 36.0, 34.0
    xs = [points[c["id"]][0] for c in claims]
    ys = [points[c["id"]][1] for c in claims]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    sx = (width - 2 * pad) / ((x1 - x0) or 1.0)
    sy = (height - top - 2 * pad) / ((y1 - y0) or 1.0)

    def at(cid: int) -> tuple[float, float]:
        x, y = points[cid]
        return pad + (x - x0) * sx, top + pad + (y1 - y) * sy

    body = [
        el(
            "rect",
            {
                "x": 0.5,
                "y": top + 0.5,
                "width": width - 1,
                "height": height - top - 1,
                "fill": "#fcfcfc",
                "stroke": "#e3e3e3",
            },
        )
    ]
    # Only the strongest links: a line per contradiction turns a real corpus into a hairball.
    lines = sorted(
        (
            p
            for p in doc["pairs"]
            if p["verdict"] == CONTRADICTION and p["a"]["id"] in points and p["b"]["id"] in points
        ),
        key=lambda p: (p["verdict_by"] != "analysts", -p["confidence"]),
    )[:MAP_LINES]
    for p in lines:
        (ax, ay), (bx, by) = at(p["a"]["id"]), at(p["b"]["id"])
        body.append(
            el(
                "line",
                {
                    "x1": ax,
                    "y1": ay,
                    "x2": bx,
                    "y2": by,
                    "stroke": p_colour(p["confidence"]),
                    "stroke-opacity": 0.6,
                    "stroke-width": 1.2,
                    # dashed: the analysts' verdict, whatever the model scored
                    "stroke-dasharray": "4 3" if p["verdict_by"] == "analysts" else None,
                },
            )
        )
    for c in claims:
        x, y = at(c["id"])
        tip = f"#{c['id']} {c['actor'] or '?'} ({c['side']}): {shorten(c['text'], 220)}"
        body.append(
            el(
                "circle",
                {
                    "cx": x,
                    "cy": y,
                    "r": 4.5,
                    "fill": colours.get(c["side"], "#9a9a9a"),
                    "fill-opacity": 0.85,
                    "stroke": "#fff",
                    "stroke-width": 0.8,
                },
                tooltip(tip),
            )
        )
    ends = {c for p in lines for c in (p["a"]["id"], p["b"]["id"])}
    for c in claims:
        if len(claims) <= MAP_DOT_LABELS or c["id"] in ends:
            x, y = at(c["id"])
            body.append(text(x + 5, y - 4, f"#{c['id']}", fill="#444", font_size=9))
    body += _topic_labels(doc, claims, at, (width, height), top)
    present = sorted({c["side"] for c in claims}, key=lambda s: (s == "unknown", s))
    legend, _ = side_legend(colours, present, 8, 20)
    body.append(legend)
    body.append(
        text(
            width - 8,
            20,
            f"lines: {len(lines)} strongest contradictions, colour = P(contradiction), "
            "dashed = analysts' verdict · #n: claim n · Tn: topic n",
            text_anchor="end",
            fill="#555",
            font_size=11,
        )
    )
    shown = (
        f"{len(claims)} claims"
        if len(claims) == len(everyone)
        else (
            f"{len(claims)} of {len(everyone)} claims (those of the listed pairs, then an even "
            "sample of the rest)"
        )
    )
    caption = (
        f"{shown} projected to two dimensions (PCA of the cached {model} "
        "embeddings), coloured by side; nearby claims say similar things. Hover a point "
        "for its claim."
    )
    return Figure(key, title, True, caption, document(width, height, title, "".join(body)))


def _topic_labels(
    doc: dict[str, Any],
    claims: list[dict[str, Any]],
    at: Callable[[int], tuple[float, float]],
    size: tuple[float, float],
    top: float,
) -> list[str]:
    """A "Tn title" label at each topic's centroid (the MAP_LABELS largest topics), nudged
    down (or up, at the bottom) where it would overlap a label already placed."""
    by_topic: defaultdict[int, list[int]] = defaultdict(list)
    for c in claims:
        if c["topic"] is not None:
            by_topic[c["topic"]].append(c["id"])
    titles = {t["id"]: t["title"] for t in doc["topics"]}
    width, height = size
    placed: list[tuple[float, float, float]] = []  # (centre x, baseline y, half width)
    out = []
    for tid, ids in sorted(by_topic.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:MAP_LABELS]:
        label = f"T{tid} {shorten(titles.get(tid, ''), 36)}".strip()
        half = CHAR_W * 0.92 * len(label) / 2  # 11px text; keep the whole label inside the frame
        cx = min(max(sum(at(i)[0] for i in ids) / len(ids), half + 4), width - half - 4)
        cy = max(sum(at(i)[1] for i in ids) / len(ids) - 8, top + 14)
        for _ in range(len(placed) + 1):
            clash = [p for p in placed if abs(p[0] - cx) < p[2] + half and abs(p[1] - cy) < 13]
            if not clash:
                break
            cy = max(p[1] for p in clash) + 13
            if cy > height - 6:  # no room below: try above the highest clashing label
                cy = min(p[1] for p in clash) - 13
        placed.append((cx, cy, half))
        out.append(
            el(
                "text",
                {
                    "x": cx,
                    "y": cy,
                    "text-anchor": "middle",
                    "font-size": 11,
                    "font-weight": "600",
                    "fill": "#222",
                    "stroke": "#fff",
                    "stroke-width": 3,
                    "paint-order": "stroke",
                    "class": "topic-label",
                },
                tooltip(f"topic {tid}: {titles.get(tid, '')} ({len(ids)} claims)") + h(label),
            )
        )
    return out
