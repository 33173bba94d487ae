"""The search box: one query over hazards, 三违, inspections, submissions and documents, each through its app's rule
of who sees what (two mines of one enterprise, a mine of another, a mine of another bureau)."""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hazards import services as hz
from reporting import services as rp
from tests.factories import HazardFactory, UserFactory, ViolationFactory, running_campaign
from tests.images import image_bytes
from violations import services as vs

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4 evidence"
TODAY = dt.date.today()
WORD = "甲烷传感器"


@pytest.fixture
def world(county):
    """For each mine a hazard, a 三违, an inspection, a submission with a file, task evidence and a hazard photo, all
    carrying WORD and the mine's tag; a published bulletin per bureau."""
    campaigns = {
        county.bureau.pk: running_campaign(bureau=county.bureau, starts_on=TODAY - dt.timedelta(days=40)),
        county.other_bureau.pk: running_campaign(bureau=county.other_bureau, starts_on=TODAY - dt.timedelta(days=40)),
    }
    other_officer = UserFactory(username="other_mine1", role="mine_officer", organization=county.other_mine)
    tenants = [
        ("东峰", county.mine1, county.mine1_officer, county.inspector),
        ("西岭", county.mine2, county.mine2_officer, county.inspector),
        ("北坡", county.mine3, county.mine3_officer, county.inspector),
        ("外县", county.other_mine, other_officer, county.other_inspector),
    ]
    for tag, mine, officer, inspector in tenants:
        campaign = campaigns[mine.bureau_id]
        hazard = HazardFactory(mine=mine, description=f"{WORD}{tag}隐患", location=f"{tag}回风巷")
        hz.hazard_attach_file(
            actor=officer,
            hazard=hazard,
            stage="before",
            upload=SimpleUploadedFile(f"{WORD}{tag}照片.png", image_bytes()),
        )
        ViolationFactory(mine=mine, description=f"{WORD}{tag}三违", person_name=f"{tag}张三")
        hz.inspection_create(actor=inspector, mine=mine, inspected_on=TODAY, mode="open", notes=f"{WORD}{tag}检查")
        deadline = campaign.deadlines.get(kind="work_plan")
        sub = rp.submission_open(actor=officer, deadline=deadline)
        rp.submission_attach(actor=officer, submission=sub, upload=SimpleUploadedFile(f"{WORD}{tag}附件.pdf", PDF))
        plan = dict.fromkeys(("goals", "organization", "measures_1", "measures_2", "measures_3", "measures_4"), "x")
        rp.submission_save(actor=officer, submission=sub, narrative=plan)
        rp.submission_submit(actor=officer, submission=sub)
        rp.submission_return(actor=inspector, submission=sub, reason=f"{WORD}{tag}退回")
        from campaign.progress import progress_attach

        progress_attach(
            actor=officer,
            organization=mine,
            requirement=campaign.requirements.get(code="1.2.b"),
            upload=SimpleUploadedFile(f"{WORD}{tag}佐证.pdf", PDF),
        )
    for bureau_id, inspector in (
        (county.bureau.pk, county.inspector),
        (county.other_bureau.pk, county.other_inspector),
    ):
        tag = "本县" if bureau_id == county.bureau.pk else "外县"
        case = ViolationFactory(mine=county.mine1 if tag == "本县" else county.other_mine, typical=True)
        bulletin = vs.bulletin_create(
            actor=inspector, period=f"{TODAY:%Y-%m}", title=f"{tag}通报", body=f"{WORD}{tag}通报正文", cases=[case]
        )
        vs.bulletin_publish(actor=inspector, bulletin=bulletin)
        vs.bulletin_create(
            actor=inspector, period=f"{TODAY:%Y-%m}", title=f"{tag}草稿", body=f"{WORD}{tag}草稿正文", cases=[case]
        )
    return county


def search(client, user, q, **params):
    client.force_login(user)
    response = client.get("/search/", {"q": q, **params})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<mark>") == html.count("</mark>")
    return html.replace("<mark>", "").replace("</mark>", "")  # the searched words are marked in the results


KINDS = ("隐患", "三违", "检查", "附件", "佐证", "照片")


@pytest.mark.parametrize(
    ("who", "sees", "hidden"),
    [
        ("mine1_officer", {"东峰"}, {"西岭", "北坡", "外县"}),
        ("ent1_officer", {"东峰", "西岭"}, {"北坡", "外县"}),
        ("mine3_officer", {"北坡"}, {"东峰", "西岭", "外县"}),
        ("inspector", {"东峰", "西岭", "北坡"}, {"外县"}),
        ("leader", {"东峰", "西岭", "北坡"}, {"外县"}),
    ],
)
def test_each_user_finds_only_what_it_may_see(client, world, who, sees, hidden, settings):
    user = getattr(world, who)
    # Every kind on one page each: the overview shows a few per kind, so read every kind's own pages.
    text = "".join(
        search(client, user, WORD, kind=kind)
        for kind in ("hazards", "violations", "inspections", "submissions", "documents")
    )
    for tag in sees:
        for what in KINDS:
            assert f"{WORD}{tag}{what}" in text or f"{tag}{what}" in text, f"{who} misses {tag}{what}"
    for tag in hidden:
        assert tag not in text, f"{who} finds {tag}"
    assert "本县通报" in text and "外县通报" not in text
    # Drafts of bulletins stay with the bureau.
    assert ("本县草稿" in text) == (who in ("inspector", "leader"))


