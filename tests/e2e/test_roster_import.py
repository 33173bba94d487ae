"""The roster import on a phone, as a mine officer lives it: a 花名册 whose name column is headed 职工名字 is mapped by
hand, previewed with the 车间/班组 it will create, confirmed, and undone from the import records with those units."""

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def new_hires(path):
    wb = Workbook()
    ws = wb.active
    ws.append(["东峰煤矿新入职人员花名册"])
    ws.append(["序号", "职工名字", "工号", "岗位", "车间", "班组", "用工形式", "所属单位"])
    ws.append([1, "田立新", "1901", "掘进机司机", "掘进二队", "掘进二队一班", "正式工", ""])
    ws.append([2, "石海军", "1902", "支护工", "掘进二队", "掘进二队一班", "劳务派遣", "晋城市某劳务派遣有限公司"])
    ws.append([3, "贾明亮", "1903", "电工", "机电队", "", "外包", ""])  # no employer: an error row
    wb.save(path)
    return path


def test_roster_import_mapped_previewed_confirmed_and_undone(journey, tmp_path):
    from workforce.models import Person, WorkUnit

    j = journey("mine1", PHONE)
    page = j.page
    j.login("mine1")
    j.go("/workforce/people/import/")
    page.set_input_files("#id_file", str(new_hires(tmp_path / "新入职花名册.xlsx")))
    page.click("button:has-text('上传并预览')")
    assert "缺少必填列：姓名" in page.locator("[data-testid=import-mapping]").inner_text()
    page.select_option("#map_name", "职工名字")
    page.click("button:has-text('按此对应生成预览')")

    assert page.locator("[data-testid=preview-created]").inner_text() == "2"
    assert page.locator("[data-testid=preview-errors]").inner_text() == "1"
    warnings = page.locator("[data-testid=import-warnings]").inner_text()
    assert "名册中没有车间（科队）“掘进二队”" in warnings and "掘进二队一班" in warnings
    assert "第 5 行" in page.locator("[data-testid=import-errors]").inner_text()
    assert not Person.objects.filter(name="田立新").exists()
    j.shot("roster-import-preview")

    page.check("#confirm_only_valid_rows")
    page.click("button:has-text('确认导入')")
    expect(page.get_by_text("新增 2 条")).to_be_visible()
    expect(page.get_by_text("新建车间（科队）/班组 2 个")).to_be_visible()
    assert WorkUnit.objects.filter(name="掘进二队一班", import_batch__isnull=False).exists()

    page.click("a:has-text('导入记录（24 小时内可撤销）')")
    assert "新入职花名册.xlsx" in page.locator("[data-testid=import-batches]").inner_text()
    j.shot("roster-import-batches")
    page.once("dialog", lambda dialog: dialog.accept())  # 确定撤销…？
    page.locator("[data-testid=undo-batch]").first.click()
    expect(page.get_by_text("以及随之新建的车间（科队）/班组 2 个")).to_be_visible()
    assert not Person.objects.filter(name__in=["田立新", "石海军"]).exists()
    assert not WorkUnit.objects.filter(name__in=["掘进二队", "掘进二队一班"]).exists()
