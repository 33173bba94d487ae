"""The apps depend one way (DESIGN.md §3): accounts ← campaign ← hazards ← violations ← workforce ← reporting.
A lower app never imports a higher one, not even inside a function."""

import ast
from pathlib import Path

ORDER = ["accounts", "campaign", "hazards", "violations", "workforce", "reporting"]
ROOT = Path(__file__).resolve().parents[2]


def imported_apps(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module.split(".")[0]


def test_no_app_imports_a_higher_one():
    wrong = []
    for level, app in enumerate(ORDER):
        higher = set(ORDER[level + 1 :])
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for name in imported_apps(path):
                if name in higher:
                    wrong.append(f"{path.relative_to(ROOT)} imports {name}")
    assert not wrong, "\n".join(wrong)
