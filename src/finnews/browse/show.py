"""The corpus browser: a static HTML site of the gold data (`finnews show --out DIR`).

index.html lists the articles with their counts per layer, split and review status, and draws the
label distributions per split as inline SVG; articles/ID.html shows every unit of an article with
its entities as <mark class="ent ent-TYPE"> elements, numeric expressions and stance evidence
underlined (<span class="num">, <span class="stance">), and a side table of every record with its
normalised fields, review status and source_issue note. No JavaScript; pages open from the file
system. The markup is XHTML-compatible (every element closed, every attribute quoted, all text
escaped) and the bytes depend only on the data.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from html import escape
from pathlib import Path

from finnews.browse.stats import label_sets, stats_of
from finnews.checks.validate import load_valid
from finnews.data.files import move_into_place, staged_folder
from finnews.data.gold import Gold
from finnews.data.schema import CHECKED
from finnews.errors import UsageError

MARKER = ".finnews-show"  # written into every site: --force only replaces one of ours, and only the files it lists
MARKER_HEADER = "made by `finnews show`; `finnews show --force` replaces the files listed below and keeps any other\n"
LAYER_TITLES = {
    "sentences": "sentences",
    "entities": "entities",
    "numeric_facts": "numeric facts",
    "stance": "stance",
    "stance_labels": "sentence labels",
}
# colours by position in a closed set (the sets themselves come from the schema)
PALETTE = ("#f4b6b6", "#b6d7f4", "#c9f4b6", "#f4e3b6", "#e0c6f4", "#b6f4ec", "#f4c9e6", "#ffd59e", "#d9d9d9", "#c6ccf4")
SPLIT_COLOURS = ("#4c78a8", "#f58518", "#54a24b", "#b279a2", "#9d755d")
POLARITY_COLOURS = {"positive": "#2e7d32", "negative": "#c62828", "neutral": "#757575"}


def esc(text: object) -> str:
    return escape(str(text), quote=True)


def attrs(pairs: dict[str, object]) -> str:
    return "".join(f' {name}="{esc(value)}"' for name, value in pairs.items() if value is not None)


# ---------------------------------------------------------------------------------------------
# Marked text: spans that may overlap, emitted as well-nested elements


@dataclass(frozen=True)
class Mark:
    """An element to wrap around text[start:end]. Lower rank nests outside higher rank; a mark that
    crosses the boundary of an outer one is split into pieces that carry the same attributes."""

    start: int
    end: int
    rank: int
    key: str
    tag: str
    attributes: tuple[tuple[str, str], ...] = ()
    anchor: str | None = None  # an id for the first piece only (ids are unique in a page)


def render_marked(text: str, marks: list[Mark]) -> str:
    """text with every mark as an element, well-nested: cut the text at every mark boundary; for
    each piece the marks covering it, outermost first, are the element stack; between pieces close
    what is no longer wanted (and everything inside it) and open what is new."""
    marks = [Mark(max(m.start, 0), min(m.end, len(text)), m.rank, m.key, m.tag, m.attributes, m.anchor) for m in marks]
    marks = [m for m in marks if m.start < m.end]
    cuts = sorted({0, len(text)} | {m.start for m in marks} | {m.end for m in marks})
    out: list[str] = []
    stack: list[Mark] = []
    opened: set[str] = set()
    for a, b in zip(cuts, cuts[1:]):
        wanted = sorted((m for m in marks if m.start <= a and b <= m.end), key=lambda m: (m.rank, m.start, -m.end, m.key))
        keep = 0
        while keep < len(stack) and keep < len(wanted) and stack[keep] == wanted[keep]:
            keep += 1
        out.extend(f"</{m.tag}>" for m in reversed(stack[keep:]))
        stack = stack[:keep]
        for m in wanted[keep:]:
            first = m.key not in opened
            opened.add(m.key)
            out.append(f"<{m.tag}{attrs({'id': m.anchor if first else None, **dict(m.attributes)})}>")
            stack.append(m)
        out.append(esc(text[a:b]))
    out.extend(f"</{m.tag}>" for m in reversed(stack))
    return "".join(out)


# ---------------------------------------------------------------------------------------------
# Record descriptions


def fmt_value(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer() and abs(value) < 1e16):
        return f"{int(value):,}" if abs(value) >= 10000 else str(int(value))  # 2024 stays 2024
    return repr(value)


def span_label(span: dict | None) -> str:
    """'text [start–end]' with the article offsets (as in the JSONL files); — for null; a holder
    without offsets is the writer or named outside the sentence."""
    if span is None:
        return "—"
    if span.get("start") is None:
        return f"{span['text']} (outside the sentence)" if span["text"] != "author" else "author (the writer)"
    return f"{span['text']} [{span['start']}–{span['end']}]"


def review_label(review: dict) -> str:
    parts = [
        f"annotator: {review['annotator']}",
        f"checked by: {review.get('checked_by') or '—'}",
        f"checked at: {review.get('checked_at') or '—'}",
    ]
    if review.get("note"):
        parts.append(f"note: {review['note']}")
    return "\n".join(parts)


def numeric_parts(record: dict) -> list[str]:
    """A numeric fact's value and unit, kind, approx (and iso), as the page shows them."""
    parts = [f"{fmt_value(record['value'])} {record['unit']}", record["kind"], record["approx"]]
    return parts + [f"iso {record['iso']}"] if record.get("iso") else parts


