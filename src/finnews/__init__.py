"""FinNews-ZH: an annotated corpus and benchmark of Chinese financial news."""
from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("finnews-zh")
except PackageNotFoundError:  # running from a source tree without installing
    __version__ = "0+unknown"
