import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import MineStatus
from core.errors import DomainError
from core.ledger_import import ImportRejected
from hazards.models import Hazard, HazardEvent
from hazards.services import hazard_create, hazards_import

from .xlsx import workbook_upload

pytestmark = pytest.mark.django_db


def test_sample_ledger_imports_every_row_with_the_right_values(county, sample_ledger):
    result = hazards_import(actor=county.mine1_officer, mine=county.mine1, upload=sample_ledger)
    assert (result.created, result.skipped, result.total_rows, result.errors) == (12, 0, 12, [])
    hazards = {h.location: h for h in Hazard.objects.filter(mine=county.mine1)}
    assert len(hazards) == 12

    first = hazards["2401综采工作面"]
    assert first.found_on == dt.date(2024, 11, 18)
    assert first.source == "unit_weekly"
    assert first.description == "工作面第35-40号支架初撑力不足，顶板有离层迹象"
    assert first.specialty == "roof"
    assert first.level == "general"
    assert first.measures.startswith("立即补液升架")
    assert first.responsible_unit == "综采一队"
    assert first.responsible_person == "王建军"
    assert first.due_on == dt.date(2024, 11, 20)
    assert first.funds == Decimal("0")
    assert first.rectified_on == dt.date(2024, 11, 20)
    assert first.accepted_by_name == "周伟"
    assert first.accepted_on == dt.date(2024, 11, 20)
    assert first.status == "closed"

    open_line = hazards["2401回风巷"]
    assert (open_line.source, open_line.specialty, open_line.status) == ("group_quarterly", "ventilation", "open")
    assert open_line.rectified_on is None

    assert hazards["中央水仓"].funds == Decimal("8000")
    assert hazards["中央水仓"].source == "enterprise_monthly"
    assert hazards["+540水平运输大巷"].source == "team_daily"
    assert hazards["+540水平运输大巷"].specialty == "transport"

    major_open = hazards["井田东翼"]
    assert (major_open.level, major_open.status, major_open.funds) == ("major", "open", Decimal("120000"))
    assert major_open.specialty == "mining"
    major_closed = hazards["2402工作面"]
    assert (major_closed.level, major_closed.status) == ("major", "closed")

    assert sorted({h.status for h in hazards.values()}) == ["closed", "open"]
    # An open major hazard in the ledger puts the mine under 停产整顿.
    county.mine1.refresh_from_db()
    assert county.mine1.status == MineStatus.SUSPENDED
    # Their first step (台账导入) is their batch, not an event a line: the 处理记录 shows it from the batch.
    assert not HazardEvent.objects.filter(hazard__mine=county.mine1).exists()
    assert {h.import_batch_id for h in hazards.values()} == {result.batch_id}


def test_an_imported_line_shows_its_import_as_its_first_step(client, county, sample_ledger, general_fields):
    result = hazards_import(actor=county.mine1_officer, mine=county.mine1, upload=sample_ledger)
    hazard = Hazard.objects.filter(import_batch_id=result.batch_id).order_by("pk").first()
    client.force_login(county.mine1_officer)
    page = client.get(reverse("hazard_detail", args=[hazard.pk])).content.decode()
    step = page[page.index('data-testid="import-step"') :]
    step = step[: step.index("</li>")]
    assert "台账导入" in step and sample_ledger.name in step and county.mine1_officer.display_name in step
    # A line typed in has no such step: its first is its 登记.
    typed = hazard_create(actor=county.mine1_officer, mine=county.mine1, **general_fields)
    assert 'data-testid="import-step"' not in client.get(reverse("hazard_detail", args=[typed.pk])).content.decode()


def test_reimporting_the_same_file_creates_no_duplicates(county, sample_ledger):
    hazards_import(actor=county.mine1_officer, mine=county.mine1, upload=sample_ledger)
    again = hazards_import(actor=county.mine1_officer, mine=county.mine1, upload=sample_ledger)
    assert (again.created, again.skipped) == (0, 12)
    assert Hazard.objects.count() == 12


def test_bad_rows_are_reported_by_excel_row_and_nothing_is_written(county):
    upload = workbook_upload(
        [
            [
                1,
                "2024-11-03",
                "班组日查",
                "2401工作面",
                "支架初撑力不足",
                "顶板",
                "一般",
                "补液",
                "王建军",
                "2024-11-05",
                0,
            ],
            [2, "2024/13/45", "班组日查", "主斜井", "跑偏保护失效", "机电", "一般", "更换", "赵明", "2024-11-05", 0],
            [
                3,
                "2024年11月3日",
                "随便查查",
                "中央水仓",
                "清挖不及时",
                "防治水",
                "特大",
                "清挖",
                "孙志强",
                "2024.11.1",
                "八千",
            ],
            [4, "2024.11.3", "科队周查", "", "", "通风", "一般", "调整", "李晓东", "2024-11-04", 0],
        ]
    )
    with pytest.raises(ImportRejected) as caught:
        hazards_import(actor=county.mine1_officer, mine=county.mine1, upload=upload)
    errors = {(e.row, e.column) for e in caught.value.errors}
    # Title on row 1, blank row 2, headers on row 3: data starts on Excel row 4.
    assert (5, "排查日期") in errors
    assert (6, "排查类型") in errors
    assert (6, "隐患等级") in errors
    assert (6, "整改期限") in errors  # before the found date
    assert (6, "整改资金（元）") in errors  # named as the file spells it
    assert (7, "隐患地点") in errors
    assert (7, "隐患内容") in errors
    assert not any(e.row == 4 for e in caught.value.errors)
    messages = " ".join(e.message for e in caught.value.errors)
    assert "不是有效日期" in messages
    assert "“随便查查”无法识别" in messages
    assert "不能为空" in messages
    assert "未导入任何数据" in caught.value.message
    assert not Hazard.objects.exists()


