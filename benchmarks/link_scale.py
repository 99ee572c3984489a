"""Time of the link stage at 10k and 100k generated local-news reports, and of a refresh after 1% more.

The corpus: short reports of shootings, stabbings, fires and crashes in
generated towns (a few large towns hold many incidents, most towns a few),
each incident told by one to four reports over the following days: the
first report, a follow-up on the victim or an arrest, a vigil. Reports are
written into a real ledger (no extraction: the link stage's cost is what is
measured, and reading the cues of a report is most of it).

- full link: every document's cues read from its text, then the
  cross-document pass (what each refresh cost before cues were stored);
- refresh: 1% new documents written with the cues their worker reads (timed
  here), then the cross-document pass from the stored cues.

Each size runs in a fresh process.

    python benchmarks/link_scale.py [--sizes 10000 100000]

The last line: ratio (full link at the largest size / at the smallest) first,
then the refresh's share of a full link at the largest size.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

SYLLABLES = ("ka", "ve", "lo", "mar", "dru", "sen", "tal", "or", "bri", "zan", "pel", "ost", "ri", "mun", "ga",
             "thel", "sor", "vin", "ash", "kel", "dor", "ne", "lu", "ham", "cer", "qua", "bel", "tor", "ys", "fen")
STREETS = ("Street", "Road", "Avenue", "Lane", "Drive", "Boulevard")
KINDS = (("shooting", "was shot dead", "shot"), ("stabbing", "was stabbed to death", "stabbed"),
         ("fire", "died in a house fire", "fire"), ("crash", "was killed in a crash", "crash"))
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


def _name(rng: random.Random, parts: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(parts)).capitalize()


def _long_date(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def generate(n: int, seed: int = 5) -> list[tuple[str, str]]:
    """`n` (doc_id, text) reports; the incidents of each town spread over three years."""
    rng = random.Random(seed)
    towns = [_name(rng, rng.choice((2, 3))) for _ in range(max(50, n // 40))]
    weights = [1 / (i + 1) for i in range(len(towns))]
    reports: list[tuple[str, str]] = []
    while len(reports) < n:
        town = rng.choices(towns, weights)[0]
        street = f"{_name(rng, 2)} {rng.choice(STREETS)}"
        kind, told, short = rng.choice(KINDS)
        day = date(2021, 1, 1) + timedelta(days=rng.randrange(3 * 365))
        victim = f"{_name(rng, 2)} {_name(rng, 3)}"
        age = rng.randint(16, 80)
        paper = f"The {town} {rng.choice(('Courier', 'Post', 'Herald', 'Gazette'))}"
        published = day + timedelta(days=1)
        texts = [f"{town} {short}: one dead on {street}\n\nPublished {_long_date(published)} — {paper}\n\n"
                 f"A {age}-year-old man {told} on {street} in {town} on {WEEKDAYS[day.weekday()]} night, police said. "
                 f"Officers found him near a parked car shortly after 11 p.m. The {kind} is under investigation, and "
                 f"police asked anyone with information to call the tip line. Neighbours said the block had been "
                 f"quiet for years."]
        for k in range(rng.choice((0, 0, 1, 1, 2, 3))):
            later = published + timedelta(days=rng.randint(1, 6))
            texts.append(
                f"{town} police name {street} {kind} victim\n\nPublished {_long_date(later)} — {paper}\n\n"
                f"Police in {town} on {WEEKDAYS[later.weekday()]} identified the man killed in the {kind} on "
                f"{street} on {_long_date(day)} as {victim}, {age}. Detectives have not made an arrest. Relatives "
                f"described him as a devoted father who coached a youth football team.")
        for text in texts:
            reports.append((f"report-{len(reports):06d}", text))
    return reports[:n]


def _write(ledger, reports, cues_of=None) -> None:
    from claimledger.read import content_hash
    from claimledger.records import Document, DocumentResult, Text

    for doc_id, body in reports:
        text = Text(doc_id, body)
        cues = cues_of(text) if cues_of else None
        ledger.write_result(DocumentResult(Document(doc_id, doc_id, "text/plain", body, content_hash(body)), text,
                                           cues=cues))


def measure(n: int, folder: Path) -> dict:
    from claimledger.link import document_cues
    from claimledger.ontology import load_ontology
    from claimledger.runner import link_ledger
    from claimledger.store import Ledger

    ontology = load_ontology()
    reports = generate(n + n // 100)
    base, added = reports[:n], reports[n:]
    with Ledger(folder / f"link-{n}.db") as ledger:
        with ledger.db:
            pass
        _write(ledger, base)
        started = time.perf_counter()
        events, _, fresh = link_ledger(ledger, ontology)  # no stored cues: every text read
        full_s = time.perf_counter() - started
        ledger.write_reconciliation([], {}, [], [], events, fresh)

        started = time.perf_counter()
        _write(ledger, added, lambda text: document_cues(text, [], ontology).as_json())
        refresh_cues_s = time.perf_counter() - started
        written_s = refresh_cues_s  # includes the ledger's writes: an upper bound on the workers' reading
        started = time.perf_counter()
        events_after, _, fresh_after = link_ledger(ledger, ontology)
        refresh_pass_s = time.perf_counter() - started
    return {"documents": n, "full_s": full_s, "refresh_pass_s": refresh_pass_s, "refresh_cues_s": written_s,
            "refresh_s": refresh_pass_s + written_s, "events": len(set(events.values())),
            "read_again": len(fresh_after), "added": len(added), "load_average": os.getloadavg()[0]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--one", nargs=2, help=argparse.SUPPRESS)  # internal: size folder
    args = ap.parse_args()
    if args.one:
        print(json.dumps(measure(int(args.one[0]), Path(args.one[1]))))
        return
    results = []
    with tempfile.TemporaryDirectory(prefix="claimledger-link-") as tmp:
        for n in args.sizes:
            out = subprocess.run([sys.executable, __file__, "--one", str(n), tmp], capture_output=True, text=True)
            if out.returncode != 0:
                sys.stderr.write(out.stderr)
                raise SystemExit(f"{n} documents failed")
            r = json.loads(out.stdout.strip().splitlines()[-1])
            results.append(r)
            print(f"{n:>7,} documents: full link {r['full_s']:.1f} s ({r['events']:,} incidents); refresh after"
                  f" {r['added']:,} more: {r['refresh_s']:.2f} s ({r['refresh_cues_s']:.2f} s reading and writing"
                  f" the new ones, {r['refresh_pass_s']:.2f} s the cross-document pass, {r['read_again']} texts"
                  f" read again); load average {r['load_average']:.1f}", flush=True)
    small, large = results[0], results[-1]
    print(f"ratio={large['full_s'] / small['full_s']:.1f} refresh_fraction={large['refresh_s'] / large['full_s']:.3f}"
          f" full_s_small={small['full_s']:.1f} full_s_large={large['full_s']:.1f}"
          f" refresh_s_large={large['refresh_s']:.2f} documents_small={small['documents']}"
          f" documents_large={large['documents']}")


if __name__ == "__main__":
    main()