def numeric_summary(record: dict) -> str:
    return " · ".join(numeric_parts(record))


def status_cell(review: dict) -> str:
    status = review["status"]
    return f'<span class="status status-{esc(status)}" title="{esc(review_label(review))}">{esc(status)}</span>'


def issue_html(record: dict) -> str:
    if not record.get("source_issue"):
        return ""
    return f'<div class="issue">source_issue: {esc(record["source_issue"])}</div>'


def entity_row(record: dict) -> str:
    return (
        f'<tr class="row-ent" id="r-{esc(record["id"])}"><td class="rid"><a href="#{esc(record["id"])}">{esc(record["id"])}</a></td>'
        f"<td>{esc(span_label(record))}</td>"
        f'<td><span class="tag ent-{esc(record["type"])}">{esc(record["type"])}</span>{issue_html(record)}</td>'
        f"<td>{status_cell(record['review'])}</td></tr>"
    )


def numeric_row(record: dict) -> str:
    value, *rest = numeric_parts(record)
    main = " · ".join([f'<span class="v">{esc(value)}</span>', *map(esc, rest)])
    context = [
        (field.replace("_", " "), span_label(record[field]))
        for field in ("measured_property", "measured_entity", "period", "qualifier")
        if record.get(field)
    ]
    if record.get("change"):
        context.append(("change", f"{record['change']['type']} {record['change']['direction']}"))
    details = main + "".join(f'<br /><span class="k">{esc(k)}</span> {esc(v)}' for k, v in context)
    return (
        f'<tr class="row-num" id="r-{esc(record["id"])}"><td class="rid">{esc(record["id"])}</td>'
        f'<td><span class="num-sample">{esc(span_label(record))}</span></td>'
        f"<td>{details}{issue_html(record)}</td><td>{status_cell(record['review'])}</td></tr>"
    )


def stance_row(record: dict) -> str:
    polarity = record["polarity"]
    details = (
        f'<span class="k">holder</span> <span class="v">{esc(span_label(record["holder"]))}</span><br />'
        f'<span class="k">target</span> <span class="v">{esc(span_label(record["target"]))}</span><br />'
        f'<span class="k">polarity</span> <span class="pol pol-{esc(polarity)}">{esc(polarity)}</span>'
    )
    return (
        f'<tr class="row-stance" id="r-{esc(record["id"])}"><td class="rid">{esc(record["id"])}</td>'
        f'<td><span class="stance-sample">{esc(span_label(record))}</span></td>'
        f"<td>{details}{issue_html(record)}</td><td>{status_cell(record['review'])}</td></tr>"
    )


def record_marks(sentence: dict, entities: list[dict], numerics: list[dict], stances: list[dict]) -> list[Mark]:
    base = sentence["start"]
    marks = []
    for r in entities:
        title = f"{r['type']} · {r['id']} · {r['review']['status']}" + (
            f"\nsource_issue: {r['source_issue']}" if r.get("source_issue") else ""
        )
        marks.append(
            Mark(
                r["start"] - base,
                r["end"] - base,
                0,
                r["id"],
                "mark",
                (
                    ("class", f"ent ent-{r['type']}"),
                    ("data-status", r["review"]["status"]),
                    *((("data-issue", "yes"),) if r.get("source_issue") else ()),
                    ("title", title),
                ),
                anchor=r["id"],
            )
        )
    for r in numerics:
        title = f"{numeric_summary(r)} · {r['id']} · {r['review']['status']}"
        marks.append(_span_mark(r, base, 1, f"num num-{r['kind']}", title))
    for r in stances:
        title = f"stance {r['polarity']}: {r['holder']['text']} → {r['target']['text']} · {r['id']} · {r['review']['status']}"
        marks.append(_span_mark(r, base, 2, f"stance stance-{r['polarity']}", title))
    return marks


