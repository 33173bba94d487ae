"""The read replica (issue 22, item 5): the dashboards, charts, exports and the archive read a real PostgreSQL
streaming replica; writes, and what a user just wrote, stay on the primary; a replica that is down is read around.

Against the replica `.ci/run` starts (`.ci/replica start`): skipped when `DATABASE_REPLICA_URL` is not set (SQLite,
a newcomer's machine). The test database is the primary's, replayed on the standby (core/replica/base.py); every test
commits (transaction=True) and waits for the replica's replay before it reads. Where a test must tell the two
databases apart it pauses the standby's replay, so the replica is visibly behind the primary."""

import contextlib
import datetime as dt
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

import core.replica
from core.replica import PIN_COOKIE, REPLICA, read_alias, reads_from_replica, wait_for_replay
from hazards.models import Hazard
from tests.factories import HazardFactory, ViolationFactory, running_campaign

HAS_REPLICA = REPLICA in settings.DATABASES
ROOT = Path(__file__).resolve().parents[2]


def replica_test(test):
    """Against the real replica, committing; all in one worker, one at a time (they pause the one standby)."""
    for mark in (
        pytest.mark.skipif(not HAS_REPLICA, reason="没有只读副本：DATABASE_REPLICA_URL 未设置（.ci/run 会启动一个）"),
        # serialized_rollback, like every other transactional test of the suite: each starts from the migrated data
        # and leaves an empty database, so that the next one's snapshot loads without duplicates
        pytest.mark.django_db(
            transaction=True,
            serialized_rollback=True,
            databases=[DEFAULT_DB_ALIAS, REPLICA] if HAS_REPLICA else None,
        ),
        pytest.mark.xdist_group("replica"),
        pytest.mark.slow,
    ):
        test = mark(test)
    return test


@pytest.fixture
def routing(settings):
    """The routing the test settings keep off for the rest of the suite, on; the replica not marked down."""
    settings.DATABASE_REPLICA_ROUTING = True
    core.replica._down_until = 0.0
    yield
    core.replica._down_until = 0.0


def _standby(sql):
    with connections[REPLICA].cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0] if cursor.description else None


@contextlib.contextmanager
def replica_behind():
    """The standby stops replaying (so it is behind the primary from here on), and resumes afterwards."""
    wait_for_replay()
    _standby("SELECT pg_wal_replay_pause()")
    try:
        for _ in range(500):
            if _standby("SELECT pg_get_wal_replay_pause_state()") == "paused":
                break
        yield
    finally:
        _standby("SELECT pg_wal_replay_resume()")
        connections[REPLICA].close()


@contextlib.contextmanager
def queries():
    """The SQL each database ran, as two lists of statements."""
    with (
        CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as primary,
        CaptureQueriesContext(connections[REPLICA]) as replica,
    ):
        logs = {"default": primary, "replica": replica}
        yield logs
    for alias, log in list(logs.items()):
        logs[alias] = [q["sql"] for q in log.captured_queries]


def touching(statements, table):
    return [s for s in statements if f'"{table}"' in s]


def tallies(statements, ledger):
    """Statements reading one of the dashboards' tallies of a ledger ("hazard", "violation")."""
    return [s for s in statements if re.search(rf'"dashboards_\w*{ledger}\w*tally"', s)]


def before_the_view(statement):
    """What every request reads before its view runs: the session, and who the user is."""
    source = statement.split(" WHERE ")[0]
    return '"django_session"' in source or 'FROM "accounts_user"' in source


def _api_hazard_figures(client):
    response = client.get(reverse("api-dashboard"))
    assert response.status_code == 200
    return response.json()["hazards"]


def _export_descriptions(response):
    assert response.status_code == 200, response.content[:300]
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).active
    return {cell for row in sheet.iter_rows(values_only=True) for cell in row if isinstance(cell, str)}


# --- the dashboards, the charts, the exports and the archive read the replica -------------------------------------


DASHBOARD_PAGES = [
    "/dashboard/",
    "/dashboard/charts/",
    "/dashboard/screen/",
    "/dashboard/data/",
    "/dashboard/export/",
    "/api/v1/dashboard/",
    "/api/v1/dashboard/charts/",
]


@replica_test
def test_dashboards_and_charts_read_the_replica(routing, client, county):
    running_campaign(bureau=county.bureau, starts_on=dt.date.today() - dt.timedelta(days=30))
    HazardFactory.create_batch(3, mine=county.mine1)
    ViolationFactory(mine=county.mine2)
    client.force_login(county.inspector)
    wait_for_replay()
    for url in DASHBOARD_PAGES:  # one test, not one per page: each transactional test costs a flush of the database
        with queries() as log:
            response = client.get(url)
        assert response.status_code == 200, url
        assert log["replica"], f"{url} was read from the replica"
        if url != "/dashboard/charts/":  # the charts page itself holds no figures: it loads /dashboard/data/
            # the figures come from the ledgers or from their maintained tallies (dashboards.figures): either way,
            # from the replica
            hazards = touching(log["replica"], "hazards_hazard") or tallies(log["replica"], "hazard")
            violations = touching(log["replica"], "violations_violation") or tallies(log["replica"], "violation")
            assert hazards and violations, url
        # On the primary only what every request does before the view: the session, and who the user is.
        assert [s for s in log["default"] if not before_the_view(s)] == [], url


