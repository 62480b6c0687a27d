"""Exchange with annotation tools: Label Studio (export and import) and brat standoff (export).

The layer descriptions shared by both formats live in finnews.interop.layers; the record-level
diff (`diff_records`) there is format-neutral and may be reused by other commands.
"""
from finnews.interop.brat import export_brat
from finnews.interop.labelstudio import export_label_studio, format_incidents, import_label_studio, label_config, label_studio_tasks
from finnews.interop.layers import diff_records, format_diff

EXPORTERS = {"label-studio": export_label_studio, "brat": export_brat}  # format -> writer
IMPORTERS = {"label-studio": import_label_studio}  # format -> reader

__all__ = [
    "EXPORTERS",
    "IMPORTERS",
    "diff_records",
    "export_brat",
    "export_label_studio",
    "format_diff",
    "format_incidents",
    "import_label_studio",
    "label_config",
    "label_studio_tasks",
]
