import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hazards.models import MajorHazardCategory

FIXTURES = __import__("pathlib").Path(__file__).resolve().parents[1] / "fixtures"


@pytest.fixture
def sample_ledger():
    return SimpleUploadedFile("hazard-ledger-sample.xlsx", (FIXTURES / "hazard-ledger-sample.xlsx").read_bytes())


@pytest.fixture
def ventilation_category(db):
    return MajorHazardCategory.objects.get(standard__is_current=True, no=5)


@pytest.fixture
def major_fields(ventilation_category):
    """A major hazard with its complete 五落实."""
    return {
        "source": "bureau_inspection",
        "found_on": dt.date.today() - dt.timedelta(days=1),
        "location": "1105掘进工作面",
        "specialty": "ventilation",
        "description": "掘进工作面串联通风",
        "level": "major",
        "major_category": ventilation_category,
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
