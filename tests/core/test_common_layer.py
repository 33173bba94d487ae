"""What two apps share lives in core/ (DESIGN.md §3): no app imports another app's private (`_name`) helpers, and the
shared pieces are core's, not one domain app's borrowed sideways."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = [p.parent.name for p in ROOT.glob("*/apps.py")]


def private_imports(path, own_app):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if not isinstance(node, ast.ImportFrom) or node.level != 0 or not node.module:
            continue
        app = node.module.split(".")[0]
        if app == own_app or app not in APPS:
            continue
        parts = node.module.split(".")[1:]
        for alias in node.names:
            if any(p.startswith("_") and not p.startswith("__") for p in [*parts, alias.name]):
                yield f"{path.relative_to(ROOT)}: from {node.module} import {alias.name}"


def test_the_walk_sees_the_apps():
    assert {"core", "accounts", "hazards", "violations", "workforce"} <= set(APPS)


def test_no_app_imports_another_apps_private_names():
    wrong = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" not in path.parts:
                wrong.extend(private_imports(path, app))
    assert not wrong, "\n".join(wrong)


#: what several ledgers use, and where it lives
SHARED = {
    "DATE": "core.widgets",
    "LedgerImportForm": "core.forms",
    "fix_to_own_mine": "core.forms",
    "visible_mines": "core.mines",
    "visible_mine_options": "core.mines",
    "VisibleMineField": "core.serializers",
    "ImportResultSerializer": "core.serializers",
    "CreateWithServiceViewSet": "core.api",
}


def test_the_shared_pieces_are_imported_from_core():
    wrong = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    for alias in node.names:
                        home = SHARED.get(alias.name)
                        if home and node.module != home:
                            wrong.append(f"{path.relative_to(ROOT)}: from {node.module} import {alias.name}")
    assert not wrong, "\n".join(wrong)


def test_the_api_lists_read_through_the_pages_selectors():
    # Page and API share one read: the list a viewset answers is its app's list selector's.
    from hazards import selectors as hazard_selectors
    from hazards.api import HazardViewSet
    from violations import selectors as violation_selectors
    from violations.api import ViolationViewSet
    from workforce import selectors as workforce_selectors
    from workforce.api import (
        CertificateViewSet,
        DispatchHandoverViewSet,
        PersonViewSet,
        PositioningRecordViewSet,
        TrainingSessionViewSet,
        ZeroShiftPlanViewSet,
    )

    expected = {
        HazardViewSet: hazard_selectors.hazard_list,
        ViolationViewSet: violation_selectors.violation_list,
        PersonViewSet: workforce_selectors.person_list,
        TrainingSessionViewSet: workforce_selectors.session_list,
        CertificateViewSet: workforce_selectors.certificate_list,
        PositioningRecordViewSet: workforce_selectors.positioning_list,
        ZeroShiftPlanViewSet: workforce_selectors.zero_shift_plan_list,
        DispatchHandoverViewSet: workforce_selectors.handover_list,
    }
    assert {view: getattr(view, "selector", None) for view in expected} == expected
