"""Batch selection on the hazard ledger: export, print and 挂牌督办 exactly the ticked rows the user may see."""

import io

import pytest
from openpyxl import load_workbook

from hazards.models import HazardListing
from tests.factories import HazardFactory

pytestmark = pytest.mark.django_db


def cells(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return " ".join(str(c) for row in wb.active.iter_rows(values_only=True) for c in row if c is not None)


@pytest.fixture
def rows(county):
    return {
        "own1": HazardFactory(mine=county.mine1, description="所选一号隐患"),
        "own2": HazardFactory(mine=county.mine1, description="所选二号隐患"),
        "own3": HazardFactory(mine=county.mine1, description="未选三号隐患"),
        "theirs": HazardFactory(mine=county.mine2, description="西岭的隐患"),
        "far": HazardFactory(mine=county.other_mine, description="外县的隐患"),
    }


def ids(rows, *names):
    return [rows[n].pk for n in names]


def test_export_of_the_selected_rows_holds_exactly_those_the_user_sees(client, county, rows):
    client.force_login(county.mine1_officer)
    text = cells(client.get("/hazards/selected/export/", {"ids": ids(rows, "own1", "own2", "theirs", "far")}))
    assert "所选一号隐患" in text and "所选二号隐患" in text
    assert "未选三号隐患" not in text and "西岭的隐患" not in text and "外县的隐患" not in text
    assert "事故隐患排查治理台账" in text  # the ledger's own layout (core/excel.py through hazards/exports.py)


def test_selecting_only_what_the_user_may_not_see_is_404(client, county, rows):
    client.force_login(county.mine1_officer)
    for url in ("/hazards/selected/export/", "/hazards/selected/print/"):
        assert client.get(url, {"ids": ids(rows, "theirs", "far")}).status_code == 404


@pytest.mark.parametrize("query", [{}, {"ids": ""}, {"ids": "abc"}, {"ids": "-3"}])
def test_nothing_selected_goes_back_to_the_ledger_with_a_message(client, county, rows, query):
    client.force_login(county.mine1_officer)
    for url in ("/hazards/selected/export/", "/hazards/selected/print/"):
        response = client.get(url, query, follow=True)
        assert response.redirect_chain[-1][0].startswith("/hazards/")
        assert "请先勾选" in response.content.decode()


def test_too_many_selected_is_refused_with_a_message(client, county, rows):
    client.force_login(county.mine1_officer)
    response = client.get("/hazards/selected/export/", {"ids": list(range(1, 502))}, follow=True)
    assert "一次最多选择 500 条" in response.content.decode()


def test_print_view_shows_the_selected_rows_only(client, county, rows):
    client.force_login(county.ent1_officer)
    response = client.get("/hazards/selected/print/", {"ids": ids(rows, "own1", "theirs", "far")})
    html = response.content.decode()
    assert response.status_code == 200
    assert "所选一号隐患" in html and "西岭的隐患" in html
    assert "外县的隐患" not in html and "所选二号隐患" not in html
    assert 'data-action="print"' in html and "共 2 条" in html


def test_the_ledger_offers_the_selection_to_everyone_and_listing_to_inspectors(client, county, rows):
    client.force_login(county.mine1_officer)
    html = client.get("/hazards/").content.decode()
    assert f'name="ids" value="{rows["own1"].pk}"' in html and 'form="hazard-batch"' in html
    assert "导出所选" in html and "打印所选" in html and "挂牌督办所选" not in html
    assert "data-select-all" in html
    client.force_login(county.inspector)
    assert "挂牌督办所选" in client.get("/hazards/").content.decode()
    client.force_login(county.leader)
    assert "挂牌督办所选" not in client.get("/hazards/").content.decode()


@pytest.fixture
def majors(county):
    listed = HazardFactory(mine=county.mine2, description="已挂牌的重大隐患", level="major", contingency_plan="x")
    HazardListing.objects.create(hazard=listed, listed_on="2024-11-01", supervising_unit="县局", notice_text="x")
    return {
        "major1": HazardFactory(mine=county.mine1, description="东峰重大隐患", level="major", contingency_plan="x"),
        "major3": HazardFactory(mine=county.mine3, description="北坡重大隐患", level="major", contingency_plan="x"),
        "general": HazardFactory(mine=county.mine1, description="一般隐患甲"),
        "listed": listed,
        "far": HazardFactory(mine=county.other_mine, description="外县重大隐患", level="major", contingency_plan="x"),
    }


LISTING = {"listed_on": "2024-11-05", "supervising_unit": "阳城县应急管理局", "notice_text": "限期整改，挂牌督办。"}


def test_an_inspector_lists_the_selected_major_hazards_one_by_one(client, county, majors):
    client.force_login(county.inspector)
    selected = ids(majors, "major1", "major3", "general", "listed", "far")
    page = client.get("/hazards/selected/listing/", {"ids": selected}).content.decode()
    assert "东峰重大隐患" in page and "北坡重大隐患" in page and "外县重大隐患" not in page
    assert "一般隐患不能挂牌" in page and "已挂牌督办" in page and 'name="notice_text"' in page

    response = client.post("/hazards/selected/listing/", {"ids": selected, **LISTING})
    html = response.content.decode()
    assert response.status_code == 200
    assert HazardListing.objects.filter(hazard__in=[majors["major1"], majors["major3"]]).count() == 2
    assert not HazardListing.objects.filter(hazard__in=[majors["general"], majors["far"]]).exists()
    assert html.count("bi-check-circle") == 2  # one mark per hazard listed
    assert "只有重大事故隐患才能挂牌督办" in html and "该隐患已挂牌督办" in html
    assert "外县重大隐患" not in html
    assert "挂牌督办 2 条，未挂牌 2 条" in html


def test_a_bad_listing_form_lists_nothing(client, county, majors):
    client.force_login(county.inspector)
    response = client.post("/hazards/selected/listing/", {"ids": ids(majors, "major1"), "supervising_unit": "x"})
    assert response.status_code == 200
    assert not HazardListing.objects.filter(hazard=majors["major1"]).exists()
    assert "这个字段是必填项" in response.content.decode() or "必填" in response.content.decode()


@pytest.mark.parametrize("who", ["mine1_officer", "ent1_officer", "leader"])
def test_only_inspectors_may_list_in_a_batch(client, county, majors, who):
    client.force_login(getattr(county, who))
    selected = ids(majors, "major1")
    assert client.get("/hazards/selected/listing/", {"ids": selected}).status_code == 403
    assert client.post("/hazards/selected/listing/", {"ids": selected, **LISTING}).status_code == 403
    assert not HazardListing.objects.filter(hazard=majors["major1"]).exists()


def test_listing_only_others_hazards_is_404(client, county, majors):
    client.force_login(county.other_inspector)
    response = client.post("/hazards/selected/listing/", {"ids": ids(majors, "major1", "major3"), **LISTING})
    assert response.status_code == 404
    assert not HazardListing.objects.filter(hazard__in=[majors["major1"], majors["major3"]]).exists()


@pytest.mark.parametrize("count", [3, 40])
def test_selected_export_and_print_queries_do_not_grow(client, county, count, django_assert_max_num_queries):
    selected = [h.pk for h in HazardFactory.create_batch(count, mine=county.mine1)]
    client.force_login(county.inspector)
    with django_assert_max_num_queries(6):
        cells(client.get("/hazards/selected/export/", {"ids": selected}))
    with django_assert_max_num_queries(6):
        assert client.get("/hazards/selected/print/", {"ids": selected}).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get("/hazards/selected/listing/", {"ids": selected}).status_code == 200
