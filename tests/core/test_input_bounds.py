"""Bounds on every input (core/bounds.py): a date of year 1 or 9999, a happened date tomorrow, 1,000,000 days off or
a 100,000-character text is refused by the forms, the API and the ledger imports alike, with the same Chinese
message and nothing written; the boundary itself (today, the maximum) is accepted. And every date, number and text
field of the project's models carries a bound, so a new field without one fails here."""

import datetime as dt

import pytest
from django.apps import apps
from django.core.validators import MaxLengthValidator, MaxValueValidator
from django.db import models
from django.utils import timezone

from core import bounds
from core.ledger_import import ImportRejected
from hazards.models import Hazard
from hazards.services import hazards_import
from tests.factories import running_campaign
from tests.hazards.xlsx import HEADERS as HAZARD_HEADERS
from tests.hazards.xlsx import workbook_upload
from violations.models import Tipoff, Violation
from violations.services import violations_import
from workforce.models import PositioningRecord, TrainingSession, WorkUnit, ZeroShiftPlan
from workforce.services import positioning_import

pytestmark = pytest.mark.django_db

TOO_EARLY = "日期不能早于 2000年1月1日。"
IN_FUTURE = "日期不能晚于今天。"
LONG = "长" * 100_000


def today():
    return timezone.localdate()


def day(value):
    """The test's dates: literal, or "today"/"tomorrow" at the moment of the request (the suite travels in time)."""
    if value == "today":
        return today().isoformat()
    if value == "tomorrow":
        return (today() + dt.timedelta(days=1)).isoformat()
    return value


def far_ahead():
    latest = bounds.planned_date.latest()
    return f"日期不能晚于 {latest.year}年{latest.month}月{latest.day}日。"


# ---------------------------------------------------------------- the rule itself


@pytest.mark.parametrize(
    ("validator", "value", "message"),
    [
        (bounds.past_date, dt.date(1, 1, 1), TOO_EARLY),
        (bounds.past_date, dt.date(1999, 12, 31), TOO_EARLY),
        (bounds.past_date, dt.date(9999, 12, 31), IN_FUTURE),
        (bounds.past_date, "tomorrow", IN_FUTURE),
        (bounds.next_day_date, "tomorrow", None),
        (bounds.planned_date, dt.date(9999, 12, 31), "far"),
        (bounds.past_date, dt.datetime(1, 1, 1, 8, tzinfo=dt.UTC), TOO_EARLY),
        (bounds.past_date, dt.datetime(9999, 12, 31, 23, tzinfo=dt.UTC), IN_FUTURE),
    ],
)
def test_dates_are_bounded_with_a_chinese_message(validator, value, message):
    from django.core.exceptions import ValidationError

    if value == "tomorrow":
        value = today() + dt.timedelta(days=1)
    if message is None:
        validator(value)
        return
    with pytest.raises(ValidationError) as caught:
        validator(value)
    assert caught.value.messages == [far_ahead() if message == "far" else message]


def test_the_boundaries_themselves_are_accepted():
    bounds.past_date(today())
    bounds.past_date(bounds.DATE_FLOOR)
    bounds.planned_date(bounds.planned_date.latest())
    bounds.past_date(timezone.now())


# ---------------------------------------------------------------- hazards: form, API, import


def hazard_form(**over):
    data = {
        "source": "unit_weekly",
        "found_on": today().isoformat(),
        "location": "2401回风巷",
        "specialty": "ventilation",
        "description": "甲烷传感器吊挂位置距顶板超过300mm",
        "level": "general",
        "measures": "调整传感器吊挂位置",
        "responsible_unit": "通风队",
        "responsible_person": "李晓东",
        "due_on": (today() + dt.timedelta(days=7)).isoformat(),
    }
    return {**data, **{k: day(v) for k, v in over.items()}}


