"""Chasing the reporting deadlines: reminders 7, 3 and 1 days before (the campaign's reminder days,
campaign.figures.reminder_days), an overdue notice the day after (and weekly
while still missing) to the organisation and its enterprise, and an escalation to the bureau listing who is missing."""

import datetime as dt

from django.urls import reverse

from campaign.figures import REMINDER_DAYS as CAMPAIGN_REMINDER_DAYS
from campaign.figures import reminder_days
from campaign.membership import units_of
from campaign.models import Deadline
from notifications.recipients import inspectors_by_bureau, users_by_organization
from notifications.services import Notice, notify_many
from notifications.steps import CATCH_UP_DAYS, md, overdue_round, reminder_step, ymd

from .models import Submission


def sweep_submissions(*, today):
    deadlines = list(
        Deadline.objects.filter(
            campaign__is_template=False,
            campaign__status="published",  # a draft's deadlines are owed by nobody yet
            campaign__bureau__isnull=False,
            due_on__gte=today - dt.timedelta(days=CATCH_UP_DAYS),
            # the farthest a campaign may set its first reminder; each deadline then asks its own campaign's days
            due_on__lte=today + dt.timedelta(days=CAMPAIGN_REMINDER_DAYS.maximum),
        ).select_related("campaign")
    )
    created = 0
    for deadline in deadlines:
        if (deadline.due_on - today).days > max(reminder_days(deadline.campaign)):
            continue
        created += notify_many(_notices_for(deadline, today))
    return created


def _notices_for(deadline, today):
    days_left = (deadline.due_on - today).days
    kinds = [k for k, owed in (("mine", deadline.owed_by_mines), ("enterprise", deadline.owed_by_enterprises)) if owed]
    orgs = list(
        units_of(deadline.campaign, kinds)  # only the units taking part in the deadline's campaign owe it
        .order_by("name")
        .only("pk", "name", "kind", "parent_id")
    )
    sent = set(
        Submission.objects.filter(deadline=deadline, versions_submitted__gt=0).values_list("organization_id", flat=True)
    )
    missing = [o for o in orgs if o.pk not in sent]
    if not missing:
        return []
    open_url = reverse("submission_open", args=[deadline.pk])
    step = reminder_step(days_left, reminder_days(deadline.campaign))
    if step:
        people = users_by_organization([o.pk for o in missing])
        title = (
            f"{deadline.name}将于{md(deadline.due_on)}截止（还有{days_left}天）"
            if days_left
            else f"{deadline.name}今天截止"
        )
        return [
            Notice(
                uid,
                "submission_reminder",
                f"submission:{step}:{deadline.pk}:{o.pk}",
                title,
                f"请于{ymd(deadline.due_on)} 23:59 前完成报送。",
                open_url,
                "warning",
            )
            for o in missing
            for uid in people.get(o.pk, [])
        ]
    rnd = overdue_round((today - deadline.due_on).days)
    if rnd is None:
        return []
    enterprises = {o.parent_id for o in missing if o.kind == "mine"}
    people = users_by_organization([o.pk for o in missing] + list(enterprises))
    notices = []
    for o in missing:
        title = f"{o.name}未按期报送{deadline.name}（截止{md(deadline.due_on)}）"
        body = f"已逾期{(today - deadline.due_on).days}天，请尽快报送。"
        recipients = people.get(o.pk, []) + (people.get(o.parent_id, []) if o.kind == "mine" else [])
        notices += [
            Notice(
                uid,
                "submission_overdue",
                f"submission:overdue:{deadline.pk}:{o.pk}:{rnd}",
                title,
                body,
                open_url if uid in people.get(o.pk, []) else "",
                "danger",
            )
            for uid in recipients
        ]
    names = "、".join(o.name for o in missing[:30]) + (f"等{len(missing)}家" if len(missing) > 30 else "")
    for uid in inspectors_by_bureau([deadline.campaign.bureau_id]).get(deadline.campaign.bureau_id, []):
        notices.append(
            Notice(
                uid,
                "submission_escalation",
                f"submission:escalation:{deadline.pk}:{rnd}",
                f"{deadline.name}：{len(missing)}家单位逾期未报送",
                f"未报送：{names}。",
                reverse("submission_matrix"),
                "danger",
            )
        )
    return notices
