"""The 案卷 of a penalty case, in the order a case file is bound, with its 卷内目录.

Binding order (a 行政处罚案卷 as county bureaus bind them): 卷内目录; 立案审批表; the evidence (询问笔录, 现场检查
记录, photos, 书证 …, by date); 行政处罚告知书; the 陈述申辩/听证 record; 行政处罚决定书; the 送达回执; the 执行
record (with the payment receipts); 结案报告. Only the papers a case has so far are bound: a case still in 调查取证
has its 立案审批表 and evidence.

The 卷内目录 lists each paper with 序号, 文件名称, 文号, 日期 and 页号. Pages are counted from each paper's length: an
uploaded file by the number of pages its uploader gave, a paper the system writes by its text on the A4 type area of
GB/T 9704 (22 lines of 28 characters), so 页号 are what the bound file will show, within a page for long papers.

The whole file downloads as one .zip (the 卷内目录 first, each paper numbered by its 序号), each paper the system
writes as a .docx made by core.documents."""

import io
import math
import zipfile
from dataclasses import dataclass, field

from core.documents import CHARACTERS_PER_LINE, LINES_PER_PAGE, chinese_date, new_official_document, text_width
from core.excel import safe_filename
from core.uploads import SUFFIXES

from .docx import document_docx, has_builder
from .docx_penalty import served_document
from .models import EvidenceKind, ExecutionKind, PartyKind, StatementKind

#: the evidence kinds bound in each place of the file
FILING_KINDS = (EvidenceKind.FILING,)
EVIDENCE_KINDS = (
    EvidenceKind.INQUIRY,
    EvidenceKind.INSPECTION,
    EvidenceKind.PHOTO,
    EvidenceKind.DOCUMENTARY,
    EvidenceKind.OTHER,
)
STATEMENT_KINDS = (EvidenceKind.STATEMENT,)
RECEIPT_KINDS = (EvidenceKind.RECEIPT,)
EXECUTION_KINDS = (EvidenceKind.PAYMENT, EvidenceKind.EXECUTION)
CLOSING_KINDS = (EvidenceKind.CLOSING,)

#: the papers the system writes, by the slug of their download (penalty_case_part_docx)
PARTS = {
    "filing": "立案审批表",
    "notice": "行政处罚告知书",
    "statement": "陈述申辩（听证）记录",
    "decision": "行政处罚决定书",
    "receipts": "送达回执",
    "execution": "执行情况记录",
    "closing": "结案报告",
}
#: what a mine may download of its own case: the papers served on it
SERVED_PARTS = ("notice", "decision")


@dataclass
class Paper:
    """One entry of the 卷内目录 and the file bound there."""

    title: str
    number: str
    dated: object
    pages: int
    suffix: str
    content: object = field(repr=False)  # () -> bytes
    start: int = 0

    @property
    def page_range(self):
        end = self.start + self.pages - 1
        return str(self.start) if end == self.start else f"{self.start}-{end}"


# ---------------------------------------------------------------- page counts