@replica_test
def test_ledger_exports_read_the_replica(routing, client, county):
    campaign = running_campaign(bureau=county.bureau, starts_on=dt.date.today() - dt.timedelta(days=30))
    hazards = HazardFactory.create_batch(2, mine=county.mine1)
    ViolationFactory(mine=county.mine1)
    work_plan = campaign.deadlines.get(code="work_plan")
    exports = [
        ("/hazards/export/", "hazards_hazard"),
        (f"/hazards/selected/export/?ids={hazards[0].pk}", "hazards_hazard"),
        ("/hazards/listed/?format=xlsx", "hazards_hazardlisting"),
        ("/violations/export/", "violations_violation"),
        ("/api/v1/hazards/export/", "hazards_hazard"),
        ("/api/v1/violations/export/", "violations_violation"),
        ("/api/v1/accidents/export/", "accidents_accident"),
        ("/accidents/export/", "accidents_accident"),
        ("/reports/?format=xlsx", "violations_tipoff"),
        ("/workforce/people/export/", "workforce_person"),
        ("/workforce/positioning/export/", "workforce_positioningrecord"),
        (f"/submissions/deadline/{work_plan.pk}/workbook/", "reporting_submission"),
        ("/submissions/quarterly/?format=xlsx", "hazards_hazard"),
    ]
    client.force_login(county.inspector)
    wait_for_replay()
    for url, table in exports:
        with queries() as log:
            response = client.get(url)
        assert response.status_code == 200, (url, response.content[:300])
        assert response["Content-Type"].startswith("application/vnd.openxmlformats"), url
        assert touching(log["replica"], table), url
        assert [s for s in log["default"] if not before_the_view(s)] == [], url
        if "hazards/export" in url:
            assert {h.description for h in hazards} <= _export_descriptions(response)


@replica_test
def test_the_replica_is_really_read_and_the_figures_are_its_own(routing, client, county):
    """Behind the primary, the replica's figures are the older ones: the dashboard shows what the replica has."""
    HazardFactory.create_batch(2, mine=county.mine1)
    client.force_login(county.leader)
    wait_for_replay()
    assert _api_hazard_figures(client)["not_closed"] == 2
    with replica_behind():
        HazardFactory(mine=county.mine1)  # committed on the primary, not yet replayed
        assert Hazard.objects.count() == 3
        assert _api_hazard_figures(client)["not_closed"] == 2
    wait_for_replay()
    assert _api_hazard_figures(client)["not_closed"] == 3


@replica_test
def test_the_campaign_archive_reads_the_replica(routing, county):
    from archive.export import export_campaign_archive, read_archive

    campaign = running_campaign(bureau=county.bureau, starts_on=dt.date.today() - dt.timedelta(days=10))
    hazards = HazardFactory.create_batch(2, mine=county.mine1, found_on=dt.date.today() - dt.timedelta(days=2))
    wait_for_replay()
    out = io.BytesIO()
    with queries() as log:
        manifest = export_campaign_archive(campaign, out)
    assert touching(log["replica"], "hazards_hazard") and touching(log["replica"], "violations_violation")
    assert not touching(log["default"], "hazards_hazard")
    assert manifest["parts"]["hazards"]["count"] == 2
    _, parts, _ = read_archive(out.getvalue())
    assert {h.pk for h in parts["hazards"]} == {h.pk for h in hazards}


# --- writes, and what a user just wrote, stay on the primary -------------------------------------------------------


@replica_test
def test_a_users_fresh_write_is_read_back_from_the_primary(routing, client, county, general_fields):
    """The mine officer registers a hazard and at once opens the export and the dashboard: with the replica stopped
    behind the primary, both show the new hazard, because the browser is pinned to the primary after its POST."""
    HazardFactory(mine=county.mine1, description="早先登记的隐患")
    client.force_login(county.mine1_officer)
    wait_for_replay()
    with replica_behind():
        form = {
            **general_fields,
            "mine": county.mine1.pk,
            "level": "general",
            "description": "刚刚登记的隐患：回风巷积水",
        }
        form = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in form.items()}
        response = client.post(reverse("hazard_create"), form)
        assert response.status_code == 302, response.context["form"].errors
        assert PIN_COOKIE in response.cookies, "a POST pins the browser to the primary"
        assert int(response.cookies[PIN_COOKIE]["max-age"]) == settings.DATABASE_REPLICA_PIN_SECONDS

        with queries() as log:
            shown = _export_descriptions(client.get(reverse("hazard_export")))
            figures = _api_hazard_figures(client)
        assert "刚刚登记的隐患：回风巷积水" in shown
        assert figures["not_closed"] == 2
        assert touching(log["default"], "hazards_hazard"), "the pinned browser read the primary"
        assert not log["replica"], "and nothing from the replica"

        # The same pages without the pin read the replica, which has not seen the hazard yet: the pin did it.
        del client.cookies[PIN_COOKIE]
        assert "刚刚登记的隐患：回风巷积水" not in _export_descriptions(client.get(reverse("hazard_export")))
        assert _api_hazard_figures(client)["not_closed"] == 1


