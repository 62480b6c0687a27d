"""Real baseline systems: pure functions over sentence texts, each importing its library lazily
(pip install 'finnews-zh[baselines]'). Offsets are code points into each sentence text.

- taggers: thulac_entities, jiojio_entities (part-of-speech proper-name tags mapped to entity types)
- jionlp_numeric: jionlp_numeric_facts (jionlp's money and time extractors, cn2an for numerals)
- crf: train_crf_ner, crf_entities (a character CRF trained on the examples it is given)
"""

from finnews.benchmark.systems.crf import CRF_FEATURES, CRF_PARAMS, crf_entities, train_crf_ner
from finnews.benchmark.systems.jionlp_numeric import jionlp_numeric_facts
from finnews.benchmark.systems.taggers import JIOJIO_TYPES, THULAC_TYPES, jiojio_entities, thulac_entities

__all__ = [
    "CRF_FEATURES",
    "CRF_PARAMS",
    "JIOJIO_TYPES",
    "THULAC_TYPES",
    "crf_entities",
    "jiojio_entities",
    "jionlp_numeric_facts",
    "thulac_entities",
    "train_crf_ner",
]
