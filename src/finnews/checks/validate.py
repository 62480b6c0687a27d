"""`finnews validate`: every check of the corpus and the annotation layers, all problems at once.

Each problem is an Incident with a stable rule id, reported as `path:line: rule: message` (line 0
when it concerns the whole file). Nothing here writes a file.
"""
from __future__ import annotations

import bisect
import json
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

from finnews.data import corpus
from finnews.data.paths import data_root
from finnews.data.schema import LAYER_SCHEMAS, fast_validator, validator

# rule id -> explanation, printed once with the first incident of the rule
RULES: dict[str, str] = {
    "file-missing": "A file the corpus needs does not exist.",
    "file-empty": "A data file holds no record.",
    "encoding-utf8": "Files are UTF-8; this one has bytes that are not.",
    "encoding-bom": "Files are UTF-8 without a byte-order mark; remove the BOM.",
    "line-crlf": "Lines end with LF only; this line ends with CR LF.",
    "line-truncated": "The last line has no final newline: the file may have been cut while written.",
    "json-syntax": "Each line must be one JSON value.",
    "schema": "The record does not match its JSON Schema (annotations/schema); the JSON pointer says where.",
    "duplicate-id": "Record ids are unique within a layer.",
    "record-order": "Records are sorted by article (corpus order), start, end and id so that diffs stay small.",
    "raw-sha256": "The raw page's bytes must match the sha256 in corpus/raw/SOURCE.json: the raw file is immutable.",
    "piece-text": "An article piece's text must equal the raw page at its offsets.",
    "title-mismatch": "An article's title must equal the text of its title piece.",
    "coverage-gap": "Every non-blank character of the raw page belongs to one article piece or to page furniture.",
    "coverage-overlap": "No character of the raw page belongs to two pieces.",
    "article-unknown": "The record names an article that corpus/articles.jsonl does not hold.",
    "offset-range": "Offsets must satisfy 0 <= start < end <= len(article text).",
    "quote-mismatch": "The quoted text must equal the article text at the record's offsets.",
    "span-crosses-sentence": "All spans of a record lie inside one sentence (annotations/sentences.jsonl).",
    "sentence-tiling": "Sentences tile each article: in order, without overlap, covering every non-blank character.",
    "sentence-index": "A sentence's id and idx follow its position in the article.",
    "entity-overlap": "Entity spans in the layer never overlap.",
    "label-missing": "Every sentence has exactly one sentence-level stance label, spanning the whole sentence.",
    "value-mismatch": "The normalised value disagrees with what the normaliser reads from the quoted text.",
    "review-incomplete": "A checked record names who checked it and when.",
    "split-missing": "Every article has a split in corpus/splits.json.",
    "split-group": "All articles of a group (an article and its sidebars) are in the same split.",
}


@dataclass(frozen=True, order=True)
class Incident:
    path: str
    line: int
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.rule}: {self.message}"


Report = Callable[[int, str, str], None]  # (line, rule, message)


def read_records(path: Path, report: Report, may_be_empty: bool = False) -> list[tuple[int, dict]]:
    """Records of a JSONL file with their line numbers; every format problem goes to report."""
    if not path.is_file():
        report(0, "file-missing", "the file does not exist")
        return []
    data = path.read_bytes()
    if not data.strip():
        if not may_be_empty:
            report(0, "file-empty", "the file is empty")
        return []
    if data.startswith(b"\xef\xbb\xbf"):
        report(1, "encoding-bom", "the file starts with a UTF-8 byte-order mark")
        data = data[3:]
    records = []
    lines = data.split(b"\n")
    if lines[-1]:
        report(len(lines), "line-truncated", "the last line has no final newline")
    for number, raw_line in enumerate(lines, start=1):
        if raw_line.endswith(b"\r"):
            report(number, "line-crlf", "line ends with CR LF")
            raw_line = raw_line[:-1]
        if not raw_line.strip():
            continue
        try:
            text = raw_line.decode("utf-8")
        except UnicodeDecodeError as error:
            report(number, "encoding-utf8", f"byte {error.start} of the line is not UTF-8 ({error.reason})")
            continue
        try:
            record = json.loads(text)
        except json.JSONDecodeError as error:
            report(number, "json-syntax", f"{error.msg} at column {error.colno}")
            continue
        records.append((number, record))
    return records


