"""locate(): what annotators and CONTRIBUTING.md use to turn a quote into exact offsets."""

import pytest

from finnews.data.spans import locate

TEXT = "标题\n腾讯控股回购。腾讯控股再回购腾讯控股股份。"
SENTENCE = {"id": "x-s002", "start": 10, "end": len(TEXT)}


def test_nth_occurrence_inside_the_sentence_only():
    assert locate(TEXT, SENTENCE, "腾讯控股") == {"start": 10, "end": 14, "text": "腾讯控股"}
    assert locate(TEXT, SENTENCE, "腾讯控股", nth=1) == {"start": 17, "end": 21, "text": "腾讯控股"}
    assert TEXT[17:21] == "腾讯控股"


def test_missing_occurrence_is_a_clear_error():
    with pytest.raises(ValueError, match="fewer than 3 times in sentence x-s002"):
        locate(TEXT, SENTENCE, "腾讯控股", nth=2)
