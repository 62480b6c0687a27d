"""finnews.scale.spark on a local Spark session: the same rows as the single-machine path on the same input.

The input is the real corpus's articles, recombinations of their sentences and a few hand-made
texts that stress the transport (astral code points, CR LF, U+2028, full-width digits, a date
without a year). It is written once as JSONL and read by Spark (spark.read.json), by
finnews.scale.pipeline.run_pipeline, and directly into annotate_batch; the three outputs must be equal
as Python values (floats exactly).

Needs the `spark` extra (pyspark) and Java 17+. Without them these tests FAIL with a message
saying what is missing: they are never skipped.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pytest

from finnews.data.gold import load_gold
from finnews.data.jsonl import write_jsonl
from finnews.errors import UsageError
from finnews.nlp.segment import split_sentences
from finnews.scale.pipeline import run_pipeline
from finnews.scale.preannotate import SCHEMA, annotate_batch

# pyspark 4.3 warns on every pandas_udf (mapInArrow builds one) that pandas 3 is not fully supported;
# mapInArrow never converts to pandas
pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning")]

YEAR = 2021  # completes the year-less date below: a wrapper that drops `year` changes the rows

HAND_MADE = {
    "edge-astral": "📈腾讯控股涨3.5%，成交额𠀀12亿港元。𠮷利润增长约8%。",
    "edge-crlf": "第一段：营收100万元。\r\n第二段：毛利率下降5个百分点。\r\n",
    "edge-date": "公司于3月5日发布公告，预计2024年营收增长约12%。",
    "edge-fullwidth": "营收１２３亿元，同比增长１５％。",
    "edge-line-separator": "净利润3亿元\u2028同比增长20%。",
    "edge-no-stop": "市值约1.2万亿美元",
    "edge-spaces": "   净利润同比增长20%   ",
    "新闻-非ASCII编号": "截至6月30日，基金规模达到5000亿元。",
}


def build_articles() -> list[dict]:
    """The real articles, 12 recombinations of their sentences, and HAND_MADE: 20+ records."""
    texts = load_gold().texts
    assert texts, "the corpus has no articles"
    records = [{"id": i, "text": texts[i]} for i in sorted(texts)]
    sentences = [texts[i][s:e] for i in sorted(texts) for s, e in split_sentences(texts[i])]
    rng = random.Random(8)
    for n in range(12):
        picked = rng.sample(sentences, k=min(len(sentences), rng.randint(1, 6)))
        records.append({"id": f"mix-{n:02d}", "text": ("\n" if n % 2 else "").join(picked)})
    records += [{"id": i, "text": t} for i, t in HAND_MADE.items()]
    return records


def rows_of(table: pa.Table | pa.RecordBatch) -> list[dict]:
    return sorted(table.to_pylist(), key=lambda r: (r["article"], r["idx"]))


def leaf_types(t: pa.DataType, path: str = "") -> list[tuple[str, str]]:
    """A type's leaves as (path, type): list field names differ between writers ("item"/"element")."""
    if pa.types.is_struct(t):
        return [leaf for f in t for leaf in leaf_types(f.type, f"{path}.{f.name}")]
    if pa.types.is_list(t):
        return leaf_types(t.value_type, f"{path}[]")
    return [(path, str(t))]


