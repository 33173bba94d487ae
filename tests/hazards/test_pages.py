import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import MineStatus
from hazards import services
from hazards.models import Hazard, HazardFile
from tests.factories import HazardFactory

pytestmark = pytest.mark.django_db

from tests.images import image_bytes  # noqa: E402

PNG = image_bytes()


def test_mine_officer_gets_404_on_another_mines_hazard_by_page(client, county):
    theirs = HazardFactory(mine=county.mine2)
    client.force_login(county.mine1_officer)
    for url in (f"/hazards/{theirs.pk}/", f"/hazards/{theirs.pk}/edit/"):
        assert client.get(url).status_code == 404
    assert client.post(f"/hazards/{theirs.pk}/submit/", {"rectified_on": "2024-11-01"}).status_code == 404
    assert client.get("/hazards/999999/").status_code == 404
    assert Hazard.objects.get(pk=theirs.pk).status == "open"


def test_ledger_lists_only_visible_hazards_with_filters(client, county):
    HazardFactory(mine=county.mine1, location="东峰回风巷", specialty="ventilation")
    HazardFactory(mine=county.mine1, location="东峰水仓", specialty="water", status="closed")
    HazardFactory(mine=county.mine2, location="西岭主斜井")
    HazardFactory(mine=county.mine3, location="北坡变电所")
    client.force_login(county.mine1_officer)
    html = client.get("/hazards/").content.decode()
    assert "东峰回风巷" in html and "东峰水仓" in html
    assert "西岭主斜井" not in html and "北坡变电所" not in html
    html = client.get("/hazards/", {"specialty": "water"}).content.decode()
    assert "东峰水仓" in html and "东峰回风巷" not in html
    html = client.get("/hazards/", {"status": "closed"}).content.decode()
    assert "东峰水仓" in html and "东峰回风巷" not in html
    html = client.get("/hazards/", {"q": "回风"}).content.decode()
    assert "东峰回风巷" in html and "东峰水仓" not in html

    client.force_login(county.ent1_officer)
    html = client.get("/hazards/").content.decode()
    assert "西岭主斜井" in html and "北坡变电所" not in html
    client.force_login(county.inspector)
    html = client.get("/hazards/", {"mine": county.mine3.pk}).content.decode()
    assert "北坡变电所" in html and "东峰回风巷" not in html


def test_overdue_filter_and_red_marking(client, county):
    HazardFactory(mine=county.mine1, location="逾期的", due_on=dt.date.today() - dt.timedelta(days=4))
    HazardFactory(mine=county.mine1, location="未到期", due_on=dt.date.today() + dt.timedelta(days=4))
    client.force_login(county.mine1_officer)
    html = client.get("/hazards/", {"overdue": "true"}).content.decode()
    assert "逾期的" in html and "未到期" not in html
    assert "逾期 4 天" in html
    html = client.get("/hazards/", {"overdue": "false"}).content.decode()
    assert "未到期" in html and "逾期的" not in html


def test_ledger_pages_with_date_range_and_paging(client, county):
    for day in range(1, 31):
        HazardFactory(mine=county.mine1, found_on=dt.date(2024, 11, day), location=f"地点{day:02d}")
    client.force_login(county.mine1_officer)
    html = client.get("/hazards/", {"found_after": "2024-11-10", "found_before": "2024-11-12"}).content.decode()
    assert "地点10" in html and "地点12" in html and "地点13" not in html and "地点09" not in html
    page1 = client.get("/hazards/").content.decode()
    assert "共 30 条" in page1 and "地点30" in page1 and "地点01" not in page1
    page2 = client.get("/hazards/", {"page": 2}).content.decode()
    assert "地点01" in page2


@pytest.mark.parametrize("rows", [5, 60])
def test_ledger_page_query_count_does_not_grow(client, county, rows, django_assert_max_num_queries):
    HazardFactory.create_batch(rows, mine=county.mine1)
    HazardFactory.create_batch(rows, mine=county.mine2)
    client.force_login(county.inspector)
    with django_assert_max_num_queries(7):
        assert client.get("/hazards/", {"level": "general", "overdue": "false"}).status_code == 200


