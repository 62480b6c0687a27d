"""`finnews validate`: every check of the corpus and the annotation layers, all problems at once.

Each problem is an Incident with a stable rule id (finnews.checks.incidents.RULES), reported as
`path:line: rule: message` (line 0 when it concerns the whole file). Nothing here writes a file.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from finnews.checks.incidents import Incident, Report, collector, ordered
from finnews.checks.records import check_schema, parse_line, read_bytes, read_records, without_bom
from finnews.data import corpus
from finnews.data.gold import Gold
from finnews.data.paths import as_root
from finnews.data.schema import ANNOTATION_LAYERS, CHECKED, LAYER_SCHEMAS
from finnews.errors import DataError, UsageError

#: the rules `finnews validate` reports (each has a fixture in tests/fixtures/invalid/<rule>/)
VALIDATE_RULES = (
    "file-missing",
    "file-empty",
    "encoding-utf8",
    "encoding-bom",
    "line-crlf",
    "line-truncated",
    "json-syntax",
    "json-duplicate-key",
    "schema",
    "raw-sha256",
    "piece-text",
    "title-mismatch",
    "coverage-gap",
    "coverage-overlap",
    "split-missing",
    "split-group",
    "duplicate-id",
    "id-article",
    "record-order",
    "article-unknown",
    "offset-range",
    "quote-mismatch",
    "span-crosses-sentence",
    "sentence-tiling",
    "sentence-index",
    "entity-overlap",
    "label-missing",
    "value-mismatch",
    "review-incomplete",
    "review-self-check",
    "review-date",
    "review-unit-unchecked",
)
ID_SUFFIX = re.compile(r"^[a-z][0-9]{3,}$")
#: layers that may hold no record (a text may name no entity, give no number, voice no view);
#: sentences and their labels cover every article, so they never are empty
RECORD_LAYERS_MAY_BE_EMPTY = ("entities", "numeric_facts", "stance")


@dataclass
class Checked:
    """The result of a validation: every incident, and the corpus as read (sound records only)."""

    incidents: list[Incident]
    gold: Gold


def check_unique_ids(records: list[tuple[int, dict]], report: Report) -> None:
    seen: dict[str, int] = {}
    for number, record in records:
        if record["id"] in seen:
            report(number, "duplicate-id", f"id {record['id']!r} is already used on line {seen[record['id']]}")
        seen.setdefault(record["id"], number)


def check_ids_name_their_article(records: list[tuple[int, dict]], report: Report) -> None:
    for number, record in records:
        prefix, _, suffix = record["id"].rpartition("-")
        if prefix != record["article"] or not ID_SUFFIX.match(suffix):
            report(number, "id-article", f"{record['id']}: the id does not start with its article {record['article']!r}")


def check_review(records: list[tuple[int, dict]], report: Report, today: date) -> None:
    for number, record in records:
        review = record["review"]
        if review["status"] != CHECKED:
            continue
        if not (review["checked_by"] and review["checked_at"]):
            report(number, "review-incomplete", f"{record['id']} is checked but checked_by/checked_at is empty")
            continue
        if review["checked_by"] == review["annotator"]:
            report(number, "review-self-check", f"{record['id']} is checked by its own annotator {review['annotator']}")
        try:
            checked_at = date.fromisoformat(review["checked_at"])
        except ValueError as error:  # jsonschema-rs's `date` format lets some through (0000-01-01)
            report(number, "review-date", f"{record['id']}: checked_at {review['checked_at']!r} is not a date ({error})")
            continue
        if checked_at > today:
            report(
                number, "review-date", f"{record['id']} was checked on {review['checked_at']}, after today ({today.isoformat()})"
            )


def check_review_units(records: list[tuple[int, dict]], gold: Gold, report: Report) -> None:
    """A checked record lies in a checked sentence (a release leaves out the others, records and all)."""
    for number, record in records:
        sentence = gold.sentence_of(record)
        if record["review"]["status"] == CHECKED and sentence["review"]["status"] != CHECKED:
            report(
                number,
                "review-unit-unchecked",
                f"{record['id']} is checked but its sentence {sentence['id']} is {sentence['review']['status']}",
            )


def record_spans(record: dict) -> Iterator[tuple[str, dict]]:
    """(field name, span) for the main span and every secondary span that has offsets."""
    yield "", record
    for field, value in record.items():
        if isinstance(value, dict) and "text" in value and value.get("start") is not None:
            yield field, value


def check_spans(
    records: list[tuple[int, dict]], gold: Gold, report: Report, *, within_sentence: bool = True
) -> list[tuple[int, dict]]:
    """Article, offsets, quotes and sentence containment; return the records whose spans are sound."""
    sound = []
    for number, record in records:
        text = gold.texts.get(record["article"])
        if text is None:
            report(number, "article-unknown", f"{record['id']}: no article {record['article']!r}")
            continue
        ok = True
        for field, span in record_spans(record):
            where = f"{record['id']}{'.' + field if field else ''}"
            if not 0 <= span["start"] < span["end"] <= len(text):
                report(
                    number,
                    "offset-range",
                    f"{where}: [{span['start']}, {span['end']}) is outside the article (length {len(text)})",
                )
                ok = False
            elif text[span["start"] : span["end"]] != span["text"]:
                actual = text[span["start"] : span["end"]]
                report(
                    number,
                    "quote-mismatch",
                    f"{where}: quotes {span['text']!r} but the article has {actual!r} at [{span['start']}, {span['end']})",
                )
                ok = False
        if ok and within_sentence:
            spans = [span for _, span in record_spans(record)]
            lo, hi = min(s["start"] for s in spans), max(s["end"] for s in spans)
            if gold.sentence_at(record["article"], lo, hi) is None:
                report(number, "span-crosses-sentence", f"{record['id']}: spans [{lo}, {hi}) are not inside one sentence")
                ok = False
        if ok:
            sound.append((number, record))
    return sound


def check_order(records: list[tuple[int, dict]], gold: Gold, report: Report) -> None:
    for (_, previous), (number, record) in zip(records, records[1:]):
        if gold.sort_key(record) < gold.sort_key(previous):
            report(number, "record-order", f"{record['id']} should come before {previous['id']}")


def check_entity_overlap(records: list[tuple[int, dict]], gold: Gold, report: Report) -> None:
    ordered_records = sorted(records, key=lambda nr: (nr[1]["article"], nr[1]["start"], nr[1]["end"]))
    for (_, a), (number, b) in zip(ordered_records, ordered_records[1:]):
        if a["article"] == b["article"] and b["start"] < a["end"]:
            report(number, "entity-overlap", f"{b['id']} {b['text']!r} overlaps {a['id']} {a['text']!r}")


def check_values(records: list[tuple[int, dict]], gold: Gold, report: Report) -> None:
    from finnews.nlp.numbers import normalise  # the normaliser is only needed for this layer

    for number, record in records:
        if record["value"] is None:
            continue
        text = gold.texts[record["article"]]
        try:
            read = normalise(record["text"], context=text[max(0, record["start"] - 4) : record["start"]])
        except ValueError:
            continue  # an expression the normaliser cannot read is not a contradiction
        if read.value is not None and float(read.value) != float(record["value"]):
            report(
                number,
                "value-mismatch",
                f"{record['id']} {record['text']!r}: value {record['value']} but the normaliser reads {read.value}",
            )


def check_sentences(records: list[tuple[int, dict]], gold: Gold, report: Report) -> None:
    by_article: dict[str, list[tuple[int, dict]]] = {}
    for number, record in records:
        by_article.setdefault(record["article"], []).append((number, record))
    for article, text in gold.texts.items():
        rows = by_article.get(article, [])
        covered = [False] * len(text)
        previous_end = 0
        for position, (number, s) in enumerate(rows):
            expected_id = f"{article}-s{position:03d}"
            if s["idx"] != position or s["id"] != expected_id:
                report(
                    number,
                    "sentence-index",
                    f"{s['id']} (idx {s['idx']}) is sentence {position} of {article}: expected id {expected_id}",
                )
            if s["start"] < previous_end:
                report(
                    number,
                    "sentence-tiling",
                    f"{s['id']} starts at {s['start']}, before the previous sentence ends ({previous_end})",
                )
            previous_end = max(previous_end, s["end"])
            for i in range(s["start"], min(s["end"], len(text))):
                covered[i] = True
        gaps = [i for i, c in enumerate(text) if not c.isspace() and not covered[i]]
        if gaps:
            line = rows[0][0] if rows else 0
            report(
                line,
                "sentence-tiling",
                f"{article}: {len(gaps)} non-blank characters in no sentence, first at {gaps[0]} ({text[gaps[0] : gaps[0] + 10]!r})",
            )


def check_labels(records: list[tuple[int, dict]], gold: Gold, report: Report) -> None:
    labelled = Counter((r["article"], r["start"], r["end"]) for _, r in records)
    for number, record in records:
        sentence = gold.sentence_at(record["article"], record["start"], record["end"])
        if sentence and (sentence["start"], sentence["end"]) != (record["start"], record["end"]):
            report(
                number,
                "label-missing",
                f"{record['id']} covers [{record['start']}, {record['end']}) but its sentence is {sentence['id']} [{sentence['start']}, {sentence['end']})",
            )
        if labelled[(record["article"], record["start"], record["end"])] > 1:
            report(number, "label-missing", f"{record['id']}: its sentence has more than one label")
    for s in gold.sentences:
        if (s["article"], s["start"], s["end"]) not in labelled:
            report(0, "label-missing", f"sentence {s['id']} has no label")


def _read_json(path: Path, report: Report) -> dict | None:
    """A JSON file holding one object, read as a layer's line is (the same rules and messages)."""
    data = read_bytes(path, report)
    if data is None:
        return None
    value, problem = parse_line(without_bom(data, report, line=0))
    if problem:
        report(0, *problem)
    return value


