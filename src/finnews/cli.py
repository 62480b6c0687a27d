"""The `finnews` command. Each subcommand is a module of finnews.commands with HELP, add_arguments()
and run(); run() only parses what it was given, calls the library function of the same name and
prints. Command modules import the library inside run(), so that `finnews --help` starts fast.

Exit codes (README, "Errors"): 0 ok; 1 the data or input is wrong (every problem as
`path:line: rule: message`); 2 usage or environment (one line). A traceback is always a bug.
"""

from __future__ import annotations

import argparse
import importlib
import signal
import sys

from finnews.errors import DataError, FinnewsError

COMMANDS = (
    "articles",
    "segment",
    "validate",
    "build",
    "pipeline",
    "diff",
    "publish",
    "evaluate",
    "baseline",
    "show",
    "stats",
    "export",
    "import",
)


def _module(name: str):
    return importlib.import_module(f"finnews.commands.{name}_" if name == "import" else f"finnews.commands.{name}")


def build_parser() -> argparse.ArgumentParser:
    root_help = (
        "the data root (default: FINNEWS_ROOT, else the nearest folder at or above the current one holding corpus/articles.jsonl)"
    )
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--root", metavar="DIR", default=argparse.SUPPRESS, help=root_help)
    parser = argparse.ArgumentParser(prog="finnews", description="FinNews-ZH: Chinese financial news corpus tools.")
    parser.add_argument("--root", metavar="DIR", help=root_help)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMANDS:
        module = _module(name)
        p = sub.add_parser(
            name,
            help=module.HELP,
            description=module.__doc__,
            parents=[common],
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        module.add_arguments(p)
        p.set_defaults(run=module.run)
    return parser


def _utf8_output() -> None:
    """Print UTF-8 whatever the locale (output is Chinese text and JSONL), never failing on a character."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="backslashreplace")


def _terminate(signum: int, frame) -> None:
    """SIGTERM unwinds like Ctrl-C, so that every temporary file and folder is removed on the way out."""
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    from finnews.data.paths import set_root

    _utf8_output()
    if sys.argv and argv is None:  # the `finnews` command itself, not a caller inside a program
        signal.signal(signal.SIGTERM, _terminate)
    args = build_parser().parse_args(argv)
    set_root(args.root)
    try:
        return args.run(args)
    except DataError as error:
        print(error, file=sys.stderr)
        return error.exit_code
    except FinnewsError as error:
        print(f"finnews {args.command}: error: {error}", file=sys.stderr)
        return error.exit_code
    except BrokenPipeError:  # the reader went away (`finnews diff ... | head`): not an error of ours
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        print(f"finnews {args.command}: interrupted", file=sys.stderr)
        return 130
    finally:
        set_root(None)


if __name__ == "__main__":
    sys.exit(main())