HAZARD_CASES = [
    ("found_on", "0001-01-01", TOO_EARLY),
    ("found_on", "9999-12-31", IN_FUTURE),
    ("found_on", "tomorrow", IN_FUTURE),
    ("due_on", "9999-12-31", "far"),
    ("description", LONG, "内容不能超过 5000 字（现有 100000 字）。"),
    ("measures", LONG, "内容不能超过 5000 字（现有 100000 字）。"),
    ("funds", "1000000000", "整改资金不能超过 100,000,000 元。"),
]


def _expected(message):
    return far_ahead() if message == "far" else message


@pytest.mark.parametrize(("field", "value", "message"), HAZARD_CASES)
def test_hazard_form_refuses_out_of_bounds(client, county, field, value, message):
    client.force_login(county.mine1_officer)
    response = client.post("/hazards/new/", hazard_form(**{field: value}))
    assert response.status_code == 200
    assert _expected(message) in response.context["form"].errors[field]
    assert not Hazard.objects.exists()


@pytest.mark.parametrize(("field", "value", "message"), HAZARD_CASES)
def test_hazard_api_refuses_out_of_bounds(api_client, county, field, value, message):
    api_client.force_authenticate(county.mine1_officer)
    response = api_client.post("/api/v1/hazards/", {**hazard_form(**{field: value}), "mine": county.mine1.pk})
    assert response.status_code == 400
    assert _expected(message) in response.json()[field]
    assert not Hazard.objects.exists()


def test_hazard_form_and_api_accept_the_boundaries(client, api_client, county):
    edge = {"found_on": "today", "description": "长" * 5000, "funds": "100000000"}
    client.force_login(county.mine1_officer)
    assert client.post("/hazards/new/", hazard_form(**edge)).status_code == 302
    api_client.force_authenticate(county.mine1_officer)
    body = {**hazard_form(**edge), "location": "另一处", "mine": county.mine1.pk}
    assert api_client.post("/api/v1/hazards/", body).status_code == 201
    assert Hazard.objects.count() == 2


def hazard_row(found_on="today", description="支架初撑力不足", due_on=None, funds=0):
    return [1, day(found_on), "班组日查", "2401工作面", description, "顶板", "一般", "补液", "王建军", due_on, funds]


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (hazard_row(found_on="0001-01-01"), "排查日期", TOO_EARLY),
        (hazard_row(found_on="9999-12-31"), "排查日期", IN_FUTURE),
        (hazard_row(found_on="tomorrow"), "排查日期", IN_FUTURE),
        (hazard_row(due_on="9999-12-31"), "整改期限", "far"),
        (hazard_row(funds=1_000_000_000), "整改资金（元）", "整改资金不能超过 100,000,000 元。"),
    ],
)
def test_hazard_import_refuses_out_of_bounds_cells_by_row_and_column(county, row, column, message):
    with pytest.raises(ImportRejected) as caught:
        hazards_import(actor=county.mine1_officer, mine=county.mine1, upload=workbook_upload([row]))
    errors = [e.as_dict() for e in caught.value.errors]
    assert {"row": 4, "column": column, "message": _expected(message)} in errors
    assert not Hazard.objects.exists()


def test_hazard_import_reports_every_bad_cell_of_a_row_and_accepts_the_boundaries(county):
    bad = hazard_row(found_on="0001-01-01", due_on="9999-12-31", funds=1_000_000_000)
    good = hazard_row(description="长" * 5000, funds=100_000_000)
    result = hazards_import(
        actor=county.mine1_officer, mine=county.mine1, upload=workbook_upload([bad, good]), only_valid_rows=True
    )
    assert result.created == 1 and {e.column for e in result.errors} == {"排查日期", "整改期限", "整改资金（元）"}
    assert Hazard.objects.get().found_on == today()
    assert HAZARD_HEADERS[1] == "排查日期"


def test_hazard_import_reports_a_repeated_bad_value_on_every_row_and_a_repeated_good_one_nowhere(county):
    """Each field's verdict on a value is remembered over the file's rows (a ledger repeats its values): the same
    out-of-bounds amount on three rows is three errors, and the same good date on each row is none."""
    rows = [hazard_row(description=f"隐患{i}", funds=1_000_000_000 if i % 2 else 100) for i in range(6)]
    with pytest.raises(ImportRejected) as caught:
        hazards_import(actor=county.mine1_officer, mine=county.mine1, upload=workbook_upload(rows))
    errors = [(e.row, e.column) for e in caught.value.errors]
    assert errors == [(5, "整改资金（元）"), (7, "整改资金（元）"), (9, "整改资金（元）")]


