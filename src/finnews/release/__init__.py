"""Releases: the build (rows, features, card, build), reading one back, diff and publish.

CONFIGS are the configs of every release; their features are declared in finnews.release.features.
"""

CONFIGS = ("sentences", "ner", "numeric_facts", "stance", "articles")
DEFAULT_CONFIG = "sentences"
