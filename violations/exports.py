"""The 三违 ledger and the red-line lists as .xlsx, the bulletin as .docx. Headers are the importer's."""

import io

from django.utils import timezone

from core.excel import ExportColumn, write_xlsx

from .models import FoundBy, Severity, Shift, ViolationType

TYPE = dict(ViolationType.choices)
SEVERITY = dict(Severity.choices)
SHIFT = dict(Shift.choices)
FOUND_BY = dict(FoundBy.choices)

FIELDS = [
    "mine__name",
    "occurred_on",
    "occurred_time",
    "shift",
    "person_name",
    "post",
    "department",
    "team",
    "location",
    "description",
    "type",
    "severity",
    "found_by",
    "found_by_name",
    "penalty_note",
    "mentoring",
    "typical",
    "backtracks_completed_on",
    "note",
]


def ledger_columns():
    return [
        ExportColumn("煤矿", lambda r: r["mine__name"], 22),
        ExportColumn("日期", lambda r: r["occurred_on"], 12),
        ExportColumn("违章时间", lambda r: r["occurred_time"].strftime("%H:%M") if r["occurred_time"] else None, 9),
        ExportColumn("班次", lambda r: SHIFT.get(r["shift"], ""), 8),
        ExportColumn("姓名", lambda r: r["person_name"], 10),
        ExportColumn("工种", lambda r: r["post"], 12),
        ExportColumn("所在单位", lambda r: r["department"], 12),
        ExportColumn("班组", lambda r: r["team"], 14),
        ExportColumn("违章地点", lambda r: r["location"], 18),
        ExportColumn("违章行为", lambda r: r["description"], 40),
        ExportColumn("三违类别", lambda r: TYPE.get(r["type"], r["type"]), 12),
        ExportColumn("性质", lambda r: SEVERITY.get(r["severity"], r["severity"]), 7),
        ExportColumn("查处方", lambda r: FOUND_BY.get(r["found_by"], r["found_by"]), 12),
        ExportColumn("查处人", lambda r: r["found_by_name"], 14),
        ExportColumn("处罚情况", lambda r: r["penalty_note"], 24),
        ExportColumn("帮教情况", lambda r: r["mentoring"], 14),
        ExportColumn("典型案例", lambda r: "是" if r["typical"] else "", 8),
        ExportColumn("倒查完成日期", lambda r: r["backtracks_completed_on"], 12),
        ExportColumn("备注", lambda r: r["note"], 20),
    ]


def violation_ledger_workbook(queryset, *, title):
    rows = queryset.order_by("mine__name", "occurred_on", "id").values(*FIELDS).iterator(chunk_size=2000)
    subtitle = f"导出时间：{timezone.localtime():%Y年%m月%d日 %H:%M}"
    return write_xlsx(title=title, subtitle=subtitle, columns=ledger_columns(), rows=rows, sheet_name="三违台账")


def red_line_workbook(red_line_list):
    columns = [
        ExportColumn("序号", lambda i: i.order, 6),
        ExportColumn("层级", lambda i: i.level, 10),
        ExportColumn("岗位", lambda i: i.post, 14),
        ExportColumn("行为", lambda i: i.content, 50),
        ExportColumn("处理措施", lambda i: i.consequence, 40),
    ]
    title = f"{red_line_list.mine.name}{red_line_list.title}（第{red_line_list.version}版）"
    subtitle = f"生效日期：{red_line_list.effective_on:%Y年%m月%d日}"
    return write_xlsx(
        title=title, subtitle=subtitle, columns=columns, rows=red_line_list.items.all(), sheet_name="清单"
    )


def bulletin_docx(bulletin):
    """The bulletin as a Word document, laid out as a county office prints it."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "仿宋"
    style.font.size = Pt(14)
    style.element.rPr.rFonts.set("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia", "仿宋")

    heading = doc.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = heading.add_run(bulletin.title)
    run.bold = True
    run.font.size = Pt(20)
    if bulletin.issue_no:
        doc.add_paragraph(bulletin.issue_no).alignment = WD_ALIGN_PARAGRAPH.CENTER
    for paragraph in bulletin.body.splitlines():
        if paragraph.strip():
            doc.add_paragraph(paragraph.strip())
    doc.add_paragraph().add_run("典型“三违”案例").bold = True
    for index, case in enumerate(bulletin.cases.all(), start=1):
        p = doc.add_paragraph()
        p.add_run(f"案例{index}：{case.mine.name}").bold = True
        doc.add_paragraph(
            f"{case.occurred_on:%Y年%m月%d日}{case.get_shift_display() if case.shift else ''}，"
            f"{case.department}{case.team}{case.post}{case.person_name}在{case.location}{case.description}，"
            f"属{case.get_severity_display()}{case.get_type_display()}。处理情况：{case.penalty_note or '—'}。"
        )
    sign = doc.add_paragraph(bulletin.bureau.name)
    sign.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    when = bulletin.published_at or timezone.now()
    dated = doc.add_paragraph(f"{timezone.localtime(when):%Y年%m月%d日}")
    dated.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    out = io.BytesIO()
    doc.save(out)
    out.seek(0)
    return out