def _span_mark(r: dict, base: int, rank: int, css: str, title: str) -> Mark:
    """A numeric fact's or a stance's span: a <span> that refers to its record's row."""
    attributes = (("class", css), ("data-ref", r["id"]), ("data-status", r["review"]["status"]), ("title", title))
    return Mark(r["start"] - base, r["end"] - base, rank, r["id"], "span", attributes)


# ---------------------------------------------------------------------------------------------
# Pages


def page(title: str, body: str, css: str) -> str:
    return (
        "<!DOCTYPE html>\n"
        '<html xmlns="http://www.w3.org/1999/xhtml" lang="zh">\n<head>\n<meta charset="utf-8" />\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1" />\n'
        f'<title>{esc(title)}</title>\n<link rel="stylesheet" href="{css}" />\n</head>\n'
        f"<body>\n{body}</body>\n</html>\n"
    )


def stylesheet(sets: dict[str, list[str]]) -> str:
    rules = [
        '@charset "utf-8";',
        "body { font-family: 'Noto Sans CJK SC', 'WenQuanYi Zen Hei', sans-serif; margin: 1.5em auto; max-width: 1400px; padding: 0 1em; color: #222; }",
        "table { border-collapse: collapse; margin: 0.5em 0 1.5em; }",
        "th, td { border: 1px solid #ccc; padding: 0.2em 0.5em; vertical-align: top; text-align: left; }",
        "td.n { text-align: right; font-variant-numeric: tabular-nums; }",
        ".unit { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 4fr); gap: 1em; border-top: 1px solid #ddd; padding: 0.6em 0; }",
        ".unit-head { font-size: 0.8em; color: #555; margin-bottom: 0.3em; }",
        ".text { white-space: pre-wrap; font-size: 1.15em; line-height: 2.1; margin: 0; }",
        ".kind-title .text { font-size: 1.5em; font-weight: bold; }",
        ".kind-heading .text { font-weight: bold; }",
        ".kind-byline .text, .kind-caption .text { color: #555; font-style: italic; }",
        ".records { font-size: 0.8em; width: 100%; margin: 0; }",
        ".records .k { color: #777; }",
        "mark.ent { padding: 0.1em 0.05em; border-radius: 3px; }",
        "mark[data-status='draft'] { outline: 2px dashed #999; }",
        "mark[data-status='disputed'] { outline: 2px dashed #c62828; }",
        "mark[data-issue]::after { content: '\u26a0'; font-size: 0.7em; vertical-align: super; color: #c62828; }",
        ".num { border-bottom: 2px solid #1565c0; }",
        ".num-sample { border-bottom: 2px solid #1565c0; }",
        ".stance { text-decoration: underline wavy; text-decoration-thickness: 1.5px; text-underline-offset: 0.45em; }",
        ".stance-sample { text-decoration: underline wavy; }",
        ".issue { color: #c62828; margin-top: 0.2em; }",
        ".status { font-size: 0.85em; padding: 0 0.3em; border-radius: 3px; border: 1px solid #999; }",
        ".status-checked { background: #e8f5e9; }",
        ".status-draft { background: #fff8e1; }",
        ".status-disputed { background: #ffebee; }",
        ".pol { font-weight: bold; }",
        ".tag { padding: 0 0.3em; border-radius: 3px; }",
        ".legend span { margin-right: 0.6em; }",
        ".charts { display: flex; flex-wrap: wrap; gap: 1em 3em; align-items: flex-start; }",
        ".rid { white-space: nowrap; }",
        "svg text { font-size: 12px; font-family: sans-serif; }",
    ]
    for i, name in enumerate(sets["entity_type"]):
        colour = PALETTE[i % len(PALETTE)]
        rules.append(f"mark.ent-{name}, .tag.ent-{name} {{ background: {colour}; }}")
    for name in sets["polarity"]:
        colour = POLARITY_COLOURS.get(name, "#333")
        rules.append(f".stance-{name} {{ text-decoration-color: {colour}; }}")
        rules.append(f".pol-{name}, .label-{name} {{ color: {colour}; }}")
    return "\n".join(rules) + "\n"


