"""Printing a ledger prints the whole filtered ledger, not the 20 rows of the page on screen.

Each ledger list has a 打印 button that opens its print view: every row of the current filter (up to
core.views.PRINT_MAX_ROWS, with a message beyond), only rows the user may see, numbered (序号), on A4 landscape with
the header repeated on each page and the 填报人/审核人 lines below; its queries do not grow with the rows."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hazards.models import HazardListing, MajorHazardCategory
from tests.factories import HazardFactory, ViolationFactory
from workforce.models import Person, PositioningRecord

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def _hazard(mine, text, i):
    HazardFactory(mine=mine, location=f"{text}{i}")


def _violation(mine, text, i):
    ViolationFactory(mine=mine, person_name=f"{text}{i}", description=f"违章{text}{i}")


def _listing(mine, text, i):
    category = MajorHazardCategory.objects.filter(standard__is_current=True).first()
    hazard = HazardFactory(
        mine=mine, level="major", major_category=category, contingency_plan="x", location=f"{text}{i}"
    )
    HazardListing.objects.create(hazard=hazard, listed_on=TODAY, supervising_unit="县应急局", notice_text="挂牌")


def _person(mine, text, i):
    Person.objects.create(mine=mine, name=f"{text}{i}", employee_no=f"{mine.pk}-{i}", post="采煤机司机")


def _trip(mine, text, i):
    entered = timezone.now() - dt.timedelta(days=1, minutes=i)
    PositioningRecord.objects.create(
        mine=mine,
        person_name=f"{text}{i}",
        card_no=str(i),
        team="综采一队",
        entered_at=entered,
        exited_at=entered + dt.timedelta(hours=8),
        underground_minutes=480,
        fingerprint=f"{mine.pk}-{text}-{i}",
    )


# print view → (the list page it is printed from, how to make one row with a text the page shows)
PRINTS = {
    "hazard_print": ("hazard_list", _hazard),
    "violation_print": ("violation_list", _violation),
    "listed_hazard_print": ("listed_hazard_list", _listing),
    "person_print": ("person_list", _person),
    "positioning_print": ("positioning_list", _trip),
}


def rows_of(page):
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r"<tr>", body)


@pytest.mark.parametrize("name", PRINTS)
def test_the_print_view_has_every_row_of_the_users_ledger_numbered_and_signed(client, county, name):
    _, make = PRINTS[name]
    for i in range(45):
        make(county.mine1, "本矿", i)
    for i in range(3):
        make(county.mine2, "别矿", i)
    client.force_login(county.mine1_officer)
    response = client.get(reverse(name))
    assert response.status_code == 200
    page = response.content.decode()
    assert len(rows_of(page)) == 45 and page.count("本矿") >= 45  # all of them, not the 20 of a page
    assert "别矿" not in page  # another mine's rows are not the user's
    assert "共 45 条" in page and "<th>序号</th>" in page and ">45</td>" in page
    assert "填报人" in page and "审核人" in page
    assert "css/print.css" in page


def test_the_print_style_is_a4_landscape_with_the_header_on_every_page():
    css = (Path(__file__).resolve().parents[2] / "static" / "css" / "print.css").read_text(encoding="utf-8")
    assert re.search(r"@page\s*\{[^}]*size:\s*A4 landscape", css)
    assert re.search(r"thead\s*\{[^}]*display:\s*table-header-group", css)


@pytest.mark.parametrize("name", PRINTS)
def test_the_list_page_prints_with_its_filter(client, county, name):
    list_name, make = PRINTS[name]
    make(county.mine1, "本矿", 0)
    client.force_login(county.inspector)
    page = client.get(reverse(list_name), {"mine": county.mine1.pk}).content.decode()
    link = re.search(rf'href="{reverse(name)}(\?[^"]*)?"', page)
    assert link, f"{list_name} has no 打印 button for {name}"


def test_the_print_view_follows_the_filter(client, county):
    HazardFactory(mine=county.mine1, location="本矿一般")
    HazardFactory(mine=county.mine1, location="本矿重大", level="major", contingency_plan="x")
    HazardFactory(mine=county.mine2, location="二矿一般")
    client.force_login(county.inspector)
    page = client.get(reverse("hazard_print"), {"level": "major", "overdue": "false"}).content.decode()
    assert "本矿重大" in page and "本矿一般" not in page and "二矿一般" not in page
    assert "筛选条件：等级：重大；逾期：未逾期" in page  # the filter is said on the paper
    page = client.get(reverse("hazard_print"), {"mine": county.mine2.pk}).content.decode()
    assert "二矿一般" in page and "本矿" not in page
    assert f"筛选条件：煤矿：{county.mine2.name}" in page
    page = client.get(reverse("violation_print"), {"mine": county.other_mine.pk}).content.decode()
    assert "共 0 条" in page or "没有符合条件" in page  # another bureau's mine: nothing, not an error


def test_a_ledger_beyond_the_limit_prints_the_first_rows_and_says_so(client, county, monkeypatch):
    monkeypatch.setattr("core.views.PRINT_MAX_ROWS", 10)
    for i in range(12):
        HazardFactory(mine=county.mine1, location=f"本矿{i}")
    client.force_login(county.mine1_officer)
    page = client.get(reverse("hazard_print")).content.decode()
    assert len(rows_of(page)) == 10
    assert "超过 10 条" in page and "缩小" in page


@pytest.mark.parametrize("name", PRINTS)
def test_the_print_views_queries_do_not_grow_with_the_rows(client, county, name):
    _, make = PRINTS[name]
    client.force_login(county.ent1_officer)
    counts = []
    made = 0
    for size in (5, 40):
        for i in range(made, size):
            make(county.mine1 if i % 2 else county.mine2, "行", i)
        made = size
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse(name))
        assert response.status_code == 200 and len(rows_of(response.content.decode())) == size
        counts.append(len(queries))
    assert counts[0] == counts[1], f"{name}: {counts} queries for 5 and 40 rows"
    assert counts[1] <= 8, f"{name}: {counts[1]} queries"
