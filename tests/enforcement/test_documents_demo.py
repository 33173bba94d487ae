"""The demo county shows the chain of documents after the bureau's inspection of 东峰煤矿: 现场检查记录, the order
served with its receipt, the review with one failed item, which the penalty case took up; and a draft for mine2."""

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command

from accounts.models import User
from enforcement.models import DocumentKind, DocumentStatus, EnforcementDocument, PenaltyCase
from enforcement.selectors import document_list

pytestmark = pytest.mark.django_db


def test_the_demo_county_has_the_chain_from_inspection_to_review_and_a_draft():
    with time_machine.travel(dt.datetime(2026, 11, 28, 8, tzinfo=dt.UTC), tick=False):
        call_command("seed_demo", "--password", "demo-pass-1")
        count = EnforcementDocument.objects.count()
        call_command("seed_demo", "--password", "demo-pass-1")  # idempotent
        assert EnforcementDocument.objects.count() == count
    by_kind = {d.kind: d for d in EnforcementDocument.objects.filter(mine__name__contains="东峰")}
    record, order = by_kind[DocumentKind.INSPECTION_RECORD], by_kind[DocumentKind.RECTIFICATION_ORDER]
    review = by_kind[DocumentKind.REVIEW_OPINION]
    assert record.inspection == order.inspection == review.inspection
    assert (
        order.status == DocumentStatus.SERVED and order.receipt_scan and order.number.startswith("阳应急煤责改〔2026〕")
    )
    assert by_kind[DocumentKind.SERVICE_RECEIPT].follows == order
    assert review.follows == order and [i.passed for i in review.items.all()] == [False, True]
    case = PenaltyCase.objects.get(mine=order.mine)
    assert case.hazard == review.items.get(passed=False).hazard  # the case took up the failed item
    assert all(o.certificate_no for d in by_kind.values() for o in d.officers.all())
    mine2 = User.objects.get(username="mine2")
    draft = EnforcementDocument.objects.get(mine=mine2.organization, kind=DocumentKind.INSPECTION_RECORD)
    # mine2 sees the 停产整顿 documents served on it (demo_suspension.py), never the bureau's draft
    seen = list(document_list(user=mine2))
    assert draft.is_draft and draft not in seen
    assert seen and not any(d.is_draft for d in seen)
    inspector = User.objects.get(username="inspector")
    assert document_list(user=inspector).filter(status=DocumentStatus.DRAFT).count() == 1
