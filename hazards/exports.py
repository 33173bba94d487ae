"""The hazard ledger as the 台账 a county office expects; its headers are the ones the importer reads."""

from operator import itemgetter

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


#: where each field sits in a row of `ledger_rows` (tuples: no dict a row, the export reads 100,000 of them)
AT = {name: index for index, name in enumerate(FIELDS)}


def _field(name):
    return itemgetter(AT[name])


def _label(name, labels):
    at = AT[name]
    return lambda r: labels.get(r[at], r[at])


_LEVEL, _GRADE = AT["level"], AT["grade"]
_CATEGORY_NO, _CATEGORY_NAME = AT["major_category__no"], AT["major_category__name"]
_ITEM_LABEL, _ITEM_TEXT = AT["major_item__label"], AT["major_item__text"]
_ARTICLE, _STANDARD = AT["major_item__category__article"], AT["major_item__category__standard__name"]
_STATUS, _DUE_ON = AT["status"], AT["due_on"]


def _level(row):
    if row[_LEVEL] == HazardLevel.MAJOR:
        return "重大"
    return f"一般{row[_GRADE]}级" if row[_GRADE] else "一般"


def _item_citation(row):
    """《煤矿重大事故隐患判定标准》第七条第（二）项 and the situation's text; blank without one (old rows, ordinary)."""
    if not row[_ITEM_LABEL]:
        return None
    cited = citation(standard_name=row[_STANDARD], article=row[_ARTICLE], label=row[_ITEM_LABEL])
    return f"{cited} {row[_ITEM_TEXT]}"


def _overdue_days(today):
    def days(row):
        # blank when not overdue
        return days_overdue(status=row[_STATUS], due_on=row[_DUE_ON], today=today) or None

    return days


def ledger_columns(today):
    """The ledger's columns over the rows of `ledger_rows` (tuples in FIELDS order)."""
    return [
        ExportColumn("煤矿", _field("mine__name"), 22),
        ExportColumn("排查日期", _field("found_on"), 12, dates=True),
        ExportColumn("排查类型", _label("source", SOURCE), 12),
        ExportColumn("隐患地点", _field("location"), 20),
        ExportColumn("隐患内容", _field("description"), 40),
        ExportColumn("专业", _label("specialty", SPECIALTY), 8),
        ExportColumn("隐患等级", _level, 9),
        ExportColumn(
            "重大隐患类别",
            lambda r: f"{r[_CATEGORY_NO]}. {r[_CATEGORY_NAME]}" if r[_CATEGORY_NO] else None,
            24,
            printed=False,  # the print view is narrower than a sheet: 等级 says 重大, the page has the category
        ),
        ExportColumn("重大隐患情形", _item_citation, 40, printed=False),
        ExportColumn("整改措施", _field("measures"), 36),
        ExportColumn("整改责任单位", _field("responsible_unit"), 14),
        ExportColumn("整改责任人", _field("responsible_person"), 10),
        ExportColumn("整改期限", _field("due_on"), 12, dates=True),
        ExportColumn("整改资金（元）", _field("funds"), 12),
        ExportColumn("应急预案", _field("contingency_plan"), 24, printed=False),
        ExportColumn("状态", _label("status", STATUS), 9),
        ExportColumn("整改完成日期", _field("rectified_on"), 12, printed=False, dates=True),
        ExportColumn("验收人", _field("accepted_by_name"), 10),
        ExportColumn("销号日期", _field("accepted_on"), 12, dates=True),
        ExportColumn("逾期天数", _overdue_days(today), 9),
        ExportColumn("备注", _field("note"), 20),
    ]


def ledger_rows(queryset):
    """The ledger's rows as its columns read them (tuples in FIELDS order), in its order: one query, for the export
    and the print view."""
    return queryset.order_by("mine__name", "found_on", "id").values_list(*FIELDS)


def hazard_ledger_workbook(queryset, *, title):
    """Stream the rows with one query (values_list + iterator): no per-row queries, bounded memory."""
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
