"""A city's regulators write their own inspections (issue 22 item 1): a city (province) records its own inspection of
a mine below it in the bureau's modes, and the hazards, 三违 and exams found at it; they live in the county's ledgers
(the mine rectifies, the county supervises). The county's inspections and every other ledger record stay read-only to
the city (403); a mine of another city is 404; the county and the mine see the city's inspection, marked as the
city's; coverage counts it, the county's own 落实事项 says it apart."""

import datetime as dt

import pytest
from django.urls import reverse

from core.errors import NotPermitted
from hazards import services as hz
from hazards.models import Hazard, HazardSource, Inspection
from tests.factories import UserFactory, regulator_levels
from violations import services as vs
from violations.models import FoundBy, Violation

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


@pytest.fixture
def lv(county):
    return regulator_levels(county)


def _city_inspection(lv, county, mode="four_no_two_direct"):
    return hz.inspection_create(
        actor=lv.city_user, mine=county.mine1, inspected_on=TODAY, mode=mode, notes="市局四不两直"
    )


def _hazard_fields(**extra):
    return {
        "found_on": TODAY,
        "location": "1301工作面",
        "specialty": "ventilation",
        "description": "市局发现：局部通风机无专人管理",
        "level": "general",
        "measures": "指定专人",
        "responsible_unit": "通风科",
        "responsible_person": "张三",
        "due_on": TODAY + dt.timedelta(days=7),
        "source": "bureau_inspection",
        **extra,
    }


def _violation_fields(**extra):
    return {
        "occurred_on": TODAY,
        "person_name": "李四",
        "post": "掘进工",
        "type": "operation",
        "location": "1301工作面",
        "description": "未执行敲帮问顶",
        "severity": "general",
        **extra,
    }


def test_the_city_records_its_own_inspection_and_its_findings(county, lv):
    inspection = _city_inspection(lv, county)
    assert inspection.higher_bureau_id == lv.city.pk
    assert set(inspection.inspectors.all()) == {lv.city_user}
    assert inspection.inspected_by_label == "晋城市应急管理局检查"
    hazard = hz.hazard_create(actor=lv.city_user, mine=county.mine1, inspection=inspection, **_hazard_fields())
    # a higher level's finding, whatever source was sent; it lives in the county's ledger
    assert hazard.source == HazardSource.SUPERIOR_INSPECTION and hazard.inspection_id == inspection.pk
    assert hazard in Hazard.objects.visible_to(county.inspector)
    assert hazard in Hazard.objects.visible_to(county.mine1_officer)
    exam = hz.exam_record(actor=lv.city_user, inspection=inspection, person_name="王五", post="电工", score=60)
    assert not exam.passed
    violation = vs.violation_create(actor=lv.city_user, mine=county.mine1, inspection=inspection, **_violation_fields())
    assert violation.found_by == FoundBy.OTHER and violation.found_by_name == "晋城市应急管理局检查"
    # the mine rectifies as usual; the county's inspector supervises it (and may write at the city's inspection)
    hz.hazard_start_rectification(actor=county.mine1_officer, hazard=hazard)
    hz.exam_record(actor=county.inspector, inspection=inspection, person_name="赵六", post="电工", score=90)
    # the province records its own too
    by_province = hz.inspection_create(actor=lv.province_user, mine=county.mine2, inspected_on=TODAY, mode="covert")
    assert by_province.higher_bureau_id == lv.province.pk


