"""The document pages: an inspector drafts a 责令限期整改指令书 from a finding, issues and serves it, prints it; a
review with a failed item offers the next steps; a mine sees what was issued to it and never a draft; the list keeps
its queries at two sizes; a month's documents download as one .zip with its 目录; the bureau keeps its number formats
and its officers' 执法证号."""

import datetime as dt
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from enforcement.models import DocumentKind, DocumentStatus, EnforcementDocument, NumberFormat
from tests.images import image_bytes

from .document_helpers import TODAY, inspection_with_findings, order_for, record_for, review_for
from .penalty_helpers import setup_bureau

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(county):
    officers, _ = setup_bureau(county.bureau, county.inspector)
    inspection, hazards = inspection_with_findings(county.mine1)
    return officers, inspection, hazards


def url(name, document, **kw):
    return reverse(name, kwargs={"pk": document.pk, **kw})


@pytest.mark.parametrize("bad", ["abc", "999999"])
def test_a_row_naming_a_hazard_the_document_may_not_cite_is_refused_with_a_message(client, county, world, bad):
    """The row's hazard travels in a hidden field: its error is said above the form, not swallowed."""
    officers, _, hazards = world
    client.force_login(officers[0])
    response = client.post(
        reverse("document_create"),
        {
            "kind": DocumentKind.RECTIFICATION_ORDER,
            "hazard": hazards[0].pk,
            "rows": 1,
            "facts": "经查，你单位存在下列问题：",
            "basis": "《中华人民共和国安全生产法》第六十五条",
            "item_1_hazard": bad,
            "item_1_text": "地点1：问题1",
            "item_1_due_on": (TODAY + dt.timedelta(days=5)).isoformat(),
            "officers": [o.pk for o in officers],
        },
    )
    assert response.status_code in (200, 400)
    assert "第1项关联的隐患不存在或不在本文书可关联的范围内" in response.content.decode()
    assert not EnforcementDocument.objects.exists()


def test_an_inspector_drafts_an_order_from_a_finding_issues_serves_and_prints_it(client, county, world):
    officers, inspection, hazards = world
    client.force_login(officers[0])
    hazard_page = client.get(reverse("hazard_detail", kwargs={"pk": hazards[0].pk})).content.decode()
    assert f"{reverse('document_create')}?hazard={hazards[0].pk}" in hazard_page
    page = client.get(reverse("document_create"), {"hazard": hazards[0].pk}).content.decode()
    assert "制作责令限期整改指令书" in page and "地点1：问题1" in page and "东峰煤矿" in page
    due = TODAY + dt.timedelta(days=5)
    response = client.post(
        reverse("document_create"),
        {
            "kind": DocumentKind.RECTIFICATION_ORDER,
            "hazard": hazards[0].pk,
            "rows": 2,
            "facts": "经查，你单位存在下列问题：",
            "basis": "《中华人民共和国安全生产法》第六十五条",
            "item_1_hazard": hazards[0].pk,
            "item_1_text": "地点1：问题1",
            "item_1_due_on": due.isoformat(),
            "item_2_text": "",
            "officers": [o.pk for o in officers],
        },
    )
    document = EnforcementDocument.objects.get()
    assert response.status_code == 302 and response.url == url("document_detail", document)
    assert document.inspection == inspection and document.deadline == due and document.is_draft
    assert [(i.hazard, i.due_on) for i in document.items.all()] == [(hazards[0], due)]

    detail = client.get(url("document_detail", document)).content.decode()
    assert "草稿" in detail and url("document_issue", document) in detail and url("document_edit", document) in detail
    response = client.post(
        url("document_issue", document), {"issued_on": TODAY.isoformat(), "row_version": document.row_version}
    )
    document.refresh_from_db()
    assert document.status == DocumentStatus.ISSUED and document.number == f"阳应急煤责改〔{TODAY.year}〕1号"
    assert client.get(response.url).content.decode().count(document.number) >= 1

    scan = SimpleUploadedFile("回执.png", image_bytes(), content_type="image/png")
    client.post(
        url("document_receipt", document),
        {"signer_name": "周伟", "received_on": TODAY.isoformat(), "row_version": document.row_version, "scan": scan},
    )
    document.refresh_from_db()
    assert document.status == DocumentStatus.SERVED and document.signer_name == "周伟"
    assert client.get(url("document_receipt_scan", document)).status_code == 200

    printed = client.get(url("document_print", document)).content.decode()
    for text in (document.number, "东峰煤矿", "责令限期整改指令书", "地点1：问题1", officers[0].certificate_no, "周伟"):
        assert text in printed
    docx = client.get(url("document_docx", document))
    assert docx["Content-Type"].startswith("application/vnd.openxmlformats")
    text = "\n".join(p.text for p in Document(io.BytesIO(b"".join(docx.streaming_content))).paragraphs)
    assert document.number in text


