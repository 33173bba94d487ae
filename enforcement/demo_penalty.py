"""The demo county's penalty cases: 东峰煤矿 (mine1) fined after a 四不两直 inspection found a hazard it then left
unrectified past its deadline — filed, investigated, notified, heard, decided (the unit's fine reduced on review),
paid and closed, with its evidence and documents; and 北坡煤矿 (mine3) under investigation (the bureau's internal
work: mine3 does not see it yet). Idempotent: nothing is added once the bureau has a case."""

import datetime as dt
import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.permissions import is_inspector
from hazards.models import HazardSource, InspectionMode
from hazards.services import (
    hazard_accept,
    hazard_create,
    hazard_start_rectification,
    hazard_submit_for_acceptance,
    inspection_create,
)
from notifications.steps import ymd

from .models import EnforcementSettings, LegalProvision, PenaltyCase
from .services import (
    legal_provisions_load,
    penalty_case_attach,
    penalty_case_close,
    penalty_case_decide,
    penalty_case_execute,
    penalty_case_investigate,
    penalty_case_notify,
    penalty_case_open,
    penalty_case_record_payment,
    penalty_case_record_statement,
)

#: the 执法证号 of the demo's law-enforcement officers, in the order of their usernames
CERTIFICATES = ("14052119000123", "14052119000157")


def _png(colour):
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (320, 240), colour).save(out, format="PNG")
    return out.getvalue()


def _pdf(text):
    """A one-page PDF of `text` (ASCII), enough to stand for a scanned record in the demo."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def _officers(users):
    """The demo's two inspectors (by username), with the certificate numbers the documents carry."""
    officers = []
    inspectors = [users[name] for name in sorted(users) if is_inspector(users[name])]
    for user, number in zip(inspectors, CERTIFICATES, strict=False):
        if not user.certificate_no:
            user.certificate_no = number
            user.save(update_fields=["certificate_no"])
        officers.append(user)
    return officers


def seed_penalty_cases(*, orgs, users, today=None):
    today = today or timezone.localdate()
    bureau = orgs["bureau"]
    if PenaltyCase.objects.filter(bureau=bureau).exists():
        return
    EnforcementSettings.objects.get_or_create(
        bureau=bureau, defaults={"number_prefix": "阳应急", "authority_name": "阳城县应急管理局"}
    )
    officers = _officers(users)
    inspector = officers[0]
    legal_provisions_load(actor=inspector)
    provisions = {p.article: p for p in LegalProvision.objects.filter(bureau=bureau)}
    # The bureau checked the provisions it cites in the demo against the law in force.
    LegalProvision.objects.filter(bureau=bureau, article__in=["第一百零二条", "第九十四条", "第九十七条"]).update(
        checked=True
    )
    _closed_case(orgs, users, officers, provisions, today)
    _case_under_investigation(orgs, officers, provisions, today)


def _day(today, days_ago):
    return today - dt.timedelta(days=days_ago)


