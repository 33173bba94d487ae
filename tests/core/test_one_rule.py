"""One rule in one place (DESIGN.md §3): an entity's validation is one function used by the service, the form, the
API and the importer. The import refuses exactly what the page refuses, row by row, with the same message, under the
column of the field the page marks."""

import datetime as dt
from decimal import Decimal

import pytest

from core.errors import DomainError
from core.ledger_import import ImportRejected
from hazards import services as hazard_services
from hazards.models import Hazard, MajorHazardCategory
from hazards.services import hazards_import
from tests.hazards.xlsx import workbook_upload
from violations import services as violation_services
from violations.models import Violation
from violations.services import violations_import

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()
FOUND = TODAY - dt.timedelta(days=3)
FIVE = {
    "measures": "停止作业，调整通风系统",
    "funds": "5000",
    "responsible_unit": "通风队",
    "responsible_person": "胡国强",
    "due_on": (TODAY + dt.timedelta(days=10)).isoformat(),
    "contingency_plan": "撤人、断电、设警戒",
}
GENERAL = {"level": "general", "measures": "补液升架", "responsible_person": "王建军"}
CATEGORY = "5"  # 通风系统不完善、不可靠, by its number in the 2020 standard

#: (what, the line as the page takes it) — locations differ so each line is its own hazard
HAZARD_CASES = [
    ("general", GENERAL),
    ("major with its category and 五落实", {"level": "major", "major_category": CATEGORY, **FIVE}),
    ("major without a category", {"level": "major", **FIVE}),
    (
        "major without 五落实",
        {"level": "major", "major_category": CATEGORY, "due_on": FIVE["due_on"], "measures": "停止作业"},
    ),
    ("due before found", {**GENERAL, "due_on": (FOUND - dt.timedelta(days=1)).isoformat()}),
    ("found in the future", {**GENERAL, "found_on": (TODAY + dt.timedelta(days=2)).isoformat()}),
    ("general with a category", {**GENERAL, "major_category": CATEGORY}),
    ("funds beyond the bound", {**GENERAL, "funds": "200000000"}),
]

HAZARD_HEADERS = {
    "found_on": "排查日期",
    "source": "排查类型",
    "location": "隐患地点",
    "description": "隐患内容",
    "level": "隐患等级",
    "major_category": "重大隐患类别",
    "measures": "整改措施",
    "funds": "整改资金（元）",
    "responsible_unit": "整改责任单位",
    "responsible_person": "整改责任人",
    "due_on": "整改期限",
    "contingency_plan": "应急预案",
}
IN_THE_FILE = {"level": {"general": "一般", "major": "重大"}, "source": {"team_daily": "班组日查"}}


def hazard_line(index, values):
    return {
        "found_on": FOUND.isoformat(),
        "source": "team_daily",
        "location": f"地点{index}",
        "description": f"隐患{index}",
        **values,
    }


def page_outcome(client, mine, line):
    """(created, the page's error messages) for a line posted on the hazard form."""
    category = line.get("major_category")
    if category:
        category = MajorHazardCategory.objects.get(standard__is_current=True, no=int(category)).pk
    data = {"mine": mine.pk, "specialty": "other", **line, "major_category": category or ""}
    before = Hazard.objects.count()
    response = client.post("/hazards/new/", data)
    created = Hazard.objects.count() > before
    if created:
        return True, []
    form = response.context["form"]
    return False, [(name, message) for name, messages in form.errors.items() for message in messages]


@pytest.fixture
def categories(db):
    return {str(c.no): c for c in MajorHazardCategory.objects.filter(standard__is_current=True)}


