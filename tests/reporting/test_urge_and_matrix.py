"""The submission matrix (issue 18, item 3): 催报 for a column or a cell (one notice per organisation per report per
day, recorded: who, when, whom), per-column totals, and a saved draft shown as a draft, not as 未报."""

import datetime as dt
import zoneinfo

import pytest
import time_machine

from accounts.models import Role
from core.errors import DomainError, InvalidState, NotFound, NotPermitted
from notifications.models import Notification
from reporting import services
from reporting.models import Submission, SubmissionUrge
from reporting.selectors import matrix_organizations, submission_matrix
from tests.factories import MineFactory, UserFactory, running_campaign

pytestmark = pytest.mark.django_db
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
MONTHLY = {"done": "本月开展隐患排查"}
DEC_2 = dt.datetime(2024, 12, 2, 10, tzinfo=SHANGHAI)  # November's monthly report was due on 11-30


def send(officer, deadline, at=dt.datetime(2024, 11, 29, 10, tzinfo=SHANGHAI)):
    submission = services.submission_open(actor=officer, deadline=deadline)
    services.submission_save(actor=officer, submission=submission, narrative=MONTHLY, manual={"deaths": 0})
    return services.submission_submit(actor=officer, submission=submission, now=at)


@pytest.fixture
def nov(county, deadlines):
    """mine1 sent its November report (approved), mine2 saved a draft, mine3 and ent1 have nothing."""
    deadline = deadlines["monthly_2024_11"]
    services.submission_approve(actor=county.inspector, submission=send(county.mine1_officer, deadline))
    draft = services.submission_open(actor=county.mine2_officer, deadline=deadline)
    services.submission_save(actor=county.mine2_officer, submission=draft, narrative={"done": "正在整理"})
    Notification.objects.all().delete()
    return deadline


def notified():
    return sorted(Notification.objects.filter(topic="submission_urged").values_list("recipient__username", flat=True))


def test_urging_a_column_notifies_each_unit_that_has_not_sent_once_a_day(county, nov):
    with time_machine.travel(DEC_2, tick=False):
        outcome = services.submission_urge(actor=county.inspector, deadline=nov)
    assert outcome.urged == 4 and outcome.already == 0
    assert notified() == ["ent1", "mine2", "mine3"]  # not mine1 (sent), not the other county
    assert outcome.without_people == ["华泰能源"]  # urged and recorded, but it has no account to tell
    notice = Notification.objects.get(recipient=county.mine3_officer)
    assert "催报" in notice.title and nov.name in notice.title and notice.level == "danger"
    assert notice.url == f"/submissions/open/{nov.pk}/"
    records = SubmissionUrge.objects.filter(deadline=nov).order_by("organization__name")
    assert {r.organization.name: r.recipients for r in records} == {
        "北坡煤矿": 1,
        "西岭煤矿": 1,
        "晋阳煤业集团": 1,
        "华泰能源": 0,
    }
    assert all(r.urged_by == county.inspector and r.urged_on == dt.date(2024, 12, 2) for r in records)

    # Again the same day, by a colleague: nothing more is sent or recorded.
    colleague = UserFactory(username="inspector2", role=Role.INSPECTOR, organization=county.bureau)
    with time_machine.travel(DEC_2 + dt.timedelta(hours=3), tick=False):
        again = services.submission_urge(actor=colleague, deadline=nov)
        cell = services.submission_urge(actor=colleague, deadline=nov, organization=county.mine3)
    assert (again.urged, again.already, cell.urged, cell.already) == (0, 4, 0, 1)
    assert len(notified()) == 3 and SubmissionUrge.objects.count() == 4

    # The next day, one cell: one more notice, to that unit only.
    with time_machine.travel(DEC_2 + dt.timedelta(days=1), tick=False):
        services.submission_urge(actor=colleague, deadline=nov, organization=county.mine3)
    assert notified() == ["ent1", "mine2", "mine3", "mine3"]
    latest = SubmissionUrge.objects.filter(organization=county.mine3).latest("urged_at")
    assert latest.urged_by == colleague and latest.urged_on == dt.date(2024, 12, 3)


def test_what_cannot_be_urged(county, nov, deadlines):
    with time_machine.travel(DEC_2, tick=False):
        with pytest.raises(InvalidState, match="已报送"):
            services.submission_urge(actor=county.inspector, deadline=nov, organization=county.mine1)
        with pytest.raises(DomainError, match="无需报送"):
            services.submission_urge(
                actor=county.inspector, deadline=deadlines["self_check_lists"], organization=county.ent1
            )
        with pytest.raises(InvalidState, match="尚未临近截止"):
            services.submission_urge(actor=county.inspector, deadline=deadlines["summary"])
        for who in ("mine1_officer", "ent1_officer", "leader"):
            with pytest.raises(NotPermitted):
                services.submission_urge(actor=getattr(county, who), deadline=nov, organization=county.mine2)
        with pytest.raises(NotFound):
            services.submission_urge(actor=county.other_inspector, deadline=nov)
        other_deadline = running_campaign(bureau=county.other_bureau).deadlines.get(code="monthly_2024_11")
        with pytest.raises(NotFound):
            services.submission_urge(actor=county.other_inspector, deadline=other_deadline, organization=county.mine3)
    assert not SubmissionUrge.objects.exists() and not Notification.objects.exists()


