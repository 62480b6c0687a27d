"""`finnews stats`: counts per layer, label, split and review status, on the hand-made mini corpus
(whose counts are written out here by hand) and as invariants on the real data."""

import argparse
import json
import shutil
from pathlib import Path

import pytest

from finnews.browse.stats import format_json, format_table, stats, stats_of
from finnews.cli import main
from finnews.commands import stats as stats_command
from finnews.data.gold import load_gold
from finnews.data.jsonl import read_jsonl, write_jsonl
from finnews.data.paths import data_root
from finnews.data.schema import closed_set
from finnews.errors import DataError

MINI = Path(__file__).parent / "fixtures" / "mini"


def copy_mini(tmp_path: Path) -> Path:
    root = tmp_path / "root"
    shutil.copytree(MINI, root)
    return root


def test_mini_counts_by_hand():
    result = stats(MINI)
    # 腾讯回购创新高 / 本报记者 王五 / 腾讯控股年内回购2634.41亿港元。机构认为港股有望上行。 with two line breaks
    assert (result["articles"], result["sentences"], result["characters"]) == (1, 4, 7 + 1 + 7 + 1 + 30)
    assert result["by_split"]["test"] == {"articles": 1, "sentences": 4, "characters": 46}
    assert result["by_split"]["train"] == {"articles": 0, "sentences": 0, "characters": 0}
    layers = result["layers"]
    assert list(layers) == ["sentences", "entities", "numeric_facts", "stance", "stance_labels"]
    assert {name: v["total"] for name, v in layers.items()} == {
        "sentences": 4,
        "entities": 3,
        "numeric_facts": 1,
        "stance": 1,
        "stance_labels": 4,
    }
    entities = layers["entities"]
    assert entities["by_split"] == {"train": 0, "validation": 0, "test": 3}
    assert entities["by_status"] == {"draft": 0, "checked": 3, "disputed": 0}
    assert {k: v for k, v in entities["by_type"].items() if v} == {"COMPANY": 2, "MARKET": 1}
    assert entities["by_split_type"]["test"]["COMPANY"] == 2 and entities["by_split_type"]["train"]["COMPANY"] == 0
    assert layers["sentences"]["by_type"] == {"title": 1, "byline": 1, "caption": 0, "heading": 0, "sentence": 2}
    numeric = layers["numeric_facts"]
    assert numeric["type_field"] == "kind" and numeric["by_type"]["money"] == 1
    assert numeric["fields"]["unit"]["HKD"] == 1 and sum(numeric["fields"]["unit"].values()) == 1
    assert numeric["fields"]["approx"]["exact"] == 1 and numeric["fields"]["change"] == {"none": 1}
    assert layers["stance"]["by_type"] == {"negative": 0, "neutral": 0, "positive": 1}
    assert layers["stance"]["fields"]["holder"] == {"in_sentence": 1, "outside_sentence": 0, "author": 0}
    assert layers["stance_labels"]["by_type"] == {"negative": 0, "neutral": 3, "positive": 1}
    assert all(v["source_issues"] == 0 for v in layers.values())


def test_closed_sets_in_schema_order_with_zeros():
    layers = stats(MINI)["layers"]
    assert list(layers["entities"]["by_type"]) == closed_set("entity_type")
    assert list(layers["numeric_facts"]["fields"]["unit"]) == closed_set("unit")
    assert list(layers["entities"]["by_split"]) == closed_set("split")


def test_status_issue_and_values_outside_the_closed_set_are_counted(tmp_path):
    root = copy_mini(tmp_path)
    path = root / "annotations" / "entities.jsonl"
    records = read_jsonl(path)
    records[0]["review"]["status"] = "draft"
    records[1]["source_issue"] = "test note"
    records[2]["type"] = "NOT_A_TYPE"
    write_jsonl(path, records)
    with pytest.raises(DataError, match="NOT_A_TYPE"):  # the command counts only data that validates
        stats(root)
    entities = stats_of(load_gold(root))["layers"]["entities"]  # the library counts what it is given
    assert entities["by_status"] == {"draft": 1, "checked": 2, "disputed": 0}
    assert entities["source_issues"] == 1
    assert entities["by_type"]["COMPANY"] == 2 and entities["by_type"]["MARKET"] == 0
    assert list(entities["by_type"])[-1] == "NOT_A_TYPE" and entities["by_type"]["NOT_A_TYPE"] == 1


def test_missing_data_root_is_a_clear_error(tmp_path, monkeypatch, capsys):
    with pytest.raises(DataError, match="file-missing"):
        stats(tmp_path / "nowhere")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("FINNEWS_ROOT", raising=False)
    assert main(["stats"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("finnews stats: error: no FinNews-ZH data root at or above") and err.count("\n") == 1


def test_json_is_deterministic_and_round_trips():
    first, second = format_json(stats(MINI)), format_json(stats(MINI))
    assert first == second
    assert json.loads(first) == stats(MINI)


def test_table_lists_every_layer_and_label():
    text = format_table(stats(MINI))
    lines = text.splitlines()
    assert lines[0] == "articles 1, sentences 4, characters 46"
    row = next(line for line in lines if line.startswith("entities "))
    assert row.split() == ["entities", "3", "0", "0", "3", "0", "3", "0", "0"]
    assert any(line.split() == ["COMPANY", "2", "0", "0", "2"] for line in lines)
    assert any(line.split() == ["positive", "1", "0", "0", "1"] for line in lines)


def run_command(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    stats_command.add_arguments(parser)
    return stats_command.run(parser.parse_args(argv))


def test_command_prints_json_and_table(monkeypatch, capsys):
    monkeypatch.setenv("FINNEWS_ROOT", str(MINI))
    assert run_command(["--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["layers"]["entities"]["total"] == 3
    assert run_command([]) == 0
    assert capsys.readouterr().out.startswith("articles 1, sentences 4, characters 46\n")


def test_real_data_counts_add_up():
    result = stats()
    assert result["articles"] == sum(v["articles"] for v in result["by_split"].values())
    assert (
        result["sentences"] == sum(v["sentences"] for v in result["by_split"].values()) == result["layers"]["sentences"]["total"]
    )
    assert result["characters"] == sum(v["characters"] for v in result["by_split"].values())
    for name, layer in result["layers"].items():
        total = layer["total"]
        assert total == len(read_jsonl(data_root() / "annotations" / f"{name}.jsonl")), name
        assert sum(layer["by_split"].values()) == sum(layer["by_status"].values()) == sum(layer["by_type"].values()) == total, (
            name
        )
        assert all(sum(counts.values()) == total for counts in layer["fields"].values()), name
        for split, counts in layer["by_split_type"].items():
            assert sum(counts.values()) == layer["by_split"][split], (name, split)
