"""Publish a release folder (made by `finnews build`) to the Hugging Face Hub as a dataset repo:
verify every file against MANIFEST.json, create the repo if missing, refuse if the tag v<version>
already exists, upload the folder as one commit and tag it v<version>. The token is taken from
HF_TOKEN or the huggingface_hub login cache and never printed. --dry-run lists every file with its
size and sha256 and the operations, and touches no network. Exit 1 when the folder does not match
its MANIFEST.json (every problem as `path:0: rule: message`); 2 on another refusal or a Hub error.

Users then load it with: load_dataset("OWNER/NAME", "sentences", revision="v<version>")

example: finnews publish dist/finnews-zh-1.0.0 --repo-id OWNER/finnews-zh --dry-run
         HF_TOKEN=... finnews publish dist/finnews-zh-1.0.0 --repo-id OWNER/finnews-zh
"""

import argparse
from pathlib import Path

HELP = "upload a release folder to the Hugging Face Hub and tag it v<version>"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("folder", type=Path, metavar="DIR", help="a release folder, e.g. dist/finnews-zh-1.0.0")
    p.add_argument("--repo-id", required=True, metavar="OWNER/NAME", help="the dataset repo on the Hub")
    p.add_argument("--private", action="store_true", help="create the repo private (refuse if it exists and is public)")
    p.add_argument("--dry-run", action="store_true", help="print files, sizes, sha256 and operations; no network")
    p.add_argument("--endpoint", help="Hub URL (default: HF_ENDPOINT or https://huggingface.co)")


def run(args: argparse.Namespace) -> int:
    from finnews.release.publish import format_plan, format_result, plan_publish, publish

    if args.dry_run:
        print(format_plan(plan_publish(args.folder, args.repo_id, args.private)))
    else:
        print(format_result(publish(args.folder, args.repo_id, private=args.private, endpoint=args.endpoint)))
    return 0
