"""Reports out: a submitted version as .docx, the county workbook for one deadline, the quarterly statistics."""

import io
import re
from operator import itemgetter

from django.utils import timezone
from openpyxl.styles import Font

from core.excel import ExportColumn, append_row, new_workbook, styled_cell, write_xlsx

from .figures import FIGURE_LABELS


def version_docx(context):
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    submission, version = context["submission"], context["version"]
    doc = Document()
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(f"{submission.organization.name}{submission.deadline.name}")
    run.bold = True
    run.font.size = Pt(18)
    doc.add_paragraph(
        f"第{version.number}版 · 报送时间：{timezone.localtime(version.submitted_at):%Y年%m月%d日 %H:%M}"
    ).alignment = WD_ALIGN_PARAGRAPH.CENTER
    for label, text in context["narrative"]:
        doc.add_heading(label, level=2)
        for paragraph in (text or "—").splitlines():
            doc.add_paragraph(paragraph)
    if context["figures"]:
        doc.add_heading("主要数据（系统根据台账生成）", level=2)
        table = doc.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        for label, value in [*context["figures"], *context["manual"]]:
            cells = table.add_row().cells
            cells[0].text, cells[1].text = str(label), str(value)
    if context["four_no"]:
        doc.add_heading("“四无”目标", level=2)
        for row in context["four_no"]:
            doc.add_paragraph(f"{row['goal']}：{'实现' if not row['value'] else '未实现（' + str(row['value']) + '）'}")
    out = io.BytesIO()
    doc.save(out)
    out.seek(0)
    return out


SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _sheet_title(index, name):
    return f"{index}-{SHEET_FORBIDDEN.sub('', name)}"[:31]


def county_workbook(*, deadline, rows):
    """One overview sheet of every organisation's status and figures, then one sheet per organisation.

    `rows` are (organization, submission or None) for every organisation owing the deadline."""
    wb = new_workbook()
    figure_keys = list(FIGURE_LABELS)

    def figures(sub):
        return (sub.content.get("figures") or {}) if sub and sub.versions_submitted else {}

    columns = [
        ExportColumn("单位", lambda r: r[0].name, 28),
        ExportColumn("类型", lambda r: r[0].get_kind_display(), 10),
        ExportColumn("所属主体", lambda r: r[0].parent.name if r[0].kind == "mine" else "", 22),
        ExportColumn("状态", lambda r: r[1].get_status_display() if r[1] and r[1].versions_submitted else "未报送", 10),
        ExportColumn(
            "首次报送时间",
            lambda r: (
                timezone.localtime(r[1].submitted_at).replace(tzinfo=None) if r[1] and r[1].submitted_at else None
            ),
            18,
        ),
        ExportColumn("逾期天数", lambda r: r[1].days_late if r[1] and r[1].late else None, 9),
        ExportColumn("版本数", lambda r: r[1].versions_submitted if r[1] else 0, 8),
        *[ExportColumn(FIGURE_LABELS[k], (lambda key: lambda r: figures(r[1]).get(key))(k), 12) for k in figure_keys],
    ]
    write_xlsx(
        title=f"{deadline.campaign.name} · {deadline.name} 汇总表",
        subtitle=f"截止日期：{deadline.due_on:%Y年%m月%d日}　导出时间：{timezone.localtime():%Y年%m月%d日 %H:%M}",
        columns=columns,
        rows=rows,
        sheet_name="汇总",
        workbook=wb,
    )
    for index, (org, sub) in enumerate(rows, start=1):
        ws = wb.create_sheet(_sheet_title(index, org.name))
        ws.column_dimensions["A"].width = 30
        ws.column_dimensions["B"].width = 80
        # A mine's narrative is its own text: written through append_row, so "=HYPERLINK(…)" stays text.
        append_row(ws, [styled_cell(ws, f"{org.name} · {deadline.name}", font=Font(bold=True, size=13))])
        if not sub or not sub.versions_submitted:
            append_row(ws, ["状态", "未报送"])
            continue
        append_row(ws, ["状态", sub.get_status_display()])
        append_row(ws, ["版本", sub.versions_submitted])
        for key, value in (sub.content.get("narrative") or {}).items():
            append_row(ws, [key, value])
        for key, value in (sub.content.get("manual") or {}).items():
            append_row(ws, [{"deaths": "死亡人数", "injuries": "工伤人数"}.get(key, key), value])
        for key, value in figures(sub).items():
            if key in FIGURE_LABELS:
                append_row(ws, [FIGURE_LABELS[key], value])
    return wb


QUARTERLY_COLUMNS = [
    ("total", "排查隐患总数（项）"),
    ("general", "一般隐患（项）"),
    ("general_closed", "一般隐患已整改（项）"),
    ("general_rate", "一般隐患整改率（%）"),
    ("major", "重大隐患（项）"),
    ("major_closed", "重大隐患已整改（项）"),
    ("major_rate", "重大隐患整改率（%）"),
    ("major_open", "重大隐患未整改（项）"),
    ("major_funds", "重大隐患治理资金（元）"),
    ("listed", "挂牌督办（项）"),
]


def quarterly_workbook(*, rows, year, quarter):
    columns = [ExportColumn("煤矿", lambda r: r["mine__name"], 26)] + [
        ExportColumn(label, itemgetter(key), 12) for key, label in QUARTERLY_COLUMNS
    ]
    return write_xlsx(
        title=f"{year}年第{quarter}季度事故隐患排查治理情况统计分析表",
        subtitle="依据《安全生产事故隐患排查治理暂行规定》，于下一季度15日前报送",
        columns=columns,
        rows=rows,
        sheet_name=f"{year}Q{quarter}",
    )
