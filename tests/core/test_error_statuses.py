"""Each refusal answers with the status that says why (DESIGN.md §4), with a Chinese `detail`:
400 a bad value, 403 what the user may see but not do, 404 what the user may not see, 409 a state that forbids the
step. One row per API action × who/what state; the pages keep showing the same message on the page."""

import datetime as dt
import re

import pytest

from accounts.models import Role
from core.errors import DomainError, InvalidState, NotFound, NotPermitted
from hazards.models import Hazard
from tests.factories import HazardFactory, UserFactory, ViolationFactory, running_campaign

pytestmark = pytest.mark.django_db

CHINESE = re.compile(r"[\u4e00-\u9fff]")
YESTERDAY = dt.date.today() - dt.timedelta(days=1)

PLAN = {
    "goals": "四无",
    "organization": "矿长任组长",
    "measures_1": "警示教育",
    "measures_2": "责任制",
    "measures_3": "重大灾害治理",
    "measures_4": "严查三违",
}


@pytest.fixture
def world(county, ventilation_category):
    """The objects the rows act on, each in the state its rows need."""
    from reporting import services as reporting

    w = county
    w.admin = UserFactory(username="admin", role=Role.ADMIN, organization=county.bureau, is_superuser=True)
    w.general_waiting = HazardFactory(mine=county.mine1, status="awaiting_acceptance")
    w.general_closed = HazardFactory(mine=county.mine1, status="closed")
    w.general_rectifying = HazardFactory(mine=county.mine1, status="rectifying")
    w.major_waiting = HazardFactory(
        mine=county.mine1,
        status="awaiting_acceptance",
        level="major",
        major_category=ventilation_category,
        funds=1000,
        contingency_plan="撤人",
    )
    w.bureau_violation = ViolationFactory(mine=county.mine1, created_by=county.inspector, found_by="bureau")
    campaign = running_campaign(bureau=county.bureau)
    deadlines = {d.code: d for d in campaign.deadlines.all()}
    w.draft = reporting.submission_open(actor=county.mine1_officer, deadline=deadlines["work_plan"])
    w.submitted = reporting.submission_open(actor=county.mine2_officer, deadline=deadlines["work_plan"])
    reporting.submission_save(actor=county.mine2_officer, submission=w.submitted, narrative=PLAN)
    reporting.submission_submit(actor=county.mine2_officer, submission=w.submitted)
    w.approved = reporting.submission_open(actor=county.mine3_officer, deadline=deadlines["work_plan"])
    reporting.submission_save(actor=county.mine3_officer, submission=w.approved, narrative=PLAN)
    reporting.submission_submit(actor=county.mine3_officer, submission=w.approved)
    reporting.submission_approve(actor=county.inspector, submission=w.approved)
    return w


def hazard_body(w, **changes):
    body = {
        "mine": w.mine1.pk,
        "source": "unit_weekly",
        "found_on": YESTERDAY.isoformat(),
        "location": "1203工作面",
        "specialty": "roof",
        "description": "顶板离层",
        "level": "general",
        "measures": "加强支护",
        "responsible_unit": "综采一队",
        "responsible_person": "王建军",
        "due_on": (YESTERDAY + dt.timedelta(days=7)).isoformat(),
    }
    return {**body, **changes}


def handover_body(w):
    return {
        "mine": w.mine1.pk,
        "shift": "middle",
        "shift_starts_at": "2024-12-01T16:00:00+08:00",
        "dispatched_at": "2024-12-01T14:30:00+08:00",
        "dispatcher": "马丽",
        "tasks": "割煤 6 刀",
    }


def covert_inspection(w):
    return {"mine": w.mine1.pk, "inspected_on": YESTERDAY.isoformat(), "mode": "covert"}


def bad_due_date(w):
    return hazard_body(w, due_on="2000-01-01")