# ---------------------------------------------------------------- 三违: form, API, import


def violation_form(**over):
    data = {
        "occurred_on": today().isoformat(),
        "location": "2401综采工作面",
        "person_name": "何振华",
        "type": "command",
        "severity": "general",
        "description": "未执行敲帮问顶",
        "found_by": "self",
    }
    return {**data, **{k: day(v) for k, v in over.items()}}


VIOLATION_CASES = [
    ("occurred_on", "0001-01-01", TOO_EARLY),
    ("occurred_on", "9999-12-31", IN_FUTURE),
    ("occurred_on", "tomorrow", IN_FUTURE),
    ("suspension_days", "1000000", "停工学习天数不能超过 365 天。"),
    ("fine", "1000000", "罚款不能超过 100,000 元。"),
    ("description", LONG, "内容不能超过 2000 字（现有 100000 字）。"),
]


@pytest.mark.parametrize(("field", "value", "message"), VIOLATION_CASES)
def test_violation_form_refuses_out_of_bounds(client, county, field, value, message):
    client.force_login(county.mine1_officer)
    response = client.post("/violations/new/", violation_form(**{field: value}))
    assert response.status_code == 200
    assert message in response.context["form"].errors[field]
    assert not Violation.objects.exists()


@pytest.mark.parametrize(("field", "value", "message"), VIOLATION_CASES)
def test_violation_api_refuses_out_of_bounds(api_client, county, field, value, message):
    api_client.force_authenticate(county.mine1_officer)
    response = api_client.post("/api/v1/violations/", {**violation_form(**{field: value}), "mine": county.mine1.pk})
    assert response.status_code == 400
    assert message in response.json()[field]
    assert not Violation.objects.exists()


def test_violation_form_and_api_accept_the_boundaries(client, api_client, county):
    edge = {"occurred_on": "today", "suspension_days": "365", "fine": "100000", "description": "长" * 2000}
    client.force_login(county.mine1_officer)
    assert client.post("/violations/new/", violation_form(**edge)).status_code == 302
    api_client.force_authenticate(county.mine1_officer)
    body = {**violation_form(**edge), "person_name": "另一人", "mine": county.mine1.pk}
    assert api_client.post("/api/v1/violations/", body).status_code == 201
    assert list(Violation.objects.values_list("suspension_days", flat=True)) == [365, 365]


VIOLATION_HEADERS = ["日期", "姓名", "违章地点", "违章行为", "三违类别", "处罚情况"]


def violation_row(occurred_on="today", description="未执行敲帮问顶", penalty="罚款200元"):
    return [day(occurred_on), "何振华", "2401工作面", description, "违章作业", penalty]


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (violation_row(occurred_on="0001-01-01"), "日期", TOO_EARLY),
        (violation_row(occurred_on="9999-12-31"), "日期", IN_FUTURE),
        (violation_row(occurred_on="tomorrow"), "日期", IN_FUTURE),
        (violation_row(penalty="罚款200元，停工学习1000000天"), "处罚情况", "停工学习天数不能超过 365 天。"),
        (violation_row(penalty="罚款1000000元"), "处罚情况", "罚款不能超过 100,000 元。"),
    ],
)
def test_violation_import_refuses_out_of_bounds_cells_by_row_and_column(county, row, column, message):
    upload = workbook_upload([row], headers=VIOLATION_HEADERS, title="三违台账")
    with pytest.raises(ImportRejected) as caught:
        violations_import(actor=county.mine1_officer, mine=county.mine1, upload=upload)
    assert {"row": 4, "column": column, "message": message} in [e.as_dict() for e in caught.value.errors]
    assert not Violation.objects.exists()


