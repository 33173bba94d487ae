"""Recount the dashboards' maintained figures from the ledgers (dashboards.figures): idempotent, safe to re-run.
A deploy runs it once through the migration that creates the tallies; afterwards the triggers keep them. Run it
after anything the triggers cannot see (TRUNCATE, rows loaded with triggers disabled). `--check` only compares."""

import time

from django.core.management.base import BaseCommand, CommandError

from dashboards import figures


class Command(BaseCommand):
    help = "重算驾驶舱统计表（隐患、“三违”计数），与台账全量计数一致；--check 只比对不写入"

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="只比对维护的计数与全量重算，不一致时退出码 1")

    def handle(self, *args, check=False, **options):
        started = time.monotonic()
        if check:
            wrong = figures.differences()
            if wrong:
                for table, rows in wrong.items():
                    self.stderr.write(f"{table}: {len(rows)} 个分组不一致，例如 {rows[:3]}")
                raise CommandError("驾驶舱统计表与台账不一致：请运行 rebuild_dashboard_figures")
            self.stdout.write(f"驾驶舱统计表与台账一致（{time.monotonic() - started:.1f} 秒）")
            return
        figures.rebuild()
        self.stdout.write(f"驾驶舱统计表已重算（{time.monotonic() - started:.1f} 秒）")