def test_only_valid_rows_when_asked(county):
    upload = workbook_upload(
        [
            [
                1,
                "2024-11-03",
                "班组日查",
                "2401工作面",
                "支架初撑力不足",
                "顶板",
                "一般A",
                "补液",
                "王建军",
                "2024-11-05",
                "1,200元",
            ],
            [2, "not a date", "班组日查", "主斜井", "跑偏保护失效", "机电", "一般", "更换", "赵明", "2024-11-05", 0],
        ]
    )
    result = hazards_import(actor=county.mine1_officer, mine=county.mine1, upload=upload, only_valid_rows=True)
    assert result.created == 1
    assert [(e.row, e.column) for e in result.errors] == [(5, "排查日期")]
    hazard = Hazard.objects.get()
    assert (hazard.grade, hazard.funds) == ("A", Decimal("1200"))


def test_headers_matched_by_name_and_synonym_in_any_order_with_total_and_blank_rows(county):
    headers = ["隐患描述", "责任人", "发现日期", "隐患来源", "位置", "级别", "完成期限"]
    upload = workbook_upload(
        [
            ["水仓清挖不及时", "孙志强", "20241103", "月查", "中央水仓", "一般", "2024年11月10日"],
            [None, None, None, None, None, None, None],
            ["密闭墙漏风", "李晓东", dt.datetime(2024, 11, 4), "季查", "3号采空区", "C级", 45605],
            ["合计", None, None, None, None, None, None],
        ],
        headers=headers,
        title="",
    )
    result = hazards_import(actor=county.mine1_officer, mine=county.mine1, upload=upload)
    assert (result.created, result.errors) == (2, [])
    water = Hazard.objects.get(location="中央水仓")
    assert (water.found_on, water.due_on, water.source) == (
        dt.date(2024, 11, 3),
        dt.date(2024, 11, 10),
        "enterprise_monthly",
    )
    fire = Hazard.objects.get(location="3号采空区")
    assert (fire.found_on, fire.grade, fire.source) == (dt.date(2024, 11, 4), "C", "group_quarterly")
    assert fire.due_on == dt.date(2024, 11, 9)  # 45605 is an Excel serial number


def test_missing_required_column_is_named(county):
    upload = workbook_upload([[1, "2024-11-03", "班组日查"]], headers=["序号", "排查日期", "排查类型", "隐患地点"])
    with pytest.raises(DomainError, match="缺少必填列：隐患内容"):
        hazards_import(actor=county.mine1_officer, mine=county.mine1, upload=upload)


def test_no_header_row_found(county):
    upload = workbook_upload([["a", "b"]], headers=["甲", "乙"])
    with pytest.raises(DomainError, match="没有找到表头行"):
        hazards_import(actor=county.mine1_officer, mine=county.mine1, upload=upload)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"just some text, not a workbook", "不是有效的 Excel"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "另存为"),
        (b"", "空的"),
    ],
)
def test_refuses_what_is_not_a_workbook(county, content, message):
    with pytest.raises(DomainError, match=message):
        hazards_import(actor=county.mine1_officer, mine=county.mine1, upload=SimpleUploadedFile("ledger.xlsx", content))


def test_refuses_a_zip_that_is_not_a_workbook_and_a_too_large_file(county, settings):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(DomainError, match="不是有效的 Excel"):
        hazards_import(
            actor=county.mine1_officer, mine=county.mine1, upload=SimpleUploadedFile("a.xlsx", out.getvalue())
        )
    settings.UPLOAD_MAX_BYTES = 1000
    with pytest.raises(DomainError, match="文件过大"):
        hazards_import(
            actor=county.mine1_officer, mine=county.mine1, upload=SimpleUploadedFile("a.xlsx", b"PK" + b"0" * 2000)
        )


def test_refuses_a_zip_bomb_before_parsing(county):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (210 * 1024 * 1024))
    with pytest.raises(DomainError, match="解压后过大"):
        hazards_import(
            actor=county.mine1_officer, mine=county.mine1, upload=SimpleUploadedFile("a.xlsx", out.getvalue())
        )


def test_cannot_import_into_another_mine(county, sample_ledger):
    with pytest.raises(DomainError):
        hazards_import(actor=county.mine1_officer, mine=county.mine2, upload=sample_ledger)
    with pytest.raises(DomainError):
        hazards_import(actor=county.leader, mine=county.mine1, upload=sample_ledger)
    assert not Hazard.objects.exists()


