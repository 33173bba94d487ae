"""The accident register as .xlsx. Headers are the importer's, so an export imports back."""

from django.utils import timezone

from core.excel import ExportColumn, write_ledger_xlsx

from .models import AccidentKind
from .rules import InvestigationLevel

KIND = dict(AccidentKind.choices)
LEVEL = dict(InvestigationLevel.choices)

FIELDS = [
    "mine__name",
    "occurred_at",
    "place",
    "kind",
    "deaths",
    "serious_injuries",
    "minor_injuries",
    "direct_loss",
    "description",
    "reporter_name",
    "reported_at",
    "late",
    "found_by_bureau",
    "investigation__lead_level",
    "investigation__status",
]


def _local(value):
    # Excel keeps no time zone: the bureau's local time, as people read it.
    return timezone.localtime(value).replace(tzinfo=None) if value else None


def ledger_columns():
    return [
        ExportColumn("煤矿", lambda r: r["mine__name"], 20),
        ExportColumn("发生时间", lambda r: _local(r["occurred_at"]), 17),
        ExportColumn("发生地点", lambda r: r["place"], 18),
        ExportColumn("事故类别", lambda r: KIND.get(r["kind"], r["kind"]), 9),
        ExportColumn("死亡", lambda r: r["deaths"], 6),
        ExportColumn("重伤", lambda r: r["serious_injuries"], 6),
        ExportColumn("轻伤", lambda r: r["minor_injuries"], 6),
        ExportColumn("直接经济损失（元）", lambda r: r["direct_loss"], 14),
        ExportColumn("事故经过", lambda r: r["description"], 40),
        ExportColumn("报告人", lambda r: r["reporter_name"], 10),
        ExportColumn("报告县局时间", lambda r: _local(r["reported_at"]), 17),
        ExportColumn("迟报", lambda r: "迟报" if r["late"] else "", 6),
        ExportColumn("县局发现", lambda r: "是" if r["found_by_bureau"] else "", 8),
        ExportColumn(
            "提级调查",
            lambda r: (
                (
                    f"{LEVEL.get(r['investigation__lead_level'], '')}牵头，"
                    f"{'已结案' if r['investigation__status'] == 'closed' else '调查中'}"
                )
                if r["investigation__lead_level"]
                else ""
            ),
            16,
        ),
    ]


def ledger_rows(queryset):
    return queryset.order_by("mine__name", "occurred_at", "id").values(*FIELDS)


def accident_ledger_workbook(queryset, *, title):
    rows = ledger_rows(queryset).iterator(chunk_size=2000)
    subtitle = f"导出时间：{timezone.localtime():%Y年%m月%d日 %H:%M}"
    return write_ledger_xlsx(title=title, subtitle=subtitle, columns=ledger_columns(), rows=rows, sheet_name="事故台账")
