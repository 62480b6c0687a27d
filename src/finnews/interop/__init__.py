"""Exchange with annotation tools: Label Studio (export and import) and brat standoff (export).

The layer descriptions shared by both formats live in finnews.interop.layers; the record-level
diff (`diff_records`) there is format-neutral and may be reused by other commands.
"""

from __future__ import annotations

from pathlib import Path

from finnews.errors import UsageError
from finnews.interop.layers import FORMATS


def export(
    fmt: str,
    layer: str,
    out: str | Path,
    *,
    article: str | None = None,
    force: bool = False,
    unit: str | None = None,
    predictions: bool = False,
    root: Path | None = None,
) -> list[Path]:
    """`finnews export`: write a layer for a tool; the files written."""
    if fmt == "label-studio":
        from finnews.interop.labelstudio import export_label_studio

        return export_label_studio(
            layer, out, root=root, article=article, unit=unit or "article", predictions=predictions, force=force
        )
    if fmt == "brat":
        if unit or predictions:
            raise UsageError("--unit and --predictions apply to label-studio only")
        from finnews.interop.brat import export_brat

        return export_brat(layer, out, root=root, article=article, force=force)
    raise UsageError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")


def import_(fmt: str, path: str | Path, **options):
    """`finnews import`: apply a tool's export to the layers (options: see import_label_studio)."""
    if fmt != "label-studio":
        raise UsageError(f"unknown format {fmt!r}: only label-studio exports can be imported")
    from finnews.interop.labelstudio import import_label_studio

    return import_label_studio(path, **options)