def test_from_an_inspection_the_page_offers_its_kinds_and_drafts_its_findings(client, county, world):
    officers, inspection, hazards = world
    client.force_login(officers[0])
    inspection_page = client.get(reverse("inspection_detail", kwargs={"pk": inspection.pk})).content.decode()
    assert f"{reverse('document_create')}?inspection={inspection.pk}" in inspection_page
    chooser = client.get(reverse("document_create"), {"inspection": inspection.pk}).content.decode()
    assert "现场检查记录" in chooser and "责令限期整改指令书" in chooser and "整改复查意见书" not in chooser
    form = client.get(
        reverse("document_create"), {"inspection": inspection.pk, "kind": DocumentKind.INSPECTION_RECORD}
    ).content.decode()
    assert "地点1：问题1" in form and "地点2：问题2" in form and "检查发现问题2项" in form
    missing = client.post(
        reverse("document_create"),
        {"inspection": inspection.pk, "kind": DocumentKind.INSPECTION_RECORD, "rows": 0, "situation": "x"},
    )
    assert missing.status_code == 200 and "检查场所" in missing.content.decode()
    assert not EnforcementDocument.objects.exists()


def test_a_review_copies_the_order_and_a_failed_item_leads_to_the_next_step(client, county, world):
    officers, inspection, hazards = world
    order = order_for(officers, county.mine1, inspection, hazards)
    client.force_login(officers[0])
    detail = client.get(url("document_detail", order)).content.decode()
    assert f"follows={order.pk}&amp;kind=review_opinion" in detail
    form = client.get(reverse("document_create"), {"follows": order.pk, "kind": "review_opinion"}).content.decode()
    assert "问题1" in form and "问题2" in form and "复查结果" in form
    review = review_for(officers, order)
    page = client.get(url("document_detail", review)).content.decode()
    assert "复查不合格 1 项" in page
    assert f"follows={review.pk}&amp;kind=rectification_order" in page
    assert f"follows={review.pk}&amp;kind=on_site_measures" in page
    assert f"{reverse('penalty_case_create')}?review={review.pk}" in page
    again = client.get(reverse("document_create"), {"follows": review.pk, "kind": "rectification_order"})
    assert "问题2" in again.content.decode() and "问题1" not in again.content.decode()
    order_page = client.get(url("document_detail", order)).content.decode()
    assert review.number in order_page  # the order lists what followed it


def test_a_list_row_says_how_many_items_the_document_has_what_it_follows_and_its_officers(client, county, world):
    officers, inspection, hazards = world
    order = order_for(officers, county.mine1, inspection, hazards)
    review = review_for(officers, order)
    client.force_login(officers[0])
    page = client.get(reverse("document_list")).content.decode()
    assert f'<div class="small text-secondary">2 项 · 依据 {order.number}</div>' in page  # the review's row
    assert '<div class="small text-secondary">2 项</div>' in page  # the order's: it follows nothing
    names = "、".join(o.name for o in review.officers.order_by("order", "id"))
    assert page.count(f'<td class="small">{names}</td>') == 2