def test_violation_import_accepts_the_boundaries(county):
    upload = workbook_upload(
        [violation_row(penalty="罚款100000元，停工学习365天")], headers=VIOLATION_HEADERS, title="三违台账"
    )
    result = violations_import(actor=county.mine1_officer, mine=county.mine1, upload=upload)
    assert result.created == 1
    assert Violation.objects.values_list("occurred_on", "suspension_days").get() == (today(), 365)


def test_tipoff_api_refuses_out_of_bounds(api_client, county):
    from django.core.cache import cache

    cache.clear()  # the public form's rate limit
    body = {"category": "violation", "content": "有人违章", "mine": county.mine1.pk}
    for value, message in (("9999-12-31", IN_FUTURE), ("0001-01-01", TOO_EARLY)):
        response = api_client.post("/api/v1/anonymous-reports/", {**body, "occurred_on": value}, format="json")
        assert response.status_code == 400 and message in response.json()["occurred_on"]
    response = api_client.post("/api/v1/anonymous-reports/", {**body, "content": LONG}, format="json")
    assert response.status_code == 400 and "内容不能超过 2000 字（现有 100000 字）。" in response.json()["content"]
    assert not Tipoff.objects.exists()


# ---------------------------------------------------------------- workforce: form, API, import


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("held_on", "0001-01-01", TOO_EARLY),
        ("held_on", "9999-12-31", IN_FUTURE),
        ("hours", "100", "学时不能超过 24 小时。"),
        ("note", LONG, "内容不能超过 2000 字（现有 100000 字）。"),
    ],
)
def test_training_session_form_refuses_out_of_bounds(client, county, field, value, message):
    unit = WorkUnit.objects.create(mine=county.mine1, kind="team", name="综采一班")
    client.force_login(county.mine1_officer)
    form = {"kind": "training", "held_on": day("today"), "topic": "安全培训", "lecturer_name": "周伟", "hours": "24"}
    response = client.post("/workforce/sessions/new/", {**form, "units": [unit.pk], field: value})
    assert response.status_code == 200
    assert message in response.context["form"].errors[field]
    assert not TrainingSession.objects.exists()
    assert client.post("/workforce/sessions/new/", {**form, "units": [unit.pk]}).status_code == 302


@pytest.mark.parametrize(
    ("value", "message"), [("0001-01-01", TOO_EARLY), ("9999-12-31", "far"), ("1999-12-31", TOO_EARLY)]
)
def test_zero_shift_plan_api_refuses_out_of_bounds(api_client, county, value, message):
    api_client.force_authenticate(county.mine1_officer)
    body = {
        "mine": county.mine1.pk,
        "shift_date": value,
        "leader_one": "赵安全",
        "leader_two": "钱机电",
        "tasks": [{"location": "2401 工作面", "content": "割煤、支护"}],
    }
    response = api_client.post("/api/v1/zero-shift-plans/", body, format="json")
    assert response.status_code == 400 and _expected(message) in response.json()["shift_date"]
    assert not ZeroShiftPlan.objects.exists()
    body["shift_date"] = day("today")
    assert api_client.post("/api/v1/zero-shift-plans/", body, format="json").status_code == 201


def test_handover_form_and_api_refuse_out_of_bounds(client, api_client, county):
    from workforce.models import DispatchHandover

    form = {
        "shift": "middle",
        "shift_starts_at": "0001-01-01T16:00",
        "dispatched_at": "0001-01-01T14:00",
        "dispatcher": "马丽",
        "tasks": LONG,
    }
    client.force_login(county.mine1_officer)
    errors = client.post("/workforce/handovers/new/", form).context["form"].errors
    assert TOO_EARLY in errors["dispatched_at"] and TOO_EARLY in errors["shift_starts_at"]
    assert "内容不能超过 2000 字（现有 100000 字）。" in errors["tasks"]
    api_client.force_authenticate(county.mine1_officer)
    body = {**form, "mine": county.mine1.pk, "shift_starts_at": "1999-01-01T16:00:00+08:00"}
    body["dispatched_at"] = "1999-01-01T14:00:00+08:00"
    response = api_client.post("/api/v1/dispatch-handovers/", body, format="json")
    assert response.status_code == 400
    assert TOO_EARLY in response.json()["dispatched_at"] and TOO_EARLY in response.json()["shift_starts_at"]
    assert "内容不能超过 2000 字（现有 100000 字）。" in response.json()["tasks"]
    assert not DispatchHandover.objects.exists()


