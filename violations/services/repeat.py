"""Repeat offenders (the notice, 三(四)1 and 三(三)3): the second serious 三违 of one person within a campaign is
escalated to the enterprise once, and the mine records three 帮教 steps: a talk, training off work and a family
pledge."""

from collections import defaultdict

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from campaign.membership import records_in
from core.errors import DomainError, NotPermitted
from notifications.recipients import users_by_organization
from notifications.services import Notice, notify_many

from ..models import MentoringKind, MentoringStep, RepeatOffender, Severity, Violation
from ..permissions import can_write_violations
from .steps import step_check_new, steps_completed_on


def person_key(name):
    return " ".join((name or "").split())


def repeat_offenders_escalate(*, mine, campaign):
    """Open a case for every person of `mine` with two or more serious 三违 in `campaign` and none yet; tell the
    enterprise (and the mine) once the transaction commits. Runs inside the caller's transaction; returns the new
    cases. Safe to call again: the (mine, campaign, person) constraint holds one case per person."""
    if campaign is None:
        return []
    serious = defaultdict(list)
    rows = (
        records_in(campaign, Violation.objects.filter(mine=mine, severity=Severity.SERIOUS), date_field="occurred_on")
        .order_by("occurred_on", "id")
        .values_list("pk", "person_name")
    )
    for pk, name in rows:
        serious[person_key(name)].append(pk)
    repeat = {name: ids for name, ids in serious.items() if len(ids) >= 2}
    if not repeat:
        return []
    known = set(
        RepeatOffender.objects.filter(mine=mine, campaign=campaign, person_name__in=repeat).values_list(
            "person_name", flat=True
        )
    )
    created = []
    for name, ids in repeat.items():
        if name in known:
            continue
        try:
            with transaction.atomic():  # a concurrent import that got there first keeps its case
                created.append(
                    RepeatOffender.objects.create(
                        mine=mine,
                        campaign=campaign,
                        person_name=name,
                        first_violation_id=ids[0],
                        second_violation_id=ids[1],
                    )
                )
        except IntegrityError:
            continue
    if created:
        transaction.on_commit(lambda: _notify(mine, created))
    return created


def _notify(mine, offenders):
    people = users_by_organization([mine.pk, mine.parent_id])
    recipients = people.get(mine.parent_id, []) + people.get(mine.pk, [])
    notify_many(
        [
            Notice(
                uid,
                "repeat_offender",
                f"violation:repeat:{o.pk}",
                f"{mine.name}{o.person_name}专项整治期间第二次发生严重“三违”",
                "请督促煤矿开展谈话教育、停工培训和家属联保三项帮教，并在系统中登记。",
                reverse("repeat_offender_detail", args=[o.pk]),
                "danger",
            )
            for o in offenders
            for uid in recipients
        ]
    )


@transaction.atomic
def mentoring_step_record(*, actor, offender, kind, done_on, content, responsible):
    offender = RepeatOffender.objects.select_for_update().select_related("mine", "second_violation").get(pk=offender.pk)
    if not can_write_violations(actor, offender.mine):
        raise NotPermitted("您不能为该人员登记帮教措施。")
    if not (content or "").strip():
        raise DomainError("请填写帮教情况。", field="content")
    if not (responsible or "").strip():
        raise DomainError("请填写帮教人。", field="responsible")
    if done_on > timezone.localdate() or done_on < offender.second_violation.occurred_on:
        raise DomainError("帮教日期应在第二次严重“三违”之后、今天之前。", field="done_on")
    step_check_new(offender.steps, kind, MentoringKind, verb="登记")
    step = MentoringStep.objects.create(
        offender=offender, kind=kind, done_on=done_on, content=content, responsible=responsible, recorded_by=actor
    )
    completed_on = steps_completed_on(offender.steps, MentoringKind)
    if completed_on:
        offender.mentoring_completed_on = completed_on
        offender.save(update_fields=["mentoring_completed_on"])
    return step