def bar_chart(title: str, by_split_type: dict[str, dict[str, int]], splits: list[str]) -> str:
    """Horizontal grouped bars: one group per label, one bar per split."""
    labels = list(dict.fromkeys(label for counts in by_split_type.values() for label in counts))
    peak = max([n for counts in by_split_type.values() for n in counts.values()] + [1])
    bar, gap, left, width = 10, 8, 110, 260
    group = bar * len(splits) + gap
    height = 24 + group * len(labels) + 20
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{left + width + 60}" '
        f'height="{height}" viewBox="0 0 {left + width + 60} {height}" aria-label="{esc(title)}">',
        f"<title>{esc(title)}</title>",
        f'<text x="0" y="14" font-weight="bold">{esc(title)}</text>',
    ]
    for g, label in enumerate(labels):
        y0 = 24 + g * group
        parts.append(f'<text x="{left - 6}" y="{y0 + bar * len(splits) / 2 + 4:.1f}" text-anchor="end">{esc(label)}</text>')
        for k, split in enumerate(splits):
            n = by_split_type.get(split, {}).get(label, 0)
            w = width * n / peak
            y = y0 + k * bar
            parts.append(
                f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{bar - 1}" fill="{SPLIT_COLOURS[k % len(SPLIT_COLOURS)]}">'
                f"<title>{esc(f'{label} / {split}: {n}')}</title></rect>"
            )
            parts.append(f'<text x="{left + w + 3:.1f}" y="{y + bar - 1}" font-size="9">{n}</text>')
    ly = height - 6
    for k, split in enumerate(splits):
        x = left + k * 90
        parts.append(f'<rect x="{x}" y="{ly - 9}" width="10" height="10" fill="{SPLIT_COLOURS[k % len(SPLIT_COLOURS)]}" />')
        parts.append(f'<text x="{x + 14}" y="{ly}">{esc(split)}</text>')
    parts.append("</svg>")
    return "\n".join(parts)


def counts_table(result: dict, statuses: list[str]) -> str:
    splits = list(result["by_split"])
    head = "".join(f"<th>{esc(h)}</th>" for h in ["layer", "total", *splits, *statuses, "source_issue"])
    rows = []
    for layer, v in result["layers"].items():
        cells = [
            v["total"],
            *[v["by_split"].get(s, 0) for s in splits],
            *[v["by_status"].get(s, 0) for s in statuses],
            v["source_issues"],
        ]
        rows.append(
            f"<tr><td>{esc(LAYER_TITLES.get(layer, layer))}</td>" + "".join(f'<td class="n">{c}</td>' for c in cells) + "</tr>"
        )
    return f'<table class="counts"><thead><tr>{head}</tr></thead><tbody>\n' + "\n".join(rows) + "\n</tbody></table>\n"


def article_counts(gold: Gold, article: str, layer: str) -> tuple[int, int, int]:
    """(records, records not `checked`, records with a source_issue) of one article in a layer."""
    records = [r for r in gold.layers.get(layer, []) if r["article"] == article]
    return (
        len(records),
        sum(1 for r in records if r["review"]["status"] != CHECKED),
        sum(1 for r in records if r.get("source_issue")),
    )


