import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from notifications.services import send_pending_emails
from sweeps.registry import ALL_SWEEPS


class Command(BaseCommand):
    help = (
        "立即执行一轮全部催办扫描（报送、隐患整改、脱产培训、“三违”倒查、通报任务），再发送待发邮件。"
        "可重复执行，不会重复通知。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按哪一天执行（YYYY-MM-DD），默认今天")
        parser.add_argument("--only", choices=sorted(ALL_SWEEPS), action="append", help="只执行某项扫描，可重复")
        parser.add_argument("--no-email", action="store_true", help="不发送邮件")

    def handle(self, *args, date=None, only=None, no_email=False, **options):
        from django.utils import timezone

        try:
            today = dt.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError as exc:
            raise CommandError("日期格式应为 YYYY-MM-DD。") from exc
        for name, sweep in ALL_SWEEPS.items():
            if only and name not in only:
                continue
            self.stdout.write(f"{name}: 新通知 {sweep(today=today)} 条")
        if not no_email:
            self.stdout.write(f"邮件：发送 {send_pending_emails()} 封")
