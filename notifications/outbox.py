"""The channels' outbox (短信、企业微信、钉钉): deliveries planned with the notices, sent by a worker.

Planning runs inside the transaction that inserts the notices (services._insert_notices), so a notice and its
deliveries commit together or not at all; the unique constraints make a re-run plan nothing twice (one row per
notice, channel and target; one robot message per notice key, however many of the bureau's people it went to).

Sending (`deliveries_send`) locks due rows with SKIP LOCKED, so two workers never send one row; a failure is retried
after 1, 2, 4 … minutes (at most an hour) and marked 失败 after NOTICE_MAX_ATTEMPTS; each robot (and the SMS
account) sends at most its rate per minute, the rest waits for the next minute; a non-urgent notice planned in an
organisation's quiet hours waits for their end."""

import datetime as dt
import logging
from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from core.masking import mask
from core.tasks import enqueue

from .kinds import is_urgent, kind_of
from .models import ROBOT_CHANNELS, Channel, ChannelPreference, Delivery, DeliveryStatus, QuietHours, Robot

logger = logging.getLogger(__name__)


# ---------------------------------------------------------------- quiet hours


def _parse(value):
    hours, _, minutes = str(value).partition(":")
    return dt.time(int(hours), int(minutes or 0))


def default_quiet_hours():
    return _parse(settings.NOTICE_QUIET_HOURS_START), _parse(settings.NOTICE_QUIET_HOURS_END)


def quiet_until(start, end, now):
    """The end of the quiet hours `start`–`end` (local) if `now` falls in them, else None."""
    if start == end:
        return None
    local = timezone.localtime(now)
    t = local.time()
    today = local.date()

    def at(day, time):
        return timezone.make_aware(dt.datetime.combine(day, time), timezone.get_current_timezone())

    if start < end:  # within one day (12:00–14:00)
        return at(today, end) if start <= t < end else None
    if t >= start:  # overnight (22:00–07:00), evening side
        return at(today + dt.timedelta(days=1), end)
    if t < end:  # overnight, morning side
        return at(today, end)
    return None


def quiet_hours_of(org_ids):
    """{organisation id: (start, end)}: its own quiet hours, or the settings' defaults (one query)."""
    quiet = dict.fromkeys(org_ids, default_quiet_hours())
    quiet.update((q.organization_id, (q.start, q.end)) for q in QuietHours.objects.filter(organization_id__in=org_ids))
    return quiet


# ---------------------------------------------------------------- planning


def plan_deliveries(rows):
    """Plan the deliveries of freshly inserted notices. `rows`: (notification id, recipient id, topic, key).

    One query when nobody concerned chose a channel (the common case); four more otherwise."""
    from accounts.models import User

    if not rows:
        return 0
    recipient_ids = {r[1] for r in rows}
    org_of_users = User.objects.filter(pk__in=recipient_ids).values("organization_id")
    preferences = list(
        ChannelPreference.objects.filter(
            Q(user_id__in=recipient_ids) | Q(organization_id__in=org_of_users)
        ).values_list("user_id", "organization_id", "kind", "channels")
    )
    if not preferences:
        return 0
    by_user = {(u, k): set(c) for u, o, k, c in preferences if u}
    by_org = {(o, k): set(c) for u, o, k, c in preferences if o}
    users = {
        pk: (org_id, phone)
        for pk, org_id, phone in User.objects.filter(pk__in=recipient_ids, is_active=True).values_list(
            "pk", "organization_id", "phone"
        )
    }
    org_ids = {org_id for org_id, _ in users.values() if org_id}
    robots = defaultdict(list)
    if any(set(c) & set(ROBOT_CHANNELS) for (_, _), c in by_org.items()):
        for robot in Robot.objects.filter(organization_id__in=org_ids, active=True).only("pk", "kind", "organization"):
            robots[robot.organization_id].append(robot)
    quiet = quiet_hours_of(org_ids)
    now = timezone.now()
    planned = []
    for notification_id, recipient_id, topic, key in rows:
        if recipient_id not in users:
            continue
        org_id, phone = users[recipient_id]
        kind = kind_of(topic)
        urgent = is_urgent(topic)
        when = now if urgent or org_id is None else (quiet_until(*quiet[org_id], now) or now)
        common = {"notification_id": notification_id, "key": key, "urgent": urgent, "next_attempt_at": when}
        own = by_user.get((recipient_id, kind))
        unit = by_org.get((org_id, kind), set())
        if Channel.SMS in (own if own is not None else unit) and phone and org_id:
            planned.append(Delivery(channel=Channel.SMS, target=phone[:60], organization_id=org_id, **common))
        for robot in robots.get(org_id, ()):
            if robot.channel in unit:
                planned.append(
                    Delivery(
                        channel=robot.channel, target=f"robot:{robot.pk}", robot=robot, organization_id=org_id, **common
                    )
                )
    if planned:
        # ON CONFLICT DO NOTHING: a robot's message already planned for this key (another recipient) is not doubled
        Delivery.objects.bulk_create(planned, ignore_conflicts=True)
        transaction.on_commit(enqueue_sending)
    return len(planned)


