#!/usr/bin/env python
"""Make a SYNTHETIC article collection for scale benchmarks (never to be released).

    .venv/bin/python scripts/make_synthetic_corpus.py --articles 10000 --out /tmp/synthetic-10k.jsonl [--seed 0]

Each article recombines gold sentences (annotations/sentences.jsonl, kind "sentence") of our own
corpus, drawn at random with a fixed seed: 8 to 40 sentences (the real articles average about
1,400 characters, these about 1,300), in paragraphs of 1 to 4 sentences, one paragraph per line.
The text is therefore grammatical sentence by sentence and meaningless as a whole: it exists to
measure cost, not quality. Every record says so: id `synthetic-0000001`..., `"synthetic": true` and a
`note`. The output file name must contain "synthetic", and it may not lie in corpus/, annotations/
or dist/ of the data root: such a file is never part of a release.

Output: JSONL, or Parquet when OUT ends with .parquet. Same seed and size, same bytes. Written to a
temporary file beside OUT and renamed; an existing OUT is refused.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from finnews.data.jsonl import read_jsonl
from finnews.data.paths import data_root

NOTE = "SYNTHETIC: random recombination of FinNews-ZH gold sentences for benchmarks; not news, never released"
SENTENCES_PER_ARTICLE = (8, 40)
SENTENCES_PER_PARAGRAPH = (1, 4)
PROTECTED = ("corpus", "annotations", "dist")
PARQUET_ROWS = 10_000  # rows per Parquet row group


def source_sentences(root: Path | None = None) -> list[dict]:
    """The gold sentence records of kind "sentence" (the material that is recombined)."""
    records = read_jsonl(Path(root or data_root()) / "annotations" / "sentences.jsonl")
    return [r for r in records if r["kind"] == "sentence"]


def recombine(n: int, seed: int, sentences: list[dict]) -> Iterator[tuple[str, str, list[tuple[int, int]]]]:
    """(id, text, placements) of n synthetic articles; placements are (index into sentences,
    offset of that sentence in the text), so that annotations of a sentence can be moved along."""
    rng = random.Random(seed)
    width = max(7, len(str(n)))
    for number in range(1, n + 1):
        picks = [rng.randrange(len(sentences)) for _ in range(rng.randint(*SENTENCES_PER_ARTICLE))]
        parts: list[str] = []
        placements = []
        offset = 0
        left_in_paragraph = rng.randint(*SENTENCES_PER_PARAGRAPH)
        for position, index in enumerate(picks):
            if position and left_in_paragraph == 0:
                parts.append("\n")
                offset += 1
                left_in_paragraph = rng.randint(*SENTENCES_PER_PARAGRAPH)
            placements.append((index, offset))
            parts.append(sentences[index]["text"])
            offset += len(sentences[index]["text"])
            left_in_paragraph -= 1
        yield f"synthetic-{number:0{width}d}", "".join(parts), placements


def records(n: int, seed: int, sentences: list[dict]) -> Iterator[dict]:
    for article_id, text, _ in recombine(n, seed, sentences):
        yield {"id": article_id, "text": text, "synthetic": True, "note": NOTE}


def check_destination(out: Path, root: Path | None = None) -> None:
    if "synthetic" not in out.name:
        raise ValueError(f"{out.name}: the file name of a synthetic corpus must contain 'synthetic'")
    resolved = out.resolve()
    for folder in PROTECTED:
        protected = (Path(root or data_root()) / folder).resolve()
        if resolved.is_relative_to(protected):
            raise ValueError(f"{out}: synthetic data is never written into {protected}")
    if out.exists():
        raise FileExistsError(f"{out} exists")


def write_corpus(out: str | Path, n: int, seed: int = 0, root: Path | None = None) -> Path:
    out = Path(out)
    check_destination(out, root)
    sentences = source_sentences(root)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    os.close(fd)
    try:
        if out.suffix == ".parquet":
            _write_parquet(Path(tmp), records(n, seed, sentences))
        else:
            with open(tmp, "w", encoding="utf-8", newline="\n") as f:
                for record in records(n, seed, sentences):
                    f.write(json.dumps(record, ensure_ascii=False) + "\n")
        os.chmod(tmp, 0o644)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return out


def _write_parquet(path: Path, rows: Iterator[dict]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([("id", pa.string()), ("text", pa.string()), ("synthetic", pa.bool_()), ("note", pa.string())])
    with pq.ParquetWriter(path, schema) as writer:
        while batch := [row for _, row in zip(range(PARQUET_ROWS), rows)]:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, required=True, help="number of articles")
    parser.add_argument("--out", required=True, help="output file (.jsonl or .parquet); name contains 'synthetic'")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    try:
        path = write_corpus(args.out, args.articles, args.seed)
    except (ValueError, FileExistsError, FileNotFoundError) as error:
        print(f"make_synthetic_corpus: error: {error}", file=sys.stderr)
        return 2
    print(f"{path}: {args.articles} synthetic articles, {path.stat().st_size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
