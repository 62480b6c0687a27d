"""The raw page is unchanged and every character of it is accounted for."""
import hashlib
import json

from finnews.data.corpus import article_text, blocks, load_articles, load_furniture, raw_bytes, raw_text, source_info
from finnews.data.paths import corpus_dir


def test_raw_page_matches_recorded_sha256():
    recorded = json.loads((corpus_dir() / "raw" / "SOURCE.json").read_text(encoding="utf-8"))["sha256"]
    assert hashlib.sha256(raw_bytes()).hexdigest() == recorded


def test_source_metadata_states_publisher_date_basis_and_rights():
    info = source_info()
    assert "证券日报" in info["publisher"]
    assert info["date_inferred"] is True and "12月30日" in info["date_basis"]
    assert info["rights"]


def test_every_non_blank_character_belongs_to_exactly_one_piece_or_furniture():
    raw = raw_text()
    owners = [[] for _ in raw]
    ranges = [(a["id"], p["start"], p["end"], p["text"]) for a in load_articles() for p in a["pieces"]]
    ranges += [("furniture", f["start"], f["end"], f["text"]) for f in load_furniture()]
    for owner, start, end, text in ranges:
        assert raw[start:end] == text, (owner, start)
        for i in range(start, end):
            owners[i].append(owner)
    uncovered = [i for i, c in enumerate(raw) if not c.isspace() and not owners[i]]
    doubled = [i for i in range(len(raw)) if len(owners[i]) > 1]
    assert uncovered == [] and doubled == []


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
    assert all(text[b.start:b.end] == line for b, line in zip(blocks(feature), text.split("\n")))


def test_reconstruction_decisions():
    articles = {a["id"]: a for a in load_articles()}
    assert [a["id"] for a in articles.values()] == ["cq-hardtech", "hardtech-commentary", "hk-buybacks", "ai-compute"]
    assert articles["ai-compute"]["truncated"] and article_text(articles["ai-compute"]).endswith("科技巨头的投")
    assert not any(a["truncated"] for k, a in articles.items() if k != "ai-compute")
    assert article_text(articles["hk-buybacks"]).splitlines()[-1].startswith("中信证券研报表示,2025年港股市场")
    assert articles["hardtech-commentary"]["group"] == articles["cq-hardtech"]["group"]
    assert [f["text"] for f in load_furniture()] == ["“硬科技”企业如何实现长跑?"]
