"""One rule in one place (DESIGN.md §3): an entity's validation is one function used by the service, the form, the
API and the importer. The import refuses exactly what the page refuses, row by row, with the same message, under the
column of the field the page marks."""

import datetime as dt
from decimal import Decimal

import pytest

from core.errors import DomainError
from core.ledger_import import ImportRejected
from hazards import services as hazard_services
from hazards.models import Hazard, MajorHazardCategory, MajorHazardItem
from hazards.services import hazards_import
from hazards.validation import ITEM_REQUIRED
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
SERIES = (5, 3)  # its item 第八条第（三）项, 串联通风: (category, item)
BEYOND = (7, 2)  # 第十条第（二）项, 超出采矿许可证的坐标范围: an item of another category
#: how the ledger file writes an item: the ways officers write a citation, each in one case
IN_THE_FILE_ITEM = {SERIES: "第八条第（三）项", BEYOND: "10-2"}

#: (what, the line as the page takes it) — locations differ so each line is its own hazard
HAZARD_CASES = [
    ("general", GENERAL),
    (
        "major with its category, item and 五落实",
        {"level": "major", "major_category": CATEGORY, "major_item": SERIES, **FIVE},
    ),
    ("major with its item (the category follows)", {"level": "major", "major_item": SERIES, **FIVE}),
    ("major without a category or item", {"level": "major", **FIVE}),
    ("major with its category but no item", {"level": "major", "major_category": CATEGORY, **FIVE}),
    (
        "major with an item of another category",
        {"level": "major", "major_category": CATEGORY, "major_item": BEYOND, **FIVE},
    ),
    (
        "major without 五落实",
        {
            "level": "major",
            "major_category": CATEGORY,
            "major_item": SERIES,
            "due_on": FIVE["due_on"],
            "measures": "停止作业",
        },
    ),
    ("general with an item", {**GENERAL, "major_item": SERIES}),
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
    "major_item": "重大隐患情形",
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
    item = line.get("major_item")
    data = {
        "mine": mine.pk,
        "specialty": "other",
        **line,
        "major_category": category or "",
        "major_item": major_item(item).pk if item else "",
    }
    before = Hazard.objects.count()
    response = client.post("/hazards/new/", data)
    created = Hazard.objects.count() > before
    if created:
        return True, []
    form = response.context["form"]
    return False, [(name, message) for name, messages in form.errors.items() for message in messages]


def major_item(key):
    return MajorHazardItem.objects.get(category__standard__is_current=True, category__no=key[0], no=key[1])


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
        if line.get("major_item"):
            fields["major_item"] = major_item(line["major_item"])
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
        if line.get("major_item"):
            api_body["major_item"] = dict(zip(("category", "item"), line["major_item"], strict=True))
        response = api_client.post("/api/v1/hazards/", api_body, format="json")
        assert response.status_code == 400, what
        assert message in str(response.json()), what

    headers = list(HAZARD_HEADERS.values())
    rows = []
    for index, (_, values) in enumerate(HAZARD_CASES):
        line = hazard_line(index, values)
        cells = {**IN_THE_FILE, "major_item": IN_THE_FILE_ITEM}
        rows.append([cells.get(name, {}).get(line.get(name), line.get(name)) for name in HAZARD_HEADERS])
    with pytest.raises(ImportRejected) as caught:
        hazards_import(actor=county.mine2_officer, mine=county.mine2, upload=workbook_upload(rows, headers=headers))
    imported = {row: [] for row in expected}
    for error in caught.value.errors:
        message = error.message
        if message.startswith(ITEM_REQUIRED):
            # The file has no live suggestions as the form has: the import adds the matcher's closest items.
            assert message == ITEM_REQUIRED or message.startswith(ITEM_REQUIRED + "按描述相近的有：《"), message
            message = ITEM_REQUIRED
        imported[error.row].append((error.column, message))
    assert imported == {row: [] if outcome is None else [outcome] for row, outcome in expected.items()}
    assert ("重大隐患情形", ITEM_REQUIRED) in [outcome for outcome in expected.values() if outcome]  # the rule held

    # Only the good rows, when asked: the same lines the page accepted.
    result = hazards_import(
        actor=county.mine2_officer,
        mine=county.mine2,
        upload=workbook_upload(rows, headers=headers),
        only_valid_rows=True,
    )
    accepted = {f"地点{row - 4}" for row, outcome in expected.items() if outcome is None}
    assert set(Hazard.objects.filter(mine=county.mine2).values_list("location", flat=True)) == accepted
    assert result.created == len(accepted) == 3
    cited = Hazard.objects.filter(mine=county.mine2, level="major").values_list("major_item", "major_category")
    assert set(cited) == {(major_item(SERIES).pk, categories[CATEGORY].pk)}


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