def test_register_a_major_hazard_through_the_form(client, county, ventilation_category):
    client.force_login(county.mine1_officer)
    data = {
        "mine": county.mine1.pk,
        "found_on": dt.date.today().isoformat(),
        "source": "team_daily",
        "location": "1105掘进工作面",
        "specialty": "ventilation",
        "description": "串联通风",
        "level": "major",
        "major_category": ventilation_category.pk,
        "major_item": ventilation_category.items.get(no=3).pk,
        "measures": "调整通风系统",
        "funds": "5000",
        "responsible_unit": "通风队",
        "responsible_person": "胡国强",
        "due_on": (dt.date.today() + dt.timedelta(days=10)).isoformat(),
        "contingency_plan": "",
        "before_photo": SimpleUploadedFile("现场.png", PNG),
    }
    response = client.post("/hazards/new/", data)
    assert response.status_code == 200
    assert "还缺：应急预案" in response.content.decode()
    assert not Hazard.objects.exists()
    assert not HazardFile.objects.exists()

    data["contingency_plan"] = "撤人断电"
    data["before_photo"] = SimpleUploadedFile("现场.png", PNG)
    response = client.post("/hazards/new/", data)
    hazard = Hazard.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/hazards/{hazard.pk}/"
    assert hazard.files.get().stage == "before"
    county.mine1.refresh_from_db()
    assert county.mine1.status == MineStatus.SUSPENDED
    detail = client.get(f"/hazards/{hazard.pk}/").content.decode()
    assert "停产整顿" in detail and "重大事故隐患" in detail
    assert "等待县局执法人员验收" not in detail


def test_form_refuses_a_fake_image_and_keeps_nothing(client, county, general_fields):
    client.force_login(county.mine1_officer)
    data = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in general_fields.items()}
    data.update(
        mine=county.mine1.pk, level="general", before_photo=SimpleUploadedFile("a.jpg", b"MZ\x90\0 not an image")
    )
    response = client.post("/hazards/new/", data)
    assert response.status_code == 200
    assert "类型不支持" in response.content.decode()
    assert not Hazard.objects.exists()


def test_transitions_through_the_pages(client, county, general_fields):
    hazard = services.hazard_create(actor=county.mine1_officer, mine=county.mine1, **general_fields)
    client.force_login(county.mine1_officer)
    client.post(
        f"/hazards/{hazard.pk}/submit/",
        {
            "rectified_on": dt.date.today().isoformat(),
            "after_photo": SimpleUploadedFile("after.png", PNG),
            "row_version": hazard.row_version,
        },
    )
    hazard.refresh_from_db()
    assert hazard.status == "awaiting_acceptance"
    assert hazard.files.get().stage == "after"
    client.force_login(county.ent1_officer)
    response = client.post(
        f"/hazards/{hazard.pk}/reject/", {"reason": "", "row_version": hazard.row_version}, follow=True
    )
    assert "退回理由" in response.content.decode()
    client.post(f"/hazards/{hazard.pk}/reject/", {"reason": "照片看不清", "row_version": hazard.row_version})
    hazard.refresh_from_db()
    assert hazard.status == "rectifying"
    detail = client.get(f"/hazards/{hazard.pk}/").content.decode()
    assert "照片看不清" in detail and "验收不通过，退回整改" in detail
    client.force_login(county.leader)
    response = client.post(
        f"/hazards/{hazard.pk}/submit/",
        {"rectified_on": dt.date.today().isoformat(), "row_version": hazard.row_version},
        follow=True,
    )
    # the leadership group writes nothing: 403 with the reason, never a redirect (tests/core/test_read_only_walk.py)
    assert response.status_code == 403 and "只能查看" in response.content.decode()
    assert client.post(f"/hazards/{hazard.pk}/unknown-action/").status_code == 404


