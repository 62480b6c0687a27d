"""Incidents: every problem found in data or input, with a stable rule id, as `path:line: rule: message`.

RULES is the one registry of rule ids (validate, predictions, imports, the pipeline's input), each
with the explanation printed once, at the rule's first incident. The shape follows Universal
Dependencies' validator: rule ids, the explanation once, floods suppressed, text or JSON output.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass

RULES: dict[str, str] = {
    # files and lines (every JSONL reader)
    "file-missing": "A file that is needed does not exist (or is not a readable file).",
    "file-empty": "A data file holds no record.",
    "encoding-utf8": "Text is UTF-8: no invalid bytes, and no unpaired surrogate escapes (\\ud800) in JSON strings.",
    "encoding-bom": "Files are UTF-8 without a byte-order mark; remove the BOM.",
    "line-crlf": "Lines end with LF only; this line ends with CR LF (on Windows, see CONTRIBUTING.md: .gitattributes keeps LF).",
    "line-truncated": "The last line has no final newline: the file may have been cut while written.",
    "json-syntax": "Each line is one JSON object, nested at most 64 levels deep.",
    "json-duplicate-key": "A JSON object names each key once: with a duplicate key the line reads differently from what is used.",
    "schema": "The record does not match its JSON Schema (annotations/schema); the JSON pointer says where.",
    # the corpus
    "raw-sha256": "The raw page's bytes must match the sha256 in corpus/raw/SOURCE.json: the raw file is immutable.",
    "piece-text": "An article piece's text must equal the raw page at its offsets.",
    "title-mismatch": "An article's title must equal the text of its title piece.",
    "coverage-gap": "Every non-blank character of the raw page belongs to one article piece or to page furniture.",
    "coverage-overlap": "No character of the raw page belongs to two pieces.",
    "split-missing": "Every article has a split in corpus/splits.json.",
    "split-group": "All articles of a group (an article and its sidebars) are in the same split.",
    "split-empty": "Every split of a release holds an article and a checked sentence: `datasets` refuses an empty split.",
    # annotation records
    "duplicate-id": "Ids are unique within a file (a layer; in a pipeline input the first record with an id is kept).",
    "id-article": "A record id starts with the id of the article it names (hk-buybacks-e001 is in hk-buybacks).",
    "record-order": "Records are sorted by article (corpus order), start, end and id so that diffs stay small.",
    "article-unknown": "The record names an article that corpus/articles.jsonl does not hold.",
    "offset-range": "Offsets are code points: 0 <= start < end <= the length of the text they index (the article; the sentence for predictions).",
    "quote-mismatch": "The quoted text must equal the text at the record's offsets.",
    "span-crosses-sentence": "All spans of a record lie inside one sentence (annotations/sentences.jsonl).",
    "sentence-tiling": "Sentences tile each article: in order, without overlap, covering every non-blank character.",
    "sentence-index": "A sentence's id and idx follow its position in the article.",
    "entity-overlap": "Entity spans in the layer never overlap.",
    "label-missing": "Every sentence has exactly one sentence-level stance label, spanning the whole sentence.",
    "value-mismatch": "The normalised value disagrees with what the normaliser reads from the quoted text.",
    "review-incomplete": "A checked record names who checked it and when.",
    "review-self-check": "A record is `checked` only when someone other than its annotator checked it (GUIDELINES §0).",
    "review-date": "checked_at is a date that has happened (not in the future).",
    "review-unit-unchecked": "A checked record lies in a checked sentence: a release leaves out unchecked sentences and every record in them.",
    # release folders (finnews diff, finnews publish)
    "release-file-missing": "A file that a release's MANIFEST.json lists is in the release folder (a readable file, not a broken symlink).",
    "release-file-changed": "A release file has the size and sha256 its MANIFEST.json records: it changed after `finnews build`.",
    "release-file-unlisted": "A release folder holds only the files its MANIFEST.json lists: only a release's own files are published.",
    "release-manifest": "MANIFEST.json has a version usable as a tag and lists every file, the dataset card README.md included, as {path, bytes, sha256}.",
    "release-card-version": "The dataset card's version (README.md front matter) is the version in MANIFEST.json.",
    # predictions (finnews evaluate)
    "unknown-sentence": "A prediction names a sentence id that the corpus (or the release) does not hold.",
    "duplicate-sentence": "Each sentence has at most one line in a predictions file.",
    "predictions-empty": "A predictions file holds at least one line for the evaluated sentences.",
    "predictions-elsewhere": "Prediction lines are for the evaluated sentences; lines for other splits mean the wrong file or the wrong --split/--protocol.",
    # Label Studio imports
    "export-json": "The export must be a JSON list of Label Studio tasks ({id, data, annotations}).",
    "task-unmapped": "A task must name an article (and, for a sentence task, a sentence) of the corpus in data.article / data.sentence.",
    "task-duplicate": "Two tasks cover the same article or sentence.",
    "annotation-choice": "A task with several annotations needs a rule to choose one: the most recently updated is applied unless --annotation-of USER names another.",
    "layer-mismatch": "data.layer names another layer than the one imported.",
    "text-mismatch": "A task's data.text must equal the current text of its article or sentence (else its offsets mean nothing).",
    "offset-mismatch": "Region offsets (UTF-16 units into data.text) must lie inside the text, on character boundaries, and cover the region's quoted text.",
    "label-unknown": "Labels, choices and controls must be those of the layer's labeling config (closed sets from annotations/schema).",
    "attribute-missing": "A required field of the record has no value in the annotation.",
    "attribute-invalid": "A per-region value cannot be read (not a number, several values, ...).",
    "region-duplicate": "A region id (a record id) occurs twice.",
    "relation-invalid": "A relation or per-region result must link a main region and a role region of the same annotation.",
    "role-unlinked": "Every role region (secondary span) is linked to exactly one main region by a relation.",
    "role-duplicate": "A record has one span per role (and a holder is a span or a text, not both).",
    # the pipeline's input articles
    "missing-id": "Every article has an `id` that is a non-empty string.",
    "empty-text": "Every article has a `text` string with at least one non-blank character.",
    "parquet-unreadable": "A Parquet input is a whole Parquet file: its footer, pages and compressed data can be read.",
}


@dataclass(frozen=True, order=True)
class Incident:
    path: str
    line: int  # 1-based; 0 when the incident concerns the whole file
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.rule}: {self.message}"


Report = Callable[[int, str, str], None]  # (line, rule, message)


def collector(incidents: list[Incident], path: str) -> Report:
    """A Report that appends the incidents of one file to a list."""
    return lambda line, rule, message: incidents.append(Incident(path, line, rule, message))


def ordered(incidents: Iterable[Incident]) -> list[Incident]:
    """Unique incidents in file and line order."""
    return sorted(set(incidents), key=lambda i: (i.path, i.line, i.rule, i.message))


def format_text(incidents: Iterable[Incident], max_per_rule: int = 20) -> str:
    """Human-readable report: the rule's explanation once, at its first incident; floods suppressed."""
    lines, seen = [], Counter()
    for incident in incidents:
        seen[incident.rule] += 1
        if seen[incident.rule] <= max_per_rule:
            lines.append(str(incident))
            if seen[incident.rule] == 1:
                lines.append(f"    ({incident.rule}: {RULES.get(incident.rule, '')})")
    for rule, count in sorted(seen.items()):
        if count > max_per_rule:
            lines.append(f"... {count - max_per_rule} more {rule} incidents suppressed")
    total = sum(seen.values())
    lines.append(f"{total} problem{'s' if total != 1 else ''} found" if total else "valid: no problems found")
    return "\n".join(lines)


def format_json(incidents: Iterable[Incident]) -> str:
    return json.dumps([asdict(i) for i in incidents], ensure_ascii=False, indent=1)