def positioning_upload(entered, exited):
    from django.core.files.uploadedfile import SimpleUploadedFile

    text = f"姓名,卡号,班组,下井时间,升井时间\n张三,1001,综采一班,{entered},{exited}\n"
    return SimpleUploadedFile("trips.csv", text.encode("utf-8"))


@pytest.mark.parametrize(
    ("entered", "exited", "column", "message"),
    [
        ("0001-01-01 08:00", "0001-01-01 16:00", "下井时间", TOO_EARLY),
        ("1999-12-31 08:00", "16:00", "下井时间", TOO_EARLY),
    ],
)
def test_positioning_import_refuses_out_of_bounds_trips(county, entered, exited, column, message):
    with pytest.raises(ImportRejected) as caught:
        positioning_import(actor=county.mine1_officer, mine=county.mine1, upload=positioning_upload(entered, exited))
    assert {"row": 2, "column": column, "message": message} in [e.as_dict() for e in caught.value.errors]
    assert not PositioningRecord.objects.exists()


def test_positioning_import_accepts_a_trip_of_the_floor_day(county):
    result = positioning_import(
        actor=county.mine1_officer, mine=county.mine1, upload=positioning_upload("2000-01-01 08:00", "16:00")
    )
    assert result.created == 1


# ---------------------------------------------------------------- reports and progress


def test_submission_content_and_review_texts_are_bounded(api_client, county):
    campaign = running_campaign(bureau=county.bureau)
    deadline = campaign.deadlines.filter(owed_by_mines=True).first()
    api_client.force_authenticate(county.mine1_officer)
    submission = api_client.post("/api/v1/submissions/", {"deadline": deadline.pk}, format="json").json()
    url = f"/api/v1/submissions/{submission['id']}/"
    too_long = api_client.patch(url, {"narrative": {"summary": "长" * 5001}}, format="json")
    assert too_long.status_code == 400 and "内容不能超过 5000 字（现有 5001 字）。" in str(too_long.json())
    too_many = api_client.patch(url, {"manual": {"people": 1_000_000_000}}, format="json")
    assert too_many.status_code == 400 and "填报数字不能超过 1,000,000。" in str(too_many.json())
    api_client.force_authenticate(county.inspector)
    refused = api_client.post(f"{url}return/", {"reason": LONG}, format="json")
    assert refused.status_code == 400 and "内容不能超过 2000 字（现有 100000 字）。" in refused.json()["reason"]


# ---------------------------------------------------------------- every field carries a bound

PROJECT_APPS = ("accounts", "campaign", "hazards", "violations", "workforce", "reporting", "notifications")

#: fields no user sets: Django's own login timestamps (auto_now / auto_now_add timestamps are left out generally)
EXEMPT = {("accounts.User", "last_login"), ("accounts.User", "date_joined")}


def _is_historical(model):
    return model.__name__.startswith("Historical") and hasattr(model, "instance_type")


def _needs_bound(field):
    if field.is_relation or field.primary_key or getattr(field, "auto_now", False):
        return None
    if not field.editable:  # set by the code, never typed, sent or imported (e.g. the row_version counter)
        return None
    if getattr(field, "auto_now_add", False):
        return None
    if isinstance(field, models.DateField):  # DateTimeField included
        return bounds.DateBounds
    if isinstance(field, models.IntegerField | models.DecimalField | models.FloatField):
        return MaxValueValidator
    if isinstance(field, models.TextField):
        return MaxLengthValidator
    return None


