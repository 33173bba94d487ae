import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from campaign.models import Campaign, DeadlineKind
from campaign.services import campaign_clone, start_date_for_phase_today
from core.errors import DomainError
from tests.factories import running_campaign, template_campaign

pytestmark = pytest.mark.django_db


def test_template_holds_the_notice_facts():
    t = template_campaign()
    assert t.is_template
    assert t.document_no == "阳应急发〔2024〕280号"
    assert [(p.code, p.starts_on, p.ends_on) for p in t.phases.all()] == [
        ("deploy", dt.date(2024, 10, 28), dt.date(2024, 10, 31)),
        ("self_check", dt.date(2024, 11, 1), dt.date(2024, 11, 25)),
        ("enforcement", dt.date(2024, 11, 26), dt.date(2025, 1, 20)),
        ("summary", dt.date(2025, 1, 21), dt.date(2025, 1, 28)),
    ]
    assert [(d.kind, d.due_on) for d in t.deadlines.all()] == [
        ("work_plan", dt.date(2024, 10, 31)),
        ("self_check", dt.date(2024, 11, 25)),
        ("monthly", dt.date(2024, 11, 30)),
        ("monthly", dt.date(2024, 12, 31)),
        ("summary", dt.date(2025, 1, 28)),
    ]
    self_check = t.deadlines.get(kind=DeadlineKind.SELF_CHECK)
    assert (self_check.owed_by_mines, self_check.owed_by_enterprises) == (True, False)
    assert [g["name"] for g in t.goals] == ["无亡人事故", "无工伤事故", "无重大隐患", "无“三违”"]


def test_requirement_tree_has_sections_measures_items_and_targets():
    t = template_campaign()
    reqs = t.requirements
    assert reqs.filter(level="section").count() == 4
    assert reqs.filter(level="measure").count() == 12
    item = reqs.get(code="3.3.b")
    assert item.parent.code == "3.3"
    assert item.parent.parent.code == "3"
    assert item.target_display == "不超过10小时"
    assert reqs.get(code="1.1.a").target_display == "1–2个案例"
    assert reqs.get(code="4.2.c").performed_by == "bureau"
    assert reqs.get(code="4.1.c").performed_by == "organizations"


def test_deadline_due_moment_is_end_of_day_in_shanghai():
    d = template_campaign().deadlines.get(code="work_plan")
    assert d.due_at.isoformat() == "2024-10-31T23:59:59+08:00"


@pytest.mark.parametrize(
    ("today", "phase"),
    [
        (dt.date(2024, 10, 27), None),
        (dt.date(2024, 10, 28), "deploy"),
        (dt.date(2024, 10, 31), "deploy"),
        (dt.date(2024, 11, 1), "self_check"),
        (dt.date(2024, 11, 26), "enforcement"),
        (dt.date(2025, 1, 20), "enforcement"),
        (dt.date(2025, 1, 21), "summary"),
        (dt.date(2025, 1, 29), None),
    ],
)
def test_current_phase_is_derived_from_today(county, today, phase):
    campaign = running_campaign(bureau=county.bureau)
    with time_machine.travel(dt.datetime(today.year, today.month, today.day, 12, tzinfo=dt.UTC), tick=False):
        current = campaign.current_phase
    assert (current.code if current else None) == phase


def test_phase_changes_at_midnight_shanghai_not_utc(county):
    campaign = running_campaign(bureau=county.bureau)
    # 2024-10-31 17:00 UTC is already 2024-11-01 01:00 in Shanghai.
    with time_machine.travel(dt.datetime(2024, 10, 31, 17, 0, tzinfo=dt.UTC), tick=False):
        assert campaign.current_phase.code == "self_check"


def test_clone_by_whole_years_keeps_month_ends(county):
    clone = campaign_clone(
        source=template_campaign(), code="yc-2025", starts_on=dt.date(2025, 10, 28), bureau=county.bureau
    )
    assert (clone.starts_on, clone.ends_on) == (dt.date(2025, 10, 28), dt.date(2026, 1, 28))
    monthly = list(clone.deadlines.filter(kind="monthly"))
    assert [(d.due_on, d.period, d.name) for d in monthly] == [
        (dt.date(2025, 11, 30), "2025-11", "11月工作进展情况"),
        (dt.date(2025, 12, 31), "2025-12", "12月工作进展情况"),
    ]
    assert clone.requirements.count() == template_campaign().requirements.count()
    assert clone.requirements.get(code="3.3.b").parent.code == "3.3"
    assert clone.bureau == county.bureau
    assert not clone.is_template
    assert clone.source == template_campaign()


def test_clone_by_days_shifts_every_date_alike(county):
    clone = campaign_clone(
        source=template_campaign(), code="spring", starts_on=dt.date(2025, 3, 1), bureau=county.bureau
    )
    delta = dt.date(2025, 3, 1) - dt.date(2024, 10, 28)
    assert clone.ends_on == dt.date(2025, 1, 28) + delta
    for src, new in zip(template_campaign().phases.all(), clone.phases.all(), strict=True):
        assert new.starts_on - src.starts_on == delta
        assert new.ends_on - src.ends_on == delta
    # Template phases untouched.
    assert template_campaign().phases.first().starts_on == dt.date(2024, 10, 28)


