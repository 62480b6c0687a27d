"""Write an annotation layer for an annotation tool.

label-studio: OUT/<layer>.label-studio.json, a Label Studio import file (one task per article, or
per sentence with --unit sentence; the current records as annotations, or as predictions with
--predictions; offsets in UTF-16 code units as Label Studio counts them; region ids = record ids)
and OUT/<layer>.label-studio.xml, the labeling config for the layer. Edit, export from Label Studio
as JSON, and bring the changes back with `finnews import label-studio`.
brat: OUT/<article>.txt, OUT/<article>.ann and OUT/annotation.conf (code-point offsets), one layer
per directory; every span is written once, and a numeric fact or stance record is an event whose
arguments are its secondary spans. Existing files are never overwritten without --force.

example: finnews export label-studio --layer entities --article hk-buybacks --predictions --out ls/
         finnews export label-studio --layer stance --unit sentence --article hk-buybacks --out ls/
         finnews export brat --layer numeric_facts --out brat/
"""

import argparse

from finnews.interop.layers import EXCHANGE_LAYERS, FORMATS, UNITS

HELP = "write a layer as Label Studio tasks + labeling config, or as brat standoff"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("format", choices=FORMATS, help="the tool's format")
    p.add_argument("--layer", required=True, choices=EXCHANGE_LAYERS)
    p.add_argument("--article", metavar="ID", help="only this article")
    p.add_argument("--unit", choices=UNITS, help="label-studio: one task per article (default) or per sentence")
    p.add_argument("--predictions", action="store_true", help="label-studio: the records as predictions, not annotations")
    p.add_argument("--out", required=True, metavar="DIR", help="output directory")
    p.add_argument("--force", action="store_true", help="overwrite existing output files")


def run(args: argparse.Namespace) -> int:
    from finnews.interop import export

    for path in export(
        args.format, args.layer, args.out, article=args.article, force=args.force, unit=args.unit, predictions=args.predictions
    ):
        print(path)
    return 0