def test_every_date_number_and_text_field_of_the_project_has_a_bound():
    missing = []
    for app in PROJECT_APPS:
        for model in apps.get_app_config(app).get_models():
            if _is_historical(model):
                continue
            for field in model._meta.concrete_fields:
                kind = _needs_bound(field)
                label = (f"{app}.{model.__name__}", field.name)
                if kind is None or label in EXEMPT:
                    continue
                # Explicit validators only: on PostgreSQL Django adds the column's own range, which bounds nothing.
                if not any(isinstance(v, kind) for v in field._validators):
                    missing.append(".".join(label))
    assert not missing, "no bound (core/bounds.py) on: " + ", ".join(missing)


def test_bounds_reach_the_audit_history_too():
    from violations.models import Violation as V

    historical = V.history.model._meta.get_field("suspension_days")
    assert any(isinstance(v, MaxValueValidator) and v.limit_value == 365 for v in historical.validators)


# ---------------------------------------------------------------- the demo and the scale data are within bounds


def out_of_bounds_values():
    """Every stored value of the project's models that breaks its field's bound, as "model.field=value: message"."""
    from django.core.exceptions import ValidationError

    found = []
    for app in PROJECT_APPS:
        for model in apps.get_app_config(app).get_models():
            if _is_historical(model):
                continue
            fields = [f for f in model._meta.concrete_fields if f._validators and not f.is_relation]
            if not fields:
                continue
            for row in model._base_manager.values_list(*(f.attname for f in fields)):
                for field, value in zip(fields, row, strict=True):
                    if value in (None, ""):
                        continue
                    try:
                        field.run_validators(value)
                    except ValidationError as exc:
                        found.append(f"{model.__name__}.{field.name}={str(value)[:40]}: {exc.messages[0]}")
    return found


@pytest.mark.parametrize(
    "moment", [dt.datetime(2026, 11, 28, 8, tzinfo=dt.UTC), dt.datetime(2027, 6, 1, tzinfo=dt.UTC)]
)
def test_the_demo_data_is_within_bounds(moment):
    import time_machine
    from django.core.management import call_command

    with time_machine.travel(moment, tick=False):
        call_command("seed_demo", "--password", "demo-pass-1")
        assert Hazard.objects.exists() and Violation.objects.exists()
        assert out_of_bounds_values() == []


def test_the_scale_data_is_within_bounds():
    from django.core.management import call_command

    call_command(
        "generate_scale_data",
        "--mines",
        "4",
        "--hazards-per-mine",
        "5",
        "--violations-per-mine",
        "3",
        "--trips-per-mine",
        "20",
    )
    assert PositioningRecord.objects.exists()
    assert out_of_bounds_values() == []


# ---------------------------------------------------------------- red-line uploads and the review page


def test_red_line_upload_refuses_an_out_of_bounds_effective_date(client, county):
    from tests.violations.test_redlines_tipoffs import red_line_xlsx
    from violations.models import RedLineList

    client.force_login(county.mine1_officer)
    data = {"kind": "red_line", "title": "红线清单"}
    for value, message in (("0001-01-01", TOO_EARLY), ("9999-12-31", far_ahead())):
        upload = red_line_xlsx([["矿级", "矿长", "超能力生产", "停职"]])
        response = client.post("/red-lines/new/", {**data, "effective_on": value, "file": upload})
        assert message in response.context["form"].errors["effective_on"]
    assert not RedLineList.objects.exists()
    upload = red_line_xlsx([["矿级", "矿长", "超能力生产", "停职"]])
    assert client.post("/red-lines/new/", {**data, "effective_on": day("today"), "file": upload}).status_code == 302


def test_a_return_reason_over_the_bound_is_refused_on_the_review_page(client, county):
    from reporting import services as reporting
    from reporting.models import Submission

    campaign = running_campaign(bureau=county.bureau)
    deadline = campaign.deadlines.filter(owed_by_mines=True, kind="work_plan").first()
    submission = reporting.submission_open(actor=county.mine1_officer, deadline=deadline)
    client.force_login(county.inspector)
    response = client.post(f"/submissions/{submission.pk}/return/", {"reason": LONG}, follow=True)
    assert "内容不能超过 2000 字（现有 100000 字）。" in response.content.decode()
    assert Submission.objects.get(pk=submission.pk).return_reason == ""
