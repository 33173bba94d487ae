"""The penalty pages and API: a case filed from a hazard and run step by step through the pages; a skipped or stale
step is 409; a mine reads its own case once the notice is served and never the bureau's 案卷; the 案卷 downloads in
binding order with its 卷内目录; the list keeps its queries at two sizes."""

import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from docx import Document

from enforcement import services
from enforcement.models import PenaltyCase, PenaltyStage
from hazards.models import Inspection
from tests.factories import HazardFactory
from tests.images import image_bytes

from .penalty_helpers import advance, open_case, setup_bureau

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
START = TODAY - dt.timedelta(days=20)
PDF = b"%PDF-1.4 evidence"


@pytest.fixture
def world(county):
    officers, provisions = setup_bureau(county.bureau, county.inspector)
    inspection = Inspection.objects.create(mine=county.mine1, inspected_on=START - dt.timedelta(days=1), mode="open")
    hazard = HazardFactory(
        mine=county.mine1, inspection=inspection, found_on=inspection.inspected_on, description="回风巷瓦斯传感器失效"
    )
    return officers, provisions, hazard


def new_case(county, world, mine=None, **kw):
    officers, provisions, hazard = world
    return open_case(
        officers[0], mine or county.mine1, provisions, filed_on=START, hazard=hazard if not mine else None, **kw
    )


def url(name, case, **kw):
    return reverse(name, kwargs={"pk": case.pk, **kw})


# ---------------------------------------------------------------- the pages, step by step


