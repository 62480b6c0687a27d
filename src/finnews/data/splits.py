"""Split assignment by article group, frozen across versions.

An article keeps the split recorded in corpus/splits.json forever. A new article joins the split
of its group (an article and its sidebars form a group); a new group gets a split from the sha256
of its group id, so the assignment does not depend on order or on what else is in the corpus."""

from __future__ import annotations

import hashlib

# share of new groups per split, in order; the first split whose cumulative share exceeds the
# group's hash point is chosen
NEW_GROUP_SHARES = (("train", 0.8), ("validation", 0.1), ("test", 0.1))


def hash_split(group: str) -> str:
    point = int.from_bytes(hashlib.sha256(group.encode("utf-8")).digest()[:8], "big") / 2**64
    cumulative = 0.0
    for split, share in NEW_GROUP_SHARES:
        cumulative += share
        if point < cumulative:
            return split
    return NEW_GROUP_SHARES[-1][0]


def assign_splits(articles: list[dict], frozen: dict[str, str]) -> dict[str, str]:
    """Article id -> split: frozen ones unchanged, new ones by group, then by hash of the group."""
    assigned = dict(frozen)
    group_split = {a["group"]: frozen[a["id"]] for a in articles if a["id"] in frozen}
    for article in articles:
        if article["id"] not in assigned:
            split = group_split.setdefault(article["group"], hash_split(article["group"]))
            assigned[article["id"]] = split
    return {a["id"]: assigned[a["id"]] for a in articles}
