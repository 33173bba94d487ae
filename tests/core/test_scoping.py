"""The visibility rule is one resolver: the SQL filter and the check in Python give the same answer.

On a generated county (three bureaus of different shapes, their enterprises and mines, rows in every scoped model),
for every kind of user and every row: `row in Model.objects.visible_to(user)` == `scope_of(user).allows(row)`.
"""

import datetime as dt
import random

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser

from accounts.models import Mine, MineSupervisor, Organization, Role
from campaign.models import RequirementProgress
from core.scoping import ScopedQuerySet, scope_key, scope_of
from hazards.models import ExamResult, Hazard, Inspection
from reporting.models import Submission
from tests.factories import (
    BureauFactory,
    EnterpriseFactory,
    HazardFactory,
    MineFactory,
    UserFactory,
    ViolationFactory,
    template_campaign,
)
from violations.models import Bulletin, Violation
from workforce.models import Person, WorkUnit

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()

#: the models the test must find rows in (others that are scoped are checked too when they have rows)
REQUIRED = {Hazard, Violation, Inspection, ExamResult, Submission, RequirementProgress, Person, WorkUnit}
REQUIRED |= {Organization, Mine, MineSupervisor}


def generate_county(seed=17):
    """Three bureaus; each 1–3 enterprises of 1–3 mines; in every mine a hazard, a 三违, an inspection with an
    exam, a roster entry, a team and its 监管专员; a submission and a task progress for every mine and enterprise."""
    rnd = random.Random(seed)
    campaign = template_campaign()
    deadline = campaign.deadlines.order_by("pk").first()
    requirement = campaign.requirements.order_by("pk").first()
    world = {"bureaus": [], "enterprises": [], "mines": []}
    for b in range(3):
        bureau = BureauFactory(name=f"生成县{b}应急管理局")
        world["bureaus"].append(bureau)
        supervisor = UserFactory(username=f"supervisor{b}", role=Role.INSPECTOR, organization=bureau)
        Bulletin.objects.create(bureau=bureau, period="2024-11", title=f"通报{b}", body="正文", status="published")
        Bulletin.objects.create(bureau=bureau, period="2024-12", title=f"草稿{b}", body="正文", status="draft")
        for e in range(rnd.randint(1, 3)):
            enterprise = EnterpriseFactory(name=f"生成集团{b}-{e}", parent=bureau)
            world["enterprises"].append(enterprise)
            owners = [enterprise]
            for m in range(rnd.randint(1, 3)):
                mine = MineFactory(name=f"生成煤矿{b}-{e}-{m}", parent=enterprise)
                world["mines"].append(mine)
                owners.append(mine)
                HazardFactory(mine=mine)
                ViolationFactory(mine=mine)
                MineSupervisor.objects.create(mine=mine, supervisor=supervisor)
                inspection = Inspection.objects.create(mine=mine, inspected_on=TODAY, mode="open")
                ExamResult.objects.create(inspection=inspection, person_name="考生", post="电工", score=90, passed=True)
                Person.objects.create(mine=mine, name=f"职工{b}{e}{m}")
                WorkUnit.objects.create(mine=mine, kind="team", name="综采一队")
            for owner in owners:
                Submission.objects.create(organization=owner, deadline=deadline)
                RequirementProgress.objects.create(organization=owner, requirement=requirement)
    return world


def generate_users(world):
    """Every kind of user the rule knows, the officers of every unit, and the odd cases."""
    users = {"anonymous": AnonymousUser()}
    users["operator"] = UserFactory(username="operator", role=Role.ADMIN, organization=None, is_superuser=True)
    users["orgless"] = UserFactory(username="orgless", role=Role.INSPECTOR, organization=None)
    users["inactive"] = UserFactory(username="inactive", organization=world["mines"][0], is_active=False)
    users["superuser_of_a_mine"] = UserFactory(username="su_mine", organization=world["mines"][-1], is_superuser=True)
    for i, bureau in enumerate(world["bureaus"]):
        users[f"inspector{i}"] = UserFactory(username=f"inspector{i}", role=Role.INSPECTOR, organization=bureau)
        users[f"leader{i}"] = UserFactory(username=f"leader{i}", role=Role.LEADER, organization=bureau)
    for i, enterprise in enumerate(world["enterprises"]):
        users[f"ent{i}"] = UserFactory(username=f"ent{i}", role=Role.ENTERPRISE_OFFICER, organization=enterprise)
    for i, mine in enumerate(world["mines"]):
        users[f"mine{i}"] = UserFactory(username=f"mine{i}", role=Role.MINE_OFFICER, organization=mine)
    return users


