"""疑似重大隐患 (issue 25 item 3): a general hazard the matcher rates likely major is recorded for the bureau, which
confirms it (re-graded to 重大 with the item: the mine goes under 停产整顿) or dismisses it with a reason."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import MineStatus
from hazards import services
from hazards.models import Hazard, HazardEvent, MajorHazardCategory, SuspectedMajorHazard, SuspectedState
from hazards.services.suspected import suspected_major_confirm, suspected_major_dismiss
from hazards.validation import ITEM_REQUIRED
from tests.factories import HazardFactory, regulator_levels

pytestmark = pytest.mark.django_db

MAJOR_TEXT = "2105回风巷甲烷传感器超限后不能断电"
ORDINARY_TEXT = "甲烷传感器吊挂位置距顶板超过300mm"
LIST = "/hazards/suspected/"


def _general(county, general_fields, description=MAJOR_TEXT, mine=None, actor=None):
    return services.hazard_create(
        actor=actor or county.mine1_officer,
        mine=mine or county.mine1,
        **{**general_fields, "description": description},
    )


def test_a_general_hazard_that_reads_major_is_suspected_and_an_ordinary_one_is_not(county, general_fields):
    suspected = _general(county, general_fields)
    ordinary = _general(county, general_fields, description=ORDINARY_TEXT)
    finding = SuspectedMajorHazard.objects.get(hazard=suspected)
    assert (finding.item.category.no, finding.item.no, finding.state) == (4, 2, SuspectedState.PENDING)
    assert finding.score > 0
    assert not SuspectedMajorHazard.objects.filter(hazard=ordinary).exists()


def test_editing_the_description_into_an_ordinary_one_keeps_the_pending_finding_and_logs_the_old_words(
    client, county, general_fields
):
    from hazards.selectors import suspected_pending_by

    hazard = _general(county, general_fields)
    finding = SuspectedMajorHazard.objects.get(hazard=hazard)
    services.hazard_update(actor=county.mine1_officer, hazard=hazard, description=ORDINARY_TEXT)
    kept = SuspectedMajorHazard.objects.get(hazard=hazard)  # not deleted, not changed
    assert (kept.pk, kept.state, kept.item_id, kept.score) == (finding.pk, "pending", finding.item_id, finding.score)
    event = HazardEvent.objects.get(hazard=hazard, action="待核实期间修改隐患内容")
    assert MAJOR_TEXT in event.note and "第七条第（二）项" in event.note and event.actor == county.mine1_officer
    # still counted for the bureau: 自查不实 and the ranking read the pending findings
    counted = dict(suspected_pending_by("hazard__mine", user=county.inspector, self_recorded=True))
    assert counted == {county.mine1.pk: 1}
    client.force_login(county.inspector)
    page = client.get(LIST).content.decode()
    assert f'data-testid="suspected-{finding.pk}"' in page and "描述已修改" in page
    # edited again, back to a major-looking text: still the one finding, still pending
    services.hazard_update(actor=county.mine1_officer, hazard=hazard, description=MAJOR_TEXT)
    assert list(SuspectedMajorHazard.objects.filter(hazard=hazard).values_list("pk", "state")) == [
        (finding.pk, "pending")
    ]


def test_an_edit_of_other_fields_does_not_log_a_description_change(county, general_fields):
    hazard = _general(county, general_fields)
    services.hazard_update(actor=county.mine1_officer, hazard=hazard, measures="更换传感器")
    assert not HazardEvent.objects.filter(hazard=hazard, action="待核实期间修改隐患内容").exists()
    assert SuspectedMajorHazard.objects.get(hazard=hazard).state == "pending"


def test_the_mine_re_grading_to_major_closes_the_finding_as_confirmed(county, general_fields, major_fields):
    hazard = _general(county, general_fields)
    finding = SuspectedMajorHazard.objects.get(hazard=hazard)
    services.hazard_update(
        actor=county.mine1_officer,
        hazard=hazard,
        level="major",
        major_item=major_fields["major_item"],
        funds=Decimal("5000"),
        contingency_plan="撤人、断电",
    )
    finding.refresh_from_db()
    assert (finding.state, finding.decided_by, finding.reason) == (
        SuspectedState.CONFIRMED,
        county.mine1_officer,
        "煤矿自行改判为重大隐患",
    )
    assert finding.decided_at is not None
    assert HazardEvent.objects.filter(hazard=hazard, action="确认重大隐患", note__contains="煤矿自行改判").exists()
    county.mine1.refresh_from_db()
    assert county.mine1.status == MineStatus.SUSPENDED


def test_the_re_check_never_deletes_or_reopens_and_only_adds(county, general_fields):
    edited = _general(county, general_fields)
    services.hazard_update(actor=county.mine1_officer, hazard=edited, description=ORDINARY_TEXT)
    dismissed = _general(county, general_fields, description=MAJOR_TEXT + "（2）")
    suspected_major_dismiss(
        actor=county.inspector, finding=SuspectedMajorHazard.objects.get(hazard=dismissed), reason="已核实能断电"
    )
    closed = HazardFactory(mine=county.mine1, description=MAJOR_TEXT + "（3）", status="closed")
    SuspectedMajorHazard.objects.create(
        hazard=closed,
        item=SuspectedMajorHazard.objects.get(hazard=edited).item,
        score=1.0,
        found_at=timezone.now(),
    )
    new = HazardFactory(mine=county.mine1, description=MAJOR_TEXT + "（4）")
    before = dict(SuspectedMajorHazard.objects.values_list("hazard_id", "state"))
    call_command("recheck_suspected_major", mine=county.mine1.pk)
    after = dict(SuspectedMajorHazard.objects.values_list("hazard_id", "state"))
    assert after == {**before, new.pk: "pending"}
    assert before[edited.pk] == "pending" and before[dismissed.pk] == "dismissed" and before[closed.pk] == "pending"


def test_the_api_says_suspected_major_until_decided(county, general_fields, api_client):
    hazard = _general(county, general_fields)
    ordinary = _general(county, general_fields, description=ORDINARY_TEXT)
    api_client.force_authenticate(county.inspector)
    body = api_client.get(f"/api/v1/hazards/{hazard.pk}/").json()
    assert body["suspected_major"]["category"] == 4
    assert body["suspected_major"]["item"] == 2
    assert body["suspected_major"]["state"] == "pending"
    assert api_client.get(f"/api/v1/hazards/{ordinary.pk}/").json()["suspected_major"] is None
    finding = SuspectedMajorHazard.objects.get(hazard=hazard)
    suspected_major_dismiss(actor=county.inspector, finding=finding, reason="传感器已校验，能断电")
    assert api_client.get(f"/api/v1/hazards/{hazard.pk}/").json()["suspected_major"] is None


def test_confirming_re_grades_to_major_with_the_item_and_suspends_the_mine(county, general_fields):
    hazard = _general(county, general_fields)
    finding = SuspectedMajorHazard.objects.get(hazard=hazard)
    assert county.mine1.status != MineStatus.SUSPENDED
    suspected_major_confirm(
        actor=county.inspector, finding=finding, funds=Decimal("5000"), contingency_plan="撤人、断电"
    )
    hazard.refresh_from_db()
    county.mine1.refresh_from_db()
    assert hazard.level == "major"
    assert (hazard.major_item.category.no, hazard.major_item.no) == (4, 2)
    assert hazard.major_category_id == hazard.major_item.category_id
    assert county.mine1.status == MineStatus.SUSPENDED
    finding.refresh_from_db()
    assert (finding.state, finding.decided_by) == (SuspectedState.CONFIRMED, county.inspector)
    assert HazardEvent.objects.filter(hazard=hazard, action="确认重大隐患").exists()


def test_confirming_a_finding_on_a_closed_hazard_records_it_major_without_reopening_or_suspending(
    client, county, general_fields
):
    # 通知 3.2.c “对已整改的要逐个开展核查”: the line lacks funds and a plan — 五落实 is not asked again once rectified
    hazard = _general(county, general_fields)
    Hazard.objects.filter(pk=hazard.pk).update(status="closed", accepted_on=dt.date.today())
    finding = SuspectedMajorHazard.objects.get(hazard=hazard)
    status_before = county.mine1.status
    client.force_login(county.inspector)
    page = client.get(LIST).content.decode()
    assert 'data-testid="confirm-closed"' in page and 'name="funds"' not in page  # offered, and what it does said
    response = client.post(reverse("suspected_major_confirm", args=[finding.pk]), {})
    assert response.status_code == 302
    hazard.refresh_from_db()
    finding.refresh_from_db()
    county.mine1.refresh_from_db()
    assert (hazard.status, hazard.level, hazard.major_item_id, hazard.major_category_id) == (
        "closed",
        "major",
        finding.item_id,
        finding.item.category_id,
    )
    assert (finding.state, finding.decided_by) == (SuspectedState.CONFIRMED, county.inspector)
    assert county.mine1.status == status_before != MineStatus.SUSPENDED
    notes = list(HazardEvent.objects.filter(hazard=hazard, action="确认重大隐患").values_list("note", flat=True))
    assert notes == [f"疑似重大隐患经核实确认（隐患已销号）：{finding.item.citation}"]
    with pytest.raises(services.hazards.InvalidState, match="已销号"):  # still closed to the ledger's edits
        services.hazard_update(actor=county.mine1_officer, hazard=hazard, description=ORDINARY_TEXT)


def test_confirming_without_five_implementations_says_what_is_missing_and_changes_nothing(county, general_fields):
    hazard = _general(county, general_fields)
    finding = SuspectedMajorHazard.objects.get(hazard=hazard)
    with pytest.raises(services.hazards.DomainError, match="五落实"):
        suspected_major_confirm(actor=county.inspector, finding=finding)
    finding.refresh_from_db()
    hazard.refresh_from_db()
    assert finding.state == SuspectedState.PENDING and hazard.level == "general"


def test_dismissing_needs_a_reason_and_is_recorded_and_a_re_check_does_not_reopen_it(county, general_fields):
    hazard = _general(county, general_fields)
    finding = SuspectedMajorHazard.objects.get(hazard=hazard)
    with pytest.raises(services.hazards.DomainError, match="理由"):
        suspected_major_dismiss(actor=county.inspector, finding=finding, reason="  ")
    suspected_major_dismiss(actor=county.inspector, finding=finding, reason="现场核实传感器能断电")
    event = HazardEvent.objects.get(hazard=hazard, action="排除疑似重大隐患")
    assert "现场核实传感器能断电" in event.note and event.actor == county.inspector
    call_command("recheck_suspected_major", mine=county.mine1.pk)
    finding.refresh_from_db()
    assert finding.state == SuspectedState.DISMISSED


def test_the_re_check_finds_rows_written_around_the_services(county):
    HazardFactory(mine=county.mine1, description=MAJOR_TEXT)
    HazardFactory(mine=county.mine2, description=MAJOR_TEXT)
    HazardFactory(mine=county.mine1, description=ORDINARY_TEXT)
    call_command("recheck_suspected_major", mine=county.mine1.pk)
    assert SuspectedMajorHazard.objects.filter(hazard__mine=county.mine1).count() == 1
    assert not SuspectedMajorHazard.objects.filter(hazard__mine=county.mine2).exists()
    from hazards.tasks import recheck_suspected_major

    assert recheck_suspected_major(mine_id=None) == {"checked": 2, "raised": 1}  # only those without a finding


# --- the bureau's page ---


@pytest.fixture
def findings(county, general_fields):
    out = {}
    for key, mine, officer in (
        ("A", county.mine1, county.mine1_officer),
        ("B", county.mine2, county.mine2_officer),
    ):
        hazard = services.hazard_create(
            actor=officer, mine=mine, **{**general_fields, "description": f"{MAJOR_TEXT}（{key}）"}
        )
        out[key] = SuspectedMajorHazard.objects.get(hazard=hazard)
    other = services.hazard_create(
        actor=county.other_inspector, mine=county.other_mine, **{**general_fields, "description": MAJOR_TEXT}
    )
    out["X"] = SuspectedMajorHazard.objects.get(hazard=other)
    return out


def test_the_list_shows_the_bureau_its_county_with_the_cited_item(client, county, findings):
    client.force_login(county.inspector)
    page = client.get(LIST)
    text = page.content.decode()
    assert page.status_code == 200
    assert "东峰煤矿" in text and "西岭煤矿" in text and "外县煤矿" not in text
    assert "《煤矿重大事故隐患判定标准》第七条第（二）项" in text
    filtered = client.get(LIST, {"mine": county.mine2.pk, "state": "pending"}).content.decode()
    assert f'data-testid="suspected-{findings["B"].pk}"' in filtered
    assert f'data-testid="suspected-{findings["A"].pk}"' not in filtered
    bad = client.get(LIST, {"mine": "abc", "state": "nonsense"})
    assert bad.status_code == 200 and "选择一个有效的选项" in bad.content.decode()


def test_who_reads_the_list(client, county, findings):
    levels = regulator_levels(county)
    for user, code in (
        (county.leader, 200),
        (levels.city_user, 200),
        (county.mine1_officer, 403),
        (county.ent1_officer, 403),
    ):
        client.force_login(user)
        assert client.get(LIST).status_code == code, user.username
    client.force_login(levels.city_user)
    assert "东峰煤矿" in client.get(LIST).content.decode()
    client.force_login(county.leader)
    assert "确认为重大隐患" not in client.get(LIST).content.decode()  # read-only: nothing offered


def test_the_hazard_page_links_to_deciding_only_for_those_who_may_decide(client, county, findings):
    levels = regulator_levels(county)
    url = reverse("hazard_detail", args=[findings["A"].hazard_id])
    for user, offered in ((county.inspector, True), (county.leader, False), (levels.city_user, False)):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, user.username
        page = response.content.decode()
        assert 'data-testid="suspected-major"' in page  # the finding is shown to every reader
        assert ("去核实" in page) is offered, user.username


def test_confirm_and_dismiss_by_page_with_their_refusals(client, county, findings):
    confirm = reverse("suspected_major_confirm", kwargs={"pk": findings["A"].pk})
    dismiss = reverse("suspected_major_dismiss", kwargs={"pk": findings["B"].pk})
    client.force_login(county.leader)
    assert client.post(confirm, {"funds": "1", "contingency_plan": "x"}).status_code == 403
    assert client.post(dismiss, {"reason": "x"}).status_code == 403
    client.force_login(county.mine1_officer)
    assert client.post(confirm, {"funds": "1", "contingency_plan": "x"}).status_code == 403
    client.force_login(county.inspector)
    other = reverse("suspected_major_dismiss", kwargs={"pk": findings["X"].pk})
    assert client.post(other, {"reason": "x"}).status_code == 404
    assert client.post(dismiss, {"reason": ""}).status_code == 302  # message, nothing saved
    assert SuspectedMajorHazard.objects.get(pk=findings["B"].pk).state == "pending"
    assert client.post(confirm, {"funds": "1000", "contingency_plan": "撤人断电"}).status_code == 302
    assert client.post(dismiss, {"reason": "复核传感器能断电"}).status_code == 302
    county.mine1.refresh_from_db()
    assert county.mine1.status == MineStatus.SUSPENDED
    assert SuspectedMajorHazard.objects.get(pk=findings["B"].pk).state == "dismissed"
    again = client.post(confirm, {"funds": "1", "contingency_plan": "x"})
    assert again.status_code == 409 and "该疑似重大隐患已确认，不能再确认。" in again.content.decode()
    assert "已已" not in again.content.decode()  # the state's label already says 已
    assert client.post(dismiss, {"reason": "x"}).status_code == 409


@pytest.mark.parametrize("size", [3, 12])
def test_the_list_reads_in_a_fixed_number_of_queries(
    client, county, general_fields, size, django_assert_max_num_queries
):
    for n in range(size):
        services.hazard_create(
            actor=county.inspector,
            mine=county.mine1 if n % 2 else county.mine2,
            **{**general_fields, "description": f"{MAJOR_TEXT}{n}", "found_on": dt.date.today() - dt.timedelta(days=2)},
        )
    client.force_login(county.inspector)
    client.get(LIST)  # warm the session and caches
    with django_assert_max_num_queries(14):
        assert client.get(LIST).status_code == 200


# --- the form ---


def test_choosing_major_on_the_form_asks_for_the_item(client, county, ventilation_category):
    from tests.hazards.test_hazard_form import form_data

    client.force_login(county.mine1_officer)
    page = client.get("/hazards/new/").content.decode()
    assert "data-criteria-suggest=" in page and "js/criteria_suggest.js" in page
    major = {
        "level": "major",
        "major_category": ventilation_category.pk,
        "description": "掘进工作面串联通风",
        "funds": "1000",
        "contingency_plan": "停止作业撤人",
    }
    response = client.post("/hazards/new/", form_data(county, **major))
    assert response.status_code == 200 and not Hazard.objects.exists()
    assert response.context["form"].errors["major_item"] == [ITEM_REQUIRED]  # the service's and the import's words
    item = ventilation_category.items.get(no=3)
    assert client.post("/hazards/new/", form_data(county, **major, major_item=item.pk)).status_code == 302
    assert Hazard.objects.get().major_item == item
    # An item of another category than the one chosen is refused on the item.
    other = {**major, "description": "回风巷掘进面串联通风", "major_item": ventilation_category.items.first().pk}
    other["major_category"] = MajorHazardCategory.objects.get(standard__is_current=True, no=4).pk
    response = client.post("/hazards/new/", form_data(county, **other))
    assert response.context["form"].errors["major_item"] == ["所选情形不属于所选的重大隐患类别。"]


def test_an_old_major_hazard_without_an_item_stays_editable(client, county, ventilation_category):
    from tests.hazards.test_hazard_form import form_data

    hazard = HazardFactory(
        mine=county.mine1,
        level="major",
        major_category=ventilation_category,
        funds=1,
        contingency_plan="x",
        description="掘进工作面串联通风",
        major_item=None,  # recorded before the items were data
    )
    client.force_login(county.inspector)
    data = form_data(
        county,
        level="major",
        major_category=ventilation_category.pk,
        description="掘进工作面串联通风（已核实）",
        funds="1",
        contingency_plan="x",
        row_version=hazard.row_version,
        found_on=hazard.found_on.isoformat(),
    )
    data.pop("mine")
    assert client.post(f"/hazards/{hazard.pk}/edit/", data).status_code == 302
    hazard.refresh_from_db()
    assert hazard.description == "掘进工作面串联通风（已核实）" and hazard.major_item is None
    # Re-judging it (another category) asks for the item, as a new one is asked.
    data = {**data, "major_category": MajorHazardCategory.objects.get(standard__is_current=True, no=4).pk}
    response = client.post(f"/hazards/{hazard.pk}/edit/", {**data, "row_version": hazard.row_version})
    assert response.status_code == 200
    assert "重大事故隐患必须选择《煤矿重大事故隐患判定标准》中的具体情形" in response.content.decode()


# --- the import ---


def test_the_import_preview_warns_and_the_import_records_the_finding(county, django_capture_on_commit_callbacks):
    from hazards.services import hazards_import
    from tests.hazards.xlsx import workbook_upload

    day = (dt.date.today() - dt.timedelta(days=2)).isoformat()
    rows = [
        [1, day, "班组日查", "2105回风巷", MAJOR_TEXT, "通风", "一般", "更换", "李晓东", "", None],
        [2, day, "班组日查", "2401回风巷", ORDINARY_TEXT, "通风", "一般", "调整", "李晓东", "", None],
    ]
    preview = hazards_import(actor=county.mine1_officer, mine=county.mine1, upload=workbook_upload(rows), dry_run=True)
    suspected = [w for w in preview.warnings if w.kind == "suspected_major"]
    assert len(suspected) == 1
    assert suspected[0].message.startswith("疑似重大隐患：") and "第七条第（二）项" in suspected[0].message
    assert not SuspectedMajorHazard.objects.exists()
    # the preview's own warning is told apart: its count of 提醒 is the one the import keeps in its batch
    assert preview.preview_only_warnings == suspected and suspected[0] not in preview.kept_warnings
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        result = hazards_import(actor=county.mine1_officer, mine=county.mine1, upload=workbook_upload(rows))
    assert len(result.warnings) == len(preview.kept_warnings)
    # Raised after the import commits (hazards.tasks.record_import_findings), not inside its transaction.
    assert result.created == 2 and not SuspectedMajorHazard.objects.exists()
    for callback in callbacks:
        callback()
    finding = SuspectedMajorHazard.objects.get()
    assert finding.hazard.description == MAJOR_TEXT and finding.state == "pending"


def test_the_import_itself_leaves_the_matcher_to_its_preview_and_to_the_findings(
    county, django_capture_on_commit_callbacks
):
    """Matching a 10,000-line file costs ~2 s, four times the rest of its import: the write does not do it again."""
    from unittest import mock

    from hazards.services import hazards_import
    from tests.hazards.xlsx import workbook_upload

    day = (dt.date.today() - dt.timedelta(days=2)).isoformat()
    rows = [[1, day, "班组日查", "2105回风巷", MAJOR_TEXT, "通风", "一般", "更换", "李晓东", "", None]]
    with (
        mock.patch("hazards.services.ledger_import.suspected_major_warning", side_effect=AssertionError("matched")),
        django_capture_on_commit_callbacks(execute=False),
    ):
        result = hazards_import(actor=county.mine1_officer, mine=county.mine1, upload=workbook_upload(rows))
    assert result.created == 1 and not [w for w in result.warnings if w.kind == "suspected_major"]


def test_the_import_findings_task_only_adds(county, django_capture_on_commit_callbacks):
    """Run again (a retry), it raises nothing twice; a finding decided since stays as decided."""
    from hazards.services import hazards_import
    from hazards.tasks import record_import_findings
    from tests.hazards.xlsx import workbook_upload

    day = (dt.date.today() - dt.timedelta(days=2)).isoformat()
    rows = [[1, day, "班组日查", "2105回风巷", MAJOR_TEXT, "通风", "一般", "更换", "李晓东", "", None]]
    with django_capture_on_commit_callbacks(execute=True):
        result = hazards_import(actor=county.mine1_officer, mine=county.mine1, upload=workbook_upload(rows))
    assert SuspectedMajorHazard.objects.filter(hazard__import_batch_id=result.batch_id).count() == 1
    assert record_import_findings(result.batch_id) == {"raised": 0}
    assert SuspectedMajorHazard.objects.count() == 1


def test_the_import_findings_are_raised_in_place_when_the_broker_is_down(county, django_capture_on_commit_callbacks):
    from unittest import mock

    from hazards.services import hazards_import
    from hazards.tasks import record_import_findings
    from tests.hazards.xlsx import workbook_upload

    day = (dt.date.today() - dt.timedelta(days=2)).isoformat()
    rows = [[1, day, "班组日查", "2105回风巷", MAJOR_TEXT, "通风", "一般", "更换", "李晓东", "", None]]
    with (
        mock.patch.object(record_import_findings, "delay", side_effect=ConnectionError("broker down")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        hazards_import(actor=county.mine1_officer, mine=county.mine1, upload=workbook_upload(rows))
    assert SuspectedMajorHazard.objects.get().hazard.description == MAJOR_TEXT


def test_an_import_whose_rows_raised_findings_can_be_undone_until_one_is_decided(
    county, django_capture_on_commit_callbacks
):
    """The findings the system raised after an import go with its undo while 待核实; a decided one is a step the
    bureau took, and the undo is refused (409) with a message saying so."""
    from core.errors import InvalidState
    from hazards.services import hazards_import, hazards_import_undo
    from hazards.services.suspected import suspected_major_dismiss
    from tests.hazards.xlsx import workbook_upload

    day = (dt.date.today() - dt.timedelta(days=2)).isoformat()
    rows = [[1, day, "班组日查", "2105回风巷", MAJOR_TEXT, "通风", "一般", "更换", "李晓东", "", None]]
    with django_capture_on_commit_callbacks(execute=True):
        first = hazards_import(actor=county.mine1_officer, mine=county.mine1, upload=workbook_upload(rows))
    assert SuspectedMajorHazard.objects.filter(hazard__import_batch_id=first.batch_id, state="pending").count() == 1
    hazards_import_undo(actor=county.mine1_officer, batch_id=first.batch_id)
    assert not SuspectedMajorHazard.objects.exists() and not Hazard.objects.filter(import_batch_id=first.batch_id)

    with django_capture_on_commit_callbacks(execute=True):
        second = hazards_import(actor=county.mine1_officer, mine=county.mine1, upload=workbook_upload(rows))
    finding = SuspectedMajorHazard.objects.get(hazard__import_batch_id=second.batch_id)
    suspected_major_dismiss(actor=county.inspector, finding=finding, reason="现场核实为局部风量不足，非串联通风")
    with pytest.raises(InvalidState, match="疑似重大隐患已经核实"):
        hazards_import_undo(actor=county.mine1_officer, batch_id=second.batch_id)
    assert Hazard.objects.filter(import_batch_id=second.batch_id).count() == 1
