"""The one service that sends notices. Every app's sweep builds `Notice`s and calls `notify_many`."""

from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from core.tasks import enqueue

from .models import EmailStatus, Level, Notification


@dataclass(frozen=True)
class Notice:
    recipient_id: int
    topic: str
    key: str
    title: str
    body: str = ""
    url: str = ""
    level: str = Level.INFO


def notify_many(notices, *, chunk=None):
    """Record the notices not recorded before; return how many are new. Safe to call twice or concurrently:
    the unique (recipient, key) constraint drops duplicates, and e-mail goes out through the outbox.

    Each chunk commits on its own, so a worker killed half-way leaves whole chunks behind and the re-run
    completes the rest."""
    import time

    from django.db import connection

    chunk = chunk or settings.NOTIFY_CHUNK_SIZE
    created = 0
    notices = list({(n.recipient_id, n.key): n for n in notices}.values())
    for start in range(0, len(notices), chunk):
        part = notices[start : start + chunk]
        if connection.vendor != "postgresql":  # PostgreSQL counts what it inserted itself (ON CONFLICT … RETURNING)
            existing = set(
                Notification.objects.filter(key__in={n.key for n in part}).values_list("recipient_id", "key")
            )
            part = [n for n in part if (n.recipient_id, n.key) not in existing]
        with transaction.atomic():
            new = _insert_notices(part)  # a concurrent sweep that got there first is ignored by the constraint
            if new:
                transaction.on_commit(_enqueue_emails)
        created += new
        if settings.NOTIFY_PAUSE_SECONDS:  # fault-injection only: lets a test kill a worker mid-sweep
            time.sleep(settings.NOTIFY_PAUSE_SECONDS)
    return created


def _insert_notices(notices):
    """Insert, skipping any already there, and plan the new ones' deliveries by the channels chosen for them (短信、
    群机器人) in the same transaction; return how many were inserted."""
    from .outbox import plan_deliveries

    inserted = _insert_rows(notices)
    plan_deliveries(inserted)
    return len(inserted)


def _insert_rows(notices):
    """Insert, skipping any already there; return (id, recipient id, topic, key) of the rows inserted."""
    from django.db import connection

    if not notices:
        return []
    if connection.vendor != "postgresql":
        Notification.objects.bulk_create(
            [
                Notification(
                    recipient_id=n.recipient_id,
                    topic=n.topic,
                    key=n.key,
                    title=n.title[:200],
                    body=n.body,
                    url=n.url[:300],
                    level=n.level,
                )
                for n in notices
            ],
            ignore_conflicts=True,
        )
        keys = {(n.recipient_id, n.key) for n in notices}
        return [
            row
            for row in Notification.objects.filter(key__in={n.key for n in notices}).values_list(
                "pk", "recipient_id", "topic", "key"
            )
            if (row[1], row[3]) in keys
        ]
    # PostgreSQL: one multi-row INSERT per page, without building a model object per notice.
    from django.utils import timezone
    from psycopg2.extras import execute_values

    now = timezone.now()
    rows = [
        (n.recipient_id, n.topic, n.key, n.title[:200], n.body, n.url[:300], n.level, now, EmailStatus.PENDING)
        for n in notices
    ]
    with connection.cursor() as cursor:
        inserted = execute_values(
            cursor.cursor,
            f"INSERT INTO {Notification._meta.db_table} (recipient_id, topic, key, title, body, url, level, "
            "created_at, email_status) VALUES %s ON CONFLICT (recipient_id, key) DO NOTHING "
            "RETURNING id, recipient_id, topic, key",
            rows,
            page_size=len(rows),
            fetch=True,
        )
    return [tuple(row) for row in inserted]


def _enqueue_emails():
    from .tasks import send_pending_emails

    # broker down: the periodic outbox task sends them later
    enqueue(send_pending_emails, when_broker_down="通知邮件暂未入队（消息队列不可用），稍后由定时任务发送。")


def notification_mark_read(*, user, notification_id):
    return Notification.objects.filter(recipient=user, pk=notification_id, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def notification_mark_all_read(*, user):
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


def notifications_withdraw(*, keys):
    """Take back every notice keyed by one of `keys`, whoever it went to, with its mail if not yet sent: they were
    about records that are gone (an import undone), and their links would lead to a 404. Runs in the caller's
    transaction. Returns how many were taken back."""
    keys = sorted(set(keys))
    withdrawn = 0
    for start in range(0, len(keys), 1000):  # a bound on the size of the IN (…) list
        withdrawn += Notification.objects.filter(key__in=keys[start : start + 1000]).delete()[0]
    return withdrawn


def send_pending_emails(*, batch=200):
    """Send the outbox. Rows are locked and skipped by other workers, so two workers never send one twice."""
    sent = 0
    while True:
        with transaction.atomic():
            rows = list(
                Notification.objects.select_for_update(skip_locked=True)
                .filter(email_status=EmailStatus.PENDING)
                .select_related("recipient")
                .order_by("id")[:batch]
            )
            if not rows:
                return sent
            for n in rows:
                user = n.recipient
                if not user.email or not user.email_notices or not user.is_active:
                    n.email_status = EmailStatus.SKIPPED
                    continue
                try:
                    _send_one(n)
                except Exception:  # a bad address or a mail server hiccup must not stop the outbox
                    n.email_status = EmailStatus.FAILED
                else:
                    n.email_status = EmailStatus.SENT
                    n.emailed_at = timezone.now()
                    sent += 1
            Notification.objects.bulk_update(rows, ["email_status", "emailed_at"])


def _send_one(notification):
    context = {"n": notification, "site_url": settings.SITE_URL.rstrip("/")}
    text = render_to_string("notifications/email.txt", context)
    html = render_to_string("notifications/email.html", context)
    message = EmailMultiAlternatives(
        subject=f"【百日专项整治】{notification.title}",
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.recipient.email],
    )
    message.attach_alternative(html, "text/html")
    message.send()


