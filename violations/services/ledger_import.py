"""Import of the 三违 ledgers mines keep in Excel (tests/fixtures/violation-ledger-sample.xlsx is one)."""

import datetime as dt
import re
from decimal import Decimal

from django.db import transaction
from django.db.models import Q

from campaign.figures import figures_of
from campaign.membership import campaign_of_record, campaigns_touched, running_campaigns
from core.errors import NotPermitted
from core.excel import ImportColumn, parse_choice, parse_date, parse_text
from core.ledger_import import LedgerSpec, batch_for, campaign_warning, import_ledger, undo_batch
from core.models import LedgerKind
from core.validation import problems_as_row_errors
from notifications.services import notifications_withdraw

from ..models import FoundBy, MentoringStep, RepeatOffender, Severity, Shift, Violation, ViolationType
from ..models.violation import accountability_due, backtrack_due, violation_fingerprint
from ..permissions import can_write_violations
from ..validation import violation_problems
from .repeat import repeat_offenders_escalate
from .violations import refresh_records_progress

FINE = re.compile(r"罚款\s*(\d+(?:\.\d+)?)\s*元")
SUSPENSION = re.compile(r"停(?:工|岗)(?:学习|培训)?\s*(\d+)\s*天")


def parse_time(value):
    import datetime as dt

    if isinstance(value, dt.datetime):
        return value.time()
    if isinstance(value, dt.time):
        return value
    m = re.match(r"^(\d{1,2})[:：时](\d{2})", str(value).strip())
    if m and int(m[1]) < 24 and int(m[2]) < 60:
        return dt.time(int(m[1]), int(m[2]))
    raise ValueError(f"“{value}”不是有效时间，请写成 08:30。")


def found_by_from_text(text):
    """Who found it, from the 查处人 column as mines write it (安检科 周伟 / 县局执法一股 …)."""
    if any(w in text for w in ("县局", "应急局", "应急管理局", "执法", "监管")):
        return FoundBy.BUREAU
    if any(w in text for w in ("集团", "公司")):
        return FoundBy.ENTERPRISE
    return FoundBy.SELF


def violation_columns():
    return [
        ImportColumn("occurred_on", ("日期", "违章日期", "发生日期", "查处日期", "时间"), parse_date, required=True),
        ImportColumn("occurred_time", ("违章时间", "发生时间", "具体时间"), parse_time),
        ImportColumn(
            "shift",
            ("班次", "当班班次"),
            parse_choice(
                Shift.choices,
                synonyms={"零点": "zero", "早": "morning", "中": "middle", "夜": "night", "夜班(零点班)": "zero"},
                what="班次",
            ),
        ),
        ImportColumn("person_name", ("姓名", "违章人员", "违章人", "人员姓名"), parse_text(40), required=True),
        ImportColumn("post", ("工种", "岗位", "职务"), parse_text(60)),
        ImportColumn("department", ("所在单位", "单位", "科队", "区队", "所在科队"), parse_text(60)),
        ImportColumn("team", ("班组", "所在班组"), parse_text(60)),
        ImportColumn("location", ("违章地点", "地点", "违章位置"), parse_text(200), required=True),
        ImportColumn(
            "description", ("违章行为", "违章事实", "违章内容", "三违行为", "违章情况"), parse_text(2000), required=True
        ),
        ImportColumn(
            "type",
            ("三违类别", "类别", "三违类型", "违章类别"),
            parse_choice(
                ViolationType.choices,
                synonyms={"违章操作": "operation", "违反劳动纪律": "discipline", "违纪": "discipline"},
                what="三违类别",
            ),
            required=True,
        ),
        ImportColumn(
            "severity",
            ("性质", "严重程度", "等级", "三违性质"),
            parse_choice(
                Severity.choices,
                synonyms={"一般三违": "general", "严重三违": "serious", "较重": "serious"},
                what="性质",
            ),
        ),
        ImportColumn("found_by_name", ("查处人", "查处单位", "检查人"), parse_text(60)),
        ImportColumn("penalty_note", ("处罚情况", "处罚", "处理情况", "处理结果"), parse_text(200)),
        ImportColumn("mentoring", ("帮教情况", "帮教"), parse_text(200)),
        ImportColumn("note", ("备注",), parse_text(500)),
    ]


def _check_row(number, values, headers, errors):
    """The record's rules (violations.validation, the same as the page's and the API's), on the row as read; a cell
    that could not be read, or already broke its bound, is not reported twice."""
    record = Violation(**{name: value for name, value in values.items() if value is not None})
    new = problems_as_row_errors(
        number, violation_problems(record), headers, errors, model=Violation, whole_record_column="description"
    )
    return not new


def _cells_fingerprint(values):
    """The fingerprint `_build` gives a line, from its cells (a line whose date could not be read is refused by its
    checks: its fingerprint is only looked up, under an empty date)."""
    occurred_on = values.get("occurred_on")
    return violation_fingerprint(
        occurred_on=occurred_on if occurred_on is not None else dt.date.min,
        person_name=values.get("person_name") or "",
        description=values.get("description") or "",
    )


