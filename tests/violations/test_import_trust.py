"""The 三违 import previews, maps columns and undoes its batches like every ledger import (issue 18, item 1)."""

import datetime as dt

import pytest

from core.errors import InvalidState
from core.models import BatchStatus, ImportBatch
from tests.factories import running_campaign
from tests.hazards.xlsx import workbook_upload
from violations.models import RepeatOffender, Violation
from violations.services import mentoring_step_record, violation_update, violations_import, violations_import_undo

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()
HEADERS = ["序号", "查处时间", "姓名", "违章地点", "违章行为", "三违类别", "性质"]


@pytest.fixture
def campaign(county):
    return running_campaign(bureau=county.bureau, starts_on=TODAY - dt.timedelta(days=40))


def ledger(rows=None, date_header="日期"):
    day = TODAY - dt.timedelta(days=2)
    rows = rows or [
        [1, day, "王小平", "2401", "未开喷雾", "违章作业", "严重"],
        [2, day - dt.timedelta(days=1), "王小平", "2402", "跨越运输机", "违章作业", "严重"],
        [3, TODAY - dt.timedelta(days=500), "李强", "水仓", "脱岗睡觉", "违反劳动纪律", "一般"],
    ]
    return workbook_upload(rows, headers=[date_header if h == "查处时间" else h for h in HEADERS], name="三违.xlsx")


def test_dry_run_writes_nothing_and_warns_of_last_years_row(county, campaign):
    result = violations_import(actor=county.mine1_officer, mine=county.mine1, upload=ledger(), dry_run=True)
    assert result.created == 3
    assert [(w.row, w.kind) for w in result.warnings] == [(6, "outside_campaign")]
    assert not Violation.objects.exists() and not RepeatOffender.objects.exists() and not ImportBatch.objects.exists()


def test_a_column_the_synonyms_do_not_know_is_mapped_and_remembered(county, campaign):
    from core.excel import MissingColumns

    with pytest.raises(MissingColumns):
        violations_import(actor=county.mine1_officer, mine=county.mine1, upload=ledger(date_header="违章时刻"))
    violations_import(
        actor=county.mine1_officer,
        mine=county.mine1,
        upload=ledger(date_header="违章时刻"),
        mapping={"违章时刻": "occurred_on"},
    )
    again = violations_import(
        actor=county.mine1_officer, mine=county.mine1, upload=ledger(date_header="违章时刻"), dry_run=True
    )
    assert (again.created, again.skipped) == (0, 3)


def test_undo_removes_the_rows_and_the_repeat_offender_case_the_import_opened(county, campaign):
    result = violations_import(actor=county.mine1_officer, mine=county.mine1, upload=ledger())
    assert RepeatOffender.objects.filter(person_name="王小平").exists()  # two serious 三违 in the campaign
    violations_import_undo(actor=county.mine1_officer, batch_id=result.batch_id)
    assert not Violation.objects.exists() and not RepeatOffender.objects.exists()
    assert ImportBatch.objects.get().status == BatchStatus.UNDONE


def test_undo_is_refused_once_the_case_was_worked_on_or_a_row_edited(county, campaign):
    result = violations_import(actor=county.mine1_officer, mine=county.mine1, upload=ledger())
    case = RepeatOffender.objects.get()
    mentoring_step_record(
        actor=county.mine1_officer, offender=case, kind="talk", done_on=TODAY, content="谈话", responsible="张科长"
    )
    with pytest.raises(InvalidState, match="帮教"):
        violations_import_undo(actor=county.mine1_officer, batch_id=result.batch_id)
    assert Violation.objects.count() == 3

    other = violations_import(
        actor=county.mine2_officer,
        mine=county.mine2,
        upload=ledger([[1, TODAY, "赵六", "2401", "未戴自救器", "违章作业", "一般"]]),
    )
    violation_update(actor=county.mine2_officer, violation=Violation.objects.get(mine=county.mine2), team="一班")
    with pytest.raises(InvalidState, match="不能撤销"):
        violations_import_undo(actor=county.mine2_officer, batch_id=other.batch_id)


def test_api_violations_import_dry_run(api_client, county, campaign):
    api_client.force_authenticate(county.mine1_officer)
    response = api_client.post("/api/v1/violations/import/", {"file": ledger(), "dry_run": "true"}, format="multipart")
    assert response.status_code == 200, response.content
    assert [item["row"] for item in response.json()["created"]] == [4, 5, 6]
    assert response.json()["warnings"][0]["row"] == 6
    assert not Violation.objects.exists()


def test_undo_takes_back_the_notices_about_what_it_removed(county, campaign, django_capture_on_commit_callbacks):
    """The enterprise was told of the repeat offender the import opened: once the import is undone its notice would
    lead to a case that no longer exists (a 404), so it goes with the case; notices about other things stay."""
    from notifications.models import Notification
    from violations.sweeps import sweep_backtracks

    with django_capture_on_commit_callbacks(execute=True):
        result = violations_import(actor=county.mine1_officer, mine=county.mine1, upload=ledger())
    sweep_backtracks(today=TODAY + dt.timedelta(days=9))  # their back-tracks are overdue: notices on the rows
    about_batch = Notification.objects.filter(key__startswith="violation:")
    assert set(about_batch.values_list("topic", flat=True)) == {"repeat_offender", "backtrack_overdue"}
    Notification.objects.create(recipient=county.ent1_officer, topic="other", key="other:1", title="别的事")
    with django_capture_on_commit_callbacks(execute=True):
        violations_import_undo(actor=county.mine1_officer, batch_id=result.batch_id)
    assert not about_batch.exists()
    assert Notification.objects.filter(key="other:1").exists()
