"""The 人员名册 import as every ledger import (issue 18, item 1): a preview that writes nothing (not even the 车间/班组
it would create) and warns of what fits a roster, the columns mapped by hand and remembered for the mine, and every
import a batch that can be undone within a day, taking with it the units it created when nothing else uses them."""

import datetime as dt

import pytest

from core.errors import InvalidState, NotFound, NotPermitted
from core.excel import MissingColumns
from core.ledger_import import PreviewChanged
from core.models import BatchStatus, ImportBatch, ImportMapping
from workforce import services
from workforce.models import Person, WorkUnit

from .test_roster_import import HEADER, ROWS, roster

pytestmark = pytest.mark.django_db
GOOD = ROWS[:5]  # rows 3–7 of the sheet: a title row, then the header row


def units():
    return set(WorkUnit.objects.values_list("kind", "name"))


def test_a_preview_writes_nothing_not_even_the_units_it_would_create(county):
    result = services.roster_import(actor=county.mine1_officer, mine=county.mine1, upload=roster(), dry_run=True)
    assert (result.created, result.skipped, result.total_rows) == (5, 0, 7)
    assert result.row_numbers == [3, 4, 5, 6, 7]
    assert [(e.row, e.column) for e in result.errors] == [(8, "所属单位"), (9, "用工性质")]
    assert not Person.objects.exists() and not WorkUnit.objects.exists() and not ImportBatch.objects.exists()
    new_units = [(w.row, w.column, w.message) for w in result.warnings if w.kind == "new_unit"]
    assert [(row, column) for row, column, _ in new_units] == [(5, "所在科队"), (6, "班组"), (7, "班组")]
    assert "综采队" in new_units[0][2] and "新建" in new_units[0][2]
    assert "综采一班" in new_units[1][2]


def test_the_preview_warns_of_people_already_on_the_roster_under_another_post_or_number(county):
    officer, mine = county.mine1_officer, county.mine1
    services.person_create(actor=officer, mine=mine, name="王强", employee_no="0001", role="manager", post="总工程师")
    services.person_create(actor=officer, mine=mine, name="李明", employee_no="0099", role="manager", post="安全副矿长")
    workshop = services.work_unit_create(actor=officer, mine=mine, kind="workshop", name="机电队")
    services.work_unit_create(actor=officer, mine=mine, kind="team", name="综采一班", workshop=workshop)

    result = services.roster_import(actor=officer, mine=mine, upload=roster(GOOD), dry_run=True)

    assert [(s.row, s.reason) for s in result.skipped_rows] == [(3, "in_ledger")]
    warned = {(w.row, w.kind): w for w in result.warnings}
    other_post = warned[3, "other_post"]
    assert "总工程师" in other_post.message and "矿长" in other_post.message and other_post.column == "职务"
    same_name = warned[4, "same_name"]
    assert "0099" in same_name.message and same_name.column == "姓名"
    team = warned[6, "team_elsewhere"]
    assert "机电队" in team.message and "综采队" in team.message
    assert (6, "new_unit") not in warned  # the team exists: not created again
    assert Person.objects.count() == 2


def test_an_import_is_a_batch_and_the_units_it_created_know_it(county):
    officer, mine = county.mine1_officer, county.mine1
    kept = services.work_unit_create(actor=officer, mine=mine, kind="workshop", name="综采队")
    result = services.roster_import(actor=officer, mine=mine, upload=roster(), only_valid_rows=True)

    batch = ImportBatch.objects.get(pk=result.batch_id)
    assert (batch.kind, batch.mine, batch.created_by, batch.file_name) == ("roster", mine, officer, "花名册.xlsx")
    assert (batch.total_rows, batch.created_count, batch.error_rows) == (7, 5, 2)
    assert set(Person.objects.values_list("import_batch_id", flat=True)) == {batch.pk}
    assert set(WorkUnit.objects.filter(import_batch=batch).values_list("name", flat=True)) == {"综采一班", "综采二班"}
    kept.refresh_from_db()
    assert kept.import_batch is None  # there before: not the batch's
    zhou = Person.objects.get(name="周涛")
    assert (zhou.unit.name, zhou.unit.workshop) == ("综采二班", kept)
    assert zhou.history.first().history_user == officer
    assert result.as_dict()["batch"] == batch.pk


def test_a_confirm_writes_what_the_preview_showed_or_nothing(county):
    officer, mine = county.mine1_officer, county.mine1
    preview = services.roster_import(actor=officer, mine=mine, upload=roster(GOOD), dry_run=True)
    services.person_create(actor=officer, mine=mine, name="孙伟", employee_no="0102", post="采煤机司机")  # meanwhile
    with pytest.raises(PreviewChanged):
        services.roster_import(actor=officer, mine=mine, upload=roster(GOOD), expect_digest=preview.digest)
    assert Person.objects.count() == 1 and not WorkUnit.objects.exists()


