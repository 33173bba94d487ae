"""The 判定标准 matcher measured on the labelled set (tests/hazards/data/criteria_labelled.json; figures in
docs/criteria-matcher.md).

Pure Python: no database. The goals of issue 25 hold on the whole set and on its held-out half (odd rows), which the
matcher's cues were not tuned on.
"""

import json
from pathlib import Path

import pytest

from hazards.criteria import match as matcher
from hazards.criteria.quality import figures

LABELLED = Path(__file__).resolve().parent / "data" / "criteria_labelled.json"
FRESH = Path(__file__).resolve().parent / "data" / "criteria_fresh.json"
THIRD = Path(__file__).resolve().parent / "data" / "criteria_third.json"


def rows(path=LABELLED):
    return json.loads(path.read_text(encoding="utf-8"))["rows"]


def test_the_set_covers_every_item_and_enough_ordinary_hazards():
    sample = rows()
    index = matcher.index_for()
    assert len(sample) >= 150
    assert {(r["category"], r["item"]) for r in sample if r["major"]} == {(i.category, i.item) for i in index.items}
    assert sum(not r["major"] for r in sample) >= 60
    # in other words: no description is an item's text
    texts = {i.text for i in index.items}
    assert not [r["text"] for r in sample if r["text"] in texts]


@pytest.mark.parametrize("half", ["all", "held-out"])
def test_goals_of_issue_25_hold(half):
    sample = rows() if half == "all" else rows()[1::2]
    got = figures(sample)
    assert got["recall"] >= 0.85, got
    assert got["ordinary_flagged"] <= 0.15, got
    assert got["top1_category"] >= 0.75, got


def test_no_worse_than_measured_on_the_set_written_after_the_matcher():
    # The honest figure (docs/criteria-matcher.md): below the recall goal on words the cues were not written for, so
    # this holds what was measured (recall 0.82, flagged 0.08, top-1 category 0.89), not the goal.
    got = figures(rows(FRESH))
    assert got["recall"] >= 0.80, got
    assert got["ordinary_flagged"] <= 0.10, got
    assert got["top1_category"] >= 0.85, got


def test_no_worse_than_measured_on_the_set_written_after_the_final_matcher():
    # Evaluated once, nothing changed after: recall 0.57 (well below the goal), flagged 0.05, top-1 category 0.90.
    got = figures(rows(THIRD))
    assert got["recall"] >= 0.55, got
    assert got["ordinary_flagged"] <= 0.10, got
    assert got["top1_category"] >= 0.85, got


def test_a_sensor_hung_low_is_ordinary_one_that_cannot_cut_power_is_major():
    low = matcher.match("2105回风巷甲烷传感器吊挂距顶板350mm，超过300mm规定")
    dead = matcher.match("2105回风巷甲烷传感器瓦斯超限后不能断电")
    assert not low.likely_major
    assert dead.likely_major
    assert (dead.matches[0].category, dead.matches[0].item, dead.matches[0].article) == (4, 2, "第七条")


def test_thresholds_read_as_the_standard_writes_them():
    assert matcher.match("采煤工作面只有1个安全出口").matches[0].item == 5  # 第十三条第（五）项
    assert matcher.match("回风巷瓦斯浓度1.6%超限后仍继续作业").matches[0].category == 2
    assert matcher.match("当班掘进工作面超员，限员20人实际26人").matches[0].category == 1


def test_full_width_and_empty_input():
    assert matcher.normalize("１０％ 超产") == "10%超产"
    assert matcher.match("").likely_major is False
    assert matcher.match("   ").matches == []


def test_ranking_reads_a_prebuilt_index(monkeypatch):
    matcher.index_for()  # built once for the process

    def rebuilt(*args, **kwargs):
        raise AssertionError("the index is rebuilt per call")

    monkeypatch.setattr(matcher.CriteriaIndex, "__init__", rebuilt)
    for _ in range(3):
        assert matcher.match("井下使用非防爆无轨胶轮车").likely_major