def test_the_hazard_import_refuses_exactly_what_the_page_and_the_service_refuse(client, api_client, county, categories):
    client.force_login(county.mine1_officer)
    api_client.force_authenticate(county.mine1_officer)
    expected = {}  # Excel row → (column, message) the page refused it with; None: accepted
    for index, (what, values) in enumerate(HAZARD_CASES):
        line = hazard_line(index, values)
        created, errors = page_outcome(client, county.mine1, line)

        # The service (the API goes through it) says the same as the page, on the same field.
        fields = {**line, "location": f"服务{index}", "major_category": categories.get(line.get("major_category"))}
        for name in ("found_on", "due_on"):
            if name in fields:
                fields[name] = dt.date.fromisoformat(fields[name])
        if "funds" in fields:
            fields["funds"] = Decimal(fields["funds"])
        try:
            hazard_services.hazard_create(actor=county.mine1_officer, mine=county.mine1, **fields)
        except DomainError as exc:
            service_error = (exc.field or "__all__", exc.message)
        else:
            service_error = None
        if created:
            assert service_error is None, what
            expected[4 + index] = None
            continue
        assert len(errors) == 1, (what, errors)
        assert service_error in (errors[0], None), (what, service_error, errors)  # None: the form refused it first
        field, message = errors[0]
        column = HAZARD_HEADERS["level"] if field == "__all__" else HAZARD_HEADERS[field]
        expected[4 + index] = (column, message)

        api_body = {**line, "mine": county.mine1.pk, "location": f"接口{index}"}
        api_body["major_category"] = categories[line["major_category"]].pk if line.get("major_category") else None
        response = api_client.post("/api/v1/hazards/", api_body, format="json")
        assert response.status_code == 400, what
        assert message in str(response.json()), what

    headers = list(HAZARD_HEADERS.values())
    rows = []
    for index, (_, values) in enumerate(HAZARD_CASES):
        line = hazard_line(index, values)
        rows.append([IN_THE_FILE.get(name, {}).get(line.get(name), line.get(name)) for name in HAZARD_HEADERS])
    with pytest.raises(ImportRejected) as caught:
        hazards_import(actor=county.mine2_officer, mine=county.mine2, upload=workbook_upload(rows, headers=headers))
    imported = {row: [] for row in expected}
    for error in caught.value.errors:
        imported[error.row].append((error.column, error.message))
    assert imported == {row: [] if outcome is None else [outcome] for row, outcome in expected.items()}

    # Only the good rows, when asked: the same lines the page accepted.
    result = hazards_import(
        actor=county.mine2_officer,
        mine=county.mine2,
        upload=workbook_upload(rows, headers=headers),
        only_valid_rows=True,
    )
    accepted = {f"地点{row - 4}" for row, outcome in expected.items() if outcome is None}
    assert set(Hazard.objects.filter(mine=county.mine2).values_list("location", flat=True)) == accepted
    assert result.created == len(accepted) == 2


VIOLATION_HEADERS = ["日期", "姓名", "违章地点", "违章行为", "三违类别", "处罚情况"]


def test_the_violation_import_refuses_exactly_what_the_service_refuses(county):
    cases = [
        ("a 三违 of yesterday", TODAY - dt.timedelta(days=1), "罚款200元", None),
        ("a 三违 of tomorrow", TODAY + dt.timedelta(days=1), "罚款200元", ("日期", "occurred_on")),
        ("a fine beyond the bound", TODAY - dt.timedelta(days=1), "罚款200000元", ("处罚情况", "fine")),
    ]
    expected = {}
    rows = []
    for index, (what, day, penalty, refused) in enumerate(cases):
        fields = {
            "occurred_on": day,
            "person_name": f"人员{index}",
            "location": "2401综采工作面",
            "description": "无证操作",
            "type": "operation",
            "penalty_note": penalty,
            "fine": 200000 if "200000" in penalty else 200,
        }
        if refused is None:
            violation_services.violation_create(actor=county.mine1_officer, mine=county.mine1, **fields)
            expected[4 + index] = []
        else:
            with pytest.raises(DomainError) as caught:
                violation_services.violation_create(actor=county.mine1_officer, mine=county.mine1, **fields)
            assert caught.value.field == refused[1], what
            expected[4 + index] = [(refused[0], caught.value.message)]
        rows.append([day.isoformat(), f"人员{index}", "2401综采工作面", "无证操作", "违章作业", penalty])

    with pytest.raises(ImportRejected) as caught:
        violations_import(
            actor=county.mine2_officer, mine=county.mine2, upload=workbook_upload(rows, headers=VIOLATION_HEADERS)
        )
    imported = {row: [] for row in expected}
    for error in caught.value.errors:
        imported[error.row].append((error.column, error.message))
    assert imported == expected
    assert not Violation.objects.filter(mine=county.mine2).exists()
