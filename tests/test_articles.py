"""`finnews articles`: the reconstructed articles as text and JSONL, one article, and bad input."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from finnews.cli import main
from finnews.data.corpus import article_text, load_articles

MINI = Path(__file__).parent / "fixtures" / "mini"


def test_text_and_jsonl_hold_every_article_with_its_text(capsys):
    assert main(["articles"]) == 0
    text = capsys.readouterr().out
    articles = load_articles()
    for a in articles:
        assert f"=== {a['id']} ({a['kind']}, {a['date']})" in text and article_text(a) in text
    assert "=== ai-compute (news, 2024-12-31) [truncated]" in text
    assert main(["articles", "--format", "jsonl"]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["id"] for r in records] == [a["id"] for a in articles]
    assert all(r["text"] == article_text(a) for r, a in zip(records, articles))


def test_one_article_and_an_unknown_one(capsys):
    assert main(["articles", "--article", "hk-buybacks", "--format", "jsonl"]) == 0
    assert [json.loads(line)["id"] for line in capsys.readouterr().out.splitlines()] == ["hk-buybacks"]
    assert main(["articles", "--article", "nope"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err == (
        "finnews articles: error: no article nope (articles: cq-hardtech, hardtech-commentary, hk-buybacks, ai-compute)\n"
    )


def test_a_broken_corpus_is_reported_not_raised(tmp_path, capsys):
    root = tmp_path / "root"
    shutil.copytree(MINI, root)
    path = root / "corpus" / "articles.jsonl"
    path.write_text(path.read_text(encoding="utf-8").replace('"join": "none"', '"join": "nowhere"', 1), encoding="utf-8")
    assert main(["--root", str(root), "articles"]) == 1
    out, err = capsys.readouterr()
    assert out == "" and "corpus/articles.jsonl:1: schema: /pieces/0/join" in err and "nothing was done" in err
