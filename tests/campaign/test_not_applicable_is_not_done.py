"""不适用 (not applicable) is not done: an item declared not applicable leaves the count altogether — it is neither
done nor owed — in every completion figure (the unit's own tree, the bureau's overview, the leadership chart, the
monthly report's pre-filled figures). One rule in campaign.progress; each figure is checked here."""

import datetime as dt

import pytest

from campaign.progress import completion, progress_tree, progress_update
from dashboards.charts import progress_by_section
from reporting.figures import ledger_figures
from tests.factories import running_campaign

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(county):
    return running_campaign(bureau=county.bureau)


def item(campaign, code):
    return campaign.requirements.get(code=code)


def declare(county, campaign, code, status, mine=None):
    mine = mine or county.mine1
    officer = county.mine1_officer if mine == county.mine1 else county.mine2_officer
    reason = "本矿不涉及" if status == "not_applicable" else ""
    progress_update(actor=officer, organization=mine, requirement=item(campaign, code), status=status, reason=reason)


def test_the_rule_leaves_not_applicable_items_out_of_both_sides():
    assert completion(owed=4, done=1, not_applicable=0) == {"owed": 4, "done": 1, "percent": 25}
    assert completion(owed=4, done=1, not_applicable=2) == {"owed": 2, "done": 1, "percent": 50}
    assert completion(owed=3, done=0, not_applicable=3) == {"owed": 0, "done": 0, "percent": None}
    assert completion(owed=0, done=0, not_applicable=0)["percent"] is None


def test_the_units_own_tree_does_not_count_not_applicable_as_done(county, campaign):
    section1 = progress_tree(campaign=campaign, organization=county.mine1)["sections"][0]
    owed = section1["applicable"]
    declare(county, campaign, "1.2.a", "not_applicable")
    declare(county, campaign, "1.2.b", "done")
    tree = progress_tree(campaign=campaign, organization=county.mine1)
    section1 = tree["sections"][0]
    assert section1["finished"] == 1  # 1.2.b only
    assert section1["not_applicable"] == 1
    assert section1["counted"] == owed - 1
    assert section1["percent"] == round(100 / (owed - 1))
    total = sum(s["counted"] for s in tree["sections"])
    assert tree["percent"] == round(100 / total)


def test_a_unit_with_only_not_applicable_items_is_not_complete(county, campaign):
    declare(county, campaign, "1.2.a", "not_applicable")
    tree = progress_tree(campaign=campaign, organization=county.mine1)
    assert tree["percent"] == 0


def test_the_leadership_chart_does_not_count_not_applicable_as_done(county, campaign):
    before = progress_by_section(county.inspector, campaign)[0]
    declare(county, campaign, "1.2.a", "not_applicable")
    declare(county, campaign, "1.2.b", "done")
    declare(county, campaign, "1.2.b", "not_applicable", mine=county.mine2)
    row = progress_by_section(county.inspector, campaign)[0]
    assert row["finished"] == 1
    assert row["owed"] == before["owed"] - 2
    assert row["rate"] == round(100 / row["owed"], 1)


def test_the_overview_page_does_not_count_not_applicable_as_done(client, county, campaign):
    declare(county, campaign, "1.2.a", "not_applicable")
    declare(county, campaign, "1.2.a", "done", mine=county.mine2)
    client.force_login(county.inspector)
    response = client.get(f"/campaigns/{campaign.pk}/progress/overview/")
    row = next(r for r in response.context["rows"] if r["requirement"].code == "1.2.a")
    # 5 units owe it (2 enterprises, 3 mines); one says it does not apply, one is done: 1 of 4.
    assert (row["owing"], row["done"], row["not_applicable"]) == (5, 1, 1)
    assert row["percent"] == 25


def test_the_monthly_report_does_not_count_not_applicable_as_done(county, campaign):
    declare(county, campaign, "1.2.a", "not_applicable")
    declare(county, campaign, "1.2.b", "done")
    figures = ledger_figures(
        organization=county.mine1, start=dt.date(2024, 11, 1), end=dt.date(2024, 11, 30), today=dt.date(2024, 12, 1)
    )
    assert figures["tasks_done"] == 1