def validate_corpus(root: Path, report_for: Callable[[str], Report]) -> tuple[list[dict], dict[str, str]]:
    """Raw page, articles, furniture, splits. Returns the sound articles and the split of each."""
    corpus_dir = root / "corpus"
    report = report_for("corpus/raw/SOURCE.json")
    info = _read_json(corpus_dir / "raw" / "SOURCE.json", report)
    if info is None or not isinstance(info.get("file"), str):
        if info is not None:
            report(0, "schema", "SOURCE.json needs a string `file` naming the raw page")
        return [], {}
    raw_bytes = read_bytes(corpus_dir / "raw" / info["file"], report_for(f"corpus/raw/{info['file']}"))
    if raw_bytes is None:
        return [], {}
    if corpus.sha256(raw_bytes) != info.get("sha256"):
        report(0, "raw-sha256", f"{info['file']} has sha256 {corpus.sha256(raw_bytes)}, SOURCE.json records {info.get('sha256')}")
    raw = raw_bytes.decode("utf-8", errors="replace")

    owner = [""] * len(raw)
    results = []
    for name in ("articles.jsonl", "furniture.jsonl"):
        report = report_for(f"corpus/{name}")
        records = read_records(corpus_dir / name, report, may_be_empty=name == "furniture.jsonl")
        records = check_schema(records, LAYER_SCHEMAS[name], report)
        if name == "articles.jsonl":
            check_unique_ids(records, report)
        for number, record in records:
            label = record.get("id", "furniture")
            for piece in record.get("pieces", [record]):
                if raw[piece["start"] : piece["end"]] != piece["text"]:
                    report(
                        number,
                        "piece-text",
                        f"{label}: piece [{piece['start']}, {piece['end']}) quotes {piece['text'][:20]!r}… but the page has {raw[piece['start'] : piece['end']][:20]!r}…",
                    )
                    continue
                for i in range(piece["start"], piece["end"]):
                    if owner[i]:
                        report(number, "coverage-overlap", f"{label}: character {i} ({raw[i]!r}) also belongs to {owner[i]}")
                        break
                for i in range(piece["start"], piece["end"]):
                    owner[i] = owner[i] or label
            if "pieces" in record and record["pieces"][0]["role"] == "title" and record["title"] != record["pieces"][0]["text"]:
                report(number, "title-mismatch", f"{label}: title {record['title']!r} differs from its title piece")
        results.append([r for _, r in records])
    gaps = [i for i, c in enumerate(raw) if not c.isspace() and not owner[i]]
    if gaps:
        report_for("corpus/articles.jsonl")(
            0,
            "coverage-gap",
            f"{len(gaps)} non-blank characters of the page belong to no piece, first at {gaps[0]}: {raw[gaps[0] : gaps[0] + 15]!r}",
        )

    articles = results[0]
    report = report_for("corpus/splits.json")
    splits = _read_json(corpus_dir / "splits.json", report)
    if splits is None or not check_schema([(0, splits)], LAYER_SCHEMAS["splits.json"], report):
        return articles, {}
    assigned = splits["articles"]
    group_split: dict[str, str] = {}
    for article in articles:
        split = assigned.get(article["id"])
        if split is None:
            report(0, "split-missing", f"article {article['id']} has no split")
        elif group_split.setdefault(article["group"], split) != split:
            report(
                0,
                "split-group",
                f"article {article['id']} is in {split}, its group {article['group']} in {group_split[article['group']]}",
            )
    return articles, assigned


