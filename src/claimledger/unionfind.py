"""Union-find over string keys: the groups of copies (relate) and of reports of one incident (link).

A base module like `records`: it imports nothing of the package. Each group is
named by its smallest key, so the names are the same at every run.
"""
from __future__ import annotations

from collections.abc import Iterable


class UnionFind:
    def __init__(self, keys: Iterable[str]):
        self.parent = {k: k for k in keys}

    def root(self, key: str) -> str:
        parent = self.parent
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    def join(self, a: str, b: str) -> None:
        ra, rb = self.root(a), self.root(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)

    def groups(self) -> dict[str, str]:
        """Each key's group, named by the group's smallest key."""
        return {k: self.root(k) for k in self.parent}