def check_schema(records: list[tuple[int, dict]], schema_name: str, report: Report) -> list[tuple[int, dict]]:
    """Report schema errors; return the records that pass (later checks rely on their shape)."""
    check, fast = validator(schema_name), fast_validator(schema_name)
    valid = []
    for number, record in records:
        if fast.is_valid(record):
            valid.append((number, record))
            continue
        errors = sorted(check.iter_errors(record), key=lambda e: list(map(str, e.absolute_path)))
        for error in errors:
            pointer = "/" + "/".join(str(p) for p in error.absolute_path)
            report(number, "schema", f"{pointer}: {error.message}")
        if not errors:
            valid.append((number, record))
    return valid


def check_unique_ids(records: list[tuple[int, dict]], report: Report) -> None:
    seen: dict[str, int] = {}
    for number, record in records:
        if record["id"] in seen:
            report(number, "duplicate-id", f"id {record['id']!r} is already used on line {seen[record['id']]}")
        seen.setdefault(record["id"], number)


def check_review(records: list[tuple[int, dict]], report: Report) -> None:
    for number, record in records:
        review = record.get("review", {})
        if review.get("status") == "checked" and not (review.get("checked_by") and review.get("checked_at")):
            report(number, "review-incomplete", f"{record['id']} is checked but checked_by/checked_at is empty")


class Context:
    """What the annotation checks need to know about the corpus: article texts and sentences."""

    def __init__(self, articles: list[dict], sentences: list[dict]):
        self.order = {a["id"]: i for i, a in enumerate(articles)}
        self.texts = {a["id"]: corpus.article_text(a) for a in articles}
        by_article: dict[str, list[dict]] = {}
        for s in sorted(sentences, key=lambda s: (s["article"], s["start"])):
            by_article.setdefault(s["article"], []).append(s)
        self.sentences = by_article
        self.starts = {a: [s["start"] for s in ss] for a, ss in by_article.items()}

    def sentence_at(self, article: str, start: int, end: int) -> dict | None:
        """The sentence holding [start, end), or None."""
        i = bisect.bisect_right(self.starts.get(article, []), start) - 1
        if i < 0:
            return None
        sentence = self.sentences[article][i]
        return sentence if start >= sentence["start"] and end <= sentence["end"] else None


def record_spans(record: dict) -> Iterator[tuple[str, dict]]:
    """(field name, span) for the main span and every secondary span that has offsets."""
    yield "", record
    for field, value in record.items():
        if isinstance(value, dict) and "text" in value and value.get("start") is not None:
            yield field, value


def check_spans(records: list[tuple[int, dict]], ctx: Context, report: Report, *, within_sentence: bool = True) -> list[tuple[int, dict]]:
    """Article, offsets, quotes and sentence containment; return the records whose spans are sound."""
    sound = []
    for number, record in records:
        text = ctx.texts.get(record["article"])
        if text is None:
            report(number, "article-unknown", f"{record['id']}: no article {record['article']!r}")
            continue
        ok = True
        for field, span in record_spans(record):
            where = f"{record['id']}{'.' + field if field else ''}"
            if not 0 <= span["start"] < span["end"] <= len(text):
                report(number, "offset-range", f"{where}: [{span['start']}, {span['end']}) is outside the article (length {len(text)})")
                ok = False
            elif text[span["start"] : span["end"]] != span["text"]:
                actual = text[span["start"] : span["end"]]
                report(number, "quote-mismatch", f"{where}: quotes {span['text']!r} but the article has {actual!r} at [{span['start']}, {span['end']})")
                ok = False
        if ok and within_sentence:
            spans = [span for _, span in record_spans(record)]
            lo, hi = min(s["start"] for s in spans), max(s["end"] for s in spans)
            if ctx.sentence_at(record["article"], lo, hi) is None:
                report(number, "span-crosses-sentence", f"{record['id']}: spans [{lo}, {hi}) are not inside one sentence")
                ok = False
        if ok:
            sound.append((number, record))
    return sound


def check_order(records: list[tuple[int, dict]], ctx: Context, report: Report) -> None:
    def key(record: dict) -> tuple:
        return (ctx.order.get(record["article"], len(ctx.order)), record["start"], record["end"], record["id"])

    for (_, previous), (number, record) in zip(records, records[1:]):
        if key(record) < key(previous):
            report(number, "record-order", f"{record['id']} should come before {previous['id']}")


