"""Charts of one (event, measure, subgroup), drawn as SVG by claimledger itself: no library, no script.

Two charts, each only where it compares something (the event page decides):

- the interval chart: one row per source and figure, a bar from the lowest
  to the highest number the figure's words allow, a dot at the number
  stated, ▶ at the edge where the words set no upper bound ("at least 27");
- the time chart: each source's figures at the date it first published them.

`interval_chart` and `time_chart` choose what is drawn (at most
MAX_INTERVAL_ROWS rows and MAX_TIME_POINTS points, spread evenly; where the
axes end, with room past the last mark) as plain data the page holds, so the
page, its JSON twin and the report show the same; `interval_svg` and
`time_svg` draw that data. Every mark links to a sentence that gives the
figure and carries a tooltip with the figure as written and the tool's
reading. Every piece of text is escaped here; the SVG is built from numbers
and escaped strings only. Drawing takes well under a millisecond a chart, so
pages draw their charts on each request.
"""
from __future__ import annotations

import math
from datetime import date, timedelta
from functools import lru_cache
from html import escape

COLOURS = ("#1f5fa8", "#d9730d", "#2e8540", "#8e44ad", "#c0392b", "#16828a", "#7f6a00", "#b03a83", "#4d5b6a",
           "#5b8c00")
NEUTRAL = "#1f5fa8"
FONT = "Liberation Sans, Helvetica, Arial, DejaVu Sans, sans-serif"
WIDTH = 760
ROW_HEIGHT = 22
TIME_HEIGHT = 170
MAX_INTERVAL_ROWS = 60  # rows drawn in one interval chart (the page lists every claim)
MAX_TIME_POINTS = 150  # (source, figure) points drawn in one time chart
SOURCE_CHARS = 30  # a source's name in a row label is cut past this (the tooltip holds it whole)


def source_colours(sources: list[str]) -> dict[str, str]:
    """One colour per source, the same in every chart of an event; one colour for all past ten sources."""
    if len(sources) > len(COLOURS):
        return {s: NEUTRAL for s in sources}
    return dict(zip(sources, COLOURS))


# -- what the charts draw: plain data, held by the page (and its JSON twin) --------------------------------

def _spread(items: list, limit: int) -> list:
    """At most `limit` items, evenly spaced over the list, keeping the first and the last."""
    if len(items) <= limit:
        return list(items)
    step = (len(items) - 1) / (limit - 1)
    return [items[round(i * step)] for i in range(limit)]


def nice_step(span: float, ticks: int = 5) -> float:
    """A round step (1, 2 or 5 times a power of ten) that cuts `span` into about `ticks` parts."""
    raw = max(span, 1) / ticks
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if factor * power >= raw:
            return max(1, factor * power)
    return max(1, 10 * power)  # pragma: no cover - the loop always returns


def axis_max(rows: list[dict]) -> int:
    """The chart's edge: a round number past the largest bound given, well past it where a figure is open."""
    finite = [v for r in rows for v in (r["low"], r["high"], r["value"]) if v is not None]
    top = max(finite) if finite else 1
    reach = top * (1.25 if any(r["high"] is None for r in rows) else 1.1)
    step = nice_step(reach)
    return int(max(math.ceil(reach / step) * step, top + 1))


def _cut(label: str, limit: int = SOURCE_CHARS) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def _mark(r: dict, edge: int, colour: str, href: str) -> dict:
    return {"figure": r["figure"], "reading": r["reading"], "source": r["source"], "source_name": r["source_name"],
            "value": r["value"], "low_draw": r["low"] if r["low"] is not None else 0,
            "high_draw": r["high"] if r["high"] is not None else edge, "open_high": r["high"] is None,
            "colour": colour, "href": href}


def interval_chart(entries: list[dict], colours: dict[str, str], link) -> dict:
    """The data of the interval chart: one row per source and figure, lowest first.

    `entries` are a group's (source, figure) entries (`web.findings.source_figures`): each with the first
    claim row giving it (`source`, `source_name`, `figure` as written, `reading`, `low`, `high`, `value`,
    `doc_id`, `idx`) and its documents; `link(doc_id, idx)` is where a mark leads (its sentence).
    """
    picked = _spread(entries, MAX_INTERVAL_ROWS)
    x_max = axis_max([e["row"] for e in picked])
    out = []
    for e in picked:
        r = e["row"]
        mark = _mark(r, x_max, colours.get(r["source"], NEUTRAL), link(r["doc_id"], r["idx"]))
        mark.update(label=f"{_cut(r['source_name'])} · {_cut(r['figure'])}", documents=len(e["docs"]))
        out.append(mark)
    return {"rows": out, "shown": len(out), "total": len(entries), "x_max": x_max}