def test_files_are_served_only_to_those_who_see_the_hazard(client, county):
    hazard = HazardFactory(mine=county.mine1)
    item = services.hazard_attach_file(
        actor=county.mine1_officer, hazard=hazard, stage="before", upload=SimpleUploadedFile("p.png", PNG)
    )
    assert "p.png" not in item.file.name  # stored under a random name
    client.force_login(county.mine1_officer)
    response = client.get(f"/hazards/files/{item.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    client.force_login(county.mine2_officer)
    assert client.get(f"/hazards/files/{item.pk}/").status_code == 404
    client.force_login(county.inspector)
    assert client.get(f"/hazards/files/{item.pk}/").status_code == 200


def confirm_import(client, preview_html):
    """Confirm the import previewed on `preview_html` (the page's second step); the answer's HTML."""
    import re

    text = preview_html.decode() if isinstance(preview_html, bytes) else preview_html
    token = re.search(r'name="token" value="([^"]+)"', text).group(1)
    return client.post("/hazards/import/", {"step": "confirm", "token": token}).content.decode()


def test_import_page_reports_row_errors_then_imports_good_rows(client, county, sample_ledger):
    from .xlsx import workbook_upload

    bad = workbook_upload(
        [
            [1, "2024-11-03", "班组日查", "2401工作面", "初撑力不足", "顶板", "一般", "补液", "王", "2024-11-05", 0],
            [2, "昨天", "班组日查", "主斜井", "跑偏", "机电", "一般", "更换", "赵", "2024-11-05", 0],
        ]
    )
    client.force_login(county.mine1_officer)
    html = client.post("/hazards/import/", {"mine": county.mine1.pk, "file": bad}).content.decode()
    assert "第 5 行" in html and "排查日期" in html  # the preview lists the errors
    html = confirm_import(client, html)
    assert "未导入任何数据" in html
    assert not Hazard.objects.exists()
    html = client.post("/hazards/import/", {"mine": county.mine1.pk, "file": sample_ledger}).content.decode()
    assert not Hazard.objects.exists()  # a preview, nothing written
    assert "新增 12 条" in confirm_import(client, html)
    html = client.post(
        "/hazards/import/", {"mine": county.mine1.pk, "file": SimpleUploadedFile("x.xlsx", b"hello")}
    ).content.decode()
    assert "不是有效的 Excel" in html


def test_mine_officer_cannot_aim_an_import_or_a_hazard_at_another_mine(client, county, sample_ledger, general_fields):
    client.force_login(county.mine1_officer)
    confirm_import(client, client.post("/hazards/import/", {"mine": county.mine2.pk, "file": sample_ledger}).content)
    data = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in general_fields.items()}
    client.post("/hazards/new/", {**data, "mine": county.mine2.pk, "level": "general", "location": "手填"})
    assert not Hazard.objects.filter(mine=county.mine2).exists()
    assert Hazard.objects.filter(mine=county.mine1).count() == 13  # the forged mine id was ignored


def test_a_mine_officers_list_ignores_a_mine_filter_quietly_and_shows_only_his_mine(client, county, major_fields):
    """The officer's bar has no 煤矿 choice: ?mine= of another mine (or of nothing) shows his own rows, without an
    error about a choice he cannot see (the review of issue 24); the bureau's bar still says a choice is invalid."""
    services.hazard_create(actor=county.inspector, mine=county.mine1, **major_fields)
    services.hazard_create(actor=county.inspector, mine=county.mine2, **{**major_fields, "location": "别的矿"})
    client.force_login(county.mine1_officer)
    for value in (county.mine2.pk, "abc"):
        html = client.get("/hazards/", {"mine": value}).content.decode()
        assert "选择一个有效的选项" not in html and "别的矿" not in html
    client.force_login(county.inspector)
    assert "选择一个有效的选项" in client.get("/hazards/", {"mine": "abc"}).content.decode()


def test_enterprise_import_page_refuses_a_mine_of_another_enterprise(client, county, sample_ledger):
    client.force_login(county.ent1_officer)
    html = client.post("/hazards/import/", {"mine": county.mine3.pk, "file": sample_ledger}).content.decode()
    assert "选择一个有效的选项" in html
    assert not Hazard.objects.exists()


def test_listed_hazards_page_and_export(client, county, major_fields):
    hazard = services.hazard_create(actor=county.inspector, mine=county.mine1, **major_fields)
    services.hazard_list_publicly(
        actor=county.inspector,
        hazard=hazard,
        listed_on=dt.date.today(),
        supervising_unit="县应急局",
        notice_text="挂牌",
    )
    client.force_login(county.mine2_officer)
    assert "1105掘进工作面" not in client.get("/hazards/listed/").content.decode()
    client.force_login(county.leader)
    assert "1105掘进工作面" in client.get("/hazards/listed/").content.decode()
    response = client.get("/hazards/listed/", {"format": "xlsx"})
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert ws["A1"].value == "重大事故隐患挂牌督办清单"
    assert ws.cell(3, 5).value == "1105掘进工作面"  # title, headers, then 序号 1 and the listing
