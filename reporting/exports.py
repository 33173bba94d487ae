"""Reports out: a submitted version as .docx, the county workbook for one deadline, the quarterly statistics."""

import re
from operator import itemgetter

from django.utils import timezone

from core.documents import SIZE_TABLE_SMALL, chinese_date, new_official_document
from core.excel import ExportColumn, append_row, new_sheet, new_workbook, set_widths, styled_cell, write_ledger_xlsx

from .figures import FIGURE_LABELS

HAZARD_STATUS = {"closed": "已销号", "awaiting_acceptance": "待验收", "rectifying": "整改中", "open": "待整改"}
HAZARD_LIST_TITLE = "问题隐患清单和整改清单"
HAZARD_LIST_COLUMNS = [  # header, key in the frozen list, relative width
    # A date, a level, a state, a name and 序号 each fit their column on one line at 五号 (a narrower column broke
    # them into 2026-11-/02, 一/般, 已销/号); the free text columns share what is left.
    ("序号", None, 6),
    ("煤矿", "mine", 8),
    ("排查日期", "found_on", 11),
    ("隐患地点", "location", 8),
    ("隐患内容", "description", 16),
    ("等级", "level", 6),
    ("整改措施", "measures", 15),
    ("责任人", "responsible_person", 8),
    ("整改期限", "due_on", 11),
    ("状态", "status", 8),
    ("销号日期", "accepted_on", 11),
]


def _hazard_cell(row, key):
    value = row.get(key) or ""
    if key == "level":
        return "重大" if value == "major" else "一般"
    if key == "status":
        return HAZARD_STATUS.get(value, value)
    return value


def version_docx(context):
    """A submitted version as the report the organisation sends the bureau: title, 主送 the bureau, each part of
    the text under its heading, the ledger figures, the 附件 named, signed by the organisation on the day it was
    submitted; a self-check's frozen hazard list follows as 附件 on a landscape page."""
    submission, version = context["submission"], context["version"]
    organization = submission.organization
    submitted_at = version.submitted_at
    hazard_list = context.get("hazard_list")
    attachments = [HAZARD_LIST_TITLE] if hazard_list is not None else []
    attachments += [f.original_name for f in context.get("attachments") or []]
    document = new_official_document(
        f"{organization.name}{submission.deadline.name}",
        issuer=organization.name,
        date=submitted_at,
        addressee=submission.deadline.campaign.bureau.name,
    )
    for label, text in context["narrative"]:
        document.heading(label, 1)
        document.paragraphs(text)
    if context["figures"]:
        document.heading("主要数据（系统根据台账生成）", 1)
        document.table([*context["figures"], *context["manual"]], header=["项目", "数值"], weights=[3, 1])
    if context["four_no"]:
        document.heading("“四无”目标", 1)
        document.paragraph(
            "；".join(
                f"{row['goal']}：{'实现' if not row['value'] else '未实现（' + str(row['value']) + '）'}"
                for row in context["four_no"]
            )
            + "。"
        )
    document.attachments(attachments)
    submitted_by = version.submitted_by.display_name if version.submitted_by_id else ""
    local = timezone.localtime(submitted_at)
    document.close(
        note=f"第{version.number}版，{submitted_by + '于' if submitted_by else ''}"
        f"{chinese_date(local)}{local:%H:%M}通过系统报送"
    )
    if hazard_list is not None:
        document.attachment_page(1 if len(attachments) > 1 else None, HAZARD_LIST_TITLE, landscape=True)
        document.table(
            [
                [index, *(_hazard_cell(row, key) for _, key, _ in HAZARD_LIST_COLUMNS[1:])]
                for index, row in enumerate(hazard_list, start=1)
            ]
            or [["", "期间未排查出隐患"] + [""] * (len(HAZARD_LIST_COLUMNS) - 2)],
            header=[label for label, _, _ in HAZARD_LIST_COLUMNS],
            weights=[weight for _, _, weight in HAZARD_LIST_COLUMNS],
            size=SIZE_TABLE_SMALL,
        )
    return document.save()


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
                # to the second: Excel shows a datetime with its microseconds as text-like "…18:23:49.966000"
                timezone.localtime(r[1].submitted_at).replace(tzinfo=None, microsecond=0)
                if r[1] and r[1].submitted_at
                else None
            ),
            18,
        ),
        ExportColumn("逾期天数", lambda r: r[1].days_late if r[1] and r[1].late else None, 9),
        ExportColumn("版本数", lambda r: r[1].versions_submitted if r[1] else 0, 8),
        *[ExportColumn(FIGURE_LABELS[k], (lambda key: lambda r: figures(r[1]).get(key))(k), 12) for k in figure_keys],
    ]
    write_ledger_xlsx(
        title=f"{deadline.campaign.name} · {deadline.name} 汇总表",
        subtitle=f"截止日期：{deadline.due_on:%Y年%m月%d日}　导出时间：{timezone.localtime():%Y年%m月%d日 %H:%M}",
        columns=columns,
        rows=rows,
        sheet_name="汇总",
        workbook=wb,
    )
    for index, (org, sub) in enumerate(rows, start=1):
        ws = new_sheet(wb, _sheet_title(index, org.name))
        set_widths(ws, [30, 80])
        # A mine's narrative is its own text: written through append_row, so "=HYPERLINK(…)" stays text.
        append_row(ws, [styled_cell(ws, f"{org.name} · {deadline.name}", bold=True, size=13)])
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
    return write_ledger_xlsx(
        title=f"{year}年第{quarter}季度事故隐患排查治理情况统计分析表",
        subtitle="依据《安全生产事故隐患排查治理暂行规定》，于下一季度15日前报送",
        columns=columns,
        rows=rows,
        sheet_name=f"{year}Q{quarter}",
    )
