"""The reconstruction of the articles. That the raw page is unchanged and every character of it
is accounted for is checked by `finnews validate` (rules raw-sha256, coverage-gap, coverage-overlap;
tests/test_validate.py runs it on the repository and on a failing fixture per rule)."""

import json

from finnews.data.corpus import article_text, blocks, load_articles
from finnews.data.jsonl import read_jsonl
from finnews.data.paths import corpus_dir


def load_furniture() -> list[dict]:
    return read_jsonl(corpus_dir() / "furniture.jsonl")


def test_source_metadata_states_publisher_date_basis_and_rights():
    info = json.loads((corpus_dir() / "raw" / "SOURCE.json").read_text(encoding="utf-8"))
    assert "证券日报" in info["publisher"]
    assert info["date_inferred"] is True and "12月30日" in info["date_basis"]
    assert info["rights"]


def test_article_text_joins_continuations_without_separator():
    feature = next(a for a in load_articles() if a["id"] == "cq-hardtech")
    text = article_text(feature)
    assert "上市的“首选地”。目前" in text
    assert "“33618”现代制造业集群体系" in text
    assert "\n\n" not in text


def test_blocks_carry_piece_roles_and_continuations_extend_their_paragraph():
    feature = next(a for a in load_articles() if a["id"] == "cq-hardtech")
    text = article_text(feature)
    roles = [b.role for b in blocks(feature)]
    assert roles[:7] == ["title"] + ["caption"] * 5 + ["byline"]
    assert roles.count("heading") == 3 and "continuation" not in roles
    assert all(text[b.start : b.end] == line for b, line in zip(blocks(feature), text.split("\n")))


def test_reconstruction_decisions():
    articles = {a["id"]: a for a in load_articles()}
    assert [a["id"] for a in articles.values()] == ["cq-hardtech", "hardtech-commentary", "hk-buybacks", "ai-compute"]
    assert articles["ai-compute"]["truncated"] and article_text(articles["ai-compute"]).endswith("科技巨头的投")
    assert not any(a["truncated"] for k, a in articles.items() if k != "ai-compute")
    assert article_text(articles["hk-buybacks"]).splitlines()[-1].startswith("中信证券研报表示,2025年港股市场")
    assert articles["hardtech-commentary"]["group"] == articles["cq-hardtech"]["group"]
    assert [f["text"] for f in load_furniture()] == ["“硬科技”企业如何实现长跑?"]
