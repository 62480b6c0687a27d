"""The release: loads with `datasets`, keeps its features, is deterministic, atomic and leak-free."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import datasets
import pyarrow as pa
import pytest

from finnews.cli import main
from finnews.data.gold import load_gold
from finnews.data.paths import data_root
from finnews.errors import DataError, UsageError
from finnews.release import CONFIGS
from finnews.release.build import build, file_hashes
from finnews.release.features import features
from finnews.release.rows import SPLITS


@pytest.fixture(scope="module")
def release(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist") / "finnews-zh-9.9.9"
    build(out=out, version="9.9.9")
    return out


def test_every_config_and_split_loads_with_declared_features_and_gold_counts(release):
    gold = load_gold(checked_only=True)
    for config in CONFIGS:
        ds = datasets.load_dataset(str(release), config)
        assert set(ds) == set(SPLITS)
        for split in SPLITS:
            assert ds[split].features == features(config)
            expected = (
                [a for a in gold.articles if gold.splits[a["id"]] == split]
                if config == "articles"
                else gold.split_sentences(split)
            )
            assert ds[split].num_rows == len(expected) > 0
            assert ds[split]["id"] == [r["id"] for r in expected]


def test_label_names_survive_loading(release):
    ds = datasets.load_dataset(str(release), "sentences", split="train")
    gold = load_gold(checked_only=True)
    by_id = {s["id"]: s for s in gold.sentences}
    label_of = {(r["article"], r["start"]): r["label"] for r in gold.layers["stance_labels"]}
    names = ds.features["stance_label"].names
    for row in ds:
        sentence = by_id[row["id"]]
        assert names[row["stance_label"]] == label_of[(sentence["article"], sentence["start"])]
        for e in row["entities"]:
            assert row["text"][e["start"] : e["end"]] == e["text"]
            assert ds.features["entities"].feature["type"].names[e["type"]] in {
                "PER",
                "COMPANY",
                "ORG",
                "GPE",
                "LOC",
                "PRODUCT",
                "DOC",
                "MARKET",
            }


def test_ner_bio_tags_rebuild_the_entity_spans(release):
    ds = datasets.load_dataset(str(release), "ner", split="test")
    tag_names = ds.features["ner_tags"].feature.names
    type_names = ds.features["entities"].feature["type"].names
    for row in ds:
        tags = [tag_names[t] for t in row["ner_tags"]]
        assert len(tags) == len(row["chars"]) == len(row["text"])
        spans, start = [], None
        for i, tag in enumerate(tags + ["O"]):
            if start is not None and not tag.startswith("I-"):
                spans.append((start, i, tags[start][2:]))
                start = None
            if tag.startswith("B-"):
                start = i
        assert spans == [(e["start"], e["end"], type_names[e["type"]]) for e in row["entities"]]


def test_streaming_works(release):
    stream = datasets.load_dataset(str(release), "stance", split="validation", streaming=True)
    first = next(iter(stream))
    assert first["id"].startswith("ai-compute-s")


def test_every_file_is_an_arrow_ipc_file_that_pyarrow_and_polars_read_directly(release):
    import polars as pl
    from pyarrow import feather

    for config in CONFIGS:
        for split in SPLITS:
            path = release / "data" / config / f"{split}.arrow"
            with pa.memory_map(str(path)) as source:
                table = pa.ipc.open_file(source).read_all()  # random access: the file format, not a stream
            meta = json.loads(table.schema.metadata[b"huggingface"])
            assert datasets.Features.from_dict(meta["info"]["features"]) == features(config)
            assert feather.read_table(str(path)).num_rows == table.num_rows
            assert pl.read_ipc(path).height == table.num_rows == pl.scan_ipc(path).select(pl.len()).collect().item()
            assert pl.read_ipc(path)["id"].to_list() == table.column("id").to_pylist()


def test_loading_any_config_logs_no_warning(release):
    """The card's dataset_info is complete: `datasets` ignores nothing of it, for any config."""
    import logging

    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    logger = logging.getLogger("datasets")
    handler = Keep(level=logging.WARNING)
    logger.addHandler(handler)
    try:
        for config in CONFIGS:
            datasets.load_dataset(str(release), config)
            datasets.load_dataset(str(release), config, split="test", streaming=True)
    finally:
        logger.removeHandler(handler)
    assert [r.getMessage() for r in records if r.levelno >= logging.WARNING] == []