def test_a_person_another_import_wrote_meanwhile_refuses_the_write_and_keeps_nothing(county, monkeypatch):
    """Between this import's plan and its insert another one wrote the same person (the plan could not see it): the
    roster's unique name and 工号 refuses the insert, and the whole write goes, its units and batch included."""
    import importlib

    module = importlib.import_module("workforce.services.roster_import")

    services.person_create(actor=county.mine1_officer, mine=county.mine1, name="周涛", employee_no="0103")
    monkeypatch.setattr(module, "_existing", lambda mine, rows: set())  # as if planned before that person came
    with pytest.raises(PreviewChanged):
        services.roster_import(actor=county.mine1_officer, mine=county.mine1, upload=roster(GOOD))
    assert Person.objects.count() == 1 and not WorkUnit.objects.exists() and not ImportBatch.objects.exists()


def test_the_warning_education_coverage_follows_the_roster_in_and_out(county, campaign):
    from campaign.models import RequirementProgress

    def coverage():
        item = RequirementProgress.objects.filter(organization=county.mine1, requirement__code="1.1.d").first()
        return item and (item.figure, item.note)

    assert coverage() is None
    result = services.roster_import(actor=county.mine1_officer, mine=county.mine1, upload=roster(GOOD))
    figure, note = coverage()
    assert figure == 0 and "班组 0/2" in note  # the new teams are on the roster, not yet covered
    services.roster_import_undo(actor=county.mine1_officer, batch_id=result.batch_id)
    figure, note = coverage()
    assert figure is None and "尚未建立" in note


# ---------------------------------------------------------------- column mapping


def renamed(header, to, rows=GOOD):
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["从业人员花名册"])
    ws.append([to if h == header else h for h in HEADER])
    for row in rows:
        ws.append(row)
    out = BytesIO()
    wb.save(out)
    return SimpleUploadedFile("名册（新格式）.xlsx", out.getvalue())


def test_a_name_column_the_synonyms_do_not_know_is_mapped_and_remembered_for_the_mine(county):
    officer = county.ent1_officer
    with pytest.raises(MissingColumns) as refused:
        services.roster_import(actor=officer, mine=county.mine1, upload=renamed("姓名", "职工名字"))
    assert refused.value.missing == [("name", "姓名")] and "职工名字" in refused.value.headers
    assert not Person.objects.exists()

    result = services.roster_import(
        actor=officer, mine=county.mine1, upload=renamed("姓名", "职工名字"), mapping='{"职工名字": "name"}'
    )
    assert result.created == 5 and "周涛" in set(Person.objects.values_list("name", flat=True))
    assert ImportMapping.objects.get(mine=county.mine1, kind="roster").mapping == {"职工名字": "name"}
    assert ImportBatch.objects.get(pk=result.batch_id).mapping == {"职工名字": "name"}

    # The mine's next file is read with it; another mine's is not.
    later = services.roster_import(
        actor=officer, mine=county.mine1, upload=renamed("姓名", "职工名字", [[9, "钱进", "0301"]]), dry_run=True
    )
    assert later.created == 1 and later.mapping == {"职工名字": "name"}
    with pytest.raises(MissingColumns):
        services.roster_import(actor=officer, mine=county.mine2, upload=renamed("姓名", "职工名字"), dry_run=True)


# ---------------------------------------------------------------- undo


def test_undo_removes_the_people_and_the_units_the_import_created(county):
    officer, mine = county.mine1_officer, county.mine1
    by_hand = services.person_create(actor=officer, mine=mine, name="手工登记", post="调度员")
    result = services.roster_import(actor=officer, mine=mine, upload=roster(GOOD))
    assert units() == {("workshop", "综采队"), ("team", "综采一班"), ("team", "综采二班")}

    batch = services.roster_import_undo(actor=officer, batch_id=result.batch_id)

    assert (batch.status, batch.undone_by) == (BatchStatus.UNDONE, officer)
    assert list(Person.objects.all()) == [by_hand]
    assert units() == set()  # the workshop goes once its teams went
    with pytest.raises(InvalidState, match="已撤销"):
        services.roster_import_undo(actor=officer, batch_id=result.batch_id)


def test_undo_keeps_a_created_unit_that_something_else_uses_since(county):
    officer, mine = county.mine1_officer, county.mine1
    result = services.roster_import(actor=officer, mine=mine, upload=roster(GOOD))
    team_two = WorkUnit.objects.get(name="综采二班")
    services.person_create(actor=officer, mine=mine, name="新来的", unit=team_two)  # typed in after the import

    assert services.roster_batch_notes([ImportBatch.objects.get()]) == {result.batch_id: "新建车间（科队）/班组 3 个"}

    services.roster_import_undo(actor=officer, batch_id=result.batch_id)

    assert list(Person.objects.values_list("name", flat=True)) == ["新来的"]
    assert units() == {("workshop", "综采队"), ("team", "综采二班")}  # 综采一班 was the batch's alone
    assert services.roster_batch_notes([ImportBatch.objects.get()]) == {
        result.batch_id: "随之新建的车间（科队）/班组有 2 个撤销时仍在使用，已保留"
    }


