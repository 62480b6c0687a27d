"""FinNews-ZH: an annotated corpus and benchmark of Chinese financial news."""
from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("finnews-zh")
except PackageNotFoundError:  # running from a source tree without installing
    __version__ = "0+unknown"

# `finnews.evaluate(task, predictions, ...)`: the scorer behind `finnews evaluate` (the submodule
# stays importable as `from finnews.evaluate import score`)
from .evaluate import evaluate  # noqa: E402