def test_every_relative_link_of_the_shipped_documents_resolves_inside_the_release(release):
    """The card links to the guidelines, schemas, errata, ...: they ship with the release, so the links
    work in the folder and on the Hub. Links of the shipped documents themselves are followed too."""
    import re

    documents = sorted(release.rglob("*.md"))
    assert release / "README.md" in documents and release / "annotations" / "GUIDELINES.md" in documents
    checked = 0
    for document in documents:
        for target in re.findall(r"\]\(([^)\s]+)\)", document.read_text(encoding="utf-8")):
            if re.match(r"^[a-z]+:|^#", target):
                continue  # a web address or an anchor in the same page
            path = (document.parent / target.split("#")[0]).resolve()
            assert path.is_relative_to(release.resolve()) and path.exists(), f"{document.name}: {target}"
            checked += 1
    assert checked >= 10
    card = (release / "README.md").read_text(encoding="utf-8")
    assert "(results.json)" in card and "source commit" in card


def test_manifest_lists_every_file_with_its_sha256(release):
    manifest = json.loads((release / "MANIFEST.json").read_text(encoding="utf-8"))
    listed = {f["path"]: f["sha256"] for f in manifest["files"]}
    on_disk = {k: v for k, v in file_hashes(release).items() if k != "MANIFEST.json"}
    assert listed == on_disk
    assert manifest["version"] == "9.9.9" and manifest["counts"]["sentences"]["test"] > 0


def test_card_declares_configs_features_and_metadata(release):
    card = (release / "README.md").read_text(encoding="utf-8")
    front = card.split("---\n")[1]
    import yaml

    meta = yaml.safe_load(front)
    assert [c["config_name"] for c in meta["configs"]] == list(CONFIGS)
    assert meta["version"] == "9.9.9" and meta["language"] == ["zh"]
    for key in ("license", "pretty_name", "task_categories", "annotations_creators", "source_datasets", "size_categories"):
        assert meta[key]
    assert "<!-- statistics:start -->" in card


@pytest.mark.parametrize("seed", ["0", "4242"])
def test_two_builds_in_other_processes_are_byte_identical(release, tmp_path, seed):
    """Built again in a new interpreter with another hash seed: output that depends on set or dict
    order of strings would differ."""
    again = tmp_path / "finnews-zh-9.9.9"
    code = f"from finnews.release.build import build; build(out={str(again)!r}, version='9.9.9')"
    subprocess.run([sys.executable, "-c", code], check=True, env={**os.environ, "PYTHONHASHSEED": seed})
    assert file_hashes(again) == file_hashes(release)


def test_rebuilding_identical_release_is_reported_unchanged(release):
    assert build(out=release, version="9.9.9").unchanged


def test_existing_release_with_other_contents_is_never_overwritten(release, tmp_path):
    copy = tmp_path / "finnews-zh-9.9.9"
    shutil.copytree(release, copy)
    (copy / "README.md").write_text("edited by hand\n", encoding="utf-8")
    with pytest.raises(UsageError, match="bump the version"):
        build(out=copy, version="9.9.9")
    assert (copy / "README.md").read_text(encoding="utf-8") == "edited by hand\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["finnews-zh-9.9.9"]  # no temporary folder left


def test_invalid_data_builds_nothing(tmp_path):
    root = tmp_path / "root"
    shutil.copytree(data_root() / "corpus", root / "corpus")
    shutil.copytree(data_root() / "annotations", root / "annotations")
    shutil.copy(data_root() / "datasheet.md", root / "datasheet.md")
    entities = root / "annotations" / "entities.jsonl"
    entities.write_text(entities.read_text(encoding="utf-8").replace('"type": "GPE"', '"type": "CITY"', 1), encoding="utf-8")
    with pytest.raises(DataError, match="schema"):
        build(out=tmp_path / "dist" / "finnews-zh-9.9.9", root=root, version="9.9.9")
    assert not (tmp_path / "dist").exists() or list((tmp_path / "dist").iterdir()) == []