def test_the_city_cannot_write_the_countys_records(county, lv):
    county_inspection = hz.inspection_create(actor=county.inspector, mine=county.mine1, inspected_on=TODAY, mode="open")
    with pytest.raises(NotPermitted):
        hz.hazard_create(actor=lv.city_user, mine=county.mine1, inspection=county_inspection, **_hazard_fields())
    with pytest.raises(NotPermitted):
        hz.hazard_create(actor=lv.city_user, mine=county.mine1, **_hazard_fields())
    with pytest.raises(NotPermitted):
        hz.exam_record(actor=lv.city_user, inspection=county_inspection, person_name="x", post="x", score=90)
    with pytest.raises(NotPermitted):
        vs.violation_create(actor=lv.city_user, mine=county.mine1, inspection=county_inspection, **_violation_fields())
    # its own inspection's findings belong to the inspected mine only
    own = _city_inspection(lv, county)
    with pytest.raises(NotPermitted):
        hz.hazard_create(actor=lv.city_user, mine=county.mine2, inspection=own, **_hazard_fields())
    # a hazard the county registered is not the city's to edit, not even one found at the city's inspection
    hazard = hz.hazard_create(actor=lv.city_user, mine=county.mine1, inspection=own, **_hazard_fields())
    with pytest.raises(NotPermitted):
        hz.hazard_update(actor=lv.city_user, hazard=hazard, location="改了")
    # the enterprise's self-check mode is not the city's; another city's regulator writes nothing at this one
    with pytest.raises(NotPermitted):
        hz.inspection_create(actor=lv.city_user, mine=county.mine1, inspected_on=TODAY, mode="self")
    with pytest.raises(NotPermitted):
        hz.inspection_create(actor=lv.other_city_user, mine=county.mine1, inspected_on=TODAY, mode="open")
    with pytest.raises(NotPermitted):
        hz.exam_record(actor=lv.other_city_user, inspection=own, person_name="x", post="x", score=90)
    # the county's leadership group stays read-only
    with pytest.raises(NotPermitted):
        hz.inspection_create(actor=county.leader, mine=county.mine1, inspected_on=TODAY, mode="open")