def estimate_pages(od):
    """Pages of a document made by core.documents: its lines on the 22-line, 28-character type area (a table row
    counts as the lines of its longest cell, in the table's smaller type), the title block as three lines."""
    lines = 3
    for paragraph in od.document.paragraphs:
        lines += max(1, math.ceil(text_width(paragraph.text) / CHARACTERS_PER_LINE))
    for table in od.document.tables:
        for row in table.rows:
            cells = row.cells
            share = max(1, CHARACTERS_PER_LINE * 16 // 12 // max(1, len(cells)))
            lines += max(max(1, math.ceil(text_width(c.text) / share)) for c in cells) * 0.8
    return max(1, math.ceil(lines / LINES_PER_PAGE))


# ---------------------------------------------------------------- the papers the system writes


def _authority(case):
    from .services.penalty import authority_of

    return authority_of(case.bureau)


def _form(case, title, rows, *, number="", date=None):
    """A form of the file (审批表, 记录): the title, the case number, a two-column table, the authority and date."""
    authority = _authority(case)
    od = new_official_document(f"{authority}\n{title}", number=number or case.number, issuer=authority, date=date)
    od.table([(label, value or "—") for label, value in rows], weights=[1, 3])
    od.close()
    return od


def _parties_text(case, *, decided=False):
    lines = []
    for party in case.parties.all():
        amount = party.decided_amount if decided else party.amount
        who = party.name if party.kind == PartyKind.UNIT else f"{party.name}（{party.post}）"
        basis = f"，依据{party.provision.citation}" if party.provision_id else ""
        what = "罚款" if decided else "拟罚款"
        lines.append(f"{who}：{what} {amount:,.2f} 元{basis}" if amount is not None else who)
    return "\n".join(lines)


def filing_form(case):
    source = case.get_source_display()
    record = case.hazard or case.violation or case.review_document or case.inspection
    if record is not None:
        source = f"{source}：{record}"
    rows = [
        ("案号", case.number),
        ("案由", case.cause),
        ("案件来源", source),
        ("当事人", _parties_text(case)),
        ("法定代表人（主要负责人）", case.representative),
        ("简要案情", case.facts),
        ("拟适用依据", "；".join(p.citation for p in case.provisions.all())),
        ("承办人意见", case.filing_opinion),
        ("承办人", case.created_by.display_name if case.created_by else ""),
        ("审批人", case.approver_name),
        ("立案日期", chinese_date(case.filed_on)),
    ]
    return _form(case, "立案审批表", rows, date=case.filed_on)


def statement_form(case):
    kind = StatementKind(case.statement_kind)
    rows = [
        ("案号", case.number),
        ("案由", case.cause),
        ("告知书", f"{case.notice.number}，{chinese_date(case.notified_on)}送达"),
        ("陈述申辩期限", chinese_date(case.statement_due_on)),
        ("申请听证期限", chinese_date(case.hearing_due_on) if case.hearing_due_on else "拟罚款未达较大数额，不适用"),
        ("陈述申辩情况", kind.label),
        ("日期", chinese_date(case.statement_on)),
        ("当事人意见", case.statement_text),
        ("复核意见", case.review_opinion),
    ]
    return _form(case, PARTS["statement"], rows, date=case.statement_on)


def receipts_form(case):
    """送达回执 of the documents served in the case: what, when, who signed."""
    authority = _authority(case)
    od = new_official_document(f"{authority}\n送达回执", number=case.number, issuer=authority)
    rows = []
    for document in (case.notice, case.decision):
        if document is None or not document.received_on:
            continue
        rows.append(
            (
                document.get_kind_display(),
                document.number,
                chinese_date(document.received_on),
                document.signer_name,
                "直接送达",
            )
        )
    od.table(rows, header=["送达文书", "文号", "送达日期", "受送达人签收", "送达方式"], weights=[3, 4, 3, 2, 2])
    od.close()
    return od


def execution_form(case):
    rows = [("案号", case.number), ("处罚决定书", f"{case.decision.number}，{chinese_date(case.decided_on)}送达")]
    rows.append(("缴纳期限", chinese_date(case.payment_due_on)))
    for party in case.parties.all():
        if not party.must_pay:
            continue
        paid = f"已于{chinese_date(party.paid_on)}缴纳" if party.paid_on else "未缴纳"
        rows.append((f"{party.name}罚款", f"{party.owed:,.2f} 元，{paid}"))
    if case.execution_kind:
        rows.append(("执行方式", ExecutionKind(case.execution_kind).label))
        rows.append(("执行日期", chinese_date(case.executed_on)))
        rows.append(("执行情况", case.execution_note))
    return _form(case, PARTS["execution"], rows, date=case.executed_on)


def closing_form(case):
    rows = [
        ("案号", case.number),
        ("案由", case.cause),
        ("当事人", _parties_text(case, decided=True)),
        ("处罚决定", f"{case.decision.number}" if case.decision_id else ""),
        ("执行情况", ExecutionKind(case.execution_kind).label if case.execution_kind else ""),
        ("结案报告", case.closing_summary),
        ("结案日期", chinese_date(case.closed_on)),
    ]
    return _form(case, PARTS["closing"], rows, date=case.closed_on)


def part_document(case, part):
    """The OfficialDocument of one paper the system writes, or None when the case has not reached it."""
    if part == "filing":
        return filing_form(case)
    if part == "notice" and case.notice_id:
        return served_document(case.notice)
    if part == "statement" and case.statement_kind:
        return statement_form(case)
    if part == "decision" and case.decision_id:
        return served_document(case.decision)
    if part == "receipts" and case.notice_id:
        return receipts_form(case)
    if part == "execution" and case.decision_id and (case.execution_kind or any(p.paid_on for p in case.parties.all())):
        return execution_form(case)
    if part == "closing" and case.closed_on:
        return closing_form(case)
    return None


# ---------------------------------------------------------------- the file


def _generated(title, number, dated, od):
    return Paper(title, number, dated, estimate_pages(od), "docx", lambda: od.save().getvalue())


def _uploaded(evidence):
    def read():
        with evidence.file.open("rb") as handle:
            return handle.read()

    suffix = SUFFIXES.get(evidence.content_type, "bin")
    return Paper(evidence.title, evidence.number, evidence.dated, evidence.pages, suffix, read)


def _scan(document):
    def read():
        with document.receipt_scan.open("rb") as handle:
            return handle.read()

    suffix = SUFFIXES.get(document.receipt_scan_type, "bin")
    title = f"{document.get_kind_display()}送达回执（签收件）"
    return Paper(title, document.number, document.received_on, 1, suffix, read)


def _of_kinds(evidence, kinds):
    """The uploaded papers of these kinds, grouped by kind in the order given (询问笔录 before photos), each group
    by date."""
    chosen = [e for e in evidence if e.kind in kinds]
    chosen.sort(key=lambda e: (kinds.index(e.kind), e.dated, e.pk))
    return [_uploaded(e) for e in chosen]


def case_file(case):
    """The papers of the case in binding order, with their page numbers (the 卷内目录's rows)."""
    evidence = sorted(case.evidence.all(), key=lambda e: (e.dated, e.pk))
    papers = [_generated(PARTS["filing"], case.number, case.filed_on, filing_form(case))]
    papers += _of_kinds(evidence, FILING_KINDS)
    source = case.review_document
    if source is not None and has_builder(source.kind):
        od_bytes = document_docx(source).getvalue()
        papers.append(Paper(source.get_kind_display(), source.number, source.issued_on, 1, "docx", lambda: od_bytes))
    papers += _of_kinds(evidence, EVIDENCE_KINDS)
    if case.notice_id:
        od = part_document(case, "notice")
        papers.append(_generated(PARTS["notice"], case.notice.number, case.notice.issued_on, od))
    if case.statement_kind:
        papers.append(_generated(PARTS["statement"], "", case.statement_on, statement_form(case)))
    papers += _of_kinds(evidence, STATEMENT_KINDS)
    if case.decision_id:
        od = part_document(case, "decision")
        papers.append(_generated(PARTS["decision"], case.decision.number, case.decision.issued_on, od))
    if case.notice_id:
        last = case.decided_on or case.notified_on
        papers.append(_generated(PARTS["receipts"], "", last, receipts_form(case)))
        for document in (case.notice, case.decision):
            if document is not None and document.receipt_scan:
                papers.append(_scan(document))
    papers += _of_kinds(evidence, RECEIPT_KINDS)
    execution = part_document(case, "execution")
    if execution is not None:
        papers.append(_generated(PARTS["execution"], "", case.executed_on or case.decided_on, execution))
    papers += _of_kinds(evidence, EXECUTION_KINDS)
    if case.closed_on:
        papers.append(_generated(PARTS["closing"], "", case.closed_on, closing_form(case)))
    papers += _of_kinds(evidence, CLOSING_KINDS)
    page = 1
    for paper in papers:
        paper.start = page
        page += paper.pages
    return papers


INDEX_HEADER = ["序号", "文件名称", "文号", "日期", "页号"]


def index_rows(papers):
    return [
        [str(i), p.title, p.number, f"{p.dated:%Y-%m-%d}" if p.dated else "", p.page_range]
        for i, p in enumerate(papers, start=1)
    ]


def index_document(case, papers):
    """卷内目录: the case's heading, then one row per paper."""
    authority = _authority(case)
    od = new_official_document("卷内目录", issuer=authority)
    od.paragraph(case.number, lead="案号：")
    od.paragraph(case.cause, lead="案由：")
    od.paragraph(case.mine.name, lead="当事人：")
    od.paragraph(
        f"{chinese_date(case.filed_on)}至{chinese_date(case.closed_on) if case.closed_on else '今'}"
        f"（{case.get_stage_display()}），共{len(papers)}件{sum(p.pages for p in papers)}页",
        lead="办理期间：",
    )
    od.table(index_rows(papers), header=INDEX_HEADER, weights=[1, 6, 4, 3, 2])
    od.close(issuer="")
    return od


def case_file_zip(case):
    """The whole 案卷 as one .zip: 00-卷内目录.docx, then each paper as `序号-文件名称.ext`."""
    papers = case_file(case)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("00-卷内目录.docx", index_document(case, papers).save().getvalue())
        for number, paper in enumerate(papers, start=1):
            archive.writestr(f"{number:02d}-{safe_filename(paper.title)}.{paper.suffix}", paper.content())
    out.seek(0)
    return out
