"""Import of the 人员定位系统's export of trips underground (CSV or .xlsx, as each vendor's system writes it).

Columns are found by name (姓名, 卡号, 班组/部门, 下井时间, 升井时间, 工作面时长 and their usual variants); the time
underground is computed from the two times, not taken from the file; a 升井时间 written as a bare time belongs to
the day of the 下井时间, or the next day when it is earlier (a shift across midnight)."""

import datetime as dt
import hashlib
import math
import re
import zoneinfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from campaign.figures import FACE_HOURS, UNDERGROUND_HOURS, figures_of
from campaign.membership import campaign_of_record, campaigns_touched, running_campaigns
from campaign.models import RecordEvidence
from core.errors import NotPermitted
from core.excel import ImportColumn, RowError, parse_date, parse_text
from core.ledger_import import LedgerSpec, batch_for, campaign_warning, import_ledger, undo_batch
from core.models import LedgerKind

from ..models import PositioningRecord
from ..permissions import can_keep_records
from ..progress import records_progress_refresh

MOMENT_PATTERN = re.compile(
    r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?[\sT]+(\d{1,2})[:：时](\d{1,2})分?(?:[:：](\d{1,2})秒?)?$"
)
TIME_PATTERN = re.compile(r"^(\d{1,2})[:：时](\d{1,2})分?(?:[:：](\d{1,2})秒?)?$")
CLOCK_DURATION = re.compile(r"^(\d{1,2}):(\d{1,2})(?::(\d{1,2}))?$")  # 7:45, 07:45:00
WORDED_DURATION = re.compile(  # 7小时45分, 465分钟, 7.5小时, 7h45m
    r"^(?:(\d+(?:\.\d+)?)\s*(?:小时|时|h|H))?\s*(?:(\d+)\s*(?:分钟|分|min|m|M))?(?:\s*\d+\s*秒)?$"
)
MAX_DAY_MINUTES = 24 * 60


def parse_moment(value):
    """A date and time, or only a time (joined to a date later). Excel values, or text as vendors write it."""
    if isinstance(value, dt.datetime):
        return value.replace(second=0, microsecond=0)
    if isinstance(value, dt.time):
        return value.replace(second=0, microsecond=0)
    if isinstance(value, int | float):
        if 0 <= value < 1:  # a time of day left as Excel's fraction
            minutes = round(value * MAX_DAY_MINUTES)
            return dt.time(minutes // 60 % 24, minutes % 60)
        if 20000 < value < 80000:  # an Excel serial date-time left as a number
            moment = dt.datetime(1899, 12, 30) + dt.timedelta(days=value)
            return (moment + dt.timedelta(seconds=30)).replace(second=0, microsecond=0)
    text = str(value).strip()
    m = MOMENT_PATTERN.match(text)
    if m:
        try:
            return dt.datetime(int(m[1]), int(m[2]), int(m[3]), int(m[4]), int(m[5]))
        except ValueError:
            raise ValueError(f"“{text}”不是有效时间：日期或时刻不存在。") from None
    m = TIME_PATTERN.match(text)
    if m and int(m[1]) < 24 and int(m[2]) < 60:
        return dt.time(int(m[1]), int(m[2]))
    raise ValueError(f"“{text}”不是有效时间，请写成 2024-11-12 23:40 或 23:40。")


def parse_duration(value):
    """Minutes, from 7:45, 07:45:00, 7小时45分, 465分钟, 7.5小时 or a bare number (up to 24: hours; above: minutes)."""
    if isinstance(value, dt.timedelta):
        return round(value.total_seconds() / 60)
    if isinstance(value, dt.time):
        return value.hour * 60 + value.minute
    if isinstance(value, int | float):
        if isinstance(value, float) and 0 < value < 1:  # a cell formatted as a time: Excel's fraction of a day
            return round(value * MAX_DAY_MINUTES)
        return _number_minutes(value)
    text = str(value).strip().replace(" ", "")
    m = CLOCK_DURATION.match(text)
    if m:
        return int(m[1]) * 60 + int(m[2])
    m = WORDED_DURATION.match(text)
    if m and (m[1] or m[2]):
        return round(float(m[1] or 0) * 60) + int(m[2] or 0)
    try:
        number = float(text)
    except ValueError:
        number = math.nan
    if not math.isfinite(number):
        raise ValueError(f"“{value}”不是有效时长，请写成 7:45、7小时45分 或 465分钟。")
    return _number_minutes(number)  # written as text, 0.5 is half an hour, not half a day


def _number_minutes(number):
    if not math.isfinite(number):
        raise ValueError("时长不是有效数字。")
    if number < 0:
        raise ValueError("时长不能为负数。")
    return round(number * 60) if number <= 24 else round(number)


def positioning_columns():
    return [
        ImportColumn("person_name", ("姓名", "人员姓名", "员工姓名", "人员"), parse_text(40), required=True),
        ImportColumn("card_no", ("卡号", "定位卡号", "标识卡号", "识别卡号", "人员卡号", "标识卡"), parse_text(30)),
        ImportColumn("team", ("班组", "部门", "区队", "所属部门", "工作单位", "单位", "队组"), parse_text(60)),
        ImportColumn("day", ("日期", "考勤日期", "下井日期", "班次日期"), parse_date),
        ImportColumn("entered_at", ("下井时间", "入井时间", "入井时刻", "下井时刻"), parse_moment, required=True),
        ImportColumn("exited_at", ("升井时间", "出井时间", "出井时刻", "升井时刻"), parse_moment, required=True),
        ImportColumn(
            "face_minutes",
            ("工作面时长", "工作面停留时长", "工作面作业时长", "工作面时间", "在工作面时长", "工作面有效作业时长"),
            parse_duration,
        ),
    ]


def _aware(moment):
    return moment.replace(tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE))


