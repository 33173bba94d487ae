"""The .docx of the documents an inspection leads to, laid out after the national 安全生产执法文书式样: 现场检查记录,
责令限期整改指令书, 整改复查意见书, 现场处理措施决定书 and 文书送达回执 — the issuing authority over the title,
centred, the number below it, the mine addressed, the body of the kind, its items as a ruled table, the officers with
their 执法证号, the authority and date, and the receipt line where the template has one.

The penalty kinds are built in docx_penalty.py and the suspension kinds in docx_suspension.py; until a kind has a
builder of its own, `generic_docx` lays out any kind from its fields in kinds.py (enforcement/docx.py falls back
to it)."""

from core.documents import chinese_date, new_official_document

from .docx import register_builder, register_fallback
from .kinds import DEADLINES, REVIEWED, body_rows, spec_of
from .models import DocumentKind, MeasureKind
from .services.penalty import authority_of, government_of

BLANK_DATE = "　　年　　月　　日"


def _day(value):
    return chinese_date(value) if value else BLANK_DATE


def _start(document, *, addressee=True):
    spec = spec_of(document.kind)
    issuer = (document.content or {}).get("authority") or authority_of(document.bureau)
    od = new_official_document(
        f"{issuer}\n{spec.label}",
        number=document.number or "（草稿，未编号）",
        issuer=issuer,
        date=document.issued_on,
        addressee=document.mine.name if addressee else "",
    )
    return od, issuer


def _items_table(od, document, *, header=None):
    items = list(document.items.all())
    if not items:
        return
    kind = spec_of(document.kind).items
    if kind == DEADLINES:
        od.table(
            [(i.order, i.text_with_citation, _day(i.due_on)) for i in items],
            header=header or ["序号", "存在的问题", "整改期限"],
            weights=[1, 8, 3],
        )
    elif kind == REVIEWED:
        od.table(
            [
                (i.order, i.text_with_citation, {True: "合格", False: "不合格"}.get(i.passed, "未复查"), i.note)
                for i in items
            ],
            header=header or ["序号", "责令整改的问题", "复查结果", "说明"],
            weights=[1, 6, 2, 3],
        )
    else:
        od.table([(i.order, i.text_with_citation) for i in items], header=header or ["序号", "问题"], weights=[1, 10])


def _officers(od, document):
    names = "、".join(f"{o.name}（执法证号：{o.certificate_no}）" for o in document.officers.all())
    od.paragraph(names or "　", lead="执法人员（签名）：")


def _receipt_line(od, document, who="被检查单位负责人"):
    signer = document.signer_name or "　　　　　　"
    od.paragraph(f"{signer}　　{_day(document.received_on)}", lead=f"{who}（签收）：")


def _rights(od, issuer, what):
    od.paragraph(
        f"如果不服本{what}，可以依法在六十日内向{government_of(issuer)}申请行政复议，或者在六个月内依法向人民法院"
        f"提起行政诉讼，但本{what}不停止执行，法律另有规定的除外。"
    )


def _finish(od, document, *, receipt_who="被检查单位负责人"):
    """The officers, the authority and date, and — below them, as the templates end — the receipt line."""
    _officers(od, document)
    od.close()
    _receipt_line(od, document, receipt_who)
    return od.save()


@register_builder(DocumentKind.INSPECTION_RECORD)
def inspection_record_docx(document):
    od, _ = _start(document, addressee=False)
    content = document.content or {}
    mine = document.mine
    od.paragraph(mine.name, lead="被检查单位：")
    if getattr(mine, "address", ""):
        od.paragraph(mine.address, lead="地址：")
    od.paragraph(content.get("place", ""), lead="检查场所：")
    inspected_on = document.inspection.inspected_on if document.inspection_id else document.issued_on
    od.paragraph(_day(inspected_on), lead="检查时间：")
    od.paragraph("", lead="检查情况：")
    od.paragraphs(content.get("situation"))
    od.paragraph("", lead="发现的问题：")
    od.paragraphs(content.get("findings_summary"), empty="" if document.items.exists() else "未发现问题。")
    _items_table(od, document)
    return _finish(od, document, receipt_who="被检查单位现场负责人")