def test_the_pages_of_the_citys_inspection(client, county, lv):
    client.force_login(lv.city_user)
    assert client.get(reverse("inspection_create")).status_code == 200
    response = client.post(
        reverse("inspection_create"),
        {"mine": county.mine1.pk, "inspected_on": TODAY.isoformat(), "mode": "four_no_two_direct", "notes": "市局"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    inspection = Inspection.objects.get(higher_bureau=lv.city)
    detail = client.get(reverse("inspection_detail", kwargs={"pk": inspection.pk})).content.decode()
    assert "晋城市应急管理局检查" in detail and "登记发现的隐患" in detail and "登记查处的“三违”" in detail
    url = f"{reverse('hazard_create')}?inspection={inspection.pk}"
    assert client.get(url).status_code == 200
    fields = _hazard_fields()
    response = client.post(url, {"mine": county.mine1.pk, "inspection": inspection.pk, **fields})
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Hazard.objects.get(inspection=inspection).source == HazardSource.SUPERIOR_INSPECTION
    response = client.post(
        reverse("exam_create", kwargs={"pk": inspection.pk}), {"person_name": "王五", "post": "电工", "score": "90"}
    )
    assert response.status_code == 302 and inspection.exams.count() == 1
    url = f"{reverse('violation_create')}?inspection={inspection.pk}"
    assert client.get(url).status_code == 200
    # the county's inspection: read, never written (403 with its Chinese page); the ledger without an inspection: 403
    county_inspection = hz.inspection_create(actor=county.inspector, mine=county.mine1, inspected_on=TODAY, mode="open")
    detail = client.get(reverse("inspection_detail", kwargs={"pk": county_inspection.pk})).content.decode()
    assert "登记发现的隐患" not in detail and "登记查处的“三违”" not in detail
    before = county_inspection.exams.count()
    response = client.post(
        reverse("exam_create", kwargs={"pk": county_inspection.pk}), {"person_name": "x", "post": "x", "score": "90"}
    )
    assert response.status_code == 403 and county_inspection.exams.count() == before
    assert client.get(f"{reverse('hazard_create')}?inspection={county_inspection.pk}").status_code == 403
    assert client.get(reverse("hazard_create")).status_code == 403
    assert client.get(f"{reverse('violation_create')}?inspection={county_inspection.pk}").status_code == 403
    assert client.get(reverse("violation_create")).status_code == 403
    # a mine of another city: 404, and nothing recorded
    response = client.post(
        reverse("inspection_create"),
        {"mine": county.other_mine.pk, "inspected_on": TODAY.isoformat(), "mode": "open"},
    )
    assert response.status_code == 200 and not Inspection.objects.filter(mine=county.other_mine).exists()
    other = hz.inspection_create(actor=county.other_inspector, mine=county.other_mine, inspected_on=TODAY, mode="open")
    assert client.get(reverse("inspection_detail", kwargs={"pk": other.pk})).status_code == 404
    assert client.get(f"{reverse('hazard_create')}?inspection={other.pk}").status_code == 404


def test_the_county_and_the_mine_see_the_citys_inspection(client, county, lv):
    inspection = _city_inspection(lv, county)
    for user in (county.inspector, county.leader, county.mine1_officer):
        client.force_login(user)
        listing = client.get(reverse("inspection_list")).content.decode()
        assert "晋城市应急管理局检查" in listing, user
        detail = client.get(reverse("inspection_detail", kwargs={"pk": inspection.pk}))
        assert detail.status_code == 200 and "晋城市应急管理局检查" in detail.content.decode()
    client.force_login(county.mine2_officer)  # another mine of the county: not its inspection
    assert client.get(reverse("inspection_detail", kwargs={"pk": inspection.pk})).status_code == 404
    client.force_login(county.other_inspector)
    assert client.get(reverse("inspection_detail", kwargs={"pk": inspection.pk})).status_code == 404


def test_coverage_counts_the_citys_inspection_and_the_bureau_item_says_it_apart(county, lv):
    from hazards.selectors import inspection_coverage

    _city_inspection(lv, county)
    rows = {m.pk: m for m in inspection_coverage(user=county.inspector, start=TODAY, end=TODAY)}
    assert rows[county.mine1.pk].phase_inspections == 1 and rows[county.mine2.pk].phase_inspections == 0


def test_the_api_of_the_citys_inspection(api_client, county, lv):
    api_client.force_authenticate(lv.city_user)
    url = reverse("inspection-list")
    response = api_client.post(url, {"mine": county.mine1.pk, "inspected_on": TODAY.isoformat(), "mode": "open"})
    assert response.status_code == 201, response.content
    assert response.json()["higher_bureau"] == lv.city.pk
    assert response.json()["inspected_by"] == "晋城市应急管理局检查"
    pk = response.json()["id"]
    body = {"mine": county.mine1.pk, "inspection": pk, **{k: str(v) for k, v in _hazard_fields().items()}}
    response = api_client.post(reverse("hazard-list"), body)
    assert response.status_code == 201, response.content
    # not the county's: the ledger without an inspection, another mine (404 through the visibility rule)
    body.pop("inspection")
    assert api_client.post(reverse("hazard-list"), body).status_code == 403
    response = api_client.post(url, {"mine": county.other_mine.pk, "inspected_on": TODAY.isoformat(), "mode": "open"})
    assert response.status_code in (400, 404)
    assert not Inspection.objects.filter(mine=county.other_mine).exists()
    response = api_client.post(url, {"mine": county.mine1.pk, "inspected_on": TODAY.isoformat(), "mode": "self"})
    assert response.status_code == 403
    # the county reads it, marked
    api_client.force_authenticate(county.inspector)
    rows = api_client.get(url).json()["results"]
    assert [r["inspected_by"] for r in rows if r["id"] == pk] == ["晋城市应急管理局检查"]
    assert Violation.objects.count() == 0


@pytest.mark.parametrize("url_name", ["inspection_list", "inspection-list"])
def test_the_inspection_list_costs_the_same_with_more_city_inspections(client, county, lv, url_name):
    """The mark (上级检查单位) is read in the list's one join: the count of queries does not grow with the rows."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse(url_name)
    client.force_login(county.inspector)

    def cost():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    _city_inspection(lv, county)
    hz.inspection_create(actor=county.inspector, mine=county.mine2, inspected_on=TODAY, mode="open")
    small = cost()
    for mine in (county.mine1, county.mine2, county.mine3) * 2:
        hz.inspection_create(actor=lv.city_user, mine=mine, inspected_on=TODAY, mode="covert")
        hz.inspection_create(actor=lv.province_user, mine=mine, inspected_on=TODAY, mode="cross")
    assert cost() == small


def test_each_corrects_only_its_own_inspections_record(client, api_client, county, lv):
    own = _city_inspection(lv, county)
    theirs = hz.inspection_create(actor=county.inspector, mine=county.mine1, inspected_on=TODAY, mode="open")
    hz.inspection_update(actor=lv.city_user, inspection=own, notes="市局补记：调阅了监控记录", team_note="省专家")
    own.refresh_from_db()
    assert (own.notes, own.team_note) == ("市局补记：调阅了监控记录", "省专家")
    for actor, inspection in ((lv.city_user, theirs), (county.inspector, own), (lv.province_user, own)):
        with pytest.raises(NotPermitted):
            hz.inspection_update(actor=actor, inspection=inspection, notes="改了")
    hz.inspection_update(actor=county.inspector, inspection=theirs, notes="县局补记")
    # the page: its own (302), the county's (403, unchanged)
    client.force_login(lv.city_user)
    detail = client.get(reverse("inspection_detail", kwargs={"pk": own.pk})).content.decode()
    assert reverse("inspection_update", kwargs={"pk": own.pk}) in detail
    response = client.post(reverse("inspection_update", kwargs={"pk": own.pk}), {"notes": "页面修改"})
    assert response.status_code == 302
    detail = client.get(reverse("inspection_detail", kwargs={"pk": theirs.pk})).content.decode()
    assert reverse("inspection_update", kwargs={"pk": theirs.pk}) not in detail
    response = client.post(reverse("inspection_update", kwargs={"pk": theirs.pk}), {"notes": "市局改县局"})
    assert response.status_code == 403
    # the API: its own (200), the county's (403), another city's (404)
    api_client.force_authenticate(lv.city_user)
    url = reverse("inspection-detail", kwargs={"pk": own.pk})
    response = api_client.patch(url, {"notes": "接口修改"}, format="json")
    assert response.status_code == 200 and response.json()["notes"] == "接口修改"
    url = reverse("inspection-detail", kwargs={"pk": theirs.pk})
    assert api_client.patch(url, {"notes": "市局改县局"}, format="json").status_code == 403
    other = hz.inspection_create(actor=county.other_inspector, mine=county.other_mine, inspected_on=TODAY, mode="open")
    url = reverse("inspection-detail", kwargs={"pk": other.pk})
    assert api_client.patch(url, {"notes": "x"}, format="json").status_code == 404
    theirs.refresh_from_db()
    assert theirs.notes == "县局补记"


def test_a_refused_correction_is_403_and_a_bad_inspection_id_404(client, county, lv):
    own = _city_inspection(lv, county)
    for user in (county.inspector, county.mine1_officer, county.ent1_officer):
        client.force_login(user)
        response = client.post(reverse("inspection_update", kwargs={"pk": own.pk}), {"notes": "改了"})
        assert response.status_code == 403, user
    own.refresh_from_db()
    assert own.notes != "改了"
    client.force_login(lv.city_user)
    assert client.get("/hazards/new/?inspection=abc").status_code == 404
    client.force_login(county.inspector)
    assert client.get("/violations/new/?inspection=abc").status_code == 404


def test_the_api_names_the_inspections_colleagues(api_client, county, lv):
    colleague = UserFactory(username="city_colleague", role="regulator", organization=lv.city)
    api_client.force_authenticate(lv.city_user)
    body = {"mine": county.mine1.pk, "inspected_on": str(TODAY), "mode": "open", "inspectors": [colleague.pk]}
    answer = api_client.post(reverse("inspection-list"), body, format="json")
    assert answer.status_code == 201, answer.content
    assert set(answer.json()["inspectors"]) == {lv.city_user.pk, colleague.pk}
    body["inspectors"] = [county.inspector.pk]  # the county's inspector is not the city's to name
    answer = api_client.post(reverse("inspection-list"), body, format="json")
    assert answer.status_code == 400 and "inspectors" in answer.json()
