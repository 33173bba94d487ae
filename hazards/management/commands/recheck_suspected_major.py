"""Re-check ledgers for 疑似重大隐患 (general hazards the 判定标准 matcher rates likely major).

    python manage.py recheck_suspected_major [--mine ID] [--background]

Without --mine: every ledger. --background queues the Celery task instead of running here. It only raises findings on
open general hazards that have none; it never deletes a pending finding nor re-opens a decided one.
"""

from django.core.management.base import BaseCommand, CommandError

from accounts.models import Mine


class Command(BaseCommand):
    help = "重新核查台账中的疑似重大隐患（一般隐患中内容符合重大事故隐患判定标准的）。"

    def add_arguments(self, parser):
        parser.add_argument("--mine", type=int, help="只核查该煤矿（ID）的台账")
        parser.add_argument("--background", action="store_true", help="交给后台任务执行")

    def handle(self, *args, mine=None, background=False, **options):
        if mine is not None and not Mine.objects.filter(pk=mine).exists():
            raise CommandError(f"没有 ID 为 {mine} 的煤矿。")
        if background:
            from hazards.tasks import recheck_suspected_major

            recheck_suspected_major.delay(mine_id=mine)
            self.stdout.write("已交给后台任务。")
            return
        from hazards.services.suspected import suspected_major_recheck

        checked, raised = suspected_major_recheck(mine_id=mine)
        self.stdout.write(f"核查 {checked} 条，新增疑似重大隐患 {raised} 条。")
