"""Documents per second of `ingest` with each engine, and the driver's memory, on generated reports.

The corpus: short synthetic reports (about 100 words: a dateline, a headline,
figures of the killed, wounded, missing or displaced with hedges, breakdowns
and claimants, and background sentences), drawn from templates with
generated place and person names; every 25th is a syndicated copy of an
earlier one (another headline and footer), so the relate stage has copies to
find. They are written to one JSONL file in a temporary folder.

    python benchmarks/scale.py [--documents 20000] [--small 5000]

Each measurement runs `claimledger.runner.ingest` in a fresh process (the
driver) into a fresh ledger, so its peak memory is its own:

- serial: one process reads, processes and writes;
- local: the process pool, one worker per core; the driver reads and writes;
- dask1, dask2: a LocalCluster of 1 or 2 single-threaded worker processes;
  the driver (which also hosts the cluster's scheduler) reads and writes.

What is measured. docs/s is the per-document part of ingest (read, clean,
extract, link each document, and the one writer putting each result in the
ledger, one transaction a document) in its steady state: from the first
document written to the last. Starting the pool or the cluster and loading
the language model in each worker are not counted (the time to the first
document is printed). On a machine with 2 cores, Dask with 2 workers shares
them with the driver: the driver's CPU time per document is printed, to show
what it takes from the workers, and the workers' CPU time per document (their
start-up included), which another user's load on the machine changes less
than docs/s: one Dask worker's against the serial driver's, which also writes.
The run stops once the last document is
written, as Ctrl-C would, leaving the cross-document stages out: they do not
depend on the engine except for relate, which is timed apart over the same
ledger (`find_relations` in one process against the Dask engine's on 2
workers, checked equal). The driver's peak memory (RSS, sampled every 20 ms)
is measured with Dask 2 workers at `--small` documents and at the full size:
the per-document part streams, so it should not grow with the corpus.

The last line: ratio (one Dask worker's docs/s / the serial engine's: the median of the ratios of `--repeat`
pairs of runs taken back to back) first, then the ratio of their medians, each, then Dask 2 workers over 1.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

# -- the corpus ------------------------------------------------------------------

SYLLABLES = ("ka", "ve", "lo", "mar", "dru", "sen", "tal", "or", "bri", "zan", "pel", "ost", "ri", "mun", "ga",
             "thel", "sor", "vin", "ash", "kel", "dor", "ne", "lu", "ham", "cer", "qua", "bel", "tor", "ys", "fen")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
INCIDENTS = ("an explosion at the {place} bus station", "a shelling of the {place} market",
             "an attack on a wedding party in {place}", "a car bomb outside the {place} courthouse",
             "a fire at a textile factory in {place}", "clashes between rival militias in {place}",
             "an air strike on a school in {place}", "a landslide above the village of {place}",
             "a collapse of the {place} footbridge", "a raid on a checkpoint near {place}",
             "floods along the {place} river", "a stampede at the {place} stadium")
SOURCES = ("police said", "the health ministry said", "hospital officials said", "a local official told reporters",
           "according to the regional governor", "the civil defence agency said in a statement",
           "according to witnesses", "the Red Crescent said", "a spokesman for the army said",
           "officials at the {place} district hospital said", "the mayor of {place} said")
HEDGES = ("at least {n}", "{n}", "more than {n}", "about {n}", "nearly {n}", "up to {n}", "some {n}")
KILLED = ("{h} people were killed", "{h} people died", "the death toll rose to {n}", "{h} civilians were killed",
          "{h} people lost their lives", "{h} bodies were recovered")
WOUNDED = ("{h} were wounded", "{h} others were injured", "{h} people were taken to hospital with injuries",
           "{h} were hurt, {k} of them seriously")
OTHER = ("{h} people are still missing", "{h} families were displaced", "{h} people were taken hostage",
         "{h} homes were destroyed", "{h} residents fled their homes")
BREAKDOWNS = ("including {a} children", "among them {a} women and {b} children", "including {a} police officers",
              "{a} of them children")
FILLER = ("Roads into {place} were closed for several hours while {role} searched the area.",
          "Residents described a loud blast followed by thick smoke over the {thing}.",
          "The {thing} had been crowded with {people} at the time.",
          "{person}, a {role2} who lives nearby, said the {thing} shook for several seconds.",
          "Rescue teams worked through the night with cranes and sniffer dogs.",
          "It was the {ordinal} such incident in the province this year.",
          "No group has claimed responsibility, and an investigation is under way.",
          "Electricity and water supplies to the {thing} were cut off on {weekday}.",
          "Aid agencies appealed for blood donations and emergency shelter.",
          "The government declared {days} days of mourning.",
          "Schools in {place} will remain closed until {weekday}.",
          "{person} said the {people} had little warning before the {thing} was hit.")
THINGS = ("market", "old quarter", "square", "harbour", "main street", "station", "camp", "bazaar", "school yard")
PEOPLE = ("shoppers", "commuters", "families", "students", "traders", "pilgrims", "fishermen", "travellers")
ROLES = ("rescuers", "soldiers", "firefighters", "volunteers", "police units")
ROLES2 = ("shopkeeper", "teacher", "taxi driver", "nurse", "student", "baker", "retired engineer")
ORDINALS = ("second", "third", "fourth", "fifth", "sixth")


def _name(rng: random.Random, parts: int = 2) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(parts)).capitalize()


def _report(rng: random.Random, index: int) -> dict:
    place = _name(rng, rng.choice((2, 3)))
    day = rng.randint(1, 28)
    month = rng.randrange(12)
    incident = rng.choice(INCIDENTS).format(place=place)

    def hedge(n: int) -> str:
        return rng.choice(HEDGES).format(n=n)

    def fill(template: str) -> str:
        return template.format(
            place=place, h=hedge(rng.randint(2, 400)), n=rng.randint(2, 400), k=rng.randint(1, 30),
            a=rng.randint(1, 20), b=rng.randint(1, 20), thing=rng.choice(THINGS), people=rng.choice(PEOPLE),
            role=rng.choice(ROLES), role2=rng.choice(ROLES2), person=f"{_name(rng)} {_name(rng, 3)}",
            ordinal=rng.choice(ORDINALS), weekday=rng.choice(WEEKDAYS), days=rng.randint(2, 7),
        )

    killed = fill(rng.choice(KILLED))
    if rng.random() < 0.5:
        killed += ", " + fill(rng.choice(BREAKDOWNS))
    wounded = fill(rng.choice(WOUNDED))
    lines = [
        f"{place.upper()}, {day} {MONTHS[month]} 2024 — {killed[0].upper()}{killed[1:]} in {incident} on "
        f"{rng.choice(WEEKDAYS)}, {fill(rng.choice(SOURCES))}.",
        f"{wounded[0].upper()}{wounded[1:]}, {fill(rng.choice(SOURCES))}.",
    ]
    fillers = rng.sample(FILLER, rng.randint(3, 5))
    lines += [fill(f) for f in fillers[:2]]
    if rng.random() < 0.6:
        other = fill(rng.choice(OTHER))
        lines.append(f"{other[0].upper()}{other[1:]}, {fill(rng.choice(SOURCES))}.")
    lines += [fill(f) for f in fillers[2:]]
    title = f"{_name(rng)}: {incident[0].upper()}{incident[1:]}"
    return {"id": f"report-{index:06d}", "title": title, "published": f"2024-{month + 1:02d}-{day:02d}",
            "text": title + "\n\n" + "\n\n".join(lines)}


def generate_reports(n: int, seed: int = 11):
    """`n` report records (id, title, published, text); every 25th is a syndicated copy of an earlier one."""
    rng = random.Random(seed)
    originals: list[dict] = []
    for i in range(n):
        if originals and i % 25 == 24:
            source = rng.choice(originals)
            body = source["text"].split("\n\n", 1)[1]
            title = f"{_name(rng)} Post: {source['title'].split(': ', 1)[1]}"
            yield {"id": f"report-{i:06d}", "title": title, "published": source["published"],
                   "text": f"{title}\n\n{body}\n\n(c) {_name(rng)} Media. Reprinted with permission."}
        else:
            record = _report(rng, i)
            if len(originals) < 2000:
                originals.append(record)
            else:
                originals[rng.randrange(len(originals))] = record
            yield record


def write_corpus(folder: Path, n: int) -> Path:
    path = folder / f"reports-{n}.jsonl"
    with open(path, "w", encoding="utf-8") as fh:
        for record in generate_reports(n):
            fh.write(json.dumps(record) + "\n")
    return path


# -- one measurement, in its own process ---------------------------------------------


def _rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


class RssSampler:
    """The process's resident memory every 20 ms, with the time of each sample."""

    def __init__(self):
        self.samples: list[tuple[float, float]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.samples.append((time.perf_counter(), _rss_mb()))
            self._stop.wait(0.02)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.samples.append((time.perf_counter(), _rss_mb()))

    def peak(self, until: float = float("inf")) -> float:
        return max(mb for t, mb in self.samples if t <= until)


def measure(engine_name: str, workers: int | None, corpus: Path, ledger_path: Path) -> dict:
    """One engine's per-document stages over the corpus; the run stops once the last document is written."""
    import resource

    from claimledger.engines import make_engine
    from claimledger.runner import ingest
    from claimledger.store import Ledger

    expected = sum(1 for _ in open(corpus, "rb"))
    written: list[float] = []
    cpu_at_last = [0.0]
    done = threading.Event()

    def on_document(item, result) -> None:
        if result is not None:
            written.append(time.perf_counter())
            cpu_at_last[0] = time.process_time()
            if len(written) == expected:
                done.set()  # as Ctrl-C would: the cross-document stages are left for `relate` below

    workers_mb = None
    with RssSampler() as rss:
        started = time.perf_counter()
        engine = make_engine(engine_name, workers)
        if hasattr(engine, "start"):
            engine.start()  # the cluster and a loaded pipeline on every worker, before the clock starts
        ready = time.perf_counter()
        cpu_before = time.process_time()
        try:
            with Ledger(ledger_path) as ledger:
                ingest([corpus], ledger, engine, on_document, stop=done)
                claims = ledger.claims()
            if hasattr(engine, "start"):
                workers_mb = sorted(engine.start().run(_worker_rss_mb).values())
        finally:
            if hasattr(engine, "close"):
                engine.close()
    steady = written[-1] - written[0]
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "engine": engine_name, "workers": workers, "documents": len(written),
        "docs_per_s": (len(written) - 1) / steady,
        "startup_s": written[0] - started, "cluster_start_s": ready - started,
        "per_document_s": written[-1] - ready,
        "driver_cpu_ms_per_doc": (cpu_at_last[0] - cpu_before) * 1000 / len(written),
        "workers_cpu_s": children.ru_utime + children.ru_stime,
        "workers_mb": workers_mb,
        "driver_peak_mb": rss.peak(until=written[-1]),
        "claims": len(claims), "claims_digest": _digest(claims),
        "load_average": os.getloadavg()[0],
    }


