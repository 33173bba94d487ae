import calendar
import datetime as dt
import re

from django.db import transaction

from core.errors import DomainError

from .models import Campaign, CampaignStatus, Deadline, DeadlineKind, Phase, Requirement

MONTHLY_NAME = re.compile(r"^\d{1,2}月")


def _shift_years(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without it
        return day.replace(year=day.year + years, day=28)


def _date_shifter(source_start, new_start):
    """Same month and day in another year: shift by years, so month ends stay month ends.
    Otherwise: shift every date by the same number of days."""
    if (source_start.month, source_start.day) == (new_start.month, new_start.day):
        years = new_start.year - source_start.year
        return lambda day: _shift_years(day, years)
    delta = new_start - source_start
    return lambda day: day + delta


@transaction.atomic
def campaign_clone(
    *, source, code, starts_on, bureau, name=None, actor=None, document_no=None, status=CampaignStatus.PUBLISHED
):
    """Copy `source` (usually a template) as a new campaign of `bureau` starting on `starts_on`.

    Phases, deadlines and the task list are copied with every date shifted alike; a monthly deadline's
    period and name follow its new due date. The notice's text and each item's paragraph come along (the bureau
    replaces them with its new notice's). `document_no`: the new campaign's 文号 — a new notice has its own, so
    the authoring page passes the one the bureau types ("" until then); None keeps the source's (the demo county
    runs the 2024 notice itself). Who takes part comes along too: all the units, or the same ones named — from a
    source of the same bureau (another's units, a template's, are not this bureau's: the copy covers all of them).
    """
    if Campaign.objects.filter(code=code).exists():
        raise DomainError(f"编号“{code}”已被使用，请换一个编号。", field="code")
    if bureau is None or not bureau.is_regulator:
        raise DomainError("专项整治必须属于一个应急管理部门（县局、市局或省厅）。", field="bureau")
    shift = _date_shifter(source.starts_on, starts_on)
    covers_all_units = source.covers_all_units or source.bureau_id != bureau.pk
    clone = Campaign.objects.create(
        code=code,
        name=name or source.name,
        document_no=source.document_no if document_no is None else document_no,
        issuer=source.issuer,
        issued_on=shift(source.issued_on) if source.issued_on else None,
        starts_on=shift(source.starts_on),
        ends_on=shift(source.ends_on),
        goals=source.goals,
        bureau=bureau,
        is_template=False,
        source=source,
        created_by=actor,
        status=status,
        notice_text=source.notice_text,
        covers_all_units=covers_all_units,
    )
    if not covers_all_units:
        clone.participants.set(source.participants.all())
    Phase.objects.bulk_create(
        Phase(
            campaign=clone,
            order=p.order,
            code=p.code,
            name=p.name,
            starts_on=shift(p.starts_on),
            ends_on=shift(p.ends_on),
            summary=p.summary,
        )
        for p in source.phases.all()
    )
    deadlines = []
    for d in source.deadlines.all():
        due_on = shift(d.due_on)
        period, dname, code_ = d.period, d.name, d.code
        if d.kind == DeadlineKind.MONTHLY:
            # A monthly report is due by the end of its month: the period follows the due date.
            period = f"{due_on:%Y-%m}"
            if MONTHLY_NAME.match(d.name):
                dname = MONTHLY_NAME.sub(f"{due_on.month}月", d.name, count=1)
            code_ = f"monthly_{due_on:%Y_%m}"
        deadlines.append(
            Deadline(
                campaign=clone,
                code=code_,
                kind=d.kind,
                name=dname,
                period=period,
                due_on=due_on,
                owed_by_enterprises=d.owed_by_enterprises,
                owed_by_mines=d.owed_by_mines,
                owed_by_bureau=d.owed_by_bureau,
                note=d.note,
            )
        )
    Deadline.objects.bulk_create(deadlines)
    _clone_requirements(source, clone)
    return clone


def _clone_requirements(source, clone):
    copies = {}
    # Ordered by `order`, parents always come before their children.
    for r in source.requirements.order_by("order"):
        copies[r.pk] = Requirement.objects.create(
            campaign=clone,
            parent=copies.get(r.parent_id),
            level=r.level,
            code=r.code,
            name=r.name,
            order=r.order,
            target_min=r.target_min,
            target_max=r.target_max,
            target_unit=r.target_unit,
            performed_by=r.performed_by,
            evidence=r.evidence,
            parameters=r.parameters,
            number=r.number,
            text=r.text,
            paragraph=r.paragraph,
        )


def start_date_for_phase_today(*, source, phase_code, today, days_into_phase=3):
    """Where to start a clone of `source` so that `today` falls in its phase `phase_code`.

    Prefers a whole number of years (the calendar of the notice stays as it is); otherwise shifts by days
    so that today is `days_into_phase` days into the phase.
    """
    phase = source.phases.get(code=phase_code)
    for years in range(today.year - phase.starts_on.year - 1, today.year - phase.starts_on.year + 2):
        if _shift_years(phase.starts_on, years) <= today <= _shift_years(phase.ends_on, years):
            return _shift_years(source.starts_on, years)
    return today - dt.timedelta(days=days_into_phase) - (phase.starts_on - source.starts_on)


def month_end(year, month):
    return dt.date(year, month, calendar.monthrange(year, month)[1])
