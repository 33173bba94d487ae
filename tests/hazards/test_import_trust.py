"""Imports a user can trust (issue 18, item 1): a preview that writes nothing and says what a confirm would do, the
columns mapped by hand and remembered for the mine, and every import a batch that can be undone within a day."""

import datetime as dt

import pytest

from accounts.models import MineStatus
from core.errors import DomainError, InvalidState, NotFound, NotPermitted
from core.excel import MissingColumns
from core.ledger_import import PreviewChanged
from core.models import BatchStatus, ImportBatch, ImportMapping
from hazards.models import Hazard, HazardEvent
from hazards.services import hazard_update, hazards_import, hazards_import_undo
from tests.factories import running_campaign

from .xlsx import workbook_upload

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()
LAST_YEAR = TODAY - dt.timedelta(days=400)

HEADERS = ["序号", "排查日期", "排查类型", "隐患地点", "隐患内容", "隐患等级", "重大隐患类别", "整改期限", "销号日期"]
FIVE = ["整改措施", "整改责任单位", "整改责任人", "整改资金", "应急预案"]  # 五落实 of the major line
ITEM = ["重大隐患情形"]  # the major line's 情形 (超层越界 alone reads as either of 第十条's first two items)


def last_years_ledger(name="去年台账.xlsx", date_header="排查日期"):
    """Last year's ledger: a general line still open, a major line still open, a line already closed."""
    headers = [date_header if h == "排查日期" else h for h in HEADERS] + FIVE + ITEM
    five = ["停止越界区域采掘", "生产技术科", "张矿长", 120000, "撤出人员，设置警戒"]
    return workbook_upload(
        [
            [1, LAST_YEAR, "周查", "2401回风巷", "风筒破损漏风", "一般", None, LAST_YEAR + dt.timedelta(days=5), None],
            [
                2,
                LAST_YEAR,
                "月查",
                "井田东翼",
                "超层越界开采",
                "重大",
                "7",
                LAST_YEAR + dt.timedelta(30),
                None,
                *five,
                "10-1",
            ],
            [3, LAST_YEAR, "日查", "中央水仓", "水仓清理不及时", "一般", None, LAST_YEAR, LAST_YEAR],
        ],
        headers=headers,
        name=name,
    )


@pytest.fixture
def campaign(county):
    return running_campaign(bureau=county.bureau, starts_on=TODAY - dt.timedelta(days=40))


def test_a_preview_writes_nothing_and_says_what_a_confirm_would_write(county, campaign, sample_ledger):
    result = hazards_import(actor=county.mine1_officer, mine=county.mine1, upload=sample_ledger, dry_run=True)
    assert (result.created, result.skipped, result.errors) == (12, 0, [])
    assert result.dry_run and result.batch_id is None
    assert len(result.row_numbers) == 12 and result.row_numbers[0] > 1  # Excel row numbers, below the header
    assert Hazard.objects.count() == 0
    assert HazardEvent.objects.count() == 0
    assert ImportBatch.objects.count() == 0
    county.mine1.refresh_from_db()
    assert county.mine1.status == MineStatus.NORMAL  # the open major line has not suspended the mine


def test_last_years_ledger_is_previewed_with_its_warnings(county, campaign):
    result = hazards_import(actor=county.mine1_officer, mine=county.mine1, upload=last_years_ledger(), dry_run=True)
    assert result.created == 3
    kinds = {(w.row, w.kind) for w in result.warnings}
    first = result.row_numbers[0]
    assert {(first, "outside_campaign"), (first + 1, "outside_campaign"), (first + 2, "outside_campaign")} <= kinds
    assert (first + 1, "suspends_mine") in kinds  # the open major line will put the mine under 停产整顿
    assert (first + 2, "closed") in kinds  # already 已销号 in the file
    assert (first, "suspends_mine") not in kinds and (first, "closed") not in kinds
    major = next(w for w in result.warnings if w.kind == "suspends_mine")
    assert "停产整顿" in major.message and major.column == "隐患等级"
    outside = next(w for w in result.warnings if w.kind == "outside_campaign")
    assert "不在本次专项整治" in outside.message
    assert Hazard.objects.count() == 0


