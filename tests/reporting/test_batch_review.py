"""Batch approval from the review queue (issue 18, item 2): one note for several routine submissions; each goes through
`submission_approve` with its permission, state and version checks, and what fails is said per item in Chinese."""

import datetime as dt
import re
import zoneinfo

import pytest

from accounts.models import Role
from core.errors import NotPermitted
from notifications.models import Notification
from reporting import services
from reporting.models import Submission
from tests.factories import UserFactory, running_campaign

pytestmark = pytest.mark.django_db
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
MONTHLY = {"done": "本月开展隐患排查", "problems": "", "next_steps": ""}
AT = dt.datetime(2024, 11, 29, 10, tzinfo=SHANGHAI)


def send(officer, deadline):
    submission = services.submission_open(actor=officer, deadline=deadline)
    services.submission_save(actor=officer, submission=submission, narrative=MONTHLY, manual={"deaths": 0})
    return services.submission_submit(actor=officer, submission=submission, now=AT)


def item(submission, version=None, row_version=None):
    submission.refresh_from_db()
    return f"{submission.pk}:{version or submission.versions_submitted}:{row_version or submission.row_version}"


@pytest.fixture
def queue(county, deadlines):
    nov = deadlines["monthly_2024_11"]
    subs = {key: send(getattr(county, f"{key}_officer"), nov) for key in ("mine1", "mine2", "mine3", "ent1")}
    other = running_campaign(bureau=county.other_bureau).deadlines.get(code="monthly_2024_11")
    other_officer = UserFactory(username="other_mine", role=Role.MINE_OFFICER, organization=county.other_mine)
    subs["other"] = send(other_officer, other)
    return subs


def test_the_queue_offers_each_row_with_the_version_read_and_one_note(client, county, queue):
    client.force_login(county.inspector)
    html = client.get("/submissions/review/").content.decode()
    assert 'action="/submissions/review/approve/"' in html and "批量通过" in html
    for key in ("mine1", "mine2", "mine3", "ent1"):
        assert f'value="{item(queue[key])}"' in html
    assert f'value="{queue["other"].pk}:' not in html
    assert 'name="note"' in html
    # Those who may not review see no batch form.
    client.force_login(county.leader)
    assert "批量通过" not in client.get("/submissions/review/").content.decode()


def test_batch_approval_approves_the_good_ones_and_says_why_each_other_failed(client, county, queue):
    read = {key: item(queue[key]) for key in ("mine1", "mine2", "mine3", "ent1")}
    # Meanwhile a colleague returns mine3's report and the mine sends version 2; ent1's is approved alone.
    services.submission_return(actor=county.inspector, submission=queue["mine3"], reason="补充")
    services.submission_submit(actor=county.mine3_officer, submission=queue["mine3"])
    services.submission_approve(actor=county.inspector, submission=queue["ent1"])
    Notification.objects.all().delete()

    client.force_login(county.inspector)
    posted = [read["mine1"], read["mine2"], read["mine3"], read["ent1"], f"{queue['other'].pk}:1:1", "垃圾"]
    response = client.post("/submissions/review/approve/", {"items": posted, "note": "按期报送，同意"}, follow=True)
    assert response.status_code == 200
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    assert "已批量通过 2 份" in text
    assert "北坡煤矿" in text and "您审核的是第1版，该报送现为第2版" in text
    assert "晋阳煤业集团" in text and "报送当前为“已通过”，不能审核" in text
    assert "未找到" in text  # the other county's and the unreadable item, without saying whose
    assert "外县煤矿" not in text

    statuses = dict(Submission.objects.values_list("organization__name", "status"))
    assert statuses["东峰煤矿"] == statuses["西岭煤矿"] == "approved"
    assert statuses["北坡煤矿"] == "submitted" and statuses["外县煤矿"] == "submitted"
    for key in ("mine1", "mine2"):
        version = queue[key].versions.get()
        assert (version.review_status, version.review_reason, version.reviewed_by) == (
            "approved",
            "按期报送，同意",
            county.inspector,
        )
    # One notice per unit, as a single approval sends.
    assert sorted(Notification.objects.values_list("recipient__username", flat=True)) == ["mine1", "mine2"]


def test_a_row_version_changed_since_the_page_was_read_is_refused(county, queue):
    stale = f"{queue['mine1'].pk}:1:{queue['mine1'].row_version - 1}"
    outcome = services.submissions_approve_many(actor=county.inspector, items=[stale], note="")
    assert outcome.approved == [] and "已被" in outcome.refused[0].message
    assert Submission.objects.get(pk=queue["mine1"].pk).status == "submitted"


@pytest.mark.parametrize("who", ["mine1_officer", "ent1_officer", "leader"])
def test_only_an_inspector_may_batch_approve(client, county, queue, who):
    client.force_login(getattr(county, who))
    response = client.post("/submissions/review/approve/", {"items": [item(queue["mine1"])], "note": ""})
    assert response.status_code == 403
    with pytest.raises(NotPermitted):
        services.submissions_approve_many(actor=getattr(county, who), items=[item(queue["mine1"])])
    assert Submission.objects.get(pk=queue["mine1"].pk).status == "submitted"


def test_another_countys_inspector_approves_nothing_of_ours(client, county, queue):
    client.force_login(county.other_inspector)
    response = client.post(
        "/submissions/review/approve/", {"items": [item(queue["mine1"]), item(queue["mine2"])], "note": ""}, follow=True
    )
    assert "未找到" in response.content.decode() and "东峰煤矿" not in response.content.decode()
    assert not Submission.objects.filter(status="approved").exists()


def test_nothing_ticked_is_a_clear_message(client, county, queue):
    client.force_login(county.inspector)
    response = client.post("/submissions/review/approve/", {"note": "同意"}, follow=True)
    assert "请先勾选要通过的报送" in response.content.decode()
    assert client.get("/submissions/review/approve/").status_code == 405
