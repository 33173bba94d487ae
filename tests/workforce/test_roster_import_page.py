"""The roster's import page in two steps (upload → preview → confirm) with the column mapping form, and its batch
pages (list, undo), as for the other ledgers."""

import re

import pytest
from django.urls import reverse

from core.models import ImportBatch, ImportMapping, PendingImport
from workforce import services
from workforce.models import Person, WorkUnit

from .test_roster_import import ROWS, roster
from .test_roster_import_trust import GOOD, renamed

pytestmark = pytest.mark.django_db
URL = "/workforce/people/import/"


def token_of(response):
    return re.search(r'name="token" value="([^"]+)"', response.content.decode()).group(1)


def upload(client, file, **extra):
    return client.post(URL, {"step": "upload", "file": file, **extra})


def test_upload_shows_a_preview_and_only_the_confirm_writes(client, county):
    client.force_login(county.mine1_officer)
    page = client.get(URL).content.decode()
    assert "上传并预览" in page and reverse("person_import_batches") in page
    response = upload(client, roster())
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="preview-created">5<' in page and 'data-testid="preview-errors">2<' in page
    assert "周涛" in page and "综采二班" in page and "劳务派遣人员" in page  # the rows to add, choices in Chinese
    assert "名册中没有车间（科队）“综采队”" in page and "第 8 行" in page
    assert not Person.objects.exists() and not WorkUnit.objects.exists() and not ImportBatch.objects.exists()

    token = token_of(response)
    refused = client.post(URL, {"step": "confirm", "token": token})
    assert "未导入任何数据" in refused.content.decode() and not Person.objects.exists()
    done = client.post(URL, {"step": "confirm", "token": token, "only_valid_rows": "on"})
    page = done.content.decode()
    assert "导入完成：新增 5 条" in page and "新建车间（科队）/班组 3 个" in page
    assert Person.objects.count() == 5 and WorkUnit.objects.count() == 3
    assert ImportBatch.objects.get().created_by == county.mine1_officer
    assert not PendingImport.objects.exists()


def test_a_name_column_is_mapped_on_the_page_and_remembered(client, county):
    client.force_login(county.mine1_officer)
    response = upload(client, renamed("姓名", "职工名字"))
    page = response.content.decode()
    assert 'data-testid="import-mapping"' in page and "缺少必填列：姓名" in page
    token = token_of(response)
    response = client.post(URL, {"step": "map", "token": token, "map_name": "职工名字"})
    assert 'data-testid="preview-created">5<' in response.content.decode()
    assert "“职工名字”→姓名" in response.content.decode()
    client.post(URL, {"step": "confirm", "token": token})
    assert Person.objects.count() == 5
    assert ImportMapping.objects.get(mine=county.mine1, kind="roster").mapping == {"职工名字": "name"}


def test_batch_list_is_scoped_and_undo_removes_the_people_and_units_once(client, county):
    result = services.roster_import(actor=county.mine1_officer, mine=county.mine1, upload=roster(GOOD))
    batches_url = reverse("person_import_batches")
    undo_url = reverse("person_import_undo", args=[result.batch_id])

    client.force_login(county.mine2_officer)
    assert "花名册.xlsx" not in client.get(batches_url).content.decode()
    assert client.post(undo_url).status_code == 404
    client.force_login(county.leader)
    page = client.get(batches_url).content.decode()
    assert "花名册.xlsx" in page and 'data-testid="undo-batch"' not in page
    assert client.post(undo_url).status_code == 403

    client.force_login(county.mine1_officer)
    page = client.get(batches_url).content.decode()
    assert "花名册.xlsx" in page and 'data-testid="undo-batch"' in page
    assert "新建车间（科队）/班组 3 个" in page
    response = client.post(undo_url)
    assert response.status_code == 302
    assert not Person.objects.exists() and not WorkUnit.objects.exists()
    page = client.get(batches_url).content.decode()
    assert "已撤销" in page and "删除了该批导入的 5 条记录，以及随之新建的车间（科队）/班组 3 个" in page
    assert client.post(undo_url).status_code == 409


def test_undo_of_an_edited_batch_answers_409_with_the_reason(client, county):
    result = services.roster_import(actor=county.mine1_officer, mine=county.mine1, upload=roster(GOOD))
    services.person_update(actor=county.mine1_officer, person=Person.objects.get(name="孙伟"), post="采煤机司机（主）")
    client.force_login(county.mine1_officer)
    response = client.post(reverse("person_import_undo", args=[result.batch_id]))
    assert response.status_code == 409
    assert "已被修改" in response.content.decode()
    assert Person.objects.count() == 5 and WorkUnit.objects.count() == 3


@pytest.mark.parametrize("batches", [2, 12])
def test_batch_list_query_count_does_not_grow(client, county, batches, django_assert_max_num_queries):
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import Workbook

    for n in range(batches):
        wb = Workbook()
        wb.active.append(["姓名", "工号", "职务", "所在科队", "班组"])
        wb.active.append([f"人员{n}", f"{n:04d}", "电工", f"科队{n}", f"班组{n}"])
        out = BytesIO()
        wb.save(out)
        services.roster_import(
            actor=county.ent1_officer,
            mine=county.mine1 if n % 2 else county.mine2,
            upload=SimpleUploadedFile(f"第{n}份.xlsx", out.getvalue()),
        )
    client.force_login(county.ent1_officer)
    with django_assert_max_num_queries(9):
        response = client.get(reverse("person_import_batches"))
    assert response.status_code == 200
    assert response.content.decode().count("份.xlsx") == batches


def test_rows_with_errors_only_are_previewed_without_a_confirm(client, county):
    client.force_login(county.mine1_officer)
    response = upload(client, roster(ROWS[5:]))
    page = response.content.decode()
    assert 'data-testid="preview-created">0<' in page and 'data-testid="import-errors"' in page
    assert not Person.objects.exists()
