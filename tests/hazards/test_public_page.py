"""The public 挂牌督办 page and API (no login): a bureau's current listings and its published cases, with only the
fields meant for the public; another county's by its code, an unknown one 404; constant queries; cached safely."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hazards import services
from hazards.models import Hazard, HazardEvent, HazardStatus
from hazards.public import PUBLIC_FIELDS
from tests.factories import HazardFactory, UserFactory
from tests.images import image_bytes

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()
PAGE = "/public/listed-hazards/"
API = "/api/v1/public/listed-hazards/"

#: a distinctive string in every internal field: none may reach the public
SECRETS = {
    "location": "秘密地点甲三〇七",
    "responsible_unit": "秘密责任单位乙",
    "responsible_person": "秘密责任人丙",
    "measures": "秘密整改措施丁",
    "contingency_plan": "秘密应急预案戊",
    "note": "秘密备注己",
    "accepted_by_name": "秘密验收人庚",
}
SECRET_FUNDS = Decimal("987654.32")
SECRET_TEXTS = {
    "notice_text": "秘密公告内容辛",
    "delisting_note": "秘密摘牌意见壬",
    "accountability": "秘密一案双查癸",
    "event": "秘密处理记录子",
    "file": "秘密照片丑",
    "inspector": "秘密执法人员寅",
    "phone": "13999990001",
}


@pytest.fixture(autouse=True)
def fresh_cache():
    # The rendered public pages are cached (locmem in tests, shared by the tests of a process).
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(county, ventilation_category):
    """阳城: one hazard still listed, one closed, delisted and published, one delisted but not published; and a
    listed hazard of the other county."""
    county.bureau.public_code = "yangcheng"
    county.bureau.save(update_fields=["public_code"])
    county.other_bureau.public_code = "qinshui"
    county.other_bureau.save(update_fields=["public_code"])
    inspector = UserFactory(
        username="secret_inspector",
        role="inspector",
        organization=county.bureau,
        full_name=SECRET_TEXTS["inspector"],
        phone=SECRET_TEXTS["phone"],
    )

    def listed(mine, description, actor=inspector, **fields):
        hazard = HazardFactory(
            mine=mine,
            level="major",
            major_category=ventilation_category,
            description=description,
            found_on=TODAY - dt.timedelta(days=20),
            due_on=TODAY + dt.timedelta(days=5),
            **fields,
        )
        services.hazard_list_publicly(
            actor=actor,
            hazard=hazard,
            listed_on=TODAY - dt.timedelta(days=15),
            supervising_unit="阳城县应急管理局",
            notice_text=SECRET_TEXTS["notice_text"],
        )
        return hazard

    current = listed(county.mine2, "公开的现挂牌隐患：掘进工作面串联通风")
    published = listed(county.mine1, "公开的已曝光隐患：采空区密闭漏风", **SECRETS, funds=SECRET_FUNDS)
    services.hazard_attach_file(
        actor=inspector,
        hazard=published,
        stage="before",
        upload=SimpleUploadedFile(SECRET_TEXTS["file"] + ".png", image_bytes()),
    )
    services.hazard_accountability_record(
        actor=inspector,
        hazard=published,
        enterprise_responsibility=SECRET_TEXTS["accountability"],
        supervision_responsibility="x",
        outcome="x",
    )
    HazardEvent.objects.create(hazard=published, action="复查", note=SECRET_TEXTS["event"], actor=inspector)
    Hazard.objects.filter(pk=published.pk).update(status=HazardStatus.CLOSED, accepted_on=TODAY - dt.timedelta(days=2))
    services.hazard_delist(actor=inspector, hazard=published, note=SECRET_TEXTS["delisting_note"])
    services.hazard_listing_publish(actor=inspector, hazard=published, public_summary="公开说明：已整改到位，依法处罚")
    quiet = listed(county.mine3, "未公开的已摘牌隐患", status=HazardStatus.CLOSED, accepted_on=TODAY)
    services.hazard_delist(actor=inspector, hazard=quiet, note="同意摘牌")
    far = listed(county.other_mine, "外县的挂牌隐患", actor=county.other_inspector)
    return {"current": current, "published": published, "quiet": quiet, "far": far, "inspector": inspector}


def internal_strings(world):
    published = world["published"]
    return [
        *SECRETS.values(),
        *SECRET_TEXTS.values(),
        "987654",
        "secret_inspector",
        f"/hazards/{published.pk}/",
        "/hazards/files/",
        "csrfmiddlewaretoken",
    ]


def test_the_page_shows_the_public_fields_and_nothing_internal(client, world):
    response = client.get(PAGE, {"bureau": "yangcheng"})
    assert response.status_code == 200  # no login, no redirect
    html = response.content.decode()
    assert "公开的现挂牌隐患" in html and "公开的已曝光隐患" in html and "公开说明：已整改到位" in html
    assert "未公开的已摘牌隐患" not in html and "外县的挂牌隐患" not in html
    assert "挂牌中" in html and "已摘牌" in html and "东峰煤矿" in html and "西岭煤矿" in html
    assert "阳城县应急管理局" in html and "5. " in html  # the supervising unit and the category (no. 5)
    cited = Hazard.objects.get(description="公开的现挂牌隐患：掘进工作面串联通风").major_item
    assert "判定依据" in html and cited.citation in html  # the 情形 it was judged under
    assert str(TODAY + dt.timedelta(days=5)) in html and str(TODAY) in html  # deadline, delisted on
    leaked = [s for s in internal_strings(world) if s in html]
    assert not leaked, f"the public page shows {leaked}"


def test_the_api_shows_the_same_fields_and_nothing_internal(api_client, world):
    response = api_client.get(API, {"bureau": "yangcheng"})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    rows = {row["description"]: row for row in body["results"]}
    assert set(rows) == {"公开的现挂牌隐患：掘进工作面串联通风", "公开的已曝光隐患：采空区密闭漏风"}
    published = rows["公开的已曝光隐患：采空区密闭漏风"]
    assert set(published) == {name for name, _ in PUBLIC_FIELDS} | {"status_display"}
    assert published["status"] == "delisted" and published["delisted_on"] == str(TODAY)
    assert published["public_summary"] == "公开说明：已整改到位，依法处罚" and published["mine"] == "东峰煤矿"
    # the 情形 it was judged under, cited as the bureau's documents cite it (issue 25)
    hazard = Hazard.objects.get(description="公开的已曝光隐患：采空区密闭漏风")
    assert published["major_item"] == f"{hazard.major_item.citation}：{hazard.major_item.text}"
    assert published["major_item"].startswith("《煤矿重大事故隐患判定标准》第")
    current = rows["公开的现挂牌隐患：掘进工作面串联通风"]
    assert current["status_display"] == "挂牌中" and current["delisted_on"] is None
    assert current["due_on"] == str(TODAY + dt.timedelta(days=5)) and current["public_summary"] == ""
    text = response.content.decode()
    leaked = [s for s in internal_strings(world) if s in text]
    assert not leaked, f"the public API shows {leaked}"
    assert str(world["published"].pk) not in {str(v) for row in body["results"] for v in row.values()}


def test_a_bureau_is_named_by_its_code_or_id_and_sees_only_its_own(client, api_client, county, world):
    for query in ({"bureau": "qinshui"}, {"bureau": str(county.other_bureau.pk)}, {"bureau": "QINSHUI"}):
        html = client.get(PAGE, query).content.decode()
        assert "外县的挂牌隐患" in html and "公开的现挂牌隐患" not in html and "沁水县应急管理局" in html
        rows = api_client.get(API, query).json()["results"]
        assert [r["description"] for r in rows] == ["外县的挂牌隐患"]
    # Without a bureau: the deployment's own (the first), as the public report form.
    assert "公开的现挂牌隐患" in client.get(PAGE).content.decode()


@pytest.mark.parametrize("code", ["nowhere", "999999999", "../x", "1" * 30, "a\x00b", "阳城", "y" * 41])
def test_an_unknown_bureau_is_404(client, api_client, world, code):
    assert client.get(PAGE, {"bureau": code}).status_code == 404
    response = api_client.get(API, {"bureau": code})
    assert response.status_code == 404 and response.json()["detail"]


def test_a_mine_is_not_a_bureau(client, county, world):
    assert client.get(PAGE, {"bureau": str(county.mine1.pk)}).status_code == 404


def test_queries_stay_constant_at_two_sizes(client, api_client, county, world, ventilation_category):
    def measure(url):
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, {"bureau": "yangcheng"}) if url == PAGE else api_client.get(url)
        assert response.status_code == 200
        return len(queries)

    few = measure(PAGE), measure(API + "?bureau=yangcheng")
    for i in range(12):
        hazard = HazardFactory(mine=county.mine3, level="major", major_category=ventilation_category)
        services.hazard_list_publicly(
            actor=county.inspector, hazard=hazard, listed_on=TODAY, supervising_unit="县局", notice_text=f"{i}"
        )
    many = measure(PAGE), measure(API + "?bureau=yangcheng")
    assert few == many and many[0] <= 4 and many[1] <= 4


def test_the_page_pages_and_fits_a_phone(client, county, world, ventilation_category):
    for _ in range(21):
        hazard = HazardFactory(mine=county.mine3, level="major", major_category=ventilation_category)
        services.hazard_list_publicly(
            actor=county.inspector, hazard=hazard, listed_on=TODAY, supervising_unit="县局", notice_text="x"
        )
    html = client.get(PAGE, {"bureau": "yangcheng"}).content.decode()
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in html
    assert "<table" not in html  # cards, one under another on a 390 px screen; no table to scroll sideways
    assert html.count('data-testid="public-listing"') == 20 and "共 23 条" in html
    assert "?bureau=yangcheng&page=2" in html
    second = client.get(PAGE, {"bureau": "yangcheng", "page": "2"}).content.decode()
    assert second.count('data-testid="public-listing"') == 3
    for junk in ("abc", "²", "0", "-1", "9" * 40):
        assert client.get(PAGE, {"bureau": "yangcheng", "page": junk}).status_code == 200


def test_a_signed_in_visitor_sees_the_same_page_and_leaves_nothing_of_theirs_in_the_cache(client, county, world):
    client.force_login(county.inspector)
    html = client.get(PAGE, {"bureau": "yangcheng"}).content.decode()
    assert "公开的现挂牌隐患" in html and county.inspector.display_name not in html
    assert "退出登录" not in html and "csrfmiddlewaretoken" not in html
    client.logout()
    assert client.get(PAGE, {"bureau": "yangcheng"}).content.decode() == html
    response = client.get(PAGE, {"bureau": "yangcheng"})
    assert "public" in response["Cache-Control"] and "max-age=60" in response["Cache-Control"]


def test_a_listing_step_refreshes_the_cached_page(client, county, world, django_capture_on_commit_callbacks):
    assert "公开说明：已整改到位" in client.get(PAGE, {"bureau": "yangcheng"}).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.hazard_listing_withdraw(actor=county.inspector, hazard=world["published"])
    assert "公开的已曝光隐患" not in client.get(PAGE, {"bureau": "yangcheng"}).content.decode()


def test_the_page_and_the_api_are_rate_limited(client, api_client, world, monkeypatch):
    from hazards.public_api import PublicListingThrottle
    from hazards.views import public

    monkeypatch.setattr(public, "RATE_LIMIT", (3, 60))
    statuses = [client.get(PAGE, {"bureau": "yangcheng"}).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    monkeypatch.setattr(PublicListingThrottle, "rate", "2/min")
    statuses = [api_client.get(API, {"bureau": "yangcheng"}).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
