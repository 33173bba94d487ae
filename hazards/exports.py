"""The hazard ledger as the 台账 a county office expects; its headers are the ones the importer reads."""

from django.utils import timezone

from core.excel import ExportColumn, write_ledger_xlsx

from .models import HazardLevel, HazardSource, HazardSpecialty, HazardStatus, days_overdue
from .models.standard import citation

SOURCE = dict(HazardSource.choices)
SPECIALTY = dict(HazardSpecialty.choices)
STATUS = dict(HazardStatus.choices)

FIELDS = [
    "mine__name",
    "found_on",
    "source",
    "location",
    "description",
    "specialty",
    "level",
    "grade",
    "major_category__no",
    "major_category__name",
    "major_item__label",
    "major_item__text",
    "major_item__category__article",
    "major_item__category__standard__name",
    "measures",
    "responsible_unit",
    "responsible_person",
    "due_on",
    "funds",
    "contingency_plan",
    "status",
    "rectified_on",
    "accepted_by_name",
    "accepted_on",
    "note",
]


def _level(row):
    if row["level"] == HazardLevel.MAJOR:
        return "重大"
    return f"一般{row['grade']}级" if row["grade"] else "一般"


def _item_citation(row):
    """《煤矿重大事故隐患判定标准》第七条第（二）项 and the situation's text; blank without one (old rows, ordinary)."""
    if not row["major_item__label"]:
        return None
    cited = citation(
        standard_name=row["major_item__category__standard__name"],
        article=row["major_item__category__article"],
        label=row["major_item__label"],
    )
    return f"{cited} {row['major_item__text']}"


def _overdue_days(today):
    def days(row):
        return days_overdue(status=row["status"], due_on=row["due_on"], today=today) or None  # blank when not overdue

    return days


def ledger_columns(today):
    return [
        ExportColumn("煤矿", lambda r: r["mine__name"], 22),
        ExportColumn("排查日期", lambda r: r["found_on"], 12),
        ExportColumn("排查类型", lambda r: SOURCE.get(r["source"], r["source"]), 12),
        ExportColumn("隐患地点", lambda r: r["location"], 20),
        ExportColumn("隐患内容", lambda r: r["description"], 40),
        ExportColumn("专业", lambda r: SPECIALTY.get(r["specialty"], r["specialty"]), 8),
        ExportColumn("隐患等级", _level, 9),
        ExportColumn(
            "重大隐患类别",
            lambda r: f"{r['major_category__no']}. {r['major_category__name']}" if r["major_category__no"] else None,
            24,
            printed=False,  # the print view is narrower than a sheet: 等级 says 重大, the page has the category
        ),
        ExportColumn("重大隐患情形", _item_citation, 40, printed=False),
        ExportColumn("整改措施", lambda r: r["measures"], 36),
        ExportColumn("整改责任单位", lambda r: r["responsible_unit"], 14),
        ExportColumn("整改责任人", lambda r: r["responsible_person"], 10),
        ExportColumn("整改期限", lambda r: r["due_on"], 12),
        ExportColumn("整改资金（元）", lambda r: r["funds"], 12),
        ExportColumn("应急预案", lambda r: r["contingency_plan"], 24, printed=False),
        ExportColumn("状态", lambda r: STATUS.get(r["status"], r["status"]), 9),
        ExportColumn("整改完成日期", lambda r: r["rectified_on"], 12, printed=False),
        ExportColumn("验收人", lambda r: r["accepted_by_name"], 10),
        ExportColumn("销号日期", lambda r: r["accepted_on"], 12),
        ExportColumn("逾期天数", _overdue_days(today), 9),
        ExportColumn("备注", lambda r: r["note"], 20),
    ]


def ledger_rows(queryset):
    """The ledger's rows as its columns read them, in its order: one query, for the export and the print view."""
    return queryset.order_by("mine__name", "found_on", "id").values(*FIELDS)


def hazard_ledger_workbook(queryset, *, title):
    """Stream the rows with one query (values + iterator): no per-row queries, bounded memory."""
    today = timezone.localdate()
    rows = ledger_rows(queryset).iterator(chunk_size=2000)
    subtitle = f"导出时间：{timezone.localtime():%Y年%m月%d日 %H:%M}"
    return write_ledger_xlsx(
        title=title, subtitle=subtitle, columns=ledger_columns(today), rows=rows, sheet_name="隐患台账"
    )


def listed_columns():
    return [
        ExportColumn("煤矿", lambda x: x.hazard.mine.name, 22),
        ExportColumn("挂牌日期", lambda x: x.listed_on, 12),
        ExportColumn("督办单位", lambda x: x.supervising_unit, 16),
        ExportColumn("隐患地点", lambda x: x.hazard.location, 20),
        ExportColumn("隐患内容", lambda x: x.hazard.description, 40),
        ExportColumn(
            "重大隐患类别", lambda x: str(x.hazard.major_category) if x.hazard.major_category_id else None, 24
        ),
        ExportColumn(
            "重大隐患情形",
            lambda x: f"{x.hazard.major_item.citation} {x.hazard.major_item.text}" if x.hazard.major_item_id else None,
            40,
        ),
        ExportColumn("整改责任人", lambda x: x.hazard.responsible_person, 10),
        ExportColumn("整改期限", lambda x: x.hazard.due_on, 12),
        ExportColumn("状态", lambda x: x.hazard.get_status_display(), 9),
        ExportColumn("挂牌状态", lambda x: x.get_status_display(), 9),
        ExportColumn("摘牌日期", lambda x: x.delisted_on, 12),
        ExportColumn("公开日期", lambda x: x.published_on, 12),
        ExportColumn("公告内容", lambda x: x.notice_text, 40),
    ]


def listed_hazards_workbook(listings, *, title):
    rows = listings.iterator(chunk_size=500)
    return write_ledger_xlsx(title=title, columns=listed_columns(), rows=rows, sheet_name="挂牌督办")
