"""The bureau's own campaign items (4.2.a–c, 4.3.c 停产整顿, 4.3.d 一案双查): mines do not owe them; the bureau's page
shows them as its records show them (an inspection, an issued order, an accountability record move the figures);
nobody types them; the page keeps its queries at two data sizes."""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from campaign.models import Requirement
from campaign.progress import applies_to, progress_tree, progress_update
from core.errors import NotPermitted
from enforcement.selectors.bureau_items import bureau_items
from hazards.services import hazard_accountability_record
from hazards.services.inspections import inspection_create
from tests.factories import MineFactory, UserFactory, running_campaign

from .penalty_helpers import setup_bureau
from .suspension_helpers import active_suspension, issue_order, open_major

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
BUREAU_ITEMS = ("4.2.a", "4.2.b", "4.2.c", "4.3.c", "4.3.d")


@pytest.fixture
def campaign(county):
    # started 35 days ago: today falls in the enforcement phase (it starts on the campaign's 30th day)
    return running_campaign(bureau=county.bureau, starts_on=TODAY - dt.timedelta(days=35))


@pytest.fixture
def officers(county):
    return setup_bureau(county.bureau, county.inspector)[0]


def _items(county, campaign):
    return {row.code: row for row in bureau_items(user=county.inspector, campaign=campaign, today=TODAY)}


def _item(campaign, code):
    return Requirement.objects.get(campaign=campaign, code=code)


# ---------------------------------------------------------------- who owes them


def test_the_bureau_owes_its_items_and_mines_do_not(county, campaign):
    for code in BUREAU_ITEMS:
        item = _item(campaign, code)
        assert item.performed_by == "bureau", code
        assert item.evidence, code
        assert applies_to(item, county.bureau)
        assert not applies_to(item, county.mine1)
        assert not applies_to(item, county.ent1)
    # the rest of 4.3 stays the enterprises' and mines'
    assert _item(campaign, "4.3.a").performed_by == "organizations"


def test_a_mines_tree_does_not_count_the_bureaus_items(county, campaign):
    tree = progress_tree(campaign=campaign, organization=county.mine1)
    section = next(s for s in tree["sections"] if s["requirement"].code == "4")
    items = {i["requirement"].code: i for m in section["measures"] for i in m["items"]}
    assert not any(items[code]["applicable"] for code in BUREAU_ITEMS)
    # 4.1.a–d, 4.3.a, 4.3.b: six items the mine owes in section 四, no more
    assert section["applicable"] == 6


def test_nobody_types_the_bureaus_items(county, campaign):
    with pytest.raises(NotPermitted):
        progress_update(
            actor=county.mine1_officer, organization=county.mine1, requirement=_item(campaign, "4.3.c"), status="done"
        )
    with pytest.raises(NotPermitted):
        progress_update(
            actor=county.inspector, organization=county.bureau, requirement=_item(campaign, "4.3.d"), status="done"
        )


def test_the_data_migration_gives_existing_campaigns_items_to_the_bureau(county, campaign):
    Requirement.objects.filter(campaign=campaign, code__in=["4.3.c", "4.3.d"]).update(
        performed_by="organizations", evidence=""
    )
    Requirement.objects.filter(campaign=campaign, code__in=["4.2.a", "4.2.b"]).update(evidence="")
    migration = importlib.import_module("campaign.migrations.0011_bureau_owes_its_own_items")
    migration.forwards(apps, None)
    assert {c: (_item(campaign, c).performed_by, _item(campaign, c).evidence) for c in BUREAU_ITEMS} == {
        "4.2.a": ("bureau", "bureau_inspections"),
        "4.2.b": ("bureau", "major_hazard_listing"),
        "4.2.c": ("bureau", "typical_case_bulletins"),
        "4.3.c": ("bureau", "suspension_orders"),
        "4.3.d": ("bureau", "dual_accountability"),
    }
    migration.backwards(apps, None)
    assert _item(campaign, "4.3.c").performed_by == "organizations"
    assert _item(campaign, "4.2.a").performed_by == "bureau"  # the bureau's before, the bureau's still


# ---------------------------------------------------------------- the figures follow the records


def test_an_unannounced_inspection_moves_4_2_a(county, campaign):
    before = _items(county, campaign)["4.2.a"]
    assert (before.done, before.owed, before.met) == (0, 3, False)
    inspection_create(actor=county.inspector, mine=county.mine1, inspected_on=TODAY, mode="four_no_two_direct")
    # 体检式精查 is not one of the notice's modes for 4.2.a
    inspection_create(actor=county.inspector, mine=county.mine2, inspected_on=TODAY, mode="physical")
    after = _items(county, campaign)["4.2.a"]
    assert (after.done, after.owed, after.met) == (1, 3, False)
    assert dict(after.details)["四不两直"] == 1
    assert "检查 1 次，覆盖 1/3 处煤矿" in after.summary
    for mine in (county.mine2, county.mine3):
        inspection_create(actor=county.inspector, mine=mine, inspected_on=TODAY, mode="cross")
    assert _items(county, campaign)["4.2.a"].met


