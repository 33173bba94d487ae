import datetime as dt

from django.db import transaction
from django.utils import timezone

from campaign.membership import bureau_campaign_on
from core.concurrency import check_row_version
from core.errors import DomainError, InvalidState, NotPermitted
from core.scoping import scope_of

from ..models import Bulletin, BulletinRead, BulletinStatus, Violation
from ..permissions import can_mark_typical


def _check_period(period):
    message = "通报月份格式应为 YYYY-MM，如 2024-11。"
    try:
        year, month = (int(x) for x in period.split("-"))
    except ValueError as exc:
        raise DomainError(message, field="period") from exc
    if not (2000 < year < 2100 and 1 <= month <= 12):
        raise DomainError(message, field="period")


def _check_cases(actor, cases):
    visible = Violation.objects.visible_to(actor)
    ids = [c.pk for c in cases]
    found = set(visible.filter(pk__in=ids, typical=True).values_list("pk", flat=True))
    if len(found) != len(set(ids)):
        raise DomainError("通报只能选用已确定为典型的“三违”案例。", field="cases")


@transaction.atomic
def bulletin_create(*, actor, period, title, body, cases=(), issue_no=""):
    if not can_mark_typical(actor):
        raise NotPermitted("只有县局执法人员可以编写通报。")
    _check_period(period)
    _check_cases(actor, cases)
    year, month = (int(x) for x in period.split("-"))
    bulletin = Bulletin.objects.create(
        bureau_id=actor.bureau_id,
        campaign=bureau_campaign_on(bureau_id=actor.bureau_id, day=dt.date(year, month, 1))
        or bureau_campaign_on(bureau_id=actor.bureau_id, day=timezone.localdate()),
        period=period,
        issue_no=issue_no,
        title=title,
        body=body,
        created_by=actor,
    )
    bulletin.cases.set(cases)
    return bulletin


@transaction.atomic
def bulletin_update(*, actor, bulletin, period, title, body, cases=(), issue_no="", row_version=None):
    bulletin = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
    if not can_mark_typical(actor) or not scope_of(actor).allows_bureau(bulletin.bureau_id):
        raise NotPermitted("只有县局执法人员可以修改通报。")
    check_row_version(bulletin, row_version)
    if bulletin.is_published:
        raise InvalidState("已发布的通报不能修改。")
    _check_period(period)
    _check_cases(actor, cases)
    bulletin.period, bulletin.title, bulletin.body, bulletin.issue_no = period, title, body, issue_no
    bulletin.save()
    bulletin.cases.set(cases)
    return bulletin


@transaction.atomic
def bulletin_publish(*, actor, bulletin):
    bulletin = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
    if not can_mark_typical(actor) or not scope_of(actor).allows_bureau(bulletin.bureau_id):
        raise NotPermitted("只有县局执法人员可以发布通报。")
    if bulletin.is_published:
        raise InvalidState("该通报已经发布。")
    if not bulletin.cases.exists():
        raise InvalidState("通报中还没有典型案例，不能发布。")
    bulletin.status = BulletinStatus.PUBLISHED
    bulletin.published_at = timezone.now()
    bulletin.published_by = actor
    bulletin.save(update_fields=["status", "published_at", "published_by"])
    return bulletin


def bulletin_mark_read(*, user, bulletin):
    BulletinRead.objects.get_or_create(bulletin=bulletin, user=user)