# (who, method, path under /api/v1/ with {object of the world}, body (or a function of the world), expected status,
#  a word of the expected Chinese message)
ROWS = [
    # hazards: who may accept
    ("mine1_officer", "post", "hazards/{major_waiting}/accept/", None, 403, "县局"),
    ("ent1_officer", "post", "hazards/{major_waiting}/accept/", None, 403, "县局"),
    ("inspector", "post", "hazards/{general_waiting}/accept/", None, 403, "一般隐患"),
    ("leader", "post", "hazards/{general_waiting}/accept/", None, 403, "只读"),
    ("mine2_officer", "post", "hazards/{general_waiting}/accept/", None, 404, "未找到"),
    ("other_inspector", "post", "hazards/{major_waiting}/accept/", None, 404, "未找到"),
    # hazards: what the state allows
    ("mine1_officer", "post", "hazards/{general_closed}/accept/", None, 409, "已销号"),
    ("mine1_officer", "post", "hazards/{general_rectifying}/accept/", None, 409, "整改中"),
    ("mine1_officer", "post", "hazards/{general_closed}/reject/", {"reason": "不合格"}, 409, "已销号"),
    ("mine1_officer", "post", "hazards/{general_rectifying}/start-rectification/", None, 409, "整改中"),
    ("mine1_officer", "post", "hazards/{general_closed}/submit-for-acceptance/", None, 409, "已销号"),
    ("mine1_officer", "patch", "hazards/{general_closed}/", {"location": "新地点"}, 409, "已销号"),
    # hazards: bad values
    ("mine1_officer", "post", "hazards/{general_waiting}/reject/", {"reason": " "}, 400, "不能为空"),
    ("mine1_officer", "post", "hazards/", bad_due_date, 400, "整改期限"),
    # hazards: who may register
    ("leader", "post", "hazards/", hazard_body, 403, "只读"),
    ("admin", "post", "hazards/", hazard_body, 403, "不能"),
    # inspections
    ("mine1_officer", "post", "inspections/", covert_inspection, 403, "检查"),
    ("ent1_officer", "post", "inspections/", covert_inspection, 403, "检查"),
    ("leader", "post", "inspections/", covert_inspection, 403, "只读"),
    # violations
    ("leader", "patch", "violations/{bureau_violation}/", {"note": "备注"}, 403, "只读"),
    ("mine1_officer", "patch", "violations/{bureau_violation}/", {"person_name": "改名"}, 403, "县局"),
    ("mine2_officer", "patch", "violations/{bureau_violation}/", {"note": "备注"}, 404, "未找到"),
    # submissions: who may review, who may write
    ("mine2_officer", "post", "submissions/{submitted}/approve/", {}, 403, "审核"),
    ("ent1_officer", "post", "submissions/{submitted}/approve/", {}, 403, "审核"),
    ("leader", "post", "submissions/{submitted}/approve/", {}, 403, "只读"),
    ("inspector", "post", "submissions/{draft}/submit/", None, 403, "本单位"),
    ("mine3_officer", "post", "submissions/{submitted}/submit/", None, 404, "未找到"),
    ("other_inspector", "post", "submissions/{submitted}/approve/", {}, 404, "未找到"),
    # submissions: what the state allows
    ("inspector", "post", "submissions/{draft}/approve/", {}, 409, "草稿"),
    ("inspector", "post", "submissions/{approved}/return/", {"reason": "补充"}, 409, "通过"),
    ("mine3_officer", "post", "submissions/{approved}/submit/", None, 409, "通过"),
    ("mine3_officer", "patch", "submissions/{approved}/", {"narrative": {"goals": "改"}}, 409, "通过"),
    ("mine2_officer", "post", "submissions/{submitted}/submit/", None, 409, "已报送"),
    # submissions: bad values
    ("mine1_officer", "post", "submissions/{draft}/submit/", None, 400, "请先填写"),
    ("inspector", "post", "submissions/{submitted}/return/", {"reason": " "}, 400, "不能为空"),
    # workforce: the mine keeps its records, the bureau reads them
    ("inspector", "post", "dispatch-handovers/", handover_body, 403, "不能"),
    ("leader", "post", "dispatch-handovers/", handover_body, 403, "只读"),
]


def _id(row):
    who, method, path, _, status, _ = row
    return f"{who}-{method}-{path}-{status}"


@pytest.mark.parametrize("row", ROWS, ids=[_id(r) for r in ROWS])
def test_api_refusals_say_why_by_status_and_in_chinese(api_client, world, row):
    who, method, path, body, status, word = row
    api_client.force_authenticate(getattr(world, who))
    url = "/api/v1/" + re.sub(r"\{(\w+)\}", lambda m: str(getattr(world, m.group(1)).pk), path)
    body = body(world) if callable(body) else body
    response = getattr(api_client, method)(url, body or {}, format="json")
    assert response.status_code == status, response.content.decode()
    payload = response.json()
    message = payload["detail"] if status != 400 or "detail" in payload else " ".join(sum(payload.values(), []))
    assert CHINESE.search(message) and word in message, payload


def test_a_refused_write_changes_nothing(api_client, world):
    api_client.force_authenticate(world.mine1_officer)
    api_client.post(f"/api/v1/hazards/{world.major_waiting.pk}/accept/", {}, format="json")
    assert Hazard.objects.get(pk=world.major_waiting.pk).status == "awaiting_acceptance"


