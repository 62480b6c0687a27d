"""finnews.scale.pipeline on hand-made inputs (tests/fixtures/pipeline): outputs, bad records, workers, formats."""

import argparse
import importlib.util
import json
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from finnews.cli import main
from finnews.commands import pipeline as command
from finnews.data.schema import validator
from finnews.errors import DataError, UsageError
from finnews.interop.labelstudio import record_results
from finnews.interop.layers import Unit, layer_spec
from finnews.scale import pipeline
from finnews.scale.pipeline import DRAFT_SCHEMA, DRAFTS, BadRecordError, iter_articles, run_pipeline
from finnews.scale.preannotate import SCHEMA, TOOL, annotate_batch

FIXTURES = Path(__file__).parent / "fixtures" / "pipeline"
GOOD = FIXTURES / "articles.jsonl"
BAD = FIXTURES / "bad_records.jsonl"
MINI = Path(__file__).parent / "fixtures" / "mini"
SCRIPTS = Path(__file__).parents[1] / "scripts"

# the bad records of bad_records.jsonl by line (see tests/fixtures/pipeline/README.md)
BAD_LINES = {
    2: "missing-id",
    3: "missing-id",
    4: "missing-id",
    5: "empty-text",
    6: "empty-text",
    7: "empty-text",
    8: "encoding-utf8",
    9: "encoding-utf8",
    10: "duplicate-id",
    11: "json-syntax",
    12: "json-syntax",
}


def read_shards(folder: Path) -> pa.Table:
    tables = [pa.ipc.open_stream(p.read_bytes()).read_all() for p in sorted(folder.glob("sentences-*.arrow"))]
    return pa.concat_tables(tables)


def drafts(folder: Path) -> list[dict]:
    """The drafts of a run as gold-shaped records."""
    return pipeline.draft_records(pipeline.read_drafts(folder))