def _check_row(number, values, headers, errors):
    """Join dates and times, compute the time underground, and refuse what cannot be a trip underground."""
    entered, exited, day = values.get("entered_at"), values.get("exited_at"), values.get("day")
    if entered is None or exited is None:
        return False
    if isinstance(entered, dt.time):
        if day is None:
            if "day" not in headers:
                errors.append(
                    RowError(
                        number, headers["entered_at"], "下井时间没有日期：请写成 2024-11-12 23:40，或加一列“日期”。"
                    )
                )
            elif not any(e.column == headers["day"] for e in errors):
                # The file has the date column and this row's date is blank: the cell to fill in is the date's (one
                # that could not be read already says why).
                errors.append(RowError(number, headers["day"], "下井时间只写了时刻，该行的日期不能为空。"))
            return False
        entered = dt.datetime.combine(day, entered)
    if isinstance(exited, dt.time):
        exited = dt.datetime.combine(entered.date(), exited)
        if exited <= entered:  # a shift across midnight comes up the next day
            exited += dt.timedelta(days=1)
    if exited < entered:
        errors.append(RowError(number, headers["exited_at"], "升井时间早于下井时间。"))
        return False
    minutes = round((exited - entered).total_seconds() / 60)
    if minutes > MAX_DAY_MINUTES:
        errors.append(RowError(number, headers["exited_at"], "井下时间超过 24 小时，请核对下井、升井时间。"))
        return False
    face = values.get("face_minutes")
    if face is not None and face > minutes:
        errors.append(RowError(number, headers["face_minutes"], "工作面时长不能超过井下时长。"))
        return False
    entered, exited = _aware(entered), _aware(exited)
    if entered > timezone.now():
        errors.append(RowError(number, headers["entered_at"], "下井时间晚于现在。"))
        return False
    values.update(entered_at=entered, exited_at=exited, underground_minutes=minutes)
    return True


