"""A document's text as HTML: boilerplate greyed, passages shared with other documents underlined, every
evidence sentence marked, every figure an anchor.

The text is shown exactly as stored (the page keeps its line breaks with
CSS), so every claim's offsets land where the ledger says. A long run of
boilerplate (a menu of 36 lines) is folded under one line a reader may open,
unless a claim's sentence stands in it. Four layers of
spans nest in a fixed order — boilerplate, shared passages, sentences, figures — and
a span that crosses the edge of an outer one is split there (only its first
piece carries its id). Every piece of text is escaped; the markup around it
is built here from ids and offsets only.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

from markupsafe import Markup, escape


FOLD_LINES = 3  # boilerplate of this many lines or more is folded


@dataclass
class _Mark:
    start: int
    end: int
    claims: list[int] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    lines: int = 0  # when folded: how many lines the fold hides


def _merged(spans: list[_Mark]) -> list[_Mark]:
    """Overlapping spans of one layer become one (their claims together), so the layer never overlaps itself."""
    out: list[_Mark] = []
    for m in sorted(spans, key=lambda m: (m.start, m.end)):
        if out and m.start < out[-1].end:
            last = out[-1]
            last.end = max(last.end, m.end)
            last.claims += [c for c in m.claims if c not in last.claims]
            last.titles += [t for t in m.titles if t not in last.titles]
        else:
            out.append(_Mark(m.start, m.end, list(m.claims), list(m.titles)))
    return out


class _Layer:
    def __init__(self, marks: list[_Mark], opening, closing):
        self.marks = marks
        self.ends = [m.end for m in marks]
        self.opening = opening  # (mark, first piece?) -> the opening tag
        self.closing = closing if callable(closing) else (lambda mark: closing)  # mark -> the closing tag


def _boilerplate_tag(mark: _Mark, first: bool) -> str:
    tag = '<span class="boilerplate" title="boilerplate: page furniture, not part of the report">'
    if mark.lines:
        return (f'<details class="boilerplate-fold"><summary>{mark.lines} lines of page furniture (menus, links,'
                f' notices) folded</summary>{tag}')
    return tag


def _boilerplate_close(mark: _Mark) -> str:
    return "</span></details>" if mark.lines else "</span>"


def _shared_tag(mark: _Mark, first: bool) -> str:
    return f'<span class="shared" title="{escape("also in " + ", ".join(mark.titles))}">'


def _sentence_tag(mark: _Mark, first: bool) -> str:
    return f'<mark class="evidence" data-claims="{" ".join(str(c) for c in mark.claims)}">'


def _figure_tag(mark: _Mark, first: bool) -> str:
    primary = mark.claims[0]
    title = escape("; ".join(mark.titles))
    if not first:
        return f'<a class="figure" href="#claim-{primary}" title="{title}">'
    aliases = "".join(f'<span class="alias" id="claim-{c}"></span>' for c in mark.claims[1:])
    return f'<a class="figure" id="claim-{primary}" href="#claim-{primary}" title="{title}">{aliases}'


def _render(text: str, a: int, b: int, layers: list[_Layer], out: list[str]) -> None:
    if not layers:
        out.append(str(escape(text[a:b])))
        return
    layer, inner = layers[0], layers[1:]
    cursor = a
    i = bisect_right(layer.ends, a)
    while i < len(layer.marks) and layer.marks[i].start < b:
        mark = layer.marks[i]
        s0, s1 = max(mark.start, a), min(mark.end, b)
        if s0 > cursor:
            _render(text, cursor, s0, inner, out)
        out.append(layer.opening(mark, s0 == mark.start))
        _render(text, s0, s1, inner, out)
        out.append(layer.closing(mark))
        cursor = s1
        i += 1
    if cursor < b:
        _render(text, cursor, b, inner, out)


def document_html(text: str, boilerplate: list[list[int]], claims: list[dict],
                  relations: list[dict] = ()) -> Markup:
    """The text with its boilerplate, shared passages (`relations` rows), evidence sentences and figures
    (`claims` rows of the document page)."""
    n = len(text)

    def clamp(start: int, end: int) -> tuple[int, int]:
        return min(max(start, 0), n), min(max(end, 0), n)

    bp = _merged([_Mark(*clamp(s, e)) for s, e in boilerplate])
    sentences, figures = [], []
    for c in claims:
        s0, s1 = clamp(c["sentence_start"], c["sentence_end"])
        f0, f1 = clamp(c["start"], c["end"])
        what = f"{c['measure'].replace('_', ' ')}{' · ' + c['subgroup'] if c['subgroup'] else ''}: {c['figure']}"
        if c.get("claimant"):
            what += f" (according to {c['claimant']})"
        if c.get("reading"):
            what += f"; {c['reading']}"
        if s1 > s0:
            sentences.append(_Mark(s0, s1, [c["idx"]]))
        if f1 > f0:
            figures.append(_Mark(f0, f1, [c["idx"]], [what]))
    for mark in bp:
        lines = sum(1 for line in text[mark.start:mark.end].splitlines() if line.strip())
        if lines >= FOLD_LINES and not any(s.start < mark.end and mark.start < s.end for s in sentences):
            mark.lines = lines
    shared = [_Mark(*clamp(a, b), titles=[r.get("name") or r["doc_id"]])
              for r in relations for a, b in r.get("passages", ())]
    layers = [
        _Layer([m for m in bp if m.end > m.start], _boilerplate_tag, _boilerplate_close),
        _Layer([m for m in _merged(shared) if m.end > m.start], _shared_tag, "</span>"),
        _Layer(_merged(sentences), _sentence_tag, "</mark>"),
        _Layer(_merged(figures), _figure_tag, "</a>"),
    ]
    out: list[str] = []
    _render(text, 0, n, layers, out)
    return Markup("".join(out))