# (service call of the world, the class it must raise): rules that have no API action of their own
def _progress(w):
    from campaign.models import Requirement
    from campaign.progress import progress_update

    item = Requirement.objects.filter(campaign__bureau=w.bureau, level="item", performed_by="enterprise").first()
    return progress_update(actor=w.mine1_officer, organization=w.mine2, requirement=item, status="done")


def _bulletin_by_mine(w):
    from violations.services import bulletin_create

    return bulletin_create(actor=w.mine1_officer, period="2024-11", title="通报", body="正文")


def _published_bulletin_edit(w):
    from violations.services import bulletin_create, bulletin_publish, bulletin_update, violation_mark_typical

    case = violation_mark_typical(actor=w.inspector, violation=w.bureau_violation, reason="典型")
    bulletin = bulletin_create(actor=w.inspector, period="2024-11", title="通报", body="正文", cases=[case])
    bulletin_publish(actor=w.inspector, bulletin=bulletin)
    return bulletin_update(actor=w.inspector, bulletin=bulletin, period="2024-11", title="改", body="改")


def _red_lines_by_inspector(w):
    from violations.services import red_line_list_publish

    return red_line_list_publish(
        actor=w.inspector, mine=w.mine1, kind="red_line", title="清单", effective_on=YESTERDAY, items=[{"level": "矿"}]
    )


def _listing_a_general_hazard(w):
    from hazards.services import hazard_list_publicly

    return hazard_list_publicly(
        actor=w.inspector, hazard=w.general_waiting, listed_on=YESTERDAY, supervising_unit="县局", notice_text="挂牌"
    )


def _listing_by_mine(w):
    from hazards.services import hazard_list_publicly

    return hazard_list_publicly(
        actor=w.mine1_officer, hazard=w.major_waiting, listed_on=YESTERDAY, supervising_unit="县局", notice_text="挂牌"
    )


def _open_another_bureaus_deadline(w):
    from reporting.services import submission_open

    other = running_campaign(bureau=w.other_bureau)
    return submission_open(actor=w.mine1_officer, deadline=other.deadlines.get(code="work_plan"))


SERVICE_ROWS = [
    (_progress, NotPermitted),
    (_bulletin_by_mine, NotPermitted),
    (_published_bulletin_edit, InvalidState),
    (_red_lines_by_inspector, NotPermitted),
    (_listing_a_general_hazard, InvalidState),
    (_listing_by_mine, NotPermitted),
    (_open_another_bureaus_deadline, NotFound),
]


@pytest.mark.parametrize(("call", "error"), SERVICE_ROWS, ids=[c.__name__.strip("_") for c, _ in SERVICE_ROWS])
def test_services_raise_the_class_that_says_why(world, call, error):
    with pytest.raises(DomainError) as refused:
        call(world)
    assert type(refused.value) is error and CHINESE.search(refused.value.message)


def test_pages_still_show_a_refusal_as_a_message(client, world):
    """A refused form post is not an error page: the detail page again, with the Chinese message (as before)."""
    client.force_login(world.mine1_officer)
    response = client.post(
        f"/hazards/{world.major_waiting.pk}/accept/", {"row_version": world.major_waiting.row_version}, follow=True
    )
    assert response.status_code == 200
    assert "重大事故隐患只能由县局执法人员验收销号" in response.content.decode()
    response = client.post(
        f"/hazards/{world.general_closed.pk}/accept/", {"row_version": world.general_closed.row_version}, follow=True
    )
    assert response.status_code == 200 and "不能验收" in response.content.decode()


@pytest.mark.parametrize(
    ("who", "shown"), [("admin", False), ("leader", False), ("inspector", True), ("mine1_officer", True)]
)
def test_buttons_follow_the_rule_the_service_applies(client, world, who, shown):
    """The inspection page offers "登记发现的隐患" exactly to those the hazard service lets register one (an operator
    was offered it and then refused)."""
    from hazards.permissions import can_write_ledger
    from hazards.services import inspection_create

    inspection = inspection_create(actor=world.inspector, mine=world.mine1, inspected_on=YESTERDAY, mode="covert")
    user = getattr(world, who)
    assert can_write_ledger(user, world.mine1) is shown
    client.force_login(user)
    page = client.get(f"/inspections/{inspection.pk}/").content.decode()
    assert ("登记发现的隐患" in page) is shown
    assert ("登记查处的“三违”" in page) is shown
