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
        return (sub.content.get("figures") or {}) if sub and sub.version else {}

    columns = [
        ExportColumn("单位", lambda r: r[0].name, 28),
        ExportColumn("类型", lambda r: r[0].get_kind_display(), 10),
        ExportColumn("所属主体", lambda r: r[0].parent.name if r[0].kind == "mine" else "", 22),
        ExportColumn("状态", lambda r: r[1].get_status_display() if r[1] and r[1].version else "未报送", 10),
        ExportColumn(
            "首次报送时间",
            lambda r: (
                timezone.localtime(r[1].submitted_at).replace(tzinfo=None) if r[1] and r[1].submitted_at else None
            ),
            18,
        ),
        ExportColumn("逾期天数", lambda r: r[1].days_late if r[1] and r[1].late else None, 9),
        ExportColumn("版本数", lambda r: r[1].version if r[1] else 0, 8),
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
        if not sub or not sub.version:
            append_row(ws, ["状态", "未报送"])
            continue
        append_row(ws, ["状态", sub.get_status_display()])
        append_row(ws, ["版本", sub.version])
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


def dashboard_workbook(*, dashboard_figures, chart_figures, title):
    """Every table of the dashboard and the charts, one sheet each (the charts' only when there is a campaign)."""
    d, c = dashboard_figures, chart_figures
    wb = write_xlsx(
        title=f"{title} · 隐患",
        sheet_name="隐患",
        columns=[ExportColumn("项目", lambda r: r[0], 20), ExportColumn("数量", lambda r: r[1], 10)],
        rows=[
            ("隐患总数", d["hazards"]["total"]),
            ("待整改", d["hazards"]["open"]),
            ("整改中", d["hazards"]["rectifying"]),
            ("待验收", d["hazards"]["awaiting_acceptance"]),
            ("已销号", d["hazards"]["closed"]),
            ("一般隐患", d["hazards"]["general"]),
            ("重大隐患", d["hazards"]["major"]),
            ("未销号重大隐患", d["hazards"]["major_open"]),
            ("逾期未整改", d["hazards"]["overdue"]),
            *[(f"专业：{s['label']}", s["count"]) for s in d["hazards_by_specialty"]],
        ],
    )
    controls = d["controls"]
    write_xlsx(
        workbook=wb,
        title=f"特殊时段管控与持证上岗（近 {controls['days']} 天）",
        sheet_name="特殊时段管控",
        columns=[ExportColumn("项目", lambda r: r[0], 28), ExportColumn("数量", lambda r: r[1], 10)],
        rows=[
            ("出入井超10小时（人次）", controls["over_underground"]),
            ("工作面超8小时（人次）", controls["over_face"]),
            ("超时下井合计（人次）", controls["over_time"]),
            ("调度交接班提前不足2小时（次）", controls["late_handovers"]),
            ("在岗人员证书已过期（本）", controls["certificates_expired"]),
            ("证书30天内到期（本）", controls["certificates_expiring"]),
            ("屡违人员帮教未完成（人）", controls["repeat_offenders_open"]),
        ],
    )
    write_xlsx(
        workbook=wb,
        title="停产整顿煤矿",
        sheet_name="停产整顿",
        columns=[
            ExportColumn("煤矿", lambda m: m.name, 28),
            ExportColumn("主体企业", lambda m: m.parent.name, 24),
            ExportColumn("未销号重大隐患", lambda m: m.major_open, 14),
        ],
        rows=d["suspended_mines"],
    )
    write_xlsx(
        workbook=wb,
        title="煤矿风险排名",
        sheet_name="风险排名",
        columns=[
            ExportColumn("煤矿", lambda r: r["mine"].name, 28),
            ExportColumn("风险分", lambda r: r["score"], 10),
            ExportColumn("未销号重大隐患", lambda r: r["major_open"], 14),
            ExportColumn("逾期隐患", lambda r: r["overdue"], 10),
            ExportColumn("未销号一般隐患", lambda r: r["open"], 14),
            ExportColumn("严重三违", lambda r: r["serious_violations"], 10),
            ExportColumn("逾期或未报送", lambda r: r["late_or_missing"], 12),
        ],
        rows=d["ranking"],
    )
    write_xlsx(
        workbook=wb,
        title="自查不实（检查发现、自查未列出的隐患）",
        sheet_name="自查不实",
        columns=[
            ExportColumn("煤矿", lambda g: g["mine__name"], 28),
            ExportColumn("主体企业", lambda g: g["mine__parent__name"], 24),
            ExportColumn("自查未列出", lambda g: g["missed"], 12),
            ExportColumn("其中重大", lambda g: g["missed_major"], 10),
        ],
        rows=d["self_check_gaps"],
    )
    if c:
        write_xlsx(
            workbook=wb,
            title="各主体隐患整改情况",
            sheet_name="各主体整改率",
            columns=[
                ExportColumn("主体企业", lambda r: r["enterprise"], 28),
                ExportColumn("隐患", lambda r: r["total"], 8),
                ExportColumn("已销号", lambda r: r["closed"], 8),
                ExportColumn("整改率（%）", lambda r: r["rate"], 10),
                ExportColumn("逾期", lambda r: r["overdue"], 8),
            ],
            rows=c["by_enterprise"],
        )
        write_xlsx(
            workbook=wb,
            title="按期报送情况",
            sheet_name="按期报送",
            columns=[
                ExportColumn("报送事项", lambda r: r["deadline"], 24),
                ExportColumn("应报", lambda r: r["owed"], 8),
                ExportColumn("按期", lambda r: r["on_time"], 8),
                ExportColumn("逾期", lambda r: r["late"], 8),
                ExportColumn("未报", lambda r: r["missing"], 8),
                ExportColumn("按期率（%）", lambda r: r["rate"], 10),
            ],
            rows=c["on_time"],
        )
        write_xlsx(
            workbook=wb,
            title="任务落实完成度",
            sheet_name="任务落实",
            columns=[
                ExportColumn("部分", lambda r: r["section"], 30),
                ExportColumn("应落实", lambda r: r["owed"], 10),
                ExportColumn("已完成", lambda r: r["finished"], 10),
                ExportColumn("完成率（%）", lambda r: r["rate"], 10),
            ],
            rows=c["progress_by_section"],
        )
        write_xlsx(
            workbook=wb,
            title="“四无”目标",
            sheet_name="四无目标",
            columns=[
                ExportColumn("煤矿", lambda r: r["mine"], 28),
                ExportColumn("是否实现", lambda r: "实现" if r["met"] else "未实现", 10),
                ExportColumn("原因", lambda r: r["reasons"], 40),
            ],
            rows=c["four_no"],
        )
    return wb
