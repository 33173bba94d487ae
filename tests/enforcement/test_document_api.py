"""`/api/v1/enforcement-documents/`: the same documents as the pages (a mine its own once issued, another tenant's
404), filters, each one's .docx, drafting and issuing for inspectors (a mine 403), queries constant at two sizes."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from docx import Document

from enforcement.models import DocumentStatus, EnforcementDocument

from .document_helpers import ORDER, TODAY, inspection_with_findings, order_for, record_for
from .penalty_helpers import setup_bureau

pytestmark = pytest.mark.django_db
LIST = "/api/v1/enforcement-documents/"


@pytest.fixture
def world(county):
    officers, _ = setup_bureau(county.bureau, county.inspector)
    inspection, hazards = inspection_with_findings(county.mine1)
    return officers, inspection, hazards


def test_the_list_has_the_contract_fields_and_filters(api_client, county, world):
    officers, inspection, hazards = world
    order = order_for(officers, county.mine1, inspection, hazards)
    record_for(officers, county.mine1, inspection, hazards, issue=False)
    api_client.force_authenticate(county.inspector)
    body = api_client.get(LIST).json()
    assert body["count"] == 2 and {"count", "next", "previous", "results"} <= set(body)
    row = next(r for r in body["results"] if r["id"] == order.pk)
    for key in ("id", "kind", "number", "mine", "inspection", "issued_on", "status", "officers", "items", "deadline"):
        assert key in row
    assert row["number"] == order.number and row["mine"] == county.mine1.pk and row["inspection"] == inspection.pk
    assert [o["certificate_no"] for o in row["officers"]] == [o.certificate_no for o in officers]
    assert [i["due_on"] for i in row["items"]] == [str(h.due_on) for h in hazards]
    assert api_client.get(LIST, {"kind": "inspection_record"}).json()["count"] == 1
    assert api_client.get(LIST, {"mine": county.mine2.pk}).json()["count"] == 0
    assert api_client.get(LIST, {"status": "draft"}).json()["count"] == 1
    assert api_client.get(LIST, {"month": f"{order.issued_on:%Y-%m}"}).json()["count"] == 1
    assert api_client.get(LIST, {"month": "11/2026"}).status_code == 400
    assert api_client.get(LIST, {"month": "0000-01"}).status_code == 400
    detail = api_client.get(f"{LIST}{order.pk}/")
    assert detail.status_code == 200 and detail["ETag"] == f'"{order.row_version}"'
    docx = api_client.get(f"{LIST}{order.pk}/docx/")
    assert docx.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(b"".join(docx.streaming_content))).paragraphs)
    assert order.number in text


def test_a_mine_sees_its_issued_documents_and_may_not_draft_or_issue(api_client, county, world):
    officers, inspection, hazards = world
    order = order_for(officers, county.mine1, inspection, hazards)
    draft = record_for(officers, county.mine1, inspection, hazards, issue=False)
    api_client.force_authenticate(county.mine1_officer)
    assert [r["id"] for r in api_client.get(LIST).json()["results"]] == [order.pk]
    assert api_client.get(f"{LIST}{draft.pk}/").status_code == 404
    assert api_client.get(f"{LIST}{draft.pk}/docx/").status_code == 404
    assert api_client.post(f"{LIST}{draft.pk}/issue/", {}, format="json").status_code == 404
    assert api_client.post(f"{LIST}{order.pk}/issue/", {}, format="json").status_code == 403
    body = {"kind": "inspection_record", "mine": county.mine1.pk, "content": {"place": "x", "situation": "y"}}
    refused = api_client.post(LIST, body, format="json")
    assert refused.status_code == 403 and "执法人员" in refused.json()["detail"]
    api_client.force_authenticate(county.mine2_officer)
    assert api_client.get(f"{LIST}{order.pk}/").status_code == 404
    api_client.force_authenticate(county.other_inspector)
    assert api_client.get(f"{LIST}{order.pk}/").status_code == 404
    assert api_client.get(f"{LIST}{order.pk}/docx/").status_code == 404


def test_an_inspector_drafts_and_issues_through_the_api(api_client, county, world):
    officers, inspection, hazards = world
    api_client.force_authenticate(officers[0])
    body = {
        "kind": "rectification_order",
        "mine": county.mine1.pk,
        "inspection": inspection.pk,
        "officers": [o.pk for o in officers],
        "items": [{"hazard": hazards[0].pk, "due_on": str(hazards[0].due_on)}],
        "content": ORDER,
    }
    created = api_client.post(LIST, body, format="json")
    assert created.status_code == 201, created.json()
    document = created.json()
    assert document["status"] == DocumentStatus.DRAFT and document["number"] == ""
    missing = api_client.post(LIST, {**body, "content": {"facts": "x"}}, format="json")
    assert missing.status_code == 400 and "依据" in missing.json()["basis"][0]
    unknown = api_client.post(LIST, {**body, "content": {**ORDER, "amount": 1}}, format="json")
    assert unknown.status_code == 400
    penalty = api_client.post(LIST, {**body, "kind": "penalty_decision", "content": {}}, format="json")
    assert penalty.status_code == 400 and "kind" in penalty.json()
    other_mine = api_client.post(LIST, {**body, "mine": county.other_mine.pk}, format="json")
    assert other_mine.status_code == 400
    stale = api_client.post(f"{LIST}{document['id']}/issue/", {}, format="json", HTTP_IF_MATCH='"99"')
    assert stale.status_code == 412
    issued = api_client.post(f"{LIST}{document['id']}/issue/", {"issued_on": str(TODAY)}, format="json")
    assert issued.status_code == 200 and issued.json()["number"] == f"阳应急煤责改〔{TODAY.year}〕1号"
    again = api_client.post(f"{LIST}{document['id']}/issue/", {}, format="json")
    assert again.status_code == 409
    api_client.force_authenticate(county.leader)
    assert api_client.post(LIST, body, format="json").status_code == 403


def test_the_api_list_keeps_its_queries_at_two_sizes(api_client, county, world):
    officers, inspection, hazards = world
    order_for(officers, county.mine1, inspection, hazards)
    api_client.force_authenticate(county.inspector)
    with CaptureQueriesContext(connection) as few:
        assert api_client.get(LIST).status_code == 200
    for n, mine in enumerate((county.mine2, county.mine3) * 3):
        more, findings = inspection_with_findings(mine, marker=f"第{n}次")
        order_for(officers, mine, more, findings)
        record_for(officers, mine, more, findings)
    with CaptureQueriesContext(connection) as many:
        count = api_client.get(LIST).json()["count"]
    assert count == EnforcementDocument.objects.count() == 13
    assert len(many) == len(few)