def _worker_rss_mb() -> float:
    return _rss_mb()


def _digest(items) -> str:
    import hashlib

    return hashlib.sha256(repr(list(items)).encode()).hexdigest()[:16]


def measure_relate(ledger_path: Path, workers: int) -> dict:
    """The relate stage over a ledger: `find_relations` in this process, then the Dask engine's on `workers`."""
    from claimledger.engines.dask import DaskEngine
    from claimledger.relate import find_relations
    from claimledger.runner import content_text
    from claimledger.store import Ledger

    with Ledger(ledger_path, readonly=True) as ledger:
        started = time.perf_counter()
        texts = {t.doc_id: content_text(t) for t in ledger.texts()}
        serial = find_relations(texts)
        serial_s = time.perf_counter() - started
        del texts
        with DaskEngine(workers=workers) as engine:
            engine.start()
            started = time.perf_counter()
            distributed = engine.find_relations((t.doc_id, content_text(t)) for t in ledger.texts())
            dask_s = time.perf_counter() - started
    return {"serial_s": serial_s, "dask_s": dask_s, "relations": len(serial), "same": serial == distributed}


# -- the whole benchmark ---------------------------------------------------------------

RUNS = (("serial", None), ("local", None), ("dask", 1), ("dask", 2))


def run_one(engine: str, workers: int | None, corpus: Path, folder: Path, run: int = 0) -> dict:
    """One measurement into a fresh ledger (a repeated run gets its own: the same ledger would hold it all)."""
    ledger = folder / f"{engine}-{workers}-{corpus.stem}{f'-run{run}' if run else ''}.db"
    return _in_a_fresh_process(["--one", engine, str(workers or 0), str(corpus), str(ledger)])