def check_entity_overlap(records: list[tuple[int, dict]], report: Report) -> None:
    ordered = sorted(records, key=lambda nr: (nr[1]["article"], nr[1]["start"], nr[1]["end"]))
    for (_, a), (number, b) in zip(ordered, ordered[1:]):
        if a["article"] == b["article"] and b["start"] < a["end"]:
            report(number, "entity-overlap", f"{b['id']} {b['text']!r} overlaps {a['id']} {a['text']!r}")


def check_values(records: list[tuple[int, dict]], ctx: Context, report: Report) -> None:
    from finnews.nlp.numbers import normalise  # the normaliser is only needed for this layer

    for number, record in records:
        if record["value"] is None:
            continue
        text = ctx.texts[record["article"]]
        try:
            read = normalise(record["text"], context=text[max(0, record["start"] - 4) : record["start"]])
        except ValueError:
            continue  # an expression the normaliser cannot read is not a contradiction
        if read.value is not None and float(read.value) != float(record["value"]):
            report(number, "value-mismatch", f"{record['id']} {record['text']!r}: value {record['value']} but the normaliser reads {read.value}")


def check_sentences(records: list[tuple[int, dict]], ctx: Context, report: Report) -> None:
    by_article: dict[str, list[tuple[int, dict]]] = {}
    for number, record in records:
        by_article.setdefault(record["article"], []).append((number, record))
    for article, text in ctx.texts.items():
        rows = by_article.get(article, [])
        covered = [False] * len(text)
        previous_end = 0
        for position, (number, s) in enumerate(rows):
            expected_id = f"{article}-s{position:03d}"
            if s["idx"] != position or s["id"] != expected_id:
                report(number, "sentence-index", f"{s['id']} (idx {s['idx']}) is sentence {position} of {article}: expected id {expected_id}")
            if s["start"] < previous_end:
                report(number, "sentence-tiling", f"{s['id']} starts at {s['start']}, before the previous sentence ends ({previous_end})")
            previous_end = max(previous_end, s["end"])
            for i in range(s["start"], min(s["end"], len(text))):
                covered[i] = True
        gaps = [i for i, c in enumerate(text) if not c.isspace() and not covered[i]]
        if gaps:
            line = rows[0][0] if rows else 0
            report(line, "sentence-tiling", f"{article}: {len(gaps)} non-blank characters in no sentence, first at {gaps[0]} ({text[gaps[0]:gaps[0] + 10]!r})")


def check_labels(records: list[tuple[int, dict]], ctx: Context, report: Report) -> None:
    labelled = Counter((r["article"], r["start"], r["end"]) for _, r in records)
    for number, record in records:
        sentence = ctx.sentence_at(record["article"], record["start"], record["end"])
        if sentence and (sentence["start"], sentence["end"]) != (record["start"], record["end"]):
            report(number, "label-missing", f"{record['id']} covers [{record['start']}, {record['end']}) but its sentence is {sentence['id']} [{sentence['start']}, {sentence['end']})")
        if labelled[(record["article"], record["start"], record["end"])] > 1:
            report(number, "label-missing", f"{record['id']}: its sentence has more than one label")
    for article, sentences in ctx.sentences.items():
        for s in sentences:
            if (article, s["start"], s["end"]) not in labelled:
                report(0, "label-missing", f"sentence {s['id']} has no label")