def test_a_draft_is_edited_or_deleted_but_an_issued_document_is_not(client, county, world):
    officers, inspection, hazards = world
    draft = record_for(officers, county.mine1, inspection, hazards, issue=False)
    client.force_login(officers[0])
    edit = client.get(url("document_edit", draft)).content.decode()
    assert "3105回风巷" in edit
    client.post(
        url("document_edit", draft),
        {"row_version": draft.row_version, "rows": 1, "place": "主井", "situation": "改", "item_1_text": "新问题"},
    )
    draft.refresh_from_db()
    assert draft.content["place"] == "主井" and [i.text for i in draft.items.all()] == ["新问题"]
    stale = client.post(url("document_delete", draft), {"row_version": 0})
    assert stale.status_code == 409 and EnforcementDocument.objects.filter(pk=draft.pk).exists()
    client.post(url("document_delete", draft), {"row_version": draft.row_version})
    assert not EnforcementDocument.objects.filter(pk=draft.pk).exists()
    issued = order_for(officers, county.mine1, inspection, hazards)
    assert client.get(url("document_edit", issued)).status_code == 409
    assert client.post(url("document_delete", issued), {"row_version": issued.row_version}).status_code == 409
    again = client.post(url("document_issue", issued), {"issued_on": TODAY.isoformat(), "row_version": 1})
    assert again.status_code == 409


def test_a_mine_sees_what_was_issued_to_it_never_a_draft_and_cannot_draft(client, county, world):
    officers, inspection, hazards = world
    issued = order_for(officers, county.mine1, inspection, hazards)
    draft = record_for(officers, county.mine1, inspection, hazards, issue=False)
    other_inspection, other_hazards = inspection_with_findings(county.mine2, marker="西岭")
    neighbour = order_for(officers, county.mine2, other_inspection, other_hazards)
    client.force_login(county.mine1_officer)
    listing = client.get(reverse("document_list")).content.decode()
    assert issued.number in listing and "（草稿）" not in listing and neighbour.number not in listing
    assert client.get(url("document_detail", issued)).status_code == 200
    assert "办理记录" not in client.get(url("document_detail", issued)).content.decode()
    for name in ("document_detail", "document_print", "document_docx"):
        assert client.get(url(name, draft)).status_code == 404
        assert client.get(url(name, neighbour)).status_code == 404
    assert client.get(reverse("document_create"), {"hazard": hazards[0].pk}).status_code == 403
    refused = client.post(url("document_receipt", issued), {"signer_name": "x", "received_on": TODAY.isoformat()})
    assert refused.status_code == 403
    assert client.get(reverse("document_archive")).status_code == 403
    client.force_login(county.ent1_officer)
    listing = client.get(reverse("document_list")).content.decode()
    assert issued.number in listing and neighbour.number in listing
    client.force_login(county.other_inspector)
    assert client.get(url("document_detail", issued)).status_code == 404
    client.force_login(county.leader)
    page = client.get(url("document_detail", draft)).content.decode()
    assert "（草稿" in page and url("document_issue", draft) not in page
    assert client.post(url("document_issue", draft), {"issued_on": TODAY.isoformat()}).status_code == 403


def test_the_list_filters_and_keeps_its_queries_at_two_sizes(client, county, world):
    officers, inspection, hazards = world
    order_for(officers, county.mine1, inspection, hazards)
    record_for(officers, county.mine1, inspection, hazards, issue=False)
    client.force_login(county.inspector)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("document_list")).status_code == 200
    for n, mine in enumerate((county.mine2, county.mine3) * 3):
        more, findings = inspection_with_findings(mine, marker=f"第{n}次")
        order_for(officers, mine, more, findings)
        record_for(officers, mine, more, findings)
    with CaptureQueriesContext(connection) as many:
        html = client.get(reverse("document_list")).content.decode()
    assert html.count("责令限期整改指令书") >= 7
    assert len(many) == len(few)
    by_kind = client.get(reverse("document_list"), {"kind": "inspection_record", "mine": county.mine1.pk})
    listed = by_kind.content.decode()
    table = listed[listed.index('data-testid="document-table"') :]  # (the phone's cards list the same documents)
    assert table.count("（草稿）") == 1 and listed.count("（草稿）") == 2
    drafts = client.get(reverse("document_list"), {"status": "draft"}).content.decode()
    assert drafts.count('href="/enforcement/documents/') - drafts.count("/documents/new/") >= 1
    month = client.get(reverse("document_list"), {"month": f"{inspection.inspected_on:%Y-%m}"}).content.decode()
    assert "煤检记" in month and "煤责改" in month
    assert "煤责改" not in client.get(reverse("document_list"), {"month": "2001-01"}).content.decode()
    assert client.get(reverse("document_list"), {"month": "2026-13"}).status_code == 200


