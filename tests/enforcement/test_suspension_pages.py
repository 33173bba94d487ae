"""The suspension pages, API and .docx: the three steps through the pages; who sees what (another tenant 404, a mine
that decides 403, a state that forbids 409); the lists keep their queries at two sizes; each .docx opens with
python-docx and holds its number, mine, officers and content."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document

from accounts.models import MineStatus
from enforcement.docx import document_docx
from enforcement.models import ResumptionApplication, ResumptionStatus, Suspension
from tests.images import image_bytes

from .penalty_helpers import setup_bureau
from .suspension_helpers import (
    TODAY,
    active_suspension,
    apply,
    close_hazard,
    decide,
    open_major,
    suspended_and_ordered,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def officers(county):
    return setup_bureau(county.bureau, county.inspector)[0]


def serve(officers, **extra):
    return {
        "officers": [o.pk for o in officers],
        "served_on": TODAY.isoformat(),
        "signer_name": "张建国",
        **extra,
    }


def test_the_three_steps_through_the_pages(client, county, major_fields, officers):
    hazard = open_major(county, major_fields)
    suspension = active_suspension(county.mine1)
    client.force_login(county.inspector)
    detail = client.get(reverse("suspension_detail", args=[suspension.pk])).content.decode()
    assert "下达责令停产整顿指令书" in detail and "1105掘进工作面" in detail
    form = client.get(reverse("suspension_order", args=[suspension.pk])).content.decode()
    assert "串联通风" in form  # the facts pre-filled from the hazards
    response = client.post(
        reverse("suspension_order", args=[suspension.pk]),
        serve(
            officers,
            facts="经查，你矿1105掘进工作面串联通风。",
            basis="《安全生产法》第六十五条",
            requirements="停止生产。",
            row_version=suspension.row_version,
        ),
    )
    assert response.status_code == 302
    suspension.refresh_from_db()
    assert suspension.order.number.startswith("阳应急煤停整〔")

    close_hazard(county, hazard)
    client.force_login(county.mine1_officer)
    detail = client.get(reverse("suspension_detail", args=[suspension.pk])).content.decode()
    assert 'data-testid="apply-resumption"' in detail and 'data-testid="decide-resumption"' not in detail
    photo = SimpleUploadedFile("整改照片.png", image_bytes())
    response = client.post(
        reverse("resumption_apply", args=[suspension.pk]), {"self_check": "隐患已整改，自查合格。", "files": [photo]}
    )
    assert response.status_code == 302
    application = ResumptionApplication.objects.get()
    assert application.attachments.count() == 1
    download = client.get(reverse("resumption_file_download", args=[application.attachments.get().pk]))
    assert download.status_code == 200

    client.force_login(county.inspector)
    response = client.post(
        reverse("resumption_decide", args=[application.pk]),
        serve(
            officers,
            conclusion="refused",
            checked="核查了通风系统。",
            opinion="局部通风机未双电源，继续整改。",
            row_version=application.row_version,
        ),
    )
    assert response.status_code == 302
    county.mine1.refresh_from_db()
    assert county.mine1.status == MineStatus.SUSPENDED
    history = client.get(reverse("mine_suspension_history", args=[county.mine1.pk])).content.decode()
    assert "验收不通过" in history and "煤复验" in history


def test_who_gets_what_on_the_pages(client, county, major_fields, officers):
    hazard, suspension = suspended_and_ordered(county, major_fields, officers)
    detail = reverse("suspension_detail", args=[suspension.pk])
    for outsider in (county.mine2_officer, county.mine3_officer, county.other_inspector):
        client.force_login(outsider)
        assert client.get(detail).status_code == 404
        assert client.get(reverse("suspension_order_docx", args=[suspension.pk])).status_code == 404
    client.force_login(county.ent1_officer)
    assert client.get(detail).status_code == 200
    client.force_login(county.mine1_officer)
    assert client.get(reverse("suspension_order", args=[suspension.pk])).status_code == 403
    refused = client.get(reverse("resumption_apply", args=[suspension.pk]))  # a major hazard still open
    assert refused.status_code == 409 and "尚未验收销号" in refused.content.decode()
    close_hazard(county, hazard)
    application = apply(county.mine1_officer, suspension)
    assert client.get(reverse("resumption_decide", args=[application.pk])).status_code == 403
    client.force_login(county.inspector)
    assert client.get(reverse("suspension_order", args=[suspension.pk])).status_code == 409  # ordered already
    assert client.get(reverse("resumption_apply", args=[suspension.pk])).status_code == 403
    assert client.get(reverse("resumption_decide", args=[application.pk])).status_code == 200


def _docx_text(response):
    doc = Document(io.BytesIO(b"".join(response.streaming_content)))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def test_each_docx_holds_its_number_mine_officers_and_content(client, county, major_fields, officers):
    hazard, suspension = suspended_and_ordered(county, major_fields, officers)
    close_hazard(county, hazard)
    application = decide(officers, apply(county.mine1_officer, suspension), accepted=True)
    client.force_login(county.mine1_officer)  # the mine downloads what was served on it
    order = _docx_text(client.get(reverse("suspension_order_docx", args=[suspension.pk])))
    opinion = _docx_text(client.get(reverse("resumption_opinion_docx", args=[application.pk])))
    for text, document in ((order, suspension.order), (opinion, application.opinion_document)):
        assert document.number in text and "东峰煤矿" in text
        for officer in officers:
            assert officer.display_name in text and officer.certificate_no in text
    assert "责令停产整顿指令书" in order and "掘进工作面串联通风" in order and "第六十五条" in order
    assert "撤出作业人员" in order  # the requirements
    assert "复产验收意见书" in opinion and "同意恢复生产" in opinion and suspension.order.number in opinion
    refused_doc = document_docx(decide_refused(county, major_fields, officers))
    assert "不同意恢复生产" in "\n".join(p.text for p in Document(refused_doc).paragraphs)


def decide_refused(county, major_fields, officers):
    hazard, suspension = suspended_and_ordered(county, major_fields, officers, mine=county.mine2)
    close_hazard(county, hazard)
    return decide(officers, apply(county.mine2_officer, suspension), accepted=False).opinion_document


# ---------------------------------------------------------------- API


def test_the_api_applies_decides_and_keeps_tenants_apart(api_client, county, major_fields, officers):
    hazard, suspension = suspended_and_ordered(county, major_fields, officers)
    api_client.force_authenticate(county.mine1_officer)
    listed = api_client.get("/api/v1/suspensions/").json()
    assert [s["id"] for s in listed["results"]] == [suspension.pk]
    assert listed["results"][0]["status"] == "active" and listed["results"][0]["hazards"] == [hazard.pk]
    refused = api_client.post("/api/v1/resumption-applications/", {"suspension": suspension.pk, "self_check": "x"})
    assert refused.status_code == 409 and "尚未验收销号" in refused.json()["detail"]
    close_hazard(county, hazard)
    created = api_client.post(
        "/api/v1/resumption-applications/", {"suspension": suspension.pk, "self_check": "已整改"}, format="json"
    )
    assert created.status_code == 201 and created.json()["status"] == "pending"
    pk = created.json()["id"]
    body = {
        "accepted": True,
        "checked": "核查",
        "opinion": "同意复产",
        "officers": [o.pk for o in officers],
        "signer_name": "张建国",
        "served_on": TODAY.isoformat(),
    }
    assert api_client.post(f"/api/v1/resumption-applications/{pk}/decide/", body, format="json").status_code == 403
    # Not a decider is told so before the body is read: an empty body is 403 as well, not 400.
    assert api_client.post(f"/api/v1/resumption-applications/{pk}/decide/", {}, format="json").status_code == 403

    api_client.force_authenticate(county.mine2_officer)
    assert api_client.get(f"/api/v1/suspensions/{suspension.pk}/").status_code == 404
    assert api_client.get(f"/api/v1/resumption-applications/{pk}/").status_code == 404
    assert api_client.get("/api/v1/suspensions/").json()["count"] == 0
    other = api_client.post("/api/v1/resumption-applications/", {"suspension": suspension.pk, "self_check": "x"})
    assert other.status_code == 400  # another mine's suspension "does not exist"
    api_client.force_authenticate(county.other_inspector)
    assert api_client.post(f"/api/v1/resumption-applications/{pk}/decide/", body, format="json").status_code == 404

    api_client.force_authenticate(county.inspector)
    decided = api_client.post(f"/api/v1/resumption-applications/{pk}/decide/", body, format="json")
    assert decided.status_code == 200 and decided.json()["status"] == "accepted"
    assert decided.json()["opinion_number"]
    again = api_client.post(f"/api/v1/resumption-applications/{pk}/decide/", body, format="json")
    assert again.status_code == 409
    county.mine1.refresh_from_db()
    assert county.mine1.status == MineStatus.NORMAL
    assert api_client.get("/api/v1/suspensions/", {"status": "resumed"}).json()["count"] == 1
    assert api_client.get("/api/v1/suspensions/", {"mine": county.mine2.pk}).json()["count"] == 0


# ---------------------------------------------------------------- query counts at two sizes


def _suspensions(county, major_fields, officers, n):
    """n suspensions, each of a mine of its own, ordered, closed, refused once and pending again."""
    from tests.factories import MineFactory, UserFactory

    for _ in range(n):
        mine = MineFactory(name=f"测试煤矿{Suspension.objects.count()}", parent=county.ent1)
        officer = UserFactory(role="mine_officer", organization=mine)
        hazard = open_major(county, major_fields, mine=mine, actor=officer)
        suspension = active_suspension(mine)
        from .suspension_helpers import issue_order

        issue_order(officers, suspension)
        close_hazard(county, hazard, actor=officer)
        decide(officers, apply(officer, suspension), accepted=False)
        apply(officer, suspension)


def test_the_lists_keep_their_queries_at_two_sizes(client, api_client, county, major_fields, officers):
    _suspensions(county, major_fields, officers, 1)
    client.force_login(county.inspector)
    api_client.force_authenticate(county.inspector)
    urls = [reverse("suspension_list"), "/api/v1/suspensions/", "/api/v1/resumption-applications/"]

    def counts():
        found = []
        for url in urls:
            getter = client.get if url.startswith("/enforcement") else api_client.get
            with CaptureQueriesContext(connection) as queries:
                assert getter(url).status_code == 200
            found.append(len(queries))
        return found

    few = counts()
    _suspensions(county, major_fields, officers, 3)
    assert counts() == few
    assert ResumptionApplication.objects.filter(status=ResumptionStatus.PENDING).count() == 4
    page = client.get(reverse("suspension_list"), {"status": "active"}).content.decode()
    assert page.count("待验收") == 4