def _in_a_fresh_process(arguments: list[str]) -> dict:
    command = [sys.executable, __file__, *arguments]
    out = subprocess.run(command, capture_output=True, text=True)
    if out.returncode != 0:
        sys.stderr.write(out.stderr)
        raise SystemExit(f"{' '.join(arguments)} failed")
    return json.loads(out.stdout.strip().splitlines()[-1])


def describe(r: dict) -> str:
    who = {"serial": "serial", "local": f"local pool ({os.cpu_count()} workers)"}.get(r["engine"],
                                                                                    f"dask {r['workers']} worker(s)")
    workers = f"; each worker {max(r['workers_mb']):.0f} MB RSS at the end" if r["workers_mb"] else ""
    if r["workers_cpu_s"]:  # CPU a document costs its workers (their start-up included): what load does not change
        workers += f", workers' CPU {r['workers_cpu_s'] * 1000 / r['documents']:.1f} ms/doc"
    return (f"{who:>22}: {r['documents']:,} documents, {r['docs_per_s']:.1f} docs/s steady"
            f" ({r['per_document_s']:.0f} s, {r['startup_s']:.1f} s of it to the first document written);"
            f" driver CPU {r['driver_cpu_ms_per_doc']:.2f} ms/doc, peak RSS {r['driver_peak_mb']:.0f} MB{workers};"
            f" load average at the end {r['load_average']:.1f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--documents", type=int, default=20_000)
    ap.add_argument("--small", type=int, default=5_000, help="the smaller corpus for the driver-memory check")
    ap.add_argument("--repeat", type=int, default=3, help="runs of serial and of one Dask worker, in turns (medians)")
    ap.add_argument("--one", nargs=4, help=argparse.SUPPRESS)  # internal: engine workers corpus ledger
    ap.add_argument("--relate", nargs=2, help=argparse.SUPPRESS)  # internal: ledger workers
    args = ap.parse_args()
    if args.one:
        engine, workers, corpus, ledger = args.one
        print(json.dumps(measure(engine, int(workers) or None, Path(corpus), Path(ledger))))
        return
    if args.relate:
        print(json.dumps(measure_relate(Path(args.relate[0]), int(args.relate[1]))))
        return
    with tempfile.TemporaryDirectory(prefix="claimledger-scale-") as tmp:
        folder = Path(tmp)
        corpus = write_corpus(folder, args.documents)
        small = write_corpus(folder, args.small)
        print(f"corpus: {args.documents:,} generated reports in {corpus.name} ({corpus.stat().st_size / 2**20:.1f} MB);"
              f" {os.cpu_count()} cores", flush=True)
        results = {}
        # serial and one Dask worker, the comparison, alternate `--repeat` times: a shared machine's load
        # drifts, so each is the median of its runs, taken in turns
        paired: dict[tuple, list[dict]] = {("serial", None): [], ("dask", 1): []}
        for run in range(args.repeat):
            for key in paired:
                paired[key].append(r := run_one(*key, corpus, folder, run))
                print(describe(r), flush=True)
        for key, runs in paired.items():
            results[key] = sorted(runs, key=lambda r: r["docs_per_s"])[len(runs) // 2]
        # each pair ran back to back, under nearly the same load: the median of their ratios drifts least
        pair_ratios = sorted(dask_run["docs_per_s"] / serial_run["docs_per_s"]
                             for serial_run, dask_run in zip(paired["serial", None], paired["dask", 1]))
        for engine, workers in RUNS:
            if (engine, workers) not in results:
                results[engine, workers] = r = run_one(engine, workers, corpus, folder)
                print(describe(r), flush=True)
        small_run = run_one("dask", 2, small, folder)
        print(describe(small_run) + f"  [{args.small:,}-document corpus]", flush=True)
        relate = _in_a_fresh_process(["--relate", str(folder / f"dask-2-{corpus.stem}.db"), "2"])
        print(f"relate over the {args.documents:,} documents: find_relations {relate['serial_s']:.1f} s in one"
              f" process, the Dask engine's {relate['dask_s']:.1f} s on 2 workers; {relate['relations']:,} relations,"
              f" {'the same' if relate['same'] else 'DIFFERENT'}", flush=True)
    dask1, dask2 = results["dask", 1], results["dask", 2]
    digests = {r["claims_digest"] for r in results.values()}
    print(f"every engine wrote {'the same' if len(digests) == 1 else 'DIFFERENT'} claims"
          f" ({dask2['claims']:,} claims)")
    serial = results["serial", None]
    print(f"ratio={pair_ratios[len(pair_ratios) // 2]:.2f}"
          f" ratio_of_medians={dask1['docs_per_s'] / serial['docs_per_s']:.2f}"
          f" dask1_docs_per_s={dask1['docs_per_s']:.1f} serial_docs_per_s={serial['docs_per_s']:.1f}"
          f" dask2_over_dask1={dask2['docs_per_s'] / dask1['docs_per_s']:.2f}"
          f" local_docs_per_s={results['local', None]['docs_per_s']:.1f} dask2_docs_per_s={dask2['docs_per_s']:.1f}"
          f" driver_peak_mb_5k={small_run['driver_peak_mb']:.0f}"
          f" driver_peak_mb_20k={dask2['driver_peak_mb']:.0f}")


if __name__ == "__main__":
    main()
