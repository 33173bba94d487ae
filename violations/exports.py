"""The 三违 ledger and the red-line lists as .xlsx, the bulletin as .docx. Headers are the importer's."""

import re

from django.utils import timezone

from core.documents import agency_code, chinese_date, document_number, new_official_document, normalized_number
from core.excel import ExportColumn, write_ledger_xlsx

from .models import Bulletin, FoundBy, Severity, Shift, ViolationType

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
        ExportColumn("日期", lambda r: r["occurred_on"], 12, dates=True),
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
        ExportColumn("倒查完成日期", lambda r: r["backtracks_completed_on"], 12, dates=True),
        ExportColumn("备注", lambda r: r["note"], 20),
    ]


def ledger_rows(queryset):
    """The ledger's rows as its columns read them, in its order: one query, for the export and the print view."""
    return queryset.order_by("mine__name", "occurred_on", "id").values(*FIELDS)


def violation_ledger_workbook(queryset, *, title):
    rows = ledger_rows(queryset).iterator(chunk_size=2000)
    subtitle = f"导出时间：{timezone.localtime():%Y年%m月%d日 %H:%M}"
    return write_ledger_xlsx(title=title, subtitle=subtitle, columns=ledger_columns(), rows=rows, sheet_name="三违台账")


def red_line_workbook(red_line_list):
    columns = [
        ExportColumn("层级", lambda i: i.level, 10),
        ExportColumn("岗位", lambda i: i.post, 14),
        ExportColumn("行为", lambda i: i.content, 50),
        ExportColumn("处理措施", lambda i: i.consequence, 40),
    ]
    title = f"{red_line_list.mine.name}{red_line_list.title}（第{red_line_list.version}版）"
    subtitle = f"生效日期：{red_line_list.effective_on:%Y年%m月%d日}"
    # The items in their order: the 序号 the ledger sheet numbers them with is theirs.
    return write_ledger_xlsx(
        title=title, subtitle=subtitle, columns=columns, rows=red_line_list.items.order_by("order"), sheet_name="清单"
    )


BULLETIN_ADDRESSEE = "各煤矿主体企业、各煤矿"


def bulletin_number(bulletin):
    """The bulletin's 发文字号: the one typed as 期号 when it is one (阳应急〔2026〕3号, brackets put right);
    otherwise the bureau's 代字, the year of issue and the 期号's number (第3期 → 阳应急〔2026〕3号), or, without a
    number, the bulletin's place among the bureau's bulletins of that year."""
    typed = normalized_number(bulletin.issue_no)
    if typed:
        return typed
    issued = timezone.localtime(bulletin.published_at).date() if bulletin.published_at else timezone.localdate()
    digits = re.search(r"\d+", bulletin.issue_no or "")
    if digits:
        sequence = int(digits[0])
    else:
        sequence = Bulletin.objects.filter(
            bureau_id=bulletin.bureau_id, created_at__year=bulletin.created_at.year, pk__lte=bulletin.pk
        ).count()
    return document_number(agency_code(bulletin.bureau.name), issued.year, sequence)


def case_text(case):
    """One typical case as the bulletin tells it: when, who (unit, team, post, name), where, what, and the outcome."""
    shift = case.get_shift_display() if case.shift else ""
    return (
        f"{chinese_date(case.occurred_on)}{shift}，{case.unit_and_team}{case.post}{case.person_name}"
        f"在{case.location}{case.description.rstrip('。')}，属{case.get_severity_display()}{case.get_type_display()}。"
        f"处理情况：{(case.penalty_note or '—').rstrip('。')}。"
    )


def bulletin_docx(bulletin):
    """The bulletin as the bureau issues it: 版头 with its 发文字号, title, 主送, text, the cases, signature."""
    bureau = bulletin.bureau.name
    issued = bulletin.published_at or timezone.now()
    document = new_official_document(
        bulletin.title,
        number=bulletin_number(bulletin),
        issuer=bureau,
        date=issued,
        addressee=BULLETIN_ADDRESSEE,
        mark=f"{bureau}文件",
    )
    document.paragraphs(bulletin.body, empty="")
    cases = list(bulletin.cases.all())
    if cases:
        document.heading("典型“三违”案例", 1)
        for case in cases:
            document.heading(case.mine.name, 2, numbered=True)
            document.paragraph(case_text(case))
    document.close(note="" if bulletin.is_published else "草稿，尚未发布")
    return document.save()