@replica_test
def test_a_page_that_only_reads_sets_no_pin_and_a_forged_pin_is_ignored(routing, client, county):
    from django.test import Client

    anonymous = Client()
    assert anonymous.get("/report/").status_code == 200
    assert PIN_COOKIE not in anonymous.post("/report/", {}).cookies, "no pin for the anonymous: they read no replica"
    client.force_login(county.inspector)
    assert PIN_COOKIE not in client.get("/dashboard/").cookies, "a page that only reads sets no pin"
    client.cookies[PIN_COOKIE] = "1"  # not signed by the server
    wait_for_replay()
    with queries() as log:
        client.get("/dashboard/data/")
    assert touching(log["replica"], "hazards_hazard"), "an unsigned pin is ignored"


@replica_test
def test_inside_a_block_a_write_or_a_transaction_sends_the_reads_to_the_primary(routing, county):
    with reads_from_replica():
        assert read_alias() == REPLICA
        with transaction.atomic():
            assert read_alias() == DEFAULT_DB_ALIAS, "a transaction reads what it is part of"
        HazardFactory(mine=county.mine1)  # a write: from here on the block reads the primary
        assert read_alias() == DEFAULT_DB_ALIAS
    assert read_alias() == DEFAULT_DB_ALIAS, "outside a block everything reads the primary"
    with reads_from_replica():
        assert read_alias() == REPLICA, "a new block starts clean"


# --- the replica down ----------------------------------------------------------------------------------------------


@pytest.fixture
def replica_unreachable():
    """The replica's address pointed at a port where nothing listens, as when its server is down."""
    replica = connections[REPLICA]
    replica.close()
    old = replica.settings_dict["PORT"]
    replica.settings_dict["PORT"] = "9"  # discard: nothing listens
    yield
    replica.close()
    replica.settings_dict["PORT"] = old


@replica_test
def test_with_the_replica_down_the_pages_read_the_primary(routing, replica_unreachable, client, county):
    HazardFactory.create_batch(2, mine=county.mine1)
    client.force_login(county.inspector)
    with CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as primary:
        assert _api_hazard_figures(client)["not_closed"] == 2
        assert client.get("/dashboard/").status_code == 200
        assert client.get("/hazards/export/").status_code == 200
    assert touching([q["sql"] for q in primary.captured_queries], "hazards_hazard")
    assert core.replica._down_until > 0, "marked down: the next pages do not try it again at once"


@replica_test
def test_a_replica_lost_in_the_middle_of_a_page_is_read_around(routing, client, county):
    """The replica's connection is killed between two pages (a restart of the standby): the next page fails on the
    replica, and is read again on the primary instead of answering 500."""
    import psycopg2

    HazardFactory.create_batch(2, mine=county.mine1)
    client.force_login(county.inspector)
    wait_for_replay()
    assert _api_hazard_figures(client)["not_closed"] == 2
    pid = _standby("SELECT pg_backend_pid()")
    replica = connections[REPLICA].settings_dict
    other = psycopg2.connect(host=replica["HOST"], port=replica["PORT"], dbname=replica["NAME"], user=replica["USER"])
    try:
        other.autocommit = True
        other.cursor().execute("SELECT pg_terminate_backend(%s)", [pid])
    finally:
        other.close()
    with CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as primary:
        assert _api_hazard_figures(client)["not_closed"] == 2
    assert touching([q["sql"] for q in primary.captured_queries], "hazards_hazard")


# --- without DATABASE_REPLICA_URL nothing changes (runs everywhere) ------------------------------------------------


def _settings_in_subprocess(extra_env):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_REPLICA_URL", "DJANGO_SETTINGS_MODULE")}
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([sorted(s.DATABASES), s.DATABASE_ROUTERS, "
        "[m for m in s.MIDDLEWARE if 'replica' in m], s.DATABASES.get('replica', {}).get('ENGINE')]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings", **extra_env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


@pytest.mark.slow
def test_without_the_variable_there_is_no_alias_router_or_middleware_and_with_it_there_is():
    import json

    aliases, routers, middleware, _ = json.loads(_settings_in_subprocess({}))
    assert (aliases, routers, middleware) == (["default"], [], [])
    with_replica = {
        "DATABASE_URL": "postgres://u@127.0.0.1:5432/campaign",
        "DATABASE_REPLICA_URL": "postgres://u@127.0.0.1:5433/campaign",
    }
    aliases, routers, middleware, engine = json.loads(_settings_in_subprocess(with_replica))
    assert aliases == ["default", "replica"]
    assert routers == ["core.replica.ReplicaRouter"]
    assert middleware == ["core.replica.ReplicaPinMiddleware"]
    assert engine == "core.replica"


def test_without_a_replica_the_block_reads_the_primary(db):
    if HAS_REPLICA:
        pytest.skip("a replica is configured in this run")
    with reads_from_replica():
        assert read_alias() == DEFAULT_DB_ALIAS
        assert Hazard.objects.count() == 0