@register_builder(DocumentKind.RECTIFICATION_ORDER)
def rectification_order_docx(document):
    od, issuer = _start(document)
    content = document.content or {}
    od.paragraph(content.get("facts") or "经查，你单位存在下列问题：")
    _items_table(od, document)
    last = document.deadline
    od.paragraph(
        f"现责令你单位对上述问题于{_day(last)}前（各项以所列期限为准）整改完毕，达到有关法律法规规章和标准规定的"
        "要求，并将整改情况书面报告本机关。整改期间，应当采取措施确保安全。"
    )
    od.paragraph(content.get("basis", ""), lead="依据：")
    _rights(od, issuer, "指令")
    return _finish(od, document)


@register_builder(DocumentKind.REVIEW_OPINION)
def review_opinion_docx(document):
    od, _ = _start(document)
    content = document.content or {}
    order = document.follows
    if order is not None:
        od.paragraph(
            f"本机关于{_day(order.issued_on)}对你单位作出了《责令限期整改指令书》（{order.number}），"
            "经对整改情况进行复查，提出如下意见："
        )
    _items_table(od, document)
    failed = [i.order for i in document.items.all() if i.passed is False]
    if failed:
        numbers = "、".join(str(n) for n in failed)
        od.paragraph(f"第{numbers}项未按期整改完毕，本机关将依法处理。")
    od.paragraph("", lead="复查意见：")
    od.paragraphs(content.get("opinion"))
    return _finish(od, document)


@register_builder(DocumentKind.ON_SITE_MEASURES)
def on_site_measures_docx(document):
    od, issuer = _start(document)
    content = document.content or {}
    od.paragraph("经查，你单位存在下列违法行为：")
    od.paragraphs(content.get("facts"))
    _items_table(od, document, header=["序号", "涉及的问题"])
    od.paragraph(f"依据{content.get('basis', '')}的规定，本机关决定作出如下现场处理措施：")
    labels = dict(MeasureKind.choices)
    for n, code in enumerate(content.get("measures", []), start=1):
        od.paragraph(f"{n}. {labels.get(code, code)}。")
    od.paragraph(
        "现场处理措施解除前，你单位应当落实整改措施，确保安全；整改完毕后书面报告本机关，经审查同意后方可解除。"
    )
    _rights(od, issuer, "决定")
    return _finish(od, document)


@register_builder(DocumentKind.SERVICE_RECEIPT)
def service_receipt_docx(document):
    """送达回执: a ruled form — the document served, to whom, where, how, the signature of the receiver and the
    servers — as the template is one table."""
    od, _ = _start(document, addressee=False)
    content = document.content or {}
    spec = spec_of(document.kind)
    served = document.follows
    served_text = f"《{served.get_kind_display()}》（{served.number}）" if served is not None else ""
    servers = "、".join(f"{o.name}（{o.certificate_no}）" for o in document.officers.all())
    rows = [
        ("送达文书名称及文号", served_text),
        ("受送达人", document.mine.name),
        ("送达地点", content.get("place", "")),
        ("送达方式", spec.field("method").display(content.get("method"))),
        ("收件人（签名）", f"{document.signer_name or ''}　{_day(document.received_on)}"),
        ("送达人（签名）", servers),
        ("备注", ""),
    ]
    od.table(rows, weights=[3, 8])
    od.close()
    return od.save()


@register_fallback
def generic_docx(document):
    """Any kind without a builder of its own: its fields (kinds.py) in order, its items, officers and receipt."""
    od, _ = _start(document)
    for label, text in body_rows(document):
        od.paragraph("", lead=f"{label}：")
        od.paragraphs(text)
    _items_table(od, document)
    return _finish(od, document, receipt_who="受送达单位负责人")
