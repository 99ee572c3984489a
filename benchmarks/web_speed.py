"""Speed of the event page of `claimledger serve` on an event with 10,000 claims.

Builds a temporary ledger through the store API: 2,000 documents of five
sentences, each sentence one claim about the same event (killed, wounded,
killed children; exact, hedged, ranged and vague figures; publication dates
over a month; one document in ten a copy of another). Then renders the
event page server-side (FastAPI's TestClient: routing, SQL, page model,
charts, templates) repeatedly and reports the median and 90th percentile.

The first render is reported apart (`first_ms`): it draws the charts, which
the server keeps, and loads what a running server has loaded. With
`--cold-charts` every render draws its charts again (the cost of a page
whose ledger changed since it was last drawn).

The last line is `median_ms=... p90_ms=... claims=10000`; the target is a
median under 300 ms.

    python benchmarks/web_speed.py [--repeats 20] [--claims 10000] [--cold-charts]
"""
from __future__ import annotations

import argparse
import hashlib
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

from claimledger.ontology import load_ontology
from claimledger.reconcile import reconcile
from claimledger.records import Claim, Document, DocumentResult, Text
from claimledger.store import Ledger

EVENT = "benchmark-attack-2024-05-01"
SENTENCES = (  # (text, measure, subgroup, qualifier)
    ("At least {n} people were killed, officials said. ", "killed", None, "at_least"),
    ("Hospitals treated {n} wounded. ", "wounded", None, "exact"),
    ("The toll stands at {n} dead according to the ministry. ", "killed", None, "exact"),
    ("Among the dead were {n} children. ", "killed", "children", "exact"),
    ("Some {n} people were injured, a relief group said. ", "wounded", None, "about"),
)


def _claim(doc_id: str, index: int, text_start: int, sentence: str, n: int, measure: str, subgroup, qualifier):
    number = str(n)
    start = text_start + sentence.index(number)
    low, high = {"at_least": (n, None), "about": (n - n // 10, n + n // 10)}.get(qualifier, (n, n))
    if qualifier == "exact" and index % 7 == 0:  # now and then a range, now and then a vague amount
        qualifier, low, high = "range", n, n + 5
    return Claim(doc_id=doc_id, measure=measure, subgroup=subgroup, value=None if qualifier == "range" else n,
                 qualifier=qualifier, low=low, high=high, start=start, end=start + len(number),
                 sentence_start=text_start, sentence_end=text_start + len(sentence.rstrip()), event=EVENT,
                 claimant="officials", index=index)


def build_ledger(path: Path, claims: int) -> int:
    """A ledger with one event of `claims` claims; returns how many were written."""
    per_doc = len(SENTENCES)
    clusters, written = {}, 0
    with Ledger(path) as ledger:
        for d in range(claims // per_doc):
            doc_id = f"wire/{d:05d}"
            text, doc_claims = "", []
            for i, (template, measure, subgroup, qualifier) in enumerate(SENTENCES):
                n = 20 + (d * 7 + i * 13) % 180
                sentence = template.format(n=n)
                doc_claims.append(_claim(doc_id, i, len(text), sentence, n, measure, subgroup, qualifier))
                text += sentence
            published = f"2024-05-{1 + d % 30:02d}"
            document = Document(doc_id=doc_id, origin=f"bench:{d}", media_type="text/plain", content=text,
                                content_hash=hashlib.sha256(text.encode()).hexdigest(), title=f"Report {d}",
                                published=published)
            ledger.write_result(DocumentResult(document, Text(doc_id, text, title=f"Report {d}", published=published),
                                               tuple(doc_claims)))
            clusters[doc_id] = f"wire/{d - 1:05d}" if d % 10 == 1 else doc_id
            written += len(doc_claims)
        findings = reconcile(ledger.claims(), clusters, ledger.published(), load_ontology())
        ledger.write_reconciliation([], clusters, findings)
    return written


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=20)
    ap.add_argument("--claims", type=int, default=10_000)
    ap.add_argument("--cold-charts", action="store_true", help="draw the charts again on every render")
    args = ap.parse_args()
    warnings.simplefilter("ignore", DeprecationWarning)  # the test client's note about httpx versions
    from fastapi.testclient import TestClient

    from claimledger.web import create_app

    with tempfile.TemporaryDirectory(prefix="claimledger-web-speed-") as tmp:
        db = Path(tmp) / "ledger.db"
        t0 = time.perf_counter()
        claims = build_ledger(db, args.claims)
        print(f"ledger: {claims} claims about one event in {time.perf_counter() - t0:.1f} s")
        app = create_app(db, freeze_gc=True)  # as `claimledger serve` runs it
        with TestClient(app) as client:
            url = f"/events/{EVENT}"

            def render() -> float:
                if args.cold_charts:
                    app.state.served.charts._cache.clear()
                start = time.perf_counter()
                response = client.get(url)
                elapsed = (time.perf_counter() - start) * 1000
                if response.status_code != 200:
                    raise SystemExit(f"{url}: HTTP {response.status_code}: {response.text[:300]}")
                return elapsed

            first = render()
            size = len(client.get(url).content)
            times = sorted(render() for _ in range(args.repeats))
            json_times = []
            for _ in range(5):
                start = time.perf_counter()
                client.get(url + ".json")
                json_times.append((time.perf_counter() - start) * 1000)
    median = statistics.median(times)
    p90 = times[min(len(times) - 1, round(0.9 * (len(times) - 1)))]
    print(f"first_ms={first:.0f} html_bytes={size} json_median_ms={statistics.median(json_times):.0f}"
          f" charts={'cold' if args.cold_charts else 'kept'}")
    print(f"median_ms={median:.0f} p90_ms={p90:.0f} claims={claims}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
