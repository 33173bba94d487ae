"""The 判定标准 matcher measured on the labelled sets (tests/hazards/data/criteria_*.json; figures in
docs/criteria-matcher.md).

Pure Python: no database. The goals of issue 25 hold on every development set; each set is held at what it measures
now. The fifth set was held out (scored once after the second round's last change): recall 0.958, flagged 0.020.
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


# What each set measures now (docs/criteria-matcher.md), held at that level: recall, ordinary flagged, top-1 category.
# All but the fifth were read while tuning (the fourth, held out in the first round, became development data in the
# second). The fifth was written by someone who saw neither the matcher nor the other sets and scored once after the
# second round's last change: recall 0.958, flagged 0.020, category 0.958. It is held here only as a floor against
# regression, not tuned on.
MEASURED = {
    "criteria_labelled.json": (1.00, 0.02, 1.00),
    "criteria_fresh.json": (1.00, 0.00, 0.97),
    "criteria_third.json": (1.00, 0.00, 1.00),
    "criteria_probes.json": (0.99, 0.02, 1.00),
    "criteria_fourth.json": (1.00, 0.00, 0.99),
    "criteria_fifth.json": (0.958, 0.020, 0.958),
}


@pytest.mark.parametrize("name", sorted(MEASURED))
def test_no_worse_than_measured_on_each_set(name):
    recall, flagged, category = MEASURED[name]
    got = figures(rows(LABELLED.parent / name))
    assert got["recall"] >= recall - 0.005, got
    assert got["ordinary_flagged"] <= flagged + 0.005, got
    assert got["top1_category"] >= category - 0.005, got


def test_the_probes_were_scored_before_they_were_used():
    # The probe rounds record what they measured before the changes they prompted: the figure for new text.
    about = json.loads((LABELLED.parent / "criteria_probes.json").read_text(encoding="utf-8"))["_about"]
    assert "recall 0.872" in about and "recall 0.733" in about


def test_a_sensor_hung_low_is_ordinary_one_that_cannot_cut_power_is_major():
    low = matcher.match("2105回风巷甲烷传感器吊挂距顶板350mm，超过300mm规定")
    dead = matcher.match("2105回风巷甲烷传感器瓦斯超限后不能断电")
    assert not low.likely_major
    assert dead.likely_major
    assert (dead.matches[0].category, dead.matches[0].item, dead.matches[0].article) == (4, 2, "第七条")


def test_thresholds_read_as_the_standard_writes_them():
    assert matcher.match("采煤工作面只有1个安全出口").matches[0].item == 5  # 第十三条第（五）项
    # the standard's numbers: 瓦斯 from 1.0% with work going on, a crew 20% over its limit, output 10% over capacity
    assert matcher.thresholds(matcher.normalize("回风流瓦斯浓度1.2%，未停止作业")) == {(2, 2)}
    assert matcher.thresholds(matcher.normalize("回风流瓦斯浓度0.6%，未停止作业")) == set()
    assert matcher.thresholds(matcher.normalize("限员20人，实际入井25人")) == {(1, 6)}
    assert matcher.thresholds(matcher.normalize("限员20人，实际入井22人")) == set()
    assert matcher.thresholds(matcher.normalize("产量达到核定生产能力的115%")) == {(1, 1)}
    assert matcher.thresholds(matcher.normalize("T1断电值设为2.0%")) == {(4, 2)}
    assert matcher.thresholds(matcher.normalize("实测风量350m³/min，需风量600m³/min")) == {(5, 1)}
    assert matcher.match("回风巷瓦斯浓度1.6%超限后仍继续作业").matches[0].category == 2
    assert matcher.match("当班掘进工作面超员，限员20人实际26人").matches[0].category == 1


def read(text):
    return matcher.thresholds(matcher.normalize(text))


def test_numbers_are_read_against_their_limits():
    # output in 万t against the capacity: a year's 10% over it, a month's over a tenth of it; a plan over it
    assert read("全年产原煤78万吨，核定生产能力60万吨/年") == {(1, 1)}
    assert read("全年产原煤63万吨，核定生产能力60万吨/年") == set()
    assert read("矿井设计能力60万t/a，10月份出煤7.2万吨") == {(1, 1)}
    assert read("矿井设计能力60万t/a，10月份出煤5.1万吨") == set()
    assert read("上级下达年度任务100万吨，矿井核定能力90万t/a") == {(1, 2)}
    # 需风量 written first, 风速 under 0.15 m/s, 限员 against any count after it
    assert read("综采面需风量900m³/min，实际测得风量620m³/min") == {(5, 1)}
    assert read("需风量800m³/min，实测风量920m³/min") == set()
    assert read("掘进面迎头风速0.08m/s") == {(5, 1)}
    assert read("限员30人，人员定位显示该区域37人") == {(1, 6)}
    # faces: one wing holds 1 采煤 and 2 掘进; the licence's 标高 range and seams; the slope; the sump's 8 hours
    assert read("3号煤东翼同时布置2个采煤工作面") == {(1, 4)}
    assert read("3号煤东翼布置1个采煤工作面、2个掘进工作面") == set()
    assert read("采矿许可证开采标高+1200m至+900m，井下巷道已掘到+860m") == {(7, 1)}
    assert read("采矿许可证开采标高+1200m至+900m，工作面位于+950m") == set()
    assert read("许可证批准开采2号煤层，现场在4号煤层掘进") == {(7, 1)}
    assert read("露天矿西帮边坡角48°，设计最大42°") == {(15, 10)}
    assert read("露天矿边坡角38°，设计最大42°") == set()
    assert read("主水仓容量仅够5小时正常涌水量") == {(6, 8)}
    # a stated excess under the line silences the words that say "over"
    assert matcher.under_thresholds(matcher.normalize("产量超核定能力约4%")) == {(1, 1)}
    assert not matcher.match("今年产量超核定能力约4%，已调减计划").likely_major
    assert not matcher.match("掘进面限员20人，当班入井22人，超限员约10%").likely_major
    assert matcher.match("今年出煤超证载能力两成，仍在生产").likely_major


def test_colloquial_families_read_as_their_situation():
    for text, key in (
        ("基建矿井在首采面偷着出煤外卖", (12, 2)),
        ("没探水就继续往前掘，前方有老窑", (6, 3)),
        ("两道风门都用铁丝绑开", (5, 6)),
        ("迎头瓦斯1.3%，工人照样放炮", (2, 2)),
        ("突出矿井使用二级许用炸药爆破", (10, 4)),
        ("掘进面局扇开关缺一颗螺栓", (10, 3)),
        ("监控系统主机宕机5天一直未恢复", (15, 6)),
    ):
        got = matcher.match(text)
        assert got.likely_major, text
        assert (got.matches[0].category, got.matches[0].item) == key, text
    # a defect put right on the spot, paperwork about a document, a pressure under 0.74 MPa: ordinary
    for text in ("风门未关严，已随手关上", "防突设计批复未在档案室存档", "煤层瓦斯压力测定0.52MPa，报告未及时上报"):
        assert not matcher.match(text).likely_major, text


def test_concepts_are_one_word_whatever_the_officer_writes():
    # 主扇 is 主要通风机, a 瓦斯探头 / T1 is a 甲烷传感器, 切断电源 is 断电: the same item, the same decision
    for a, b in (
        ("矿井只有一台主扇，没有备用", "矿井只有一台主要通风机，没有备用"),
        ("掘进工作面T1超限后不能切断电源", "掘进工作面甲烷传感器超限后不能断电"),
    ):
        first, second = matcher.match(a), matcher.match(b)
        assert first.likely_major and second.likely_major
        assert (first.matches[0].category, first.matches[0].item) == (
            second.matches[0].category,
            second.matches[0].item,
        )
    # a failure said not to be there is not the failure
    assert not matcher.match("电缆引入装置密封圈未压紧，但未失爆").likely_major
    assert matcher.match("采区变电所一台开关失爆").likely_major


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
