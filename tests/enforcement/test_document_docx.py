"""Every kind's .docx opens with python-docx and holds its number, the mine, the officers with their 执法证号 and its
items: the inspection's documents (docx_documents.py), the penalty case's (docx_penalty.py) and, until their own
builders land, the suspension kinds laid out from their fields (the generic builder)."""

import datetime as dt
import io

import pytest
from docx import Document

from core.documents import STYLE_TITLE
from enforcement import services
from enforcement.docx import document_docx
from enforcement.models import DocumentKind, PenaltyStage
from tests.core.test_documents import check_official_layout

from .document_helpers import TODAY, inspection_with_findings, order_for, record_for, review_for
from .penalty_helpers import advance, open_case, setup_bureau

pytestmark = pytest.mark.django_db


def text_of(document):
    """Paragraphs and table cells, in order enough for `in` checks."""
    doc = Document(io.BytesIO(document_docx(document).getvalue()))
    cells = [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    return doc, "\n".join([p.text for p in doc.paragraphs] + cells)


@pytest.fixture
def world(county):
    officers, provisions = setup_bureau(county.bureau, county.inspector)
    inspection, hazards = inspection_with_findings(county.mine1)
    return officers, provisions, inspection, hazards


def _issue(officers, mine, kind, content, items=(), follows=None, inspection=None):
    draft = services.document_draft(
        actor=officers[0],
        kind=kind,
        mine=mine,
        inspection=inspection,
        follows=follows,
        officers=officers[:2],
        items=list(items),
        content=content,
    )
    return services.document_issue(actor=officers[0], document=draft, issued_on=TODAY)


def documents_of_every_kind(county, world):
    officers, provisions, inspection, hazards = world
    mine = county.mine1
    order = order_for(officers, mine, inspection, hazards)
    found = {
        DocumentKind.INSPECTION_RECORD: record_for(officers, mine, inspection, hazards),
        DocumentKind.RECTIFICATION_ORDER: order,
        DocumentKind.REVIEW_OPINION: review_for(officers, order),
    }
    found[DocumentKind.ON_SITE_MEASURES] = _issue(
        officers,
        mine,
        DocumentKind.ON_SITE_MEASURES,
        {"facts": "3105回风巷瓦斯超限作业", "measures": ["withdraw_workers", "stop_equipment"], "basis": "第六十五条"},
        items=[{"hazard": hazards[1]}],
        follows=found[DocumentKind.REVIEW_OPINION],
    )
    found[DocumentKind.SERVICE_RECEIPT] = _issue(
        officers, mine, DocumentKind.SERVICE_RECEIPT, {"place": "矿调度室", "method": "direct"}, follows=order
    )
    found[DocumentKind.SUSPENSION_ORDER] = _issue(
        officers,
        mine,
        DocumentKind.SUSPENSION_ORDER,
        {"facts": "存在重大事故隐患", "basis": "第六十五条", "requirements": "停产整顿，消除隐患"},
        items=[{"hazard": hazards[0]}],
    )
    found[DocumentKind.RESUMPTION_OPINION] = _issue(
        officers,
        mine,
        DocumentKind.RESUMPTION_OPINION,
        {"checked": "逐项验收", "conclusion": "refused", "opinion": "暂不同意复产"},
        follows=found[DocumentKind.SUSPENSION_ORDER],
    )
    case = advance(
        open_case(officers[0], mine, provisions, filed_on=TODAY - dt.timedelta(days=30)),
        officers,
        PenaltyStage.DECIDED,
        start=TODAY - dt.timedelta(days=30),
    )
    found[DocumentKind.PENALTY_NOTICE], found[DocumentKind.PENALTY_DECISION] = case.notice, case.decision
    return officers, found


def test_every_kind_opens_and_holds_number_mine_officers_and_items(county, world):
    officers, found = documents_of_every_kind(county, world)
    assert set(found) == set(DocumentKind)
    for kind, document in found.items():
        doc, text = text_of(document)
        assert document.number and document.number in text, kind
        assert "东峰煤矿" in text, kind
        for officer in document.officers.all():
            assert officer.name in text and officer.certificate_no in text, kind
        for item in document.items.all():
            assert item.text in text, kind
        titles = [p.text for p in doc.paragraphs if p.style.name == STYLE_TITLE]
        assert DocumentKind(kind).label in "".join(titles), kind
        check_official_layout(kind, doc)


def test_what_each_template_says(county, world):
    officers, found = documents_of_every_kind(county, world)
    _, order = text_of(found[DocumentKind.RECTIFICATION_ORDER])
    assert "整改期限" in order and "行政复议" in order and "第六十五条" in order
    _, review = text_of(found[DocumentKind.REVIEW_OPINION])
    assert found[DocumentKind.RECTIFICATION_ORDER].number in review and "不合格" in review and "第2项" in review
    _, measures = text_of(found[DocumentKind.ON_SITE_MEASURES])
    assert "从危险区域内撤出作业人员" in measures and "停止使用相关设施、设备" in measures
    _, receipt = text_of(found[DocumentKind.SERVICE_RECEIPT])
    assert "直接送达" in receipt and "矿调度室" in receipt and found[DocumentKind.RECTIFICATION_ORDER].number in receipt
    _, record = text_of(found[DocumentKind.INSPECTION_RECORD])
    assert "3105回风巷" in record and "被检查单位现场负责人" in record
    _, resumption = text_of(found[DocumentKind.RESUMPTION_OPINION])
    assert "验收不合格，不同意恢复生产" in resumption


def test_a_major_hazard_is_cited_by_its_item_in_the_docx_and_the_print_page(client, county, world):
    """责令限期整改指令书, 现场处理措施决定书 and 责令停产整顿指令书: a major hazard's line cites its 情形 as the
    hazard's page does (MajorHazardItem.citation) with the item's text; an ordinary line cites nothing."""
    from hazards.models import MajorHazardItem
    from tests.factories import HazardFactory

    officers, _, inspection, hazards = world
    series = MajorHazardItem.objects.get(category__standard__is_current=True, category__no=5, no=3)
    major = HazardFactory(
        mine=county.mine1,
        inspection=inspection,
        source="bureau_inspection",
        found_on=inspection.inspected_on,
        location="1105掘进工作面",
        description="掘进工作面采用串联通风",
        level="major",
        major_item=series,
        major_category=series.category,
        contingency_plan="撤人",
        due_on=TODAY + dt.timedelta(days=5),
    )
    cited = "《煤矿重大事故隐患判定标准》第八条第（三）项 违反《煤矿安全规程》规定采用串联通风的"
    documents = [
        order_for(officers, county.mine1, inspection, [hazards[0], major]),
        _issue(
            officers,
            county.mine1,
            DocumentKind.ON_SITE_MEASURES,
            {"facts": "串联通风作业", "measures": ["withdraw_workers"], "basis": "第六十五条"},
            items=[{"hazard": major}],
        ),
        _issue(
            officers,
            county.mine1,
            DocumentKind.SUSPENSION_ORDER,
            {"facts": "存在重大事故隐患", "basis": "第六十五条", "requirements": "停产整顿，消除隐患"},
            items=[{"hazard": major, "text": "1105掘进工作面：掘进工作面采用串联通风"}],
        ),
    ]
    client.force_login(county.inspector)
    for document in documents:
        _, text = text_of(document)
        assert cited in text, document.kind
        assert text.count("《煤矿重大事故隐患判定标准》") == 1, document.kind  # the ordinary line cites nothing
        page = client.get(f"/enforcement/documents/{document.pk}/print/")
        assert page.status_code == 200
        assert cited in page.content.decode(), document.kind
