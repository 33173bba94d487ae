"""Production shape on loopback: two gunicorn servers and two Celery workers against the test PostgreSQL database and
Redis, driven for a bounded time by concurrent users and repeated sweeps. No 5xx, no task error, every submission
stored once, every notice recorded once."""

import concurrent.futures
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from accounts.models import Role
from notifications.models import Notification
from reporting.models import Submission
from tests.factories import MineFactory, UserFactory, running_campaign

ROOT = Path(__file__).resolve().parents[2]
BROKER = "redis://127.0.0.1:6379/14"
PASSWORD = "Multi-proc-pass-1"
PLAN = {f"n_{k}": "内容" for k in ("goals", "organization", "measures_1", "measures_2", "measures_3", "measures_4")}

pytestmark = [
    pytest.mark.slow,
    # under xdist (--dist loadgroup) these run in one worker, one after the other: they start servers and workers
    # on the shared Redis and time what they do, so they must not overlap
    pytest.mark.xdist_group("services"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(not os.environ.get("REDIS_TEST_URL"), reason="needs Redis (REDIS_TEST_URL), as in CI"),
]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def stack(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL, as in CI")
    import redis

    redis.Redis.from_url(BROKER).flushdb()
    s = connection.settings_dict
    env = {
        # not DATABASE_REPLICA_URL either: CI's replica names CI's database, not this test's
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CELERY_", "DATABASE_"))},
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}",
        "CELERY_BROKER_URL": BROKER,
        "DJANGO_DEBUG": "False",
        "DJANGO_SECRET_KEY": "multi-process-test-" + "k" * 40,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "False",
        "DJANGO_SESSION_COOKIE_SECURE": "False",
        "DJANGO_CSRF_COOKIE_SECURE": "False",
        "DJANGO_CONN_MAX_AGE": "0",
        "DJANGO_LOG_FORMAT": "json",
    }
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    ports, processes, logs = [free_port(), free_port()], [], []
    for i, port in enumerate(ports):
        log = open(tmp_path / f"web{i}.log", "w")  # noqa: SIM115 -- closed at teardown
        logs.append(log)
        processes.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "-c",
                    "config/gunicorn.py",
                    "config.wsgi",
                    "-b",
                    f"127.0.0.1:{port}",
                    "-w",
                    "2",
                    "--threads",
                    "2",
                ],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
    for i in range(2):
        log = open(tmp_path / f"worker{i}.log", "w")  # noqa: SIM115
        logs.append(log)
        processes.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "config",
                    "worker",
                    "--concurrency=2",
                    "-n",
                    f"mp{i}@%h",
                    "--loglevel=INFO",
                    "--without-gossip",
                    "--without-mingle",
                ],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
    for port in ports:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.3).close()
                break
            except OSError:
                time.sleep(0.2)
    yield {"urls": [f"http://127.0.0.1:{p}" for p in ports], "logs": tmp_path}
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
    for log in logs:
        log.close()


def session_for(base, username):
    import requests

    s = requests.Session()
    s.get(f"{base}/accounts/login/", timeout=10)
    response = s.post(
        f"{base}/accounts/login/",
        timeout=10,
        allow_redirects=False,
        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": s.cookies["csrftoken"]},
    )
    assert response.status_code == 302, (username, response.status_code)
    return s


def submit(base, username, deadline_id, statuses):
    s = session_for(base, username)
    token = s.cookies["csrftoken"]
    open_url = f"{base}/submissions/open/{deadline_id}/"
    edit = s.post(open_url, timeout=20, data={"csrfmiddlewaretoken": token}, headers={"Referer": open_url})
    statuses.append(edit.status_code)
    match = re.search(r"/submissions/(\d+)/edit/", edit.url)
    if not match:
        return
    # The form carries the version it was read at, as a browser posts it.
    row_version = re.search(r'name="row_version" value="(\d+)"', edit.text)
    form = {**PLAN, "submit": "1", "csrfmiddlewaretoken": token, "row_version": row_version[1] if row_version else ""}
    for _ in range(2):  # a double click: the second is refused, not stored twice
        r = s.post(
            edit.url,
            timeout=20,
            data=form,
            headers={"Referer": edit.url},
        )
        statuses.append(r.status_code)


def test_two_servers_two_workers_under_concurrent_use(county, stack):
    import datetime as dt

    from campaign.services import start_date_for_phase_today
    from config.celery import app
    from tests.factories import template_campaign

    today = dt.date.today()
    start = start_date_for_phase_today(source=template_campaign(), phase_code="deploy", today=today, days_into_phase=1)
    campaign = running_campaign(bureau=county.bureau, starts_on=start)
    deadline = campaign.deadlines.get(kind="work_plan")  # due within days: reminders go out
    officers = []
    for i in range(24):
        mine = MineFactory(name=f"并发煤矿{i:02d}", parent=county.ent2)
        officers.append(UserFactory(username=f"mp{i}", role=Role.MINE_OFFICER, organization=mine))
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    # The servers run the production settings, whose hashers do not include the test settings' MD5.
    hashed = PBKDF2PasswordHasher().encode(PASSWORD, PBKDF2PasswordHasher().salt())
    for user in officers:
        user.password = hashed
        user.save(update_fields=["password"])

    statuses, urls = [], stack["urls"]
    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool, app.connection_for_write(BROKER) as conn:
        futures = [pool.submit(submit, urls[i % 2], u.username, deadline.pk, statuses) for i, u in enumerate(officers)]
        # the same officer from both servers at once
        futures += [
            pool.submit(submit, urls[1 - i % 2], u.username, deadline.pk, statuses) for i, u in enumerate(officers[:8])
        ]
        for _ in range(6):
            app.send_task("sweeps.tasks.run_sweeps", connection=conn)
            time.sleep(0.5)
        for f in futures:
            f.result(timeout=120)
    time.sleep(8)  # let the workers finish the sweeps and the outbox

    assert statuses and all(code < 500 for code in statuses), sorted(set(statuses))
    subs = Submission.objects.filter(deadline=deadline, organization__name__startswith="并发煤矿")
    assert subs.count() == len(officers)  # one per organisation, whatever the races
    assert set(subs.values_list("versions_submitted", flat=True)) == {1}  # the double clicks made no second version
    keys = list(Notification.objects.values_list("recipient_id", "key"))
    assert keys and len(keys) == len(set(keys))
    worker_logs = "".join((stack["logs"] / f"worker{i}.log").read_text() for i in range(2))
    assert "succeeded" in worker_logs
    assert "Traceback" not in worker_logs and '"level": "ERROR"' not in worker_logs
    web_logs = "".join((stack["logs"] / f"web{i}.log").read_text() for i in range(2))
    assert "Traceback" not in web_logs and '"status": 5' not in web_logs