def copy_of_the_data(tmp_path: Path, drafts: tuple[str, ...] = ()) -> Path:
    """The corpus and annotations (no results/baselines.json) in a new root, the records with the
    given ids set to draft."""
    root = tmp_path / "root"
    shutil.copytree(data_root() / "corpus", root / "corpus")
    shutil.copytree(data_root() / "annotations", root / "annotations")
    shutil.copy(data_root() / "datasheet.md", root / "datasheet.md")
    for path in (root / "annotations").glob("*.jsonl"):
        lines = []
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            if record["id"] in drafts:
                record["review"] = {**record["review"], "status": "draft", "checked_by": None, "checked_at": None}
                line = json.dumps(record, ensure_ascii=False)
            lines.append(line)
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


def test_a_checked_record_in_a_draft_sentence_builds_nothing(tmp_path):
    """The release leaves out draft sentences: their checked records would land in the sentence before."""
    root = copy_of_the_data(tmp_path, drafts=("cq-hardtech-s024",))
    with pytest.raises(DataError, match="review-unit-unchecked") as error:
        build(out=tmp_path / "dist" / "finnews-zh-9.9.9", root=root, version="9.9.9")
    assert {i.message.split()[0] for i in error.value.incidents} == {"cq-hardtech-n012", "cq-hardtech-l024"}
    assert not (tmp_path / "dist").exists() or list((tmp_path / "dist").iterdir()) == []


def test_a_draft_sentence_is_left_out_with_its_records(tmp_path):
    root = copy_of_the_data(tmp_path, drafts=("cq-hardtech-s024", "cq-hardtech-n012", "cq-hardtech-l024"))
    with pytest.raises(UsageError, match="--strict"):
        build(out=tmp_path / "strict", root=root, version="9.9.9", strict=True)
    result = build(out=tmp_path / "out", root=root, version="9.9.9")
    assert {k: v for k, v in result.excluded.items() if v} == {"sentences": 1, "numeric_facts": 1, "stance_labels": 1}
    rows = {r["id"]: r for split in SPLITS for r in datasets.load_dataset(str(result.path), "sentences", split=split)}
    assert "cq-hardtech-s024" not in rows
    assert "cq-hardtech-n012" not in {f["id"] for r in rows.values() for f in r["numeric_facts"]}
    assert rows["cq-hardtech-s023"]["numeric_facts"] == []


def test_a_record_outside_every_sentence_of_the_gold_is_a_data_error(tmp_path):
    """Gold.sentence_of never places a record in a sentence that does not hold it."""
    gold = load_gold(copy_of_the_data(tmp_path, drafts=("cq-hardtech-s024",)), checked_only=True)
    fact = next(r for r in gold.layers["numeric_facts"] if r["id"] == "cq-hardtech-n012")
    with pytest.raises(DataError, match="cq-hardtech-n012 \\[921, 928\\) of cq-hardtech lies in no sentence"):
        gold.sentence_of(fact)


def test_a_split_that_would_be_empty_is_a_data_error_and_builds_nothing(tmp_path, capsys):
    mini = Path(__file__).parent / "fixtures" / "mini"  # every article is in test
    assert main(["--root", str(mini), "build", "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "corpus/splits.json:0: split-empty: split train holds no article: articles would have an empty train split" in err
    assert "corpus/splits.json:0: split-empty: split validation holds no checked sentence: sentences, ner," in err
    assert list(tmp_path.iterdir()) == []


def test_splits_are_by_article_and_groups_never_straddle_splits(release):
    gold = load_gold()
    seen: dict[str, str] = {}
    for split in SPLITS:
        ds = datasets.load_dataset(str(release), "sentences", split=split)
        for article in set(ds["article"]):
            assert seen.setdefault(article, split) == split
    groups: dict[str, set] = {}
    for a in gold.articles:
        groups.setdefault(a["group"], set()).add(seen[a["id"]])
    assert all(len(s) == 1 for s in groups.values())


def test_a_build_that_fails_while_writing_leaves_nothing_behind(tmp_path, monkeypatch):
    import finnews.release.build as release_module

    calls = []
    original = release_module.write_arrow

    def failing_write(table, path):
        calls.append(path)
        if len(calls) == 3:
            raise OSError("disk full")
        original(table, path)

    monkeypatch.setattr(release_module, "write_arrow", failing_write)
    with pytest.raises(UsageError, match="cannot write .*: disk full"):
        build(out=tmp_path / "finnews-zh-9.9.9", version="9.9.9")
    assert list(tmp_path.iterdir()) == []
