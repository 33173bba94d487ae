"""Import of the accident register from .xlsx (core.ledger_import, the one pipeline): the same rules as the form
(accidents.validation); each line of a campaign gets its 提级调查 in the import's own transaction.

Imports keep no batch (core.models.LedgerKind has no accident kind: adding one is a migration of core, not ours);
a line imported by mistake is removed on its page while no investigation hangs on it."""

import datetime as dt
import re

from django.utils import timezone

from campaign.membership import campaign_of_record, running_campaigns
from core.errors import NotPermitted
from core.excel import ImportColumn, parse_choice, parse_date, parse_decimal, parse_text
from core.ledger_import import LedgerSpec, campaign_warning, import_ledger
from core.validation import problems_as_row_errors

from .models import Accident, AccidentKind, accident_fingerprint
from .permissions import can_write_register, records_as_bureau
from .rules import is_late
from .validation import accident_normalise, accident_problems

TIME = re.compile(r"(\d{1,2})\s*[:：时]\s*(\d{1,2})")


def parse_datetime(value):
    """A moment as ledgers write it: an Excel date-time, `2024-11-03 08:30`, `2024年11月3日 8时30分`; a date alone is
    refused (the 迟报 check needs the time)."""
    if isinstance(value, dt.datetime):
        moment = value
    else:
        text = str(value).strip().replace("T", " ")
        day_text, _, time_text = text.partition(" ")
        if not time_text and "日" in text:
            day_text, _, time_text = text.partition("日")
            day_text += "日"
        day = parse_date(day_text.strip())
        m = TIME.search(time_text)
        if not m or int(m[1]) > 23 or int(m[2]) > 59:
            raise ValueError(f"“{text}”缺少有效的时间，请写成 2024-11-03 08:30。")
        moment = dt.datetime.combine(day, dt.time(int(m[1]), int(m[2])))
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def parse_count(value):
    number = parse_decimal(value)
    if number != int(number):
        raise ValueError(f"“{value}”不是整数。")
    return int(number)


def accident_columns():
    return [
        ImportColumn("occurred_at", ("发生时间", "事故时间", "事故发生时间"), parse_datetime, required=True),
        ImportColumn("place", ("发生地点", "事故地点", "地点"), parse_text(200), required=True),
        ImportColumn(
            "kind",
            ("事故类别", "事故类型", "类别"),
            parse_choice(
                AccidentKind.choices,
                synonyms={
                    "顶板事故": "roof",
                    "瓦斯事故": "gas",
                    "机电事故": "electromechanical",
                    "运输事故": "transport",
                    "水害事故": "water",
                    "火灾事故": "fire",
                    "放炮事故": "blasting",
                    "爆破": "blasting",
                },
                what="事故类别",
            ),
            required=True,
        ),
        ImportColumn("deaths", ("死亡", "死亡人数", "死亡（人）"), parse_count),
        ImportColumn("serious_injuries", ("重伤", "重伤人数", "重伤（人）"), parse_count),
        ImportColumn("minor_injuries", ("轻伤", "轻伤人数", "轻伤（人）"), parse_count),
        ImportColumn("direct_loss", ("直接经济损失（元）", "直接经济损失", "经济损失"), parse_decimal),
        ImportColumn("description", ("事故经过", "简要经过", "事故简要经过", "经过"), parse_text(5000), required=True),
        ImportColumn("reporter_name", ("报告人", "报告人员"), parse_text(60), required=True),
        ImportColumn("reported_at", ("报告县局时间", "报告时间", "上报时间"), parse_datetime, required=True),
    ]


def _record(values, mine):
    fields = {k: v for k, v in values.items() if v is not None}
    for name in ("deaths", "serious_injuries", "minor_injuries"):
        fields.setdefault(name, 0)
    record = Accident(mine=mine, **fields)
    accident_normalise(record)
    return record


def accident_ledger_spec(*, actor, mine):
    campaigns = running_campaigns(bureau_id=mine.bureau_id)
    current = campaign_of_record(unit=mine, day=timezone.localdate(), campaigns=campaigns)
    by_bureau = records_as_bureau(actor)

    def check(number, values, headers, errors):
        # The form's rules (accidents.validation) on the row as read.
        new = problems_as_row_errors(
            number,
            accident_problems(_record(values, mine)),
            headers,
            errors,
            model=Accident,
            whole_record_column="description",
        )
        return not new

    def build(values):
        record = _record(values, mine)
        campaign = campaign_of_record(unit=mine, day=record.occurred_on, campaigns=campaigns)
        return {
            "mine_id": mine.pk,
            "campaign_id": campaign.pk if campaign else None,
            "occurred_at": record.occurred_at,
            "occurred_on": record.occurred_on,
            "place": record.place,
            "kind": record.kind,
            "deaths": record.deaths,
            "serious_injuries": record.serious_injuries,
            "minor_injuries": record.minor_injuries,
            "direct_loss": record.direct_loss,
            "description": record.description,
            "reporter_name": record.reporter_name,
            "reported_at": record.reported_at,
            "late": is_late(record.occurred_at, record.reported_at),
            "found_by_bureau": by_bureau,
            "created_by_id": getattr(actor, "pk", None),
            "row_version": 1,
            "fingerprint": accident_fingerprint(mine_id=mine.pk, occurred_at=record.occurred_at, place=record.place),
        }

    def warn(number, row, headers):
        outside = campaign_warning(
            number, headers.get("occurred_at", "发生时间"), row["occurred_at"], current, "发生时间"
        )
        return [outside] if outside else []

    def after_insert(result):
        # Every accident of a campaign has its 提级调查, whichever way it was recorded.
        from .services import bureau_told, investigation_open

        accidents = list(Accident.objects.filter(pk__in=result.ids).select_related("mine"))
        for accident in accidents:
            investigation_open(accident=accident, actor=actor)
        bureau_told(accidents=accidents)

    return LedgerSpec(
        columns=accident_columns(),
        check=check,
        build=build,
        model=Accident,
        what="事故",
        max_rows=2000,
        warn=warn,
        after_insert=after_insert,
        preview_fields=("occurred_at", "place", "kind", "deaths", "serious_injuries", "minor_injuries", "late"),
    )


def accidents_import(*, actor, mine, upload, only_valid_rows=False, **options):
    """All good rows or nothing; a line already in the register (same mine, minute and place) is skipped."""
    if not can_write_register(actor, mine):
        raise NotPermitted("您不能向该煤矿的事故台账导入数据。")
    spec = accident_ledger_spec(actor=actor, mine=mine)
    return import_ledger(spec=spec, mine=mine, upload=upload, only_valid_rows=only_valid_rows, actor=actor, **options)
