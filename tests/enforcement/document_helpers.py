"""Building enforcement documents for tests: the bureau's inspection of a mine with its findings, and the chain of
documents it leads to (现场检查记录 → 责令限期整改指令书 → 整改复查意见书) drafted and issued through the services."""

import datetime as dt

from django.utils import timezone

from enforcement import services
from enforcement.models import DocumentKind
from hazards.models import Inspection
from tests.factories import HazardFactory

TODAY = timezone.localdate()
RECORD = {"place": "3105回风巷", "situation": "检查通风设施和瓦斯监测系统运行情况"}
ORDER = {"facts": "经查，你单位存在下列问题：", "basis": "《中华人民共和国安全生产法》第六十五条"}


def inspection_with_findings(mine, *, days_ago=10, marker=""):
    inspection = Inspection.objects.create(
        mine=mine, inspected_on=TODAY - dt.timedelta(days=days_ago), mode="open", notes=f"{marker}检查情况"
    )
    hazards = [
        HazardFactory(
            mine=mine,
            inspection=inspection,
            source="bureau_inspection",
            found_on=inspection.inspected_on,
            location=f"{marker}地点{i}",
            description=f"{marker}问题{i}",
            due_on=TODAY + dt.timedelta(days=i),
        )
        for i in (1, 2)
    ]
    return inspection, hazards


def order_for(officers, mine, inspection, hazards, *, issue=True, issued_on=None):
    document = services.document_draft(
        actor=officers[0],
        kind=DocumentKind.RECTIFICATION_ORDER,
        mine=mine,
        inspection=inspection,
        officers=officers[:2],
        items=[{"hazard": h, "due_on": h.due_on} for h in hazards],
        content=ORDER,
    )
    if issue:
        document = services.document_issue(
            actor=officers[0], document=document, issued_on=issued_on or inspection.inspected_on
        )
    return document


def record_for(officers, mine, inspection, hazards, *, issue=True):
    document = services.document_draft(
        actor=officers[0],
        kind=DocumentKind.INSPECTION_RECORD,
        mine=mine,
        inspection=inspection,
        officers=officers[:2],
        items=[{"hazard": h} for h in hazards],
        content=RECORD,
    )
    if issue:
        document = services.document_issue(actor=officers[0], document=document, issued_on=inspection.inspected_on)
    return document


def review_for(officers, order, *, failed=(2,)):
    review = services.document_draft(
        actor=officers[0],
        kind=DocumentKind.REVIEW_OPINION,
        mine=order.mine,
        inspection=order.inspection,
        follows=order,
        officers=officers[:2],
        items=[
            {
                "hazard": i.hazard,
                "text": i.text,
                "passed": i.order not in failed,
                "note": "未完成" * (i.order in failed),
            }
            for i in order.items.all()
        ],
        content={"opinion": "经复查，第1项已整改合格，第2项未按期整改。"},
    )
    return services.document_issue(actor=officers[0], document=review, issued_on=TODAY)
