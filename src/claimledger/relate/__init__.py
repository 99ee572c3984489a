"""The relate stage: which documents copy each other, so copies count as one source.

MinHash signatures of word shingles go into an LSH index (datasketch); every
candidate pair it proposes is checked with the exact Jaccard similarity and
containment of the shingle sets; copies are joined into clusters with
union-find. A finding's independent sources are its distinct clusters.

The pieces are public so that an engine can run the same join over many
machines (`engines/dask.py`): `content_signature` per document, `band_keys`
(two documents are LSH candidates exactly when they share one of these keys,
as in datasketch's index) and `check_pair`, the exact test of a candidate.
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from functools import cache

from datasketch import LeanMinHash, MinHash, MinHashLSH

from claimledger.records import Relation
from claimledger.unionfind import UnionFind

SHINGLE_WORDS = 5
NUM_PERM = 128
LSH_THRESHOLD = 0.3  # candidates: generous, the exact check below decides
COPY_JACCARD = 0.5
REUSE_CONTAINMENT = 0.6
MIN_SHINGLES = 10  # shorter texts are too short to call copies
WORD = re.compile(r"\w+")


def shingles(text: str, k: int = SHINGLE_WORDS) -> set[str]:
    words = WORD.findall(text.lower())
    return {" ".join(words[i:i + k]) for i in range(max(0, len(words) - k + 1))}


def _hash32(data: bytes) -> int:
    return int.from_bytes(hashlib.blake2b(data, digest_size=4).digest(), "little")


def signature(shingle_set: set[str]) -> MinHash:
    mh = MinHash(num_perm=NUM_PERM, seed=1, hashfunc=_hash32)
    mh.update_batch([s.encode("utf-8") for s in shingle_set])
    return mh


def content_signature(text: str) -> LeanMinHash | None:
    """The MinHash signature of a document's content, or None when it is too short to call a copy."""
    shingle_set = shingles(text)
    if len(shingle_set) < MIN_SHINGLES:
        return None
    return LeanMinHash(signature(shingle_set))


@cache
def _band_ranges() -> tuple[tuple[int, int], ...]:
    """The bands (slices of the signature) that datasketch's index uses for our threshold and permutations."""
    return tuple(MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM).hashranges)


def band_keys(sig: LeanMinHash) -> list[int]:
    """One key per band: its slice of the signature and the band's number, as one (exact) integer.

    Two signatures share a key exactly when the LSH index in `find_relations`
    puts them in one bucket, so grouping documents by these keys (on any
    number of machines) proposes the same candidate pairs. Integers, not
    bytes: they travel between processes and hash far more cheaply.
    """
    return [int.from_bytes(sig.hashvalues[start:end].tobytes(), "little") << 16 | band
            for band, (start, end) in enumerate(_band_ranges())]


def find_relations(texts: Mapping[str, str]) -> list[Relation]:
    """Pairs of documents that are copies of each other or share long passages.

    Only the MinHash signatures are kept for every document; shingle sets are
    rebuilt for the candidate pairs the LSH index proposes, so memory grows
    with the signatures (a few hundred bytes a document), not with the text.
    """
    lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
    signatures: dict[str, LeanMinHash] = {}
    for doc_id in sorted(texts):
        shingle_set = shingles(texts[doc_id])
        if len(shingle_set) < MIN_SHINGLES:
            continue
        signatures[doc_id] = LeanMinHash(signature(shingle_set))
        lsh.insert(doc_id, signatures[doc_id])
    relations = []
    for doc_a in sorted(signatures):
        candidates = sorted(d for d in lsh.query(signatures[doc_a]) if d > doc_a)
        if not candidates:
            continue
        a = shingles(texts[doc_a])
        for doc_b in candidates:
            relation = check_pair(doc_a, a, doc_b, shingles(texts[doc_b]))
            if relation is not None:
                relations.append(relation)
    return relations


def check_pair(doc_a: str, a: set[str], doc_b: str, b: set[str]) -> Relation | None:
    """The exact test of a candidate pair (doc_a < doc_b) from their shingle sets: Jaccard for copies,
    containment for quoted passages."""
    shared = len(a & b)
    jaccard = shared / len(a | b)
    containment = shared / min(len(a), len(b))
    if jaccard >= COPY_JACCARD:
        return Relation(doc_a, doc_b, round(jaccard, 4), round(containment, 4), "copy")
    if containment >= REUSE_CONTAINMENT:
        return Relation(doc_a, doc_b, round(jaccard, 4), round(containment, 4), "reuse")
    return None


def source_clusters(doc_ids: list[str], relations: list[Relation]) -> dict[str, str]:
    """Each document's source cluster, named by its smallest doc id (union-find)."""
    clusters = UnionFind(doc_ids)
    for rel in relations:
        if rel.doc_a in clusters.parent and rel.doc_b in clusters.parent:
            clusters.join(rel.doc_a, rel.doc_b)
    return clusters.groups()