def _closed_case(orgs, users, officers, provisions, today):
    mine = orgs["mine1"]
    inspector = officers[0]
    inspection = inspection_create(
        actor=inspector,
        mine=mine,
        inspected_on=_day(today, 27),
        mode=InspectionMode.FOUR_NO_TWO_DIRECT,
        inspectors=officers,
        notes="“四不两直”检查3105采煤工作面及回风巷的通风、瓦斯管理。",
    )
    hazard = hazard_create(
        actor=inspector,
        mine=mine,
        inspection=inspection,
        source=HazardSource.BUREAU_INSPECTION,
        found_on=_day(today, 27),
        location="3105回风巷",
        specialty="gas",
        description="回风巷甲烷传感器报警值设定为1.5%，高于规定的1.0%，且吊挂位置距顶板超过300mm",
        measures="重新设定报警、断电值并调整吊挂位置，对监控系统全面校验",
        responsible_unit="通风队",
        responsible_person="李晓东",
        due_on=_day(today, 25),
    )
    case = penalty_case_open(
        actor=inspector,
        mine=mine,
        source="hazard",
        hazard=hazard,
        cause="涉嫌未采取措施消除事故隐患案",
        facts=(
            f"{ymd(_day(today, 27))}，本局执法人员对晋阳煤业集团东峰煤矿开展“四不两直”检查，发现3105回风巷"
            "甲烷传感器报警值设定为1.5%，吊挂位置距顶板超过300mm，当场责令限期两日内整改。"
            f"{ymd(_day(today, 23))}复查时，该隐患仍未整改。"
        ),
        filed_on=_day(today, 22),
        representative="赵志强",
        filing_opinion="当事人逾期未消除事故隐患，涉嫌违反《中华人民共和国安全生产法》第四十一条，建议立案调查；"
        "依照“一案双查”，一并调查矿长的安全生产管理职责履行情况。",
        approver_name="陈永明",
        provisions=[provisions["第一百零二条"], provisions["第九十四条"]],
        parties=[
            {
                "kind": "unit",
                "name": "晋阳煤业集团东峰煤矿",
                "amount": Decimal("30000"),
                "provision": provisions["第一百零二条"],
            },
            {
                "kind": "person",
                "name": "赵志强",
                "post": "矿长",
                "amount": Decimal("20000"),
                "provision": provisions["第九十四条"],
            },
        ],
    )
    case = penalty_case_investigate(actor=inspector, case=case, started_on=_day(today, 21))
    penalty_case_attach(
        actor=inspector,
        case=case,
        upload=SimpleUploadedFile("询问笔录.pdf", _pdf("Inquiry record, mine manager")),
        kind="inquiry",
        title="对矿长赵志强的询问笔录",
        dated=_day(today, 21),
        pages=4,
    )
    penalty_case_attach(
        actor=inspector,
        case=case,
        upload=SimpleUploadedFile("传感器现场照片.png", _png((90, 110, 130))),
        kind="photo",
        title="3105回风巷甲烷传感器现场照片",
        dated=_day(today, 23),
        pages=1,
    )
    penalty_case_attach(
        actor=inspector,
        case=case,
        upload=SimpleUploadedFile("监控记录.pdf", _pdf("Gas monitoring log 3105")),
        kind="documentary",
        title="安全监控系统3105回风巷传感器参数记录",
        dated=_day(today, 21),
        pages=2,
    )
    case = penalty_case_notify(
        actor=inspector,
        case=case,
        officers=officers,
        issued_on=_day(today, 18),
        served_on=_day(today, 18),
        signer_name="周伟",
        receipt_scan=SimpleUploadedFile("告知书送达回执.png", _png((230, 230, 220))),
    )
    case = penalty_case_record_statement(
        actor=inspector,
        case=case,
        kind="statement",
        made_on=_day(today, 16),
        text="矿方称传感器参数系监控系统升级后未及时恢复，已于复查次日完成整改并校验合格，请求从轻处罚。",
        review_opinion="当事人在责令整改期限届满后仍未整改，违法事实清楚；鉴于案发后主动整改、未造成后果，"
        "对单位的罚款由3万元减为2.5万元；矿长未督促检查本单位安全生产工作，罚款维持。",
    )
    unit, person = case.parties.all()
    case = penalty_case_decide(
        actor=inspector,
        case=case,
        amounts={unit.pk: Decimal("25000"), person.pk: Decimal("20000")},
        officers=officers,
        issued_on=_day(today, 12),
        served_on=_day(today, 12),
        signer_name="周伟",
        receipt_scan=SimpleUploadedFile("决定书送达回执.png", _png((225, 225, 215))),
    )
    case = penalty_case_record_payment(
        actor=inspector,
        case=case,
        party=unit,
        paid_on=_day(today, 8),
        receipt=SimpleUploadedFile("单位缴款凭证.png", _png((200, 220, 200))),
    )
    case = penalty_case_record_payment(actor=inspector, case=case, party=person, paid_on=_day(today, 6))
    case = penalty_case_execute(actor=inspector, case=case, executed_on=_day(today, 6), kind="paid")
    penalty_case_close(
        actor=inspector,
        case=case,
        closed_on=_day(today, 4),
        summary="当事人已按期缴纳全部罚款，3105回风巷甲烷传感器已重新设定并校验合格，经复查隐患已消除。建议结案。",
    )
    # The mine rectified after the 复查; its enterprise accepted the rectification.
    hazard_start_rectification(actor=users["mine1"], hazard=hazard)
    hazard_submit_for_acceptance(actor=users["mine1"], hazard=hazard, rectified_on=_day(today, 22))
    hazard_accept(actor=users["ent1"], hazard=hazard, note="复查合格")


def _case_under_investigation(orgs, officers, provisions, today):
    mine = orgs["mine3"]
    case = penalty_case_open(
        actor=officers[1],
        mine=mine,
        source="other",
        cause="涉嫌特种作业人员未持证上岗案",
        facts="群众举报：华泰能源北坡煤矿2105掘进工作面有电钳工未取得特种作业操作证上岗作业。",
        filed_on=_day(today, 5),
        representative="孙建业",
        filing_opinion="举报内容具体，建议立案调查，调取该矿人员定位记录和持证台账核实。",
        approver_name="陈永明",
        provisions=[provisions["第九十七条"]],
        parties=[{"kind": "unit", "name": "华泰能源北坡煤矿", "provision": provisions["第九十七条"]}],
    )
    penalty_case_investigate(actor=officers[1], case=case, started_on=_day(today, 4))