def require_spark() -> None:
    """Fail (not skip) with what is missing."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        pytest.fail("pyspark is not installed: install the `spark` extra (pip install 'finnews-zh[spark]')")
    java = (
        shutil.which("java", path=os.path.join(os.environ["JAVA_HOME"], "bin"))
        if os.environ.get("JAVA_HOME")
        else shutil.which("java")
    )
    if java is None:
        pytest.fail("no Java runtime: Spark needs Java 17 or later on PATH (or JAVA_HOME)")
    printed = subprocess.run([java, "-version"], capture_output=True, text=True).stderr
    found = re.search(r'version "(\d+)(?:\.(\d+))?', printed)
    if found is None:
        pytest.fail(f"cannot read the Java version from `{java} -version`: {printed.strip()!r}")
    major = int(found[2]) if found[1] == "1" else int(found[1])  # "1.8.0" is Java 8
    if major < 17:
        pytest.fail(f"{java} is Java {major}: Spark 4 needs Java 17 or later")


@pytest.fixture(scope="module")
def spark():
    require_spark()
    from pyspark.sql import SparkSession

    saved = {k: os.environ.get(k) for k in ("SPARK_LOCAL_IP", "PYSPARK_PYTHON")}
    os.environ["SPARK_LOCAL_IP"] = "127.0.0.1"
    os.environ["PYSPARK_PYTHON"] = sys.executable  # the workers must import finnews
    session = (
        SparkSession.builder.master("local[2]")
        .appName("finnews-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "3")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", "4")  # several batches per partition
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture(scope="module")
def articles(tmp_path_factory) -> tuple[list[dict], Path]:
    records = build_articles()
    path = tmp_path_factory.mktemp("spark-input") / "articles.jsonl"
    write_jsonl(path, records)
    return records, path


@pytest.fixture(scope="module")
def expected(articles) -> list[dict]:
    """The single-machine path: annotate_batch on all the articles at once."""
    records, _ = articles
    batch = pa.RecordBatch.from_pylist(records, schema=pa.schema([("id", pa.string()), ("text", pa.string())]))
    rows = rows_of(annotate_batch(batch, year=YEAR))
    # the input exercises what it should: many sentences, facts, and the year completion
    assert len({r["article"] for r in rows}) == len(records) >= 20
    assert sum(len(r["numeric_facts"]) for r in rows) >= 20
    assert any(f["iso"] == f"{YEAR}-03-05" for r in rows for f in r["numeric_facts"])
    return rows


def test_import_needs_no_pyspark():
    code = "import sys, finnews, finnews.scale.spark; print('pyspark' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False", "import finnews.scale.spark imported pyspark"


def test_spark_rows_equal_single_machine_and_pipeline(spark, articles, expected, tmp_path):
    from finnews.scale.spark import annotate_dataframe

    records, path = articles
    df = spark.read.schema("id string, text string").json(str(path)).repartition(3)
    assert sorted(df.collect(), key=lambda r: r.id) == sorted((r["id"], r["text"]) for r in records), (
        "Spark did not read the input as written"
    )

    table = annotate_dataframe(df, year=YEAR).toArrow()
    assert table.schema.names == SCHEMA.names
    assert [leaf_types(f.type) for f in table.schema] == [leaf_types(f.type) for f in SCHEMA]
    assert rows_of(table) == expected

    summary = run_pipeline(path, tmp_path / "out", workers=1, year=YEAR)
    assert (summary.articles, sum(summary.bad.values())) == (len(records), 0)
    shards = sorted((tmp_path / "out").glob("sentences-*.arrow"))
    assert shards
    pipeline_rows = [row for shard in shards for row in pa.ipc.open_stream(shard).read_all().to_pylist()]
    assert sorted(pipeline_rows, key=lambda r: (r["article"], r["idx"])) == expected


def test_spark_refuses_bad_input(spark):
    from pyspark.errors import PythonException

    from finnews.scale.spark import annotate_dataframe, to_hf_dataset

    with pytest.raises(ValueError, match="no column 'text'"):
        annotate_dataframe(spark.createDataFrame([("a", "x")], "id string, body string"))
    with pytest.raises(ValueError, match="column 'id' is int"):
        annotate_dataframe(spark.createDataFrame([(1, "x")], "id int, text string"))
    for year in ("2021", 12345, -3):  # refused before the job starts (12345 gave iso '12345-12-30')
        with pytest.raises(UsageError, match="year must be a four-digit year"):
            annotate_dataframe(spark.createDataFrame([("a", "x")], "id string, text string"), year=year)
    with pytest.raises(ValueError, match="pass the output of annotate_dataframe"):
        to_hf_dataset(spark.createDataFrame([("a", "x")], "id string, text string"))
    df = spark.createDataFrame([("good", "营收增长5%。"), ("hollow", None)], "id string, text string")
    with pytest.raises(PythonException, match="article 'hollow' has a null text"):
        annotate_dataframe(df).collect()


def test_to_hf_dataset_offline(spark, articles, expected, tmp_path, monkeypatch):
    import datasets

    from finnews.scale.spark import annotate_dataframe, to_hf_dataset

    # offline as HF_HUB_OFFLINE=1 would make it (datasets reads the variable once, at import)
    monkeypatch.setattr(datasets.config, "HF_HUB_OFFLINE", True)
    monkeypatch.setattr(datasets.config, "HF_DATASETS_OFFLINE", True)
    records, _ = articles
    df = spark.createDataFrame([(r["id"], r["text"]) for r in records], "id string, text string")
    ds = to_hf_dataset(annotate_dataframe(df, year=YEAR).cache(), cache_dir=str(tmp_path / "hf"))
    assert ds.features == datasets.Features.from_arrow_schema(SCHEMA)
    assert rows_of(ds.data.table) == expected
