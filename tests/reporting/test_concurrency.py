"""No lost updates on submissions (drafts, and reviews that name the version read) and on task progress."""

import pytest
from django.test import Client

from accounts.models import Role
from campaign.models import RequirementProgress
from reporting import services
from reporting.models import Submission
from tests.factories import UserFactory
from tests.forms import form_data

pytestmark = pytest.mark.django_db

PLAN = {
    "goals": "四无",
    "organization": "矿长任组长",
    "measures_1": "警示教育",
    "measures_2": "责任制",
    "measures_3": "重大灾害治理",
    "measures_4": "严查三违",
}


@pytest.fixture
def draft(county, deadlines):
    return services.submission_open(actor=county.mine1_officer, deadline=deadlines["work_plan"])


@pytest.fixture
def submitted(county, draft):
    services.submission_save(actor=county.mine1_officer, submission=draft, narrative=PLAN)
    return services.submission_submit(actor=county.mine1_officer, submission=draft)


def test_two_officers_editing_one_draft(county, draft):
    colleague = UserFactory(username="mine1b", role=Role.MINE_OFFICER, organization=county.mine1, full_name="王五")
    first, second = Client(), Client()
    first.force_login(colleague)
    second.force_login(county.mine1_officer)
    first_page = first.get(f"/submissions/{draft.pk}/edit/")
    second_page = second.get(f"/submissions/{draft.pk}/edit/")
    assert first.post(f"/submissions/{draft.pk}/edit/", form_data(first_page, n_goals="零死亡")).status_code == 302
    response = second.post(f"/submissions/{draft.pk}/edit/", form_data(second_page, n_organization="书记任组长"))
    assert response.status_code == 200
    assert "该报送已被 王五 于" in response.content.decode()
    content = Submission.objects.get(pk=draft.pk).content
    assert content["narrative"]["goals"] == "零死亡" and content["narrative"]["organization"] == ""


def test_approve_of_a_version_no_longer_current_is_refused(client, county, submitted):
    client.force_login(county.inspector)
    page = client.get(f"/submissions/{submitted.pk}/")
    seen = page.context["approve_form"]["version"].value()
    assert seen == 1
    # Meanwhile a colleague returns version 1 and the mine sends version 2.
    services.submission_return(actor=county.inspector, submission=submitted, reason="补充")
    services.submission_submit(actor=county.mine1_officer, submission=submitted)
    response = client.post(f"/submissions/{submitted.pk}/approve/", {"note": "", "version": seen}, follow=True)
    assert "您审核的是第1版，该报送现为第2版" in response.content.decode()
    submission = Submission.objects.get(pk=submitted.pk)
    assert submission.status == "submitted"
    assert submission.versions.get(number=2).review_status == "pending"
    # A review without the version it read is not taken either.
    response = client.post(f"/submissions/{submitted.pk}/return/", {"reason": "x"}, follow=True)
    assert "页面已过期" in response.content.decode()
    client.post(f"/submissions/{submitted.pk}/approve/", {"note": "", "version": 2})
    assert Submission.objects.get(pk=submitted.pk).status == "approved"


def test_api_review_names_its_version(api_client, county, submitted):
    api_client.force_authenticate(county.inspector)
    url = f"/api/v1/submissions/{submitted.pk}/"
    etag = api_client.get(url)["ETag"]
    services.submission_return(actor=county.inspector, submission=submitted, reason="补充")
    services.submission_submit(actor=county.mine1_officer, submission=submitted)
    refused = api_client.post(f"{url}approve/", {"version": 1}, format="json")
    assert refused.status_code == 409 and "第1版" in refused.json()["detail"]
    assert api_client.post(f"{url}approve/", {}, format="json", HTTP_IF_MATCH=etag).status_code == 412
    assert Submission.objects.get(pk=submitted.pk).status == "submitted"
    done = api_client.post(f"{url}approve/", {"version": 2}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "approved"


def test_api_draft_etag_and_if_match(api_client, county, draft):
    api_client.force_authenticate(county.mine1_officer)
    url = f"/api/v1/submissions/{draft.pk}/"
    etag = api_client.get(url)["ETag"]
    changed = api_client.patch(url, {"narrative": {"goals": "A"}}, format="json", HTTP_IF_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    stale = api_client.patch(url, {"narrative": {"goals": "B"}}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    assert Submission.objects.get(pk=draft.pk).content["narrative"]["goals"] == "A"
    assert api_client.patch(url, {"narrative": {"goals": "C"}}, format="json").status_code == 200


def test_two_people_filling_in_one_progress_item(county, campaign):
    requirement = campaign.requirements.get(code="1.2.b")
    url = f"/campaigns/{campaign.pk}/progress/{requirement.pk}/"
    colleague = UserFactory(username="mine1b", role=Role.MINE_OFFICER, organization=county.mine1, full_name="王五")
    first, second = Client(), Client()
    first.force_login(colleague)
    second.force_login(county.mine1_officer)
    first_page, second_page = first.get(url), second.get(url)  # nobody has filled it in yet
    done = form_data(first_page, status="done", figure="1", note="11月5日开展")
    assert first.post(url, done).status_code == 302
    response = second.post(url, form_data(second_page, status="in_progress", note="正在筹备"))
    assert response.status_code == 200
    assert "该任务落实情况已被 王五 于" in response.content.decode()
    progress = RequirementProgress.objects.get()
    assert (progress.status, progress.note) == ("done", "11月5日开展")
