"""The corpus browser: well-nested marks for overlapping spans, escaping, well-formed and
deterministic pages, safe writing, and a real browser (headless Chromium) rendering a page."""

import argparse
import os
import shutil
import signal
import struct
import subprocess
import tempfile
import time
import xml.etree.ElementTree as ET
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import browser

from finnews.browse.show import MARKER, Mark, render_marked, render_site, show
from finnews.commands import show as show_command
from finnews.data.files import umask
from finnews.data.jsonl import read_jsonl, write_jsonl
from finnews.data.paths import data_root
from finnews.errors import DataError, UsageError

MINI = Path(__file__).parent / "fixtures" / "mini"
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


# --- helpers: a nesting checker and a small DOM reader (standard library only) -------------------


class NestingChecker(HTMLParser):
    """Every non-void element opened is closed, in order; no duplicate attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, tuple[int, int]]] = []
        self.errors: list[str] = []

    def _attributes(self, tag, attrs):
        names = [name for name, _ in attrs]
        if len(names) != len(set(names)):
            self.errors.append(f"{self.getpos()}: <{tag}> repeats an attribute")

    def handle_starttag(self, tag, attrs):
        self._attributes(tag, attrs)
        if tag not in VOID:
            self.stack.append((tag, self.getpos()))

    def handle_startendtag(self, tag, attrs):
        self._attributes(tag, attrs)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1][0] != tag:
            self.errors.append(f"{self.getpos()}: </{tag}> closes {self.stack[-1] if self.stack else 'nothing'}")
        else:
            self.stack.pop()

    def close(self):
        super().close()
        self.errors.extend(f"<{tag}> opened at {pos} never closed" for tag, pos in self.stack)


def well_formedness_errors(html: str) -> list[str]:
    checker = NestingChecker()
    checker.feed(html)
    checker.close()
    try:
        ET.fromstring(html.split("\n", 1)[1] if html.startswith("<!DOCTYPE") else html)
    except ET.ParseError as error:
        checker.errors.append(f"XML: {error}")
    return checker.errors


class Element:
    def __init__(self, tag: str, attrs: dict[str, str]) -> None:
        self.tag, self.attrs, self.text = tag, attrs, ""

    @property
    def classes(self) -> list[str]:
        return (self.attrs.get("class") or "").split()


class DomReader(HTMLParser):
    """All elements in document order with their attributes and full text content."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self.open: list[Element] = []

    def handle_starttag(self, tag, attrs):
        element = Element(tag, dict(attrs))
        self.elements.append(element)
        if tag not in VOID:
            self.open.append(element)

    def handle_startendtag(self, tag, attrs):
        self.elements.append(Element(tag, dict(attrs)))

    def handle_endtag(self, tag):
        while self.open:
            if self.open.pop().tag == tag:
                break

    def handle_data(self, data):
        for element in self.open:
            element.text += data


def elements(html: str) -> list[Element]:
    reader = DomReader()
    reader.feed(html)
    reader.close()
    return reader.elements


def entity_marks(dom: list[Element]) -> Counter:
    return Counter(next(c[4:] for c in e.classes if c.startswith("ent-")) for e in dom if e.tag == "mark" and "ent" in e.classes)