def folder_bytes(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_outputs_of_good_articles(tmp_path):
    out = tmp_path / "run"
    summary = run_pipeline(GOOD, out)
    assert sorted(p.name for p in out.iterdir()) == [
        "bad_records.txt",
        "numeric_facts.draft.parquet",
        "sentences-00000.arrow",
        "summary.json",
    ]
    assert (summary.records, summary.articles, summary.sentences, summary.facts, summary.shards) == (4, 4, 7, 6, 1)
    assert summary.bad == dict.fromkeys(pipeline.RULES, 0)
    assert (out / "bad_records.txt").read_text() == ""

    table = read_shards(out)
    assert table.schema == SCHEMA
    assert table.column("article").to_pylist() == ["fin-001"] * 2 + ["fin-002"] + ["fin-003"] * 2 + ["fin-004"] * 2
    assert table.column("text").to_pylist()[:2] == ["公司营收增长12%。", "净利润约3亿元,同比增长两成。"]
    assert table.column("idx").to_pylist() == [0, 1, 0, 0, 1, 0, 1]
    assert table.column("start").to_pylist()[3:5] == [0, 17]  # after the line break of fin-003

    table = pq.read_table(out / DRAFTS)
    assert table.schema == DRAFT_SCHEMA and table.schema.metadata[b"finnews.review.status"] == b"draft"
    assert table.schema.metadata[b"finnews.review.annotator"] == TOOL.encode()
    records = drafts(out)
    assert [(r["id"], r["text"], r["start"], r["end"]) for r in records] == [
        ("fin-001-n001", "12%", 6, 9),
        ("fin-001-n002", "3亿元", 14, 17),
        ("fin-001-n003", "两成", 22, 24),
        ("fin-002-n001", "12月30日", 0, 6),
        ("fin-002-n002", "20041点", 13, 19),
        ("fin-003-n001", "2600万股", 9, 15),
    ]
    money = records[1]
    assert (money["value"], money["unit"], money["kind"], money["approx"], money["iso"]) == (
        300000000,
        "CNY",
        "money",
        "approx",
        None,
    )
    assert isinstance(records[0]["value"], int)  # whole numbers are written as the gold writes them, 12 not 12.0
    assert (records[2]["value"], records[2]["unit"]) == (20, "percent")  # 两成
    assert records[5]["approx"] == "lower_bound"
    assert records[3]["value"] is None and records[3]["iso"] is None  # no year given
    for r in records:
        assert r["review"] == {"status": "draft", "annotator": TOOL, "checked_by": None, "checked_at": None}
        assert r["measured_property"] is None and r["change"] is None

    saved = json.loads((out / "summary.json").read_text())
    assert saved["articles"] == 4 and saved["facts"] == 6 and saved["tool"] == TOOL
    assert not any("second" in key or "time" in key for key in saved)


def test_drafts_match_the_gold_schema_and_quote_the_article(tmp_path):
    run_pipeline(GOOD, tmp_path / "run")
    texts = {json.loads(line)["id"]: json.loads(line)["text"] for line in GOOD.read_text(encoding="utf-8").splitlines()}
    check = validator("numeric_fact.schema.json")
    for record in drafts(tmp_path / "run"):
        assert list(check.iter_errors(record)) == []
        assert texts[record["article"]][record["start"] : record["end"]] == record["text"]


def test_drafts_export_to_label_studio(tmp_path):
    """Each draft becomes Label Studio results on a task of its sentence (interop.labelstudio), and
    write_label_studio writes the tasks (drafts as predictions) with the layer's labeling config."""
    out = tmp_path / "run"
    run_pipeline(GOOD, out)
    rows = read_shards(out).to_pylist()
    spec = layer_spec("numeric_facts")
    records = drafts(out)
    for record in records:
        row = next(r for r in rows if r["article"] == record["article"] and r["start"] <= record["start"] < r["end"])
        unit = Unit(1, row["article"], f"{row['article']}-s{row['idx']:03d}", row["start"], row["end"], row["text"])
        main = record_results(spec, record, unit)[0]
        assert main["id"] == record["id"] and main["value"]["labels"] == [record["kind"]]
        assert row["text"][main["value"]["start"] : main["value"]["end"]] == record["text"]
    tasks_path, config_path = pipeline.write_label_studio(out, tmp_path / "ls")
    tasks = json.loads(tasks_path.read_text(encoding="utf-8"))
    regions = [r for t in tasks for r in t["predictions"][0]["result"] if r.get("from_name") == "kind"]
    assert sorted(r["id"] for r in regions) == sorted(r["id"] for r in records)
    for task in tasks:
        for region in task["predictions"][0]["result"]:
            if region.get("from_name") == "kind":
                assert task["data"]["text"][region["value"]["start"] : region["value"]["end"]] == region["value"]["text"]
    assert '<Labels name="kind"' in config_path.read_text(encoding="utf-8")


def test_drafts_agree_with_the_shards_and_say_why_a_value_is_empty(tmp_path):
    """The draft rows are the facts of the sentence shards, numbered per article; a value the
    extractor could not give comes with its reason, as the review note of the gold-shaped record."""
    articles = tmp_path / "odd.jsonl"
    articles.write_text(
        "".join(
            json.dumps(r, ensure_ascii=False) + "\n"
            for r in [
                {"id": "a", "text": "2月30日公告。规模1万-5万元。"},
                {
                    "id": "b",
                    "text": "数值1" + "亿" * 50 + "元,另有123456789012345678901234567元。",
                },  # beyond a float64; beyond 2**53
            ]
        ),
        encoding="utf-8",
    )
    run_pipeline(articles, tmp_path / "run", chunk_size=1)
    facts = [f for row in read_shards(tmp_path / "run").to_pylist() for f in row["numeric_facts"]]
    records = drafts(tmp_path / "run")
    assert [(r["text"], r["start"], r["end"]) for r in records] == [(f["text"], f["start"], f["end"]) for f in facts]
    assert [r["id"] for r in records] == ["a-n001", "a-n002", "a-n003", "b-n001", "b-n002"]
    assert records[0]["iso"] is None and "no day 30 in month 2" in records[0]["review"]["note"]
    assert records[3]["value"] is None and "float64" in records[3]["review"]["note"]
    assert records[4]["value"] == float(123456789012345678901234567)  # rounded to a double, not lost
    check = validator("numeric_fact.schema.json")
    assert all(not list(check.iter_errors(r)) for r in records)
    assert pipeline.draft_records(DRAFT_SCHEMA.empty_table()) == []


def test_year_completes_dates(tmp_path):
    run_pipeline(GOOD, tmp_path / "run", year=2024)
    date = next(r for r in drafts(tmp_path / "run") if r["text"] == "12月30日")
    assert date["iso"] == "2024-12-30"
    assert json.loads((tmp_path / "run" / "summary.json").read_text())["year"] == 2024


def test_bad_records_are_reported_counted_and_skipped(tmp_path):
    seen = []
    summary = run_pipeline(BAD, tmp_path / "run", on_incident=seen.append)
    assert [(i.line, i.rule) for i in seen] == sorted(BAD_LINES.items())
    assert all(i.path == str(BAD) for i in seen)
    assert summary.records == 13 and summary.articles == 2  # the blank line 13 is no record
    assert summary.bad == {
        "missing-id": 3,
        "empty-text": 3,
        "encoding-utf8": 2,
        "duplicate-id": 1,
        "json-syntax": 2,
        "json-duplicate-key": 0,
    }
    report = (tmp_path / "run" / "bad_records.txt").read_text(encoding="utf-8").splitlines()
    assert report == [str(i) for i in seen]
    assert report[8] == f"{BAD}:10: duplicate-id: id 'ok-001' is already used on line 1"
    surrogate = "a string holds an unpaired surrogate escape (such as \\ud800), which no UTF-8 text can hold"
    assert report[7] == f"{BAD}:9: encoding-utf8: {surrogate}"  # once, by the line parser
    assert read_shards(tmp_path / "run").column("text").to_pylist() == ["市场回暖。", "股价上涨5%。"]
    saved = json.loads((tmp_path / "run" / "summary.json").read_text())
    assert saved["bad_total"] == 11 and saved["bad"]["encoding-utf8"] == 2


def test_on_bad_fail_stops_and_writes_nothing(tmp_path):
    out = tmp_path / "run"
    with pytest.raises(BadRecordError) as caught:
        run_pipeline(BAD, out, on_bad="fail", workers=2, chunk_size=1)
    assert caught.value.incident.line == 2 and caught.value.incident.rule == "missing-id"
    assert f"{BAD}:2: missing-id" in str(caught.value)
    assert list(tmp_path.iterdir()) == []  # no output folder, no temporary folder left


def test_output_is_identical_for_any_number_of_workers(tmp_path):
    one = tmp_path / "one"
    two = tmp_path / "two"
    small = dict(shard_size=3, chunk_size=1)  # several chunks in flight, several shards
    run_pipeline(GOOD, one, workers=1, **small)
    run_pipeline(GOOD, two, workers=2, **small)
    assert folder_bytes(one) == folder_bytes(two)
    assert sorted(p.name for p in one.glob("*.arrow")) == ["sentences-00000.arrow", "sentences-00001.arrow"]
    first = pa.ipc.open_stream((one / "sentences-00000.arrow").read_bytes()).read_all()
    assert sorted(set(first.column("article").to_pylist())) == ["fin-001", "fin-002", "fin-003"]


def test_shards_hold_a_fixed_number_of_articles(tmp_path):
    articles = tmp_path / "many.jsonl"
    articles.write_text(
        "".join(json.dumps({"id": f"a{i}", "text": f"第{i}句。"}, ensure_ascii=False) + "\n" for i in range(1, 8)),
        encoding="utf-8",
    )
    summary = run_pipeline(articles, tmp_path / "run", shard_size=3, chunk_size=2, workers=2)
    assert summary.shards == 3
    per_shard = [
        pa.ipc.open_stream(p.read_bytes()).read_all().column("article").to_pylist()
        for p in sorted((tmp_path / "run").glob("sentences-*.arrow"))
    ]
    assert per_shard == [["a1", "a2", "a3"], ["a4", "a5", "a6"], ["a7"]]


def test_reading_never_runs_far_ahead_of_writing(tmp_path, monkeypatch):
    """Streaming: at most 2 chunks per worker are read but not yet written, whatever the input size."""
    articles = tmp_path / "many.jsonl"
    articles.write_text("".join(json.dumps({"id": f"a{i}", "text": "市场回暖。"}) + "\n" for i in range(40)), encoding="utf-8")
    counts = {"read": 0, "written": 0, "ahead": 0}
    real_iter, real_write = pipeline.iter_articles, pipeline._Output.write

    def counting_iter(path):
        for item in real_iter(path):
            counts["read"] += 1
            counts["ahead"] = max(counts["ahead"], counts["read"] - counts["written"])
            yield item

    def counting_write(self, shard, sentences, draft_rows):
        counts["written"] += len(set(sentences.column("article").to_pylist()))
        return real_write(self, shard, sentences, draft_rows)

    monkeypatch.setattr(pipeline, "iter_articles", counting_iter)
    monkeypatch.setattr(pipeline._Output, "write", counting_write)
    run_pipeline(articles, tmp_path / "run", chunk_size=3)
    assert counts["written"] == 40
    assert counts["ahead"] <= 3 * 3  # 2 chunks in flight (1 worker) + the one being read


def test_parquet_input_gives_the_same_output(tmp_path):
    rows = [json.loads(line) for line in GOOD.read_text(encoding="utf-8").splitlines()]
    path = tmp_path / "articles.parquet"
    pq.write_table(
        pa.table({"id": [r["id"] for r in rows], "text": [r["text"] for r in rows], "date": [r.get("date") for r in rows]}), path
    )
    run_pipeline(path, tmp_path / "pq")
    run_pipeline(GOOD, tmp_path / "jsonl")
    assert folder_bytes(tmp_path / "pq") == folder_bytes(tmp_path / "jsonl")


def test_parquet_bad_rows_are_reported_by_row(tmp_path):
    path = tmp_path / "bad.parquet"
    ids = [b"p1", None, b"p3", b"p1", b"p\xff5", b"p6"]
    texts = ["好。".encode(), "无编号。".encode(), b"\xfe", "重复。".encode(), "坏编号。".encode(), b"\xed\xb2\x80"]
    pq.write_table(pa.table({"id": pa.array(ids, pa.binary()), "text": pa.array(texts, pa.binary())}), path)
    rules = [(i.line, i.rule) for i in iter_articles(path) if not isinstance(i, pipeline.Article)]
    # (row 6: the UTF-8 form of a surrogate, U+DC80, is no UTF-8)
    assert rules == [(2, "missing-id"), (3, "encoding-utf8"), (4, "duplicate-id"), (5, "encoding-utf8"), (6, "encoding-utf8")]


def test_parquet_without_a_text_column_is_refused(tmp_path):
    path = tmp_path / "notext.parquet"
    pq.write_table(pa.table({"id": ["a"], "body": ["正文。"]}), path)
    with pytest.raises(DataError, match="notext.parquet:0: empty-text: the Parquet file has no column 'text'"):
        run_pipeline(path, tmp_path / "run")
    assert not (tmp_path / "run").exists()


def corrupt_parquet(path: Path) -> Path:
    """A Parquet file whose footer is intact and whose (snappy) pages are overwritten."""
    texts = [f"第{i}条：营收增长{i}%。" * 20 for i in range(2000)]
    pq.write_table(pa.table({"id": [f"a{i}" for i in range(2000)], "text": texts}), path, use_dictionary=False)
    data = bytearray(path.read_bytes())
    data[100 : len(data) // 2] = b"A" * (len(data) // 2 - 100)
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize("progress", [False, True])
def test_an_unreadable_parquet_file_is_bad_input_data(tmp_path, capsys, monkeypatch, progress):
    """Not Parquet at all, or corrupt pages: exit 1 with path:0: parquet-unreadable (was a pyarrow
    traceback, or 'cannot write OUT' with exit 2); nothing written. With a progress bar too (it
    counts the rows first, and its line ends before the error is printed)."""
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    not_parquet = tmp_path / "hello.parquet"
    not_parquet.write_text("hello\n")
    for path, reason in ((not_parquet, "Parquet file size is 6 bytes"), (corrupt_parquet(tmp_path / "c.pq"), "")):
        out = tmp_path / "run"
        argv = ["pipeline", str(path), "--out", str(out)] + ([] if progress else ["--quiet"])
        assert main(argv) == 1
        err = capsys.readouterr().err.splitlines()
        problem = f"{path}:0: parquet-unreadable: not a readable Parquet file ({reason}"
        assert [line for line in err if "parquet-unreadable: not" in line and line.startswith(problem)] == [err[-4]]
        assert err[-2:] == ["1 problem found", "nothing written"]
        assert sorted(p.name for p in tmp_path.iterdir()) == ["c.pq", "hello.parquet"]  # no output, no temporary folder


@pytest.mark.parametrize(
    "column",
    [
        pa.array(["营收增长5%。", "营收增长5%。"]).dictionary_encode(),
        pa.array(["营收增长5%。", "营收增长5%。"], pa.large_string()),
        pa.array(["营收增长5%。", "营收增长5%。"], pa.string_view()),
        pa.array(["营收增长5%。".encode(), "营收增长5%。".encode()], pa.binary_view()),
    ],
    ids=lambda column: str(column.type),
)
def test_parquet_string_columns_of_any_string_type_are_read(tmp_path, column):
    """A pandas category (dictionary), large_string and string_view columns are string columns."""
    path = tmp_path / "typed.parquet"
    pq.write_table(pa.table({"id": pa.array(["a", "b"]).dictionary_encode(), "text": column}), path)
    assert pq.ParquetFile(path).schema_arrow.field("text").type == column.type  # the writer kept the type
    articles = list(iter_articles(path))
    assert [(a.id, a.text) for a in articles] == [("a", "营收增长5%。"), ("b", "营收增长5%。")]
    assert run_pipeline(path, tmp_path / "run").facts == 2


def test_parquet_columns_of_other_types_are_refused(tmp_path):
    path = tmp_path / "ints.parquet"
    pq.write_table(pa.table({"id": [1], "text": ["正文。"]}), path)
    with pytest.raises(DataError, match="ints.parquet:0: missing-id: column 'id' is int64, not a string column"):
        run_pipeline(path, tmp_path / "run")


def test_refuses_a_non_empty_output_and_bad_arguments(tmp_path):
    out = tmp_path / "run"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    with pytest.raises(UsageError, match="exists and is not an empty directory"):
        run_pipeline(GOOD, out)
    assert [p.name for p in out.iterdir()] == ["keep.txt"]
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run_pipeline(GOOD, empty).articles == 4  # an empty folder is used
    with pytest.raises(UsageError, match="on_bad"):
        run_pipeline(GOOD, tmp_path / "x", on_bad="ignore")
    with pytest.raises(UsageError, match="workers"):
        run_pipeline(GOOD, tmp_path / "x", workers=0)
    with pytest.raises(UsageError, match="unknown input format"):
        run_pipeline(FIXTURES / "README.md", tmp_path / "x")
    with pytest.raises(UsageError, match="no such input file"):
        run_pipeline(tmp_path / "missing.jsonl", tmp_path / "x")
    with pytest.raises(UsageError, match="is a directory"):
        run_pipeline(tmp_path, tmp_path / "x")
    for year in (0, -5, 99999, 2024.0, True, "2024"):  # day-dates would be dropped or get ISO values the schema refuses
        with pytest.raises(UsageError, match="--year must be a four-digit year"):
            run_pipeline(GOOD, tmp_path / "x", year=year)
    assert not (tmp_path / "x").exists()


@pytest.mark.parametrize("year", [12345, -3, 999, 2024.0, True, "2024"])
def test_annotate_batch_refuses_a_year_that_is_not_four_digits(year):
    """The batch function checks the year itself (Datasets.map, Spark): 12345 gave iso '12345-12-30'."""
    table = pa.table({"id": ["a"], "text": ["公司于12月30日公告。"]})
    with pytest.raises(UsageError, match="year must be a four-digit year"):
        annotate_batch(table, year)
    assert annotate_batch(table, 2024).column("numeric_facts").to_pylist()[0][0]["iso"] == "2024-12-30"


def test_the_current_directory_is_refused_as_output_before_any_work(tmp_path, monkeypatch, capsys):
    """--out . (empty) ran the whole pipeline, then failed with the false '. exists and is not
    empty' (its temporary folder was inside '.'); the finished output is renamed into place, which
    cannot be done over the folder the command runs in."""
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    monkeypatch.setattr(pipeline, "annotate_chunk", lambda *args: pytest.fail("the run started"))
    for out in (".", "", str(here), "../here"):
        assert main(["pipeline", str(GOOD), "--out", out, "--quiet"]) == 2
        message = f"finnews pipeline: error: {Path(out)} is the current directory: choose a new output directory"
        assert capsys.readouterr().err.startswith(message)
    assert list(tmp_path.rglob("*")) == [here]


def run_command(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    command.add_arguments(parser)
    return command.run(parser.parse_args(argv))


def test_command(tmp_path, capsys):
    assert run_command([str(BAD), "--out", str(tmp_path / "run"), "--workers", "2", "--quiet"]) == 0
    captured = capsys.readouterr()
    assert "2 articles" in captured.out and "duplicate-id 1" in captured.out
    assert f"{BAD}:8: encoding-utf8: byte " in captured.err
    assert "articles/s" in captured.err and "MB/s" in captured.err  # timings on stderr only

    assert main(["pipeline", str(BAD), "--out", str(tmp_path / "failed"), "--on-bad", "fail", "--quiet"]) == 1
    err = capsys.readouterr().err
    assert f"{BAD}:2: missing-id: no id" in err and err.rstrip().endswith("--on-bad fail: stopped, nothing written")
    assert err.count(f"{BAD}:2: missing-id") == 1  # printed once (it was printed as read, then by the error)
    assert not (tmp_path / "failed").exists()
    assert main(["pipeline", str(GOOD), "--out", str(tmp_path / "y"), "--year", "0", "--quiet"]) == 2
    assert capsys.readouterr().err == "finnews pipeline: error: --year must be a four-digit year (1000-9999), not 0\n"


def load_script(name: str):
    spec = importlib.util.spec_from_file_location(name, SCRIPTS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_synthetic_corpus_is_labelled_deterministic_and_made_of_gold_sentences(tmp_path):
    make = load_script("make_synthetic_corpus")
    a = make.write_corpus(tmp_path / "a-synthetic.jsonl", 30, seed=1, root=MINI)
    b = make.write_corpus(tmp_path / "b-synthetic.jsonl", 30, seed=1, root=MINI)
    assert a.read_bytes() == b.read_bytes()
    sentences = make.source_sentences(MINI)
    records = [json.loads(line) for line in a.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 30 and all(r["synthetic"] is True and "SYNTHETIC" in r["note"] for r in records)
    for (article_id, text, placements), record in zip(make.recombine(30, 1, sentences), records):
        assert record["id"] == article_id and record["text"] == text
        for index, offset in placements:
            assert text[offset : offset + len(sentences[index]["text"])] == sentences[index]["text"]
    with pytest.raises(ValueError, match="synthetic"):
        make.write_corpus(tmp_path / "corpus.jsonl", 3, root=MINI)
    with pytest.raises(ValueError, match="never written"):
        make.write_corpus(MINI / "annotations" / "synthetic.jsonl", 3, root=MINI)
