"""The demo county's notice channels: the bureau's 企业微信 and 钉钉 group robots (addresses on the real services'
hosts with keys that are plainly not real; in development NOTICE_WEBHOOK_TRANSPORT=console only logs them), its quiet
hours, which kinds go to the robots and by SMS, and some deliveries in each status so the 发送记录 page shows what a
county sees after a few days. Idempotent: nothing is added once the bureau has a robot."""

import datetime as dt

from django.utils import timezone

from .models import ChannelPreference, Delivery, DeliveryStatus, Notification, QuietHours, Robot
from .services import Notice, notify_many

DEMO_SECRET = "SEC" + "0" * 61 + "demo"


def seed_channels(*, orgs, users):
    bureau = orgs["bureau"]
    if Robot.objects.filter(organization=bureau).exists():
        return
    wecom = Robot.objects.create(
        organization=bureau,
        kind="wecom",
        name="县局值班群",
        webhook_url="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=DEMO-NOT-A-REAL-KEY",
    )
    ding = Robot.objects.create(
        organization=bureau,
        kind="dingtalk",
        name="安全监管工作群",
        webhook_url="https://oapi.dingtalk.com/robot/send?access_token=DEMO-NOT-A-REAL-TOKEN",
        secret=DEMO_SECRET,
    )
    QuietHours.objects.get_or_create(organization=bureau, defaults={"start": dt.time(22), "end": dt.time(7)})
    for kind, channels in {
        "accident": ["dingtalk", "sms", "wecom"],
        "major_hazard": ["dingtalk", "sms", "wecom"],
        "hazard": ["wecom"],
        "submission_due": ["wecom"],
    }.items():
        ChannelPreference.objects.get_or_create(organization=bureau, kind=kind, defaults={"channels": channels})
    inspector = users["inspector"]
    now = timezone.now()
    if not Notification.objects.filter(recipient=inspector).exists():
        title = "隐患逾期未整改（演示）"
        notify_many([Notice(inspector.pk, "hazard_overdue", "demo:channels:1", title, "", "/hazards/")])
    notices = list(Notification.objects.filter(recipient__organization=bureau).order_by("-id")[:8])
    statuses = [
        (DeliveryStatus.SENT, 1, ""),
        (DeliveryStatus.SENT, 3, ""),  # sent after two failures
        (DeliveryStatus.PENDING, 2, "HTTP 502"),
        (DeliveryStatus.FAILED, 6, "{robot_error}"),
        (DeliveryStatus.SKIPPED, 0, "群机器人已停用或删除。"),
    ]
    rows = []
    for i, notice in enumerate(notices):
        status, attempts, error = statuses[i % len(statuses)]
        robot = wecom if i % 2 == 0 else ding
        # each service's own refusal, as its robot would have answered
        robot_error = (
            "企业微信返回错误 93000：invalid webhook url" if robot is wecom else "钉钉返回错误 310000：sign not match"
        )
        error = error.format(robot_error=robot_error)
        rows.append(
            Delivery(
                notification=notice,
                key=notice.key,
                organization=bureau,
                channel=robot.channel,
                target=f"robot:{robot.pk}",
                robot=robot,
                status=status,
                attempts=attempts,
                last_error=error,
                last_attempt_at=now if attempts else None,  # not before the row's own 生成时间 (now)
                next_attempt_at=now + dt.timedelta(minutes=4) if status == DeliveryStatus.PENDING else now,
                sent_at=now if status == DeliveryStatus.SENT else None,
            )
        )
    Delivery.objects.bulk_create(rows, ignore_conflicts=True)
