"""The `finnews` command. Each subcommand is a module of finnews.commands with HELP, add_arguments()
and run(); run() only parses what it was given, calls the library and prints."""
from __future__ import annotations

import argparse
import importlib
import keyword
import sys

COMMANDS = ("articles", "segment", "validate", "build", "pipeline", "diff", "publish", "evaluate", "baseline", "show", "stats",
            "export", "import")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="finnews", description="FinNews-ZH: Chinese financial news corpus tools.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMANDS:
        module_name = name.replace("-", "_") + ("_" if keyword.iskeyword(name) else "")  # import -> import_
        module = importlib.import_module(f"finnews.commands.{module_name}")
        p = sub.add_parser(name, help=module.HELP, description=module.__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
        module.add_arguments(p)
        p.set_defaults(run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except (KeyError, ValueError, FileNotFoundError, FileExistsError) as error:
        print(f"finnews {args.command}: error: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # the reader went away (`finnews diff ... | head`): not an error of ours
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
