"""Benchmark of one full round of the deadline sweeps at scale (not a test: prints figures).

Builds a bureau with N mines (one officer each) under enterprises, clones the 2024 campaign, runs the sweeps on a
reminder day and on an overdue day, prints seconds and query counts, and rolls everything back."""

import datetime as dt
import time

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from accounts.models import Organization, Role, User
from campaign.models import Campaign
from campaign.services import campaign_clone
from campaign.template_data import read_template
from sweeps.registry import run_all_sweeps


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "基准测试：在 N 个煤矿 × 5 个报送时限的规模上执行一轮催办扫描，打印耗时和查询次数（结束后回滚）。"

    def add_arguments(self, parser):
        parser.add_argument("--orgs", type=int, default=5000)

    def handle(self, *args, orgs, **options):
        try:
            with transaction.atomic():
                self._run(orgs)
                raise Rollback
        except Rollback:
            self.stdout.write("（已回滚，数据库未改变）")

    def _run(self, n):
        t0 = time.perf_counter()
        bureau = Organization.objects.create(kind="bureau", name="基准测试局")
        enterprises = Organization.objects.bulk_create(
            Organization(kind="enterprise", name=f"基准主体{i}", parent=bureau, bureau=bureau)
            for i in range(max(1, n // 10))
        )
        mines = Organization.objects.bulk_create(
            Organization(kind="mine", name=f"基准煤矿{i}", parent=enterprises[i % len(enterprises)], bureau=bureau)
            for i in range(n)
        )
        password = make_password(None)  # unusable
        User.objects.bulk_create(
            User(
                username=f"bench{o.pk}",
                role=Role.MINE_OFFICER if o.kind == "mine" else Role.ENTERPRISE_OFFICER,
                organization=o,
                password=password,
            )
            for o in [*mines, *enterprises]
        )
        User.objects.create(username="bench-inspector", role=Role.INSPECTOR, organization=bureau, password=password)
        template = Campaign.objects.get(code=read_template()["code"])
        campaign_clone(source=template, code="bench-campaign", starts_on=dt.date(2024, 10, 28), bureau=bureau)
        self.stdout.write(f"构造 {n} 个煤矿、{len(enterprises)} 个主体：{time.perf_counter() - t0:.1f} 秒")
        for label, day in (
            ("提醒日 2024-10-24（d-7）", dt.date(2024, 10, 24)),
            ("逾期日 2024-12-02", dt.date(2024, 12, 2)),
        ):
            for attempt in ("首轮", "重复一轮"):
                with CaptureQueriesContext(connection) as queries:
                    t = time.perf_counter()
                    result = run_all_sweeps(today=day)
                    seconds = time.perf_counter() - t
                total = sum(result.values())
                self.stdout.write(
                    f"{label} {attempt}：{seconds:.2f} 秒，{len(queries)} 次查询，新通知 {total} 条 {result}"
                )