def positioning_fingerprint(*, person_name, card_no, entered_at):
    text = "|".join([" ".join(person_name.split()), card_no or "", entered_at.isoformat()])
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def _build(values, *, mine, actor, campaigns):
    # Flagged against the limits of the campaign of the trip's day (the defaults outside every campaign).
    day = timezone.localtime(values["entered_at"]).date()
    figures = figures_of(campaign_of_record(unit=mine, day=day, campaigns=campaigns))
    face = values.get("face_minutes")
    over_underground = values["underground_minutes"] > figures.minutes(UNDERGROUND_HOURS)
    over_face = face is not None and face > figures.minutes(FACE_HOURS)
    return {
        "mine_id": mine.pk,
        "person_name": values["person_name"],
        "card_no": values.get("card_no") or "",
        "team": values.get("team") or "",
        "entered_at": values["entered_at"],
        "exited_at": values["exited_at"],
        "underground_minutes": values["underground_minutes"],
        "face_minutes": face,
        "over_underground": over_underground,
        "over_face": over_face,
        "over_time": over_underground or over_face,
        "created_by_id": getattr(actor, "pk", None),
        "fingerprint": positioning_fingerprint(
            person_name=values["person_name"], card_no=values.get("card_no"), entered_at=values["entered_at"]
        ),
    }


def positioning_ledger_spec(*, actor, mine):
    """How a positioning export is read, checked, warned about, written and undone for `mine` (core.ledger_import)."""
    # Read once: each campaign's figures are then cached on its instance, not asked again for every row.
    campaigns = running_campaigns(bureau_id=mine.bureau_id)
    current = campaign_of_record(unit=mine, day=timezone.localdate(), campaigns=campaigns)

    def warn(number, row, headers):
        outside = campaign_warning(
            number, headers.get("entered_at", "下井时间"), row["entered_at"], current, "下井日期"
        )
        return [outside] if outside else []

    def refresh(rows):
        days = {timezone.localtime(row["entered_at"]).date() for row in rows}
        for campaign in campaigns_touched(unit=mine, days=days, campaigns=campaigns):
            records_progress_refresh(
                mine=mine, campaign=campaign, evidence=(RecordEvidence.FACE_TIME, RecordEvidence.UNDERGROUND_TIME)
            )

    return LedgerSpec(
        columns=positioning_columns(),
        check=_check_row,
        build=lambda values: _build(values, mine=mine, actor=actor, campaigns=campaigns),
        model=PositioningRecord,
        what="下井记录",
        max_rows=50_000,
        accepts_csv=True,
        derived_from={"underground_minutes": "exited_at"},
        kind=LedgerKind.POSITIONING,
        warn=warn,
        after_insert=lambda result: refresh(result.rows),
        after_undo=refresh,
        preview_fields=("person_name", "card_no", "team", "entered_at", "exited_at", "underground_minutes"),
    )


def positioning_import(*, actor, mine, upload, only_valid_rows=False, **options):
    """All good rows or nothing; a trip already imported (same person, card and time in) is skipped. Trips over the
    campaign's limits (10 hours underground, 8 hours at the face in the 2024 notice) are flagged. The file is read
    before the (short) write transaction begins. `options`: core.ledger_import.import_ledger's."""
    if not can_keep_records(actor, mine):
        raise NotPermitted("您不能向该煤矿导入人员定位记录。")
    spec = positioning_ledger_spec(actor=actor, mine=mine)
    return import_ledger(spec=spec, mine=mine, upload=upload, only_valid_rows=only_valid_rows, actor=actor, **options)


@transaction.atomic
def positioning_import_undo(*, actor, batch_id):
    """Undo an import of trips underground (core.ledger_import.undo_batch): 404, 403 or 409 as for hazards."""
    batch = batch_for(user=actor, kind=LedgerKind.POSITIONING, pk=batch_id, lock=True)
    if not can_keep_records(actor, batch.mine):
        raise NotPermitted("您不能撤销该煤矿的下井记录导入。")
    return undo_batch(spec=positioning_ledger_spec(actor=actor, mine=batch.mine), batch=batch, actor=actor)
