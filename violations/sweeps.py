"""Chasing the three back-tracks of every 三违, its accountability (四(四)3), and the bureau's monthly bulletin duty."""

import datetime as dt

from django.urls import reverse

from campaign.models import Campaign
from notifications.recipients import inspectors_by_bureau, users_by_organization
from notifications.services import Notice, not_yet_notified, notify_many
from notifications.steps import CATCH_UP_DAYS, md

from .models import Violation
from .selectors import bulletin_duty

BULLETIN_WARNING_DAY = 25


def sweep_backtracks(*, today):
    # Due by the campaign's back-track days, stored on each 三违 when recorded; overdue since at most CATCH_UP_DAYS
    # (an older one was notified back then).
    violations = list(
        not_yet_notified(
            Violation.objects.backtrack_overdue(today).filter(
                backtrack_due_on__gte=today - dt.timedelta(days=CATCH_UP_DAYS)
            ),
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
            f"{v.mine.name}{v.person_name}的“三违”超过{v.backtrack_days}天未完成责任倒查",
            f"{md(v.occurred_on)}“{v.description[:30]}”：请倒查培训、警示教育、自保联保互保落实情况。",
            url_of.format(v.pk),
            "danger",
        )
        for v in violations
        for uid in people.get(v.mine_id, [])
    ]
    return notify_many(notices)


def sweep_accountability(*, today):
    """四(四)3: a 三违 whose 科队长 accountability and 分管负责人 检查 are not on record by their day (问责超期),
    told once to the mine's officers and to its enterprise's (the 分管负责人 is the enterprise's)."""
    violations = list(
        not_yet_notified(
            Violation.objects.accountability_overdue(today).filter(
                accountability_due_on__gte=today - dt.timedelta(days=CATCH_UP_DAYS)
            ),
            "violation:accountability:",
        )
        .select_related("mine")
        .only(
            "pk", "occurred_on", "person_name", "description", "accountability_due_on", "mine__name", "mine__parent_id"
        )
    )
    people = users_by_organization(list({v.mine_id for v in violations} | {v.mine.parent_id for v in violations}))
    url_of = reverse("violation_detail", args=[0]).replace("/0/", "/{}/")
    notices = [
        Notice(
            uid,
            "violation_accountability_overdue",
            f"violation:accountability:{v.pk}",
            f"{v.mine.name}{v.person_name}的“三违”超过{v.accountability_days}天未问责",
            f"{md(v.occurred_on)}“{v.description[:30]}”：请追究科队长责任，由企业分管负责人作检查，并登记问责情况。",
            url_of.format(v.pk),
            "danger",
        )
        for v in violations
        for uid in people.get(v.mine_id, []) + people.get(v.mine.parent_id, [])
    ]
    return notify_many(notices)


def sweep_bulletin_duty(*, today):
    """From the 25th, warn a bureau running a campaign if the month's bulletins have fewer typical cases than the
    campaign asks (two in the 2024 notice)."""
    if today.day < BULLETIN_WARNING_DAY:
        return 0
    period = f"{today:%Y-%m}"
    # The duty is for months the campaign covers from their first day (not the few days it started in).
    # With several at once, the oldest running one (the one the bureau's acts are filed under, as
    # campaign.membership.bureau_campaign_on) sets the duty.
    running = Campaign.objects.running_on(today).filter(starts_on__lte=today.replace(day=1)).order_by("starts_on", "pk")
    campaigns = {}
    for campaign in running:
        campaigns.setdefault(campaign.bureau_id, campaign)
    inspectors = inspectors_by_bureau(list(campaigns))
    notices = []
    for bureau_id, campaign in campaigns.items():
        duty = bulletin_duty(bureau_id=bureau_id, period=period, campaign=campaign)
        if duty["met"]:
            continue
        for uid in inspectors.get(bureau_id, []):
            notices.append(
                Notice(
                    uid,
                    "bulletin_duty",
                    f"bulletin-duty:{bureau_id}:{period}",
                    f"{today.month}月典型“三违”通报尚未完成（{duty['cases']}/{duty['required']}起）",
                    f"方案要求每月至少通报{duty['required']}起典型“三违”案例，本月已通报{duty['cases']}起。",
                    reverse("bulletin_list"),
                    "warning",
                )
            )
    return notify_many(notices)