def index_page(gold: Gold, result: dict, sets: dict[str, list[str]]) -> str:
    layers = [layer for layer in result["layers"]]
    splits = list(result["by_split"])
    body = [
        "<h1>FinNews-ZH corpus browser</h1>",
        f"<p>{result['articles']} articles, {result['sentences']} units (sentences, titles, bylines, captions, headings), "
        f"{result['characters']} characters. Every review status is shown; records not yet <code>checked</code> "
        "are outlined in the article pages and counted below.</p>",
    ]
    body.append("<h2>Articles</h2>")
    head = "".join(
        f"<th>{esc(h)}</th>"
        for h in ["article", "title", "kind", "split", "characters"] + [LAYER_TITLES[name] for name in layers]
    )
    rows = []
    for a in gold.articles:
        cells = []
        for layer in layers:
            n, unchecked, issues = article_counts(gold, a["id"], layer)
            extra = (
                f' <span class="status status-draft" title="not checked">{unchecked} unchecked</span>' if unchecked else ""
            ) + (f' <span class="issue" title="records with a source_issue note">{issues} \u26a0</span>' if issues else "")
            cells.append(f'<td class="n">{n}{extra}</td>')
        rows.append(
            f'<tr><td><a href="articles/{esc(a["id"])}.html">{esc(a["id"])}</a></td><td>{esc(a.get("title", ""))}</td>'
            f"<td>{esc(a.get('kind', ''))}</td><td>{esc(gold.splits.get(a['id'], 'unassigned'))}</td>"
            f'<td class="n">{len(gold.texts[a["id"]])}</td>' + "".join(cells) + "</tr>"
        )
    body.append(f"<table><thead><tr>{head}</tr></thead><tbody>\n" + "\n".join(rows) + "\n</tbody></table>")
    body.append("<h2>Counts per layer, split and review status</h2>")
    body.append(counts_table(result, sets["status"]))
    body.append("<h2>Label distributions per split</h2>")
    charts = []
    for layer, v in result["layers"].items():
        charts.append(bar_chart(f"{LAYER_TITLES[layer]} by {v['type_field']}", v["by_split_type"], splits))
        if layer == "numeric_facts":
            # units per split from the records (the stats keep only the overall unit counts)
            by_split_unit = {s: {u: 0 for u in v["fields"]["unit"]} for s in splits}
            for r in gold.layers[layer]:
                split = gold.splits.get(r["article"], "unassigned")
                by_split_unit.setdefault(split, {u: 0 for u in v["fields"]["unit"]})[r["unit"]] += 1
            charts.append(bar_chart("numeric facts by unit", by_split_unit, splits))
    body.append('<div class="charts">\n' + "\n".join(charts) + "\n</div>")
    body.append(
        '<p class="legend">Entity types: '
        + "".join(f'<span class="tag ent-{esc(t)}">{esc(t)}</span>' for t in sets["entity_type"])
        + "</p>"
    )
    return page("FinNews-ZH corpus browser", "\n".join(body) + "\n", "style.css")


def unit_html(sentence: dict, records: dict[str, list[dict]]) -> str:
    entities, numerics, stances = records["entities"], records["numeric_facts"], records["stance"]
    labels = records["stance_labels"]
    head = [
        f'<a class="uid" href="#{esc(sentence["id"])}">{esc(sentence["id"])}</a>',
        f'<span class="kind">{esc(sentence["kind"])}</span>',
        f"[{sentence['start']}–{sentence['end']}]",
        f"unit {status_cell(sentence['review'])}",
    ]
    for label in labels:
        head.append(
            f'· <span class="label label-{esc(label["label"])}" title="{esc(label["id"])}">'
            f"label {esc(label['label'])}</span> {status_cell(label['review'])}"
        )
    issues = "".join(issue_html(r) for r in labels)
    text = render_marked(sentence["text"], record_marks(sentence, entities, numerics, stances))
    rows = [entity_row(r) for r in entities] + [numeric_row(r) for r in numerics] + [stance_row(r) for r in stances]
    table = (
        (
            '<table class="records"><thead><tr><th>id</th><th>span [article offsets]</th><th>annotation</th><th>review</th></tr></thead>'
            "<tbody>\n" + "\n".join(rows) + "\n</tbody></table>"
        )
        if rows
        else ""
    )
    return (
        f'<section class="unit kind-{esc(sentence["kind"])}" id="{esc(sentence["id"])}">\n'
        f'<div><div class="unit-head">{" ".join(head)}</div>{issues}<p class="text">{text}</p></div>\n'
        f"<div>{table}</div>\n</section>\n"
    )


def sort_key(record: dict) -> tuple:
    return (record["start"], record["end"], record.get("id", ""))


