"""FinNews-ZH: an annotated corpus and benchmark of Chinese financial news.

`finnews.evaluate(task, predictions, ...)` is the scorer behind `finnews evaluate`, and
`finnews.__version__` the installed version; both are loaded on first use, so that `import finnews`
stays light.
"""


def __getattr__(name: str):
    if name == "evaluate":
        from finnews.benchmark.evaluate import evaluate

        return evaluate
    if name == "__version__":
        from finnews.data.version import installed_version

        return installed_version()
    raise AttributeError(f"module 'finnews' has no attribute {name!r}")
