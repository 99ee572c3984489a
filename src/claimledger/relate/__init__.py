"""The relate stage: which documents copy each other, so copies count as one source.

MinHash signatures of word shingles go into an LSH index (datasketch); every
candidate pair it proposes is checked with the exact Jaccard similarity and
containment of the shingle sets; copies are joined into clusters with
union-find. A finding's independent sources are its distinct clusters.
"""
from __future__ import annotations

import re
from collections.abc import Mapping

from datasketch import MinHash, MinHashLSH

from claimledger.records import Relation

SHINGLE_WORDS = 5
NUM_PERM = 128
LSH_THRESHOLD = 0.3  # candidates: generous, the exact check below decides
COPY_JACCARD = 0.5
REUSE_CONTAINMENT = 0.6
MIN_SHINGLES = 10  # shorter texts are too short to call copies


def shingles(text: str, k: int = SHINGLE_WORDS) -> set[str]:
    words = re.findall(r"\w+", text.lower())
    return {" ".join(words[i:i + k]) for i in range(max(0, len(words) - k + 1))}


def signature(shingle_set: set[str]) -> MinHash:
    mh = MinHash(num_perm=NUM_PERM, seed=1)
    mh.update_batch(s.encode("utf-8") for s in shingle_set)
    return mh


def find_relations(texts: Mapping[str, str]) -> list[Relation]:
    """Pairs of documents that are copies of each other or share long passages."""
    sets = {doc_id: shingles(text) for doc_id, text in texts.items()}
    sets = {d: s for d, s in sets.items() if len(s) >= MIN_SHINGLES}
    lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
    signatures = {}
    for doc_id in sorted(sets):
        signatures[doc_id] = signature(sets[doc_id])
        lsh.insert(doc_id, signatures[doc_id])
    relations = []
    for doc_a in sorted(sets):
        for doc_b in sorted(lsh.query(signatures[doc_a])):
            if doc_b <= doc_a:
                continue
            a, b = sets[doc_a], sets[doc_b]
            shared = len(a & b)
            jaccard = shared / len(a | b)
            containment = shared / min(len(a), len(b))
            if jaccard >= COPY_JACCARD:
                relations.append(Relation(doc_a, doc_b, round(jaccard, 4), round(containment, 4), "copy"))
            elif containment >= REUSE_CONTAINMENT:
                relations.append(Relation(doc_a, doc_b, round(jaccard, 4), round(containment, 4), "reuse"))
    return relations


def source_clusters(doc_ids: list[str], relations: list[Relation]) -> dict[str, str]:
    """Each document's source cluster, named by its smallest doc id (union-find)."""
    parent = {d: d for d in doc_ids}

    def root(d: str) -> str:
        while parent[d] != d:
            parent[d] = parent[parent[d]]
            d = parent[d]
        return d

    for rel in relations:
        if rel.doc_a in parent and rel.doc_b in parent:
            ra, rb = root(rel.doc_a), root(rel.doc_b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    return {d: root(d) for d in doc_ids}
