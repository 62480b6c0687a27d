"""datasheet.md: its statistics are what the data gives, and every Gebru section is there."""

from finnews.data.gold import load_gold
from finnews.data.paths import data_root
from finnews.release.datasheet import END, START, rendered_datasheet

SECTIONS = ("Motivation", "Composition", "Collection", "Preprocessing", "Uses", "Distribution", "Maintenance")


def test_committed_statistics_equal_what_the_data_gives():
    committed = (data_root() / "datasheet.md").read_text(encoding="utf-8")
    assert committed == rendered_datasheet(load_gold()), "run: python scripts/regenerate.py"


def test_datasheet_has_the_seven_sections_and_both_generated_blocks():
    text = (data_root() / "datasheet.md").read_text(encoding="utf-8")
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    for section in SECTIONS:
        assert any(section in h for h in headings), section
    assert text.count(START) == text.count(END) == 1
    assert text.count("<!-- baselines:start -->") == text.count("<!-- baselines:end -->") == 1