def test_a_suspension_with_its_order_issued_moves_4_3_c(county, campaign, major_fields, officers):
    assert _items(county, campaign)["4.3.c"].owed == 0
    open_major(county, major_fields)
    before = _items(county, campaign)["4.3.c"]
    assert (before.done, before.owed, before.met) == (0, 1, False)
    assert before.missing == [county.mine1.name]
    issue_order(officers, active_suspension(county.mine1))
    after = _items(county, campaign)["4.3.c"]
    assert (after.done, after.owed, after.met, after.missing) == (1, 1, True, [])


def test_an_accountability_record_moves_4_3_d(county, campaign, major_fields):
    hazard = open_major(county, major_fields)
    assert hazard.campaign_id == campaign.pk
    before = _items(county, campaign)["4.3.d"]
    assert (before.done, before.owed, before.met) == (0, 1, False)
    hazard_accountability_record(
        actor=county.inspector,
        hazard=hazard,
        enterprise_responsibility="矿长未落实隐患排查责任。",
        supervision_responsibility="监管专员按计划开展检查，未发现失职。",
        outcome="对矿长罚款。",
    )
    after = _items(county, campaign)["4.3.d"]
    assert (after.done, after.owed, after.met, after.missing) == (1, 1, True, [])


def test_the_figures_stay_within_the_users_county(county, campaign, major_fields):
    other = running_campaign(bureau=county.other_bureau, starts_on=TODAY - dt.timedelta(days=35))
    inspection_create(actor=county.inspector, mine=county.mine1, inspected_on=TODAY, mode="covert")
    open_major(county, major_fields)
    rows = {r.code: r for r in bureau_items(user=county.other_inspector, campaign=other, today=TODAY)}
    assert rows["4.2.a"].done == 0 and rows["4.2.a"].owed == 1
    assert rows["4.3.c"].owed == 0 and rows["4.3.d"].owed == 0


# ---------------------------------------------------------------- the page


def test_the_page_is_the_bureaus(client, county, campaign, major_fields):
    open_major(county, major_fields)
    url = reverse("bureau_items", args=[campaign.pk])
    client.force_login(county.inspector)
    page = client.get(url).content.decode()
    for code in BUREAU_ITEMS:
        assert f'data-item="{code}"' in page
    assert "存在未销号重大隐患的煤矿 1 处，已下达责令停产整顿指令书 0 处" in page
    assert county.mine1.name in page
    client.force_login(county.mine1_officer)
    assert client.get(url).status_code == 403
    client.force_login(county.other_inspector)
    assert client.get(url).status_code == 404
    # the bureau's progress page points to the figures instead of offering to type them
    client.force_login(county.inspector)
    progress = client.get(reverse("progress", args=[campaign.pk])).content.decode()
    assert url in progress
    assert reverse("progress_edit", args=[campaign.pk, _item(campaign, "4.3.c").pk]) not in progress


def _records(county, officers, major_fields, n):
    """n mines, each inspected, with a major hazard, its order issued and its 一案双查 recorded."""
    for _ in range(n):
        mine = MineFactory(name=f"测试煤矿{MineFactory._meta.model.objects.count()}", parent=county.ent1)
        officer = UserFactory(role="mine_officer", organization=mine)
        inspection_create(actor=county.inspector, mine=mine, inspected_on=TODAY, mode="four_no_two_direct")
        hazard = open_major(county, major_fields, mine=mine, actor=officer)
        issue_order(officers, active_suspension(mine))
        hazard_accountability_record(
            actor=county.inspector,
            hazard=hazard,
            enterprise_responsibility="未落实隐患排查责任。",
            supervision_responsibility="未发现失职。",
            outcome="罚款。",
        )


def test_the_page_keeps_its_queries_at_two_sizes(client, county, campaign, major_fields, officers):
    _records(county, officers, major_fields, 1)
    client.force_login(county.inspector)
    url = reverse("bureau_items", args=[campaign.pk])

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few = count()
    _records(county, officers, major_fields, 4)
    assert count() == few
    rows = _items(county, campaign)
    assert (rows["4.3.c"].done, rows["4.3.d"].done, rows["4.2.a"].done) == (5, 5, 5)
