"""The .docx of the 行政处罚告知书 and the 行政处罚决定书, laid out after the national 安全生产执法文书 templates, from
what the document holds (its `content`, written by enforcement.services.penalty when the case served it): a served
document reads the same whatever is corrected in the case or the list of provisions later.

`write_notice` and `write_decision` write into a document being made, so the case file (penalty_file.py) binds them
among its other papers; the registered builders make them alone."""

import datetime as dt

from core.documents import chinese_date, new_official_document

from .docx import register_builder
from .models import DocumentKind
from .services import rmb_upper, yuan


def _day(iso):
    return chinese_date(dt.date.fromisoformat(iso)) if iso else ""


def _issuer(document):
    return document.content.get("authority") or document.bureau.name


def _officers_line(document):
    names = [f"{o.name}（执法证号：{o.certificate_no}）" for o in document.officers.all()]
    return "、".join(names)


def _parties(od, content):
    """被处罚单位 and 被处罚人, each on its line, as the templates list them."""
    for party in content.get("parties", []):
        if party["kind"] == "unit":
            od.paragraph(party["name"], lead="被处罚单位：")
            if content.get("address"):
                od.paragraph(content["address"], lead="地址：")
            if content.get("representative"):
                od.paragraph(content["representative"], lead="法定代表人（主要负责人）：")
        else:
            od.paragraph(f"{party['name']}，{party['post']}", lead="被处罚人：")


def _provisions(content):
    citations = "、".join(f"{p['law']}{p['article']}" for p in content.get("provisions", []))
    violations = "、".join(p["violation"] for p in content.get("provisions", []))
    return citations, violations


def _penalties(od, content, *, verb):
    for party in content.get("parties", []):
        basis = f"依据{party['basis']}的规定，" if party.get("basis") else ""
        od.paragraph(
            f"{basis}{verb}对{party['name']}处以罚款人民币{party['amount_text'].removesuffix(' 元')}元"
            f"（大写：{party['amount_upper']}）。"
        )


def write_notice(od, document):
    content = document.content
    citations, violations = _provisions(content)
    cause = content["cause"].removesuffix("案")
    od.paragraph(
        f"你（单位）{cause}一案，本机关已立案调查（案号：{content['case_number']}）。现将拟作出行政处罚的事实、"
        "理由、依据和你（单位）依法享有的权利告知如下。"
    )
    od.heading("违法事实", 1, numbered=True)
    od.paragraphs(content.get("facts"))
    od.heading("拟作出的行政处罚", 1, numbered=True)
    od.paragraph(f"当事人的上述行为属于{violations}的违法行为。")
    _penalties(od, content, verb="拟")
    od.heading("当事人的权利", 1, numbered=True)
    for line in content.get("rights", []):
        od.paragraph(line)
    if content.get("contact_phone"):
        od.paragraph(content["contact_phone"], lead="联系电话：")
    od.paragraph(_officers_line(document), lead="执法人员：")
    if citations:
        od.paragraph(citations, lead="处罚依据：")


def write_decision(od, document):
    content = document.content
    citations, violations = _provisions(content)
    _parties(od, content)
    od.heading("违法事实和证据", 1, numbered=True)
    od.paragraphs(content.get("facts"))
    od.paragraph(f"当事人的上述行为属于{violations}的违法行为。")
    od.heading("告知和陈述申辩情况", 1, numbered=True)
    served = _day(content.get("notice_served_on"))
    notice = content.get("notice_number")
    if notice:
        when = f"于{served}" if served else "已"
        od.paragraph(
            f"本机关{when}向当事人送达《行政处罚告知书》（{notice}），告知了拟作出行政处罚的事实、理由、依据和"
            "当事人依法享有的权利。"
        )
    od.paragraph(content.get("statement", ""))
    od.heading("处罚决定", 1, numbered=True)
    _penalties(od, content, verb="决定")
    total = content["total"]
    od.paragraph(f"以上罚款合计人民币{yuan(total).removesuffix(' 元')}元（大写：{rmb_upper(total)}）。")
    od.heading("履行方式和救济途径", 1, numbered=True)
    for line in content.get("rights", []):
        od.paragraph(line)
    od.paragraph(_officers_line(document), lead="执法人员：")
    if citations:
        od.paragraph(citations, lead="处罚依据：")


TITLES = {DocumentKind.PENALTY_NOTICE: "行政处罚告知书", DocumentKind.PENALTY_DECISION: "行政处罚决定书"}


def served_document(document):
    """The notice or decision as an OfficialDocument (closed, not yet saved): alone, or bound in the case file."""
    kind = DocumentKind(document.kind)
    writer = write_notice if kind == DocumentKind.PENALTY_NOTICE else write_decision
    content = document.content
    issuer = _issuer(document)
    od = new_official_document(
        f"{issuer}\n{TITLES[kind]}",
        number=document.number,
        issuer=issuer,
        date=document.issued_on,
        addressee=content.get("addressee") or document.mine.name,
    )
    writer(od, document)
    od.close()
    return od


@register_builder(DocumentKind.PENALTY_NOTICE)
@register_builder(DocumentKind.PENALTY_DECISION)
def penalty_document_docx(document):
    return served_document(document).save()