def enqueue_sending():
    from .tasks import send_deliveries

    # broker down: the beat's catch-up sends them within the minute it is back
    enqueue(send_deliveries, when_broker_down="通知发送暂未入队（消息队列不可用），稍后由定时任务发送。")


# ---------------------------------------------------------------- sending


def _bucket(delivery):
    return delivery.target if delivery.channel in ROBOT_CHANNELS else Channel.SMS


def _rate(bucket):
    return settings.SMS_RATE_PER_MINUTE if bucket == Channel.SMS else settings.NOTICE_ROBOT_RATE_PER_MINUTE


def _recent_attempts(buckets, since):
    robots = [b for b in buckets if b != Channel.SMS]
    counts = defaultdict(int)
    q = Q(target__in=robots) if robots else Q(pk__in=[])
    if Channel.SMS in buckets:
        q |= Q(channel=Channel.SMS)
    rows = (
        Delivery.objects.filter(q, last_attempt_at__gte=since)
        .values("channel", "target")
        .annotate(n=Count("pk"))
        .values_list("channel", "target", "n")
    )
    for channel, target, n in rows:
        counts[target if channel in ROBOT_CHANNELS else Channel.SMS] += n
    return counts


def backoff(attempts):
    """1, 2, 4, … minutes after the n-th failed attempt, at most an hour."""
    return dt.timedelta(minutes=min(2 ** max(attempts - 1, 0), 60))


def deliveries_send(*, batch=20):
    """Send what is due; return how many were sent. Safe to run in several workers at once."""
    from . import providers

    sent = 0
    while True:
        now = timezone.now()
        with transaction.atomic():
            rows = list(
                Delivery.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
                .select_related("notification", "robot")
                .order_by("next_attempt_at", "id")[:batch]
            )
            if not rows:
                return sent
            used = _recent_attempts({_bucket(d) for d in rows}, now - dt.timedelta(minutes=1))
            quiet = quiet_hours_of({d.organization_id for d in rows if not d.urgent})
            for delivery in rows:
                fields = ["status", "attempts", "next_attempt_at", "last_attempt_at", "last_error", "sent_at"]
                if delivery.channel in ROBOT_CHANNELS and (delivery.robot is None or not delivery.robot.active):
                    delivery.status, delivery.last_error = DeliveryStatus.SKIPPED, "群机器人已停用或删除。"
                    delivery.save(update_fields=fields)
                    continue
                bucket = _bucket(delivery)
                if used[bucket] >= _rate(bucket):  # this minute's share is used: the next minute
                    delivery.next_attempt_at = now + dt.timedelta(minutes=1)
                    delivery.save(update_fields=fields)
                    continue
                used[bucket] += 1
                delivery.attempts += 1
                delivery.last_attempt_at = now
                try:
                    providers.send(delivery)
                except Exception as exc:  # any failure is the delivery's, never the outbox's
                    delivery.last_error = mask(str(exc))[:500] or type(exc).__name__
                    if delivery.attempts >= settings.NOTICE_MAX_ATTEMPTS:
                        delivery.status = DeliveryStatus.FAILED
                    else:  # a retry of an ordinary notice that would fall in the quiet hours waits for their end
                        retry_at = now + backoff(delivery.attempts)
                        if not delivery.urgent:
                            retry_at = quiet_until(*quiet[delivery.organization_id], retry_at) or retry_at
                        delivery.next_attempt_at = retry_at
                    logger.warning(
                        "通知发送失败（%s，第 %s 次）：%s", delivery.channel, delivery.attempts, delivery.last_error
                    )
                else:
                    delivery.status, delivery.sent_at, delivery.last_error = DeliveryStatus.SENT, now, ""
                    sent += 1
                delivery.save(update_fields=fields)