def test_enterprise_imports_into_its_mine(county, sample_ledger):
    result = hazards_import(actor=county.ent1_officer, mine=county.mine2, upload=sample_ledger)
    assert result.created == 12
    assert set(Hazard.objects.values_list("mine", flat=True)) == {county.mine2.pk}


def test_imported_rows_enter_the_audit_trail_attributed_to_the_importer(county, sample_ledger):
    hazards_import(actor=county.mine1_officer, mine=county.mine1, upload=sample_ledger)
    hazard = Hazard.objects.get(location="中央水仓")
    (record,) = hazard.history.all()
    assert (record.history_type, record.history_user, record.status, record.funds) == (
        "+",
        county.mine1_officer,
        "closed",
        Decimal("8000"),
    )
    assert record.description == hazard.description and record.mine_id == county.mine1.pk


def test_text_with_separators_and_backslashes_survives_the_bulk_insert(county):
    from .xlsx import workbook_upload

    nasty = "第一行\n第二行\t制表 C:\\巷道\\N 结尾"
    upload = workbook_upload([[1, "2024-11-03", "班组日查", "井底\\车场", nasty, "顶板", "一般", "", "", "", None]])
    hazards_import(actor=county.mine1_officer, mine=county.mine1, upload=upload)
    hazard = Hazard.objects.get()
    assert hazard.description == nasty
    assert hazard.location == "井底\\车场"
    assert hazard.funds is None and hazard.due_on is None and hazard.measures == ""
    assert hazard.history.get().description == nasty


def test_import_pages_name_their_ledger_and_fix_a_mine_officer_to_his_mine(client, county):
    client.force_login(county.mine1_officer)
    for url, label in (("/hazards/import/", "隐患台账（.xlsx）"), ("/violations/import/", "“三违”台账（.xlsx）")):
        page = client.get(url).content.decode()
        assert label in page
        assert f'type="hidden" name="mine" value="{county.mine1.pk}"' in page
    client.force_login(county.inspector)
    page = client.get("/violations/import/").content.decode()
    assert "请选择煤矿" in page and county.mine2.name in page


def _major_row(**overrides):
    """A complete major hazard (category 5, 五落实) as a mine's ledger writes it, closed by default."""
    day = dt.date.today() - dt.timedelta(days=20)
    row = {
        "排查日期": day.isoformat(),
        "排查类型": "企业月查",
        "隐患地点": "1105掘进工作面",
        "隐患内容": "掘进工作面串联通风",
        "专业": "通风",
        "隐患等级": "重大",
        "重大隐患类别": "5",
        "整改措施": "调整通风系统",
        "整改责任单位": "通风队",
        "整改责任人": "胡国强",
        "整改期限": (day + dt.timedelta(days=10)).isoformat(),
        "整改资金（元）": "180000",
        "应急预案": "撤人、断电、设警戒",
        "状态": "已销号",
        "验收人": "县局张三",
        "销号日期": (day + dt.timedelta(days=9)).isoformat(),
    }
    row.update(overrides)
    return row


def _upload(rows):
    headers = list(rows[0])
    return workbook_upload([[r[h] for h in headers] for r in rows], headers=headers)


def test_a_mine_cannot_import_a_line_as_found_by_the_bureau(county):
    row = _major_row(排查类型="县局执法检查", 隐患等级="一般", 重大隐患类别="", 状态="待整改", 验收人="", 销号日期="")
    with pytest.raises(ImportRejected) as refused:
        hazards_import(actor=county.mine1_officer, mine=county.mine1, upload=_upload([row]))
    (error,) = refused.value.errors
    assert error.column == "排查类型" and "县局" in error.message


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_import_events_of_before_go_with_the_migration_and_come_back_if_it_is_undone(county):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from hazards.services import hazard_start_rectification

    # Ordinary lines only: a transactional test may start after another one emptied the standard's items.
    day = dt.date.today() - dt.timedelta(days=3)
    rows = [[n, day, "班组日查", f"{n}号联络巷", f"巷道浮煤{n}处", "通风", "一般"] for n in (1, 2)]
    result = hazards_import(actor=county.mine1_officer, mine=county.mine1, upload=workbook_upload(rows))
    worked_on = Hazard.objects.filter(import_batch_id=result.batch_id).order_by("pk").first()
    hazard_start_rectification(actor=county.mine1_officer, hazard=worked_on)
    before, after = ("hazards", "0023_drop_level_status_index"), ("hazards", "0024_import_step_is_the_batch")
    executor = MigrationExecutor(connection)
    executor.migrate([before])
    try:
        events = HazardEvent.objects.filter(action="台账导入").values_list("hazard_id", "to_status", "actor")
        # the status each line came in with (the first change's "from"), whatever it is now
        assert sorted(events) == [
            (pk, "open", county.mine1_officer.pk)
            for pk in Hazard.objects.filter(import_batch_id=result.batch_id).order_by("pk").values_list("pk", flat=True)
        ]
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    assert after in executor.recorder.applied_migrations()
    assert not HazardEvent.objects.filter(action="台账导入").exists()
