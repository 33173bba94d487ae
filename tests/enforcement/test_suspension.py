"""停产整顿 to 复产验收 (issue 19 item 3): a major hazard suspends its mine with a record of what it was before; closing
the last major hazard does not lift it; only an accepted 复产验收 does, restoring the previous status; a refusal keeps
it suspended and the mine may apply again; an import suspends, and an undone import before any order withdraws it."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import MineStatus
from core.errors import DomainError, InvalidState, NotPermitted
from enforcement import services
from enforcement.models import (
    DocumentKind,
    ResumptionStatus,
    Suspension,
    SuspensionEvent,
    SuspensionStatus,
)
from hazards.services import hazards_import, hazards_import_undo
from notifications.models import Notification
from tests.factories import running_campaign
from tests.hazards.xlsx import workbook_upload
from tests.images import image_bytes

from .penalty_helpers import setup_bureau
from .suspension_helpers import (
    TODAY,
    active_suspension,
    apply,
    close_hazard,
    decide,
    issue_order,
    open_major,
    suspended_and_ordered,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def officers(county):
    return setup_bureau(county.bureau, county.inspector)[0]


def status_of(mine):
    mine.refresh_from_db()
    return mine.status


# ---------------------------------------------------------------- the signal opens one suspension


def test_a_major_hazard_suspends_the_mine_with_one_record_of_what_it_was_before(county, major_fields):
    county.mine1.status = MineStatus.CONSTRUCTION
    county.mine1.save()
    first = open_major(county, major_fields)
    second = open_major(county, major_fields, location="2203工作面", description="瓦斯超限作业")

    assert status_of(county.mine1) == MineStatus.SUSPENDED
    suspension = Suspension.objects.get(mine=county.mine1)  # one, not one per hazard
    assert suspension.status == SuspensionStatus.ACTIVE
    assert suspension.previous_status == MineStatus.CONSTRUCTION
    assert set(suspension.hazards.all()) == {first, second}
    assert SuspensionEvent.objects.filter(suspension=suspension, action="停产整顿").count() == 1
    assert Notification.objects.filter(recipient=county.mine1_officer, key=f"suspension:opened:{suspension.pk}")
    assert Notification.objects.filter(recipient=county.inspector, key=f"suspension:opened:{suspension.pk}")
    assert not Suspension.objects.filter(mine=county.mine2).exists()


def test_a_general_hazard_suspends_nothing(county, general_fields):
    from hazards.services import hazard_create

    hazard_create(actor=county.mine1_officer, mine=county.mine1, **general_fields)
    assert status_of(county.mine1) == MineStatus.NORMAL
    assert not Suspension.objects.exists()


# ---------------------------------------------------------------- the Done-when rules


def test_the_mine_stays_suspended_when_its_last_major_hazard_closes_until_resumption_is_accepted(
    county, major_fields, officers
):
    hazard, suspension = suspended_and_ordered(county, major_fields, officers)
    assert suspension.order.kind == DocumentKind.SUSPENSION_ORDER and suspension.order.status == "served"
    assert suspension.order.content == {
        "facts": "经查，你矿1105掘进工作面串联通风。",
        "basis": "《中华人民共和国安全生产法》第六十五条",
        "requirements": "停止生产，撤出作业人员，整改完成后申请复产验收。",
    }
    assert [i.hazard_id for i in suspension.order.items.all()] == [hazard.pk]

    close_hazard(county, hazard)

    assert status_of(county.mine1) == MineStatus.SUSPENDED  # the old rule put it back to 正常生产 here
    suspension.refresh_from_db()
    assert suspension.status == SuspensionStatus.ACTIVE
    assert Notification.objects.filter(recipient=county.mine1_officer, key=f"suspension:ready:{suspension.pk}")

    application = apply(county.mine1_officer, suspension)
    assert status_of(county.mine1) == MineStatus.SUSPENDED  # applying lifts nothing
    decide(officers, application, accepted=True)

    assert status_of(county.mine1) == MineStatus.NORMAL
    suspension.refresh_from_db()
    assert (suspension.status, suspension.ended_on, suspension.resumption_id) == (
        SuspensionStatus.RESUMED,
        TODAY,
        application.pk,
    )


def test_a_refused_resumption_keeps_the_mine_suspended_and_it_may_apply_again(county, major_fields, officers):
    hazard, suspension = suspended_and_ordered(county, major_fields, officers)
    close_hazard(county, hazard)
    first = apply(county.mine1_officer, suspension)

    refused = decide(officers, first, accepted=False)

    assert refused.status == ResumptionStatus.REFUSED
    opinion = refused.opinion_document
    assert opinion.kind == DocumentKind.RESUMPTION_OPINION and opinion.follows_id == suspension.order_id
    assert opinion.content["conclusion"] == "refused" and set(opinion.content) == {"checked", "conclusion", "opinion"}
    assert status_of(county.mine1) == MineStatus.SUSPENDED
    assert Suspension.objects.get(pk=suspension.pk).status == SuspensionStatus.ACTIVE
    assert Notification.objects.filter(recipient=county.mine1_officer, key=f"resumption:decided:{first.pk}")

    second = apply(county.mine1_officer, suspension, text="已按验收意见整改局部通风机双风机双电源。")
    accepted = decide(officers, second, accepted=True)
    assert accepted.opinion_document.content["conclusion"] == "accepted"
    assert status_of(county.mine1) == MineStatus.NORMAL
    numbers = [refused.opinion_document.number, accepted.opinion_document.number]
    assert numbers[0] != numbers[1] and all("煤复验" in n for n in numbers)


@pytest.mark.parametrize("before", [MineStatus.IDLE, MineStatus.CONSTRUCTION])
def test_acceptance_restores_the_status_the_mine_had_before(county, major_fields, officers, before):
    county.mine1.status = before
    county.mine1.save()
    hazard, suspension = suspended_and_ordered(county, major_fields, officers)
    close_hazard(county, hazard)
    decide(officers, apply(county.mine1_officer, suspension), accepted=True)
    assert status_of(county.mine1) == before  # 长期停产 stays 长期停产, 基建 stays 基建: never 正常生产 by default


# ---------------------------------------------------------------- the guards


def test_applying_while_a_major_hazard_is_open_is_refused_with_the_list(county, major_fields, officers):
    hazard, suspension = suspended_and_ordered(county, major_fields, officers)
    with pytest.raises(InvalidState) as refused:
        apply(county.mine1_officer, suspension)
    assert refused.value.status == 409
    assert "1105掘进工作面" in refused.value.message and "尚未验收销号" in refused.value.message


def test_one_pending_application_at_a_time_and_no_second_order(county, major_fields, officers):
    hazard, suspension = suspended_and_ordered(county, major_fields, officers)
    with pytest.raises(InvalidState, match="不能重复下达"):
        issue_order(officers, suspension)
    close_hazard(county, hazard)
    application = apply(county.mine1_officer, suspension)
    with pytest.raises(InvalidState, match="请勿重复申请"):
        apply(county.mine1_officer, suspension)
    decide(officers, application, accepted=True)
    with pytest.raises(InvalidState, match="不能重复验收"):
        decide(officers, application, accepted=True)
    with pytest.raises(InvalidState, match="已复产"):
        apply(county.mine1_officer, suspension)


def test_no_application_before_the_order_is_served(county, major_fields):
    hazard = open_major(county, major_fields)
    close_hazard(county, hazard)
    with pytest.raises(InvalidState, match="尚未下达责令停产整顿指令书"):
        apply(county.mine1_officer, active_suspension(county.mine1))


def test_who_may_do_what(county, major_fields, officers):
    hazard, suspension = suspended_and_ordered(county, major_fields, officers)
    close_hazard(county, hazard)
    for outsider in (county.mine2_officer, county.ent1_officer, county.inspector, county.leader):
        with pytest.raises(NotPermitted):
            apply(outsider, suspension)
    application = apply(county.mine1_officer, suspension)
    for outsider in (county.mine1_officer, county.ent1_officer, county.leader, county.other_inspector):
        with pytest.raises(NotPermitted):
            services.resumption_decide(
                actor=outsider,
                application=application,
                accepted=True,
                checked="x",
                opinion="y",
                officers=officers,
                signer_name="张",
                served_on=TODAY,
            )
    with pytest.raises(NotPermitted):
        issue_order([county.other_inspector, *officers], suspension)


def test_bad_input_names_its_field(county, major_fields, officers):
    hazard = open_major(county, major_fields)
    suspension = active_suspension(county.mine1)
    with pytest.raises(DomainError) as refused:
        services.suspension_issue_order(
            actor=officers[0],
            suspension=suspension,
            officers=officers,
            facts="",
            basis="b",
            requirements="r",
            signer_name="张",
            served_on=TODAY,
        )
    assert refused.value.field == "facts" and refused.value.status == 400
    with pytest.raises(DomainError) as refused:
        issue_order(officers[:1], suspension)
    assert refused.value.field == "officers"
    suspension = issue_order(officers, suspension)
    close_hazard(county, hazard)
    with pytest.raises(DomainError) as refused:
        apply(county.mine1_officer, suspension, text="  ")
    assert refused.value.field == "self_check"
    bad = SimpleUploadedFile("report.pdf", b"<html>not a pdf</html>")
    with pytest.raises(DomainError):
        apply(county.mine1_officer, suspension, files=[bad])
    assert not suspension.applications.exists()  # nothing half-written


def test_an_application_keeps_its_scans(county, major_fields, officers):
    hazard, suspension = suspended_and_ordered(county, major_fields, officers)
    close_hazard(county, hazard)
    photo = SimpleUploadedFile("现场照片.jpg", image_bytes("JPEG"))
    application = apply(county.mine1_officer, suspension, files=[photo])
    (stored,) = application.attachments.all()
    assert stored.content_type == "image/jpeg" and stored.original_name == "现场照片.jpg"


def test_a_new_major_hazard_after_the_application_blocks_acceptance(county, major_fields, officers):
    hazard, suspension = suspended_and_ordered(county, major_fields, officers)
    close_hazard(county, hazard)
    application = apply(county.mine1_officer, suspension)
    open_major(county, major_fields, location="3101工作面", description="主要通风机无备用")
    with pytest.raises(InvalidState, match="3101工作面"):
        decide(officers, application, accepted=True)
    decide(officers, application, accepted=False)  # a refusal still may be issued
    assert Suspension.objects.filter(mine=county.mine1).count() == 1  # the same suspension, now with two hazards
    assert active_suspension(county.mine1).hazards.count() == 2


# ---------------------------------------------------------------- imports


HEADERS = ["序号", "排查日期", "排查类型", "隐患地点", "隐患内容", "隐患等级", "重大隐患类别", "整改期限"]
FIVE = ["整改措施", "整改责任单位", "整改责任人", "整改资金", "应急预案"]


def major_ledger():
    line = [1, TODAY - dt.timedelta(days=2), "月查", "井田东翼", "超层越界开采", "重大", "7", TODAY + dt.timedelta(30)]
    five = ["停止越界区域采掘", "生产技术科", "张矿长", 120000, "撤出人员，设置警戒"]
    return workbook_upload([[*line, *five, "第十条第（一）项"]], headers=[*HEADERS, *FIVE, "重大隐患情形"])


def test_an_import_of_a_major_hazard_suspends_and_its_undo_withdraws_a_suspension_without_order(county):
    running_campaign(bureau=county.bureau, starts_on=TODAY - dt.timedelta(days=40))
    county.mine1.status = MineStatus.IDLE
    county.mine1.save()
    result = hazards_import(actor=county.mine1_officer, mine=county.mine1, upload=major_ledger())
    assert status_of(county.mine1) == MineStatus.SUSPENDED
    suspension = active_suspension(county.mine1)
    assert suspension.hazards.count() == 1 and suspension.previous_status == MineStatus.IDLE

    hazards_import_undo(actor=county.mine1_officer, batch_id=result.batch_id)

    suspension.refresh_from_db()
    assert suspension.status == SuspensionStatus.WITHDRAWN and suspension.ended_on == TODAY
    assert status_of(county.mine1) == MineStatus.IDLE
    assert not Notification.objects.filter(key=f"suspension:opened:{suspension.pk}").exists()


def test_an_import_whose_hazards_an_order_cites_can_no_longer_be_undone(county, officers):
    running_campaign(bureau=county.bureau, starts_on=TODAY - dt.timedelta(days=40))
    result = hazards_import(actor=county.mine1_officer, mine=county.mine1, upload=major_ledger())
    issue_order(officers, active_suspension(county.mine1))
    with pytest.raises(InvalidState, match="不能撤销"):
        hazards_import_undo(actor=county.mine1_officer, batch_id=result.batch_id)
    assert status_of(county.mine1) == MineStatus.SUSPENDED


# ---------------------------------------------------------------- 一案双查 before closing


def test_a_major_hazard_of_the_campaign_is_not_closed_without_its_accountability_record(county, major_fields, client):
    from hazards.services import hazard_accept, hazard_submit_for_acceptance

    running_campaign(bureau=county.bureau, starts_on=TODAY - dt.timedelta(days=40))
    hazard = open_major(county, major_fields)
    assert hazard.campaign_id is not None
    hazard_submit_for_acceptance(actor=county.mine1_officer, hazard=hazard)
    with pytest.raises(InvalidState, match="一案双查") as refused:
        hazard_accept(actor=county.inspector, hazard=hazard)
    assert refused.value.status == 409
    client.force_login(county.inspector)
    page = client.get(f"/hazards/{hazard.pk}/").content.decode()
    assert 'data-testid="accountability-first"' in page and "验收合格，销号" not in page
    from hazards.services import hazard_accountability_record

    hazard_accountability_record(
        actor=county.inspector,
        hazard=hazard,
        enterprise_responsibility="矿长未落实隐患排查责任。",
        supervision_responsibility="监管专员已按计划检查。",
        outcome="矿长作出书面检查。",
    )
    assert hazard_accept(actor=county.inspector, hazard=hazard).is_closed
