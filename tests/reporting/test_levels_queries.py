"""The pages of reports between levels (issue 22 item 2) ask a fixed number of queries, whatever the number of counties
below the city or of reports the county owes it: the city's matrix and home page, the county's home page."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from campaign.models import Campaign, Deadline
from reporting import services as reporting
from tests.factories import BureauFactory, CityFactory, UserFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def build(counties, deadlines):
    """A city with `counties` counties below it (an inspector each) and a campaign owing it `deadlines` monthly
    reports; the first county has sent the first one."""
    k = f"{counties * 10 + deadlines:02d}"  # distinct 行政区划代码 per build
    city = CityFactory(name=f"测试市{k}", division_code=f"14{k}00")
    regulator = UserFactory(username=f"city{k}", role=Role.REGULATOR, organization=city)
    inspectors = []
    for n in range(counties):
        county = BureauFactory(name=f"测试县{k}-{n}", parent=city, division_code=f"14{k}{n + 1:02d}")
        inspectors.append(UserFactory(username=f"c{k}-{n}", role=Role.INSPECTOR, organization=county))
    campaign = Campaign.objects.create(
        code=f"city-{counties}-{deadlines}",
        name="全市专项整治",
        bureau=city,
        starts_on=TODAY - dt.timedelta(days=30),
        ends_on=TODAY + dt.timedelta(days=90),
    )
    made = Deadline.objects.bulk_create(
        Deadline(
            campaign=campaign,
            code=f"m{n}",
            kind="monthly",
            name=f"第{n + 1}次月报",
            period=f"{TODAY:%Y-%m}",
            due_on=TODAY + dt.timedelta(days=n),
            owed_by_mines=False,
            owed_by_enterprises=False,
            owed_by_bureau=True,
        )
        for n in range(deadlines)
    )
    sent = reporting.submission_open(actor=inspectors[0], deadline=made[0])
    reporting.submission_save(actor=inspectors[0], submission=sent, narrative={"done": "已开展"})
    reporting.submission_submit(actor=inspectors[0], submission=sent)
    return regulator, inspectors[0], campaign


def queries(client, user, url):
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_the_city_pages_do_not_grow_with_its_counties(client):
    small = build(2, 2)
    large = build(5, 2)
    for url in ("/", reverse("review_queue")):
        assert queries(client, small[0], url) == queries(client, large[0], url), url
    matrix = reverse("submission_matrix") + "?campaign={}"
    assert queries(client, small[0], matrix.format(small[2].pk)) == queries(
        client, large[0], matrix.format(large[2].pk)
    )


def test_the_county_home_does_not_grow_with_what_it_owes_the_city(client):
    small = build(2, 2)
    large = build(2, 6)
    assert queries(client, small[1], "/") == queries(client, large[1], "/")
