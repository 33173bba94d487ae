"""The apps depend one way: core ← accounts ← campaign ← notifications ← hazards ← violations ← workforce ←
reporting ← the apps that read everything (dashboards, archive, sweeps, sampledata). A lower app never imports a
higher one, not even inside a function; no app reaches for another app's private names."""

import ast
from pathlib import Path

from django.conf import settings

ORDER = [
    "core",  # the visibility rule, errors, base views: imports none of ours
    "accounts",
    "campaign",
    "notifications",  # the notice centre: the ledgers' sweeps write into it
    "hazards",
    "violations",
    "workforce",
    "enforcement",  # the bureau's enforcement documents (执法文书), issued from inspections
    "accidents",  # the accident and injury register (事故/工伤台账) and its 提级调查: reporting and dashboards read it
    "reporting",  # 报送: submissions, review, the matrix, quarterly statistics
    "accountability",  # 通报批评、约谈、问责: proposed from the ledgers and reports, issued by the bureau
    "dashboards",  # home page, dashboard, charts, big screen: read every ledger
    "search",  # the search box: every ledger and document, each through its app's own search selector
    "archive",  # a campaign's whole record as one zip
    "sweeps",  # every app's deadline sweeps in one round
    "sampledata",  # the demo county and the scale data set
]
ROOT = Path(__file__).resolve().parents[2]


def imports(path):
    """(top-level module, imported names) of every absolute import in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from ((alias.name.split(".")[0], ()) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module.split(".")[0], tuple(alias.name for alias in node.names)


def app_files(app):
    return (p for p in (ROOT / app).rglob("*.py") if "migrations" not in p.parts)


def test_no_app_imports_a_higher_one():
    wrong = []
    for level, app in enumerate(ORDER):
        higher = set(ORDER[level + 1 :])
        for path in app_files(app):
            for name, _ in imports(path):
                if name in higher:
                    wrong.append(f"{path.relative_to(ROOT)} imports {name}")
    assert not wrong, "\n".join(wrong)


def test_every_app_of_ours_has_its_place():
    ours = {
        app.split(".")[0]
        for app in settings.INSTALLED_APPS
        if (ROOT / app.split(".")[0] / "apps.py").exists() and (ROOT / app.split(".")[0]).is_dir()
    }
    folders = {p.parent.name for p in ROOT.glob("*/apps.py")}
    assert ours == folders, f"app folders not installed, or installed apps without a folder: {ours ^ folders}"
    assert sorted(ours) == sorted(ORDER), f"missing from ORDER: {ours - set(ORDER)}; not an app: {set(ORDER) - ours}"


def test_no_app_imports_another_apps_private_names():
    wrong = []
    for app in ORDER:
        for path in app_files(app):
            for module, names in imports(path):
                if module in ORDER and module != app:
                    wrong += [f"{path.relative_to(ROOT)} imports {n} from {module}" for n in names if n.startswith("_")]
    assert not wrong, "\n".join(wrong)
