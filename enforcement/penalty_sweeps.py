"""Chasing the periods of penalty cases: the officers when a notice's 陈述申辩 (and 听证) period has ended and the
case waits for its next step; the mine when its fines fall due within DUE_SOON_DAYS, and the mine and the officers
who decided when they are overdue. Each notice is keyed by the case and the step, so a sweep run twice, or after
days of downtime, sends it once."""

import datetime as dt
from collections import defaultdict

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from notifications.recipients import users_by_organization
from notifications.services import Notice, not_yet_notified, notify_many
from notifications.steps import CATCH_UP_DAYS, md

from .models import PAYABLE_STAGES, DocumentOfficer, PenaltyCase, PenaltyParty, PenaltyStage

DUE_SOON_DAYS = 3
STATEMENT_ENDED = "penalty:statement-ended:"
PAYMENT_DUE = "penalty:payment-due:"
PAYMENT_OVERDUE = "penalty:payment-overdue:"


def _officers_of(document_ids):
    """{document id: [user id, …]}: the officers who issued each document (they follow their case)."""
    officers = defaultdict(list)
    for document_id, user_id in DocumentOfficer.objects.filter(document_id__in=document_ids).values_list(
        "document_id", "user_id"
    ):
        officers[document_id].append(user_id)
    return officers


def _unpaid():
    return Exists(PenaltyParty.objects.filter(case=OuterRef("pk"), decided_amount__gt=0, paid_on__isnull=True))


def sweep_penalty_cases(*, today):
    window = today - dt.timedelta(days=CATCH_UP_DAYS)
    ended = PenaltyCase.objects.filter(
        Q(hearing_due_on__isnull=True) | Q(hearing_due_on__lt=today),
        stage=PenaltyStage.NOTIFIED,
        statement_due_on__lt=today,
        statement_due_on__gte=window,
    )
    payable = PenaltyCase.objects.filter(_unpaid(), stage__in=PAYABLE_STAGES)
    due_soon = payable.filter(payment_due_on__gte=today, payment_due_on__lte=today + dt.timedelta(days=DUE_SOON_DAYS))
    overdue = payable.filter(payment_due_on__lt=today, payment_due_on__gte=window)
    fields = ("pk", "number", "cause", "mine__name", "notice_id", "decision_id", "statement_due_on", "payment_due_on")
    ended = list(not_yet_notified(ended, STATEMENT_ENDED).select_related("mine").only(*fields, "hearing_due_on"))
    due_soon = list(not_yet_notified(due_soon, PAYMENT_DUE).select_related("mine").only(*fields, "mine_id"))
    overdue = list(not_yet_notified(overdue, PAYMENT_OVERDUE).select_related("mine").only(*fields, "mine_id"))
    officers = _officers_of([c.notice_id for c in ended] + [c.decision_id for c in overdue])
    people = users_by_organization({c.mine_id for c in due_soon + overdue})
    url_of = reverse("penalty_case_detail", args=[0]).replace("/0/", "/{}/")
    notices = []
    for case in ended:
        last = max(d for d in (case.statement_due_on, case.hearing_due_on) if d)
        title = f"{case.mine.name}行政处罚案件（{case.number}）陈述申辩期限已满"
        body = f"陈述申辩、申请听证的期限已于{md(last)}届满，请登记当事人陈述申辩情况后作出处罚决定。"
        notices += [
            Notice(uid, "penalty_statement_ended", f"{STATEMENT_ENDED}{case.pk}", title, body, url_of.format(case.pk))
            for uid in officers.get(case.notice_id, [])
        ]
    for case in due_soon:
        title = f"{case.mine.name}行政处罚罚款将于{md(case.payment_due_on)}到期"
        body = f"请在{md(case.payment_due_on)}前缴纳《行政处罚决定书》（{case.cause}）决定的罚款。"
        notices += [
            Notice(
                uid, "penalty_payment_due", f"{PAYMENT_DUE}{case.pk}", title, body, url_of.format(case.pk), "warning"
            )
            for uid in people.get(case.mine_id, [])
        ]
    for case in overdue:
        days = (today - case.payment_due_on).days
        title = f"{case.mine.name}行政处罚罚款逾期未缴（{case.number}）"
        body = (
            f"缴纳期限{md(case.payment_due_on)}，已逾期{days}天。到期不缴纳罚款的，每日按罚款数额的百分之三加处罚款；"
            "逾期不履行的，县局可依法申请人民法院强制执行。"
        )
        recipients = people.get(case.mine_id, []) + officers.get(case.decision_id, [])
        notices += [
            Notice(
                uid,
                "penalty_payment_overdue",
                f"{PAYMENT_OVERDUE}{case.pk}",
                title,
                body,
                url_of.format(case.pk),
                "danger",
            )
            for uid in recipients
        ]
    return notify_many(notices)