def test_rows_repeated_in_the_file_or_already_in_the_ledger_are_listed_as_skipped(county, campaign):
    line = [1, TODAY, "周查", "2401回风巷", "风筒破损漏风", "一般", None, TODAY, None]
    upload = workbook_upload([line, line], headers=HEADERS)
    result = hazards_import(actor=county.mine1_officer, mine=county.mine1, upload=upload, dry_run=True)
    assert (result.created, result.skipped) == (1, 1)
    assert [(s.row, s.reason) for s in result.skipped_rows] == [(result.row_numbers[0] + 1, "in_file")]

    hazards_import(actor=county.mine1_officer, mine=county.mine1, upload=workbook_upload([line], headers=HEADERS))
    again = hazards_import(
        actor=county.mine1_officer, mine=county.mine1, upload=workbook_upload([line], headers=HEADERS), dry_run=True
    )
    assert (again.created, again.skipped, again.skipped_rows[0].reason) == (0, 1, "in_ledger")


def test_an_import_is_a_batch_with_its_warnings_and_the_rows_point_to_it(county, campaign):
    result = hazards_import(actor=county.mine1_officer, mine=county.mine1, upload=last_years_ledger())
    batch = ImportBatch.objects.get(pk=result.batch_id)
    assert (batch.kind, batch.mine_id, batch.created_by, batch.file_name) == (
        "hazards",
        county.mine1.pk,
        county.mine1_officer,
        "去年台账.xlsx",
    )
    assert (batch.total_rows, batch.created_count, batch.skipped_count, batch.status) == (3, 3, 0, "imported")
    assert batch.warning_count == len(result.warnings) > 0
    assert set(Hazard.objects.values_list("import_batch_id", flat=True)) == {batch.pk}
    assert result.as_dict()["batch"] == batch.pk and result.as_dict()["warnings"]


def test_a_confirm_writes_what_the_preview_showed_or_nothing(county, campaign):
    preview = hazards_import(actor=county.mine1_officer, mine=county.mine1, upload=last_years_ledger(), dry_run=True)
    # Someone imports one of the same lines in between: the confirm would now write two, not three.
    line = [1, LAST_YEAR, "周查", "2401回风巷", "风筒破损漏风", "一般", None, LAST_YEAR + dt.timedelta(days=5), None]
    hazards_import(actor=county.mine1_officer, mine=county.mine1, upload=workbook_upload([line], headers=HEADERS))
    with pytest.raises(PreviewChanged):
        hazards_import(
            actor=county.mine1_officer,
            mine=county.mine1,
            upload=last_years_ledger(),
            expect_digest=preview.digest,
        )
    assert Hazard.objects.count() == 1
    fresh = hazards_import(actor=county.mine1_officer, mine=county.mine1, upload=last_years_ledger(), dry_run=True)
    done = hazards_import(
        actor=county.mine1_officer, mine=county.mine1, upload=last_years_ledger(), expect_digest=fresh.digest
    )
    assert (done.created, done.skipped) == (2, 1)


# ---------------------------------------------------------------- column mapping


def test_a_date_column_headed_jiancha_shijian_is_refused_without_a_mapping_and_read_with_one(county, campaign):
    with pytest.raises(MissingColumns) as refused:
        hazards_import(actor=county.mine1_officer, mine=county.mine1, upload=last_years_ledger(date_header="检查时间"))
    assert refused.value.missing == [("found_on", "排查日期")]
    assert "检查时间" in refused.value.headers
    assert Hazard.objects.count() == 0

    result = hazards_import(
        actor=county.mine1_officer,
        mine=county.mine1,
        upload=last_years_ledger(date_header="检查时间"),
        mapping='{"检查时间": "found_on"}',
    )
    assert result.created == 3
    assert set(Hazard.objects.values_list("found_on", flat=True)) == {LAST_YEAR}
    assert ImportBatch.objects.get(pk=result.batch_id).mapping == {"检查时间": "found_on"}