def test_results_are_grouped_by_kind_with_counts_and_links(client, world):
    html = search(client, world.ent1_officer, WORD)
    for label, count in (("隐患", 2), ("“三违”", 2), ("检查", 2), ("报送", 2)):
        assert re.search(rf"{label}\s*<span[^>]*>{count}</span>", html), label
    hazard = world.mine1.hazards.get()
    assert f'href="/hazards/{hazard.pk}/"' in html
    violation = world.mine1.violations.get(person_name="东峰张三")
    assert f'href="/violations/{violation.pk}/"' in html
    assert 'href="/search/?q=' in html and "kind=hazards" in html  # 查看全部 of one kind


def test_every_word_must_match(client, world):
    html = search(client, world.inspector, f"{WORD} 西岭", kind="hazards")
    assert f"{WORD}西岭隐患" in html and f"{WORD}东峰隐患" not in html


def test_one_kind_pages(client, county):
    for n in range(25):
        HazardFactory(mine=county.mine1, description=f"锚杆托盘松动{n:02d}号")
    html = search(client, county.mine1_officer, "锚杆托盘", kind="hazards")
    assert "25" in html and html.count("锚杆托盘松动") >= 20
    page2 = search(client, county.mine1_officer, "锚杆托盘", kind="hazards", page=2)
    assert page2.count("锚杆托盘松动") >= 5 and "锚杆托盘松动00号" in page2 + html


@pytest.mark.parametrize(
    ("q", "message"),
    [
        ("", "请输入要查找的内容"),
        ("   ", "请输入要查找的内容"),
        ("瓦", "至少输入 2 个字"),
        ("瓦" * 51, "不能超过 50 个字"),
        ("a b c d e f g", "最多 5 个词"),
    ],
)
def test_a_bad_query_gets_a_chinese_message(client, county, q, message, django_assert_max_num_queries):
    client.force_login(county.mine1_officer)
    response = client.get("/search/", {"q": q})
    assert response.status_code == 200
    assert message in response.content.decode()


def test_an_unknown_kind_or_page_is_no_error(client, world):
    html = search(client, world.mine1_officer, WORD, kind="nonsense", page="x")
    assert f"{WORD}东峰隐患" in html
    html = search(client, world.mine1_officer, WORD, kind="hazards", page="999")
    assert f"{WORD}东峰隐患" in html


def test_wildcards_are_plain_characters(client, county):
    HazardFactory(mine=county.mine1, description="瓦斯浓度100%超限")
    HazardFactory(mine=county.mine1, description="瓦斯浓度正常")
    html = search(client, county.mine1_officer, "100%", kind="hazards")
    assert "100%超限" in html and "瓦斯浓度正常" not in html
    assert "瓦斯浓度正常" not in search(client, county.mine1_officer, "%_", kind="hazards")


@pytest.mark.parametrize("rows", [2, 30])
def test_queries_per_search_do_not_grow(client, county, rows, django_assert_max_num_queries):
    campaign = running_campaign(bureau=county.bureau, starts_on=TODAY - dt.timedelta(days=40))
    HazardFactory.create_batch(rows, mine=county.mine1, description="顶板离层仪损坏")
    HazardFactory.create_batch(rows, mine=county.mine2, description="顶板离层仪损坏")
    ViolationFactory.create_batch(rows, mine=county.mine1, description="顶板离层仪未看")
    for _ in range(min(rows, 5)):
        hz.inspection_create(
            actor=county.inspector, mine=county.mine1, inspected_on=TODAY, mode="open", notes="顶板离层仪"
        )
    case = ViolationFactory(mine=county.mine1, typical=True)
    bulletin = vs.bulletin_create(
        actor=county.inspector, period=f"{TODAY:%Y-%m}", title="顶板离层仪通报", body="x", cases=[case]
    )
    vs.bulletin_publish(actor=county.inspector, bulletin=bulletin)
    sub = rp.submission_open(actor=county.mine1_officer, deadline=campaign.deadlines.get(kind="work_plan"))
    for n in range(min(rows, 5)):
        rp.submission_attach(
            actor=county.mine1_officer, submission=sub, upload=SimpleUploadedFile(f"顶板离层仪{n}.pdf", PDF)
        )
    client.force_login(county.inspector)
    with django_assert_max_num_queries(13):
        assert client.get("/search/", {"q": "顶板离层仪"}).status_code == 200
    for kind in ("hazards", "violations", "inspections", "submissions", "documents"):
        with django_assert_max_num_queries(9):
            assert client.get("/search/", {"q": "顶板离层仪", "kind": kind}).status_code == 200


def test_the_search_box_is_in_the_nav_of_every_page(client, county):
    client.force_login(county.mine1_officer)
    for url in ("/", "/hazards/", "/violations/", "/submissions/", "/notifications/"):
        html = client.get(url).content.decode()
        assert 'action="/search/"' in html and 'name="q"' in html, url


def test_search_needs_a_login(client):
    response = client.get("/search/", {"q": WORD})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_a_kind_without_results_says_so(client, county):
    HazardFactory(mine=county.mine1, description="锚杆托盘松动")
    html = search(client, county.mine1_officer, "锚杆托盘", kind="inspections")
    assert "“检查”中没有找到包含“锚杆托盘”的内容" in html
    html = search(client, county.mine1_officer, "不存在的内容", kind="inspections")
    assert "没有找到包含“不存在的内容”的内容" in html
