"""`Idempotency-Key` (core/idempotency.py): a write sent again after its answer was lost happens once."""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from core.models import IdempotencyKey
from core.tasks import prune_idempotency_keys
from hazards.models import Hazard
from violations.models import Violation

pytestmark = pytest.mark.django_db
JSON = {"HTTP_ACCEPT": "application/json"}


def hazard_data(county, **changes):
    today = dt.date.today()
    data = {
        "mine": county.mine1.pk,
        "found_on": today.isoformat(),
        "source": "team_daily",
        "location": "2401回风巷",
        "specialty": "ventilation",
        "description": "甲烷传感器吊挂位置不当",
        "level": "general",
        "measures": "调整传感器",
        "responsible_unit": "通风队",
        "responsible_person": "李晓东",
        "due_on": (today + dt.timedelta(days=3)).isoformat(),
    }
    return {**data, **changes}


@pytest.fixture
def violation_fields():
    return {
        "occurred_on": (dt.date.today() - dt.timedelta(days=1)).isoformat(),
        "shift": "zero",
        "location": "2401综采工作面",
        "person_name": "何振华",
        "post": "跟班队长",
        "department": "综采一队",
        "team": "综采一队3班",
        "type": "command",
        "severity": "serious",
        "description": "零点班安排检修动火作业，无审批措施",
        "found_by": "self",
        "found_by_name": "本矿安检员",
    }


def post(client, data, key, path="/hazards/new/", **extra):
    return client.post(path, data, HTTP_IDEMPOTENCY_KEY=key, **JSON, **extra)


def test_a_repeat_answers_the_first_result_and_writes_once(client, county):
    client.force_login(county.mine1_officer)
    first = post(client, hazard_data(county), "phone-record-0001")
    assert first.status_code == 201
    hazard = Hazard.objects.get()
    assert first.json() == {"id": hazard.pk, "url": f"/hazards/{hazard.pk}/"}
    assert "Idempotent-Replayed" not in first

    again = post(client, hazard_data(county), "phone-record-0001")
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json() and again["Location"] == first["Location"]
    assert Hazard.objects.count() == 1
    row = IdempotencyKey.objects.get()
    assert (row.user, row.method, row.path, row.response_status) == (county.mine1_officer, "POST", "/hazards/new/", 201)


def test_the_html_form_with_a_key_replays_its_redirect(client, county):
    client.force_login(county.mine1_officer)
    first = client.post("/hazards/new/", hazard_data(county), HTTP_IDEMPOTENCY_KEY="html-form-0001")
    again = client.post("/hazards/new/", hazard_data(county), HTTP_IDEMPOTENCY_KEY="html-form-0001")
    assert first.status_code == again.status_code == 302
    assert again["Location"] == first["Location"] and again["Idempotent-Replayed"] == "true"
    assert Hazard.objects.count() == 1


def test_the_same_key_on_another_path_method_or_contents_is_422(client, county, violation_fields):
    client.force_login(county.mine1_officer)
    assert post(client, hazard_data(county), "shared-key-0001").status_code == 201
    other_path = post(client, {**violation_fields, "mine": county.mine1.pk}, "shared-key-0001", "/violations/new/")
    assert other_path.status_code == 422
    assert "另一项提交" in other_path.json()["detail"]
    other_method = client.put("/hazards/new/", b"", HTTP_IDEMPOTENCY_KEY="shared-key-0001", **JSON)
    assert other_method.status_code == 422
    other_contents = post(client, hazard_data(county, location="另一个地点"), "shared-key-0001")
    assert other_contents.status_code == 422
    assert Hazard.objects.count() == 1 and not Violation.objects.exists()


@pytest.mark.parametrize("key", ["short", "x" * 101, "有中文的键12345", "spaces in key", "semi;colon12"])
def test_a_bad_key_is_400_with_a_chinese_message(client, county, key):
    client.force_login(county.mine1_officer)
    response = post(client, hazard_data(county), key)
    assert response.status_code == 400
    assert "Idempotency-Key 无效" in response.json()["detail"]
    assert not Hazard.objects.exists() and not IdempotencyKey.objects.exists()


def test_a_refused_record_is_not_stored_and_can_be_corrected_under_the_same_key(client, county):
    client.force_login(county.mine1_officer)
    refused = post(client, hazard_data(county, specialty=""), "correct-me-0001")
    assert refused.status_code == 422
    assert "specialty" in refused.json()["errors"]
    assert not IdempotencyKey.objects.exists()
    corrected = post(client, hazard_data(county), "correct-me-0001")
    assert corrected.status_code == 201 and "Idempotent-Replayed" not in corrected
    assert Hazard.objects.count() == 1


def test_a_rule_refusal_is_409_with_its_message_and_not_stored(client, county):
    client.force_login(county.mine1_officer)
    assert post(client, hazard_data(county), "first-record-01").status_code == 201
    duplicate = post(client, hazard_data(county), "second-record-1")  # the same hazard again, as a new record
    assert duplicate.status_code == 409
    assert "请勿重复登记" in duplicate.json()["detail"]
    assert IdempotencyKey.objects.count() == 1 and Hazard.objects.count() == 1


def test_keys_are_per_user(client, county):
    client.force_login(county.mine1_officer)
    assert post(client, hazard_data(county), "same-key-both-1").status_code == 201
    other = Client()
    other.force_login(county.mine2_officer)
    second = post(other, hazard_data(county, mine=county.mine2.pk), "same-key-both-1")
    assert second.status_code == 201 and "Idempotent-Replayed" not in second
    assert sorted(Hazard.objects.values_list("mine__name", flat=True)) == ["东峰煤矿", "西岭煤矿"]