def article_page(gold: Gold, article: dict, sets: dict[str, list[str]]) -> str:
    aid = article["id"]
    units = sorted((s for s in gold.sentences if s["article"] == aid), key=lambda s: (s["start"], s["idx"]))
    grouped = {layer: {s["id"]: [] for s in units} for layer in ("entities", "numeric_facts", "stance", "stance_labels")}
    for layer, by_unit in grouped.items():
        for record in gold.layers.get(layer, []):
            if record["article"] == aid and units:
                by_unit[gold.sentence_of(record)["id"]].append(record)
        for records in by_unit.values():
            records.sort(key=sort_key)
    meta = [
        ("id", aid),
        ("split", gold.splits.get(aid, "unassigned")),
        ("kind", article.get("kind", "")),
        ("date", f"{article.get('date', '')} ({article.get('date_basis', '')})"),
        ("byline", article.get("byline", "")),
        ("truncated", "yes" if article.get("truncated") else "no"),
        ("characters", len(gold.texts[aid])),
    ]
    body = [
        '<p><a href="../index.html">← all articles</a></p>',
        f"<h1>{esc(article.get('title', aid))}</h1>",
        "<table>"
        + "".join(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in meta)
        + "".join(f"<tr><th>note</th><td>{esc(n)}</td></tr>" for n in article.get("notes", []))
        + "</table>",
    ]
    counts = []
    for layer in ("sentences", "entities", "numeric_facts", "stance", "stance_labels"):
        n, unchecked, issues = article_counts(gold, aid, layer)
        counts.append(
            f"<li>{esc(LAYER_TITLES[layer])}: {n}"
            + (f", {unchecked} not checked" if unchecked else "")
            + (f", {issues} with a source_issue" if issues else "")
            + "</li>"
        )
    body.append("<ul>" + "".join(counts) + "</ul>")
    flagged = [
        r
        for layer in ("sentences", "entities", "numeric_facts", "stance", "stance_labels")
        for r in gold.layers.get(layer, [])
        if r["article"] == aid and (r.get("source_issue") or r["review"]["status"] != CHECKED)
    ]
    if flagged:
        items = "".join(
            f'<li><a href="#{esc(gold.sentence_of(r)["id"])}">{esc(r["id"])}</a> {esc(r["text"])}: '
            f"{status_cell(r['review'])}"
            + (f' <span class="issue">source_issue: {esc(r["source_issue"])}</span>' if r.get("source_issue") else "")
            + "</li>"
            for r in sorted(flagged, key=lambda r: (r["start"], r["id"]))
        )
        body.append(f"<h2>To look at</h2><ul>{items}</ul>")
    body.append(
        '<p class="legend">Entities: '
        + "".join(f'<span class="tag ent-{esc(t)}">{esc(t)}</span>' for t in sets["entity_type"])
        + ' <span class="num">numeric expression</span> <span class="stance stance-positive">stance evidence</span>'
        " (hover for details; dashed outline: not checked; ⚠: source_issue)</p>"
    )
    body.append("<h2>Units</h2>")
    for s in units:
        body.append(unit_html(s, {layer: grouped[layer][s["id"]] for layer in grouped}))
    return page(f"{article.get('title', aid)} — FinNews-ZH", "\n".join(body), "../style.css")


def render_site(root: Path | str | None = None) -> dict[str, str]:
    """Relative file name -> content of every file of the site (nothing written)."""
    gold = load_valid(root)
    result = stats_of(gold)
    sets = label_sets()
    files = {"style.css": stylesheet(sets), "index.html": index_page(gold, result, sets)}
    for article in gold.articles:
        files[f"articles/{article['id']}.html"] = article_page(gold, article, sets)
    files[MARKER] = MARKER_HEADER + "".join(f"{name}\n" for name in sorted(files))
    return dict(sorted(files.items()))


def _ours(out: Path) -> set[str]:
    """The files an earlier `finnews show` wrote into out (listed in its marker)."""
    lines = (out / MARKER).read_text(encoding="utf-8").splitlines()
    return {line for line in lines[1:] if line} | {MARKER}


def write_site(files: dict[str, str], out: Path | str, force: bool = False) -> None:
    """Build the site in a temporary folder beside out, then rename it into place. An existing
    non-empty out is refused, unless force and it is a site this module made (it has MARKER);
    then the files it wrote are replaced and any other file in it is kept."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out} exists and is not a directory")
    keep: list[Path] = []
    if out.is_dir() and any(out.iterdir()):
        if not force:
            raise UsageError(f"{out} exists and is not empty; pass --force to replace a site made by finnews show")
        if not (out / MARKER).is_file():
            raise UsageError(
                f"{out} is not a site made by `finnews show` (no {MARKER}); refusing to replace it even with --force"
            )
        ours = _ours(out)
        keep = [p for p in sorted(out.rglob("*")) if p.is_file() and p.relative_to(out).as_posix() not in ours]
    with staged_folder(out) as tmp:
        for name, text in files.items():
            path = tmp / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="\n")
        for path in keep:  # a file someone put into the site folder is theirs
            target = tmp / path.relative_to(out)
            if not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, target)
        move_into_place(tmp, out, replace=force)


def show(out: Path | str, root: Path | str | None = None, force: bool = False) -> list[str]:
    """Write the corpus browser for the data under root into out; return the files written."""
    files = render_site(root)
    write_site(files, out, force)
    return list(files)
