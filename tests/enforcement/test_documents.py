"""Enforcement documents: drafted by the bureau, issued with two certified officers and a number of their series,
served on the mine. Numbers never repeat and never skip, also when officers issue at the same moment (PostgreSQL)."""

import datetime as dt
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from accounts.models import Role
from core.errors import DomainError, InvalidState, NotPermitted
from enforcement.kinds import validate_content
from enforcement.models import DocumentKind, DocumentStatus, EnforcementDocument, EnforcementSettings, NumberFormat
from enforcement.services import (
    check_number_pattern,
    document_delete_draft,
    document_draft,
    document_issue,
    document_record_receipt,
    number_format_save,
)
from hazards.models import Inspection
from tests.factories import HazardFactory, MineFactory, UserFactory
from tests.images import image_bytes

TODAY = dt.date.today()
RECORD = {"place": "3105回风巷", "situation": "检查通风设施和瓦斯监测"}
REVIEW = {"opinion": "经复查，整改未全部完成。"}
ORDER = {"basis": "《中华人民共和国安全生产法》第六十五条"}


@pytest.fixture
def county(db):
    mine = MineFactory()
    bureau = mine.bureau
    EnforcementSettings.objects.create(bureau=bureau, number_prefix="阳应急", authority_name="阳城县应急管理局")
    officers = [
        UserFactory(role=Role.INSPECTOR, organization=bureau, certificate_no=f"14052100{i}") for i in range(1, 4)
    ]
    inspection = Inspection.objects.create(mine=mine, inspected_on=TODAY - dt.timedelta(days=1), mode="open")
    return mine, bureau, officers, inspection


def order(mine, officers, inspection, **kw):
    hazard = HazardFactory(mine=mine)
    return document_draft(
        actor=officers[0],
        kind=DocumentKind.RECTIFICATION_ORDER,
        mine=mine,
        inspection=inspection,
        officers=officers[:2],
        items=[{"hazard": hazard, "due_on": TODAY + dt.timedelta(days=7)}],
        content=ORDER,
        **kw,
    )


def test_a_draft_has_no_number_and_issuing_numbers_it_in_its_series(county):
    mine, bureau, officers, inspection = county
    first = order(mine, officers, inspection)
    assert first.number == "" and first.serial is None and first.status == DocumentStatus.DRAFT
    first = document_issue(actor=officers[0], document=first)
    second = document_issue(actor=officers[0], document=order(mine, officers, inspection))
    assert first.number == f"阳应急煤责改〔{TODAY.year}〕1号"
    assert second.number == f"阳应急煤责改〔{TODAY.year}〕2号"
    record = document_draft(
        actor=officers[0],
        kind=DocumentKind.INSPECTION_RECORD,
        mine=mine,
        inspection=inspection,
        officers=officers[:2],
        content=RECORD,
    )
    assert document_issue(actor=officers[0], document=record).serial == 1  # its own series
    assert [o.certificate_no for o in first.officers.all()] == ["140521001", "140521002"]


def test_the_bureau_sets_its_own_number_format(county):
    mine, bureau, officers, inspection = county
    NumberFormat.objects.create(
        bureau=bureau, kind=DocumentKind.RECTIFICATION_ORDER, code="责改", pattern="（{prefix}）{code}〔{year}〕第{n}号"
    )
    document = document_issue(actor=officers[0], document=order(mine, officers, inspection))
    assert document.number == f"（阳应急）责改〔{TODAY.year}〕第1号"
    with pytest.raises(DomainError, match="序号"):
        check_number_pattern("{prefix}{code}〔{year}〕号")
    with pytest.raises(DomainError, match="占位符"):
        check_number_pattern("{prefix}{code}{year}{n}{mine}")
    # without the year a series repeats its numbers each year; without the code two kinds give the same text
    with pytest.raises(DomainError, match="年份"):
        check_number_pattern("{prefix}{code}第{n}号")
    with pytest.raises(DomainError, match="文书代字"):
        check_number_pattern("{year}{n}")


def test_two_kinds_of_one_bureau_cannot_share_a_code(county):
    mine, bureau, officers, inspection = county
    with pytest.raises(DomainError, match="已用于责令限期整改指令书") as taken:
        number_format_save(
            actor=officers[0], kind=DocumentKind.INSPECTION_RECORD, code="煤责改", pattern="{code}〔{year}〕{n}号"
        )
    assert taken.value.field == "code"
    number_format_save(actor=officers[0], kind=DocumentKind.INSPECTION_RECORD, code="检记", pattern="{code}{year}{n}")
    with pytest.raises(DomainError, match="已用于现场检查记录"):
        number_format_save(
            actor=officers[0], kind=DocumentKind.ON_SITE_MEASURES, code="检记", pattern="{code}{year}{n}"
        )
    assert (
        number_format_save(
            actor=officers[0], kind=DocumentKind.INSPECTION_RECORD, code="检记", pattern="{code}〔{year}〕{n}"
        ).pattern
        == "{code}〔{year}〕{n}"
    )  # a kind may keep its own code


