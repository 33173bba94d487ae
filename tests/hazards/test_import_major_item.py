"""The ledger import and the 情形 of a 重大 line (issue 25): a 情形 column read in the ways officers write a citation,
and a file without one (the sample ledgers) — the matcher's item when it is sure, said in the preview (请核对);
otherwise the rule's error with the closest items. The items are read once per import, not per row."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.ledger_import import ImportRejected
from hazards.models import Hazard, MajorHazardItem
from hazards.services import hazards_import
from hazards.services.ledger_import import ITEM_GUESSED
from hazards.validation import ITEM_REQUIRED
from tests.hazards.xlsx import workbook_upload

pytestmark = pytest.mark.django_db

HEADERS = ["排查日期", "排查类型", "隐患地点", "隐患内容", "隐患等级", "重大隐患情形", "整改措施", "整改资金"]
HEADERS += ["整改责任单位", "整改责任人", "整改期限", "应急预案"]


def item(category, no):
    return MajorHazardItem.objects.get(category__standard__is_current=True, category__no=category, no=no)


def line(n, description, level, cell):
    """A line up to its funds; rows() adds the rest of its 五落实."""
    today = dt.date.today()
    return [today - dt.timedelta(days=1), "班组日查", f"地点{n}", description, level, cell, "停止作业整改", 1000]


def rows(lines):
    today = dt.date.today()
    return [[*x, "通风队", "胡国强", today + dt.timedelta(days=10), "撤人断电设警戒"] for x in lines]


@pytest.mark.parametrize(
    "cell",
    [
        "第十条第（二）项",
        "第10条第2项",
        "10-2",
        "十（二）",
        "10－2",
        "《煤矿重大事故隐患判定标准》第十条第（二）项",
        "超出采矿许可证载明的坐标控制范围进行开采的",
        "第十条第（二）项 超出采矿许可证载明的坐标控制范围进行开采",
    ],
)
def test_the_item_column_reads_the_ways_officers_write_a_citation(county, cell):
    upload = workbook_upload(rows([line(1, "井田东翼越界开采", "重大", cell)]), headers=HEADERS)
    result = hazards_import(actor=county.mine1_officer, mine=county.mine1, upload=upload)
    assert result.created == 1
    hazard = Hazard.objects.get()
    assert hazard.major_item == item(7, 2) and hazard.major_category.no == 7  # the item names its category
    assert not [w for w in result.warnings if w.kind == ITEM_GUESSED]  # the file said it: nothing to check


def test_an_unknown_item_is_a_row_error_in_chinese(county):
    lines = [
        line(1, "井田东翼越界开采", "重大", "第十条第（九）项"),  # no such item
        line(2, "井田东翼越界开采", "重大", "第三条第（一）项"),  # no such article
        line(3, "回风巷串联通风", "重大", "通风不好"),  # no item reads so
        line(4, "支架初撑力不足", "一般", "10-2"),  # an ordinary line with an item
    ]
    with pytest.raises(ImportRejected) as caught:
        hazards_import(
            actor=county.mine1_officer, mine=county.mine1, upload=workbook_upload(rows(lines), headers=HEADERS)
        )
    errors = {e.row: (e.column, e.message) for e in caught.value.errors}
    assert set(errors) == {4, 5, 6, 7}
    for row in (4, 5, 6):
        assert errors[row][0] == "重大隐患情形"
        assert "不在现行判定标准中" in errors[row][1] and "第十条第（二）项" in errors[row][1]
    assert errors[7] == ("重大隐患情形", "一般隐患不应填写重大隐患情形。")
    assert not Hazard.objects.exists()


def test_a_major_line_without_its_item_takes_the_matchers_when_sure_and_says_so(county):
    lines = [
        line(1, "越界开采，进入相邻矿井保护煤柱", "重大", None),  # 第十条第（二）项, a cue of the standard
        line(2, "掘进工作面采用串联通风，无专门设计", "重大", ""),  # 第八条第（三）项
    ]
    upload = workbook_upload(rows(lines), headers=HEADERS)
    result = hazards_import(actor=county.mine1_officer, mine=county.mine1, upload=upload, dry_run=True)
    guessed = {w.row: w for w in result.warnings if w.kind == ITEM_GUESSED}
    assert set(guessed) == {4, 5}
    assert guessed[4].column == "重大隐患情形"
    assert "按描述判定为《煤矿重大事故隐患判定标准》第十条第（二）项" in guessed[4].message
    assert "请核对" in guessed[4].message
    result = hazards_import(
        actor=county.mine1_officer, mine=county.mine1, upload=workbook_upload(rows(lines), headers=HEADERS)
    )
    assert result.created == 2
    cited = dict(Hazard.objects.values_list("location", "major_item"))
    assert cited == {"地点1": item(7, 2).pk, "地点2": item(5, 3).pk}


def test_a_major_line_the_matcher_is_not_sure_of_is_refused_with_the_closest_items(county):
    upload = workbook_upload(rows([line(1, "超层越界开采", "重大", None)]), headers=HEADERS)  # 第十条（一）or（二）
    with pytest.raises(ImportRejected) as caught:
        hazards_import(actor=county.mine1_officer, mine=county.mine1, upload=upload)
    [error] = caught.value.errors
    assert error.column == "重大隐患情形"
    assert error.message.startswith(ITEM_REQUIRED + "按描述相近的有：《煤矿重大事故隐患判定标准》第十条")


def test_the_sample_ledger_without_an_item_column_imports_as_the_browser_journey_does(county, sample_ledger):
    """tests/fixtures' sample: two 重大 lines and no 情形 column. The open one (越界开采) takes the matcher's item,
    said in the preview; the one the file already has 销号 (history, reaching no document) comes in as it was written
    when the matcher is not sure."""
    result = hazards_import(actor=county.mine1_officer, mine=county.mine1, upload=sample_ledger)
    assert result.created == 12
    guessed = [w for w in result.warnings if w.kind == ITEM_GUESSED]
    assert [w.row for w in guessed] == [14]
    assert "第十条第（二）项" in guessed[0].message
    majors = dict(Hazard.objects.filter(level="major").values_list("location", "major_item"))
    assert majors == {"井田东翼": item(7, 2).pk, "2402工作面": None}


def test_an_import_reads_the_items_once_not_per_row(county):
    def upload(n):
        lines = [line(i, f"越界开采，进入相邻矿井保护煤柱{i}", "重大", "10-2" if i % 2 else None) for i in range(n)]
        return workbook_upload(rows(lines), headers=HEADERS)

    counts = []
    for n in (2, 20):
        with CaptureQueriesContext(connection) as queries:
            hazards_import(actor=county.mine1_officer, mine=county.mine1, upload=upload(n), dry_run=True)
        counts.append(len(queries))
        assert sum("hazards_majorhazarditem" in q["sql"] for q in queries.captured_queries) == 1
    assert counts[0] == counts[1]
