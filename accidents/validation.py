"""The rules of one register line, stated once: the service (and through it the page and the API) raises the first
problem, the Excel import reports every problem of every row (core.validation)."""

import datetime as dt

from django.utils import timezone

from core.validation import field_problems

CHECKED_FIELDS = ("occurred_on", "place", "description", "deaths", "serious_injuries", "minor_injuries", "direct_loss")


def accident_normalise(accident):
    """Derive the local day (what the bounds and the period filters read) from the time."""
    if accident.occurred_at is not None:
        at = accident.occurred_at
        accident.occurred_on = (timezone.localtime(at) if timezone.is_aware(at) else at).date()


def accident_problems(accident):
    """Every rule the line breaks, as (field, message)."""
    accident_normalise(accident)
    problems = field_problems(accident, CHECKED_FIELDS)
    now = timezone.now()
    occurred, reported = accident.occurred_at, accident.reported_at
    if occurred is not None and timezone.is_aware(occurred) and occurred > now + dt.timedelta(minutes=5):
        problems.append(("occurred_at", "发生时间不能晚于现在。"))
    if reported is not None and timezone.is_aware(reported) and reported > now + dt.timedelta(minutes=5):
        problems.append(("reported_at", "报告时间不能晚于现在。"))
    if occurred is not None and reported is not None and reported < occurred:
        problems.append(("reported_at", "报告时间不能早于事故发生时间。"))
    if not (accident.place or "").strip():
        problems.append(("place", "请填写发生地点。"))
    if not (accident.description or "").strip():
        problems.append(("description", "请填写事故经过。"))
    if not (accident.reporter_name or "").strip():
        problems.append(("reporter_name", "请填写报告人。"))
    return problems
