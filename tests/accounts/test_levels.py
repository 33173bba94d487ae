"""Regulators above the county (issue 22, item 1): province → city → county, 行政区划代码, what a city's regulator sees
(everything below, nothing beside) and that it changes nothing below (403 on pages and API)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.models import Organization, Role, division_code_problem
from core.scoping import scope_of
from hazards.models import Hazard
from reporting import services as rp
from tests.factories import (
    BureauFactory,
    CityFactory,
    EnterpriseFactory,
    HazardFactory,
    MineFactory,
    ProvinceFactory,
    UserFactory,
    regulator_levels,
    running_campaign,
)

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


@pytest.fixture
def levels(county):
    lv = regulator_levels(county)
    lv.hazard = HazardFactory(mine=county.mine1, description="本县隐患")
    lv.other_hazard = HazardFactory(mine=county.other_mine, description="外县隐患")
    return lv


# ------------------------------------------------------------------ the tree and its codes


@pytest.mark.parametrize(
    ("kind", "code", "parent_code", "problem"),
    [
        ("province", "140000", "", None),
        ("province", "140500", "", "0000"),
        ("city", "140500", "140000", None),
        ("city", "140000", "140000", "后两位应为 00"),
        ("city", "610800", "140000", "前两位"),
        ("bureau", "140522", "140500", None),
        ("bureau", "140500", "140500", "不能为 00"),
        ("bureau", "140422", "140500", "前四位"),
        ("bureau", "140522", "", None),  # a standalone county
        ("mine", "140522", "", None),
        ("bureau", "14052", "", "6 位数字"),
        ("bureau", "14052a", "", "6 位数字"),
        ("bureau", "１４０５２２", "", "6 位数字"),  # full-width digits are not the code
    ],
)
def test_division_codes_follow_gb_t_2260(kind, code, parent_code, problem):
    found = division_code_problem(kind, code, parent_code)
    assert (found is None) if problem is None else (problem in found), found


def test_the_tree_refuses_a_wrong_parent_and_a_wrong_code(county):
    province = ProvinceFactory(division_code="140000")
    city = CityFactory(division_code="140500", parent=province)
    county.bureau.parent, county.bureau.division_code = city, "140522"
    county.bureau.full_clean()
    county.bureau.save()
    with pytest.raises(ValidationError) as error:
        Organization(kind="bureau", name="错县", parent=province, division_code="140523").full_clean()
    assert "上级单位应为市应急管理局" in str(error.value)
    with pytest.raises(ValidationError) as error:
        Organization(kind="bureau", name="错码县", parent=city, division_code="140421").full_clean()
    assert "前四位" in str(error.value)
    with pytest.raises(ValidationError) as error:
        Organization(kind="enterprise", name="挂在市下的企业", parent=city).full_clean()
    assert "上级单位应为县应急管理局" in str(error.value)
    # every regulator is its own `bureau`; what is below a county keeps the county
    assert (city.bureau_id, province.bureau_id, county.bureau.bureau_id) == (city.pk, province.pk, county.bureau.pk)
    assert county.mine1.bureau_id == county.bureau.pk


def test_a_division_code_is_unique_among_regulators_only(county):
    CityFactory(division_code="140500")
    with pytest.raises(IntegrityError), transaction.atomic():
        CityFactory(division_code="140500")
    with pytest.raises(ValidationError) as error:
        Organization(kind="bureau", name="重码县", division_code="140500").validate_constraints()
    assert "已有监管部门使用该行政区划代码" in str(error.value)
    # mines may carry their county's code, as many as there are
    MineFactory(parent=county.ent1, division_code="140522")
    MineFactory(parent=county.ent1, division_code="140522")


def test_a_regulator_belongs_to_a_city_or_a_province(county):
    city = CityFactory()
    with pytest.raises(ValidationError) as error:
        UserFactory.build(username="x", role=Role.INSPECTOR, organization=city).full_clean()
    assert "县局执法人员应属于县应急管理局" in str(error.value)
    with pytest.raises(ValidationError):
        UserFactory.build(username="y", role=Role.REGULATOR, organization=county.bureau).full_clean()
    UserFactory.build(username="z", role=Role.REGULATOR, organization=city).full_clean()


# ------------------------------------------------------------------ sees below, never beside


def test_the_city_and_the_province_see_below_and_never_beside(county, levels):
    for user in (levels.city_user, levels.province_user):
        hazards = set(Hazard.objects.visible_to(user).values_list("description", flat=True))
        assert hazards == {"本县隐患"}
        assert scope_of(user).allows(levels.hazard) and not scope_of(user).allows(levels.other_hazard)
    assert set(Hazard.objects.visible_to(levels.other_city_user).values_list("description", flat=True)) == {"外县隐患"}
    # the county sees nothing of its neighbour, nor of its city
    assert set(Hazard.objects.visible_to(county.inspector).values_list("description", flat=True)) == {"本县隐患"}
    assert not Organization.objects.visible_to(county.inspector).filter(pk=levels.city.pk).exists()
    # the province sees the city between
    assert Organization.objects.visible_to(levels.province_user).filter(pk=levels.city.pk).exists()
    assert not Organization.objects.visible_to(levels.city_user).filter(pk=levels.province.pk).exists()


def test_a_county_role_on_a_citys_account_sees_nothing(county, levels):
    """An inspector wrongly placed at the city must not become a writer in every county below."""
    misplaced = UserFactory(username="misplaced", role=Role.INSPECTOR, organization=levels.city)
    assert not Hazard.objects.visible_to(misplaced).exists()


def test_the_counties_below_are_read_in_one_query_per_user(county, levels, django_assert_num_queries):
    user = type(levels.city_user).objects.get(pk=levels.city_user.pk)  # as a request loads it
    with django_assert_num_queries(1):
        scope_of(user)
    with django_assert_num_queries(1):
        list(Hazard.objects.visible_to(user))
        scope_of(user)


# ------------------------------------------------------------------ read-only below: 403 on pages and the API


def test_the_city_reads_the_county_pages_and_the_api(client, api_client, county, levels):
    running_campaign(bureau=county.bureau, starts_on=TODAY - dt.timedelta(days=20))
    client.force_login(levels.city_user)
    for url in (
        "/",
        "/dashboard/",
        f"/?bureau={county.bureau.pk}",
        f"/dashboard/?bureau={county.bureau.pk}",
        f"/dashboard/charts/?bureau={county.bureau.pk}",
        f"/dashboard/screen/?bureau={county.bureau.pk}",
        f"/dashboard/data/?bureau={county.bureau.pk}",
        "/dashboard/charts/",
        "/dashboard/data/",
        "/hazards/",
        f"/hazards/{levels.hazard.pk}/",
        "/mines/",
        "/submissions/matrix/",
    ):
        response = client.get(url)
        assert response.status_code == 200, f"{url} → {response.status_code}"
        assert "外县隐患" not in response.content.decode()
    home = client.get("/").content.decode()
    assert county.bureau.name in home and county.other_bureau.name not in home
    assert f"?bureau={county.bureau.pk}" in home
    dashboard = client.get(f"/dashboard/?bureau={county.bureau.pk}").content.decode()
    assert f"{county.bureau.name} 工作台" in dashboard
    # the neighbour city's county is not below: 404, as any object not in sight
    assert client.get(f"/dashboard/?bureau={county.other_bureau.pk}").status_code == 404
    assert client.get("/dashboard/?bureau=abc").status_code == 404
    api_client.force_authenticate(levels.city_user)
    rows = api_client.get("/api/v1/hazards/").json()["results"]
    assert [r["description"] for r in rows] == ["本县隐患"]
    assert api_client.get(f"/api/v1/hazards/{levels.other_hazard.pk}/").status_code == 404


def test_the_city_writes_nothing_below(client, api_client, county, levels):
    campaign = running_campaign(bureau=county.bureau, starts_on=TODAY - dt.timedelta(days=20))
    deadline = campaign.deadlines.get(kind="work_plan")
    submission = rp.submission_open(actor=county.mine1_officer, deadline=deadline)
    rp.submission_save(
        actor=county.mine1_officer,
        submission=submission,
        narrative=dict.fromkeys(("goals", "organization", "measures_1", "measures_2", "measures_3", "measures_4"), "x"),
    )
    submission = rp.submission_submit(actor=county.mine1_officer, submission=submission)
    hazard = levels.hazard
    client.force_login(levels.city_user)
    new_hazard = {
        "mine": county.mine1.pk,
        "source": "unit_weekly",
        "found_on": str(TODAY),
        "location": "市局登记",
        "description": "市局登记的隐患",
        "level": "general",
    }
    assert client.get("/hazards/new/").status_code == 403
    assert client.post("/hazards/new/", new_hazard).status_code == 403
    assert client.post(f"/hazards/{hazard.pk}/edit/", {"location": "被改了"}).status_code == 403
    assert client.post(f"/submissions/{submission.pk}/approve/", {}).status_code == 403
    api_client.force_authenticate(levels.city_user)
    assert api_client.post("/api/v1/hazards/", new_hazard, format="json").status_code == 403
    assert api_client.patch(f"/api/v1/hazards/{hazard.pk}/", {"location": "被改了"}, format="json").status_code == 403
    assert api_client.post(f"/api/v1/submissions/{submission.pk}/approve/").status_code == 403
    assert api_client.post(f"/api/v1/submissions/{submission.pk}/return/", {"reason": "x"}).status_code == 403
    hazard.refresh_from_db()
    submission.refresh_from_db()
    assert hazard.location != "被改了" and submission.status == "submitted"
    assert not Hazard.objects.filter(description="市局登记的隐患").exists()


def test_a_list_page_for_the_city_does_not_grow_with_its_counties(client, county, levels):
    """The counties below are resolved once per request (one short list), not per row nor per county."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def add_counties(n):
        for _ in range(n):
            bureau = BureauFactory(parent=levels.city)
            for _ in range(2):
                HazardFactory.create_batch(2, mine=MineFactory(parent=EnterpriseFactory(parent=bureau)))

    def queries(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    client.force_login(levels.city_user)
    urls = ("/hazards/", "/mines/", "/", "/api/v1/hazards/", "/api/v1/organizations/")
    add_counties(1)
    small = {url: queries(url) for url in urls}
    add_counties(5)
    large = {url: queries(url) for url in urls}
    assert large == small
    assert all(n <= 40 for n in large.values()), large


# ------------------------------------------------------------------ the contract: GET /api/v1/organizations/


def test_organizations_api_contract(api_client, county, levels):
    api_client.force_authenticate(levels.province_user)
    body = api_client.get("/api/v1/organizations/").json()
    assert {"count", "next", "previous", "results"} <= set(body)
    rows = {r["name"]: r for r in body["results"]}
    assert {"id", "kind", "kind_display", "name", "parent", "division_code", "bureau"} <= set(rows["晋城市应急管理局"])
    assert rows["山西省应急管理厅"]["kind"] == "province" and rows["山西省应急管理厅"]["parent"] is None
    assert rows["晋城市应急管理局"]["kind"] == "city"
    assert rows["晋城市应急管理局"]["parent"] == levels.province.pk
    assert rows[county.bureau.name]["kind"] == "bureau"
    assert rows[county.bureau.name]["parent"] == levels.city.pk
    assert rows[county.bureau.name]["division_code"] == "140522"
    assert rows[county.mine1.name]["kind"] == "mine" and rows[county.mine1.name]["parent"] == county.ent1.pk
    assert rows[county.ent1.name]["kind"] == "enterprise"
    # top down: the province first, mines last; nothing beside
    kinds = [r["kind"] for r in body["results"]]
    assert kinds == sorted(kinds, key=["province", "city", "bureau", "enterprise", "mine"].index)
    assert county.other_bureau.name not in rows and county.other_mine.name not in rows
    # filters
    cities = api_client.get("/api/v1/organizations/", {"kind": "city"}).json()["results"]
    assert [c["name"] for c in cities] == ["晋城市应急管理局"]
    by_code = api_client.get("/api/v1/organizations/", {"division_code": "140522"}).json()["results"]
    assert [c["id"] for c in by_code] == [county.bureau.pk]
    # scoped by the same rule: a county sees itself and below, a mine itself
    api_client.force_authenticate(county.inspector)
    names = {r["name"] for r in api_client.get("/api/v1/organizations/").json()["results"]}
    assert county.bureau.name in names and "晋城市应急管理局" not in names and county.other_mine.name not in names
    assert api_client.get(f"/api/v1/organizations/{levels.city.pk}/").status_code == 404
    api_client.force_authenticate(county.mine1_officer)
    assert [r["name"] for r in api_client.get("/api/v1/organizations/").json()["results"]] == [county.mine1.name]
    # read-only
    assert api_client.post("/api/v1/organizations/", {"name": "x"}, format="json").status_code in (403, 405)
    # paged
    api_client.force_authenticate(levels.province_user)
    assert api_client.get("/api/v1/organizations/", {"page_size": 2}).json()["count"] == len(rows)