def pieces_by_ref(dom: list[Element], cls: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for e in dom:
        if e.tag == "span" and cls in e.classes and "data-ref" in e.attrs:
            out[e.attrs["data-ref"]] = out.get(e.attrs["data-ref"], "") + e.text
    return out


def overlap_root(tmp_path: Path) -> Path:
    """The mini corpus plus records that overlap: stance evidence crossing into and out of the
    entity 港股 and overlapping another stance record, a numeric span crossing 腾讯控股, and a
    draft entity whose source_issue and the article's note need escaping."""
    root = tmp_path / "root"
    shutil.copytree(MINI, root)
    ann = root / "annotations"
    stance = read_jsonl(ann / "stance.jsonl")
    review = stance[0]["review"]
    holder = stance[0]["holder"]
    target = stance[0]["target"]
    # 机构认为港股有望上行。 = offsets 35..46; 港股 = 39..41; existing evidence 有望上行 = 41..45
    stance.append(
        {
            "id": "mini-t002",
            "article": "mini",
            "start": 37,
            "end": 41,
            "text": "认为港股",
            "holder": holder,
            "target": target,
            "polarity": "neutral",
            "review": review,
        }
    )
    stance.append(
        {
            "id": "mini-t003",
            "article": "mini",
            "start": 39,
            "end": 43,
            "text": "港股有望",
            "holder": holder,
            "target": target,
            "polarity": "negative",
            "review": review,
        }
    )
    write_jsonl(ann / "stance.jsonl", sorted(stance, key=lambda r: (r["start"], r["end"], r["id"])))
    numeric = read_jsonl(ann / "numeric_facts.jsonl")
    numeric.append(
        {
            **numeric[0],
            "id": "mini-n002",
            "start": 18,
            "end": 22,
            "text": "控股年内",
            "value": 1.5,
            "unit": "times",
            "kind": "ratio",
            "measured_property": None,
            "measured_entity": None,
            "period": None,
        }
    )
    write_jsonl(ann / "numeric_facts.jsonl", sorted(numeric, key=lambda r: (r["start"], r["end"], r["id"])))
    entities = read_jsonl(ann / "entities.jsonl")
    entities[2]["review"] = {**entities[2]["review"], "status": "draft"}
    entities[2]["source_issue"] = 'quote " and <b>tag</b> & amp'
    write_jsonl(ann / "entities.jsonl", entities)
    articles = read_jsonl(root / "corpus" / "articles.jsonl")
    articles[0]["notes"] = ["<script>alert(1)</script> & co"]
    write_jsonl(root / "corpus" / "articles.jsonl", articles)
    return root


# --- render_marked --------------------------------------------------------------------------------


def marks(*spans: tuple[int, int, int, str]) -> list[Mark]:
    return [Mark(start, end, rank, key, "span", (("class", key),)) for start, end, rank, key in spans]


def test_disjoint_and_nested_marks():
    assert (
        render_marked("abcdef", marks((0, 2, 0, "e"), (3, 5, 1, "n"))) == '<span class="e">ab</span>c<span class="n">de</span>f'
    )
    assert render_marked("abcdef", marks((1, 5, 1, "n"), (2, 4, 0, "e"))) == (
        'a<span class="n">b</span><span class="e"><span class="n">cd</span></span><span class="n">e</span>f'
    )
    assert (
        render_marked("abcdef", marks((0, 6, 0, "e"), (2, 4, 1, "n"))) == '<span class="e">ab<span class="n">cd</span>ef</span>'
    )


def test_crossing_marks_are_split_and_outer_rank_is_never_split():
    html = render_marked("abcdef", marks((0, 3, 0, "e"), (2, 5, 1, "n")))
    assert html == '<span class="e">ab<span class="n">c</span></span><span class="n">de</span>f'
    html = render_marked("abcdefgh", marks((2, 6, 0, "e"), (0, 4, 1, "n"), (3, 8, 2, "s")))
    assert well_formedness_errors(f"<p>{html}</p>") == []
    dom = elements(html)
    assert [e.text for e in dom if e.classes == ["e"]] == ["cdef"]
    assert "".join(e.text for e in dom if e.classes == ["n"]) == "abcd"
    assert "".join(e.text for e in dom if e.classes == ["s"]) == "defgh"


def test_text_is_escaped_and_kept_exactly():
    text = "a<b>&\"c'  \td"
    html = render_marked(text, [Mark(1, 4, 0, "x", "mark", (("title", '"<&>'),), anchor="x-1")])
    assert html == 'a<mark id="x-1" title="&quot;&lt;&amp;&gt;">&lt;b&gt;</mark>&amp;&quot;c&#x27;  \td'
    assert "".join(e.text for e in elements(f"<p>{html}</p>")[:1]) == text


def test_anchor_only_on_first_piece_and_spans_clipped_to_the_text():
    html = render_marked("abcd", [Mark(0, 2, 0, "e", "mark", anchor="e"), Mark(1, 9, 1, "n", "span", anchor="n")])
    assert html.count('id="n"') == 1 and html.count('id="e"') == 1
    assert html.endswith("<span>cd</span>")
    assert render_marked("abc", [Mark(2, 2, 0, "z", "mark")]) == "abc"


# --- pages -----------------------------------------------------------------------------------------


def test_mini_site_marks_match_the_data():
    files = render_site(MINI)
    assert set(files) == {"index.html", "style.css", "articles/mini.html", MARKER}
    for name, text in files.items():
        if name.endswith(".html"):
            assert well_formedness_errors(text) == [], name
    dom = elements(files["articles/mini.html"])
    assert entity_marks(dom) == Counter(r["type"] for r in read_jsonl(MINI / "annotations" / "entities.jsonl"))
    assert pieces_by_ref(dom, "num") == {"mini-n001": "2634.41亿港元"}
    assert pieces_by_ref(dom, "stance") == {"mini-t001": "有望上行"}
    units = {e.attrs["id"]: e for e in dom if e.tag == "section"}
    sentences = read_jsonl(MINI / "annotations" / "sentences.jsonl")
    assert list(units) == [s["id"] for s in sentences]
    texts = [e.text for e in dom if e.tag == "p" and "text" in e.classes]
    assert texts == [s["text"] for s in sentences]
    rows = {e.attrs["id"] for e in dom if e.tag == "tr" and "id" in e.attrs}
    assert {"r-mini-n001", "r-mini-t001", "r-mini-e001"} <= rows
    assert "263,441,000,000 HKD" in files["articles/mini.html"] and "label positive" in files["articles/mini.html"]


def test_index_counts_and_charts():
    files = render_site(MINI)
    dom = elements(files["index.html"])
    links = [e.attrs["href"] for e in dom if e.tag == "a"]
    assert links == ["articles/mini.html"]
    charts = [e for e in dom if e.tag == "svg"]
    assert len(charts) == 6  # a chart per layer (5) and numeric units
    assert any("entities by type" in e.attrs.get("aria-label", "") for e in charts)
    bars = {e.text for e in dom if e.tag == "title" and " / " in e.text}
    assert {"COMPANY / test: 2", "MARKET / test: 1", "PER / test: 0", "positive / test: 1", "HKD / test: 1"} <= bars


def test_overlapping_records_are_well_nested_and_complete(tmp_path):
    root = overlap_root(tmp_path)
    files = render_site(root)
    page = files["articles/mini.html"]
    assert well_formedness_errors(page) == []
    dom = elements(page)
    assert entity_marks(dom) == Counter({"COMPANY": 2, "MARKET": 1})  # entities are never split
    assert pieces_by_ref(dom, "stance") == {"mini-t001": "有望上行", "mini-t002": "认为港股", "mini-t003": "港股有望"}
    assert pieces_by_ref(dom, "num") == {"mini-n001": "2634.41亿港元", "mini-n002": "控股年内"}
    assert sum(1 for e in dom if e.attrs.get("data-ref") == "mini-n002") == 2  # cut at the end of 腾讯控股
    texts = [e.text for e in dom if e.tag == "p" and "text" in e.classes]
    assert texts == [s["text"] for s in read_jsonl(root / "annotations" / "sentences.jsonl")]
    draft = next(e for e in dom if e.tag == "mark" and e.attrs.get("id") == "mini-e003")
    assert draft.attrs["data-status"] == "draft" and "data-issue" in draft.attrs
    assert "source_issue: quote &quot; and &lt;b&gt;tag&lt;/b&gt; &amp; amp" in page
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in page


def test_real_data_pages_are_well_formed_and_mark_every_entity():
    files = render_site()
    entities = read_jsonl(data_root() / "annotations" / "entities.jsonl")
    numeric = read_jsonl(data_root() / "annotations" / "numeric_facts.jsonl")
    stance_file = data_root() / "annotations" / "stance.jsonl"  # may be missing while annotation is under way
    stance = read_jsonl(stance_file) if stance_file.is_file() else []
    found, nums, views = Counter(), {}, {}
    for name, text in files.items():
        if name.endswith(".html"):
            assert well_formedness_errors(text) == [], name
        if name.startswith("articles/"):
            dom = elements(text)
            found += entity_marks(dom)
            nums.update(pieces_by_ref(dom, "num"))
            views.update(pieces_by_ref(dom, "stance"))
            ids = [e.attrs["id"] for e in dom if "id" in e.attrs]
            assert len(ids) == len(set(ids)), name
    assert found == Counter(r["type"] for r in entities)
    assert nums == {r["id"]: r["text"] for r in numeric}
    assert views == {r["id"]: r["text"] for r in stance}


def test_same_data_same_bytes(tmp_path):
    show(tmp_path / "a", root=MINI)
    show(tmp_path / "b", root=MINI)
    listing = sorted(str(p.relative_to(tmp_path / "a")) for p in (tmp_path / "a").rglob("*"))
    assert listing == sorted(str(p.relative_to(tmp_path / "b")) for p in (tmp_path / "b").rglob("*"))
    for name in listing:
        a, b = tmp_path / "a" / name, tmp_path / "b" / name
        assert a.is_dir() or a.read_bytes() == b.read_bytes(), name


# --- writing -----------------------------------------------------------------------------------


def test_refuses_non_empty_dir_without_force_and_foreign_dir_even_with_force(tmp_path):
    out = tmp_path / "site"
    out.mkdir()
    (out / "keep.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(UsageError, match="--force"):
        show(out, root=MINI)
    with pytest.raises(UsageError, match="not a site made by"):
        show(out, root=MINI, force=True)
    assert [p.name for p in out.iterdir()] == ["keep.txt"]
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(UsageError, match="not a directory"):
        show(tmp_path / "file", root=MINI)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file", "site"]  # no temporary folders left


def test_force_replaces_only_what_an_earlier_site_wrote(tmp_path):
    out = tmp_path / "site"
    out.mkdir()
    written = show(out, root=MINI)
    assert (out / "articles" / "mini.html").is_file() and "index.html" in written
    (out / "notes.html").write_text("mine", encoding="utf-8")  # a file the user put there
    (out / "articles" / "my-comments.txt").write_text("mine too", encoding="utf-8")
    (out / "index.html").write_text("old", encoding="utf-8")  # one of ours, outdated
    (out / "articles" / "gone.html").write_text("old", encoding="utf-8")
    marker = (out / MARKER).read_text(encoding="utf-8")
    (out / MARKER).write_text(marker + "articles/gone.html\n", encoding="utf-8")  # a page an earlier site had
    with pytest.raises(UsageError):
        show(out, root=MINI)
    show(out, root=MINI, force=True)
    assert (out / "notes.html").read_text(encoding="utf-8") == "mine"
    assert (out / "articles" / "my-comments.txt").read_text(encoding="utf-8") == "mine too"
    assert (out / "index.html").read_text(encoding="utf-8") != "old" and not (out / "articles" / "gone.html").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
    assert oct(out.stat().st_mode & 0o777) == oct(0o777 & ~umask())


def test_failed_build_leaves_nothing(tmp_path):
    with pytest.raises(DataError, match="file-missing"):
        show(tmp_path / "site", root=tmp_path / "no-data")
    assert list(tmp_path.iterdir()) == []


def test_command_writes_the_site(monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("FINNEWS_ROOT", str(MINI))
    parser = argparse.ArgumentParser()
    show_command.add_arguments(parser)
    assert show_command.run(parser.parse_args(["--out", str(tmp_path / "site")])) == 0
    assert "wrote 4 files" in capsys.readouterr().out
    assert (tmp_path / "site" / "articles" / "mini.html").is_file()
    with pytest.raises(SystemExit):
        parser.parse_args([])  # --out is required


# --- a real browser ------------------------------------------------------------------------------

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium(args: list[str], profile: Path) -> str:
    binary = browser()
    process = subprocess.Popen(
        [binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        out, err = process.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        pytest.fail("chromium did not finish within 60 s")
    assert process.returncode == 0, err[-2000:]
    return out


@pytest.mark.browser
def test_chromium_renders_the_marks_and_a_screenshot(tmp_path):
    started = time.monotonic()
    root = overlap_root(tmp_path)
    site = tmp_path / "site"
    show(site, root=root)
    url = (site / "articles" / "mini.html").as_uri()
    with tempfile.TemporaryDirectory() as profile:
        dom = elements(chromium(["--dump-dom", url], Path(profile)))
    expected = Counter(r["type"] for r in read_jsonl(root / "annotations" / "entities.jsonl"))
    assert entity_marks(dom) == expected and sum(expected.values()) == 3
    assert pieces_by_ref(dom, "num") == {r["id"]: r["text"] for r in read_jsonl(root / "annotations" / "numeric_facts.jsonl")}
    assert pieces_by_ref(dom, "stance") == {r["id"]: r["text"] for r in read_jsonl(root / "annotations" / "stance.jsonl")}
    texts = [e.text for e in dom if e.tag == "p" and "text" in e.classes]
    assert texts == [s["text"] for s in read_jsonl(root / "annotations" / "sentences.jsonl")]
    assert not any(e.tag == "script" for e in dom)  # the escaped title stayed text

    shot = tmp_path / "page.png"
    with tempfile.TemporaryDirectory() as profile:
        chromium([f"--screenshot={shot}", "--window-size=1280,2000", url], Path(profile))
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) == (1280, 2000)
    assert len(data) > 20_000, "the screenshot looks blank"
    assert time.monotonic() - started < 30
