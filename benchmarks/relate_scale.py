"""Time and peak memory of the relate stage at 10k and 100k generated documents.

Documents are drawn from a Zipf-like vocabulary (150–300 words each); one in
twenty is a near copy of an earlier one (a new headline, a dropped and an
added sentence, a boilerplate footer), so the LSH index has real copies to
find among many unrelated texts. Each size runs in a fresh process so its
peak memory (RSS) is its own.

    python benchmarks/relate_scale.py [--sizes 10000 100000]

The last line: ratio (time at the largest size / time at the smallest) first.
"""
from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time

VOCABULARY = 6000


def generate(n: int, seed: int = 7) -> dict[str, str]:
    rng = random.Random(seed)
    words = [f"w{i}" for i in range(VOCABULARY)]
    weights = [1 / (i + 1) for i in range(VOCABULARY)]
    texts: dict[str, str] = {}
    originals: list[str] = []
    for i in range(n):
        doc_id = f"doc{i:06d}"
        if originals and rng.random() < 0.05:
            source = texts[rng.choice(originals)].split(". ")
            if len(source) > 3:
                source.pop(rng.randrange(1, len(source)))
            source.insert(rng.randrange(len(source)), " ".join(rng.choices(words, weights, k=12)))
            texts[doc_id] = "Reprinted headline. " + ". ".join(source) + ". Copyright the outlet."
        else:
            sentences = [" ".join(rng.choices(words, weights, k=rng.randint(12, 20))) for _ in range(rng.randint(10, 16))]
            texts[doc_id] = ". ".join(sentences) + "."
            originals.append(doc_id)
    return texts


def measure(n: int) -> dict:
    from claimledger.relate import find_relations, source_clusters

    texts = generate(n)
    start = time.perf_counter()
    relations = find_relations(texts)
    clusters = source_clusters(sorted(texts), relations)
    seconds = time.perf_counter() - start
    return {
        "documents": n,
        "seconds": seconds,
        "relations": len(relations),
        "clusters": len(set(clusters.values())),
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)  # internal: measure one size, print JSON
    args = ap.parse_args()
    if args.one:
        print(json.dumps(measure(args.one)))
        return
    results = []
    for n in args.sizes:
        out = subprocess.run([sys.executable, __file__, "--one", str(n)], capture_output=True, text=True, check=True)
        result = json.loads(out.stdout.strip().splitlines()[-1])
        results.append(result)
        print(f"{n:>7,} documents: relate {result['seconds']:.1f} s, {result['relations']:,} copy relations, "
              f"{result['clusters']:,} sources, peak memory {result['peak_mb']:.0f} MB (generation included)")
    small, large = results[0], results[-1]
    ratio = large["seconds"] / small["seconds"]
    print(f"ratio={ratio:.1f} seconds_small={small['seconds']:.1f} seconds_large={large['seconds']:.1f} "
          f"documents_small={small['documents']} documents_large={large['documents']} "
          f"peak_mb_small={small['peak_mb']:.0f} peak_mb_large={large['peak_mb']:.0f}")


if __name__ == "__main__":
    main()