LAYER_CHECKS: dict[str, Callable[[list, Gold, Report], None]] = {
    "sentences": check_sentences,
    "entities": check_entity_overlap,
    "numeric_facts": check_values,
    "stance": lambda records, gold, report: None,
    "stance_labels": check_labels,
}


def layer_of(path: str | Path, layer: str | None = None) -> str:
    """The layer a file holds: --layer when given, else its name (entities.jsonl); else refused."""
    if layer is not None:
        if layer not in ANNOTATION_LAYERS:
            raise UsageError(f"--layer {layer!r}: choose one of {', '.join(ANNOTATION_LAYERS)}")
        return layer
    name = Path(path).name
    stem = name.removesuffix(".jsonl")
    if stem not in ANNOTATION_LAYERS or not name.endswith(".jsonl"):
        raise UsageError(
            f"cannot tell which layer {path} holds: name it <layer>.jsonl ({', '.join(ANNOTATION_LAYERS)}) or pass --layer LAYER"
        )
    return stem


def files_read(root: Path) -> list[str]:
    """The files of a data root that validate reads, as it names them: the corpus (with the raw
    page that SOURCE.json names) and the annotation layers."""
    corpus_files = ["corpus/raw/SOURCE.json", "corpus/articles.jsonl", "corpus/furniture.jsonl", "corpus/splits.json"]
    source = _read_json(root / "corpus" / "raw" / "SOURCE.json", lambda *problem: None)  # validate reports them
    if source is not None and isinstance(source.get("file"), str):
        corpus_files.insert(1, f"corpus/raw/{source['file']}")
    return corpus_files + [f"annotations/{name}.jsonl" for name in ANNOTATION_LAYERS]


