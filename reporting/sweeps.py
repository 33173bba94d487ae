"""Chasing the reporting deadlines: reminders 7, 3 and 1 days before (the campaign's reminder days,
campaign.figures.reminder_days), an overdue notice the day after (and weekly
while still missing) to the organisation and its enterprise, and an escalation to the bureau listing who is missing."""

import datetime as dt

from django.urls import reverse

from accounts.models import Organization
from accounts.permissions import regulators_q
from campaign.figures import REMINDER_DAYS as CAMPAIGN_REMINDER_DAYS
from campaign.figures import reminder_days
from campaign.membership import units_of, upward_q
from campaign.models import Deadline
from notifications.recipients import inspectors_by_bureau, users_by_organization
from notifications.services import Notice, notify_many
from notifications.steps import CATCH_UP_DAYS, md, overdue_round, reminder_step, ymd

from .models import Submission
from .permissions import senders_q


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
    if deadline.owed_by_bureau:  # and the counties reporting upward (campaign.membership.reports_upward)
        orgs += (
            Organization.objects.filter(upward_q(deadline.campaign))
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
        people = _senders(missing)
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
    people = _senders(missing, also=enterprises)
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
    # Who is told who is missing: the county's inspectors of its units; the city above of its counties.
    units = [o for o in missing if o.kind in ("mine", "enterprise")]
    regulators = [o for o in missing if o.kind not in ("mine", "enterprise")]
    told = {
        "": (units, inspectors_by_bureau([deadline.campaign.bureau_id]).get(deadline.campaign.bureau_id, [])),
        ":upward": (regulators, _reviewers_above(regulators)),
    }
    matrix = f"{reverse('submission_matrix')}?campaign={deadline.campaign_id}"
    for key, (late, reviewers) in told.items():
        if not late:
            continue
        names = "、".join(o.name for o in late[:30]) + (f"等{len(late)}家" if len(late) > 30 else "")
        notices += [
            Notice(
                uid,
                "submission_escalation",
                f"submission:escalation{key}:{deadline.pk}:{rnd}",
                f"{deadline.name}：{len(late)}家单位逾期未报送",
                f"未报送：{names}。",
                matrix,
                "danger",
            )
            for uid in reviewers
        ]
    return notices


def _senders(organizations, also=()):
    """{organization id: [user id]}: the people who send each one's reports — a unit's officers (and those of the
    units `also`, its enterprise), a county's writers. One query, two when counties are among them."""
    units = [o.pk for o in organizations if o.kind in ("mine", "enterprise")]
    regulators = [o for o in organizations if o.kind not in ("mine", "enterprise")]
    people = users_by_organization(units + list(also))
    if regulators:
        people.update(users_by_organization([o.pk for o in regulators], who=senders_q(regulators[0])))
    return people


def _reviewers_above(regulators):
    """The regulators of the level above the counties `regulators` (their city), who review what they send."""
    parents = {o.parent_id for o in regulators if o.parent_id}
    found = users_by_organization(list(parents), who=regulators_q())
    return sorted({uid for pk in parents for uid in found.get(pk, [])})
