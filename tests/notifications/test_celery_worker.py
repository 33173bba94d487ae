"""A real Celery worker against the real broker (Redis in CI) and the test database (PostgreSQL in CI).

Skipped on the embedded default (SQLite in memory cannot be shared with a worker process)."""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection

from accounts.models import Role
from notifications.models import Notification
from tests.factories import MineFactory, UserFactory, running_campaign

ROOT = Path(__file__).resolve().parents[2]
BROKER = os.environ.get("REDIS_TEST_URL", "")

pytestmark = [
    pytest.mark.slow,
    # under xdist (--dist loadgroup) these run in one worker, one after the other: they start servers and workers
    # on the shared Redis and time what they do, so they must not overlap
    pytest.mark.xdist_group("services"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(not BROKER.startswith("redis://"), reason="needs Redis (REDIS_TEST_URL), as in CI"),
]


@pytest.fixture
def postgres_url():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL, as in CI")
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgres://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.fixture
def worker_factory(postgres_url):
    queue = f"test-{uuid.uuid4().hex[:8]}"
    started = []

    def start(**extra_env):
        env = {
            # not DATABASE_REPLICA_URL either: CI's replica names CI's database, not this test's
            **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CELERY_", "DATABASE_"))},
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": postgres_url,
            "CELERY_BROKER_URL": BROKER,
            "DJANGO_CONN_MAX_AGE": "0",
            **extra_env,
        }
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "-Q",
                queue,
                "--pool=solo",
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
                "-n",
                f"{queue}-{len(started)}@%h",
                "--loglevel=WARNING",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        started.append(process)
        return process

    yield queue, start
    for process in started:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def send(queue, name, **kwargs):
    from config.celery import app

    # send_task always goes through the broker (the test settings' eager mode does not apply to it).
    with app.connection_for_write(BROKER) as conn:
        app.send_task(name, kwargs=kwargs, queue=queue, connection=conn)


def wait_for(predicate, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def county_with_mines(county, n):
    running_campaign(bureau=county.bureau)
    for i in range(n):
        mine = MineFactory(name=f"批量煤矿{i:03d}", parent=county.ent2)
        UserFactory(username=f"bulk{i}", role=Role.MINE_OFFICER, organization=mine)
    # mine1-3 and ent1 have officers too: everyone owes the work plan due 2024-10-31.
    return n + 4


def test_a_sweep_sent_through_the_broker_is_done_by_a_worker(county, worker_factory):
    expected = county_with_mines(county, 5)
    queue, start = worker_factory
    start()
    send(queue, "sweeps.tasks.run_sweeps", day="2024-10-24")
    assert wait_for(lambda: Notification.objects.filter(topic="submission_reminder").count() == expected)
    send(queue, "sweeps.tasks.run_sweeps", day="2024-10-24")  # again: nothing new
    time.sleep(3)
    assert Notification.objects.count() == expected


def test_a_worker_killed_mid_sweep_and_the_rerun_leave_each_notice_once(county, worker_factory):
    expected = county_with_mines(county, 300)
    queue, start = worker_factory
    slow = start(NOTIFY_CHUNK_SIZE="40", NOTIFY_PAUSE_SECONDS="0.5")
    send(queue, "reporting.tasks.sweep_submissions", day="2024-10-24")
    assert wait_for(lambda: Notification.objects.exists()), "the worker never started the sweep"
    os.killpg(slow.pid, signal.SIGKILL)
    slow.wait(timeout=10)
    partial = Notification.objects.count()
    assert 0 < partial < expected, f"not killed in the middle ({partial} of {expected})"

    start()  # a fresh worker, and the sweep again (as beat would send it at its next tick)
    send(queue, "reporting.tasks.sweep_submissions", day="2024-10-24")
    assert wait_for(lambda: Notification.objects.count() == expected)
    time.sleep(2)
    assert Notification.objects.count() == expected
    keys = list(Notification.objects.values_list("recipient_id", "key"))
    assert len(keys) == len(set(keys)) == expected
