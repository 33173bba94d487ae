"""“Overdue = past due date and not closed” (DESIGN.md §2), defined once: the filter, the home page's count, the
instance, the API field, the export and the sweep all agree, on the boundaries too."""

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from hazards.models import Hazard
from hazards.selectors import hazard_counts
from tests.factories import HazardFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def test_every_reading_of_overdue_agrees(client, api_client, county):
    today = dt.date.today()
    lines = {
        "due yesterday": {"due_on": today - dt.timedelta(days=1)},
        "due today": {"due_on": today},
        "due tomorrow": {"due_on": today + dt.timedelta(days=1)},
        "no due date": {"due_on": None},
        "closed, due last week": {"due_on": today - dt.timedelta(days=7), "status": "closed"},
        "awaiting, due last week": {"due_on": today - dt.timedelta(days=7), "status": "awaiting_acceptance"},
    }
    for location, fields in lines.items():
        HazardFactory(mine=county.mine1, location=location, found_on=today - dt.timedelta(days=10), **fields)
    overdue = {"due yesterday", "awaiting, due last week"}

    assert {h.location for h in Hazard.objects.overdue(today)} == overdue
    assert {h.location for h in Hazard.objects.not_overdue(today)} == set(lines) - overdue
    assert {h.location for h in Hazard.objects.all() if h.overdue} == overdue
    assert hazard_counts(user=county.mine1_officer, today=today)["overdue"] == len(overdue)

    api_client.force_authenticate(county.mine1_officer)
    rows = api_client.get("/api/v1/hazards/", {"overdue": "true"}).json()["results"]
    assert {r["location"] for r in rows} == overdue and all(r["overdue"] for r in rows)
    rows = api_client.get("/api/v1/hazards/").json()["results"]
    assert {r["location"] for r in rows if r["overdue"]} == overdue

    client.force_login(county.mine1_officer)
    content = b"".join(client.get("/hazards/export/").streaming_content)
    ws = load_workbook(io.BytesIO(content)).active
    headers = [c.value for c in ws[3]]
    late = headers.index("逾期天数")
    exported = {r[headers.index("隐患地点")]: r[late] for r in ws.iter_rows(min_row=4, values_only=True)}
    assert {loc for loc, days in exported.items() if days} == overdue
    assert exported["due yesterday"] == 1 and exported["awaiting, due last week"] == 7


def test_overdue_is_written_in_one_place_in_the_ledger_apps():
    # The date comparisons that make "overdue" (and 倒查超期) live in the models that define them; selectors,
    # sweeps, filters and exports call them. (The reporting dashboards are moved to their own app elsewhere.)
    pattern = re.compile(
        r"(?<![a-z_])due_on__lt\b|~Q\(status=HazardStatus\.CLOSED\)|backtracks_completed_on__isnull=True"
    )
    homes = {
        Path("hazards/models/hazard.py"),
        Path("hazards/models/leader_review.py"),  # 四(四)3: the main leader's 检查 overdue
        Path("violations/models/violation.py"),
    }
    wrong = []
    for app in ("hazards", "violations", "workforce"):
        for path in (ROOT / app).rglob("*.py"):
            relative = path.relative_to(ROOT)
            if "migrations" in path.parts or relative in homes:
                continue
            if pattern.search(path.read_text(encoding="utf-8")):
                wrong.append(str(relative))
    assert not wrong, wrong


def test_the_dashboards_and_the_report_figures_ask_the_hazard_predicates():
    # Overdue, open and open-major are the hazard model's (overdue_q, open_q, major_open_q, and their as-of-a-day
    # forms for a report's period end); the dashboards, the charts and a report's figures do not spell them again.
    pattern = re.compile(r"(?<![a-z_])due_on__lt\b|~Q\(\w*status=|status__in=\[HazardStatus")
    files = [*(ROOT / "dashboards").rglob("*.py"), ROOT / "reporting" / "figures.py"]
    wrong = [str(p.relative_to(ROOT)) for p in files if pattern.search(p.read_text(encoding="utf-8"))]
    assert not wrong, wrong


def test_open_and_overdue_on_a_past_day(county):
    # A report's period end: found by then and not closed by then (closed later counts as open on that day).
    from hazards.models import open_on_q, overdue_on_q

    day = dt.date(2024, 12, 1)
    lines = {
        "open, due before": {"due_on": day - dt.timedelta(days=1)},
        "open, due that day": {"due_on": day},
        "closed after, due before": {
            "due_on": day - dt.timedelta(days=1),
            "status": "closed",
            "accepted_on": day + dt.timedelta(days=1),
        },
        "closed that day": {"due_on": day - dt.timedelta(days=1), "status": "closed", "accepted_on": day},
        "found after": {"due_on": day - dt.timedelta(days=1), "found_on": day + dt.timedelta(days=1)},
    }
    for location, fields in lines.items():
        HazardFactory(mine=county.mine1, location=location, **{"found_on": day - dt.timedelta(days=10), **fields})
    assert {h.location for h in Hazard.objects.filter(open_on_q(day))} == {
        "open, due before",
        "open, due that day",
        "closed after, due before",
    }
    assert {h.location for h in Hazard.objects.filter(overdue_on_q(day))} == {
        "open, due before",
        "closed after, due before",
    }