def test_undo_is_refused_once_a_person_was_edited_or_given_a_certificate(county):
    officer, mine = county.mine1_officer, county.mine1
    result = services.roster_import(actor=officer, mine=mine, upload=roster(GOOD))
    sun = Person.objects.get(name="孙伟")
    services.certificate_record(
        actor=officer, person=sun, kind="shearer", number="T1401", expires_on=dt.date.today() + dt.timedelta(days=300)
    )
    with pytest.raises(InvalidState) as refused:
        services.roster_import_undo(actor=officer, batch_id=result.batch_id)
    assert refused.value.status == 409 and "不能撤销" in refused.value.message

    other = services.roster_import(actor=county.mine2_officer, mine=county.mine2, upload=roster(GOOD))
    zhou = Person.objects.get(mine=county.mine2, name="周涛")
    services.person_update(actor=county.mine2_officer, person=zhou, post="液压支架工")
    with pytest.raises(InvalidState, match="已被修改"):
        services.roster_import_undo(actor=county.mine2_officer, batch_id=other.batch_id)
    assert Person.objects.count() == 10 and WorkUnit.objects.count() == 6  # nothing removed
    assert ImportBatch.objects.filter(status=BatchStatus.IMPORTED).count() == 2


def test_undo_is_refused_after_a_day(county):
    result = services.roster_import(actor=county.mine1_officer, mine=county.mine1, upload=roster(GOOD))
    ImportBatch.objects.filter(pk=result.batch_id).update(created_at=dt.datetime.now(dt.UTC) - dt.timedelta(hours=25))
    with pytest.raises(InvalidState, match="24 小时"):
        services.roster_import_undo(actor=county.mine1_officer, batch_id=result.batch_id)
    assert Person.objects.count() == 5


def test_another_mines_batch_is_not_found_and_a_reader_may_not_undo(county):
    result = services.roster_import(actor=county.mine1_officer, mine=county.mine1, upload=roster(GOOD))
    with pytest.raises(NotFound):
        services.roster_import_undo(actor=county.mine2_officer, batch_id=result.batch_id)
    with pytest.raises(NotFound):
        services.roster_import_undo(actor=county.other_inspector, batch_id=result.batch_id)
    with pytest.raises(NotPermitted):
        services.roster_import_undo(actor=county.leader, batch_id=result.batch_id)
    assert Person.objects.count() == 5
    services.roster_import_undo(actor=county.ent1_officer, batch_id=result.batch_id)  # the mine's enterprise may
    assert not Person.objects.exists()


# ---------------------------------------------------------------- API


def test_api_dry_run_answers_the_preview_in_the_shape_of_the_other_ledgers(api_client, county):
    from tests.hazards.xlsx import workbook_upload

    api_client.force_authenticate(county.mine1_officer)
    response = api_client.post("/api/v1/people/import/", {"file": roster(), "dry_run": "true"}, format="multipart")
    assert response.status_code == 200, response.content
    preview = response.json()
    assert [item["row"] for item in preview["created"]] == [3, 4, 5, 6, 7]
    assert preview["created"][4] | {"row": 7} == {
        "row": 7,
        "name": "周涛",
        "employee_no": "0103",
        "role": "worker",
        "post": "支护工",
        "workshop": "综采队",
        "team": "综采二班",
        "employment": "dispatched",
    }
    assert [(e["row"], e["column"]) for e in preview["errors"]] == [(8, "所属单位"), (9, "用工性质")]
    assert {(w["row"], w["kind"]) for w in preview["warnings"]} == {(5, "new_unit"), (6, "new_unit"), (7, "new_unit")}
    assert not Person.objects.exists() and not WorkUnit.objects.exists() and not ImportBatch.objects.exists()

    hazards = api_client.post(
        "/api/v1/hazards/import/",
        {"file": workbook_upload([[1, dt.date.today(), "周查", "甲", "乙", "通风", "一般"]]), "dry_run": "true"},
        format="multipart",
    )
    assert set(preview) == set(hazards.json())


def test_api_mapping_reads_a_column_the_synonyms_do_not_know(api_client, county):
    api_client.force_authenticate(county.mine1_officer)
    missing = api_client.post("/api/v1/people/import/", {"file": renamed("姓名", "职工名字")}, format="multipart")
    assert missing.status_code == 400
    assert missing.json()["missing"] == [{"field": "name", "label": "姓名"}] and "职工名字" in missing.json()["headers"]

    bad = api_client.post(
        "/api/v1/people/import/",
        {"file": renamed("姓名", "职工名字"), "mapping": '{"职工名字": "found_on"}'},
        format="multipart",
    )
    assert bad.status_code == 400 and "不是人员名册的字段" in str(bad.json())

    done = api_client.post(
        "/api/v1/people/import/",
        {"file": renamed("姓名", "职工名字"), "mapping": '{"职工名字": "name"}'},
        format="multipart",
    )
    assert done.status_code == 201, done.content
    body = done.json()
    assert set(body) == {"created", "skipped", "total_rows", "errors", "warnings", "mapping", "batch"}
    assert (body["created"], body["mapping"]) == (5, {"职工名字": "name"})
    assert body["batch"] == ImportBatch.objects.get(kind="roster").pk
    assert Person.objects.filter(import_batch_id=body["batch"]).count() == 5