def test_urge_pages_403_for_who_may_not_urge_and_404_for_what_is_not_theirs(client, county, nov):
    column, cell = f"/submissions/deadline/{nov.pk}/urge/", f"/submissions/deadline/{nov.pk}/urge/{county.mine2.pk}/"
    with time_machine.travel(DEC_2, tick=False):
        client.force_login(county.mine2_officer)
        assert client.post(column).status_code == 403
        assert client.post(cell).status_code == 403  # its own cell: may see, may not urge
        assert client.post(f"/submissions/deadline/{nov.pk}/urge/{county.mine3.pk}/").status_code == 404
        client.force_login(county.ent1_officer)
        assert client.post(cell).status_code == 403
        client.force_login(county.other_inspector)
        assert client.post(column).status_code == 404
        assert client.post(cell).status_code == 404
        client.force_login(county.inspector)
        assert client.get(column).status_code == 405
        response = client.post(cell, follow=True)
    assert response.status_code == 200 and "已向 1 家单位催报" in response.content.decode()
    assert SubmissionUrge.objects.get().organization == county.mine2


def test_a_draft_is_a_draft_not_missing_and_the_urge_shows(county, nov, deadlines):
    with time_machine.travel(DEC_2, tick=False):
        services.submission_urge(actor=county.inspector, deadline=nov, organization=county.mine3)
    orgs = list(matrix_organizations(user=county.inspector))
    rows = submission_matrix(deadlines=[nov], organizations=orgs, today=dt.date(2024, 12, 2))
    cells = {r["organization"].name: r["cells"][0] for r in rows}
    assert cells["西岭煤矿"]["state"] == "draft"
    assert cells["北坡煤矿"]["state"] == "missing" and cells["晋阳煤业集团"]["state"] == "missing"
    assert cells["东峰煤矿"]["state"] == "approved"
    assert cells["北坡煤矿"]["last_urged_at"].astimezone(SHANGHAI) == DEC_2
    assert cells["西岭煤矿"]["last_urged_at"] is None


def test_the_matrix_page_has_totals_urge_buttons_and_drafts(client, county, nov):
    with time_machine.travel(DEC_2, tick=False):
        services.submission_urge(actor=county.inspector, deadline=nov, organization=county.mine3)
        client.force_login(county.inspector)
        response = client.get("/submissions/matrix/")
    html = response.content.decode()
    totals = {t["deadline"].pk: t for t in response.context["column_totals"]}[nov.pk]
    assert (totals["owed"], totals["submitted"], totals["approved"], totals["missing"], totals["drafts"]) == (
        5,
        1,
        1,
        4,
        1,
    )
    assert "草稿" in html and f'formaction="/submissions/deadline/{nov.pk}/urge/"' in html
    assert f'formaction="/submissions/deadline/{nov.pk}/urge/{county.mine2.pk}/"' in html
    assert f'formaction="/submissions/deadline/{nov.pk}/urge/{county.mine1.pk}/"' not in html  # sent: nothing to urge
    assert "已催报 12-02 10:00" in html
    # An enterprise follows its mines in the matrix but does not urge.
    with time_machine.travel(DEC_2, tick=False):
        client.force_login(county.ent1_officer)
        html = client.get("/submissions/matrix/").content.decode()
    assert "草稿" in html and "formaction" not in html


def test_column_totals_count_every_unit_not_only_the_page(client, county, nov):
    for i in range(60):  # more than one page of 50 organisations
        MineFactory(name=f"新增煤矿{i:02d}", parent=county.ent2)
    with time_machine.travel(DEC_2, tick=False):
        client.force_login(county.inspector)
        response = client.get("/submissions/matrix/")
    totals = {t["deadline"].pk: t for t in response.context["column_totals"]}[nov.pk]
    assert (totals["owed"], totals["submitted"], totals["missing"]) == (65, 1, 64)
    assert len(response.context["rows"]) == 50


@pytest.mark.parametrize("extra", [0, 40])
def test_the_matrix_query_count_does_not_grow_with_units_urges_or_drafts(
    client, county, nov, extra, django_assert_max_num_queries
):
    for i in range(extra):
        mine = MineFactory(name=f"矿{i}", parent=county.ent2)
        officer = UserFactory(username=f"m{i}", role=Role.MINE_OFFICER, organization=mine)
        draft = services.submission_open(actor=officer, deadline=nov)
        services.submission_save(actor=officer, submission=draft, narrative={"done": "草稿"})
    client.force_login(county.inspector)
    with time_machine.travel(DEC_2, tick=False):
        services.submission_urge(actor=county.inspector, deadline=nov)
        # session, user, campaign, phases, deadlines (prefetched), deadlines with their last urge, the page count and
        # units, the page's submissions and urges, the column totals (units by kind, submissions), the bell
        with django_assert_max_num_queries(14):  # +1: the campaign switcher
            assert client.get("/submissions/matrix/").status_code == 200
    assert Submission.objects.filter(status="draft").count() == 1 + extra


def test_urging_a_unit_without_an_account_does_not_say_it_was_told(client, county, nov):
    """华泰能源 has no account: the urge is recorded, and the page says no one there was told (it said "各单位已收到
    通知" above the warning that they had not)."""
    cell = f"/submissions/deadline/{nov.pk}/urge/{county.ent2.pk}/"
    client.force_login(county.inspector)
    with time_machine.travel(DEC_2, tick=False):
        page = client.post(cell, follow=True).content.decode()
    assert "已向 1 家单位催报" in page and "没有系统账号，未能收到通知：华泰能源" in page
    assert "已收到通知" not in page.replace("未能收到通知", "")
