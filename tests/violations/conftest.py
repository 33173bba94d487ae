import datetime as dt
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def sample_violations():
    return SimpleUploadedFile("violation-ledger-sample.xlsx", (FIXTURES / "violation-ledger-sample.xlsx").read_bytes())


@pytest.fixture
def violation_fields():
    return {
        "occurred_on": dt.date.today() - dt.timedelta(days=1),
        "shift": "zero",
        "location": "2401综采工作面",
        "person_name": "何振华",
        "post": "跟班队长",
        "department": "综采一队",
        "team": "综采一队3班",
        "type": "command",
        "severity": "serious",
        "description": "零点班安排检修动火作业，无审批措施",
    }