def test_an_order_is_not_issued_with_a_deadline_already_past_nor_with_items_beyond_bounds(county):
    mine, bureau, officers, inspection = county
    no_inspection = document_draft(
        actor=officers[0],
        kind=DocumentKind.RECTIFICATION_ORDER,
        mine=mine,
        officers=officers[:2],
        items=[{"text": "皮带机尾无防护栏", "due_on": dt.date(2020, 1, 1)}],
        content=ORDER,
    )
    with pytest.raises(DomainError, match="第 1 项的整改期限早于签发日期"):
        document_issue(actor=officers[0], document=no_inspection)
    assert EnforcementDocument.objects.get(pk=no_inspection.pk).is_draft
    draft = {"actor": officers[0], "kind": DocumentKind.RECTIFICATION_ORDER, "mine": mine, "content": ORDER}
    due = TODAY + dt.timedelta(days=3)
    with pytest.raises(DomainError, match="不能超过 5,000 字"):
        document_draft(items=[{"text": "长" * 5001, "due_on": due}], **draft)
    with pytest.raises(DomainError, match="最多列 100 项"):
        document_draft(items=[{"text": f"第{i}处", "due_on": due} for i in range(101)], **draft)


def test_a_number_is_not_used_up_by_an_issue_that_fails(county):
    mine, bureau, officers, inspection = county
    lacking = document_draft(
        actor=officers[0],
        kind=DocumentKind.RECTIFICATION_ORDER,
        mine=mine,
        inspection=inspection,
        officers=officers[:1],
        items=[{"text": "皮带机尾无防护栏", "due_on": TODAY + dt.timedelta(days=3)}],
        content=ORDER,
    )
    with pytest.raises(DomainError, match="两名以上"):
        document_issue(actor=officers[0], document=lacking)
    assert document_issue(actor=officers[0], document=order(mine, officers, inspection)).serial == 1


def test_issue_rules(county):
    mine, bureau, officers, inspection = county
    document = order(mine, officers, inspection)
    with pytest.raises(DomainError, match="晚于今天"):
        document_issue(actor=officers[0], document=document, issued_on=TODAY + dt.timedelta(days=1))
    with pytest.raises(DomainError, match="早于检查日期"):
        document_issue(actor=officers[0], document=document, issued_on=TODAY - dt.timedelta(days=5))
    document_issue(actor=officers[0], document=document)
    with pytest.raises(InvalidState):
        document_issue(actor=officers[0], document=document)
    with pytest.raises(InvalidState):
        document_delete_draft(actor=officers[0], document=document)


def test_officers_must_be_certified_inspectors_of_the_bureau(county):
    mine, bureau, officers, inspection = county
    uncertified = UserFactory(role=Role.INSPECTOR, organization=bureau, certificate_no="")
    other_bureau = UserFactory(role=Role.INSPECTOR, organization=MineFactory().bureau, certificate_no="999")
    for bad in (uncertified, other_bureau):
        with pytest.raises(DomainError, match="执法人员"):
            document_draft(
                actor=officers[0],
                kind=DocumentKind.INSPECTION_RECORD,
                mine=mine,
                officers=[officers[0], bad],
                content=RECORD,
            )
    with pytest.raises(DomainError, match="重复"):
        document_draft(
            actor=officers[0],
            kind=DocumentKind.INSPECTION_RECORD,
            mine=mine,
            officers=[officers[0], officers[0]],
            content=RECORD,
        )


def test_a_mine_or_another_bureau_cannot_issue(county):
    mine, bureau, officers, inspection = county
    mine_officer = UserFactory(role=Role.MINE_OFFICER, organization=mine)
    leader = UserFactory(role=Role.LEADER, organization=bureau)
    stranger = UserFactory(role=Role.INSPECTOR, organization=MineFactory().bureau, certificate_no="1")
    for actor in (mine_officer, leader, stranger):
        with pytest.raises(NotPermitted):
            document_draft(actor=actor, kind=DocumentKind.INSPECTION_RECORD, mine=mine)
    document = order(mine, officers, inspection)
    for actor in (mine_officer, leader, stranger):
        with pytest.raises(NotPermitted):
            document_issue(actor=actor, document=document)