def test_the_mapping_is_remembered_for_the_mines_next_file_but_not_for_another_mine(county, campaign):
    hazards_import(
        actor=county.ent1_officer,
        mine=county.mine1,
        upload=last_years_ledger(date_header="检查时间"),
        mapping={"检查时间": "found_on"},
    )
    assert ImportMapping.objects.get(mine=county.mine1, kind="hazards").mapping == {"检查时间": "found_on"}

    newer = workbook_upload(
        [[1, TODAY, "周查", "新地点", "新问题", "一般", None, TODAY, None]],
        headers=[h if h != "排查日期" else "检查时间" for h in HEADERS],
    )
    preview = hazards_import(actor=county.mine1_officer, mine=county.mine1, upload=newer, dry_run=True)
    assert preview.created == 1 and preview.mapping == {"检查时间": "found_on"}  # shown in the preview

    with pytest.raises(MissingColumns):
        hazards_import(
            actor=county.ent1_officer, mine=county.mine2, upload=last_years_ledger(date_header="检查时间"), dry_run=True
        )


def test_a_dry_run_does_not_remember_a_mapping(county, campaign):
    hazards_import(
        actor=county.mine1_officer,
        mine=county.mine1,
        upload=last_years_ledger(date_header="检查时间"),
        mapping={"检查时间": "found_on"},
        dry_run=True,
    )
    assert not ImportMapping.objects.exists()


@pytest.mark.parametrize(
    ("mapping", "says"),
    [
        ("{检查时间: found_on", "不是有效的 JSON"),
        ('["检查时间"]', "JSON 对象"),
        ({"检查时间": "found_at"}, "不是隐患台账的字段"),
        ({"检查日子": "found_on"}, "不在表头中"),
        ({"检查时间": "found_on", "隐患地点": "found_on"}, "一个项目只能对应一列"),
    ],
)
def test_a_bad_mapping_is_refused_with_a_chinese_message(county, campaign, mapping, says):
    with pytest.raises(DomainError) as refused:
        hazards_import(
            actor=county.mine1_officer,
            mine=county.mine1,
            upload=last_years_ledger(date_header="检查时间"),
            mapping=mapping,
            dry_run=True,
        )
    assert says in refused.value.message
    assert refused.value.status == 400


# ---------------------------------------------------------------- undo


def test_a_batch_is_undone_within_a_day_and_the_mine_leaves_suspension(county, campaign):
    line = [1, TODAY, "周查", "老地点", "手工登记的一条", "一般", None, TODAY, None]
    upload = workbook_upload([line], headers=HEADERS)
    kept = hazards_import(actor=county.mine1_officer, mine=county.mine1, upload=upload)
    result = hazards_import(actor=county.mine1_officer, mine=county.mine1, upload=last_years_ledger())
    county.mine1.refresh_from_db()
    assert county.mine1.status == MineStatus.SUSPENDED
    assert Hazard.objects.count() == 4

    batch = hazards_import_undo(actor=county.mine1_officer, batch_id=result.batch_id)

    assert (batch.status, batch.undone_by) == (BatchStatus.UNDONE, county.mine1_officer)
    assert batch.undone_at is not None
    assert list(Hazard.objects.values_list("import_batch_id", flat=True)) == [kept.batch_id]  # exactly its rows
    assert not HazardEvent.objects.filter(hazard__import_batch_id=result.batch_id).exists()
    county.mine1.refresh_from_db()
    assert county.mine1.status == MineStatus.NORMAL
    with pytest.raises(InvalidState, match="已撤销"):
        hazards_import_undo(actor=county.mine1_officer, batch_id=result.batch_id)


def test_a_batch_with_a_step_taken_on_one_of_its_lines_is_not_undone(county, campaign):
    """The import writes no event (its step, 台账导入, is the batch): any event on a line is work done since."""
    from hazards.services.events import record_event

    result = hazards_import(actor=county.mine1_officer, mine=county.mine1, upload=last_years_ledger())
    assert not HazardEvent.objects.filter(hazard__import_batch_id=result.batch_id).exists()
    line = Hazard.objects.filter(import_batch_id=result.batch_id).first()
    record_event(line, actor=county.inspector, action="督办")
    with pytest.raises(InvalidState, match="已有办理记录"):
        hazards_import_undo(actor=county.mine1_officer, batch_id=result.batch_id)
    assert Hazard.objects.filter(import_batch_id=result.batch_id).count() == 3


