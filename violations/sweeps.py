"""Chasing the three back-tracks of every 三违, and the bureau's monthly bulletin duty."""

import datetime as dt

from django.urls import reverse

from campaign.models import Campaign
from notifications.recipients import inspectors_by_bureau, users_by_organization
from notifications.services import Notice, not_yet_notified, notify_many
from notifications.steps import CATCH_UP_DAYS, md

from .models import Violation
from .models.violation import BACKTRACK_DAYS
from .selectors import BULLETIN_MIN_CASES, bulletin_duty

BULLETIN_WARNING_DAY = 25


def sweep_backtracks(*, today):
    # Overdue since at most CATCH_UP_DAYS: an older one was notified back then.
    recent = today - dt.timedelta(days=BACKTRACK_DAYS + CATCH_UP_DAYS)
    violations = list(
        not_yet_notified(
            Violation.objects.backtrack_overdue(today).filter(occurred_on__gte=recent),
            "violation:backtrack:",
        ).select_related("mine")
    )
    people = users_by_organization(list({v.mine_id for v in violations}))
    url_of = reverse("violation_detail", args=[0]).replace("/0/", "/{}/")  # not one reverse() per violation
    notices = [
        Notice(
            uid,
            "backtrack_overdue",
            f"violation:backtrack:{v.pk}",
            f"{v.mine.name}{v.person_name}的“三违”超过{BACKTRACK_DAYS}天未完成责任倒查",
            f"{md(v.occurred_on)}“{v.description[:30]}”：请倒查培训、警示教育、自保联保互保落实情况。",
            url_of.format(v.pk),
            "danger",
        )
        for v in violations
        for uid in people.get(v.mine_id, [])
    ]
    return notify_many(notices)


def sweep_bulletin_duty(*, today):
    """From the 25th, warn a bureau running a campaign if the month's bulletin has fewer than two typical cases."""
    if today.day < BULLETIN_WARNING_DAY:
        return 0
    period = f"{today:%Y-%m}"
    # The duty is for months the campaign covers from their first day (not the few days it started in).
    running = Campaign.objects.running_on(today).filter(starts_on__lte=today.replace(day=1))
    bureau_ids = list(running.values_list("bureau_id", flat=True).distinct())
    inspectors = inspectors_by_bureau(bureau_ids)
    notices = []
    for bureau_id in bureau_ids:
        duty = bulletin_duty(bureau_id=bureau_id, period=period)
        if duty["met"]:
            continue
        for uid in inspectors.get(bureau_id, []):
            notices.append(
                Notice(
                    uid,
                    "bulletin_duty",
                    f"bulletin-duty:{bureau_id}:{period}",
                    f"{today.month}月典型“三违”通报尚未完成（{duty['cases']}/{BULLETIN_MIN_CASES}起）",
                    f"方案要求每月至少通报{BULLETIN_MIN_CASES}起典型“三违”案例，本月已通报{duty['cases']}起。",
                    reverse("bulletin_list"),
                    "warning",
                )
            )
    return notify_many(notices)
