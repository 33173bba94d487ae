"""Two campaigns at once (issue 21, item 4): the 2024 百日行动 over the whole county and a shorter 冬季“三防” over
东峰煤矿 only. Records, progress, deadlines, notices, charts and pages of one never show in the other; pages keep
the same number of queries with one campaign or three."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaign.membership import campaign_of_record, campaigns_of, records_in, takes_part, units_of
from campaign.models import (
    Campaign,
    CampaignStatus,
    Deadline,
    DeadlineKind,
    RecordEvidence,
    Requirement,
    RequirementProgress,
)
from dashboards.charts import charts
from hazards.models import Hazard
from notifications.models import Notification
from reporting.sweeps import sweep_submissions
from violations import services as violation_services

from ..factories import HazardFactory, running_campaign

WINTER_START, WINTER_END = dt.date(2024, 12, 1), dt.date(2024, 12, 31)
ON_DEC_20 = dt.datetime(2024, 12, 20, 2, tzinfo=dt.UTC)  # 10:00 in the county


def winter_campaign(county, *, code="winter-2024", mines=None, starts_on=WINTER_START, ends_on=WINTER_END):
    """冬季“三防”专项检查 over the given mines (东峰 by default): one section, one measure, a self-declared item and
    one the 三违 ledger proves, and a 自查清单 owed by mines and enterprises on the 10th."""
    campaign = Campaign.objects.create(
        code=code,
        name=f"冬季“三防”专项检查（{code}）",
        document_no="阳应急发〔2024〕301号",
        bureau=county.bureau,
        starts_on=starts_on,
        ends_on=ends_on,
        status=CampaignStatus.PUBLISHED,
        covers_all_units=False,
    )
    campaign.participants.set(mines if mines is not None else [county.mine1])
    section = Requirement.objects.create(campaign=campaign, level="section", code="1", name="防冻防滑防火", order=1)
    measure = Requirement.objects.create(
        campaign=campaign, level="measure", code="1.1", name="冬季安全检查", parent=section, order=2
    )
    Requirement.objects.create(
        campaign=campaign, level="item", code="1.1.a", name="排查井口防冻设施", parent=measure, order=3
    )
    Requirement.objects.create(
        campaign=campaign,
        level="item",
        code="1.1.b",
        name="每起“三违”三项倒查",
        parent=measure,
        order=4,
        evidence=RecordEvidence.VIOLATION_BACKTRACKS,
    )
    Deadline.objects.create(
        campaign=campaign,
        code="self-check",
        kind=DeadlineKind.SELF_CHECK,
        name="冬季“三防”自查清单",
        due_on=starts_on + dt.timedelta(days=9),
        owed_by_mines=True,
        owed_by_enterprises=True,
    )
    return campaign


@pytest.fixture
def two(county):
    hundred_days = running_campaign(bureau=county.bureau)  # 2024-10-28 → 2025-02-04, the whole county
    return hundred_days, winter_campaign(county)


def test_who_takes_part(county, two):
    hundred_days, winter = two
    assert {o.pk for o in units_of(winter)} == {county.mine1.pk, county.ent1.pk}  # the mine brings its enterprise
    assert takes_part(winter, county.mine1) and takes_part(winter, county.ent1)
    assert not takes_part(winter, county.mine2) and not takes_part(winter, county.mine3)
    assert not takes_part(winter, county.other_mine)
    assert takes_part(hundred_days, county.mine3)
    # A record of 东峰 in December belongs to both; the older campaign's rules judge it.
    assert [c.pk for c in campaigns_of(unit=county.mine1, day=dt.date(2024, 12, 5))] == [hundred_days.pk, winter.pk]
    assert campaign_of_record(unit=county.mine1, day=dt.date(2024, 12, 5)) == hundred_days
    assert [c.pk for c in campaigns_of(unit=county.mine2, day=dt.date(2024, 12, 5))] == [hundred_days.pk]
    # Naming the enterprise brings all its mines in.
    winter.participants.set([county.ent1])
    winter = Campaign.objects.get(pk=winter.pk)
    assert takes_part(winter, county.mine2) and not takes_part(winter, county.mine3)


def test_records_belong_to_the_campaigns_whose_units_and_dates_they_fall_in(county, two):
    hundred_days, winter = two
    both = HazardFactory(mine=county.mine1, found_on=dt.date(2024, 12, 5))
    before_winter = HazardFactory(mine=county.mine1, found_on=dt.date(2024, 11, 15))
    other_mine = HazardFactory(mine=county.mine2, found_on=dt.date(2024, 12, 5))
    in_winter = set(records_in(winter, Hazard.objects.all(), date_field="found_on"))
    in_hundred = set(records_in(hundred_days, Hazard.objects.all(), date_field="found_on"))
    assert in_winter == {both}
    assert in_hundred == {both, before_winter, other_mine}


def test_a_record_fills_the_progress_of_every_campaign_it_belongs_to_and_no_other(county, two):
    hundred_days, winter = two
    with time_machine.travel(ON_DEC_20, tick=False):
        for mine, officer in ((county.mine1, county.mine1_officer), (county.mine2, county.mine2_officer)):
            violation_services.violation_create(
                actor=officer,
                mine=mine,
                occurred_on=dt.date(2024, 12, 5),
                location="2401",
                person_name="孙伟",
                type="operation",
                description="未执行敲帮问顶",
            )

    def backtracks(campaign, mine):
        return RequirementProgress.objects.filter(
            organization=mine, requirement__campaign=campaign, requirement__evidence=RecordEvidence.VIOLATION_BACKTRACKS
        )

    assert backtracks(hundred_days, county.mine1).get().status == "in_progress"
    assert backtracks(winter, county.mine1).get().status == "in_progress"
    assert backtracks(hundred_days, county.mine2).get().status == "in_progress"
    assert not backtracks(winter, county.mine2).exists()  # 西岭 does not take part in the winter campaign


def test_deadlines_and_their_reminders_stay_with_the_units_taking_part(county, two, client):
    hundred_days, winter = two
    deadline = winter.deadlines.get()
    assert deadline.is_owed_by(county.mine1) and deadline.is_owed_by(county.ent1)
    assert not deadline.is_owed_by(county.mine2) and not deadline.is_owed_by(county.ent2)
    # The reminder 3 days before goes to 东峰 and 晋阳 only.
    sweep_submissions(today=deadline.due_on - dt.timedelta(days=3))
    told = set(
        Notification.objects.filter(key__endswith=f":{deadline.pk}:{county.mine1.pk}").values_list(
            "recipient__username", flat=True
        )
    )
    assert told == {"mine1"}
    reminded = set(
        Notification.objects.filter(topic="submission_reminder", key__contains=f":{deadline.pk}:").values_list(
            "recipient__username", flat=True
        )
    )
    assert reminded == {"mine1", "ent1"}
    # 西岭 cannot even open it: the winter campaign's deadline is not one it sees.
    client.force_login(county.mine2_officer)
    assert client.get(reverse("submission_open", args=[deadline.pk])).status_code == 404
    assert client.post(reverse("submission_open", args=[deadline.pk])).status_code == 404
    client.force_login(county.mine1_officer)
    assert client.post(reverse("submission_open", args=[deadline.pk])).status_code == 302


def test_charts_of_each_campaign_count_only_its_units_and_days(county, two):
    hundred_days, winter = two
    HazardFactory(mine=county.mine1, found_on=dt.date(2024, 12, 5))
    HazardFactory(mine=county.mine2, found_on=dt.date(2024, 12, 6))
    HazardFactory(mine=county.mine1, found_on=dt.date(2024, 11, 6))
    today = dt.date(2024, 12, 20)
    with time_machine.travel(ON_DEC_20, tick=False):
        winter_charts = charts(user=county.inspector, campaign=winter, today=today)
        hundred_charts = charts(user=county.inspector, campaign=hundred_days, today=today)
    assert winter_charts["hazards_weekly"]["found"][-1] == 1
    assert hundred_charts["hazards_weekly"]["found"][-1] == 3
    assert [row["mine"] for row in winter_charts["four_no"]] == ["东峰煤矿"]
    assert {row["mine"] for row in hundred_charts["four_no"]} == {"东峰煤矿", "西岭煤矿", "北坡煤矿"}
    [self_check] = winter_charts["on_time"]
    assert self_check["owed"] == 2  # 东峰 and 晋阳, not the county's 3 mines and 2 enterprises
    assert [row["enterprise"] for row in winter_charts["by_enterprise"]] == ["晋阳煤业集团"]


def test_a_mine_in_both_sees_both_and_a_mine_in_one_sees_one(county, two, client):
    hundred_days, winter = two
    with time_machine.travel(ON_DEC_20, tick=False):
        client.force_login(county.mine1_officer)
        home = client.get("/").content.decode()
        assert hundred_days.name in home and winter.name in home  # the switcher
        charts_page = client.get(reverse("dashboard_charts"), {"campaign": winter.pk})
        assert charts_page.status_code == 200 and winter.name in charts_page.content.decode()
        data = client.get(reverse("dashboard_data"), {"campaign": winter.pk}).json()
        assert [row["mine"] for row in data["four_no"]] == ["东峰煤矿"]
        assert client.get(reverse("campaign_detail", args=[winter.pk])).status_code == 200

        client.force_login(county.mine2_officer)
        home = client.get("/").content.decode()
        assert hundred_days.name in home and winter.name not in home
        assert client.get(reverse("dashboard_charts"), {"campaign": winter.pk}).status_code == 404
        assert client.get(reverse("dashboard_data"), {"campaign": winter.pk}).status_code == 404
        assert client.get(reverse("dashboard"), {"campaign": winter.pk}).status_code == 404
        assert client.get(reverse("campaign_detail", args=[winter.pk])).status_code == 404
        assert winter.name not in client.get(reverse("campaign_list")).content.decode()
        assert client.get(reverse("dashboard_charts"), {"campaign": "x"}).status_code == 404

        # The bureau sees both and switches between them; the matrix lists the units of the one shown.
        client.force_login(county.inspector)
        matrix = client.get(reverse("submission_matrix"), {"campaign": winter.pk}).content.decode()
        assert "东峰煤矿" in matrix and "西岭煤矿" not in matrix and "北坡煤矿" not in matrix
        matrix = client.get(reverse("submission_matrix")).content.decode()
        assert "西岭煤矿" in matrix and "北坡煤矿" in matrix


def _count(client, url, **params):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params).status_code == 200
    return len(queries)


def test_pages_take_as_many_queries_with_three_campaigns_as_with_one(county, client, settings):
    settings.DASHBOARD_CACHE_SECONDS = 0
    hundred_days = running_campaign(bureau=county.bureau)
    pages = (
        (county.inspector, "/"),
        (county.inspector, reverse("dashboard")),
        (county.inspector, reverse("dashboard_data")),
        (county.inspector, reverse("dashboard_charts")),
        (county.inspector, reverse("submission_matrix")),
        (county.mine1_officer, "/"),
        (county.mine1_officer, reverse("dashboard_data")),
        (county.ent1_officer, "/"),
    )

    def counts():
        found = []
        with time_machine.travel(ON_DEC_20, tick=False):
            for user, url in pages:
                client.force_login(user)
                found.append(_count(client, url))
        return found

    with_one = counts()
    winter = winter_campaign(county)
    winter_ent = winter_campaign(county, code="winter-ent", mines=[county.ent1])
    with_three = counts()
    units_homes = {5, 7}  # a unit's home lists the other campaigns' deadlines it owes: three queries, once
    assert [n for i, n in enumerate(with_three) if i not in units_homes] == [
        n for i, n in enumerate(with_one) if i not in units_homes
    ]
    assert all(with_three[i] - with_one[i] <= 3 for i in units_homes)
    winter_campaign(county, code="winter-more", mines=[county.mine1, county.ent2])
    assert counts() == with_three
    # A chosen campaign naming its units costs no query per unit: one mine, or an enterprise with two.
    for extra in range(5):
        HazardFactory(mine=county.mine2, found_on=dt.date(2024, 12, 3 + extra))
    with time_machine.travel(ON_DEC_20, tick=False):
        client.force_login(county.inspector)
        for name in ("dashboard", "dashboard_data", "dashboard_charts", "submission_matrix"):
            assert _count(client, reverse(name), campaign=winter.pk) == _count(
                client, reverse(name), campaign=winter_ent.pk
            ), name
    assert hundred_days.pk
