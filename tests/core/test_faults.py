"""Faults: the broker down, a failure half-way through a write, two people acting on one hazard at once."""

import datetime as dt
import threading
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from core.errors import DomainError
from hazards import services as hz
from hazards.models import Hazard, HazardEvent, HazardFile
from notifications.models import Notification
from notifications.services import send_pending_emails
from reporting.models import Submission
from sweeps.registry import run_all_sweeps
from tests.factories import HazardFactory, running_campaign

PLAN = dict.fromkeys(("goals", "organization", "measures_1", "measures_2", "measures_3", "measures_4"), "x")


@pytest.fixture
def broker_down(settings):
    """The real publishing path (not eager) against a broker address where nothing listens."""
    from config.celery import app

    old = (app.conf.broker_url, app.conf.task_always_eager)
    app.conf.broker_url = "redis://127.0.0.1:6399/0"
    app.conf.task_always_eager = False
    app.pool.force_close_all()
    yield
    app.conf.broker_url, app.conf.task_always_eager = old
    app.pool.force_close_all()


@pytest.mark.django_db
def test_with_the_broker_down_pages_and_submissions_work_and_sweeps_catch_up(
    client, county, broker_down, mailoutbox, django_capture_on_commit_callbacks
):
    county.inspector.email = "inspector@example.com"
    county.inspector.save()
    campaign = running_campaign(bureau=county.bureau)
    deadline = campaign.deadlines.get(code="work_plan")
    client.force_login(county.mine1_officer)
    started = time.monotonic()
    assert client.get("/").status_code == 200
    response = client.post(f"/submissions/open/{deadline.pk}/")
    submission = Submission.objects.get()
    client.post(
        f"/submissions/{submission.pk}/edit/",
        {**{f"n_{k}": v for k, v in PLAN.items()}, "submit": "1", "row_version": submission.row_version},
    )
    assert Submission.objects.get().versions_submitted == 1
    # A sweep while the broker is down records its notices; only the e-mail hand-off (on commit) fails, quietly.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert sum(run_all_sweeps(today=dt.date(2024, 11, 1)).values()) > 0
    assert callbacks, "the e-mail hand-off to the broker was attempted"
    assert time.monotonic() - started < 30, "the broker being down must not make requests hang"
    assert Notification.objects.filter(email_status="pending").exists()
    assert response.status_code == 302
    # The broker is back: the outbox (beat sends it every 5 minutes) mails what was recorded; nothing twice.
    assert send_pending_emails() >= 1
    assert mailoutbox[0].to == ["inspector@example.com"]
    assert run_all_sweeps(today=dt.date(2024, 11, 1)) == dict.fromkeys(
        (
            "submissions",
            "hazards",
            "retraining",
            "leader_reviews",
            "backtracks",
            "violation_accountability",
            "bulletin_duty",
            "certificates",
            "penalty_cases",
            "enforcement_documents",
            "summons_follow_ups",
        ),
        0,
    )


@pytest.mark.django_db
def test_a_transition_that_fails_half_way_leaves_nothing_behind(client, county, general_fields):
    hazard = hz.hazard_create(actor=county.mine1_officer, mine=county.mine1, **general_fields)
    client.force_login(county.mine1_officer)
    before_events = HazardEvent.objects.count()
    client.post(
        f"/hazards/{hazard.pk}/submit/",
        {
            "rectified_on": dt.date.today().isoformat(),
            "after_photo": SimpleUploadedFile("fake.jpg", b"not a photo"),
            "row_version": hazard.row_version,
        },
    )
    hazard.refresh_from_db()
    assert hazard.status == "open" and hazard.rectified_on is None  # the status change was rolled back
    assert HazardEvent.objects.count() == before_events
    assert not HazardFile.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_inspectors_accepting_one_hazard_at_once_give_one_transition(county):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (SQLite serialises whole-database writes), as in CI")
    from tests.factories import UserFactory

    second = UserFactory(username="inspector2", role="inspector", organization=county.bureau)
    hazard = HazardFactory(mine=county.mine1, level="major", status="awaiting_acceptance", contingency_plan="x")
    barrier = threading.Barrier(2)
    outcomes = []

    def accept(actor):
        from django.db import connection as thread_connection

        try:
            barrier.wait(timeout=10)
            hz.hazard_accept(actor=actor, hazard=hazard)
            outcomes.append("accepted")
        except DomainError as exc:
            outcomes.append(exc.message)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=accept, args=(u,)) for u in (county.inspector, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(outcomes) == sorted(["accepted", "隐患当前为“已销号”，不能验收。"])
    assert HazardEvent.objects.filter(hazard=hazard, action="验收销号").count() == 1
    assert Hazard.objects.get(pk=hazard.pk).history.filter(status="closed").count() == 1