def test_a_record_queued_by_one_officer_is_refused_under_another_users_session(client, county):
    """A shared phone: mine1 queued a record offline, then the session became mine2's; the record must not land in
    mine2's mine under mine2's name. It is refused (409) and stays queued; sent again as mine1 it goes."""
    made_by = str(county.mine1_officer.pk)
    client.force_login(county.mine2_officer)
    refused = post(client, hazard_data(county), "shared-phone-1", HTTP_X_CAPTURE_USER=made_by)
    assert refused.status_code == 409 and refused.json()["code"] == "capture_user_mismatch"
    assert "另一位用户" in refused.json()["detail"]
    assert not Hazard.objects.exists()
    client.force_login(county.mine1_officer)
    sent = post(client, hazard_data(county), "shared-phone-1", HTTP_X_CAPTURE_USER=made_by)
    assert sent.status_code == 201
    assert list(Hazard.objects.values_list("mine__name", "created_by")) == [("东峰煤矿", county.mine1_officer.pk)]


def test_a_server_error_leaves_neither_the_key_nor_the_write(client, county, monkeypatch):
    from hazards import services

    real = services.hazard_create

    def crash_after_writing(**kwargs):
        real(**kwargs)
        raise RuntimeError("the worker died after the insert")

    monkeypatch.setattr(services, "hazard_create", crash_after_writing)
    client.raise_request_exception = False
    client.force_login(county.mine1_officer)
    assert post(client, hazard_data(county), "crash-record-01").status_code == 500
    assert not Hazard.objects.exists() and not IdempotencyKey.objects.exists()


def test_without_a_key_nothing_changes_and_signed_out_json_is_401(client, county):
    response = client.post("/hazards/new/", hazard_data(county), **JSON)
    assert response.status_code == 401 and "登录" in response.json()["detail"]
    assert client.post("/hazards/new/", hazard_data(county)).status_code == 302  # the page: to the login page
    client.force_login(county.mine1_officer)
    assert client.post("/hazards/new/", hazard_data(county), **JSON).status_code == 201
    assert not IdempotencyKey.objects.exists()


def test_json_answers_of_the_violation_form(client, county, violation_fields):
    client.force_login(county.mine1_officer)
    data = {**violation_fields, "mine": county.mine1.pk}
    created = post(client, data, "violation-0001", "/violations/new/")
    assert created.status_code == 201
    violation = Violation.objects.get()
    assert created.json()["url"] == f"/violations/{violation.pk}/"
    bad = post(client, {**data, "person_name": ""}, "violation-0002", "/violations/new/")
    assert bad.status_code == 422 and "person_name" in bad.json()["errors"]
    client.force_login(county.leader)  # the leadership group reads only
    refused = post(client, data, "violation-0003", "/violations/new/")
    assert refused.status_code == 403 and refused.json()["detail"]


def test_prune_keeps_a_week(client, county):
    client.force_login(county.mine1_officer)
    post(client, hazard_data(county), "old-record-0001")
    post(client, hazard_data(county, location="新地点"), "new-record-0001")
    IdempotencyKey.objects.filter(key="old-record-0001").update(created_at=timezone.now() - dt.timedelta(days=8))
    assert prune_idempotency_keys() == 1
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["new-record-0001"]


# ------------------------------------------------------------------ a duplicate while the first is in flight


@pytest.fixture
def held_create(monkeypatch):
    """hazard_create that waits, inside the request's transaction, until the test lets it go."""
    from hazards import services

    real = services.hazard_create
    entered, release = threading.Event(), threading.Event()

    def slow(**kwargs):
        entered.set()
        assert release.wait(10)
        return real(**kwargs)

    monkeypatch.setattr(services, "hazard_create", slow)
    return entered, release


def _in_thread(user, data, key, answers):
    def run():
        client = Client()
        client.force_login(user)
        try:
            answers.append(post(client, data, key))
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_duplicate_in_flight_waits_then_409_and_later_replays(county, held_create, settings):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises whole requests; the wait on the key's row is PostgreSQL's")
    entered, release = held_create
    settings.IDEMPOTENCY_WAIT_SECONDS = 0.3
    answers = []
    first = _in_thread(county.mine1_officer, hazard_data(county), "in-flight-0001", answers)
    assert entered.wait(10)
    client = Client()
    client.force_login(county.mine1_officer)
    waiting = post(client, hazard_data(county), "in-flight-0001")
    assert waiting.status_code == 409 and waiting.json()["code"] == "idempotency_in_flight"
    release.set()
    first.join(10)
    assert answers[0].status_code == 201
    replay = post(client, hazard_data(county), "in-flight-0001")
    assert replay.status_code == 201 and replay["Idempotent-Replayed"] == "true"
    assert replay.json() == answers[0].json()
    assert Hazard.objects.count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_duplicate_in_flight_that_waits_long_enough_gets_the_first_answer(county, held_create, settings):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises whole requests; the wait on the key's row is PostgreSQL's")
    entered, release = held_create
    settings.IDEMPOTENCY_WAIT_SECONDS = 10
    answers, duplicates = [], []
    first = _in_thread(county.mine1_officer, hazard_data(county), "in-flight-0002", answers)
    assert entered.wait(10)
    second = _in_thread(county.mine1_officer, hazard_data(county), "in-flight-0002", duplicates)
    threading.Timer(0.5, release.set).start()
    first.join(15)
    second.join(15)
    assert answers[0].status_code == 201 and duplicates[0].status_code == 201
    assert duplicates[0]["Idempotent-Replayed"] == "true" and duplicates[0].json() == answers[0].json()
    assert Hazard.objects.count() == 1
