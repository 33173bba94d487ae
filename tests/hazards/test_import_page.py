"""The import page in two steps (upload → preview → confirm), the column mapping form, and the batch pages."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from core.models import ImportBatch, ImportMapping, PendingImport
from hazards.models import Hazard
from hazards.services import hazard_update, hazards_import

from .test_import_trust import HEADERS, last_years_ledger
from .xlsx import workbook_upload

pytestmark = pytest.mark.django_db
URL = "/hazards/import/"


def token_of(response):
    return re.search(r'name="token" value="([^"]+)"', response.content.decode()).group(1)


def upload(client, file, **extra):
    return client.post(URL, {"step": "upload", "file": file, **extra})


def test_upload_shows_a_preview_and_only_the_confirm_writes(client, county):
    client.force_login(county.mine1_officer)
    assert "上传并预览" in client.get(URL).content.decode()
    response = upload(client, last_years_ledger())
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="import-preview"' in page
    assert 'data-testid="preview-created">3<' in page
    assert "将新增的行" in page and "井田东翼" in page and "第 5 行" in page
    assert "停产整顿" in page and "已销号" in page and "不在正在开展的专项整治期间内" in page
    assert Hazard.objects.count() == 0 and ImportBatch.objects.count() == 0
    pending = PendingImport.objects.get()
    assert pending.user == county.mine1_officer and pending.file_name == "去年台账.xlsx"

    response = client.post(URL, {"step": "confirm", "token": token_of(response)})
    assert response.status_code == 200
    assert "导入完成：新增 3 条" in response.content.decode()
    assert Hazard.objects.count() == 3
    assert ImportBatch.objects.get().created_by == county.mine1_officer
    assert not PendingImport.objects.exists()  # the kept file goes once written


def test_the_page_after_a_confirm_offers_the_upload_form_afresh(client, county):
    client.force_login(county.mine1_officer)
    response = client.post(URL, {"step": "confirm", "token": token_of(upload(client, last_years_ledger()))})
    page = response.content.decode()
    assert "导入完成：新增 3 条" in page and "必填" not in page  # the confirm's post has no file to complain of


def test_a_confirm_sent_twice_imports_once_and_the_second_says_so(client, county, monkeypatch):
    """A double tap on 确认导入: the second request found the kept file before the first let it go, then the first's
    rows in the ledger (its plan changed). It says the file is imported — not a 500, not a preview of nothing."""
    import core.ledger_import

    client.force_login(county.mine1_officer)
    token = token_of(upload(client, last_years_ledger()))
    read = core.ledger_import.read_ledger

    def first_one_wins(**kwargs):
        # While this confirm reads the file, the first one writes it and lets the kept file go.
        monkeypatch.setattr(core.ledger_import, "read_ledger", read)
        hazards_import(actor=county.mine1_officer, mine=county.mine1, upload=last_years_ledger())
        PendingImport.objects.all().delete()
        return read(**kwargs)

    monkeypatch.setattr(core.ledger_import, "read_ledger", first_one_wins)
    response = client.post(URL, {"step": "confirm", "token": token})
    assert response.status_code == 409
    assert "该文件已经导入" in response.content.decode()
    assert Hazard.objects.count() == 3 and ImportBatch.objects.count() == 1


def test_a_confirm_sent_again_just_after_the_first_wrote_says_the_file_is_imported(client, county, monkeypatch):
    """The first confirm's rows and its letting go of the kept file are one commit: a second confirm that read the
    file before the first committed is told the file is imported (409), never that the ledger changed since its
    preview, and writes nothing."""
    import core.ledger_import

    client.force_login(county.mine1_officer)
    token = token_of(upload(client, last_years_ledger()))
    read = core.ledger_import.read_ledger

    def first_one_wins(**kwargs):
        # While this confirm reads the file, the first one writes it (as the page's confirm does).
        monkeypatch.setattr(core.ledger_import, "read_ledger", read)
        pending = PendingImport.objects.get()
        hazards_import(
            actor=county.mine1_officer,
            mine=county.mine1,
            upload=core.ledger_import.pending_upload(pending),
            expect_digest=pending.digest,
            pending=pending,
        )
        return read(**kwargs)

    monkeypatch.setattr(core.ledger_import, "read_ledger", first_one_wins)
    response = client.post(URL, {"step": "confirm", "token": token})
    assert response.status_code == 409
    assert "该文件已经导入" in response.content.decode() and "台账已有变化" not in response.content.decode()
    assert "必填" not in response.content.decode()  # the upload form beside it is not bound to the confirm's post
    assert Hazard.objects.count() == 3 and ImportBatch.objects.count() == 1
    assert not PendingImport.objects.exists()

    # Sent once more after both: nothing is kept any more, and the page says where the file may have gone.
    response = client.post(URL, {"step": "confirm", "token": token})
    assert response.status_code == 404 and "如果刚才已确认导入，请在导入记录中查看" in response.content.decode()
    assert "必填" not in response.content.decode()
    assert Hazard.objects.count() == 3


def test_a_kept_file_is_written_by_one_confirm_only(county, django_capture_on_commit_callbacks):
    from core.ledger_import import AlreadyImported, pending_store, pending_upload

    pending = pending_store(user=county.mine1_officer, mine=county.mine1, kind="hazards", upload=last_years_ledger())
    stored = pending.file.name
    with django_capture_on_commit_callbacks(execute=True):
        result = hazards_import(
            actor=county.mine1_officer, mine=county.mine1, upload=pending_upload(pending), pending=pending
        )
    assert result.created == 3 and not PendingImport.objects.exists()
    assert not pending.file.storage.exists(stored)  # the kept file goes once the rows are committed
    with pytest.raises(AlreadyImported, match="该文件已经导入"):
        hazards_import(actor=county.mine1_officer, mine=county.mine1, upload=last_years_ledger(), pending=pending)
    assert Hazard.objects.count() == 3 and ImportBatch.objects.count() == 1


def test_another_users_token_is_not_found_and_nothing_is_written(client, county):
    client.force_login(county.mine1_officer)
    token = token_of(upload(client, last_years_ledger()))
    client.force_login(county.ent1_officer)
    response = client.post(URL, {"step": "confirm", "token": token})
    assert response.status_code == 404
    assert "预览已过期或不存在" in response.content.decode()
    assert Hazard.objects.count() == 0


def test_an_expired_preview_is_not_confirmed(client, county):
    client.force_login(county.mine1_officer)
    token = token_of(upload(client, last_years_ledger()))
    PendingImport.objects.update(expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1))
    assert client.post(URL, {"step": "confirm", "token": token}).status_code == 404
    assert Hazard.objects.count() == 0


def test_a_ledger_changed_since_the_preview_is_previewed_again_with_409(client, county):
    client.force_login(county.mine1_officer)
    token = token_of(upload(client, last_years_ledger()))
    hazards_import(actor=county.mine1_officer, mine=county.mine1, upload=last_years_ledger())  # someone else, meanwhile
    response = client.post(URL, {"step": "confirm", "token": token})
    assert response.status_code == 409
    assert "预览之后台账已有变化" in response.content.decode()
    assert 'data-testid="preview-created">0<' in response.content.decode()
    assert Hazard.objects.count() == 3


def test_bad_rows_need_the_good_rows_choice_at_the_confirm(client, county):
    client.force_login(county.mine1_officer)
    rows = [
        [1, "2024-11-03", "无此类型", "地点", "内容", "一般", None, None, None],
        [2, dt.date.today(), "周查", "甲", "乙", "一般", None, None, None],
    ]
    response = upload(client, workbook_upload(rows, headers=HEADERS))
    assert 'data-testid="import-errors"' in response.content.decode()
    # the page asks for the choice before it confirms (the browser will not send the confirm without it); the other
    # buttons of the form go without it
    assert re.search(r'id="confirm_only_valid_rows" required', response.content.decode())
    assert 'value="remap" formnovalidate' in response.content.decode()
    token = token_of(response)
    refused = client.post(URL, {"step": "confirm", "token": token})  # a client that sends it anyway
    assert refused.status_code == 200 and "未导入任何数据" in refused.content.decode()
    assert Hazard.objects.count() == 0
    done = client.post(URL, {"step": "confirm", "token": token, "only_valid_rows": "on"})
    assert "导入完成：新增 1 条" in done.content.decode()


def test_a_column_headed_jiancha_shijian_is_mapped_on_the_page_and_remembered(client, county):
    client.force_login(county.mine1_officer)
    response = upload(client, last_years_ledger(date_header="检查时间"))
    page = response.content.decode()
    assert 'data-testid="import-mapping"' in page and "缺少必填列：排查日期" in page
    assert '<option value="检查时间">检查时间</option>' in page
    token = token_of(response)

    response = client.post(URL, {"step": "map", "token": token, "map_found_on": "检查时间"})
    page = response.content.decode()
    assert 'data-testid="preview-created">3<' in page
    assert "“检查时间”→排查日期" in page
    assert not ImportMapping.objects.exists()  # kept only once the import is confirmed
    client.post(URL, {"step": "confirm", "token": token})
    assert Hazard.objects.count() == 3
    assert ImportMapping.objects.get(mine=county.mine1).mapping == {"检查时间": "found_on"}

    # The mine's next file is read with it, and the preview says so.
    response = upload(client, last_years_ledger(date_header="检查时间", name="第二份.xlsx"))
    assert "按本矿上次的设置" in response.content.decode()
    # …and it can be changed from the preview.
    remap = client.post(URL, {"step": "remap", "token": token_of(response)})
    assert '<option value="检查时间" selected>检查时间</option>' in remap.content.decode()


def test_one_header_for_two_fields_is_refused_on_the_mapping_form(client, county):
    client.force_login(county.mine1_officer)
    token = token_of(upload(client, last_years_ledger(date_header="检查时间")))
    response = client.post(URL, {"step": "map", "token": token, "map_found_on": "检查时间", "map_due_on": "检查时间"})
    assert response.status_code == 400
    assert "一列只能对应一个项目" in response.content.decode()


# ---------------------------------------------------------------- batches


def test_batch_list_is_scoped_and_undo_works_once(client, county):
    result = hazards_import(actor=county.mine1_officer, mine=county.mine1, upload=last_years_ledger())
    batches_url = reverse("hazard_import_batches")
    undo_url = reverse("hazard_import_undo", args=[result.batch_id])

    client.force_login(county.mine2_officer)
    assert "去年台账.xlsx" not in client.get(batches_url).content.decode()
    assert client.post(undo_url).status_code == 404
    client.force_login(county.leader)
    page = client.get(batches_url).content.decode()
    assert "去年台账.xlsx" in page and 'data-testid="undo-batch"' not in page  # sees it, may not undo
    assert client.post(undo_url).status_code == 403

    client.force_login(county.mine1_officer)
    page = client.get(batches_url).content.decode()
    assert "去年台账.xlsx" in page and 'data-testid="undo-batch"' in page
    assert 'data-confirm="撤销后将删除该批导入的 3 条记录' in page  # the browser asks before the undo is sent
    response = client.post(undo_url)
    assert response.status_code == 302 and Hazard.objects.count() == 0
    page = client.get(batches_url).content.decode()
    assert "已撤销" in page and 'data-testid="undo-batch"' not in page
    assert client.post(undo_url).status_code == 409


def test_undo_of_an_edited_batch_answers_409_with_the_reason(client, county):
    result = hazards_import(actor=county.mine1_officer, mine=county.mine1, upload=last_years_ledger())
    hazard_update(actor=county.mine1_officer, hazard=Hazard.objects.get(location="2401回风巷"), note="已核实")
    client.force_login(county.mine1_officer)
    response = client.post(reverse("hazard_import_undo", args=[result.batch_id]))
    assert response.status_code == 409
    assert "已被修改" in response.content.decode()
    assert Hazard.objects.count() == 3


@pytest.mark.parametrize("batches", [2, 12])
def test_batch_list_query_count_does_not_grow(client, county, batches, django_assert_max_num_queries):
    for n in range(batches):
        line = [1, dt.date.today(), "周查", f"地点{n}", "内容", "一般", None, None, None]
        hazards_import(
            actor=county.ent1_officer,
            mine=county.mine1 if n % 2 else county.mine2,
            upload=workbook_upload([line], headers=HEADERS, name=f"第{n}份.xlsx"),
        )
    client.force_login(county.ent1_officer)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("hazard_import_batches"))
    assert response.status_code == 200
    assert response.content.decode().count("份.xlsx") == batches


@pytest.mark.parametrize("step", ["bogus", "confirm;", "UPLOAD"])
def test_an_unknown_step_is_a_400_with_a_chinese_message_not_a_500(client, county, step):
    client.force_login(county.mine1_officer)
    token = token_of(upload(client, last_years_ledger()))
    response = client.post(URL, {"step": step, "token": token})
    assert response.status_code == 400
    assert "未知的操作" in response.content.decode()
    assert Hazard.objects.count() == 0
