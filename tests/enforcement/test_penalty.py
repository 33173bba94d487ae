"""The penalty case: stages in their order (409 when one is skipped), the periods it computes, the amount of each
party (never heavier after 陈述申辩), the 告知书 and 决定书 as served enforcement documents, who may see and do what."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from core.errors import DomainError, InvalidState, NotPermitted
from enforcement import services
from enforcement.models import (
    DocumentKind,
    DocumentStatus,
    EnforcementDocument,
    LegalProvision,
    PenaltyCase,
    PenaltyRules,
    PenaltyStage,
    add_working_days,
    rules_for,
)
from enforcement.selectors import penalty_case_list
from hazards.models import Inspection
from tests.factories import HazardFactory
from tests.images import image_bytes

from .penalty_helpers import advance, open_case, setup_bureau

pytestmark = pytest.mark.django_db

#: a Monday: the weekdays of the periods below are known
TODAY = dt.date(2025, 1, 20)
START = dt.date(2025, 1, 6)


@pytest.fixture(autouse=True)
def frozen_day():
    with time_machine.travel(dt.datetime(2025, 1, 20, 2, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def world(county):
    officers, provisions = setup_bureau(county.bureau, county.inspector)
    inspection = Inspection.objects.create(mine=county.mine1, inspected_on=START - dt.timedelta(days=2), mode="open")
    hazard = HazardFactory(mine=county.mine1, inspection=inspection, found_on=inspection.inspected_on)
    return officers, provisions, hazard


def new_case(county, world, **kw):
    officers, provisions, hazard = world
    return open_case(officers[0], county.mine1, provisions, filed_on=START, hazard=hazard, **kw)


# ---------------------------------------------------------------- stages


def test_a_case_is_numbered_in_the_bureaus_series_and_starts_filed(county, world):
    first, second = new_case(county, world), new_case(county, world)
    assert first.number == "阳应急煤立〔2025〕1号" and second.number == "阳应急煤立〔2025〕2号"
    assert first.stage == PenaltyStage.FILED and first.filed_on == START
    assert first.inspection == world[2].inspection  # the hazard's inspection: its documents refer to it
    assert [p.name for p in first.parties.all()] == ["东峰煤矿", "张建国"]  # the unit first


def test_stages_run_in_order_and_a_skipped_one_is_refused(county, world):
    officers = world[0]
    case = new_case(county, world)
    with pytest.raises(InvalidState, match="须先完成“调查取证”"):
        services.penalty_case_notify(
            actor=officers[0], case=case, officers=officers, served_on=START, signer_name="李安全"
        )
    with pytest.raises(InvalidState, match="须先完成“陈述申辩/听证”"):
        services.penalty_case_decide(
            actor=officers[0], case=case, amounts={}, officers=officers, served_on=START, signer_name="x"
        )
    with pytest.raises(InvalidState, match="须先完成“执行”"):
        services.penalty_case_close(actor=officers[0], case=case, closed_on=START, summary="x")
    case = advance(case, officers, PenaltyStage.INVESTIGATING, start=START)
    with pytest.raises(InvalidState, match="已处于“调查取证”阶段"):
        services.penalty_case_investigate(actor=officers[0], case=case)
    assert InvalidState.status == 409
    case = advance(case, officers, PenaltyStage.CLOSED, start=START)
    assert [row[2] for row in case.timeline()] == ["done"] * 6 + ["current"]
    assert case.closed_on == START + dt.timedelta(days=5)
    assert list(case.events.values_list("action", flat=True))[:3] == ["立案", "开始调查取证", "送达行政处罚告知书"]


def test_a_step_is_not_dated_before_the_one_before_it_nor_in_the_future(county, world):
    officers = world[0]
    case = new_case(county, world)
    with pytest.raises(DomainError, match="不能早于立案日期"):
        services.penalty_case_investigate(actor=officers[0], case=case, started_on=START - dt.timedelta(days=1))
    with pytest.raises(DomainError, match="不能晚于今天"):
        services.penalty_case_investigate(actor=officers[0], case=case, started_on=TODAY + dt.timedelta(days=1))


# ---------------------------------------------------------------- periods


def test_working_days_skip_weekends_holidays_and_count_working_weekends():
    friday = dt.date(2025, 1, 3)
    assert add_working_days(friday, 3) == dt.date(2025, 1, 8)  # Mon, Tue, Wed
    assert add_working_days(dt.date(2025, 1, 6), 3) == dt.date(2025, 1, 9)  # the day itself is not counted
    holiday = {dt.date(2025, 1, 7)}
    assert add_working_days(friday, 3, holidays=holiday) == dt.date(2025, 1, 9)
    assert add_working_days(friday, 3, workdays={dt.date(2025, 1, 4)}) == dt.date(2025, 1, 7)


def test_notice_periods_run_from_the_day_it_was_served(county, world):
    officers = world[0]
    case = advance(new_case(county, world), officers, PenaltyStage.NOTIFIED, start=START)
    served = START + dt.timedelta(days=2)  # Wednesday 2025-01-08
    assert case.notified_on == served
    assert case.statement_due_on == dt.date(2025, 1, 13)  # Thu, Fri, Mon: three working days
    # The person's 20,000 元 reaches the threshold for a person (以上 includes the figure): a hearing may be asked.
    assert case.hearing_due_on == dt.date(2025, 1, 15)  # five working days


def test_the_bureau_sets_its_periods_and_thresholds(county, world):
    officers = world[0]
    services.penalty_rules_save(
        actor=officers[0], statement_days=5, hearing_threshold_person=Decimal("20000.01"), holidays="2025-01-09"
    )
    case = advance(new_case(county, world), officers, PenaltyStage.NOTIFIED, start=START)
    assert case.statement_due_on == dt.date(2025, 1, 16)  # Thu is a holiday: Fri, Mon, Tue, Wed, Thu
    assert case.hearing_due_on is None  # neither party reaches its threshold now
    with pytest.raises(DomainError, match="不是日期"):
        services.penalty_rules_save(actor=officers[0], holidays="明年元旦")
    with pytest.raises(NotPermitted):
        services.penalty_rules_save(actor=county.leader, statement_days=1)


def test_payment_is_due_fifteen_calendar_days_after_the_decision_was_served(county, world):
    officers = world[0]
    case = advance(new_case(county, world), officers, PenaltyStage.DECIDED, start=START)
    assert case.decided_on == START + dt.timedelta(days=4)
    assert case.payment_due_on == case.decided_on + dt.timedelta(days=15)
    assert rules_for(county.bureau.pk).payment_days == 15 and not PenaltyRules.objects.exists()


def test_saying_nothing_is_recorded_only_after_every_period_ended(county, world):
    officers = world[0]
    case = advance(new_case(county, world), officers, PenaltyStage.NOTIFIED, start=START)
    with pytest.raises(InvalidState, match="2025-01-15"):
        services.penalty_case_record_statement(
            actor=officers[0], case=case, kind="none", made_on=case.statement_due_on + dt.timedelta(days=1)
        )
    with pytest.raises(DomainError, match="已于2025-01-13届满"):
        services.penalty_case_record_statement(
            actor=officers[0], case=case, kind="statement", made_on=dt.date(2025, 1, 14), text="x", review_opinion="y"
        )
    with pytest.raises(DomainError, match="复核意见"):
        services.penalty_case_record_statement(
            actor=officers[0], case=case, kind="statement", made_on=dt.date(2025, 1, 10), text="已整改"
        )
    case = services.penalty_case_record_statement(
        actor=officers[0], case=case, kind="none", made_on=dt.date(2025, 1, 16)
    )
    assert case.stage == PenaltyStage.HEARING


def test_a_hearing_only_where_an_amount_reaches_the_threshold(county, world):
    officers = world[0]
    case = new_case(county, world, person_amount=Decimal("19999"))
    case = advance(case, officers, PenaltyStage.NOTIFIED, start=START)
    assert case.hearing_due_on is None
    with pytest.raises(DomainError, match="没有要求听证的权利"):
        services.penalty_case_record_statement(
            actor=officers[0], case=case, kind="hearing", made_on=dt.date(2025, 1, 10), text="x", review_opinion="y"
        )


# ---------------------------------------------------------------- amounts


def test_amounts_are_per_party_within_the_provision_and_never_heavier_after_the_statement(county, world):
    officers, provisions, _ = world
    with pytest.raises(DomainError, match="超过《中华人民共和国安全生产法》第一百零二条规定的上限"):
        new_case(county, world, unit_amount=Decimal("50000.01"))
    case = advance(new_case(county, world), officers, PenaltyStage.HEARING, start=START)
    unit, person = case.parties.all()
    with pytest.raises(DomainError, match="第四十五条"):
        services.penalty_case_decide(
            actor=officers[0],
            case=case,
            amounts={unit.pk: Decimal("30000.01"), person.pk: person.amount},
            officers=officers,
            served_on=TODAY,
            signer_name="李安全",
        )
    with pytest.raises(DomainError, match="张建国"):
        services.penalty_case_decide(
            actor=officers[0], case=case, amounts={unit.pk: 1}, officers=officers, served_on=TODAY, signer_name="x"
        )
    case = services.penalty_case_decide(
        actor=officers[0],
        case=case,
        amounts={unit.pk: Decimal("25000"), person.pk: Decimal("20000")},
        officers=officers,
        served_on=TODAY,
        signer_name="李安全",
    )
    unit.refresh_from_db()
    assert unit.amount == Decimal("30000") and unit.decided_amount == Decimal("25000")
    content = case.decision.content
    assert [p["amount"] for p in content["parties"]] == ["25000.00", "20000.00"]
    assert content["total"] == "45000.00" and content["parties"][0]["amount_upper"] == "贰万伍仟元整"


def test_payments_are_per_party_and_execution_and_closing_need_them(county, world):
    officers = world[0]
    case = advance(new_case(county, world), officers, PenaltyStage.DECIDED, start=START)
    unit, person = case.parties.all()
    paid_on = case.decided_on + dt.timedelta(days=2)
    receipt = SimpleUploadedFile("缴款凭证.png", image_bytes())
    case = services.penalty_case_record_payment(
        actor=officers[0], case=case, party=unit, paid_on=paid_on, receipt=receipt
    )
    assert case.evidence.get().kind == "payment"
    with pytest.raises(InvalidState, match="已于"):
        services.penalty_case_record_payment(actor=officers[0], case=case, party=unit, paid_on=paid_on)
    with pytest.raises(InvalidState, match="张建国"):
        services.penalty_case_execute(actor=officers[0], case=case, executed_on=paid_on, kind="paid")
    with pytest.raises(InvalidState, match="期限届满后"):
        services.penalty_case_execute(actor=officers[0], case=case, executed_on=paid_on, kind="court", note="x")
    case = services.penalty_case_execute(
        actor=officers[0], case=case, executed_on=paid_on, kind="deferred", note="矿长申请分期缴纳，经局长批准分两期。"
    )
    with pytest.raises(InvalidState, match="尚未缴清"):
        services.penalty_case_close(actor=officers[0], case=case, closed_on=paid_on, summary="x")
    case = services.penalty_case_record_payment(actor=officers[0], case=case, party=person, paid_on=paid_on)
    case = services.penalty_case_close(actor=officers[0], case=case, closed_on=paid_on, summary="罚款已缴清。")
    assert case.stage == PenaltyStage.CLOSED
    with pytest.raises(InvalidState, match="已结案"):
        services.penalty_case_attach(
            actor=officers[0], case=case, upload=receipt, kind="other", title="补充", dated=paid_on
        )


def test_parties_and_bases_may_change_until_the_notice_is_served(county, world):
    officers, provisions, _ = world
    case = new_case(county, world)
    case = services.penalty_case_update(
        actor=officers[0],
        case=case,
        parties=[{"kind": "unit", "name": "东峰煤矿", "amount": "45000", "provision": provisions["第一百零二条"]}],
    )
    assert case.parties.get().amount == Decimal("45000")
    with pytest.raises(DomainError, match="职务"):
        services.penalty_case_update(actor=officers[0], case=case, parties=[{"kind": "person", "name": "王五"}])
    with pytest.raises(DomainError, match="一个单位当事人"):
        services.penalty_case_update(
            actor=officers[0], case=case, parties=[{"kind": "unit", "name": "甲"}, {"kind": "unit", "name": "乙"}]
        )
    case = advance(case, officers, PenaltyStage.NOTIFIED, start=START)
    with pytest.raises(InvalidState, match="告知书已送达"):
        services.penalty_case_update(actor=officers[0], case=case, cause="改了")


# ---------------------------------------------------------------- the documents


def test_the_notice_and_the_decision_are_served_documents_of_their_series(county, world):
    officers = world[0]
    case = advance(new_case(county, world), officers, PenaltyStage.DECIDED, start=START)
    notice, decision = case.notice, case.decision
    assert notice.kind == DocumentKind.PENALTY_NOTICE and decision.kind == DocumentKind.PENALTY_DECISION
    assert notice.status == decision.status == DocumentStatus.SERVED
    assert notice.number == "阳应急煤罚告〔2025〕1号" and decision.number == "阳应急煤罚决〔2025〕1号"
    assert notice.received_on == case.notified_on and notice.signer_name == "李安全"
    assert [o.certificate_no for o in notice.officers.all()] == [o.certificate_no for o in officers]
    rights = "".join(notice.content["rights"])
    assert "陈述和申辩" in rights and "要求听证" in rights and "2025年1月13日前" in rights
    assert notice.content["hearing_parties"] == ["张建国"]
    assert notice.content["provisions"][0]["article"] == "第一百零二条"
    assert "六十日内依法向阳城县人民政府申请行政复议" in "".join(decision.content["rights"])
    assert "六个月内依法向人民法院提起行政诉讼" in "".join(decision.content["rights"])
    assert "书面表示放弃" in decision.content["statement"]


def test_a_failed_issue_leaves_the_case_where_it_was(county, world):
    officers = world[0]
    case = advance(new_case(county, world), officers, PenaltyStage.INVESTIGATING, start=START)
    with pytest.raises(DomainError, match="两名以上"):
        services.penalty_case_notify(
            actor=officers[0], case=case, officers=officers[:1], served_on=TODAY, signer_name="李安全"
        )
    case.refresh_from_db()
    assert case.stage == PenaltyStage.INVESTIGATING and case.notice is None
    assert not EnforcementDocument.objects.exists()


# ---------------------------------------------------------------- who


def test_only_the_bureaus_inspectors_handle_a_case(county, world):
    officers, provisions, hazard = world
    for actor in (county.mine1_officer, county.ent1_officer, county.leader, county.other_inspector):
        with pytest.raises(NotPermitted):
            open_case(actor, county.mine1, provisions, filed_on=START, hazard=hazard)
    case = new_case(county, world)
    with pytest.raises(NotPermitted):
        services.penalty_case_investigate(actor=county.leader, case=case)


def test_a_mine_sees_its_case_once_the_notice_is_served(county, world):
    officers = world[0]
    case = new_case(county, world)
    assert list(penalty_case_list(user=county.inspector)) == [case]
    assert list(penalty_case_list(user=county.leader)) == [case]
    assert not penalty_case_list(user=county.mine1_officer).exists()  # 立案: the bureau's internal work
    case = advance(case, officers, PenaltyStage.INVESTIGATING, start=START)
    assert not penalty_case_list(user=county.ent1_officer).exists()
    case = advance(case, officers, PenaltyStage.NOTIFIED, start=START)
    assert list(penalty_case_list(user=county.mine1_officer)) == [case]
    assert list(penalty_case_list(user=county.ent1_officer)) == [case]
    for other in (county.mine2_officer, county.mine3_officer, county.other_inspector):
        assert not penalty_case_list(user=other).exists()


def test_the_bureau_keeps_its_list_of_provisions(county, world):
    officers = world[0]
    assert services.legal_provisions_load(actor=officers[0]) == 0  # loaded once: a second load adds nothing
    loaded = LegalProvision.objects.filter(bureau=county.bureau)
    assert loaded.count() == len(services.default_provisions()) and not loaded.filter(checked=True).exists()
    provision = services.legal_provision_save(
        actor=officers[0],
        law="《山西省安全生产条例》",
        article="第七十六条",
        violation="未及时排查治理事故隐患并如实记录",
        summary="责令限期改正，可以处一万元以上五万元以下的罚款。",
        unit_max=Decimal("50000"),
        checked=True,
    )
    assert provision.bureau == county.bureau
    with pytest.raises(DomainError, match="已有"):
        services.legal_provision_save(
            actor=officers[0], law=provision.law, article=provision.article, violation="x", summary="x"
        )
    with pytest.raises(NotPermitted):
        services.legal_provisions_load(actor=county.mine1_officer)
    assert not LegalProvision.objects.visible_to(county.mine1_officer).exists()
    assert not LegalProvision.objects.visible_to(county.other_inspector).exists()
    retired = services.legal_provision_save(
        actor=officers[0],
        provision=provision,
        **{f: getattr(provision, f) for f in ("law", "article", "violation", "summary")},
        active=False,
    )
    with pytest.raises(DomainError, match="已停用"):
        open_case(officers[0], county.mine1, {"第一百零二条": retired, "第九十四条": retired}, filed_on=START)


def test_evidence_is_checked_by_its_content(county, world):
    officers = world[0]
    case = new_case(county, world)
    with pytest.raises(DomainError, match="类型不支持"):
        services.penalty_case_attach(
            actor=officers[0],
            case=case,
            upload=SimpleUploadedFile("询问笔录.pdf", b"MZ not a pdf"),
            kind="inquiry",
            title="询问笔录",
            dated=START,
        )
    evidence = services.penalty_case_attach(
        actor=officers[0],
        case=case,
        upload=SimpleUploadedFile("询问笔录.pdf", b"%PDF-1.4 x"),
        kind="inquiry",
        title="对矿长张建国的询问笔录",
        dated=START,
        pages=3,
    )
    assert evidence.content_type == "application/pdf" and evidence.stage == PenaltyStage.FILED
    assert PenaltyCase.objects.get().evidence.count() == 1
