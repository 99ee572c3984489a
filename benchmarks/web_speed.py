"""Speed of the event page of `claimledger serve`: on an event with 10,000 claims, and its first load at
the scale of the seeds.

1. Seeds scale, first load. The seeds (`../shared/seeds`, five web pages
   about one event, ingested with the serial engine; `--seeds` names
   another folder) are served by a new Python process, as `claimledger
   serve` would: `start_ms` is importing the web app and starting it,
   `seeds_first_ms` the first request of the event page with the most claims
   (templates compiled, charts drawn, everything cold). The median of
   `--first-repeats` processes is reported. Without the seeds this part is
   skipped.
2. 10,000 claims. A temporary ledger is built through the store API: 2,000
   documents of five sentences, each sentence one claim about the same event
   (killed, wounded, killed children; exact, hedged, ranged and vague
   figures; publication dates over a month; one document in ten a copy of
   another). The event page is rendered server-side (FastAPI's TestClient:
   routing, SQL, page model, charts, templates) repeatedly; the median and
   90th percentile are reported, and the first render apart (`first_ms`).
   The server keeps a page's data until the ledger changes (charts and HTML
   are drawn on every request), so `median_ms` is a page visited again;
   `cold_median_ms` computes the page's data on every render, as the first
   visit after an ingest does.

The last line is `median_ms=... seeds_first_ms=... p90_ms=... cold_median_ms=...
first_ms=... start_ms=... claims=10000`; the targets are a median under
300 ms and a first load at seeds scale under 1,000 ms.

    python benchmarks/web_speed.py [--repeats 20] [--claims 10000] [--seeds DIR] [--first-repeats 5]
"""
from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import subprocess
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
SEEDS = Path(__file__).resolve().parents[1] / ".." / "shared" / "seeds"
# Run by a new Python process: time importing and starting the web app, then its first event page.
FIRST_LOAD = """
import time
t0 = time.perf_counter()
import json, sys, warnings
warnings.simplefilter("ignore")
from fastapi.testclient import TestClient
from claimledger.web import create_app
app = create_app(sys.argv[1], freeze_gc=True)
with TestClient(app) as client:
    t1 = time.perf_counter()
    events = client.get("/events.json").json()["events"]
    href = max(events, key=lambda e: e["claims"])["href"]
    t2 = time.perf_counter()
    response = client.get(href)
    t3 = time.perf_counter()
    assert response.status_code == 200, response.text[:300]
print(json.dumps({"start_ms": (t1 - t0) * 1000, "first_ms": (t3 - t2) * 1000, "bytes": len(response.content)}))
"""
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


def seeds_first_load(seeds: Path, repeats: int) -> dict | None:
    """Medians of start and first event page, each in a new process, over the seeds' ledger."""
    if not seeds.is_dir():
        print(f"seeds: {seeds} not found; first load at seeds scale skipped")
        return None
    with tempfile.TemporaryDirectory(prefix="claimledger-web-seeds-") as tmp:
        db = Path(tmp) / "seeds.db"
        cli = Path(sys.executable).with_name("claimledger")
        subprocess.run([str(cli), "ingest", str(seeds), "--db", str(db), "--engine", "serial", "--quiet"],
                       check=True, stdout=subprocess.DEVNULL)
        runs = [json.loads(subprocess.run([sys.executable, "-c", FIRST_LOAD, str(db)], check=True,
                                          capture_output=True, text=True).stdout.splitlines()[-1])
                for _ in range(repeats)]
    start = statistics.median(r["start_ms"] for r in runs)
    first = statistics.median(r["first_ms"] for r in runs)
    print(f"seeds: start_ms={start:.0f} seeds_first_ms={first:.0f} html_bytes={runs[0]['bytes']}"
          f" (medians of {repeats} new processes)")
    return {"start_ms": start, "seeds_first_ms": first}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=20)
    ap.add_argument("--claims", type=int, default=10_000)
    ap.add_argument("--seeds", type=Path, default=SEEDS, help="a folder of reports about one event")
    ap.add_argument("--first-repeats", type=int, default=5)
    args = ap.parse_args()
    seeds = seeds_first_load(args.seeds, args.first_repeats)
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

            def render(cold: bool = False) -> float:
                if cold:
                    app.state.served.pages.clear()
                start = time.perf_counter()
                response = client.get(url)
                elapsed = (time.perf_counter() - start) * 1000
                if response.status_code != 200:
                    raise SystemExit(f"{url}: HTTP {response.status_code}: {response.text[:300]}")
                return elapsed

            first = render()
            size = len(client.get(url).content)
            times = sorted(render() for _ in range(args.repeats))
            cold_times = sorted(render(cold=True) for _ in range(max(3, args.repeats // 2)))
            json_times = []
            for _ in range(5):
                start = time.perf_counter()
                client.get(url + ".json")
                json_times.append((time.perf_counter() - start) * 1000)
    median = statistics.median(times)
    p90 = times[min(len(times) - 1, round(0.9 * (len(times) - 1)))]
    print(f"10k: first_ms={first:.0f} html_bytes={size} json_median_ms={statistics.median(json_times):.0f}")
    seeds_figures = "" if seeds is None else f" seeds_first_ms={seeds['seeds_first_ms']:.0f}"
    start_figure = "" if seeds is None else f" start_ms={seeds['start_ms']:.0f}"
    print(f"median_ms={median:.0f}{seeds_figures} p90_ms={p90:.0f} cold_median_ms={statistics.median(cold_times):.0f}"
          f" first_ms={first:.0f}{start_figure} claims={claims}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