def test_items_of_an_order_need_deadlines_and_belong_to_the_mine(county):
    mine, bureau, officers, inspection = county
    with pytest.raises(DomainError, match="整改期限"):
        document_draft(
            actor=officers[0],
            kind=DocumentKind.RECTIFICATION_ORDER,
            mine=mine,
            officers=officers[:2],
            items=[{"text": "风门未闭锁"}],
            content=ORDER,
        )
    with pytest.raises(DomainError, match="不属于"):
        document_draft(
            actor=officers[0],
            kind=DocumentKind.RECTIFICATION_ORDER,
            mine=mine,
            officers=officers[:2],
            items=[{"hazard": HazardFactory(mine=MineFactory(parent=mine.parent)), "due_on": TODAY}],
            content=ORDER,
        )
    other = Inspection.objects.create(mine=MineFactory(parent=mine.parent), inspected_on=TODAY, mode="open")
    with pytest.raises(DomainError, match="检查"):
        document_draft(
            actor=officers[0], kind=DocumentKind.INSPECTION_RECORD, mine=mine, inspection=other, content=RECORD
        )


def test_a_review_follows_an_issued_order_and_says_of_each_item_whether_it_passed(county):
    mine, bureau, officers, inspection = county
    draft_order = order(mine, officers, inspection)
    with pytest.raises(InvalidState, match="尚未签发"):
        document_draft(
            actor=officers[0], kind=DocumentKind.REVIEW_OPINION, mine=mine, follows=draft_order, content=REVIEW
        )
    with pytest.raises(DomainError, match="依据"):
        document_draft(actor=officers[0], kind=DocumentKind.REVIEW_OPINION, mine=mine, content=REVIEW)
    issued = document_issue(actor=officers[0], document=draft_order)
    item = issued.items.get()
    review = document_draft(
        actor=officers[0],
        kind=DocumentKind.REVIEW_OPINION,
        mine=mine,
        follows=issued,
        officers=officers[1:3],
        items=[{"hazard": item.hazard, "text": item.text, "passed": None}],
        content={"opinion": "经复查，整改未全部完成。"},
    )
    with pytest.raises(DomainError, match="是否合格"):
        document_issue(actor=officers[0], document=review)


def test_serving_records_the_signer_the_date_and_the_scan(county):
    mine, bureau, officers, inspection = county
    document = order(mine, officers, inspection)
    with pytest.raises(InvalidState, match="尚未签发"):
        document_record_receipt(actor=officers[0], document=document, signer_name="张矿长", received_on=TODAY)
    document = document_issue(actor=officers[0], document=document)
    with pytest.raises(DomainError, match="早于签发日期"):
        document_record_receipt(
            actor=officers[0], document=document, signer_name="张矿长", received_on=TODAY - dt.timedelta(days=1)
        )
    with pytest.raises(DomainError, match="签收人"):
        document_record_receipt(actor=officers[0], document=document, signer_name=" ", received_on=TODAY)
    scan = SimpleUploadedFile("回执.png", image_bytes(), content_type="image/png")
    document = document_record_receipt(
        actor=officers[0], document=document, signer_name="张矿长", received_on=TODAY, scan=scan
    )
    assert document.status == DocumentStatus.SERVED and document.receipt_scan_type == "image/png"
    assert not document.receipt_scan.name.endswith("回执.png")  # a random stored name
    with pytest.raises(InvalidState, match="已登记签收"):
        document_record_receipt(actor=officers[0], document=document, signer_name="张矿长", received_on=TODAY)


def test_a_mine_sees_issued_documents_of_its_own_only(county):
    mine, bureau, officers, inspection = county
    draft = order(mine, officers, inspection)
    issued = document_issue(actor=officers[0], document=order(mine, officers, inspection))
    mine_officer = UserFactory(role=Role.MINE_OFFICER, organization=mine)
    neighbour = UserFactory(role=Role.MINE_OFFICER, organization=MineFactory(parent=mine.parent))
    visible = EnforcementDocument.objects.visible_to(mine_officer).served_on_mine()
    assert list(visible) == [issued] and draft not in visible
    assert not EnforcementDocument.objects.visible_to(neighbour).exists()