def time_chart(entries: list[dict], colours: dict[str, str], link) -> dict:
    """The data of the time chart: each source's figures at the date the source first published them."""
    dated = [e["dated"] for e in entries if e["dated"] and _is_date(e["dated"][0])]
    undated = len(entries) - len(dated)
    dated.sort(key=lambda p: (p[0], p[1]["source"], p[1]["low"] or 0))
    picked = _spread(dated, MAX_TIME_POINTS)
    y_max = axis_max([r for _, r in picked]) if picked else 1
    points = [{**_mark(r, y_max, colours.get(r["source"], NEUTRAL), link(r["doc_id"], r["idx"])), "date": day}
              for day, r in picked]
    legend: dict[str, dict] = {}
    for p in points:
        legend.setdefault(p["source"], {"name": p["source_name"], "colour": p["colour"]})
    days = sorted({p["date"] for p in points})
    return {"points": points, "shown": len(points), "total": len(dated),
            "undated": undated,
            "y_max": y_max, "dates": len(days), "first_date": days[0] if days else None,
            "last_date": days[-1] if days else None, "legend": list(legend.values())}


@lru_cache(maxsize=4096)
def _is_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


# -- the SVG ---------------------------------------------------------------------------------------------------

def _svg_open(width: int, height: int, label: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(label)}" width="{width}"'
            f' height="{height}" viewBox="0 0 {width} {height}" font-family="{FONT}" font-size="12">')


def _tooltip(mark: dict) -> str:
    documents = mark.get("documents")
    held = f" ({documents} documents)" if documents and documents > 1 else ""
    return f"{mark['source_name']}{held}: {mark['figure']} — {mark['reading']}"


