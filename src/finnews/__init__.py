"""FinNews-ZH: an annotated corpus and benchmark of Chinese financial news.

`finnews.evaluate(task, predictions, ...)` is the scorer behind `finnews evaluate`; it is loaded on
first use, so that `import finnews` stays light.
"""
from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("finnews-zh")
except PackageNotFoundError:  # running from a source tree without installing
    __version__ = "0+unknown"


def __getattr__(name: str):
    if name == "evaluate":
        from finnews.benchmark.evaluate import evaluate

        return evaluate
    raise AttributeError(f"module 'finnews' has no attribute {name!r}")
