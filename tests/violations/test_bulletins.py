import datetime as dt
import io

import pytest
from docx import Document

from core.errors import DomainError
from tests.factories import ViolationFactory
from violations import services
from violations.models import BulletinRead
from violations.selectors import bulletin_duty

pytestmark = pytest.mark.django_db


@pytest.fixture
def typical(county):
    cases = [
        ViolationFactory(mine=county.mine1, typical=True, person_name="张永"),
        ViolationFactory(mine=county.mine3, typical=True, person_name="杨辉"),
        ViolationFactory(mine=county.mine2, typical=True, person_name="李强"),
    ]
    return cases


def compose(county, cases, period="2024-11"):
    return services.bulletin_create(
        actor=county.inspector, period=period, title="关于11月份典型“三违”案例的通报", body="现通报如下。", cases=cases
    )


def test_bulletin_duty_met_and_not_met(county, typical):
    bureau = county.bureau.pk
    assert bulletin_duty(bureau_id=bureau, period="2024-11") == {
        "period": "2024-11",
        "cases": 0,
        "required": 2,
        "met": False,
    }
    one = compose(county, typical[:1])
    services.bulletin_publish(actor=county.inspector, bulletin=one)
    assert bulletin_duty(bureau_id=bureau, period="2024-11")["met"] is False
    draft = compose(county, typical[1:2])
    assert bulletin_duty(bureau_id=bureau, period="2024-11")["cases"] == 1  # a draft does not count
    services.bulletin_publish(actor=county.inspector, bulletin=draft)
    duty = bulletin_duty(bureau_id=bureau, period="2024-11")
    assert (duty["cases"], duty["met"]) == (2, True)
    assert bulletin_duty(bureau_id=bureau, period="2024-12")["met"] is False
    assert bulletin_duty(bureau_id=county.other_bureau.pk, period="2024-11")["cases"] == 0


def test_same_case_in_two_bulletins_counts_once(county, typical):
    for _ in range(2):
        services.bulletin_publish(actor=county.inspector, bulletin=compose(county, typical[:1]))
    assert bulletin_duty(bureau_id=county.bureau.pk, period="2024-11")["cases"] == 1


def test_bulletin_rules(county, typical):
    plain = ViolationFactory(mine=county.mine1, typical=False)
    with pytest.raises(DomainError, match="典型"):
        compose(county, [plain])
    with pytest.raises(DomainError, match="县局执法人员"):
        services.bulletin_create(actor=county.mine1_officer, period="2024-11", title="t", body="b", cases=typical)
    with pytest.raises(DomainError, match="YYYY-MM"):
        compose(county, typical, period="2024-13")
    empty = compose(county, [])
    with pytest.raises(DomainError, match="还没有典型案例"):
        services.bulletin_publish(actor=county.inspector, bulletin=empty)
    bulletin = compose(county, typical[:2])
    services.bulletin_publish(actor=county.inspector, bulletin=bulletin)
    with pytest.raises(DomainError, match="已发布"):
        services.bulletin_update(
            actor=county.inspector, bulletin=bulletin, period="2024-11", title="x", body="y", cases=[]
        )
    with pytest.raises(DomainError, match="不能取消典型"):
        services.violation_mark_typical(actor=county.inspector, violation=typical[0], typical=False)


def test_published_bulletin_shows_on_every_home_page_until_read(client, county, typical):
    bulletin = compose(county, typical[:2])
    client.force_login(county.mine3_officer)
    assert "新通报" not in client.get("/").content.decode()  # drafts stay with the bureau
    assert client.get(f"/bulletins/{bulletin.pk}/").status_code == 404
    services.bulletin_publish(actor=county.inspector, bulletin=bulletin)
    assert "新通报：关于11月份典型“三违”案例的通报" in client.get("/").content.decode()
    html = client.get(f"/bulletins/{bulletin.pk}/").content.decode()
    assert "张永" in html and "杨辉" in html  # cases from any mine, to all mines
    assert BulletinRead.objects.filter(user=county.mine3_officer).count() == 1
    assert "新通报" not in client.get("/").content.decode()
    client.force_login(county.other_inspector)
    assert client.get(f"/bulletins/{bulletin.pk}/").status_code == 404


def test_bulletin_docx_and_duty_on_the_pages(client, county, typical):
    from tests.factories import running_campaign

    today = dt.date.today()
    running_campaign(bureau=county.bureau, starts_on=today - dt.timedelta(days=40))
    client.force_login(county.inspector)
    response = client.post(
        "/bulletins/new/",
        {"period": f"{today:%Y-%m}", "title": "本月通报", "body": "正文第一段", "cases": [c.pk for c in typical[:2]]},
    )
    bulletin_id = int(response["Location"].rstrip("/").split("/")[-1])
    assert "未完成" in client.get("/bulletins/").content.decode()
    client.post(f"/bulletins/{bulletin_id}/publish/")
    assert "已完成" in client.get("/bulletins/").content.decode()
    assert "2/2 起" in client.get("/").content.decode()
    response = client.get(f"/bulletins/{bulletin_id}/docx/")
    doc = Document(io.BytesIO(b"".join(response.streaming_content)))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "本月通报" in text and "正文第一段" in text and "张永" in text and "阳城县应急管理局" in text