def validate_corpus(root: Path, report_for: Callable[[str], Report]) -> tuple[list[dict], list[dict]]:
    """Raw page, articles, furniture, splits. Returns the sound articles and furniture."""
    corpus_dir = root / "corpus"
    source = corpus_dir / "raw" / "SOURCE.json"
    report = report_for("corpus/raw/SOURCE.json")
    try:
        info = json.loads(source.read_text(encoding="utf-8"))
        raw_bytes = (corpus_dir / "raw" / info["file"]).read_bytes()
    except (OSError, ValueError, KeyError) as error:
        report(0, "file-missing", f"cannot read the raw page through SOURCE.json: {error}")
        return [], []
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
            pieces = record.get("pieces", [record])
            label = record.get("id", "furniture")
            for piece in pieces:
                if raw[piece["start"] : piece["end"]] != piece["text"]:
                    report(number, "piece-text", f"{label}: piece [{piece['start']}, {piece['end']}) quotes {piece['text'][:20]!r}… but the page has {raw[piece['start']:piece['end']][:20]!r}…")
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
        report_for("corpus/articles.jsonl")(0, "coverage-gap", f"{len(gaps)} non-blank characters of the page belong to no piece, first at {gaps[0]}: {raw[gaps[0]:gaps[0] + 15]!r}")

    articles, furniture = results
    report = report_for("corpus/splits.json")
    try:
        splits = json.loads((corpus_dir / "splits.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        report(0, "file-missing", f"cannot read corpus/splits.json: {error}")
        return articles, furniture
    for error in validator(LAYER_SCHEMAS["splits.json"]).iter_errors(splits):
        report(0, "schema", f"/{'/'.join(map(str, error.absolute_path))}: {error.message}")
    assigned = splits.get("articles", {}) if isinstance(splits.get("articles"), dict) else {}
    group_split: dict[str, str] = {}
    for article in articles:
        split = assigned.get(article["id"])
        if split is None:
            report(0, "split-missing", f"article {article['id']} has no split")
        elif group_split.setdefault(article["group"], split) != split:
            report(0, "split-group", f"article {article['id']} is in {split}, its group {article['group']} in {group_split[article['group']]}")
    return articles, furniture


LAYER_CHECKS: dict[str, Callable[[list, Context, Report], None]] = {
    "sentences": check_sentences,
    "entities": lambda records, ctx, report: check_entity_overlap(records, report),
    "numeric_facts": check_values,
    "stance": lambda records, ctx, report: None,
    "stance_labels": check_labels,
}


def validate(root: Path | None = None, paths: Sequence[str | Path] | None = None) -> list[Incident]:
    """Validate the corpus and annotation layers under root (default: the data root).

    With paths, only incidents of those files are returned (the corpus is still read as context).
    Annotation layers are found as annotations/<layer>.jsonl; a path outside that folder is
    checked as the layer its file name says (e.g. a fix in progress: /tmp/entities.jsonl).
    """
    root = Path(root or data_root())
    incidents: list[Incident] = []

    def report_for(display: str) -> Report:
        return lambda line, rule, message: incidents.append(Incident(display, line, rule, message))

    articles, _ = validate_corpus(root, report_for)
    layer_files = {layer: root / "annotations" / f"{layer}.jsonl" for layer in LAYER_CHECKS}
    displays = {layer: f"annotations/{layer}.jsonl" for layer in LAYER_CHECKS}
    for path in paths or []:
        layer = Path(path).name.removesuffix(".jsonl")
        if layer in layer_files and Path(path).resolve() != layer_files[layer].resolve():
            layer_files[layer], displays[layer] = Path(path), str(path)

    sentence_report = report_for(displays["sentences"])
    sentences = check_schema(read_records(layer_files["sentences"], sentence_report), LAYER_SCHEMAS["sentences.jsonl"], sentence_report)
    ctx = Context(articles, [r for _, r in sentences])
    for layer, check in LAYER_CHECKS.items():
        report = report_for(displays[layer])
        records = sentences if layer == "sentences" else check_schema(
            read_records(layer_files[layer], report), LAYER_SCHEMAS[f"{layer}.jsonl"], report)
        check_unique_ids(records, report)
        check_review(records, report)
        sound = check_spans(records, ctx, report, within_sentence=layer != "sentences")
        check_order(sound, ctx, report)
        check(sound, ctx, report)

    if paths:
        wanted = {str(p) for p in paths} | {str(Path(p).resolve().relative_to(root.resolve())) for p in paths if Path(p).resolve().is_relative_to(root.resolve())}
        incidents = [i for i in incidents if i.path in wanted]
    return sorted(set(incidents), key=lambda i: (i.path, i.line, i.rule, i.message))


def format_text(incidents: Iterable[Incident], max_per_rule: int = 20, rules: dict[str, str] = RULES) -> str:
    """Human-readable report: the rule's explanation once, at its first incident; floods suppressed.
    Other checkers (predictions, imports) pass their own rules table."""
    lines, seen = [], Counter()
    for incident in incidents:
        seen[incident.rule] += 1
        if seen[incident.rule] <= max_per_rule:
            lines.append(str(incident))
            if seen[incident.rule] == 1:
                lines.append(f"    ({incident.rule}: {rules.get(incident.rule) or RULES.get(incident.rule, '')})")
    for rule, count in sorted(seen.items()):
        if count > max_per_rule:
            lines.append(f"... {count - max_per_rule} more {rule} incidents suppressed")
    total = sum(seen.values())
    lines.append(f"{total} problem{'s' if total != 1 else ''} found" if total else "valid: no problems found")
    return "\n".join(lines)


def format_json(incidents: Iterable[Incident]) -> str:
    return json.dumps([asdict(i) for i in incidents], ensure_ascii=False, indent=1)