def _targets(root: Path, paths: Sequence[str | Path], layer: str | None) -> tuple[dict[str, Path], set[str]]:
    """(layer -> candidate file replacing annotations/<layer>.jsonl, display paths to report on)."""
    candidates: dict[str, Path] = {}
    wanted: set[str] = set()
    data = root.resolve()
    readable = files_read(root) if paths else []
    for given in paths:
        path = Path(given)
        if not path.is_file():
            raise UsageError(f"{given}: {'is a directory, not a file' if path.is_dir() else 'no such file'}")
        resolved = path.resolve()
        inside = resolved.relative_to(data).as_posix() if resolved.is_relative_to(data) else None
        if inside is not None and layer is None and inside in readable:
            wanted.add(inside)  # a file of the data root itself: report on it
            continue
        if inside is not None and layer is None and inside.startswith("corpus/"):
            corpus_files = ", ".join(f for f in readable if f.startswith("corpus/"))
            raise UsageError(f"{given}: validate does not read this file (of the corpus it reads {corpus_files})")
        name = layer_of(path, layer)
        if name in candidates:
            raise UsageError(f"two files for layer {name}: {candidates[name]} and {given}")
        candidates[name] = path
        wanted.add(str(path))
    return candidates, wanted


def check(
    root: Path | None = None, paths: Sequence[str | Path] | None = None, layer: str | None = None, today: date | None = None
) -> Checked:
    """Validate the corpus and annotation layers under root (default: the data root).

    With paths, only incidents of those files are returned (the corpus is still read as context).
    A file of the data root that validate reads (`files_read`) is reported on as itself; another
    file of its corpus/ is refused; any other file is checked in place of annotations/<layer>.jsonl,
    as the layer its file name says (entities.jsonl) or `layer` says."""
    root = as_root(root)
    if layer is not None and not paths:
        raise UsageError(f"--layer {layer} names the layer of PATHS: give the file to check")
    candidates, wanted = _targets(root, paths or [], layer)
    incidents: list[Incident] = []

    def report_for(display: str) -> Report:
        return collector(incidents, display)

    articles, splits = validate_corpus(root, report_for)
    gold = Gold(root, articles, splits)
    files = {name: candidates.get(name, root / "annotations" / f"{name}.jsonl") for name in ANNOTATION_LAYERS}
    displays = {name: str(candidates[name]) if name in candidates else f"annotations/{name}.jsonl" for name in ANNOTATION_LAYERS}
    today = today or date.today()
    for name in ANNOTATION_LAYERS:
        report = report_for(displays[name])
        records = check_schema(
            read_records(files[name], report, may_be_empty=name in RECORD_LAYERS_MAY_BE_EMPTY),
            LAYER_SCHEMAS[f"{name}.jsonl"],
            report,
        )
        check_unique_ids(records, report)
        if name != "sentences":
            check_ids_name_their_article(records, report)
        check_review(records, report, today)
        sound = check_spans(records, gold, report, within_sentence=name != "sentences")
        check_order(sound, gold, report)
        if name != "sentences":
            check_review_units(sound, gold, report)
        LAYER_CHECKS[name](sound, gold, report)
        gold.layers[name] = [r for _, r in sound]
    if paths:
        incidents = [i for i in incidents if i.path in wanted]
    return Checked(ordered(incidents), gold)


def validate(root: Path | None = None, paths: Sequence[str | Path] | None = None, layer: str | None = None) -> list[Incident]:
    """Every incident of the corpus and annotation layers under root (see `check`)."""
    return check(root, paths, layer).incidents


def load_valid(root: Path | None = None) -> Gold:
    """The corpus under root (default: the data root), read once and validated; DataError listing
    every problem when it does not validate (a command never works on data it cannot trust)."""
    checked = check(root)
    if checked.incidents:
        raise DataError(checked.incidents, "the data does not validate (run `finnews validate`); nothing was done")
    return checked.gold


def valid_articles(root: Path | None = None) -> list[dict]:
    """The articles of the corpus under root, validated with the raw page (the layers are not read)."""
    incidents: list[Incident] = []
    articles, _ = validate_corpus(as_root(root), lambda display: collector(incidents, display))
    if incidents:
        raise DataError(ordered(incidents), "the corpus does not validate (run `finnews validate`); nothing was done")
    return articles
