"""The positioning records and the roster as .xlsx, in write-only mode. Headers are the importers', so an export
can be corrected in Excel and imported again."""

from django.utils import timezone

from campaign.figures import DEFAULTS, FACE_HOURS, UNDERGROUND_HOURS
from core.excel import ExportColumn, write_ledger_xlsx

from .models import Employment, PersonRole, PositioningRecord, UnitKind

ROLE = dict(PersonRole.choices)
EMPLOYMENT = dict(Employment.choices)


def _local(moment):
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def _duration(minutes):
    return PositioningRecord.hours(minutes) if minutes is not None else ""


def positioning_columns(figures=DEFAULTS):
    over_underground = f"出入井超{figures[UNDERGROUND_HOURS]}小时"
    over_face = f"工作面超{figures[FACE_HOURS]}小时"
    return [
        ExportColumn("煤矿", lambda r: r["mine__name"], 22),
        ExportColumn("姓名", lambda r: r["person_name"], 10),
        ExportColumn("卡号", lambda r: r["card_no"], 10),
        ExportColumn("班组", lambda r: r["team"], 14),
        ExportColumn("下井时间", lambda r: _local(r["entered_at"]), 18),
        ExportColumn("升井时间", lambda r: _local(r["exited_at"]), 18),
        ExportColumn("井下时长", lambda r: _duration(r["underground_minutes"]), 12),
        ExportColumn("工作面时长", lambda r: _duration(r["face_minutes"]), 12),
        ExportColumn(
            "超时情况",
            lambda r: "、".join(
                text for flag, text in ((r["over_underground"], over_underground), (r["over_face"], over_face)) if flag
            ),
            22,
        ),
    ]


def positioning_rows(queryset):
    """The records as the columns read them, in the export's order: one query, for the export and the print view."""
    return queryset.order_by("mine__name", "entered_at", "id").values(
        "mine__name",
        "person_name",
        "card_no",
        "team",
        "entered_at",
        "exited_at",
        "underground_minutes",
        "face_minutes",
        "over_underground",
        "over_face",
    )


def positioning_workbook(queryset, *, title, figures=DEFAULTS):
    rows = positioning_rows(queryset).iterator(chunk_size=2000)
    subtitle = f"导出时间：{timezone.localtime():%Y年%m月%d日 %H:%M}"
    return write_ledger_xlsx(
        title=title, subtitle=subtitle, columns=positioning_columns(figures), rows=rows, sheet_name="下井记录"
    )


def _workshop(r):
    return r["unit__workshop__name"] if r["unit__kind"] == UnitKind.TEAM else r["unit__name"]


def roster_columns():
    return [
        ExportColumn("煤矿", lambda r: r["mine__name"], 22),
        ExportColumn("姓名", lambda r: r["name"], 10),
        ExportColumn("工号", lambda r: r["employee_no"], 10),
        ExportColumn("人员类别", lambda r: ROLE.get(r["role"], r["role"]), 10),
        ExportColumn("岗位（工种）", lambda r: r["post"], 14),
        ExportColumn("车间（科队）", _workshop, 14),
        ExportColumn("班组", lambda r: r["unit__name"] if r["unit__kind"] == UnitKind.TEAM else "", 14),
        ExportColumn("用工形式", lambda r: EMPLOYMENT.get(r["employment"], r["employment"]), 14),
        ExportColumn("外包/派遣单位", lambda r: r["employer"], 22),
        ExportColumn("在岗", lambda r: "在岗" if r["is_active"] else "不在岗", 8),
    ]


def roster_rows(queryset):
    """The roster as the columns read it, in the export's order: one query, for the export and the print view."""
    return queryset.order_by("mine__name", "role", "name", "id").values(
        "mine__name",
        "name",
        "employee_no",
        "role",
        "post",
        "unit__kind",
        "unit__name",
        "unit__workshop__name",
        "employment",
        "employer",
        "is_active",
    )


def roster_workbook(queryset, *, title):
    rows = roster_rows(queryset).iterator(chunk_size=2000)
    subtitle = f"导出时间：{timezone.localtime():%Y年%m月%d日 %H:%M}"
    return write_ledger_xlsx(title=title, subtitle=subtitle, columns=roster_columns(), rows=rows, sheet_name="人员名册")
