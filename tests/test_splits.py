"""Frozen splits: an assigned article never moves; new articles follow their group or a stable hash."""

import hashlib
import json

from finnews.data.corpus import load_articles
from finnews.data.paths import corpus_dir
from finnews.data.splits import assign_splits, hash_split

FIRST_RELEASE = {"cq-hardtech": "train", "hardtech-commentary": "train", "ai-compute": "validation", "hk-buybacks": "test"}


def test_committed_assignment_keeps_every_article_of_the_first_release():
    committed = json.loads((corpus_dir() / "splits.json").read_text(encoding="utf-8"))["articles"]
    assert {k: committed[k] for k in FIRST_RELEASE} == FIRST_RELEASE
    assert set(committed) == {a["id"] for a in load_articles()}


def test_adding_articles_never_moves_an_assigned_one():
    articles = [{"id": k, "group": k if k != "hardtech-commentary" else "cq-hardtech"} for k in FIRST_RELEASE]
    grown = (
        articles + [{"id": f"new-{i}", "group": f"new-{i}"} for i in range(50)] + [{"id": "cq-sidebar", "group": "cq-hardtech"}]
    )
    assigned = assign_splits(grown, FIRST_RELEASE)
    assert {k: assigned[k] for k in FIRST_RELEASE} == FIRST_RELEASE
    assert assigned["cq-sidebar"] == "train"  # joins its group's split


def test_new_groups_get_a_split_from_the_sha256_of_their_id():
    def expected(group: str) -> str:
        point = int(hashlib.sha256(group.encode()).hexdigest()[:16], 16) / 2**64
        return "train" if point < 0.8 else "validation" if point < 0.9 else "test"

    groups = [f"g{i}" for i in range(200)]
    assert [hash_split(g) for g in groups] == [expected(g) for g in groups]
    assert {hash_split(g) for g in groups} == {"train", "validation", "test"}
    reordered = assign_splits([{"id": g, "group": g} for g in reversed(groups)], {})
    assert all(reordered[g] == expected(g) for g in groups)
