import datetime as dt
import zoneinfo

import pytest

from core.errors import DomainError
from reporting import services
from reporting.models import Submission

pytestmark = pytest.mark.django_db
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
PLAN = {
    "goals": "四无",
    "organization": "矿长任组长",
    "measures_1": "警示教育",
    "measures_2": "责任制",
    "measures_3": "重大灾害治理",
    "measures_4": "严查三违",
}


def send(officer, deadline, *, at, narrative=PLAN):
    submission = services.submission_open(actor=officer, deadline=deadline)
    services.submission_save(actor=officer, submission=submission, narrative=narrative)
    return services.submission_submit(actor=officer, submission=submission, now=at)


@pytest.mark.parametrize(
    ("moment", "late", "days"),
    [
        (dt.datetime(2024, 10, 31, 23, 59, 59, tzinfo=SHANGHAI), False, 0),
        (dt.datetime(2024, 11, 1, 0, 0, 0, tzinfo=SHANGHAI), True, 1),
        (dt.datetime(2024, 10, 31, 15, 59, 59, tzinfo=dt.UTC), False, 0),  # = 23:59:59 in Shanghai
        (dt.datetime(2024, 10, 31, 16, 0, 0, tzinfo=dt.UTC), True, 1),  # = 00:00:00 next day in Shanghai
        (dt.datetime(2024, 11, 3, 9, 0, 0, tzinfo=SHANGHAI), True, 3),
    ],
)
def test_late_is_decided_at_the_boundary_second_in_shanghai(county, deadlines, moment, late, days):
    submission = send(county.mine1_officer, deadlines["work_plan"], at=moment)
    assert (submission.late, submission.days_late) == (late, days)


def test_return_and_resubmit_makes_version_two_and_keeps_version_one(county, deadlines):
    officer, inspector = county.mine1_officer, county.inspector
    on_time = dt.datetime(2024, 10, 30, 10, tzinfo=SHANGHAI)
    submission = send(officer, deadlines["work_plan"], at=on_time)
    with pytest.raises(DomainError, match="不能修改"):
        services.submission_save(actor=officer, submission=submission, narrative={"goals": "x"})
    with pytest.raises(DomainError, match="退回必须写明理由"):
        services.submission_return(actor=inspector, submission=submission, reason=" ")
    services.submission_return(actor=inspector, submission=submission, reason="措施不具体")
    submission.refresh_from_db()
    assert submission.status == "returned" and submission.return_reason == "措施不具体"
    services.submission_save(actor=officer, submission=submission, narrative={**PLAN, "goals": "四无，具体到月"})
    late_resubmit = dt.datetime(2024, 11, 5, 10, tzinfo=SHANGHAI)
    services.submission_submit(actor=officer, submission=submission, now=late_resubmit)
    submission.refresh_from_db()
    assert (submission.versions_submitted, submission.status) == (2, "submitted")
    assert submission.late is False  # decided by the first submission, which was on time
    v1, v2 = submission.versions.order_by("number")
    assert v1.content["narrative"]["goals"] == "四无"
    assert (v1.review_status, v1.review_reason) == ("returned", "措施不具体")
    assert v2.content["narrative"]["goals"] == "四无，具体到月"
    assert v2.review_status == "pending"
    services.submission_approve(actor=inspector, submission=submission)
    submission.refresh_from_db()
    assert submission.status == "approved"
    assert submission.versions.get(number=1).content["narrative"]["goals"] == "四无"  # still readable


@pytest.mark.parametrize("who", ["mine1_officer", "ent1_officer", "leader", "other_inspector"])
def test_only_an_inspector_of_the_bureau_approves(county, deadlines, who):
    submission = send(county.mine1_officer, deadlines["work_plan"], at=dt.datetime(2024, 10, 30, tzinfo=SHANGHAI))
    with pytest.raises(DomainError, match="县局执法人员"):
        services.submission_approve(actor=getattr(county, who), submission=submission)
    with pytest.raises(DomainError, match="县局执法人员"):
        services.submission_return(actor=getattr(county, who), submission=submission, reason="x")
    assert Submission.objects.get(pk=submission.pk).status == "submitted"


def test_submit_requires_the_required_narrative(county, deadlines):
    submission = services.submission_open(actor=county.mine1_officer, deadline=deadlines["work_plan"])
    services.submission_save(actor=county.mine1_officer, submission=submission, narrative={"goals": "四无"})
    with pytest.raises(DomainError, match="请先填写：组织领导"):
        services.submission_submit(actor=county.mine1_officer, submission=submission)
    assert Submission.objects.get(pk=submission.pk).versions_submitted == 0


def test_who_owes_what(county, deadlines):
    with pytest.raises(DomainError, match="无需报送"):
        services.submission_open(actor=county.ent1_officer, deadline=deadlines["self_check_lists"])  # mines only
    with pytest.raises(DomainError):
        services.submission_open(actor=county.inspector, deadline=deadlines["work_plan"])
    with pytest.raises(DomainError, match="无需报送"):
        services.submission_open(actor=county.other_inspector, deadline=deadlines["work_plan"])
    assert (
        services.submission_open(actor=county.ent1_officer, deadline=deadlines["work_plan"]).organization == county.ent1
    )
    again = services.submission_open(actor=county.mine1_officer, deadline=deadlines["work_plan"])
    assert services.submission_open(actor=county.mine1_officer, deadline=deadlines["work_plan"]) == again


