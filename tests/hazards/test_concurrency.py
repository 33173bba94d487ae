"""No lost updates on hazards: an edit or a state change based on a version someone else has changed since is
refused with what changed, by whom and when; nothing the other person saved is put back."""

import datetime as dt

import pytest
from django.test import Client

from hazards import services
from hazards.models import Hazard
from tests.forms import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def hazard(county, general_fields):
    return services.hazard_create(actor=county.mine1_officer, mine=county.mine1, **general_fields)


def test_second_of_two_editors_is_refused_and_nothing_is_lost(county, hazard):
    first, second = Client(), Client()
    first.force_login(county.mine1_officer)
    second.force_login(county.ent1_officer)
    first_page = first.get(f"/hazards/{hazard.pk}/edit/")
    second_page = second.get(f"/hazards/{hazard.pk}/edit/")  # both opened the same version
    assert first.post(f"/hazards/{hazard.pk}/edit/", form_data(first_page, measures="更换传感器")).status_code == 302
    later_due = (dt.date.today() + dt.timedelta(days=20)).isoformat()
    response = second.post(f"/hazards/{hazard.pk}/edit/", form_data(second_page, due_on=later_due))
    assert response.status_code == 200
    html = response.content.decode()
    assert f"该事故隐患已被 {county.mine1_officer.display_name} 于" in html
    assert "修改（整改措施），请刷新后重新编辑。" in html
    hazard.refresh_from_db()
    assert hazard.measures == "更换传感器"  # the first edit stands
    assert hazard.due_on != dt.date.fromisoformat(later_due)  # the second was not half applied
    # Reloaded, the second editor saves on the current version.
    again = second.get(f"/hazards/{hazard.pk}/edit/")
    assert second.post(f"/hazards/{hazard.pk}/edit/", form_data(again, due_on=later_due)).status_code == 302
    hazard.refresh_from_db()
    assert (hazard.measures, hazard.due_on.isoformat()) == ("更换传感器", later_due)


def test_edit_form_without_its_version_is_refused(client, county, hazard):
    client.force_login(county.mine1_officer)
    data = form_data(client.get(f"/hazards/{hazard.pk}/edit/"), measures="x")
    del data["row_version"]
    response = client.post(f"/hazards/{hazard.pk}/edit/", data)
    assert "页面已过期，请刷新后重新填写。" in response.content.decode()
    assert Hazard.objects.get(pk=hazard.pk).measures != "x"


def test_accept_clicked_on_a_stale_page_is_refused(client, county, hazard):
    services.hazard_submit_for_acceptance(actor=county.mine1_officer, hazard=hazard)
    client.force_login(county.ent1_officer)
    page = client.get(f"/hazards/{hazard.pk}/")
    seen = page.context["note_form"]["row_version"].value()
    # Meanwhile the mine rewrites the measures of what awaits acceptance.
    services.hazard_update(actor=county.mine1_officer, hazard=hazard, measures="只挂了警示牌")
    response = client.post(f"/hazards/{hazard.pk}/accept/", {"note": "", "row_version": seen}, follow=True)
    assert "修改（整改措施），请刷新后重新编辑。" in response.content.decode()
    assert Hazard.objects.get(pk=hazard.pk).status == "awaiting_acceptance"
    fresh = client.get(f"/hazards/{hazard.pk}/").context["note_form"]["row_version"].value()
    client.post(f"/hazards/{hazard.pk}/accept/", {"note": "", "row_version": fresh})
    assert Hazard.objects.get(pk=hazard.pk).status == "closed"


def test_api_etag_and_if_match(api_client, county, hazard):
    api_client.force_authenticate(county.mine1_officer)
    url = f"/api/v1/hazards/{hazard.pk}/"
    got = api_client.get(url)
    etag = got["ETag"]
    assert etag == f'"{got.json()["row_version"]}"'
    changed = api_client.patch(url, {"measures": "A"}, format="json", HTTP_IF_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag and changed["ETag"] == f'"{changed.json()["row_version"]}"'
    stale = api_client.patch(url, {"measures": "B"}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    assert "整改措施" in stale.json()["detail"] and "请刷新后重新编辑" in stale.json()["detail"]
    assert Hazard.objects.get(pk=hazard.pk).measures == "A"
    # A body row_version works the same (409); none at all works as before.
    conflict = api_client.patch(url, {"measures": "B", "row_version": 1}, format="json")
    assert conflict.status_code == 409
    assert api_client.patch(url, {"measures": "C"}, format="json").status_code == 200
    assert api_client.patch(url, {"measures": "D"}, format="json", HTTP_IF_MATCH='"abc"').status_code == 412
    assert api_client.patch(url, {"measures": "D"}, format="json", HTTP_IF_MATCH="*").status_code == 200
    assert Hazard.objects.get(pk=hazard.pk).measures == "D"


def test_api_state_actions_honour_if_match(api_client, county, hazard):
    api_client.force_authenticate(county.mine1_officer)
    url = f"/api/v1/hazards/{hazard.pk}/"
    etag = api_client.get(url)["ETag"]
    services.hazard_update(actor=county.ent1_officer, hazard=hazard, measures="企业改了")
    stale = api_client.post(f"{url}start-rectification/", {}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    assert Hazard.objects.get(pk=hazard.pk).status == "open"
    fresh = api_client.get(url)["ETag"]
    done = api_client.post(f"{url}start-rectification/", {}, format="json", HTTP_IF_MATCH=fresh)
    assert done.status_code == 200 and done.json()["status"] == "rectifying" and done["ETag"] != fresh


def test_if_match_is_compared_strongly_and_never_breaks(api_client, county, hazard):
    """If-Match uses the strong comparison (RFC 9110): a weak tag never matches; a tag that only looks like digits
    (a superscript two) is stale, not a 500; `*` with a stale body version is still refused by the body."""
    api_client.force_authenticate(county.mine1_officer)
    url = f"/api/v1/hazards/{hazard.pk}/"
    current = api_client.get(url).json()["row_version"]
    assert api_client.patch(url, {"measures": "弱"}, format="json", HTTP_IF_MATCH=f'W/"{current}"').status_code == 412
    assert api_client.patch(url, {"measures": "上标"}, format="json", HTTP_IF_MATCH='"²"').status_code == 412
    assert api_client.patch(url, {"measures": "全角"}, format="json", HTTP_IF_MATCH='"１"').status_code == 412
    stale_body = {"measures": "星号", "row_version": current - 1 if current > 1 else current + 5}
    assert api_client.patch(url, stale_body, format="json", HTTP_IF_MATCH="*").status_code in (409, 412)
    assert Hazard.objects.get(pk=hazard.pk).measures not in ("弱", "上标", "全角", "星号")
