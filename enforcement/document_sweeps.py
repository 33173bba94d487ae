"""Chasing the deadlines written in enforcement documents (执法文书), like every other deadline of the campaign.

- 责令限期整改指令书 (issued or served): each item has its 整改期限. The mine is reminded 3 days and 1 day before a
  date (the items falling due that day together); after it, the document's officers and the mine's 监管专员 are told
  that 复查 is due — the day after and then weekly, until a 整改复查意见书 following that order is issued (then
  nothing more, before or after the date).
- Any other document with its `deadline` set: the same reminders to the mine, and once the deadline has passed the
  officers and the 监管专员 are told to check it was carried out (once).
- Not here: 行政处罚告知书 and 决定书, whose periods (陈述申辩, 缴纳罚款) are the penalty case's (penalty_sweeps), and
  责令停产整顿指令书, which has no fixed deadline (its end is 复产验收).

Each notice is keyed by the document, the date and the step (`document:<step>:<document id>:<date>:<round>`), so a
sweep run twice, retried or run after days of downtime sends each once, and catches up with the step that applies
now (notifications.steps), not every step it missed.
"""

import datetime as dt
from collections import defaultdict

from django.db.models import Count
from django.urls import NoReverseMatch, reverse

from accounts.models import MineSupervisor
from notifications.recipients import users_by_organization
from notifications.services import Notice, notify_many
from notifications.steps import CATCH_UP_DAYS, md, overdue_round

from .models import DocumentItem, DocumentKind, DocumentOfficer, DocumentStatus, EnforcementDocument

#: reminders before a date in a document, in days (the last one also on the day itself)
REMINDER_DAYS = (3, 1)
#: kinds whose deadlines are chased elsewhere, or that have none
NOT_SWEPT = (DocumentKind.PENALTY_NOTICE, DocumentKind.PENALTY_DECISION, DocumentKind.SUSPENSION_ORDER)
DUE = "document:due"
REVIEW_DUE = "document:review-due"
DEADLINE_PASSED = "document:deadline-passed"


def reminder_step(days_left):
    """'d-3' or 'd-1' for the reminder that applies with `days_left` days to go (0: the day itself), else None."""
    if days_left < 0:
        return None
    for days in sorted(REMINDER_DAYS):
        if days_left <= days:
            return f"d-{days}"
    return None


def document_url(pk):
    """The document's page. It is the documents part's (`document_detail`); until that page is deployed with this
    sweep, the link is its agreed address."""
    try:
        return reverse("document_detail", args=[pk])
    except NoReverseMatch:
        return f"/enforcement/documents/{pk}/"


def _dates_due(today):
    """{(document id, date): number of items due that day (0: the document's own deadline)} for live documents with a
    date between CATCH_UP_DAYS ago and the first reminder ahead."""
    start, end = today - dt.timedelta(days=CATCH_UP_DAYS), today + dt.timedelta(days=max(REMINDER_DAYS))
    live = EnforcementDocument.objects.exclude(status=DocumentStatus.DRAFT).exclude(kind__in=NOT_SWEPT)
    dates = {}
    items = (
        DocumentItem.objects.filter(
            document__in=live.filter(kind=DocumentKind.RECTIFICATION_ORDER), due_on__gte=start, due_on__lte=end
        )
        .values_list("document_id", "due_on")
        .annotate(n=Count("id"))
        .order_by()
    )
    for document_id, due_on, n in items:
        dates[(document_id, due_on)] = n
    for document_id, deadline in live.filter(deadline__gte=start, deadline__lte=end).values_list("pk", "deadline"):
        dates.setdefault((document_id, deadline), 0)
    return dates


def _reviewed(order_ids):
    """The orders a 整改复查意见书 (issued, not a draft) follows: their 复查 is done."""
    return set(
        EnforcementDocument.objects.filter(kind=DocumentKind.REVIEW_OPINION, follows_id__in=order_ids)
        .exclude(status=DocumentStatus.DRAFT)
        .values_list("follows_id", flat=True)
    )


def _bureau_side(documents):
    """{document id: [user id, …]}: its officers and its mine's 监管专员 still at work."""
    officers = defaultdict(list)
    for document_id, user_id in DocumentOfficer.objects.filter(document_id__in=[d.pk for d in documents]).values_list(
        "document_id", "user_id"
    ):
        officers[document_id].append(user_id)
    supervisors = defaultdict(list)
    for mine_id, user_id in (
        MineSupervisor.objects.active()
        .filter(mine_id__in={d.mine_id for d in documents})
        .values_list("mine_id", "supervisor_id")
    ):
        supervisors[mine_id].append(user_id)
    return {d.pk: list(dict.fromkeys(officers[d.pk] + supervisors[d.mine_id])) for d in documents}


def sweep_documents(*, today):
    dates = _dates_due(today)
    if not dates:
        return 0
    documents = {
        d.pk: d
        for d in EnforcementDocument.objects.filter(pk__in={pk for pk, _ in dates})
        .select_related("mine")
        .only("pk", "kind", "number", "mine__name", "mine_id")
    }
    reviewed = _reviewed([pk for pk, d in documents.items() if d.kind == DocumentKind.RECTIFICATION_ORDER])
    reminders, passed = [], []
    for (pk, day), items in sorted(dates.items()):
        if pk in reviewed:
            continue  # reviewed: nothing more to chase, before the date or after it
        days_left = (day - today).days
        if days_left >= 0:
            step = reminder_step(days_left)
            if step:
                reminders.append((documents[pk], day, items, step))
        else:
            passed.append((documents[pk], day, items, -days_left))
    people = users_by_organization({d.mine_id for d, *_ in reminders})
    bureau_side = _bureau_side([d for d, *_ in passed])
    notices = []
    for document, day, items, step in reminders:
        what = f"{document.get_kind_display()}（{document.number}）"
        when = "今天" if day == today else f"将于{md(day)}"
        if items:
            title = f"{document.mine.name}：{what}中{items}项问题{when}到整改期限"
            body = "请按期整改到位，整改完成后报请县局复查。"
        else:
            title = f"{document.mine.name}：{what}规定的期限{when}届满"
            body = "请在期限内落实文书的要求。"
        key = f"{DUE}:{document.pk}:{day:%Y%m%d}:{step}"
        notices += [
            Notice(uid, "document_due", key, title, body, document_url(document.pk), "warning")
            for uid in people.get(document.mine_id, [])
        ]
    for document, day, items, days in passed:
        what = f"{document.get_kind_display()}（{document.number}）"
        if document.kind == DocumentKind.RECTIFICATION_ORDER:
            key = f"{REVIEW_DUE}:{document.pk}:{day:%Y%m%d}:r{overdue_round(days)}"
            title = f"{document.mine.name}{what}整改期限已到，请组织复查"
            body = (
                f"{items}项问题的整改期限为{md(day)}，已过{days}天，尚未制作整改复查意见书。"
                if items
                else f"指令书规定的期限为{md(day)}，已过{days}天，尚未制作整改复查意见书。"
            ) + "请及时到矿复查，并制作《整改复查意见书》。"
            topic, level = "document_review_due", "danger"
        else:
            if overdue_round(days) != 0:
                continue  # told once, the day after
            key = f"{DEADLINE_PASSED}:{document.pk}:{day:%Y%m%d}"
            title = f"{document.mine.name}{what}规定的期限已届满"
            body = f"期限为{md(day)}，请核查该矿落实情况。"
            topic, level = "document_deadline_passed", "warning"
        notices += [
            Notice(uid, topic, key, title, body, document_url(document.pk), level)
            for uid in bureau_side.get(document.pk, [])
        ]
    return notify_many(notices)
