"""The one service that sends notices. Every app's sweep builds `Notice`s and calls `notify_many`."""

from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

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
    """Insert, skipping any already there; return how many were inserted."""
    from django.db import connection

    if not notices:
        return 0
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
        return len(notices)
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
            "created_at, email_status) VALUES %s ON CONFLICT (recipient_id, key) DO NOTHING RETURNING 1",
            rows,
            page_size=len(rows),
            fetch=True,
        )
    return len(inserted)


def _enqueue_emails():
    from .tasks import send_pending_emails

    try:
        send_pending_emails.delay()
    except Exception:  # broker down: the periodic outbox task sends them later
        import logging

        logging.getLogger(__name__).warning("通知邮件暂未入队（消息队列不可用），稍后由定时任务发送。")


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
