"""Chasing rectification due dates and retraining after failed exams."""

import datetime as dt

from django.urls import reverse

from notifications.recipients import inspectors_by_bureau, users_by_organization
from notifications.services import Notice, not_yet_notified, notify_many
from notifications.steps import CATCH_UP_DAYS, DEFAULT_REMINDER_DAYS, md, reminder_step

from .models import ExamResult, Hazard, LeaderReview

DUE_SOON_DAYS = 3
#: the steps of the notices about one hazard, keyed hazard:<step>:<id> (an undone import takes them back)
NOTICE_STEPS = ("due", "overdue", "escalation")


def sweep_hazards(*, today):
    window = today - dt.timedelta(days=CATCH_UP_DAYS)
    due_soon = not_yet_notified(Hazard.objects.due_soon(today, DUE_SOON_DAYS), "hazard:due:")
    # Overdue since at most CATCH_UP_DAYS: an older one was notified back then (or is too stale to chase now).
    overdue = not_yet_notified(Hazard.objects.overdue(today).filter(due_on__gte=window), "hazard:overdue:")
    fields = ("pk", "due_on", "level", "location", "description", "mine__name", "mine__parent_id", "mine__bureau_id")
    hazards = [
        *due_soon.select_related("mine").only(*fields),
        *overdue.select_related("mine").only(*fields),
    ]
    mine_ids = {h.mine_id for h in hazards}
    enterprise_ids = {h.mine.parent_id for h in hazards if h.is_major}
    people = users_by_organization(list(mine_ids | enterprise_ids))
    inspectors = inspectors_by_bureau({h.mine.bureau_id for h in hazards if h.is_major})
    notices = []
    url_of = reverse("hazard_detail", args=[0]).replace("/0/", "/{}/")  # not one reverse() per hazard
    for h in hazards:
        url = url_of.format(h.pk)
        what = f"{h.mine.name}{'重大' if h.is_major else ''}隐患“{h.location}：{h.description[:20]}”"
        if h.due_on >= today:
            notices += [
                Notice(
                    uid,
                    "hazard_due",
                    f"hazard:due:{h.pk}",
                    f"{what}将于{md(h.due_on)}到整改期限",
                    "请按期整改并申请验收。",
                    url,
                    "warning",
                )
                for uid in people.get(h.mine_id, [])
            ]
            continue
        days = (today - h.due_on).days
        recipients = people.get(h.mine_id, []) + (people.get(h.mine.parent_id, []) if h.is_major else [])
        notices += [
            Notice(
                uid,
                "hazard_overdue",
                f"hazard:overdue:{h.pk}",
                f"{what}已逾期未整改",
                f"整改期限{md(h.due_on)}，已逾期{days}天。",
                url,
                "danger",
            )
            for uid in recipients
        ]
        if h.is_major:
            notices += [
                Notice(
                    uid,
                    "hazard_escalation",
                    f"hazard:escalation:{h.pk}",
                    f"重大隐患逾期未整改：{what}",
                    f"整改期限{md(h.due_on)}，已逾期{days}天，煤矿停产整顿中。",
                    url,
                    "danger",
                )
                for uid in inspectors.get(h.mine.bureau_id, [])
            ]
    return notify_many(notices)


def sweep_retraining(*, today):
    """A failed exam's off-duty retraining not done within its period (逢查必考)."""
    exams = list(
        not_yet_notified(
            ExamResult.objects.filter(
                passed=False,
                retrained_on__isnull=True,
                retraining_due_on__lt=today,
                retraining_due_on__gte=today - dt.timedelta(days=CATCH_UP_DAYS),
            ),
            "exam:retraining:",
        ).select_related("inspection__mine")
    )
    mines = {e.inspection.mine for e in exams}
    people = users_by_organization([m.pk for m in mines])
    inspectors = inspectors_by_bureau({m.bureau_id for m in mines})
    notices = []
    for e in exams:
        mine = e.inspection.mine
        url = reverse("inspection_detail", args=[e.inspection_id])
        title = f"{mine.name}{e.person_name}（{e.post}）考试不合格，脱产培训逾期未完成"
        body = f"应于{md(e.retraining_due_on)}前完成脱产培训。"
        for uid in people.get(mine.pk, []) + inspectors.get(mine.bureau_id, []):
            notices.append(Notice(uid, "retraining_overdue", f"exam:retraining:{e.pk}", title, body, url, "danger"))
    return notify_many(notices)


LEADER_REVIEW = "leader-review"


def sweep_leader_reviews(*, today):
    """四(四)3: the main leader's written 检查 for a major hazard found by a higher department, not yet submitted.
    Reminders 7, 3 and 1 days before its last day to the mine's and its enterprise's officers (a sweep run late sends
    the step that applies now, each step once), and the day after it an overdue notice to them and to the bureau's
    inspectors. Keyed leader-review:<step>:<id>."""
    window = today - dt.timedelta(days=CATCH_UP_DAYS)
    reviews = list(
        LeaderReview.objects.filter(
            submitted_at__isnull=True,
            due_on__gte=window,
            due_on__lte=today + dt.timedelta(days=max(DEFAULT_REMINDER_DAYS)),
        )
        .select_related("hazard__mine")
        .only(
            "pk",
            "due_on",
            "hazard_id",
            "hazard__location",
            "hazard__description",
            "hazard__mine__name",
            "hazard__mine__parent_id",
            "hazard__mine__bureau_id",
        )
    )
    people = users_by_organization(
        list({r.hazard.mine_id for r in reviews} | {r.hazard.mine.parent_id for r in reviews})
    )
    overdue = [r for r in reviews if r.due_on < today]
    inspectors = inspectors_by_bureau({r.hazard.mine.bureau_id for r in overdue})
    url_of = reverse("hazard_detail", args=[0]).replace("/0/", "/{}/")
    notices = []
    for r in reviews:
        mine = r.hazard.mine
        what = f"{mine.name}重大隐患“{r.hazard.location}：{r.hazard.description[:20]}”"
        unit = people.get(mine.pk, []) + people.get(mine.parent_id, [])
        url = url_of.format(r.hazard_id)
        if r.due_on >= today:
            step = reminder_step((r.due_on - today).days)
            notices += [
                Notice(
                    uid,
                    "leader_review_due",
                    f"{LEADER_REVIEW}:{step}:{r.pk}",
                    f"{what}的主要负责人检查应于{md(r.due_on)}前报送",
                    "上级部门查出的重大隐患，企业主要负责人须向县局作出书面检查。请按期报送。",
                    url,
                    "warning",
                )
                for uid in unit
            ]
            continue
        days = (today - r.due_on).days
        notices += [
            Notice(
                uid,
                "leader_review_overdue",
                f"{LEADER_REVIEW}:overdue:{r.pk}",
                f"{what}的主要负责人检查逾期未报送",
                f"报送期限{md(r.due_on)}，已逾期{days}天。",
                url,
                "danger",
            )
            for uid in unit + inspectors.get(mine.bureau_id, [])
        ]
    return notify_many(notices)