def test_clone_refuses_a_used_code(county):
    with pytest.raises(DomainError, match="已被使用"):
        campaign_clone(
            source=template_campaign(), code="yc-2024-100d", starts_on=dt.date(2025, 10, 28), bureau=county.bureau
        )


def test_clone_command(county):
    call_command(
        "campaign_clone", "yc-2024-100d", "yc-2026", "--starts-on", "2026-10-28", "--bureau", "阳城县应急管理局"
    )
    assert Campaign.objects.get(code="yc-2026").ends_on == dt.date(2027, 1, 28)
    assert Campaign.objects.get(code="yc-2026").document_no == ""  # a new notice has its own 文号
    call_command(
        "campaign_clone",
        "yc-2024-100d",
        "yc-2027",
        "--starts-on",
        "2027-10-28",
        "--bureau",
        "阳城县应急管理局",
        "--document-no",
        "阳应急发〔2027〕1号",
    )
    assert Campaign.objects.get(code="yc-2027").document_no == "阳应急发〔2027〕1号"
    with pytest.raises(CommandError, match="格式"):
        call_command("campaign_clone", "yc-2024-100d", "x", "--starts-on", "28/10", "--bureau", "阳城县应急管理局")


@pytest.mark.parametrize(
    "today", [dt.date(2026, 11, 28), dt.date(2027, 1, 10), dt.date(2026, 6, 15), dt.date(2028, 2, 29)]
)
def test_start_date_for_phase_today_puts_today_in_enforcement(county, today):
    template = template_campaign()
    starts_on = start_date_for_phase_today(source=template, phase_code="enforcement", today=today)
    clone = campaign_clone(source=template, code=f"t{today:%Y%m%d}", starts_on=starts_on, bureau=county.bureau)
    assert clone.phase_on(today).code == "enforcement"


def test_campaign_visibility(county):
    mine_campaign = running_campaign(bureau=county.bureau)
    other = running_campaign(bureau=county.other_bureau)
    assert list(Campaign.objects.visible_to(county.mine1_officer)) == [mine_campaign]
    inspector_sees = set(Campaign.objects.visible_to(county.inspector))
    assert mine_campaign in inspector_sees
    assert template_campaign() in inspector_sees
    assert other not in inspector_sees


def test_campaign_api(api_client, county):
    campaign = running_campaign(bureau=county.bureau)
    api_client.force_authenticate(county.mine1_officer)
    with time_machine.travel(dt.datetime(2024, 12, 1, 4, tzinfo=dt.UTC), tick=False):
        data = api_client.get("/api/v1/campaigns/").json()
    assert data["count"] == 1
    c = data["results"][0]
    assert c["id"] == campaign.pk
    assert len(c["phases"]) == 4
    assert len(c["deadlines"]) == 5
    assert c["current_phase"]["code"] == "enforcement"
    assert c["deadlines"][0]["due_at"] == "2024-10-31T23:59:59+08:00"
    reqs = api_client.get(f"/api/v1/campaigns/{campaign.pk}/requirements/", {"page_size": 200}).json()
    assert reqs["count"] == len(reqs["results"]) == campaign.requirements.count()


def test_campaign_pages(client, county):
    campaign = running_campaign(bureau=county.bureau)
    other = running_campaign(bureau=county.other_bureau)
    client.force_login(county.mine1_officer)
    html = client.get(f"/campaigns/{campaign.pk}/").content.decode()
    assert "部门精准执法阶段" in html
    assert "3.3.b" in html
    assert "不超过10小时" in html
    assert client.get(f"/campaigns/{other.pk}/").status_code == 404
    assert campaign.name in client.get("/campaigns/").content.decode()


def test_the_campaign_list_says_which_campaigns_run(client, county):
    """未开始 / 进行中 / 已结束, from the dates and today (Asia/Shanghai); a template is not run."""
    past, now, future = (
        campaign_clone(
            source=template_campaign(),
            code=f"c{year}",
            starts_on=dt.date(year, 10, 28),
            bureau=county.bureau,
            name=f"{year}年百日专项整治",
        )
        for year in (2023, 2024, 2025)
    )
    client.force_login(county.inspector)
    with time_machine.travel(dt.datetime(2024, 12, 1, 10, tzinfo=dt.UTC), tick=False):
        assert [c.state_on(dt.date(2024, 12, 1)) for c in (past, now, future)] == ["ended", "running", "not_started"]
        html = client.get("/campaigns/").content.decode()
    assert "<th>状态</th>" in html
    rows = {c.name: html[html.index(f">{c.name}<") :].split("</tr>")[0] for c in (past, now, future)}
    assert "已结束" in rows[past.name] and "进行中" in rows[now.name] and "未开始" in rows[future.name]
    template = template_campaign()
    assert f">{template.name}<" in html
    assert not any(
        label in html[html.index(f">{template.name}<") :].split("</tr>")[0] for label in ("进行中", "已结束")
    )