def test_another_mines_submission_is_404_by_page_and_api(client, api_client, county, deadlines):
    theirs = send(county.mine2_officer, deadlines["work_plan"], at=dt.datetime(2024, 10, 30, tzinfo=SHANGHAI))
    client.force_login(county.mine1_officer)
    for url in (
        f"/submissions/{theirs.pk}/",
        f"/submissions/{theirs.pk}/edit/",
        f"/submissions/{theirs.pk}/v/1/",
        f"/submissions/{theirs.pk}/v/1/docx/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/submissions/{theirs.pk}/approve/").status_code == 404
    api_client.force_authenticate(county.mine1_officer)
    assert api_client.get(f"/api/v1/submissions/{theirs.pk}/").status_code == 404
    assert api_client.post(f"/api/v1/submissions/{theirs.pk}/submit/").status_code == 404
    assert api_client.get("/api/v1/submissions/").json()["count"] == 0
    client.force_login(county.ent1_officer)
    assert client.get(f"/submissions/{theirs.pk}/").status_code == 200  # its enterprise follows it


def test_api_walks_the_cycle(api_client, county, deadlines):
    api_client.force_authenticate(county.mine1_officer)
    created = api_client.post("/api/v1/submissions/", {"deadline": deadlines["work_plan"].pk}, format="json")
    assert created.status_code == 201
    pk = created.json()["id"]
    assert api_client.post(f"/api/v1/submissions/{pk}/submit/").status_code == 400  # narrative missing
    api_client.patch(f"/api/v1/submissions/{pk}/", {"narrative": PLAN}, format="json")
    body = api_client.post(f"/api/v1/submissions/{pk}/submit/").json()
    assert (body["status"], body["version"], body["late"]) == ("submitted", 1, True)  # it is 2026: very late
    assert len(body["versions"]) == 1
    # a unit may not review its own: 403 (400 before issue 17)
    assert api_client.post(f"/api/v1/submissions/{pk}/approve/", {}, format="json").status_code == 403
    api_client.force_authenticate(county.inspector)
    body = api_client.post(f"/api/v1/submissions/{pk}/return/", {"reason": "补充附件"}, format="json").json()
    assert body["status"] == "returned"
    api_client.force_authenticate(county.mine1_officer)
    body = api_client.post(f"/api/v1/submissions/{pk}/submit/").json()
    assert (body["version"], [v["number"] for v in body["versions"]]) == (2, [1, 2])


def test_pages_walk_the_cycle_with_an_attachment(client, county, deadlines):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(county.mine1_officer)
    response = client.post(f"/submissions/open/{deadlines['work_plan'].pk}/")
    submission = Submission.objects.get()
    assert response["Location"] == f"/submissions/{submission.pk}/edit/"
    client.post(f"/submissions/{submission.pk}/attach/", {"file": SimpleUploadedFile("方案.pdf", b"%PDF-1.4 signed")})
    data = {f"n_{k}": v for k, v in PLAN.items()}
    response = client.post(
        f"/submissions/{submission.pk}/edit/", {**data, "submit": "1", "row_version": submission.row_version}
    )
    assert response["Location"] == f"/submissions/{submission.pk}/"
    submission.refresh_from_db()
    assert submission.versions_submitted == 1 and submission.files.get().first_version == 1
    html = client.get(f"/submissions/{submission.pk}/v/1/").content.decode()
    assert "警示教育" in html and "方案.pdf" in html
    client.force_login(county.inspector)
    assert "东峰煤矿" in client.get("/submissions/review/").content.decode()
    client.post(f"/submissions/{submission.pk}/return/", {"reason": "请补充分工", "version": 1})
    client.force_login(county.mine1_officer)
    html = client.get(f"/submissions/{submission.pk}/edit/").content.decode()
    assert "请补充分工" in html and "修改后重新报送" in html


def test_opening_a_submission_is_a_post_a_get_changes_nothing(client, county, deadlines):
    deadline = deadlines["work_plan"]
    url = f"/submissions/open/{deadline.pk}/"
    client.force_login(county.mine1_officer)
    # The home page starts a submission with a small form, not a link a browser or crawler might fetch.
    home = client.get("/").content.decode()
    assert f'<form method="post" action="{url}"' in home and f'href="{url}"' not in home
    # A GET (the link in a reminder) shows what is owed and a button; nothing is created.
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert deadline.name in html and "开始填写" in html and 'method="post"' in html
    assert not Submission.objects.exists()
    response = client.post(url)
    submission = Submission.objects.get()
    assert response["Location"] == f"/submissions/{submission.pk}/edit/"
    # Once it exists, a GET goes to it; the home page links to it directly.
    assert client.get(url)["Location"] == f"/submissions/{submission.pk}/edit/"
    assert f'href="/submissions/{submission.pk}/edit/"' in client.get("/").content.decode()
    assert client.post(url)["Location"] == f"/submissions/{submission.pk}/edit/"
    assert Submission.objects.count() == 1
    assert client.put(url).status_code == 405
    # Someone who cannot report is told so, by GET as by POST, and nothing is created.
    client.force_login(county.inspector)
    for send in (client.get, client.post):
        response = send(url, follow=True)
        assert "本单位无需报送该事项" in response.content.decode()
    assert Submission.objects.count() == 1
