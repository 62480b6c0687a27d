"""Give every article of corpus/articles.jsonl a split, keeping every existing assignment.

python scripts/assign_splits.py          # writes corpus/splits.json (atomically) if it changes
"""

import json

from finnews.data.corpus import load_articles
from finnews.data.files import atomic_write_text
from finnews.data.paths import corpus_dir
from finnews.data.splits import assign_splits

path = corpus_dir() / "splits.json"
current = json.loads(path.read_text(encoding="utf-8"))
assigned = assign_splits(load_articles(), current["articles"])
new = sorted(set(assigned) - set(current["articles"]))
if new:
    atomic_write_text(path, json.dumps({**current, "articles": assigned}, ensure_ascii=False, indent=2) + "\n")
    print("assigned:", ", ".join(f"{a} -> {assigned[a]}" for a in new))
else:
    print("every article already has a split; nothing written")
