"""Chasing a 约谈's follow-up date (跟踪复查) like every deadline of the campaign (notifications.steps):

- 7, 3 and 1 days before: the summoned units' officers are reminded to have their commitments carried out;
- the day after, and weekly while the follow-up is not recorded: the units are told it is overdue, and the bureau's
  inspectors are asked to carry out and record the follow-up (the escalation);
- recorded (`follow_up_done_on`): nothing more, before or after the date. Items past due longer than CATCH_UP_DAYS
  are not chased again.

Each notice is keyed by the action, its date and the step (`summons:<step>:<action id>:<date>:<round>`), so a sweep
run twice, retried or run after days of downtime sends each once and catches up with the step that applies now."""

import datetime as dt
from collections import defaultdict

from django.urls import reverse

from notifications.recipients import inspectors_by_bureau, users_by_organization
from notifications.services import Notice, notify_many
from notifications.steps import CATCH_UP_DAYS, DEFAULT_REMINDER_DAYS, md, overdue_round, reminder_step

from .models import AccountabilityAction, ActionKind, ActionStatus, ActionTarget

REMINDER = "summons:reminder"
OVERDUE = "summons:overdue"
ESCALATION = "summons:escalation"


def _due(today):
    return (
        AccountabilityAction.objects.filter(
            kind=ActionKind.SUMMONS,
            status=ActionStatus.ISSUED,
            follow_up_done_on__isnull=True,
            follow_up_on__gte=today - dt.timedelta(days=CATCH_UP_DAYS),
            follow_up_on__lte=today + dt.timedelta(days=max(DEFAULT_REMINDER_DAYS)),
        )
        .only("pk", "bureau_id", "number", "title", "follow_up_on")
        .order_by("pk")
    )


def sweep_summons_follow_ups(*, today):
    actions = list(_due(today))
    if not actions:
        return 0
    targets = defaultdict(list)
    for action_id, org_id, name in (
        ActionTarget.objects.filter(action__in=actions)
        .order_by("action_id", "order", "id")
        .values_list("action_id", "organization_id", "organization__name")
    ):
        targets[action_id].append((org_id, name))
    people = users_by_organization({org for rows in targets.values() for org, _ in rows})
    inspectors = inspectors_by_bureau({a.bureau_id for a in actions})
    notices = []
    for action in actions:
        url = reverse("accountability_detail", args=[action.pk])
        units = targets.get(action.pk, [])
        names = "、".join(name for _, name in units)
        unit_people = list(dict.fromkeys(uid for org, _ in units for uid in people.get(org, [])))
        days_left = (action.follow_up_on - today).days
        what = f"约谈（{action.number}）"
        if days_left >= 0:
            step = reminder_step(days_left)
            if step is None:
                continue
            when = "今天" if days_left == 0 else f"将于{md(action.follow_up_on)}"
            key = f"{REMINDER}:{action.pk}:{action.follow_up_on:%Y%m%d}:{step}"
            title = f"{what}的整改承诺{when}跟踪复查"
            body = "请对照约谈时作出的承诺逐项落实到位，县局将按期复查。"
            notices += [
                Notice(uid, "summons_follow_up_reminder", key, title, body, url, "warning") for uid in unit_people
            ]
            continue
        days = -days_left
        round_ = overdue_round(days)
        title = f"{what}的跟踪复查已逾期{days}天"
        key = f"{OVERDUE}:{action.pk}:{action.follow_up_on:%Y%m%d}:r{round_}"
        body = f"跟踪复查日期为{md(action.follow_up_on)}，县局尚未登记复查结果。请备齐承诺事项的落实材料。"
        notices += [Notice(uid, "summons_follow_up_overdue", key, title, body, url, "danger") for uid in unit_people]
        key = f"{ESCALATION}:{action.pk}:{action.follow_up_on:%Y%m%d}:r{round_}"
        body = (
            f"对{names}的约谈（{action.title}）应于{md(action.follow_up_on)}跟踪复查，已过{days}天，尚未登记复查结果。"
            "请到被约谈单位核查承诺落实情况，并登记复查结果。"
        )
        notices += [
            Notice(uid, "summons_follow_up_escalation", key, f"{names}：{title}", body, url, "danger")
            for uid in inspectors.get(action.bureau_id, [])
        ]
    return notify_many(notices)
