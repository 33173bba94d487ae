"""No export writes a user's text as a formula (formula injection, CSV/Excel "DDE").

The exports are found from the URL resolver: every view that answers with `xlsx_response` must be listed in EXPORTS
below, so a new export fails this test until it is walked. Each is fetched with formula-looking text in every user
text field it shows, read back, and no cell may be a formula. And only core/excel.py writes cells."""

import ast
import datetime as dt
import inspect
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from openpyxl import load_workbook

from hazards.models import Hazard, HazardListing, MajorHazardCategory
from reporting import services as rp
from tests.factories import HazardFactory, ViolationFactory, running_campaign
from violations import services as vs
from violations.models import Tipoff, Violation
from workforce.models import Person, PositioningRecord, WorkUnit

ROOT = Path(__file__).resolve().parents[2]
APPS = (
    "accounts",
    "campaign",
    "core",
    "hazards",
    "notifications",
    "reporting",
    "violations",
    "workforce",
    "enforcement",
    "dashboards",
    "search",
    "archive",
    "sweeps",
    "sampledata",
)
FORMULAS = ['=HYPERLINK("http://x","y")', "=cmd|' /C calc'!A0", "+1", "-1+1", "@SUM(1)"]
TODAY = dt.date.today()


# URL name → (kwargs from the world, query string). Every view that answers with xlsx_response is here.
EXPORTS = {
    "hazard_export": (None, {}),
    "hazard-export": (None, {}),
    "listed_hazard_list": (None, {"format": "xlsx"}),
    "tipoff_list": (None, {"format": "xlsx"}),
    "violation_export": (None, {}),
    "violation-export": (None, {}),
    "red_line_detail": (lambda w: {"pk": w["red_line"].pk}, {"format": "xlsx"}),
    "person_export": (None, {}),
    "positioning_export": (None, {}),
    "county_workbook": (lambda w: {"deadline_pk": w["deadline"].pk}, {}),
    "quarterly_statistics": (None, {"format": "xlsx", "year": TODAY.year, "quarter": (TODAY.month - 1) // 3 + 1}),
    "dashboard_export": (None, {}),
    # The ticked rows of a ledger page: the query is a function of the world (the ids of its rows).
    "hazard_selected_export": (None, lambda w: {"ids": w["hazard_ids"]}),
    "violation_selected_export": (None, lambda w: {"ids": w["violation_ids"]}),
}


# ------------------------------------------------------------------ finding the exports


def _functions_calling(name):
    """(module, qualified name) of every project function that calls `name`(…)."""
    found = set()
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            tree = ast.parse(path.read_text(encoding="utf-8"))

            def visit(node, prefix, module=module):
                for child in ast.iter_child_nodes(node):
                    if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                        qualname = f"{prefix}{child.name}"
                        if not isinstance(child, ast.ClassDef) and any(
                            isinstance(n, ast.Call) and getattr(n.func, "id", getattr(n.func, "attr", None)) == name
                            for n in ast.walk(child)
                        ):
                            found.add((module, qualname))
                        visit(child, f"{qualname}.")

            visit(tree, "")
    return found


def _url_views():
    """URL name → the (module, qualified name) of each function that answers it."""

    def walk(patterns):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns)
            elif isinstance(p, URLPattern) and p.name and not p.name.startswith("admin"):
                callback = p.callback
                cls = getattr(callback, "cls", None)
                if cls is not None and getattr(callback, "actions", None):  # a DRF viewset route
                    for action in callback.actions.values():
                        method = inspect.unwrap(getattr(cls, action))
                        yield p.name, (method.__module__, method.__qualname__)
                elif cls is not None:  # a DRF APIView
                    for method in ("get", "post"):
                        if hasattr(cls, method):
                            fn = inspect.unwrap(getattr(cls, method))
                            yield p.name, (fn.__module__, fn.__qualname__)
                else:
                    fn = inspect.unwrap(callback)
                    yield p.name, (fn.__module__, fn.__qualname__)

    views = {}
    for name, view in walk(get_resolver().url_patterns):
        views.setdefault(name, set()).add(view)
    return views


def test_every_xlsx_export_is_walked():
    writers = _functions_calling("xlsx_response") - {("core.views", "xlsx_response")}
    views = _url_views()
    exporting = {name for name, fns in views.items() if fns & writers}
    reached = set().union(*(fns for name, fns in views.items() if name in exporting)) & writers
    assert writers - reached == set(), "these call xlsx_response but answer no URL: call it from the view itself"
    assert exporting == set(EXPORTS), f"add to EXPORTS: {exporting - set(EXPORTS)}; stale: {set(EXPORTS) - exporting}"


def test_only_core_excel_writes_cells():
    """Write-only workbooks and cells come from core.excel (new_workbook, write_xlsx, append_row, styled_cell),
    whose writers store formula-looking text as text; a module that imports openpyxl's writers could forget."""
    offenders = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if path == ROOT / "core" / "excel.py":
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                names = []
                if isinstance(node, ast.ImportFrom) and node.module:
                    names = [node.module]
                elif isinstance(node, ast.Import):
                    names = [a.name for a in node.names]
                offenders += [
                    f"{path.relative_to(ROOT)}: {n}" for n in names if n.startswith(("openpyxl", "xlsxwriter"))
                ]
    assert offenders == []


# ------------------------------------------------------------------ the walk


def build_world(county):
    """Formula-looking text in every user text field the exports show, names of organisations included."""
    f = FORMULAS
    county.bureau.name, county.ent1.name = f[0], f[4]
    county.mine1.name, county.mine2.name = f[1], f[2]
    for org in (county.bureau, county.ent1, county.mine1, county.mine2):
        org.save()
    mine, officer = county.mine1, county.mine1_officer
    category = MajorHazardCategory.objects.filter(standard__is_current=True).first()
    for i, text in enumerate(f):
        text_fields = {
            "location": text,
            "description": f"{text}{i}" if i else text,
            "measures": text,
            "responsible_unit": text,
            "responsible_person": text,
            "contingency_plan": text,
            "accepted_by_name": text,
            "note": text,
        }
        hazard = HazardFactory(mine=mine, level="major", major_category=category, **text_fields)
        HazardListing.objects.create(hazard=hazard, listed_on=TODAY, supervising_unit=text, notice_text=text)
        HazardFactory(mine=county.mine2, **text_fields)
        ViolationFactory(
            mine=mine,
            person_name=text,
            post=text,
            department=text,
            team=text,
            location=text,
            description=f"{text}{i}",
            found_by_name=text,
            penalty_note=text,
            mentoring=text,
            note=text,
        )
        # A tip-off to the bureau: the desk's export shows what the worker wrote.
        Tipoff.objects.create(
            bureau=county.bureau,
            mine=mine,
            mine_text=text,
            category="other",
            location=text,
            content=f"{text}{i}",
            public_reply=text,
            tracking_code=f"FORMULA{i:05d}",
            received_on=TODAY,
        )
        workshop = WorkUnit.objects.create(mine=mine, kind="workshop", name=f"{text}{i}")
        team = WorkUnit.objects.create(mine=mine, kind="team", name=f"{text}班{i}", workshop=workshop)
        Person.objects.create(
            mine=mine, name=text, employee_no=text, post=text, unit=team, employment="outsourced", employer=text
        )
        entered = timezone.now() - dt.timedelta(days=1, minutes=i)
        PositioningRecord.objects.create(
            mine=mine,
            person_name=text,
            card_no=text,
            team=text,
            entered_at=entered,
            exited_at=entered + dt.timedelta(hours=8),
            underground_minutes=480,
            fingerprint=f"fp{i}",
        )
    red_line = vs.red_line_list_publish(
        actor=officer,
        mine=mine,
        kind="red_line",
        title=f[0],
        effective_on=TODAY,
        items=[{"level": t, "post": t, "content": t, "consequence": t} for t in f],
    )
    campaign = running_campaign(bureau=county.bureau, starts_on=TODAY - dt.timedelta(days=40))
    deadline = campaign.deadlines.get(kind="work_plan")
    sub = rp.submission_open(actor=officer, deadline=deadline)
    rp.submission_attach(actor=officer, submission=sub, upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4 x"))
    keys = ("goals", "organization", "measures_1", "measures_2", "measures_3", "measures_4")
    rp.submission_save(actor=officer, submission=sub, narrative={k: f[i % len(f)] for i, k in enumerate(keys)})
    rp.submission_submit(actor=officer, submission=sub)
    return {
        "red_line": red_line,
        "deadline": deadline,
        "hazard_ids": list(Hazard.objects.values_list("pk", flat=True)),
        "violation_ids": list(Violation.objects.values_list("pk", flat=True)),
    }


def cells(content):
    wb = load_workbook(io.BytesIO(content))
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            yield from row


@pytest.mark.django_db
def test_no_export_writes_user_text_as_a_formula(client, api_client, county):
    world = build_world(county)
    client.force_login(county.inspector)
    api_client.force_authenticate(county.inspector)
    for name, (kwargs, query) in EXPORTS.items():
        api = "-" in name
        url = reverse(name, kwargs=kwargs(world) if kwargs else None)
        response = (api_client if api else client).get(url, query(world) if callable(query) else query)
        assert response.status_code == 200, f"{name} → {response.status_code}"
        assert "spreadsheetml" in response["Content-Type"], name
        content = b"".join(response.streaming_content) if response.streaming else response.content
        found = list(cells(content))
        formulas = [f"{c.parent.title}!{c.coordinate}: {c.value}" for c in found if c.data_type == "f"]
        assert formulas == [], f"{name} writes formulas: {formulas[:5]}"
        texts = {c.value for c in found if isinstance(c.value, str)}
        assert any(t.startswith("=") for t in texts), f"{name} showed none of the formula-looking text"
