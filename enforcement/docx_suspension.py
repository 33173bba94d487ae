"""The .docx of the 责令停产整顿指令书 and the 复产验收意见书, laid out after the national 安全生产执法文书 templates,
from what the document holds (its `content`: facts/basis/requirements and checked/conclusion/opinion, its items —
the hazards — and its officers as they were on the day of issue)."""

from core.documents import chinese_date, new_official_document

from .docx import register_builder
from .models import DocumentKind
from .services.penalty import authority_of, government_of

TITLES = {DocumentKind.SUSPENSION_ORDER: "责令停产整顿指令书", DocumentKind.RESUMPTION_OPINION: "复产验收意见书"}


def _officers(od, document):
    for officer in document.officers.all():
        od.paragraph(f"{officer.name}    执法证号：{officer.certificate_no}", lead="执法人员（签名）：")


def _receipt(od, document):
    signer = document.signer_name or "          "
    received = chinese_date(document.received_on) if document.received_on else "    年  月  日"
    od.paragraph(f"{signer}    {received}", lead="被检查单位负责人（签名）：")


def _remedy(od, authority):
    od.paragraph(
        f"如不服本指令，可以依法在60日内向{government_of(authority)}申请行政复议，或者在6个月内依法向人民法院"
        "提起行政诉讼，但本指令不停止执行，法律另有规定的除外。"
    )


def write_order(od, document, authority):
    content = document.content
    od.paragraph("经查，你单位存在下列重大事故隐患和违法行为：")
    od.paragraphs(content.get("facts"))
    items = list(document.items.all())
    if items:
        od.table(
            [(str(i), item.text_with_citation) for i, item in enumerate(items, start=1)],
            header=("序号", "重大事故隐患"),
            weights=(1, 8),
        )
    issued = chinese_date(document.issued_on) if document.issued_on else "    年  月  日"
    od.paragraph(f"依据{content.get('basis', '')}的规定，现责令你单位自{issued}起停产整顿。")
    od.paragraph("停产整顿期间应当做到：")
    od.paragraphs(content.get("requirements"))
    od.paragraph("整顿完成后，经你单位自查合格，向本机关提出复产验收申请；经本机关验收合格后，方可恢复生产。")
    _remedy(od, authority)
    _officers(od, document)
    _receipt(od, document)


def write_opinion(od, document, authority):
    content = document.content
    order = document.follows
    ordered = f"本机关《责令停产整顿指令书》（{order.number}）" if order is not None else "本机关责令停产整顿指令"
    od.paragraph(f"根据{ordered}，本机关对你单位停产整顿情况组织了复产验收。")
    od.heading("验收情况", 1, numbered=True)
    od.paragraphs(content.get("checked"))
    od.heading("验收结论", 1, numbered=True)
    if content.get("conclusion") == "accepted":
        od.paragraph("经验收，你单位停产整顿的重大事故隐患已整改到位，验收合格，同意恢复生产。")
    else:
        od.paragraph("经验收，你单位停产整顿未达到复产条件，验收不合格，不同意恢复生产，继续停产整顿。")
    od.heading("验收意见", 1, numbered=True)
    od.paragraphs(content.get("opinion"))
    _officers(od, document)
    _receipt(od, document)


@register_builder(DocumentKind.SUSPENSION_ORDER)
@register_builder(DocumentKind.RESUMPTION_OPINION)
def suspension_document_docx(document):
    kind = DocumentKind(document.kind)
    authority = authority_of(document.bureau)
    od = new_official_document(
        f"{authority}\n{TITLES[kind]}",
        number=document.number,
        issuer=authority,
        date=document.issued_on,
        addressee=document.mine.name,
    )
    (write_order if kind == DocumentKind.SUSPENSION_ORDER else write_opinion)(od, document, authority)
    od.close()
    return od.save()