def test_an_undo_records_each_rows_removal_in_its_history_with_queries_that_do_not_grow(county, campaign):
    """The audit trail keeps who removed each imported line ("-", the undoer), written for the batch at once: one
    INSERT a row as the rows went made the undo of 10,000 lines take 17 s."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for size in (2, 12):
        lines = [[n, TODAY, "周查", f"{size}号巷{n}", f"第{n}条", "一般", None, TODAY, None] for n in range(size)]
        result = hazards_import(
            actor=county.mine1_officer, mine=county.mine1, upload=workbook_upload(lines, headers=HEADERS)
        )
        with CaptureQueriesContext(connection) as queries:
            hazards_import_undo(actor=county.ent1_officer, batch_id=result.batch_id)
        counts.append(len(queries))
        removed = Hazard.history.filter(id__in=result.ids, history_type="-")
        assert removed.count() == size
        assert set(removed.values_list("history_user", flat=True)) == {county.ent1_officer.pk}
    assert counts[0] == counts[1]


def test_undo_takes_back_the_notices_about_the_rows_it_removed(county, campaign):
    """The sweep told the mine (and, for a major line, the enterprise and the bureau) that imported lines were overdue:
    once the import is undone those notices would lead to hazards that no longer exist (a 404), so they go too."""
    from hazards.sweeps import sweep_hazards
    from notifications.models import Notification

    five = ["停止越界区域采掘", "生产技术科", "张矿长", 120000, "撤出人员，设置警戒"]
    lines = [
        [1, TODAY - dt.timedelta(days=9), "周查", "2401回风巷", "风筒破损漏风", "一般", None, TODAY - dt.timedelta(1)],
        [
            2,
            TODAY - dt.timedelta(days=9),
            "月查",
            "井田东翼",
            "超层越界",
            "重大",
            "7",
            TODAY - dt.timedelta(1),
            None,
            *five,
            "第十条第（一）项",
        ],
        [3, TODAY - dt.timedelta(days=9), "日查", "中央水仓", "水仓清理不及时", "一般", None, TODAY + dt.timedelta(2)],
    ]
    result = hazards_import(
        actor=county.mine1_officer, mine=county.mine1, upload=workbook_upload(lines, headers=HEADERS + FIVE + ITEM)
    )
    sweep_hazards(today=TODAY)
    about_batch = Notification.objects.filter(key__startswith="hazard:")
    assert set(about_batch.values_list("topic", flat=True)) == {"hazard_due", "hazard_overdue", "hazard_escalation"}
    Notification.objects.create(recipient=county.mine1_officer, topic="other", key="other:1", title="别的事")
    hazards_import_undo(actor=county.mine1_officer, batch_id=result.batch_id)
    assert not about_batch.exists()
    assert Notification.objects.filter(key="other:1").exists()


def test_undo_is_refused_once_a_row_was_edited(county, campaign):
    result = hazards_import(actor=county.mine1_officer, mine=county.mine1, upload=last_years_ledger())
    hazard = Hazard.objects.get(location="2401回风巷")
    hazard_update(actor=county.mine1_officer, hazard=hazard, measures="更换风筒")
    with pytest.raises(InvalidState) as refused:
        hazards_import_undo(actor=county.mine1_officer, batch_id=result.batch_id)
    assert refused.value.status == 409 and "不能撤销" in refused.value.message
    assert Hazard.objects.count() == 3
    assert ImportBatch.objects.get(pk=result.batch_id).status == BatchStatus.IMPORTED


def test_undo_is_refused_after_a_day(county, campaign):
    result = hazards_import(actor=county.mine1_officer, mine=county.mine1, upload=last_years_ledger())
    ImportBatch.objects.filter(pk=result.batch_id).update(created_at=dt.datetime.now(dt.UTC) - dt.timedelta(hours=25))
    with pytest.raises(InvalidState, match="24 小时"):
        hazards_import_undo(actor=county.mine1_officer, batch_id=result.batch_id)
    assert Hazard.objects.count() == 3


def test_another_mines_batch_is_not_found_and_a_reader_may_not_undo(county, campaign):
    result = hazards_import(actor=county.mine1_officer, mine=county.mine1, upload=last_years_ledger())
    with pytest.raises(NotFound):
        hazards_import_undo(actor=county.mine2_officer, batch_id=result.batch_id)
    with pytest.raises(NotFound):
        hazards_import_undo(actor=county.other_inspector, batch_id=result.batch_id)
    with pytest.raises(NotPermitted):
        hazards_import_undo(actor=county.leader, batch_id=result.batch_id)
    assert Hazard.objects.count() == 3
    # The bureau sees the batch and may import into the mine, but does not take back what the mine brought in.
    with pytest.raises(NotPermitted, match="只有导入人"):
        hazards_import_undo(actor=county.inspector, batch_id=result.batch_id)
    # The enterprise of the mine may.
    hazards_import_undo(actor=county.ent1_officer, batch_id=result.batch_id)
    assert Hazard.objects.count() == 0


def test_the_bureau_undoes_its_own_import_and_is_offered_no_other(client, county, campaign):
    mines = hazards_import(actor=county.mine1_officer, mine=county.mine1, upload=last_years_ledger())
    ours = hazards_import(actor=county.inspector, mine=county.mine2, upload=last_years_ledger("县局补录.xlsx"))
    client.force_login(county.inspector)
    page = client.get("/hazards/import/batches/").content.decode()
    assert page.count('data-testid="undo-batch"') == 1  # its own batch only
    assert client.post(f"/hazards/import/batches/{mines.batch_id}/undo/").status_code == 403
    assert ImportBatch.objects.get(pk=mines.batch_id).status == BatchStatus.IMPORTED
    hazards_import_undo(actor=county.inspector, batch_id=ours.batch_id)
    assert not Hazard.objects.filter(mine=county.mine2).exists()


# ---------------------------------------------------------------- API


def test_api_dry_run_answers_the_preview_and_writes_nothing(api_client, county, campaign):
    api_client.force_authenticate(county.mine1_officer)
    response = api_client.post(
        "/api/v1/hazards/import/", {"file": last_years_ledger(), "dry_run": "true"}, format="multipart"
    )
    assert response.status_code == 200, response.content
    preview = response.json()
    assert preview["dry_run"] is True
    assert [item["row"] for item in preview["created"]] == [4, 5, 6]
    assert preview["created"][1]["level"] == "major" and preview["created"][0]["found_on"] == LAST_YEAR.isoformat()
    assert preview["skipped"] == [] and preview["errors"] == []
    assert {(w["row"], w["kind"]) for w in preview["warnings"]} >= {(5, "suspends_mine"), (6, "closed")}
    assert all(w["row"] and w["message"] for w in preview["warnings"])
    assert Hazard.objects.count() == 0 and ImportBatch.objects.count() == 0


def test_api_mapping_reads_a_column_the_synonyms_do_not_know(api_client, county, campaign):
    api_client.force_authenticate(county.mine1_officer)
    upload = last_years_ledger(date_header="检查时间")
    response = api_client.post("/api/v1/hazards/import/", {"file": upload}, format="multipart")
    assert response.status_code == 400
    assert response.json()["missing"] == [{"field": "found_on", "label": "排查日期"}]
    assert "检查时间" in response.json()["headers"]

    for bad, says in (
        ("{oops", "JSON"),
        ('{"检查时间": "nope"}', "不是隐患台账的字段"),
        ('{"无此列": "found_on"}', "不在表头中"),
    ):
        response = api_client.post(
            "/api/v1/hazards/import/",
            {"file": last_years_ledger(date_header="检查时间"), "mapping": bad},
            format="multipart",
        )
        assert response.status_code == 400, bad
        assert says in str(response.json())

    response = api_client.post(
        "/api/v1/hazards/import/",
        {"file": last_years_ledger(date_header="检查时间"), "mapping": '{"检查时间": "found_on"}'},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    assert response.json()["created"] == 3 and response.json()["mapping"] == {"检查时间": "found_on"}
    assert response.json()["batch"] == ImportBatch.objects.get().pk