def not_yet_notified(queryset, key_prefix):
    """The rows of `queryset` for which no notice keyed `<key_prefix><id>` exists yet, decided in the database
    (an anti-join on the indexed key), so a sweep reads only what is new instead of everything in its window."""
    from django.db.models import CharField, Exists, OuterRef, Value
    from django.db.models.functions import Cast, Concat

    key = Concat(Value(key_prefix), Cast("pk", output_field=CharField()), output_field=CharField())
    return queryset.annotate(_notice_key=key).filter(~Exists(Notification.objects.filter(key=OuterRef("_notice_key"))))


# ---------------------------------------------------------------- channels: robots and preferences (issue 23)


def robot_save(*, actor, robot=None, kind, name, webhook_url, secret="", active=True):
    """Add a group robot to the actor's bureau, or change one of its own. A blank `secret` on a change keeps the
    stored one (the page never shows it back)."""
    import logging

    from core.errors import DomainError, NotFound, NotPermitted

    from .models import Robot, RobotKind
    from .permissions import can_manage_robots
    from .providers import webhook_url_problem

    if not can_manage_robots(actor):
        raise NotPermitted("只有县局执法人员可以设置本局的群机器人。")
    name, webhook_url, secret = (name or "").strip(), (webhook_url or "").strip(), (secret or "").strip()
    if kind not in RobotKind.values:
        raise DomainError("请选择机器人类型。", field="kind")
    if not name or len(name) > 60:
        raise DomainError("请填写名称（不超过 60 字）。", field="name")
    problem = webhook_url_problem(webhook_url)
    if problem:
        raise DomainError(problem, field="webhook_url")
    if len(webhook_url) > 500 or len(secret) > 200:
        raise DomainError("Webhook 地址不超过 500 个字符，密钥不超过 200 个字符。", field="webhook_url")
    with transaction.atomic():
        if robot is None:
            robot = Robot(organization_id=actor.organization_id)
        else:
            robot = Robot.objects.select_for_update().filter(pk=robot.pk).first()
            if robot is None or robot.organization_id != actor.organization_id:
                raise NotFound("没有找到这个群机器人。")
        robot.kind, robot.name, robot.webhook_url, robot.active = kind, name, webhook_url, bool(active)
        if secret:
            robot.secret = secret
        if robot.kind == RobotKind.DINGTALK and not robot.secret:
            raise DomainError("钉钉机器人请填写加签密钥（安全设置选“加签”，以 SEC 开头）。", field="secret")
        robot.save()
    logging.getLogger(__name__).info(
        "群机器人已保存：%s（单位 %s，操作人 %s）", robot.pk, robot.organization_id, actor.pk
    )
    return robot


def robot_test_send(*, actor, robot):
    """Post a test message to the robot now (not through the outbox): the page tells the writer at once whether the
    address and the secret work."""
    from core.errors import DomainError, NotPermitted

    from .permissions import can_manage_robots
    from .providers import DeliveryError, send_robot

    if not can_manage_robots(actor, robot):
        raise NotPermitted("只有本局执法人员可以测试本局的群机器人。")
    title = "测试消息：百日专项整治系统"
    text = f"**{title}**\n\n这是{actor.get_full_name() or actor.username}发出的测试消息，收到即表示设置正确。"
    try:
        send_robot(robot, title, text)
    except DeliveryError as exc:
        raise DomainError(f"发送失败：{exc}") from None


def channel_preferences_save(*, actor, choices, organization=None):
    """Save which channels each kind of notice goes to: `choices` {kind: [channel, …]}. Of the actor itself, or of
    its organisation (`organization`, which must be the actor's own and the actor one who keeps it)."""
    from core.errors import DomainError, NotPermitted

    from .kinds import NoticeKind
    from .models import ROBOT_CHANNELS, Channel, ChannelPreference
    from .permissions import can_set_unit_channels

    if organization is not None and (organization.pk != actor.organization_id or not can_set_unit_channels(actor)):
        raise NotPermitted("只有本单位的管理人员可以设置本单位的通知渠道。")
    allowed = set(Channel.values) if organization is not None else {Channel.SMS}
    owner = {"organization": organization} if organization is not None else {"user": actor}
    with transaction.atomic():
        existing = {p.kind: p for p in ChannelPreference.objects.select_for_update().filter(**owner)}
        for kind in NoticeKind.values:
            channels = sorted(set(choices.get(kind, ())))
            if organization is None and set(channels) & set(ROBOT_CHANNELS):
                raise DomainError("群机器人只能按单位设置。")
            if set(channels) - allowed:
                raise DomainError("所选渠道不可用。")
            row = existing.get(kind)
            if row is None:
                ChannelPreference.objects.create(kind=kind, channels=channels, **owner)
            elif row.channels != channels:
                row.channels = channels
                row.save(update_fields=["channels"])


def quiet_hours_save(*, actor, organization, start, end):
    """The organisation's quiet hours (local time; start = end: none), kept by whoever keeps its channels."""
    from core.errors import NotPermitted

    from .models import QuietHours
    from .permissions import can_set_unit_channels

    if organization is None or organization.pk != actor.organization_id or not can_set_unit_channels(actor):
        raise NotPermitted("只有本单位的管理人员可以设置本单位的免打扰时段。")
    with transaction.atomic():
        row, _ = QuietHours.objects.select_for_update().update_or_create(
            organization=organization, defaults={"start": start, "end": end}
        )
    return row