def test_the_mine_and_its_enterprise_hear_of_an_issued_document_once_and_a_neighbour_not(county):
    from notifications.models import Notification

    mine, bureau, officers, inspection = county
    mine_officer = UserFactory(role=Role.MINE_OFFICER, organization=mine)
    enterprise_officer = UserFactory(role=Role.ENTERPRISE_OFFICER, organization=mine.parent)
    neighbour = UserFactory(role=Role.MINE_OFFICER, organization=MineFactory(parent=mine.parent))
    draft = order(mine, officers, inspection)
    assert not Notification.objects.filter(topic="enforcement").exists()  # a draft is the bureau's own
    issued = document_issue(actor=officers[0], document=draft)
    told = Notification.objects.filter(key=f"document:issued:{issued.pk}")
    assert set(told.values_list("recipient_id", flat=True)) == {mine_officer.pk, enterprise_officer.pk}
    assert issued.number in told.first().title and told.first().url.endswith(f"/enforcement/documents/{issued.pk}/")
    assert not Notification.objects.filter(recipient=neighbour).exists()
    document_record_receipt(actor=officers[0], document=issued, signer_name="王矿长", received_on=TODAY)
    assert told.count() == 2  # served: no second notice


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_issues_never_repeat_or_skip_a_number():
    if connection.vendor != "postgresql":
        pytest.skip("row locks under real concurrency: PostgreSQL, as in CI")
    mine = MineFactory()
    bureau = mine.bureau
    officers = [UserFactory(role=Role.INSPECTOR, organization=bureau, certificate_no=f"C{i}") for i in range(2)]
    drafts = [
        document_draft(
            actor=officers[0],
            kind=DocumentKind.INSPECTION_RECORD,
            mine=mine,
            officers=officers,
            content=dict(RECORD, situation=f"第{i}次"),
        )
        for i in range(12)
    ]
    barrier = threading.Barrier(len(drafts))
    errors = []

    def issue(document):
        try:
            barrier.wait()
            document_issue(actor=officers[0], document=document)
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue, args=(d,)) for d in drafts]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    serials = sorted(EnforcementDocument.objects.filter(bureau=bureau).values_list("serial", flat=True))
    assert serials == list(range(1, len(drafts) + 1))


def test_content_is_held_to_its_kind(county):
    """kinds.py: unknown keys are refused, a required field missing is named, choices are among their codes."""
    mine, bureau, officers, inspection = county
    draft = {"actor": officers[0], "mine": mine, "inspection": inspection, "officers": officers[:2]}
    with pytest.raises(DomainError, match="检查情况") as missing:
        document_draft(kind=DocumentKind.INSPECTION_RECORD, content={"place": "主井"}, **draft)
    assert missing.value.field == "situation"
    with pytest.raises(DomainError, match="没有“n”这项内容"):
        document_draft(kind=DocumentKind.INSPECTION_RECORD, content={**RECORD, "n": 1}, **draft)
    with pytest.raises(DomainError, match="现场处理措施") as no_measure:
        document_draft(
            kind=DocumentKind.ON_SITE_MEASURES, content={"facts": "x", "basis": "y", "measures": []}, **draft
        )
    assert no_measure.value.field == "measures"
    with pytest.raises(DomainError, match="取值不正确"):
        document_draft(
            kind=DocumentKind.ON_SITE_MEASURES, content={"facts": "x", "basis": "y", "measures": ["fly"]}, **draft
        )
    measures = document_draft(
        kind=DocumentKind.ON_SITE_MEASURES,
        content={"facts": " 违法事实 ", "basis": "y", "measures": ["stop_equipment", "withdraw_workers"]},
        **draft,
    )
    assert measures.content == {"facts": "违法事实", "basis": "y", "measures": ["withdraw_workers", "stop_equipment"]}
    # a 复产验收意见书 is only drafted following its suspension order (tests/enforcement/test_suspension.py): its
    # content is held by the same validator the draft runs
    with pytest.raises(DomainError, match="验收结论"):
        validate_content(DocumentKind.RESUMPTION_OPINION, {"checked": "x", "conclusion": "maybe", "opinion": "y"})
    with pytest.raises(DomainError, match="停产整顿要求"):
        document_draft(kind=DocumentKind.SUSPENSION_ORDER, content={"facts": "x", "basis": "y"}, **draft)


def test_an_orders_deadline_is_its_last_item_and_a_next_order_may_follow_a_review(county):
    mine, bureau, officers, inspection = county
    due = [TODAY + dt.timedelta(days=d) for d in (3, 10, 5)]
    first = document_draft(
        actor=officers[0],
        kind=DocumentKind.RECTIFICATION_ORDER,
        mine=mine,
        inspection=inspection,
        officers=officers[:2],
        items=[{"text": f"问题{i}", "due_on": d} for i, d in enumerate(due)],
        content=ORDER,
    )
    assert first.deadline == max(due)
    first = document_issue(actor=officers[0], document=first)
    review = document_draft(
        actor=officers[0],
        kind=DocumentKind.REVIEW_OPINION,
        mine=mine,
        follows=first,
        officers=officers[:2],
        items=[{"text": item.text, "passed": item.order != 2} for item in first.items.all()],
        content=REVIEW,
    )
    review = document_issue(actor=officers[0], document=review)
    again = document_draft(
        actor=officers[0],
        kind=DocumentKind.RECTIFICATION_ORDER,
        mine=mine,
        follows=review,
        officers=officers[:2],
        items=[{"text": "问题1", "due_on": TODAY + dt.timedelta(days=2)}],
        content=ORDER,
    )
    assert again.follows == review
    with pytest.raises(DomainError, match="不能依据"):
        document_draft(
            actor=officers[0],
            kind=DocumentKind.RECTIFICATION_ORDER,
            mine=mine,
            follows=first,
            items=[{"text": "x", "due_on": TODAY}],
            content=ORDER,
        )
