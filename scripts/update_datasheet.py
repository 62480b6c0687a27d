"""Regenerate the statistics section of datasheet.md from the data (between its markers).

    python scripts/update_datasheet.py          # rewrites datasheet.md atomically if it changes
"""
from finnews.release.datasheet import rendered_datasheet
from finnews.data.jsonl import atomic_write_text
from finnews.data.paths import data_root

path = data_root() / "datasheet.md"
new = rendered_datasheet()
if new != path.read_text(encoding="utf-8"):
    atomic_write_text(path, new)
    print(f"updated the statistics in {path}")
else:
    print(f"{path} is up to date")