def test_an_inspector_files_a_case_from_a_hazard_and_runs_it_through_the_pages(client, county, world):
    officers, provisions, hazard = world
    client.force_login(officers[0])
    page = client.get(reverse("penalty_case_create"), {"hazard": hazard.pk}).content.decode()
    assert "回风巷瓦斯传感器失效" in page and "东峰煤矿" in page
    response = client.post(
        reverse("penalty_case_create") + f"?hazard={hazard.pk}",
        {
            "hazard": hazard.pk,
            "cause": "涉嫌未采取措施消除事故隐患案",
            "facts": "经查，该矿回风巷瓦斯传感器失效，责令整改后逾期未整改。",
            "filed_on": START.isoformat(),
            "provisions": [provisions["第一百零二条"].pk],
            "unit_name": "东峰煤矿",
            "unit_amount": "30000",
            "unit_provision": provisions["第一百零二条"].pk,
            "person_1_name": "张建国",
            "person_1_post": "矿长",
            "person_1_amount": "20000",
            "person_1_provision": provisions["第九十四条"].pk,
        },
    )
    case = PenaltyCase.objects.get()
    assert response.status_code == 302 and response["Location"] == url("penalty_case_detail", case)
    assert case.hazard == hazard and [p.name for p in case.parties.all()] == ["东峰煤矿", "张建国"]

    detail = client.get(url("penalty_case_detail", case)).content.decode()
    assert "下一步：调查取证" in detail and url("penalty_case_step", case, step="investigate") in detail
    steps = [
        ("investigate", {"started_on": (START + dt.timedelta(days=1)).isoformat()}),
        (
            "notify",
            {
                "officers": [o.pk for o in officers],
                "served_on": (START + dt.timedelta(days=2)).isoformat(),
                "signer_name": "李安全",
                "receipt_scan": SimpleUploadedFile("回执.png", image_bytes()),
            },
        ),
        (
            "statement",
            {
                "kind": "statement",
                "made_on": (START + dt.timedelta(days=3)).isoformat(),
                "text": "已立即整改，请求从轻处罚。",
                "review_opinion": "部分采纳，对单位罚款减为2.5万元。",
            },
        ),
    ]
    for step, body in steps:
        case.refresh_from_db()
        response = client.post(url("penalty_case_step", case, step=step), {**body, "row_version": case.row_version})
        assert response.status_code == 302, (step, response.content.decode()[:500])
    case.refresh_from_db()
    assert case.stage == PenaltyStage.HEARING and case.notice.receipt_scan
    unit, person = case.parties.all()
    response = client.post(
        url("penalty_case_step", case, step="decide"),
        {
            f"amount_{unit.pk}": "25000",
            f"amount_{person.pk}": "20000",
            "officers": [o.pk for o in officers],
            "served_on": (START + dt.timedelta(days=4)).isoformat(),
            "signer_name": "李安全",
            "row_version": case.row_version,
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.stage == PenaltyStage.DECIDED and case.decision.content["total"] == "45000.00"
    for party in (unit, person):
        case.refresh_from_db()
        response = client.post(
            url("penalty_case_payment", case),
            {"party": party.pk, "paid_on": (START + dt.timedelta(days=6)).isoformat(), "row_version": case.row_version},
        )
        assert response.status_code == 302
    case.refresh_from_db()
    client.post(
        url("penalty_case_step", case, step="execute"),
        {"kind": "paid", "executed_on": (START + dt.timedelta(days=6)).isoformat(), "row_version": case.row_version},
    )
    case.refresh_from_db()
    client.post(
        url("penalty_case_step", case, step="close"),
        {
            "closed_on": (START + dt.timedelta(days=7)).isoformat(),
            "summary": "罚款已缴清，隐患已整改。",
            "row_version": case.row_version,
        },
    )
    case.refresh_from_db()
    assert case.stage == PenaltyStage.CLOSED
    detail = client.get(url("penalty_case_detail", case)).content.decode()
    assert 'data-testid="next-step"' not in detail
    assert url("penalty_case_payment", case) not in detail and url("penalty_evidence_upload", case) not in detail


def test_a_skipped_or_stale_step_is_409_and_a_bad_value_says_why(client, county, world):
    officers = world[0]
    case = new_case(county, world)
    client.force_login(officers[0])
    response = client.post(
        url("penalty_case_step", case, step="close"),
        {"closed_on": TODAY.isoformat(), "summary": "x", "row_version": case.row_version},
    )
    assert response.status_code == 409 and "须先完成“执行”" in response.content.decode()
    stale = case.row_version
    advance(case, officers, PenaltyStage.INVESTIGATING, start=START)
    response = client.post(
        url("penalty_case_step", case, step="notify"),
        {
            "officers": [o.pk for o in officers],
            "served_on": TODAY.isoformat(),
            "signer_name": "x",
            "row_version": stale,
        },
    )
    assert response.status_code == 409 and "请刷新" in response.content.decode()
    case.refresh_from_db()
    response = client.post(
        url("penalty_case_step", case, step="notify"),
        {
            "officers": [officers[0].pk],
            "served_on": TODAY.isoformat(),
            "signer_name": "x",
            "row_version": case.row_version,
        },
        follow=True,
    )
    assert "两名以上" in response.content.decode()
    assert client.post(url("penalty_case_step", case, step="nonsense"), {}).status_code == 404


def test_a_mine_reads_its_case_once_served_and_never_the_bureaus_file(client, county, world):
    officers = world[0]
    case = new_case(county, world)
    client.force_login(county.mine1_officer)
    assert client.get(url("penalty_case_detail", case)).status_code == 404
    assert case.number not in client.get(reverse("penalty_case_list")).content.decode()
    case = advance(case, officers, PenaltyStage.NOTIFIED, start=START)
    page = client.get(url("penalty_case_detail", case)).content.decode()
    assert case.number in page and case.notice.number in page
    assert "建议立案调查" not in page and "下载案卷" not in page and 'data-testid="next-step"' not in page
    assert client.get(url("penalty_case_file", case)).status_code == 403
    assert client.get(url("penalty_case_index_docx", case)).status_code == 403
    assert client.get(url("penalty_case_part_docx", case, part="filing")).status_code == 403
    assert client.get(url("penalty_case_part_docx", case, part="notice")).status_code == 200
    assert client.get(url("penalty_case_part_docx", case, part="decision")).status_code == 404  # not yet
    assert case.number in client.get(reverse("penalty_case_list")).content.decode()
    response = client.post(url("penalty_case_step", case, step="statement"), {"kind": "waived"})
    assert response.status_code == 403
    assert client.get(reverse("penalty_case_create")).status_code == 403
    for other in (county.mine2_officer, county.other_inspector):
        client.force_login(other)
        assert client.get(url("penalty_case_detail", case)).status_code == 404
        assert client.get(url("penalty_case_file", case)).status_code == 404


def test_the_leader_reads_the_file_but_takes_no_step(client, county, world):
    case = new_case(county, world)
    client.force_login(county.leader)
    page = client.get(url("penalty_case_detail", case)).content.decode()
    assert "下载案卷" in page and 'data-testid="next-step"' not in page
    assert client.get(url("penalty_case_file", case)).status_code == 200
    assert client.post(url("penalty_case_step", case, step="investigate"), {}).status_code == 403
    assert client.get(reverse("legal_provision_create")).status_code == 403


# ---------------------------------------------------------------- the 案卷


def test_the_case_file_is_bound_in_order_with_its_index(client, county, world):
    officers = world[0]
    case = new_case(county, world)

    def attach(kind, title, day, pages=1, content=PDF, name="x.pdf"):
        services.penalty_case_attach(
            actor=officers[0],
            case=case,
            upload=SimpleUploadedFile(name, content),
            kind=kind,
            title=title,
            dated=START + dt.timedelta(days=day),
            pages=pages,
        )

    attach("photo", "现场照片", 1, content=image_bytes(), name="p.png")
    attach("inquiry", "对矿长张建国的询问笔录", 1, pages=3)
    case = advance(case, officers, PenaltyStage.HEARING, start=START)
    attach("statement", "陈述申辩书", 3, pages=2)
    case = advance(case, officers, PenaltyStage.CLOSED, start=START)
    client.force_login(officers[0])
    response = client.get(url("penalty_case_file", case))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = archive.namelist()
    assert names == [
        "00-卷内目录.docx",
        "01-立案审批表.docx",
        "02-对矿长张建国的询问笔录.pdf",
        "03-现场照片.png",
        "04-行政处罚告知书.docx",
        "05-陈述申辩（听证）记录.docx",
        "06-陈述申辩书.pdf",
        "07-行政处罚决定书.docx",
        "08-送达回执.docx",
        "09-执行情况记录.docx",
        "10-结案报告.docx",
    ]
    index = Document(io.BytesIO(archive.read("00-卷内目录.docx")))
    rows = [[cell.text for cell in row.cells] for row in index.tables[0].rows]
    assert rows[0] == ["序号", "文件名称", "文号", "日期", "页号"]
    assert [r[0] for r in rows[1:]] == [str(i) for i in range(1, 11)]
    assert [r[1] for r in rows[1:]] == [n.split("-", 1)[1].rsplit(".", 1)[0] for n in names[1:]]
    by_title = {r[1]: r for r in rows[1:]}
    assert by_title["行政处罚告知书"][2] == case.notice.number and by_title["行政处罚决定书"][2] == case.decision.number
    assert by_title["立案审批表"][2] == case.number and by_title["立案审批表"][3] == f"{START:%Y-%m-%d}"
    # 页号 run on: each paper starts on the page after the last one of the paper before it.
    page = 1
    for row in rows[1:]:
        first, _, last = row[4].partition("-")
        assert int(first) == page
        page = int(last or first) + 1
    assert by_title["对矿长张建国的询问笔录"][4].endswith(str(int(by_title["对矿长张建国的询问笔录"][4][0]) + 2))
    text = "\n".join(p.text for p in index.paragraphs)
    assert case.number in text and "东峰煤矿" in text and "共10件" in text
    filing = Document(io.BytesIO(archive.read("01-立案审批表.docx")))
    cells = [c.text for t in filing.tables for r in t.rows for c in r.cells]
    assert "建议立案调查。" in cells and "陈永明" in cells
    decision = "\n".join(p.text for p in Document(io.BytesIO(archive.read("07-行政处罚决定书.docx"))).paragraphs)
    assert case.decision.number in decision and "叁万元整" in decision and "行政复议" in decision
    assert officers[1].certificate_no in decision


def test_a_case_in_investigation_has_only_its_filing_and_evidence(client, county, world):
    officers = world[0]
    case = advance(new_case(county, world), officers, PenaltyStage.INVESTIGATING, start=START)
    client.force_login(county.leader)
    archive = zipfile.ZipFile(io.BytesIO(b"".join(client.get(url("penalty_case_file", case)).streaming_content)))
    assert archive.namelist() == ["00-卷内目录.docx", "01-立案审批表.docx"]


# ---------------------------------------------------------------- the list


def test_the_list_filters_and_keeps_its_queries_at_two_sizes(client, county, world):
    officers, provisions, _ = world
    for _ in range(2):
        advance(new_case(county, world), officers, PenaltyStage.DECIDED, start=START)
    client.force_login(county.inspector)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("penalty_case_list")).status_code == 200
    for mine in (county.mine2, county.mine3, county.mine1) * 3:
        open_case(officers[0], mine, provisions, filed_on=START)
    with CaptureQueriesContext(connection) as many:
        html = client.get(reverse("penalty_case_list")).content.decode()
    assert html.count("涉嫌未采取措施消除事故隐患案") == 11
    assert len(many) == len(few) <= 12
    filtered = client.get(reverse("penalty_case_list"), {"stage": "decided", "mine": county.mine1.pk}).content.decode()
    assert filtered.count("涉嫌未采取措施消除事故隐患案") == 2
    unpaid = client.get(reverse("penalty_case_list"), {"unpaid": "true"}).content.decode()
    assert unpaid.count("涉嫌未采取措施消除事故隐患案") == 2
    assert client.get(reverse("penalty_case_list"), {"filed_after": "not a date"}).status_code == 200


# ---------------------------------------------------------------- the bureau's list of provisions


def test_the_bureau_keeps_its_provisions_and_figures_on_its_pages(client, county, world):
    officers = world[0]
    client.force_login(officers[0])
    page = client.get(reverse("legal_provision_list")).content.decode()
    assert "第一百零二条" in page and "未核对" in page and "载入常用条款" in page
    response = client.post(
        reverse("penalty_rules_edit"),
        {
            "statement_days": 3,
            "hearing_request_days": 5,
            "payment_days": 15,
            "hearing_threshold_unit": "30000",
            "hearing_threshold_person": "10000",
            "holidays": "2025-01-01\n元旦",
            "workdays": "",
        },
    )
    assert response.status_code == 200 and "不是日期" in response.content.decode()
    client.force_login(county.mine1_officer)
    assert "第一百零二条" not in client.get(reverse("legal_provision_list")).content.decode()
    assert client.post(reverse("legal_provision_load")).status_code == 403


# ---------------------------------------------------------------- the API


def test_the_api_lists_what_the_pages_show_and_only_inspectors_file(api_client, county, world):
    officers, provisions, hazard = world
    filed = new_case(county, world)
    served = advance(new_case(county, world), officers, PenaltyStage.NOTIFIED, start=START)
    api_client.force_authenticate(county.mine1_officer)
    body = api_client.get("/api/v1/penalty-cases/").json()
    assert [r["id"] for r in body["results"]] == [served.pk]
    assert body["results"][0]["statement_due_on"] == served.statement_due_on.isoformat()
    assert api_client.get(f"/api/v1/penalty-cases/{filed.pk}/").status_code == 404
    new = {
        "mine": county.mine1.pk,
        "source": "hazard",
        "hazard": hazard.pk,
        "cause": "涉嫌未采取措施消除事故隐患案",
        "facts": "经查……",
        "parties": [{"kind": "unit", "name": "东峰煤矿", "amount": "10000"}],
    }
    assert api_client.post("/api/v1/penalty-cases/", new, format="json").status_code == 403
    api_client.force_authenticate(county.mine2_officer)
    assert api_client.get(f"/api/v1/penalty-cases/{served.pk}/").status_code == 404
    api_client.force_authenticate(county.other_inspector)
    assert api_client.get(f"/api/v1/penalty-cases/{served.pk}/").status_code == 404
    api_client.force_authenticate(officers[0])
    response = api_client.post(
        "/api/v1/penalty-cases/", {**new, "provisions": [provisions["第一百零二条"].pk]}, format="json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["number"].endswith(f"〔{START.year}〕3号") and response.json()["stage"] == "filed"
    too_much = {
        **new,
        "parties": [
            {"kind": "unit", "name": "东峰煤矿", "amount": "60000", "provision": provisions["第一百零二条"].pk}
        ],
    }
    response = api_client.post("/api/v1/penalty-cases/", too_much, format="json")
    assert response.status_code == 400 and "上限" in str(response.json())
    api_client.force_authenticate(county.leader)
    assert api_client.post("/api/v1/penalty-cases/", new, format="json").status_code == 403
    assert Decimal(api_client.get(f"/api/v1/penalty-cases/{served.pk}/").json()["parties"][0]["amount"]) == 30000


def test_every_paper_the_system_writes_is_an_a4_official_document(client, county, world):
    from enforcement.docx import document_docx
    from enforcement.penalty_file import PARTS
    from tests.core.test_documents import check_official_layout

    officers = world[0]
    case = advance(new_case(county, world), officers, PenaltyStage.CLOSED, start=START)
    client.force_login(county.leader)
    for part in PARTS:
        response = client.get(url("penalty_case_part_docx", case, part=part))
        assert response.status_code == 200 and "wordprocessingml" in response["Content-Type"], part
        text = check_official_layout(part, Document(io.BytesIO(b"".join(response.streaming_content))))
        assert case.number in text or case.notice.number in text or case.decision.number in text, part
    archive = zipfile.ZipFile(io.BytesIO(b"".join(client.get(url("penalty_case_file", case)).streaming_content)))
    for name in archive.namelist():
        check_official_layout(name, Document(io.BytesIO(archive.read(name))))
    # The documents' own .docx (the generic document pages download them through enforcement.docx).
    for document in (case.notice, case.decision):
        text = check_official_layout(document.number, Document(document_docx(document)))
        assert document.number in text and "东峰煤矿" in text and officers[0].certificate_no in text


def test_a_case_without_a_record_names_its_mine_and_a_record_of_another_tenant_is_not_found(client, county, world):
    officers, provisions, _ = world
    client.force_login(officers[0])
    page = client.get(reverse("penalty_case_create")).content.decode()
    assert "请在其页面点击“立案处罚”" in page
    response = client.post(
        reverse("penalty_case_create"),
        {
            "mine": county.mine3.pk,
            "source": "other",
            "cause": "涉嫌特种作业人员未持证上岗案",
            "facts": "群众举报……",
            "filed_on": TODAY.isoformat(),
            "unit_name": "北坡煤矿",
        },
    )
    assert response.status_code == 302
    assert PenaltyCase.objects.get().mine == county.mine3
    foreign = HazardFactory(mine=county.other_mine)
    assert client.get(reverse("penalty_case_create"), {"hazard": foreign.pk}).status_code == 404
    assert client.get(reverse("penalty_case_create"), {"hazard": "x1"}).status_code == 404
    assert client.get(reverse("penalty_case_create"), {"inspection": "9" * 30}).status_code == 404
    hazard_page = client.get(reverse("hazard_detail", kwargs={"pk": world[2].pk})).content.decode()
    assert f"{reverse('penalty_case_create')}?hazard={world[2].pk}" in hazard_page
    client.force_login(county.mine1_officer)
    hazard_page = client.get(reverse("hazard_detail", kwargs={"pk": world[2].pk})).content.decode()
    assert reverse("penalty_case_create") not in hazard_page
