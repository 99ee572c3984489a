"""Speed of the clean stage against plain trafilatura on the article extraction benchmark.

Runs claimledger's clean stage (`Cleaner.clean`: main text, metadata, language)
and plain `trafilatura.extract(html, deduplicate=False)` over the 181 pages of
../shared/data/aeb/html, alternating the two for several repetitions, and
reports documents per second from the median repetition of each, plus the
main-text F1 of each against the benchmark's gold (the scorer's own token-bag
F1, imported from ../shared/eval/score_clean.py).

Both get the same input: the page as the read stage decodes it. Reading is
not timed; one untimed warm-up pass of each loads what a long run loads once
(the language model, trafilatura's stop lists). Times are the process's CPU
time by default, which other work on a shared machine disturbs less than the
wall clock; `--clock wall` measures elapsed time.

The last line is `key=value` pairs, ratio first: ratio is the clean stage's
time divided by plain trafilatura's (lower is better; the target is <= 1.3).

    python benchmarks/clean_speed.py [--repeats 5] [--clock cpu|wall]

Skips with a message (exit 0) when ../shared is absent.
"""
from __future__ import annotations

import argparse
import gc
import importlib.util
import json
import statistics
import sys
import time
from pathlib import Path

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared"
AEB = SHARED / "data" / "aeb"
SCORER = SHARED / "eval" / "score_clean.py"


def _load_scorer():
    spec = importlib.util.spec_from_file_location("score_clean", SCORER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _mean_f1(scorer, gold: dict, texts: dict[str, str]) -> float:
    scores = [scorer.prf(texts.get(doc_id, ""), g["articleBody"])[2] for doc_id, g in sorted(gold.items())]
    return sum(scores) / len(scores) if scores else 0.0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=5, help="timed repetitions of each (default 5)")
    ap.add_argument("--clock", choices=("cpu", "wall"), default="cpu", help="CPU time (default) or elapsed time")
    args = ap.parse_args()

    html_dir, gold_path = AEB / "html", AEB / "ground-truth.json"
    if not html_dir.is_dir() or not gold_path.is_file() or not SCORER.is_file():
        print(f"skipped: the article extraction benchmark is not there ({AEB.resolve()}); "
              "clean_speed needs ../shared/data/aeb and ../shared/eval next to the repository")
        return 0

    import trafilatura

    from claimledger.clean import Cleaner
    from claimledger.read import read_paths
    from claimledger.records import Document

    clock = time.process_time if args.clock == "cpu" else time.perf_counter
    docs = [d for d in read_paths([html_dir]) if isinstance(d, Document)]
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    scorer = _load_scorer()
    cleaner = Cleaner()

    def run_clean() -> dict[str, str]:
        return {d.doc_id: cleaner.clean(d).text for d in docs}

    def run_plain() -> dict[str, str]:
        return {d.doc_id: trafilatura.extract(d.content, deduplicate=False) or "" for d in docs}

    outputs = {"clean": run_clean(), "trafilatura": run_plain()}  # warm-up, and the texts scored
    runs = {"clean": run_clean, "trafilatura": run_plain}
    times: dict[str, list[float]] = {"clean": [], "trafilatura": []}
    for rep in range(max(1, args.repeats)):
        order = ("clean", "trafilatura") if rep % 2 == 0 else ("trafilatura", "clean")
        for name in order:
            gc.collect()
            start = clock()
            runs[name]()
            times[name].append(clock() - start)
        print(f"repetition {rep + 1}: clean {times['clean'][-1]:.2f}s  "
              f"trafilatura {times['trafilatura'][-1]:.2f}s ({args.clock} time, {len(docs)} documents)",
              flush=True)

    clean_t, plain_t = statistics.median(times["clean"]), statistics.median(times["trafilatura"])
    f1 = _mean_f1(scorer, gold, outputs["clean"])
    plain_f1 = _mean_f1(scorer, gold, outputs["trafilatura"])
    print(f"clean stage: {len(docs) / clean_t:.1f} documents/s, main-text F1 {f1:.4f}")
    print(f"plain trafilatura: {len(docs) / plain_t:.1f} documents/s, main-text F1 {plain_f1:.4f}")
    print(f"ratio={clean_t / plain_t:.3f} clean_docs_per_s={len(docs) / clean_t:.1f} "
          f"trafilatura_docs_per_s={len(docs) / plain_t:.1f} f1={f1:.4f} trafilatura_f1={plain_f1:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
