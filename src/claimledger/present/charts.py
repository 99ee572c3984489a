"""Charts of one (event, measure, subgroup): Altair specs rendered to SVG by vl-convert, with no network.

Two charts per group. `interval_chart` and `time_chart` choose what is
drawn (at most MAX_INTERVAL_ROWS claims, MAX_TIME_POINTS points, spread
evenly; where the axis ends) as plain data the event page holds
(`web/pages.py`), so the page, its JSON twin and the report show the same;
`ChartRenderer` turns that data into SVG:

- the interval chart: one row per claim, a bar from its low to its high
  bound (running to the chart's edge and marked ▶ when the claim has no upper
  bound), a dot at the figure itself when there is one;
- the time chart: each source's figures at the date the source first
  published them.

Every mark links to the claim's sentence. Labels come from input (document
ids, figures) and are escaped by vl-convert like any SVG text. The renderer
keeps the SVG of the charts it has drawn, so a page drawn again costs little.
"""
from __future__ import annotations

import hashlib
import json
import math
from collections import OrderedDict
from datetime import date, timedelta
from functools import lru_cache

from claimledger.errors import UsageError

# Vega resolves a relative link against its data loader's base URL; links are given absolute on this
# placeholder host (reserved, never resolvable) and turned back into relative ones in the SVG.
LINK_BASE = "http://claimledger.invalid"
COLOURS = ("#1f5fa8", "#d9730d", "#2e8540", "#8e44ad", "#c0392b", "#16828a", "#7f6a00", "#b03a83", "#4d5b6a",
           "#5b8c00")
MAX_COLOURED_SOURCES = len(COLOURS)
NEUTRAL = "#1f5fa8"
FONT = "Liberation Sans, Helvetica, Arial, DejaVu Sans, sans-serif"
WIDTH = 540
ROW_HEIGHT = 22
MAX_INTERVAL_ROWS = 60  # claims drawn in one interval chart (the page lists them all)
MAX_TIME_POINTS = 150  # (source, figure) points drawn in one time chart
DATASET = "claims"
SPECS = {"interval": lambda chart: interval_spec(chart), "time": lambda chart: time_spec(chart)}


# -- what the charts draw: plain data, held by the page (and its JSON twin) --------------------------------

def _spread(items: list, limit: int) -> list:
    """At most `limit` items, evenly spaced over the list, keeping the first and the last."""
    if len(items) <= limit:
        return list(items)
    step = (len(items) - 1) / (limit - 1)
    return [items[round(i * step)] for i in range(limit)]


def _top(rows: list[dict]) -> tuple[int, bool]:
    finite = [v for r in rows for v in (r["low"], r["high"], r["value"]) if v is not None]
    return (max(finite) if finite else 1), any(r["high"] is None for r in rows)


def _axis_max(rows: list[dict]) -> int:
    """The chart's edge: past the largest bound given, further when a claim has no upper bound."""
    top, open_ended = _top(rows)
    return max(math.ceil(top * (1.2 if open_ended else 1.05)), top + 1)


