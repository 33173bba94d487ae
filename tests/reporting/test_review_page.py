"""Review on one page (issue 18, item 2): the inspector reads the version under review beside 通过/退回, the review
queue's 报送时间 is when that version was sent, and 修改记录 reads as Chinese."""

import datetime as dt
import re
import zoneinfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

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


def send(officer, deadline, *, at, narrative=PLAN, files=()):
    submission = services.submission_open(actor=officer, deadline=deadline)
    for name in files:
        services.submission_attach(
            actor=officer, submission=submission, upload=SimpleUploadedFile(name, b"%PDF-1.4 signed")
        )
    services.submission_save(actor=officer, submission=submission, narrative=narrative)
    return services.submission_submit(actor=officer, submission=submission, now=at)


def section(html, testid):
    """The inner HTML of the element carrying `data-testid` (up to the end of its tag's block, roughly)."""
    match = re.search(rf'data-testid="{testid}"', html)
    assert match, f"no {testid} on the page"
    return html[match.start() : match.start() + 20000]


def test_the_inspector_reads_the_version_under_review_beside_the_decision(client, county, deadlines):
    on_time = dt.datetime(2024, 10, 30, 9, tzinfo=SHANGHAI)
    submission = send(county.mine1_officer, deadlines["work_plan"], at=on_time, files=["签字版方案.pdf"])
    services.submission_return(actor=county.inspector, submission=submission, reason="措施不具体")
    services.submission_save(
        actor=county.mine1_officer, submission=submission, narrative={**PLAN, "goals": "四无，重大隐患动态清零"}
    )
    services.submission_submit(actor=county.mine1_officer, submission=submission)

    client.force_login(county.inspector)
    html = client.get(f"/submissions/{submission.pk}/").content.decode()
    shown = section(html, "version-under-review")
    # Version 2's content, its fields with their Chinese labels and its attachment, as the version page shows them.
    assert "第2版" in shown and "四无，重大隐患动态清零" in shown and "组织领导（领导组、工作组及分工）" in shown
    assert "签字版方案.pdf" in shown
    # The decision is on the same page, for the version shown.
    assert "审核第2版" in html and "审核通过" in html and "退回修改" in html
    assert f'action="/submissions/{submission.pk}/approve/"' in html
    # The content comes before the forms' version field says what was read.
    assert 'name="version" value="2"' in html

    # The unit sees what it sent too, without the forms.
    client.force_login(county.mine1_officer)
    html = client.get(f"/submissions/{submission.pk}/").content.decode()
    assert "四无，重大隐患动态清零" in section(html, "version-under-review")
    assert "审核通过" not in html

    # A draft never sent has no version to show.
    draft = services.submission_open(actor=county.mine2_officer, deadline=deadlines["work_plan"])
    client.force_login(county.inspector)
    assert 'data-testid="version-under-review"' not in client.get(f"/submissions/{draft.pk}/").content.decode()


@pytest.mark.parametrize("rounds", [1, 6])
def test_the_review_page_runs_a_fixed_number_of_queries(
    client, county, deadlines, rounds, django_assert_max_num_queries
):
    """One version with one attachment, or six versions (five returns) with seven attachments and their history."""
    submission = send(
        county.mine1_officer,
        deadlines["self_check_lists"],
        at=dt.datetime(2024, 11, 20, tzinfo=SHANGHAI),
        narrative={"summary": "自查覆盖全部采掘工作面"},
        files=["自查清单.pdf"],
    )
    for n in range(rounds - 1):
        services.submission_return(actor=county.inspector, submission=submission, reason=f"第{n + 1}次退回")
        services.submission_attach(
            actor=county.mine1_officer,
            submission=submission,
            upload=SimpleUploadedFile(f"补充{n}.pdf", b"%PDF-1.4 more"),
        )
        services.submission_submit(actor=county.mine1_officer, submission=submission)
    client.force_login(county.inspector)
    # session, user, the submission, its versions, its files, its history, the bell
    with django_assert_max_num_queries(7):
        response = client.get(f"/submissions/{submission.pk}/")
    assert response.status_code == 200
    assert f"审核第{rounds}版" in response.content.decode()


def test_the_queue_shows_when_the_version_under_review_was_sent_oldest_first(client, county, deadlines):
    first = send(county.mine1_officer, deadlines["work_plan"], at=dt.datetime(2024, 10, 30, 9, tzinfo=SHANGHAI))
    services.submission_return(actor=county.inspector, submission=first, reason="补充")
    services.submission_save(actor=county.mine1_officer, submission=first, narrative=PLAN)
    services.submission_submit(
        actor=county.mine1_officer, submission=first, now=dt.datetime(2024, 11, 2, 15, 30, tzinfo=SHANGHAI)
    )
    send(county.mine2_officer, deadlines["work_plan"], at=dt.datetime(2024, 10, 31, 8, 5, tzinfo=SHANGHAI))
    # Something touching the row later (an administrator's correction) moves `updated_at`, not the time of sending.
    Submission.objects.filter(pk=first.pk).update(updated_at=dt.datetime(2024, 10, 1, tzinfo=SHANGHAI))

    client.force_login(county.inspector)
    html = client.get("/submissions/review/").content.decode()
    assert "报送时间" in html
    assert "2024-11-02 15:30" in html and "2024-10-31 08:05" in html
    assert html.index("西岭煤矿") < html.index("东峰煤矿")  # sent first, reviewed first


def test_the_audit_trail_of_a_submission_reads_as_chinese(client, county, deadlines):
    submission = send(county.mine1_officer, deadlines["work_plan"], at=dt.datetime(2024, 11, 3, 9, 15, tzinfo=SHANGHAI))
    services.submission_return(actor=county.inspector, submission=submission, reason="措施不具体")
    services.submission_save(
        actor=county.mine1_officer, submission=submission, narrative={**PLAN, "goals": "四无，重大隐患动态清零"}
    )
    client.force_login(county.inspector)
    html = client.get(f"/submissions/{submission.pk}/").content.decode()
    trail = section(html, "audit-trail")
    trail = trail[: trail.index("</section>")]
    assert "逾期报送：否 → 是" in trail
    assert "首次报送时间：（空） → 2024-11-03 09:15" in trail
    assert "状态：已报送 → 已退回" in trail
    assert "工作目标" in trail  # which part of the content changed, by its label
    for raw in ("{", "narrative", "measures_", "False", "True", "&#x27;", "更新时间"):
        assert raw not in trail, raw