def scoped_models():
    return [m for m in apps.get_models() if isinstance(m._default_manager.all(), ScopedQuerySet)]


def test_the_sql_filter_and_the_python_check_agree_for_every_user_and_row():
    world = generate_county()
    users = generate_users(world)
    rows = {model: list(model._default_manager.all()) for model in scoped_models()}
    rows = {model: found for model, found in rows.items() if found}
    assert set(rows) >= REQUIRED, f"no rows generated for {REQUIRED - set(rows)}"
    total = sum(len(found) for found in rows.values())

    for name, user in users.items():
        scope = scope_of(user)
        seen = 0
        for model, found in rows.items():
            in_sql = set(model._default_manager.visible_to(user).values_list("pk", flat=True))
            for row in found:
                assert (row.pk in in_sql) == scope.allows(row), f"{name}: {model.__name__} {row.pk}"
            seen += len(in_sql)
        # The comparison above would also hold for a rule that hid or showed everything: it must do neither.
        if name == "operator":
            assert seen == total
        elif name in ("anonymous", "orgless", "inactive"):
            assert seen == 0, name
        else:
            assert 0 < seen < total, name
            assert scope.allows(user.organization)  # a user always sees its own unit


def test_enterprises_see_their_own_rows_and_their_mines_rows_but_not_their_siblings():
    world = generate_county()
    enterprise = next(e for e in world["enterprises"] if e.children.count() >= 1)
    user = UserFactory(username="ent", role=Role.ENTERPRISE_OFFICER, organization=enterprise)
    own_mines = set(enterprise.children.values_list("pk", flat=True))
    assert set(Mine.objects.visible_to(user).values_list("pk", flat=True)) == own_mines
    owners = set(Submission.objects.visible_to(user).values_list("organization_id", flat=True))
    assert owners == own_mines | {enterprise.pk}
    assert set(Hazard.objects.visible_to(user).values_list("mine_id", flat=True)) == own_mines


def test_the_bureau_rule_agrees_too():
    """Bulletins, campaigns and anonymous reports belong to a bureau: `bureau_q` and `allows_bureau` agree."""
    world = generate_county()
    users = generate_users(world)
    bulletins = list(Bulletin.objects.all())
    for name, user in users.items():
        scope = scope_of(user)
        in_sql = set(Bulletin.objects.filter(scope.bureau_q("bureau")).values_list("pk", flat=True))
        assert {b.pk for b in bulletins if scope.allows_bureau(b.bureau_id)} == in_sql, name
        visible = Bulletin.objects.visible_to(user)
        assert set(visible.values_list("pk", flat=True)) <= in_sql
        if user.is_authenticated and user.is_active and not user.is_superuser and user.organization_id:
            assert visible.filter(status="draft").exists() == user.is_bureau_user, name


def test_the_scope_is_computed_once_and_checks_need_no_query(django_assert_num_queries):
    world = generate_county()
    users = generate_users(world)
    officer = users["ent0"]
    mines = list(Mine.objects.all())
    with django_assert_num_queries(0):
        scope = scope_of(officer)
        assert scope_of(officer) is scope
        answers = [scope.allows_mine(m) for m in mines]
    assert any(answers) and not all(answers)
    # The cache follows the user: moved to another unit, it sees from there.
    officer.organization = world["enterprises"][-1]
    assert scope_of(officer) != scope


def test_the_dashboard_cache_key_comes_from_the_resolver():
    world = generate_county()
    users = generate_users(world)
    for user in users.values():
        assert scope_key(user) == scope_of(user).key
    assert scope_key(users["inspector0"]) == scope_key(users["leader0"]) != scope_key(users["inspector1"])
    assert scope_key(users["orgless"]) == scope_key(users["anonymous"]) == scope_key(users["inactive"]) == "none"
    assert scope_key(users["operator"]) == "all"
