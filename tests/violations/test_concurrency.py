"""No lost updates on the 三违 ledger and the bureau's bulletins (core.concurrency)."""

import pytest
from django.test import Client

from tests.factories import ViolationFactory
from tests.forms import form_data
from violations import services
from violations.models import Bulletin, Violation

pytestmark = pytest.mark.django_db


@pytest.fixture
def violation(county, violation_fields):
    return services.violation_create(actor=county.mine1_officer, mine=county.mine1, **violation_fields)


def test_second_of_two_editors_is_refused(county, violation):
    first, second = Client(), Client()
    first.force_login(county.mine1_officer)
    second.force_login(county.ent1_officer)
    first_page = first.get(f"/violations/{violation.pk}/edit/")
    second_page = second.get(f"/violations/{violation.pk}/edit/")
    assert (
        first.post(f"/violations/{violation.pk}/edit/", form_data(first_page, penalty_note="罚款200元")).status_code
        == 302
    )
    response = second.post(f"/violations/{violation.pk}/edit/", form_data(second_page, mentoring="班组长帮教"))
    assert response.status_code == 200
    assert "修改（处罚情况），请刷新后重新编辑。" in response.content.decode()
    violation.refresh_from_db()
    assert (violation.penalty_note, violation.mentoring) == ("罚款200元", "")


def test_api_etag_and_if_match(api_client, county, violation):
    api_client.force_authenticate(county.mine1_officer)
    url = f"/api/v1/violations/{violation.pk}/"
    etag = api_client.get(url)["ETag"]
    changed = api_client.patch(url, {"note": "A"}, format="json", HTTP_IF_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    stale = api_client.patch(url, {"note": "B"}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412 and "备注" in stale.json()["detail"]
    assert Violation.objects.get(pk=violation.pk).note == "A"
    assert api_client.patch(url, {"note": "C"}, format="json").status_code == 200


def test_marking_typical_raises_the_version(county, violation):
    before = violation.row_version
    services.violation_mark_typical(actor=county.inspector, violation=violation, reason="典型")
    assert Violation.objects.get(pk=violation.pk).row_version == before + 1


def test_bulletin_edited_by_two_is_refused_the_second_time(county):
    case = ViolationFactory(mine=county.mine1, typical=True)
    bulletin = services.bulletin_create(
        actor=county.inspector, period="2024-11", title="通报", body="现通报如下。", cases=[case]
    )
    colleague = type(county.inspector).objects.create(
        username="inspector2", role="inspector", organization=county.bureau, full_name="李四"
    )
    first, second = Client(), Client()
    first.force_login(county.inspector)
    second.force_login(colleague)
    first_page = first.get(f"/bulletins/{bulletin.pk}/edit/")
    second_page = second.get(f"/bulletins/{bulletin.pk}/edit/")
    assert first.post(f"/bulletins/{bulletin.pk}/edit/", form_data(first_page, title="第一人的标题")).status_code == 302
    response = second.post(f"/bulletins/{bulletin.pk}/edit/", form_data(second_page, body="第二人的正文"))
    assert response.status_code == 200
    assert "该“三违”通报已被他人修改，请刷新后重新编辑。" in response.content.decode()
    bulletin = Bulletin.objects.get(pk=bulletin.pk)
    assert (bulletin.title, bulletin.body) == ("第一人的标题", "现通报如下。")