def _build(values, *, mine, actor, campaigns):
    penalty = values.get("penalty_note") or ""
    fine = FINE.search(penalty)
    suspension = SUSPENSION.search(penalty)
    campaign = campaign_of_record(unit=mine, day=values["occurred_on"], campaigns=campaigns)
    return {
        "mine_id": mine.pk,
        "campaign_id": campaign.pk if campaign else None,
        "occurred_on": values["occurred_on"],
        "backtrack_due_on": backtrack_due(values["occurred_on"], campaign),
        "accountability_due_on": accountability_due(values["occurred_on"], campaign),
        "occurred_time": values.get("occurred_time"),
        "shift": values.get("shift") or "",
        "location": values["location"],
        "person_name": values["person_name"],
        "post": values.get("post") or "",
        "team": values.get("team") or "",
        "department": values.get("department") or "",
        "type": values["type"],
        "severity": values.get("severity") or Severity.GENERAL,
        "description": values["description"],
        "found_by": found_by_from_text(values.get("found_by_name") or ""),
        "found_by_name": values.get("found_by_name") or "",
        "fine": Decimal(fine[1]) if fine else None,
        "suspension_days": int(suspension[1]) if suspension else None,
        "retraining": "培训" in penalty or "学习" in penalty,
        "penalty_note": penalty,
        "mentoring": values.get("mentoring") or "",
        "note": values.get("note") or "",
        "created_by_id": getattr(actor, "pk", None),
        "fingerprint": violation_fingerprint(
            occurred_on=values["occurred_on"], person_name=values["person_name"], description=values["description"]
        ),
    }


def violation_ledger_spec(*, actor, mine):
    """How a 三违 ledger is read, checked, warned about, written and undone for `mine` (core.ledger_import)."""
    from django.utils import timezone

    campaigns = running_campaigns(bureau_id=mine.bureau_id)
    for campaign in campaigns:
        # Each campaign's figures (its 倒查 and 问责 days) read now, one query each, and kept on it: not by the first
        # line of its days, which may not query — the lines are built while the ones before them are written.
        figures_of(campaign)
    current = campaign_of_record(unit=mine, day=timezone.localdate(), campaigns=campaigns)

    def warn(number, row, headers):
        outside = campaign_warning(number, headers.get("occurred_on", "日期"), row["occurred_on"], current, "日期")
        return [outside] if outside else []

    def refresh(rows):
        # Repeat offenders and the task item the ledger proves follow the ledger, for each campaign it touched.
        days = {row["occurred_on"] for row in rows}
        for campaign in campaigns_touched(unit=mine, days=days, campaigns=campaigns):
            repeat_offenders_escalate(mine=mine, campaign=campaign)
            refresh_records_progress(mine=mine, campaign=campaign)

    def undo_check(ids):
        # A repeat-offender case the import opened goes with it, unless someone has worked on it since.
        cases = RepeatOffender.objects.filter(Q(first_violation_id__in=ids) | Q(second_violation_id__in=ids))
        if (
            MentoringStep.objects.filter(offender__in=cases).exists()
            or cases.exclude(mentoring_completed_on=None).exists()
        ):
            return "该批导入的“三违”已形成屡违人员帮教记录，不能撤销。"
        return None

    def undo_cleanup(ids):
        cases = RepeatOffender.objects.filter(Q(first_violation_id__in=ids) | Q(second_violation_id__in=ids))
        # The notices about the rows and the cases they opened would lead to records that are gone.
        keys = [f"violation:backtrack:{pk}" for pk in ids]
        keys += [f"violation:repeat:{pk}" for pk in cases.values_list("pk", flat=True)]
        notifications_withdraw(keys=keys)
        cases.delete()

    return LedgerSpec(
        columns=violation_columns(),
        check=_check_row,
        build=lambda values: _build(values, mine=mine, actor=actor, campaigns=campaigns),
        fingerprint=_cells_fingerprint,
        model=Violation,
        what="“三违”",
        derived_from={"fine": "penalty_note", "suspension_days": "penalty_note"},
        kind=LedgerKind.VIOLATIONS,
        warn=warn,
        after_insert=lambda result: refresh(result.rows),
        after_undo=refresh,
        undo_owned=(RepeatOffender,),
        undo_check=undo_check,
        undo_cleanup=undo_cleanup,
        preview_fields=("occurred_on", "person_name", "team", "location", "description", "type", "severity"),
    )


def violations_import(*, actor, mine, upload, only_valid_rows=False, **options):
    """All good rows or nothing; a line already in the ledger (same day, person and act) is skipped. The file is
    read before the (short) write transaction begins. `options`: core.ledger_import.import_ledger's."""
    if not can_write_violations(actor, mine):
        raise NotPermitted("您不能向该煤矿的“三违”台账导入数据。")
    spec = violation_ledger_spec(actor=actor, mine=mine)
    return import_ledger(spec=spec, mine=mine, upload=upload, only_valid_rows=only_valid_rows, actor=actor, **options)


@transaction.atomic
def violations_import_undo(*, actor, batch_id):
    """Undo an import of the 三违 ledger (core.ledger_import.undo_batch): 404, 403 or 409 as for hazards."""
    batch = batch_for(user=actor, kind=LedgerKind.VIOLATIONS, pk=batch_id, lock=True)
    if not can_write_violations(actor, batch.mine):
        raise NotPermitted("您不能撤销该煤矿的“三违”导入。")
    return undo_batch(spec=violation_ledger_spec(actor=actor, mine=batch.mine), batch=batch, actor=actor)