def _short(doc_id: str, limit: int = 34) -> str:
    """A document id short enough for a chart label (the chart measures no text: that is slow)."""
    return doc_id if len(doc_id) <= limit else doc_id[: limit // 2 - 1] + "…" + doc_id[-(limit // 2):]


def interval_chart(rows: list[dict], sources: list[str], link) -> dict:
    """The data of the interval chart: one row per claim, in the order of the table (lowest first).

    `sources` names the sources in the order of their colours (empty: one colour for all); `link(doc_id,
    idx)` is where a claim's mark leads (its sentence).
    """
    x_max = _axis_max(rows)
    picked, seen = _spread(rows, MAX_INTERVAL_ROWS), set()
    out = []
    for r in picked:
        label = f"{_short(r['doc_id'])} · {r['figure']}"
        if label in seen:
            label += f" · claim {r['idx']}"
        seen.add(label)
        out.append({"label": label, "doc_id": r["doc_id"], "idx": r["idx"], "figure": r["figure"],
                    "source": r["source"], "value": r["value"],
                    "low_draw": r["low"] if r["low"] is not None else 0,
                    "high_draw": r["high"] if r["high"] is not None else x_max,
                    "open_high": r["high"] is None, "href": link(r["doc_id"], r["idx"])})
    return {"rows": out, "shown": len(out), "total": len(rows), "x_max": x_max, "sources": sources}


def time_chart(rows: list[dict], sources: list[str], link) -> dict:
    """The data of the time chart: each source's figures at the date the source first published them."""
    first: dict[tuple[str, str], tuple[str, dict]] = {}
    undated = 0
    for r in rows:
        published = (r["published"] or "")[:10]
        if not _is_date(published):
            undated += 1
            continue
        key = (r["source"], r["figure"])
        if key not in first or published < first[key][0]:
            first[key] = (published, r)
    dated = sorted(first.values(), key=lambda p: (p[0], p[1]["source"], p[1]["low"] or 0))
    y_max = _axis_max([r for _, r in dated]) if dated else 1
    points = [{"date": day, "source": r["source"], "doc_id": r["doc_id"], "idx": r["idx"],
               "figure": r["figure"], "value": r["value"],
               "low_draw": r["low"] if r["low"] is not None else 0,
               "high_draw": r["high"] if r["high"] is not None else y_max,
               "open_high": r["high"] is None, "href": link(r["doc_id"], r["idx"])}
              for day, r in _spread(dated, MAX_TIME_POINTS)]
    chart = {"points": points, "shown": len(points), "total": len(dated), "undated_claims": undated, "y_max": y_max,
             "sources": sources}
    if dated:
        d0, d1 = date.fromisoformat(dated[0][0]), date.fromisoformat(dated[-1][0])
        chart["x_domain"] = [(d0 - timedelta(days=1)).isoformat(), (d1 + timedelta(days=1)).isoformat()]
        chart["tick_days"] = max(1, ((d1 - d0).days + 2) // 8)
    return chart


@lru_cache(maxsize=4096)
def _is_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


# -- the charts themselves ----------------------------------------------------------------------------------

def _altair():
    try:
        import altair as alt
    except ImportError:  # pragma: no cover - depends on the installed extras
        raise UsageError("charts need the web extra: pip install 'claimledger[web]'") from None
    return alt


def absolute_link(href: str) -> str:
    """A page link ("/documents/..." or "#claim-...") on the placeholder host, for Vega to keep as it is."""
    return LINK_BASE + href if href.startswith(("/", "#")) else href


def _colour(alt, chart: dict):
    """One colour per source, the same in every chart of an event; one colour for all past ten sources."""
    sources = chart.get("sources")
    if not sources or len(sources) > MAX_COLOURED_SOURCES:
        return alt.value(NEUTRAL)
    return alt.Color("source:N", title="source", scale=alt.Scale(domain=sources, range=list(COLOURS[:len(sources)])),
                     legend=alt.Legend(orient="right", labelLimit=0, symbolType="circle", symbolOpacity=1))


def _with_data(spec: dict, values: list[dict]) -> dict:
    """The rows go in as a named dataset after Altair built the spec: Altair copies inline data deeply."""
    spec["datasets"] = {DATASET: values}
    return spec


def _config(chart):
    # No ARIA description per mark: it would triple the SVG of a large chart; the page's table lists every claim.
    return (chart.configure(font=FONT, aria=False)
            .configure_axis(labelFontSize=12, titleFontSize=12, labelColor="#222", titleColor="#444",
                            gridColor="#e6e6e6", domainColor="#999", tickColor="#999")
            .configure_legend(labelFontSize=12, titleFontSize=12)
            .configure_view(stroke=None))


def interval_spec(chart: dict) -> dict:
    """One row per claim: low–high bar, dot at the figure, ▶ at the edge where the claim has no upper bound."""
    alt = _altair()
    rows = [{**r, "href": absolute_link(r["href"])} for r in chart["rows"]]
    x_max = chart["x_max"]
    base = alt.Chart(alt.Data(name=DATASET)).encode(
        y=alt.Y("label:N", sort=[r["label"] for r in rows], title=None,
                axis=alt.Axis(labelLimit=0, labelFontSize=12, ticks=False, domain=False)),  # labels come short
        href="href:N",
        color=_colour(alt, chart),
    )
    x_scale = alt.Scale(domain=[0, x_max], nice=False, zero=True)
    x_title = chart.get("x_title", "reported figure")
    span = base.mark_bar(height=9, opacity=0.35, cornerRadius=2).encode(
        x=alt.X("low_draw:Q", scale=x_scale, title=x_title, axis=alt.Axis(format=",d", tickMinStep=1)),
        x2="high_draw:Q",
    )
    dot = base.transform_filter("datum.value != null").mark_point(filled=True, size=70, opacity=1).encode(
        x=alt.X("value:Q", scale=x_scale))
    edge = base.transform_filter("datum.open_high").mark_point(shape="triangle-right", filled=True, size=90,
                                                                opacity=1).encode(x=alt.X("high_draw:Q",
                                                                                          scale=x_scale))
    layered = alt.layer(span, dot, edge).properties(width=WIDTH, height=max(ROW_HEIGHT * len(rows), 40))
    return _with_data(_config(layered).to_dict(validate=False), rows)


def time_spec(chart: dict) -> dict | None:
    """Each source's figures at the date it first published them; None when no claim has a date."""
    alt = _altair()
    points = [{**p, "href": absolute_link(p["href"])} for p in chart["points"]]
    if not points:
        return None
    y_scale = alt.Scale(domain=[0, chart["y_max"]], nice=False, zero=True)
    base = alt.Chart(alt.Data(name=DATASET)).encode(
        x=alt.X("date:T", title="first published by the source",
                scale=alt.Scale(type="utc", domain=chart["x_domain"]),
                axis=alt.Axis(format="%d %b %Y", labelAngle=0, grid=True,
                              tickCount={"interval": "day", "step": chart["tick_days"]})),
        href="href:N",
        color=_colour(alt, chart),
    )
    span = base.mark_rule(strokeWidth=3, opacity=0.45).encode(
        y=alt.Y("low_draw:Q", scale=y_scale, title=chart.get("y_title", "reported figure"),
                axis=alt.Axis(format=",d", tickMinStep=1)),
        y2="high_draw:Q",
    )
    dot = base.transform_filter("datum.value != null").mark_point(filled=True, size=70, opacity=1).encode(
        y=alt.Y("value:Q", scale=y_scale))
    edge = base.transform_filter("datum.open_high").mark_point(shape="triangle-up", filled=True, size=90,
                                                                opacity=1).encode(y=alt.Y("high_draw:Q",
                                                                                          scale=y_scale))
    layered = alt.layer(span, dot, edge).properties(width=WIDTH, height=180)
    return _with_data(_config(layered).to_dict(validate=False), points)


class ChartRenderer:
    """Renders Vega-Lite specs to SVG with vl-convert, keeping the most recent ones drawn."""

    def __init__(self, cache_size: int = 256):
        try:
            import vl_convert
        except ImportError:  # pragma: no cover - depends on the installed extras
            raise UsageError("charts need the web extra: pip install 'claimledger[web]'") from None
        self._convert = vl_convert.vegalite_to_svg
        self._cache: OrderedDict[str, str] = OrderedDict()
        self._size = cache_size

    def svg(self, kind: str, chart: dict) -> str:
        """The SVG of one chart ("interval" or "time") of the data the page holds; "" when nothing to draw."""
        key = kind + hashlib.sha256(json.dumps(chart, sort_keys=True, default=str).encode()).hexdigest()
        cached = self._cache.get(key)
        if cached is not None:
            self._cache.move_to_end(key)
            return cached
        spec = SPECS[kind](chart)
        svg = "" if spec is None else self._convert(spec)
        # Links were made absolute on the placeholder host (see LINK_BASE); vl-convert escaped the rest.
        svg = svg.replace(f'xlink:href="{LINK_BASE}', 'xlink:href="').replace(f'href="{LINK_BASE}', 'href="')
        svg = svg.replace("<svg ", '<svg role="img" ', 1)
        self._cache[key] = svg
        if len(self._cache) > self._size:
            self._cache.popitem(last=False)
        return svg

    def group_charts(self, group: dict) -> dict[str, str]:
        """Both charts of one group of the event page, as SVG text."""
        return {kind: self.svg(kind, group["charts"][kind]) for kind in ("interval", "time")}

    def warm_up(self) -> None:
        """vl-convert starts its JavaScript engine on first use (about half a second): do it before a request."""
        self._convert({"mark": "point", "data": {"values": [{"x": 1}]}, "encoding": {"x": {"field": "x"}}})
