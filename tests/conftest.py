import datetime as dt
import re
from decimal import Decimal

import pytest

from accounts.models import Role

from .factories import BureauFactory, EnterpriseFactory, MineFactory, UserFactory

PASSWORD = "pw-Secret-123"

#: the test modules that read uploaded workbooks run under both readers (settings.EXCEL_READER): python-calamine, the
#: default, and openpyxl, the reader of before and the fallback for what calamine is not given (issue 24)
READS_WORKBOOKS = re.compile(r"import|task_list|redlines|test_export|test_excel_engines")


def pytest_generate_tests(metafunc):
    module = metafunc.module.__name__
    if READS_WORKBOOKS.search(module) and ".e2e." not in module and "excel_reader" not in metafunc.fixturenames:
        metafunc.fixturenames.append("excel_reader")
        metafunc.parametrize("excel_reader", ["calamine", "openpyxl"], indirect=True)


@pytest.fixture
def excel_reader(request, settings):
    """The engine reading workbooks in this test (its id in the test's name: [calamine] or [openpyxl])."""
    settings.EXCEL_READER = getattr(request, "param", "calamine")
    return settings.EXCEL_READER


@pytest.fixture
def county(db):
    """Two enterprises under one bureau: ent1 owns mine1 and mine2, ent2 owns mine3; one user per role.

    A second bureau with its own mine checks that nothing crosses bureaus either.
    """
    bureau = BureauFactory(name="阳城县应急管理局")
    ent1 = EnterpriseFactory(name="晋阳煤业集团", parent=bureau)
    ent2 = EnterpriseFactory(name="华泰能源", parent=bureau)
    mine1 = MineFactory(name="东峰煤矿", parent=ent1)
    mine2 = MineFactory(name="西岭煤矿", parent=ent1)
    mine3 = MineFactory(name="北坡煤矿", parent=ent2)
    other_bureau = BureauFactory(name="沁水县应急管理局")
    other_mine = MineFactory(name="外县煤矿", parent=EnterpriseFactory(name="外县集团", parent=other_bureau))

    def user(username, role, org):
        return UserFactory(username=username, role=role, organization=org)

    class County:
        pass

    c = County()
    c.bureau, c.ent1, c.ent2, c.mine1, c.mine2, c.mine3 = bureau, ent1, ent2, mine1, mine2, mine3
    c.other_bureau, c.other_mine = other_bureau, other_mine
    c.inspector = user("inspector", Role.INSPECTOR, bureau)
    c.leader = user("leader", Role.LEADER, bureau)
    c.ent1_officer = user("ent1", Role.ENTERPRISE_OFFICER, ent1)
    c.mine1_officer = user("mine1", Role.MINE_OFFICER, mine1)
    c.mine2_officer = user("mine2", Role.MINE_OFFICER, mine2)
    c.mine3_officer = user("mine3", Role.MINE_OFFICER, mine3)
    c.other_inspector = user("other_inspector", Role.INSPECTOR, other_bureau)
    return c


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture
def ventilation_category(db):
    from hazards.models import MajorHazardCategory

    return MajorHazardCategory.objects.get(standard__is_current=True, no=5)


@pytest.fixture
def major_fields(ventilation_category):
    """A major hazard with its complete 五落实, found by the enterprise's monthly check (a mine may record it; only the
    bureau records its own findings as 县局执法检查)."""
    return {
        "source": "enterprise_monthly",
        "found_on": dt.date.today() - dt.timedelta(days=1),
        "location": "1105掘进工作面",
        "specialty": "ventilation",
        "description": "掘进工作面串联通风",
        "level": "major",
        "major_category": ventilation_category,
        "major_item": ventilation_category.items.get(no=3),  # 第八条第（三）项 串联通风
        "measures": "停止作业，调整通风系统",
        "funds": Decimal("180000"),
        "responsible_unit": "通风队",
        "responsible_person": "胡国强",
        "due_on": dt.date.today() + dt.timedelta(days=14),
        "contingency_plan": "撤人、断电、设警戒",
    }


@pytest.fixture
def general_fields():
    return {
        "source": "unit_weekly",
        "found_on": dt.date.today() - dt.timedelta(days=2),
        "location": "2401回风巷",
        "specialty": "ventilation",
        "description": "甲烷传感器吊挂位置距顶板超过300mm",
        "measures": "调整传感器吊挂位置",
        "responsible_unit": "通风队",
        "responsible_person": "李晓东",
        "due_on": dt.date.today() + dt.timedelta(days=1),
    }


#: lines a test wants shown at the end of the run (pytest hides captured output of passing tests)
SUMMARY_LINES = []


def pytest_sessionfinish(session):
    # Under pytest-xdist each worker is its own process: it hands its lines to the controller, which prints them.
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput["summary_lines"] = list(SUMMARY_LINES)


@pytest.hookimpl(optionalhook=True)  # an xdist hook: the run without xdist (-p no:xdist) must still load this file
def pytest_testnodedown(node, error):
    SUMMARY_LINES.extend(getattr(node, "workeroutput", {}).get("summary_lines", []))


def pytest_terminal_summary(terminalreporter):
    for line in SUMMARY_LINES:
        terminalreporter.write_line(line)
