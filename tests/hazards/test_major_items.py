"""The situations (情形) of 《煤矿重大事故隐患判定标准》 as data (issue 25 item 1) and the API contract (item 3)."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from core.errors import DomainError
from hazards import services
from hazards.models import Hazard, HazardStandard, MajorHazardItem
from hazards.standards import CRITERIA_2020, read_standard
from tests.factories import HazardFactory

pytestmark = pytest.mark.django_db

MATCH = "/api/v1/major-hazard-criteria/match/"


def item(category, no):
    return MajorHazardItem.objects.get(category__standard__is_current=True, category__no=category, no=no)


def test_the_2020_standard_has_its_80_items_under_the_categories_hazards_already_cite():
    items = MajorHazardItem.objects.filter(category__standard__version="2020")
    assert items.count() == 80
    assert item(4, 2).citation == "《煤矿重大事故隐患判定标准》第七条第（二）项"
    assert item(15, 10).article == "第十八条"
    assert "甲烷传感器" in item(4, 2).text


def test_a_major_hazard_created_through_the_api_cites_its_item(api_client, county, major_fields):
    api_client.force_authenticate(county.mine1_officer)
    payload = {
        **major_fields,
        "mine": county.mine1.pk,
        "major_category": None,
        "major_item": {"category": 5, "item": 3},
    }
    response = api_client.post("/api/v1/hazards/", payload, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["major_item"]["citation"] == "《煤矿重大事故隐患判定标准》第八条第（三）项"
    assert (body["major_item"]["category"], body["major_item"]["item"], body["major_item"]["article"]) == (
        5,
        3,
        "第八条",
    )
    hazard = Hazard.objects.get(pk=body["id"])
    assert hazard.major_category.no == 5  # the item names its category
    assert body["major_category"] == hazard.major_category_id
    listed = api_client.get(f"/api/v1/hazards/{hazard.pk}/").json()
    assert listed["major_item"]["text"].startswith("违反《煤矿安全规程》规定采用串联通风")


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"category": 5, "item": 99}, "没有第99项"),
        ("5-3", "重大隐患情形应写作"),
        ({"category": "5", "item": 3}, "重大隐患情形应写作"),
    ],
)
def test_a_bad_item_is_a_400_in_chinese(api_client, county, major_fields, given, message):
    api_client.force_authenticate(county.mine1_officer)
    payload = {**major_fields, "mine": county.mine1.pk, "major_category": None, "major_item": given}
    response = api_client.post("/api/v1/hazards/", payload, format="json")
    assert response.status_code == 400
    assert message in json.dumps(response.json(), ensure_ascii=False)
    assert not Hazard.objects.exists()


def test_an_item_of_another_category_or_on_an_ordinary_hazard_is_refused(county, major_fields, general_fields):
    with pytest.raises(Exception, match="不属于所选的重大隐患类别"):
        services.hazard_create(
            actor=county.mine1_officer, mine=county.mine1, **{**major_fields, "major_item": item(2, 2)}
        )
    with pytest.raises(Exception, match="一般隐患不应填写重大隐患情形"):
        services.hazard_create(actor=county.mine1_officer, mine=county.mine1, **general_fields, major_item=item(2, 2))
    assert not Hazard.objects.exists()


def test_a_downgraded_hazard_loses_its_item_and_another_category_drops_it(county, major_fields):
    hazard = services.hazard_create(
        actor=county.mine1_officer,
        mine=county.mine1,
        **{**major_fields, "major_category": None, "major_item": item(5, 3)},
    )
    other = item(2, 2).category
    # Another category drops the old situation, and a major hazard names one: the new category's is asked for.
    with pytest.raises(DomainError, match="具体情形") as caught:
        services.hazard_update(actor=county.inspector, hazard=hazard, major_category=other)
    assert caught.value.field == "major_item"
    hazard = services.hazard_update(actor=county.inspector, hazard=hazard, major_category=other, major_item=item(2, 2))
    assert hazard.major_category == other and hazard.major_item == item(2, 2)
    hazard = services.hazard_update(actor=county.inspector, hazard=hazard, major_item=item(2, 3))
    assert hazard.major_item == item(2, 3)
    hazard = services.hazard_update(actor=county.inspector, hazard=hazard, level="general", grade="A")
    assert hazard.major_item is None and hazard.major_category is None


def test_the_detail_page_and_the_export_show_the_citation(client, county, major_fields):
    hazard = services.hazard_create(
        actor=county.mine1_officer,
        mine=county.mine1,
        **{**major_fields, "major_category": None, "major_item": item(5, 3)},
    )
    old = HazardFactory(  # recorded before the items were data
        mine=county.mine1, level="major", major_category=item(5, 3).category, major_item=None
    )
    client.force_login(county.inspector)
    page = client.get(f"/hazards/{hazard.pk}/").content.decode()
    assert "《煤矿重大事故隐患判定标准》第八条第（三）项" in page and "串联通风" in page
    assert "未注明" in client.get(f"/hazards/{old.pk}/").content.decode()
    sheet = load_workbook(io.BytesIO(b"".join(client.get("/hazards/export/").streaming_content))).active
    values = [str(c.value) for row in sheet.iter_rows() for c in row if c.value]
    assert "重大隐患情形" in values
    assert any(v.startswith("《煤矿重大事故隐患判定标准》第八条第（三）项 违反") for v in values)


def test_a_later_revision_loads_beside_the_current_one(tmp_path, county, major_fields):
    hazard = services.hazard_create(
        actor=county.mine1_officer,
        mine=county.mine1,
        **{**major_fields, "major_category": None, "major_item": item(5, 3)},
    )
    data = read_standard(CRITERIA_2020)
    data.update(version="2026", document_no="应急管理部令第21号")
    data["categories"] = data["categories"][:2]
    path = tmp_path / "criteria-2026.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    call_command("load_hazard_standard", str(path))
    assert HazardStandard.objects.get(is_current=True).version == "2020"  # not current unless asked
    call_command("load_hazard_standard", str(path), "--current")
    assert HazardStandard.objects.get(is_current=True).version == "2026"
    assert MajorHazardItem.objects.filter(category__standard__version="2026").count() == 9
    hazard.refresh_from_db()
    assert hazard.major_item.category.standard.version == "2020"  # judged under 2020, it stays so
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps({"version": "x", "standard": "y", "categories": [{"no": 1}]}), encoding="utf-8")
    with pytest.raises(CommandError, match="缺少"):
        call_command("load_hazard_standard", str(broken))


def test_the_matcher_api_answers_any_signed_in_user(api_client, county):
    for user in (county.mine1_officer, county.leader, county.inspector):
        api_client.force_authenticate(user)
        response = api_client.post(MATCH, {"text": "2105回风巷甲烷传感器超限后不能断电"}, format="json")
        assert response.status_code == 200
        body = response.json()
        assert body["likely_major"] is True
        best = body["matches"][0]
        assert (best["category"], best["item"], best["article"]) == (4, 2, "第七条")
        assert set(best) == {"category", "item", "article", "text", "score"}
        assert [m["score"] for m in body["matches"]] == sorted((m["score"] for m in body["matches"]), reverse=True)
    low = api_client.post(MATCH, {"text": "甲烷传感器吊挂距顶板350mm", "specialty": "gas"}, format="json").json()
    assert low["likely_major"] is False
    # as the hazard form asks while the officer types, before a 专业 is chosen (it sends the empty choice)
    unchosen = api_client.post(MATCH, {"text": "2105回风巷甲烷传感器超限后不能断电", "specialty": ""}, format="json")
    assert unchosen.status_code == 200 and unchosen.json()["matches"][0]["article"] == "第七条"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "请填写隐患内容"),
        ({"text": ""}, "请填写隐患内容"),
        ({"text": "x" * 2001}, "2000"),
        ({"text": "a", "specialty": "x"}, ""),
        ({"text": 123}, "隐患内容必须是文字"),  # DRF's CharField would have read "123"
        ({"text": True}, "隐患内容必须是文字"),
        ({"text": ["甲烷传感器"]}, "隐患内容必须是文字"),
        ({"text": "单回路供电", "location": 5}, "隐患地点必须是文字"),
    ],
)
def test_the_matcher_api_refuses_a_bad_body_with_400(api_client, county, body, message):
    api_client.force_authenticate(county.mine1_officer)
    response = api_client.post(MATCH, body, format="json")
    assert response.status_code == 400
    assert message in json.dumps(response.json(), ensure_ascii=False)


def test_the_matcher_api_needs_a_login(api_client):
    assert api_client.post(MATCH, {"text": "单回路供电"}, format="json").status_code in (401, 403)


def test_the_form_offers_the_current_items_and_records_the_chosen_one(client, county):
    from tests.hazards.test_hazard_form import form_data

    client.force_login(county.mine1_officer)
    page = client.get("/hazards/new/").content.decode()
    assert "重大隐患情形" in page and "第八条第（三）项 违反《煤矿安全规程》规定采用串联通风" in page
    major = {
        "level": "major",
        "major_item": item(5, 3).pk,
        "description": "掘进工作面串联通风",
        "funds": "1000",
        "contingency_plan": "停止作业撤人",
    }
    assert client.post("/hazards/new/", form_data(county, **major)).status_code == 302
    hazard = Hazard.objects.get()
    assert hazard.major_item == item(5, 3) and hazard.major_category.no == 5  # the item names its category
    edit = client.get(f"/hazards/{hazard.pk}/edit/").content.decode()
    chosen = item(5, 3)
    assert f'<option value="{chosen.pk}" selected data-category="{chosen.category_id}">' in edit
