"""Words per second of claimledger's extract stage against the plain spaCy pipeline.

The corpus mixes general news (the article bodies of ../shared/data/aeb, when
present) with reports of violence (the bundled example corpus and the team's
sentence suite, grouped into short reports), repeated until it holds at least
200,000 words. The baseline is `nlp.pipe` over every sentence of the same
text (sentences from the same splitter); claimledger's extract stage parses
only the sentences its text pre-filter lets through.

Peak memory is measured in fresh processes at 1x, 2x and 4x the corpus size:
it should stay flat, since documents are processed one at a time.

    python benchmarks/extract_speed.py [--words 200000] [--repeats 3]

The last line holds the headline figures: ratio (extract speed / spaCy speed) first.
"""
from __future__ import annotations

import argparse
import json
import re
import resource
import statistics
import subprocess
import sys
import time
from importlib import resources
from pathlib import Path

import yaml

from claimledger.extract import Extractor, load_language_model
from claimledger.extract.sentences import split_sentences
from claimledger.ontology import load_ontology
from claimledger.records import Text

ROOT = Path(__file__).resolve().parents[1]
AEB = ROOT / ".." / "shared" / "data" / "aeb" / "ground-truth.json"
ENGLISH_HINT = re.compile(r"\b(the|and|of|to|in|said)\b", re.IGNORECASE)


def base_documents() -> list[str]:
    docs: list[str] = []
    if AEB.is_file():
        for record in json.loads(AEB.read_text("utf-8")).values():
            body = record.get("articleBody", "") if isinstance(record, dict) else str(record)
            words = body.split()
            if len(words) > 50 and len(ENGLISH_HINT.findall(body)) / len(words) > 0.05:
                docs.append(body)
    corpus = resources.files("claimledger").joinpath("examples", "corpus")
    for item in corpus.iterdir():
        if item.name.endswith(".txt"):
            docs.append(item.read_text("utf-8"))
    suite = yaml.safe_load((ROOT / "tests" / "data" / "sentences.yaml").read_text("utf-8"))
    texts = [case["text"] for case in suite]
    docs += [" ".join(texts[i:i + 8]) for i in range(0, len(texts), 8)]
    return docs


def corpus_of(words: int) -> list[str]:
    base = base_documents()
    out, count = [], 0
    while count < words:
        for doc in base:
            out.append(doc)
            count += len(doc.split())
            if count >= words:
                break
    return out


def run_extract(extractor: Extractor, docs: list[str]) -> int:
    claims = 0
    for n, doc in enumerate(docs):
        claims += len(extractor.extract(Text(f"d{n}", doc)))
    return claims


def run_plain_spacy(nlp, docs: list[str]) -> None:
    sentences = [s.text for n, doc in enumerate(docs) for s in split_sentences(Text(f"d{n}", doc))]
    for _ in nlp.pipe(sentences):
        pass


def peak_memory_mb(words: int) -> float:
    """Peak RSS of a fresh process that extracts from a corpus of `words` words."""
    code = (
        "import resource, sys; sys.path.insert(0, %r);"
        "from extract_speed import corpus_of, run_extract;"
        "from claimledger.extract import Extractor; from claimledger.ontology import load_ontology;"
        "run_extract(Extractor(load_ontology()), corpus_of(%d));"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)"
    ) % (str(Path(__file__).parent), words)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--words", type=int, default=200_000)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    docs = corpus_of(args.words)
    words = sum(len(d.split()) for d in docs)
    nlp = load_language_model()
    extractor = Extractor(load_ontology(), nlp)
    print(f"corpus: {len(docs)} documents, {words} words (AEB bodies {'included' if AEB.is_file() else 'absent'})")

    extract_times, spacy_times = [], []
    for r in range(args.repeats):
        t = time.perf_counter()
        claims = run_extract(extractor, docs)
        extract_times.append(time.perf_counter() - t)
        t = time.perf_counter()
        run_plain_spacy(nlp, docs)
        spacy_times.append(time.perf_counter() - t)
        print(f"run {r + 1}: extract {extract_times[-1]:.2f} s ({claims} claims), plain spaCy {spacy_times[-1]:.2f} s")
    extract_wps = words / statistics.median(extract_times)
    spacy_wps = words / statistics.median(spacy_times)
    print(f"extract: {extract_wps:,.0f} words/s (median of {args.repeats}); plain spaCy: {spacy_wps:,.0f} words/s")

    memory = {f: peak_memory_mb(args.words * f // 4) for f in (1, 2, 4)}
    for f, mb in memory.items():
        print(f"peak memory extracting {args.words * f // 4:,} words: {mb:.0f} MB")
    growth = memory[4] / memory[1]
    print(f"ratio={extract_wps / spacy_wps:.1f} extract_words_per_s={extract_wps:.0f} spacy_words_per_s={spacy_wps:.0f} "
          f"peak_mb_quarter={memory[1]:.0f} peak_mb_full={memory[4]:.0f} memory_growth={growth:.2f}")


if __name__ == "__main__":
    main()