def _ticks(top: int) -> list[int]:
    step = nice_step(top)
    return [int(i * step) for i in range(int(top // step) + 1)]


def _figure_marks(mark: dict, at, across: float, vertical: bool) -> list[str]:
    """The bar (or rule) over a figure's interval, its dot and its open end, as SVG elements."""
    colour = escape(mark["colour"])
    lo, hi = at(mark["low_draw"]), at(mark["high_draw"])
    out = []
    if vertical:
        out.append(f'<line x1="{across:.1f}" x2="{across:.1f}" y1="{lo:.1f}" y2="{hi:.1f}" stroke="{colour}"'
                   f' stroke-width="4" stroke-opacity="0.4" stroke-linecap="round"/>')
    else:
        out.append(f'<rect x="{lo:.1f}" y="{across - 4.5:.1f}" width="{max(hi - lo, 3):.1f}" height="9" rx="2"'
                   f' fill="{colour}" fill-opacity="0.35"/>')
    if mark["value"] is not None:
        x, y = (across, at(mark["value"])) if vertical else (at(mark["value"]), across)
        out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4.5" fill="{colour}"/>')
    if mark["open_high"]:
        if vertical:
            out.append(f'<path d="M{across - 5:.1f},{hi + 6:.1f} L{across + 5:.1f},{hi + 6:.1f} L{across:.1f},{hi - 3:.1f} Z"'
                       f' fill="{colour}"/>')
        else:
            out.append(f'<path d="M{hi - 6:.1f},{across - 5:.1f} L{hi - 6:.1f},{across + 5:.1f} L{hi + 3:.1f},{across:.1f} Z"'
                       f' fill="{colour}"/>')
    return out


def interval_svg(chart: dict) -> str:
    """The interval chart as SVG text; "" when there is nothing to draw."""
    rows = chart["rows"]
    if not rows:
        return ""
    label_width = int(min(max(len(r["label"]) for r in rows) * 6.3 + 14, 330))
    left, right, top, axis = label_width, WIDTH - 28, 8, 40
    height = top + ROW_HEIGHT * len(rows) + axis
    x_max = chart["x_max"]

    def x(v: float) -> float:
        return left + (right - left) * (v / x_max)

    parts = [_svg_open(WIDTH, height, "Each source's figure: the interval its words allow, the number stated")]
    bottom = top + ROW_HEIGHT * len(rows)
    for t in _ticks(x_max):
        parts.append(f'<line x1="{x(t):.1f}" x2="{x(t):.1f}" y1="{top}" y2="{bottom}" stroke="#e6e6e6"/>')
        parts.append(f'<text x="{x(t):.1f}" y="{bottom + 16}" text-anchor="middle" fill="#222">{t:,}</text>')
    parts.append(f'<line x1="{left}" x2="{right}" y1="{bottom}" y2="{bottom}" stroke="#999"/>')
    parts.append(f'<text x="{(left + right) / 2:.0f}" y="{bottom + 33}" text-anchor="middle" fill="#444">'
                 "reported figure</text>")
    for i, r in enumerate(rows):
        y = top + ROW_HEIGHT * i + ROW_HEIGHT / 2
        parts.append(f'<a href="{escape(r["href"])}"><title>{escape(_tooltip(r))}</title>')
        parts.append(f'<text x="{left - 10}" y="{y + 4:.1f}" text-anchor="end" fill="#222">{escape(r["label"])}</text>')
        parts.extend(_figure_marks(r, x, y, vertical=False))
        parts.append("</a>")
    parts.append("</svg>")
    return "".join(parts)


def _date_ticks(d0: date, d1: date) -> tuple[list[date], str]:
    """Round dates between d0 and d1 (days, months or years, about six of them) and their label format."""
    span = (d1 - d0).days
    if span > 3 * 365:
        step = max(1, math.ceil(span / 365 / 6))
        return [date(y, 1, 1) for y in range(d0.year + 1, d1.year + 1, step)], "%Y"
    if span > 90:
        months = max(1, math.ceil(span / 30 / 6))
        ticks, y, m = [], d0.year, d0.month + 1
        while True:
            y, m = y + (m - 1) // 12, (m - 1) % 12 + 1
            tick = date(y, m, 1)
            if tick > d1:
                return ticks, "%b %Y"
            ticks.append(tick)
            m += months
    step = max(1, math.ceil(span / 6))
    return [d0 + timedelta(days=i) for i in range(1, span, step)], "%d %b"


def time_svg(chart: dict) -> str:
    """The time chart as SVG text; "" when fewer than two dates are drawn (nothing changes over time)."""
    points = chart["points"]
    if chart["dates"] < 2:
        return ""
    first, last = date.fromisoformat(chart["first_date"]), date.fromisoformat(chart["last_date"])
    pad = timedelta(days=max(1, round((last - first).days * 0.08)))
    d0, d1 = first - pad, last + pad
    left, right, top, bottom = 64, WIDTH - 20, 14, 14 + TIME_HEIGHT
    y_max = chart["y_max"]

    def x(day: date) -> float:
        return left + (right - left) * ((day - d0).days / (d1 - d0).days)

    def y(v: float) -> float:
        return bottom - (bottom - top) * (v / y_max)

    parts = [_svg_open(WIDTH, bottom + 42, "Each source's figures at the date it first published them")]
    for t in _ticks(y_max):
        parts.append(f'<line x1="{left}" x2="{right}" y1="{y(t):.1f}" y2="{y(t):.1f}" stroke="#e6e6e6"/>')
        parts.append(f'<text x="{left - 8}" y="{y(t) + 4:.1f}" text-anchor="end" fill="#222">{t:,}</text>')
    ticks, fmt = _date_ticks(d0, d1)
    for t in ticks:
        parts.append(f'<line x1="{x(t):.1f}" x2="{x(t):.1f}" y1="{top}" y2="{bottom}" stroke="#f0f0f0"/>')
        parts.append(f'<text x="{x(t):.1f}" y="{bottom + 16}" text-anchor="middle" fill="#222">{t.strftime(fmt)}</text>')
    parts.append(f'<line x1="{left}" x2="{right}" y1="{bottom}" y2="{bottom}" stroke="#999"/>')
    parts.append(f'<text x="{(left + right) / 2:.0f}" y="{bottom + 34}" text-anchor="middle" fill="#444">'
                 "first published by the source</text>")
    for p in points:
        parts.append(f'<a href="{escape(p["href"])}"><title>{escape(p["date"] + " · " + _tooltip(p))}</title>')
        parts.extend(_figure_marks(p, y, x(date.fromisoformat(p["date"])), vertical=True))
        parts.append("</a>")
    parts.append("</svg>")
    return "".join(parts)


def group_charts(group: dict) -> dict[str, str]:
    """Both charts of one group of the event page as SVG text ("" for a chart the group does not have)."""
    charts = group.get("charts") or {}
    return {"interval": interval_svg(charts["interval"]) if charts.get("interval") else "",
            "time": time_svg(charts["time"]) if charts.get("time") else ""}
