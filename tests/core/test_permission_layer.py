"""One rule in one place (DESIGN.md §3): "may this user do this" is answered by the permission modules
(accounts/permissions.py and each app's permissions.py) and nowhere else. Services, views, templates and the API ask
their predicates (templates through `{% can "app.action" obj as ok %}`), so no other file names a role."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

#: a role named in code: the Role enum's members, the role values as string literals, or a user's `.role` read
ROLE_LITERAL = re.compile(
    r"\bRole\.[A-Z_]+"
    r"|[\"'](?:mine_officer|enterprise_officer|inspector|leader|admin)[\"']"
    r"|\b(?:user|actor|request\.user|officer)\.role\b"
)

SKIPPED_DIRS = {".venv", "node_modules", "tests", "migrations", "static", "media", ".git", "__pycache__"}

#: files allowed to name roles, and why
EXEMPT_NAMES = {
    # The permission layer itself: the one place that names roles.
    "permissions.py",
    # Demo seeding: creates the demo accounts with their roles (data, not a check).
    "demo.py",
    "seed_demo.py",
    # Scale and benchmark data generators: create users with roles (data, not a check).
    "generate_scale_data.py",
    "bench_sweeps.py",
}
EXEMPT_PATHS = {
    # Defines the Role enum and which kind of organisation each role belongs to.
    "accounts/models.py",
    # Logs in as the demo accounts, whose usernames happen to be "inspector" and "leader" (data, not a check).
    "scripts/screenshots.py",
}


def _files():
    for path in ROOT.rglob("*"):
        if path.suffix not in (".py", ".html") or not path.is_file():
            continue
        relative = path.relative_to(ROOT)
        if SKIPPED_DIRS.intersection(relative.parts):
            continue
        if path.name in EXEMPT_NAMES or relative.as_posix() in EXEMPT_PATHS:
            continue
        yield relative, path


def test_no_role_is_named_outside_the_permission_layer():
    found = []
    for relative, path in _files():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if ROLE_LITERAL.search(line):
                found.append(f"{relative}:{number}: {line.strip()[:120]}")
    assert not found, "role checks outside the permission modules:\n" + "\n".join(found)


def test_the_pattern_finds_what_it_must():
    """The grep above is only as good as its pattern: it catches each way a role check is written."""
    for line in (
        'if request.user.role == "mine_officer":',
        "if actor.role not in (Role.MINE_OFFICER, Role.ENTERPRISE_OFFICER):",
        "{% if user.role != 'leader' %}",
        '{% if user.role == "inspector" %}',
    ):
        assert ROLE_LITERAL.search(line), line
    for line in ('self.fields["leader_two"]', "PersonRole.MAIN_LEADER", 'role="search"'):
        assert not ROLE_LITERAL.search(line), line


@pytest.mark.parametrize(
    "name",
    [
        "accounts.write",
        "accounts.see_several_mines",
        "hazards.write_ledger",
        "hazards.accept",
        "violations.write_violations",
        "workforce.keep_records",
        "reporting.review",
        "campaign.report_progress",
    ],
)
def test_templates_reach_the_apps_predicates_by_name(name):
    from core.permissions import predicate

    app, action = name.split(".")
    module = __import__(f"{app}.permissions", fromlist=["x"])
    assert predicate(name) is getattr(module, f"can_{action}")


def test_an_unknown_rule_is_an_error_not_a_silent_no():
    from core.permissions import predicate

    for name in ("hazards.fly", "accept", "nosuchapp.accept"):
        with pytest.raises((LookupError, ImportError)):
            predicate(name)


def test_every_api_viewset_refuses_writes_to_read_only_roles():
    """The leadership group reads everything and writes nothing: every registered viewset carries the guard."""
    from config.api_urls import router
    from core.api import WritesAllowed

    missing = [prefix for prefix, viewset, _ in router.registry if WritesAllowed not in viewset.permission_classes]
    assert not missing, missing


@pytest.mark.django_db
def test_the_can_tag_asks_the_same_predicate_as_the_service(county):
    from django.template import Context, Template

    from hazards.permissions import can_accept
    from tests.factories import HazardFactory

    hazard = HazardFactory(mine=county.mine1, status="awaiting_acceptance")
    template = Template('{% load permissions %}{% can "hazards.accept" hazard as ok %}{% if ok %}可以验收{% endif %}')
    for user in (county.mine1_officer, county.ent1_officer, county.inspector, county.leader, county.mine2_officer):
        shown = "可以验收" in template.render(Context({"user": user, "hazard": hazard}))
        assert shown is can_accept(user, hazard), user.username
    assert can_accept(county.mine1_officer, hazard) and not can_accept(county.leader, hazard)
