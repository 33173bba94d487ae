"""The documented backup procedure, carried out: pg_dump the database, pg_restore it into a new one, and compare
every table's row count. PostgreSQL only (as in CI)."""

import os
import shutil
import subprocess
import uuid

import pytest
from django.db import connection

from tests.factories import HazardFactory, ViolationFactory, running_campaign

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _pg_env():
    s = connection.settings_dict
    env = {**os.environ, "PGHOST": s["HOST"] or "127.0.0.1", "PGPORT": str(s["PORT"] or 5432), "PGUSER": s["USER"]}
    if s.get("PASSWORD"):
        env["PGPASSWORD"] = s["PASSWORD"]
    return env


def _counts(cursor):
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    tables = [t for (t,) in cursor.fetchall()]
    counts = {}
    for table in tables:
        cursor.execute(f'SELECT count(*) FROM "{table}"')
        counts[table] = cursor.fetchone()[0]
    return counts


def test_pg_dump_and_restore_keep_every_row(county, tmp_path):
    if connection.vendor != "postgresql" or not shutil.which("pg_dump"):
        pytest.skip("needs PostgreSQL and its client tools, as in CI")
    running_campaign(bureau=county.bureau)
    HazardFactory.create_batch(5, mine=county.mine1)
    ViolationFactory.create_batch(3, mine=county.mine2)
    env, source = _pg_env(), connection.settings_dict["NAME"]
    dump = tmp_path / "campaign.dump"
    subprocess.run(["pg_dump", "--format=custom", f"--file={dump}", source], env=env, check=True)
    target = f"restore_{uuid.uuid4().hex[:8]}"
    subprocess.run(["createdb", target], env=env, check=True)
    try:
        subprocess.run(["pg_restore", "--no-owner", f"--dbname={target}", str(dump)], env=env, check=True)
        with connection.cursor() as cursor:
            original = _counts(cursor)
        import psycopg2

        restored_connection = psycopg2.connect(
            dbname=target, host=env["PGHOST"], port=env["PGPORT"], user=env["PGUSER"], password=env.get("PGPASSWORD")
        )
        try:
            with restored_connection.cursor() as cursor:
                restored = _counts(cursor)
        finally:
            restored_connection.close()
        assert restored == original
        assert original["hazards_hazard"] == 5 and original["violations_violation"] == 3
    finally:
        subprocess.run(["dropdb", target], env=env, check=False)
