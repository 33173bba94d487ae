"""The mine safety officer (mine1), on a phone: from the home page through the ledgers to the monthly report."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from openpyxl import Workbook
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE
from tests.images import image_bytes

# One Chromium at a time under xdist (--dist loadgroup): two would starve each other on a 2-core machine.
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
FIXTURES = __import__("pathlib").Path(__file__).resolve().parents[1] / "fixtures"


def bad_ledger(path):
    wb = Workbook()
    ws = wb.active
    ws.append(["东峰煤矿隐患台账"])
    ws.append(["序号", "排查日期", "排查类型", "隐患地点", "隐患内容", "专业", "隐患等级", "整改期限"])
    ws.append([1, "2024-11-03", "班组日查", "2401工作面", "支架初撑力不足", "顶板", "一般", "2024-11-05"])
    ws.append([2, "2024-13-40", "班组日查", "主斜井", "跑偏保护失效", "机电", "一般", "2024-11-05"])
    wb.save(path)
    return path


def jiancha_ledger(path):
    """A ledger whose date column is headed 检查时间, which the synonyms do not know."""
    wb = Workbook()
    ws = wb.active
    ws.append(["序号", "检查时间", "排查类型", "隐患地点", "隐患内容", "隐患等级", "整改期限"])
    today = timezone.localdate()
    ws.append([1, today, "班组日查", "3105回风巷", "巷道浮煤未清理", "一般", today + dt.timedelta(days=2)])
    ws.append([2, today, "科队周查", "中央变电所", "配电柜接地不良", "一般", today + dt.timedelta(days=3)])
    wb.save(path)
    return path


def test_mine_officer_journey(journey, tmp_path):
    from accounts.models import Mine
    from hazards.models import Hazard
    from reporting.models import Submission
    from sweeps.registry import run_all_sweeps

    j = journey("mine1", PHONE)
    page = j.page
    today = timezone.localdate()

    # 1. Log in; the current phase and what the mine owes.
    j.login("mine1")
    assert "当前：部门精准执法阶段" in page.inner_text("[data-testid=current-phase]")
    expect(page.get_by_text("本单位应报送事项")).to_be_visible()
    j.shot("home")

    # 2. Register a major hazard with the 五落实 and a photo; the mine goes under 停产整顿.
    assert Mine.objects.get(short_name="东峰煤矿").status == "normal"
    j.go("/hazards/new/")
    page.fill("#id_found_on", today.isoformat())
    page.select_option("#id_source", "team_daily")
    page.select_option("#id_specialty", "ventilation")
    page.fill("#id_location", "1107掘进工作面")
    page.fill("#id_description", "掘进工作面局部通风机无计划停风，未撤出人员")
    page.select_option("#id_level", "major")
    page.fill("#id_measures", "立即撤人、切断电源，恢复通风后检查瓦斯")
    page.fill("#id_funds", "30000")
    page.fill("#id_responsible_unit", "通风队")
    page.fill("#id_responsible_person", "李晓东")
    page.fill("#id_due_on", (today + dt.timedelta(days=10)).isoformat())
    page.fill("#id_contingency_plan", "停电撤人，设置警戒，专人监测瓦斯")
    # 重大 without its 情形 is refused, with the message the service, the import and the API give
    page.click("button:has-text('保存')")
    refused = page.locator("#id_major_item ~ .invalid-feedback, [data-offline-error]")
    expect(
        refused.filter(has_text="重大事故隐患必须选择《煤矿重大事故隐患判定标准》中的具体情形").first
    ).to_be_visible()
    assert Hazard.objects.filter(location="1107掘进工作面").count() == 0
    # the phone's form sends as JSON (offline capture): the refusal is its 422, the page's answer, not a fault
    j.problems[:] = [p for p in j.problems if "status of 422" not in p]
    j.shot("major-hazard-without-item")
    # the matcher suggests the situation from the description; picking it fills 重大隐患情形
    suggestion = page.locator("[data-testid=criteria-suggestion]", has_text="第八条").first
    expect(suggestion).to_be_visible()
    suggestion.click()
    assert page.input_value("#id_major_item") != ""
    # …and shows its category, not "（一般隐患不选）" (the review of issue 25)
    assert page.input_value("#id_major_category") != ""
    # the list of 情形 now holds only that category's items (a long list to scroll on a phone otherwise)
    shown = page.eval_on_selector_all(
        "#id_major_item option[data-category]:not([hidden])", "options => options.map(o => o.dataset.category)"
    )
    assert shown and set(shown) == {page.input_value("#id_major_category")}
    photo = tmp_path / "现场.png"
    photo.write_bytes(image_bytes())
    page.set_input_files("#id_before_photo", str(photo))
    j.shot("major-hazard-form")
    page.click("button:has-text('保存')")
    page.wait_for_url(re.compile(r"/hazards/\d+/$"))
    expect(page.get_by_text("该煤矿已列为停产整顿")).to_be_visible()
    assert page.locator("img[alt='现场.png']").count() == 1
    j.go("/")
    assert "停产整顿" in page.content()
    j.shot("suspended")

    # 3. Import in two steps: a bad file's preview lists its row errors and its confirm asks first whether to skip
    # them (the browser sends nothing until the box is ticked); the sample
    # ledger is previewed, then confirmed; a file whose date column is headed 检查时间 is mapped by hand, imported
    # and undone from the import records.
    j.go("/hazards/import/")
    page.set_input_files("#id_file", str(bad_ledger(tmp_path / "bad.xlsx")))
    page.click("button:has-text('上传并预览')")
    errors = page.locator("[data-testid=import-errors]")
    assert "第 4 行" in errors.inner_text() and "排查日期" in errors.inner_text()
    page.click("button:has-text('确认导入')")
    assert page.locator("#confirm_only_valid_rows").evaluate("box => box.validity.valueMissing")
    expect(page.locator("[data-testid=import-errors]")).to_be_visible()  # still the preview: nothing was sent
    j.shot("import-errors")
    page.click("button:has-text('取消')")
    page.set_input_files("#id_file", str(FIXTURES / "hazard-ledger-sample.xlsx"))
    page.click("button:has-text('上传并预览')")
    assert page.locator("[data-testid=preview-created]").inner_text() == "12"
    expect(page.locator("[data-testid=import-rows]")).to_be_visible()
    assert "停产整顿" in page.locator("[data-testid=import-warnings]").inner_text()  # its open major line
    j.shot("import-preview")
    page.click("button:has-text('确认导入')")
    expect(page.get_by_text("新增 12 条")).to_be_visible()
    expect(page.get_by_text("该字段是必填项")).to_have_count(0)  # the upload form afresh, not the confirm's post
    j.shot("import-ok")

    j.go("/hazards/import/")
    page.set_input_files("#id_file", str(jiancha_ledger(tmp_path / "检查记录.xlsx")))
    page.click("button:has-text('上传并预览')")
    expect(page.locator("[data-testid=import-mapping]")).to_be_visible()
    page.select_option("#map_found_on", "检查时间")
    j.shot("import-mapping")
    page.click("button:has-text('按此对应生成预览')")
    assert page.locator("[data-testid=preview-created]").inner_text() == "2"
    assert "“检查时间”→排查日期" in page.locator("[data-testid=preview-mapping]").inner_text()
    page.click("button:has-text('确认导入')")
    expect(page.get_by_text("新增 2 条")).to_be_visible()
    page.click("a:has-text('导入记录（24 小时内可撤销）')")
    batches = page.locator("[data-testid=import-batches]")
    assert "检查记录.xlsx" in batches.inner_text()
    j.shot("import-batches")
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    page.locator("[data-testid=undo-batch]").first.click()
    expect(page.get_by_text("已撤销导入“检查记录.xlsx”")).to_be_visible()
    assert "确定撤销吗" in asked[0]  # asked before anything was deleted
    assert "已撤销" in page.locator("[data-testid=import-batch]").first.inner_text()
    j.shot("import-undone")

    # 4. A 三违 with its three back-tracks.
    j.go("/violations/new/")
    page.fill("#id_occurred_on", today.isoformat())
    page.select_option("#id_shift", "zero")
    page.fill("#id_location", "2401综采工作面")
    page.fill("#id_person_name", "赵铁柱")
    page.fill("#id_post", "支架工")
    page.fill("#id_department", "综采一队")
    page.fill("#id_team", "综采一队2班")
    page.select_option("#id_type", "operation")
    page.select_option("#id_severity", "serious")
    page.fill("#id_description", "在未护帮的煤壁下作业")
    page.fill("#id_penalty_note", "罚款200元，停工学习3天")
    page.click("button:has-text('保存')")
    page.wait_for_url(re.compile(r"/violations/\d+/$"))
    for kind, finding in (
        ("training", "岗前培训未覆盖护帮板操作"),
        ("warning_education", "本月警示教育该员工缺席"),
        ("mutual_protection", "同班组互保对象未制止"),
    ):
        page.select_option("#id_kind", kind)
        page.fill("#id_finding", finding)
        page.click("button:has-text('登记倒查')")
        expect(page.get_by_text("倒查已登记")).to_be_visible()
    assert page.locator("text=尚未倒查").count() == 0
    j.shot("violation-backtracked")

    # 5. Task progress with an evidence file; the record-proven items link to their records instead.
    j.go("/")
    page.get_by_role("link", name="任务落实情况").click()
    expect(page.locator("li", has_text="1.1.e").get_by_text("按记录自动填写")).to_be_visible()
    assert page.locator("li", has_text="1.1.e").get_by_role("link", name="填报").count() == 0
    page.locator("li", has_text="1.2.c").get_by_role("link", name="填报").click()
    page.select_option("#id_status", "done")
    page.fill("#id_note", "安监科每日巡查，每周通报考核结果")
    evidence = tmp_path / "签到表.png"
    evidence.write_bytes(image_bytes())
    page.set_input_files("#id_evidence", str(evidence))
    page.click("button:has-text('保存')")
    expect(page.get_by_text("已保存 1.2.c")).to_be_visible()
    expect(page.get_by_text("签到表.png")).to_be_visible()
    j.shot("progress")

    # 5b. Special-period controls: the zero shift refuses dangerous work; the positioning export flags over-time.
    j.go("/workforce/zero-shift/new/")
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    page.fill("#id_shift_date", tomorrow)
    officers = list(
        __import__("workforce.models", fromlist=["Person"])
        .Person.objects.filter(mine__short_name="东峰煤矿", role="manager")
        .values_list("name", flat=True)[:2]
    )
    page.fill("#id_leader_one", officers[0])
    page.fill("#id_leader_two", officers[1])
    page.fill("#id_tasks", "3105 工作面：割煤、支护\n回风巷：动火更换瓦斯抽采管路")
    page.click("button:has-text('保存')")
    expect(page.get_by_text("零点班不得安排危险作业：第 2 项")).to_be_visible()
    j.shot("zero-shift-refused")
    page.fill("#id_tasks", "3105 工作面：割煤、支护\n回风巷：巡检、清理浮煤")
    page.click("button:has-text('保存')")
    expect(page.get_by_text("零点班计划已登记")).to_be_visible()
    j.go("/workforce/positioning/import/")
    page.set_input_files("#id_file", str(FIXTURES / "positioning-export-sample.csv"))
    page.check("#id_only_valid_rows")
    page.click("button:has-text('上传并预览')")
    assert page.locator("[data-testid=preview-created]").inner_text() == "6"
    page.click("button:has-text('确认导入')")
    expect(page.get_by_text("新增 6 条")).to_be_visible()
    assert "第 9 行" in page.locator("[data-testid=import-errors]").inner_text()
    j.go("/workforce/positioning/?over=any")
    assert page.locator(".list-group-item-danger").count() == 4  # the demo's one and the export's three (phone)
    j.shot("positioning-flags")

    # 6. The pre-filled report: write, submit; the inspector reads it on one page and returns it with a reason; the
    #    officer hears of it at the bell, with the reason, and goes from the notice to the form; fix and resubmit.
    draft = Submission.objects.get(organization__short_name="东峰煤矿", status="draft")
    j.go(f"/submissions/{draft.pk}/edit/")
    expect(page.locator("[data-testid=prefilled-figures]")).to_be_visible()
    for area in page.locator("form textarea").all():
        area.fill("本月开展隐患排查和“三违”整治，详见台账。")
    j.shot("report-form")
    page.click("button[name=submit]")
    page.wait_for_url(re.compile(rf"/submissions/{draft.pk}/$"))
    expect(page.get_by_text("已报送，等待县局审核")).to_be_visible()
    unread_before = int(page.locator("[data-testid=bell]").inner_text().strip() or 0)

    bureau = journey("inspector")
    bureau.login("inspector")
    bureau.go(f"/submissions/{draft.pk}/")
    sent = bureau.page.locator("[data-testid=version-under-review]")
    assert "本月开展隐患排查和“三违”整治，详见台账。" in sent.inner_text()  # read beside the decision
    expect(bureau.page.locator("[data-testid=review-forms]")).to_be_visible()
    bureau.page.fill("#id_reason", "请补充本月警示教育开展情况")
    bureau.shot("review-one-page")
    bureau.page.click("button:has-text('退回修改')")
    expect(bureau.page.get_by_text("已退回，报送单位修改后重新报送")).to_be_visible()

    j.go("/")
    bell = page.locator("[data-testid=bell]")
    assert int(bell.inner_text().strip() or 0) == unread_before + 1
    bell.click()
    notice = page.locator(".list-group-item-action").first
    assert "被县局退回" in notice.inner_text() and "退回理由：请补充本月警示教育开展情况" in notice.inner_text()
    j.shot("returned-notice")
    notice.click()
    page.wait_for_url(re.compile(rf"/submissions/{draft.pk}/edit/$"))
    expect(page.get_by_text("请补充本月警示教育开展情况").first).to_be_visible()
    page.locator("form textarea").first.fill("本月开展隐患排查和“三违”整治；11月5日开展警示教育，覆盖全矿。")
    page.click("button[name=submit]")
    page.wait_for_url(re.compile(rf"/submissions/{draft.pk}/$"))
    assert page.get_by_role("link", name="第2版").is_visible() and page.get_by_role("link", name="第1版").is_visible()
    j.shot("resubmitted")

    # 7. Read a notification.
    run_all_sweeps(today=today)
    j.go("/")
    bell = page.locator("[data-testid=bell]")
    unread = int(bell.inner_text().strip() or 0)
    assert unread > 0
    bell.click()
    page.locator(".list-group-item-action").first.click()
    j.go("/")
    assert int(page.locator("[data-testid=bell]").inner_text().strip() or 0) == unread - 1
    j.shot("notification-read")