def test_a_months_documents_download_as_one_zip_with_its_index(client, county, world):
    officers, inspection, hazards = world
    order = order_for(officers, county.mine1, inspection, hazards, issued_on=TODAY)
    record = record_for(officers, county.mine1, inspection, hazards)
    record_for(officers, county.mine1, inspection, hazards, issue=False)
    client.force_login(county.leader)
    month = inspection.inspected_on.strftime("%Y-%m")
    response = client.get(reverse("document_archive"), {"month": month})
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = archive.namelist()
    expected = [
        f"{d.number}-{d.get_kind_display()}-东峰煤矿.docx"
        for d in (order, record)
        if d.issued_on.month == int(month[5:])
    ]
    assert sorted(n for n in names if n.endswith(".docx")) == sorted(expected)
    assert "目录.xlsx" in names
    sheet = load_workbook(io.BytesIO(archive.read("目录.xlsx"))).active
    cells = [str(c) for row in sheet.iter_rows(values_only=True) for c in row if c]
    for document_number in (d.number for d in (order, record) if d.issued_on.month == int(month[5:])):
        assert document_number in cells
    for name in (n for n in names if n.endswith(".docx")):
        assert Document(io.BytesIO(archive.read(name))).paragraphs
    assert client.get(reverse("document_archive"), {"month": "2026/11"}).status_code == 400


def test_the_bureau_keeps_its_number_formats_and_its_officers_certificates(client, county, world):
    officers, inspection, hazards = world
    client.force_login(officers[0])
    page = client.get(reverse("document_settings")).content.decode()
    assert "阳城县应急管理局" in page and f"阳应急煤责改〔{TODAY.year}〕1号" in page
    bad = client.post(
        reverse("document_settings"),
        {"which": "format", "format-kind": "rectification_order", "format-code": "责改", "format-pattern": "{code}号"},
    )
    assert "序号" in bad.content.decode() and not NumberFormat.objects.exists()
    client.post(
        reverse("document_settings"),
        {
            "which": "format",
            "format-kind": "rectification_order",
            "format-code": "责改",
            "format-pattern": "{prefix}{code}〔{year}〕第{n}号",
        },
    )
    assert f"阳应急责改〔{TODAY.year}〕第1号" in client.get(reverse("document_settings")).content.decode()
    assert order_for(officers, county.mine1, inspection, hazards).number == f"阳应急责改〔{TODAY.year}〕第1号"

    colleague = officers[1]
    client.post(reverse("officer_certificate", kwargs={"pk": colleague.pk}), {"certificate_no": "14052119000999"})
    colleague.refresh_from_db()
    assert colleague.certificate_no == "14052119000999"
    wrong = client.post(reverse("officer_certificate", kwargs={"pk": colleague.pk}), {"certificate_no": "证号!"})
    assert wrong.status_code == 302
    colleague.refresh_from_db()
    assert colleague.certificate_no == "14052119000999"
    assert client.post(reverse("officer_certificate", kwargs={"pk": county.mine1_officer.pk})).status_code == 404
    client.force_login(county.leader)
    page = client.get(reverse("officer_list")).content.decode()
    assert "14052119000999" in page and 'name="certificate_no"' not in page
    assert client.post(reverse("officer_certificate", kwargs={"pk": colleague.pk})).status_code == 403
    client.force_login(county.mine1_officer)
    assert client.get(reverse("officer_list")).status_code == 403
    assert client.get(reverse("document_settings")).status_code == 403
