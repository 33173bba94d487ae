"""Builds a realistic province-sized data set fast, with bulk inserts (for the benchmark, docs/performance.md).

Reference scale: --mines 5000 --hazards-per-mine 200 --violations-per-mine 50 --trips-per-mine 200 (5,000 mines,
1,000,000 hazards, 250,000 三违, 1,000,000 trips underground, ~25,000 submissions). Everything lives under its own
bureau, so it never mixes with the demo county."""

import datetime as dt
import random
import time
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts.models import MineStatus, Organization, Role, User
from campaign.figures import ACCOUNTABILITY_DAYS, BACKTRACK_DAYS, DEFAULTS
from campaign.models import Campaign
from campaign.services import campaign_clone, start_date_for_phase_today
from campaign.template_data import read_template
from core.ledger_import import insert_rows
from hazards.models import ExamResult, Hazard, Inspection, MajorHazardCategory
from hazards.models.hazard import hazard_fingerprint
from notifications.models import Notification
from reporting.models import Submission, SubmissionVersion
from violations.models import Violation
from violations.models.violation import violation_fingerprint

BUREAU = "规模测试应急管理局"
LOCATIONS = [
    "2401综采工作面",
    "2401回风巷",
    "主斜井",
    "中央水仓",
    "中央变电所",
    "1203掘进工作面",
    "3号采空区",
    "副井井口",
    "+540水平运输大巷",
    "1205工作面",
    "+480水平泵房",
    "2402运输巷",
    "井下爆炸材料库",
]
HAZARDS = [
    ("roof", "支架初撑力不足，顶板有离层迹象"),
    ("ventilation", "甲烷传感器吊挂位置不符合规定"),
    ("electromechanical", "带式输送机跑偏保护失效"),
    ("water", "水仓清挖不及时，有效容量不足"),
    ("blasting", "爆破作业未执行“一炮三检”"),
    ("fire", "密闭墙漏风，墙体有裂隙"),
    ("transport", "架空乘人装置越位保护缺失"),
    ("management", "入井人员未全部进行安全检身"),
]
SOURCES = ["team_daily", "unit_weekly", "enterprise_monthly", "group_quarterly", "bureau_inspection"]
VIOLATIONS = [
    ("operation", "采煤机割煤时未打开喷雾装置"),
    ("operation", "空顶作业，未执行敲帮问顶"),
    ("command", "安排无证人员操作水泵"),
    ("discipline", "当班期间睡岗"),
    ("discipline", "未佩戴自救器入井"),
]
STATUS_WEIGHTS = [("closed", 60), ("open", 15), ("rectifying", 15), ("awaiting_acceptance", 10)]


class Command(BaseCommand):
    help = (
        "生成规模测试数据（省级、全国规模），批量写入。例：--mines 5000 --hazards-per-mine 200 --violations-per-mine 50"
    )

    def add_arguments(self, parser):
        parser.add_argument("--mines", type=int, default=5000)
        parser.add_argument("--hazards-per-mine", type=int, default=200)
        parser.add_argument("--violations-per-mine", type=int, default=50)
        parser.add_argument("--trips-per-mine", type=int, default=200, help="人员定位下井记录（每矿）")
        parser.add_argument("--password", default="bench-pass-123")
        parser.add_argument("--seed", type=int, default=2024)
        parser.add_argument("--batch", type=int, default=5000)

    def handle(
        self, *args, mines, hazards_per_mine, violations_per_mine, trips_per_mine, password, seed, batch, **options
    ):
        if Organization.objects.filter(kind="bureau", name=BUREAU).exists():
            raise CommandError(f"“{BUREAU}”已存在：请在一个新的数据库上生成（scripts/bench 会这样做）。")
        self.rng = random.Random(seed)
        self.batch = batch
        self.today = timezone.localdate()
        started = time.perf_counter()
        with transaction.atomic():
            bureau, enterprises, mine_rows = self._organizations(mines)
            users = self._users(bureau, enterprises, mine_rows, password)
            campaign = self._campaign(bureau, users["admin"])
        self._log("单位与用户", started)
        self._hazards(mine_rows, campaign, hazards_per_mine, users)
        self._log(f"隐患 {mines * hazards_per_mine:,} 条", started)
        self._violations(mine_rows, campaign, violations_per_mine)
        self._log(f"“三违” {mines * violations_per_mine:,} 条", started)
        self._positioning(mine_rows, trips_per_mine)
        self._log(f"人员定位下井记录 {mines * trips_per_mine:,} 条", started)
        self._inspections(mine_rows, campaign, users["inspectors"])
        self._submissions(campaign, enterprises, mine_rows, users)
        self._notifications(users)
        self._suspend(mine_rows)
        self._log("全部完成", started)

    def _log(self, what, started):
        self.stdout.write(f"{what}：{time.perf_counter() - started:.1f} 秒")

    def _organizations(self, n):
        bureau = Organization.objects.create(kind="bureau", name=BUREAU, short_name="规模局")
        bureau.refresh_from_db()
        enterprises = Organization.objects.bulk_create(
            Organization(
                kind="enterprise",
                name=f"规模测试能源集团{i:04d}",
                short_name=f"集团{i:04d}",
                parent=bureau,
                bureau=bureau,
            )
            for i in range(max(1, n // 10))
        )
        mines = Organization.objects.bulk_create(
            (
                Organization(
                    kind="mine",
                    name=f"规模测试煤矿{i:05d}",
                    short_name=f"煤矿{i:05d}",
                    parent=enterprises[i % len(enterprises)],
                    bureau=bureau,
                    licence_no=f"MK9{i:09d}",
                    capacity_mt=Decimal(self.rng.choice([30, 45, 60, 90, 120])),
                )
                for i in range(n)
            ),
            batch_size=self.batch,
        )
        return bureau, enterprises, mines

    def _users(self, bureau, enterprises, mines, password):
        hashed = make_password(password)
        rows = [
            User(
                username=f"scale-mine-{m.pk}",
                role=Role.MINE_OFFICER,
                organization=m,
                password=hashed,
                full_name=f"安全员{m.pk}",
            )
            for m in mines
        ]
        rows += [
            User(
                username=f"scale-ent-{e.pk}",
                role=Role.ENTERPRISE_OFFICER,
                organization=e,
                password=hashed,
                full_name=f"安全部长{e.pk}",
            )
            for e in enterprises
        ]
        rows += [
            User(
                username=f"scale-inspector-{i}",
                role=Role.INSPECTOR,
                organization=bureau,
                password=hashed,
                full_name=f"执法人员{i}",
            )
            for i in range(20)
        ]
        rows.append(
            User(username="scale-leader", role=Role.LEADER, organization=bureau, password=hashed, full_name="局长")
        )
        rows.append(
            User(username="scale-admin", role=Role.ADMIN, organization=bureau, password=hashed, full_name="管理员")
        )
        created = User.objects.bulk_create(rows, batch_size=self.batch)
        by_org = {u.organization_id: u for u in created if u.role in (Role.MINE_OFFICER, Role.ENTERPRISE_OFFICER)}
        return {
            "by_org": by_org,
            "inspectors": [u for u in created if u.role == Role.INSPECTOR],
            "admin": created[-1],
        }

    def _campaign(self, bureau, admin):
        template = Campaign.objects.get(code=read_template()["code"])
        starts = start_date_for_phase_today(
            source=template, phase_code="enforcement", today=self.today, days_into_phase=20
        )
        return campaign_clone(source=template, code="scale-campaign", starts_on=starts, bureau=bureau, actor=admin)

    def _days(self, campaign):
        return max(1, (min(self.today, campaign.ends_on) - campaign.starts_on).days)

    def _hazards(self, mines, campaign, per_mine, users):
        rng, span = self.rng, self._days(campaign)
        categories = list(MajorHazardCategory.objects.filter(standard__is_current=True))
        statuses = [s for s, w in STATUS_WEIGHTS for _ in range(w)]
        now = timezone.now()
        buffer = []
        for mine in mines:
            officer = users["by_org"][mine.pk]
            for i in range(per_mine):
                specialty, text = rng.choice(HAZARDS)
                found_on = campaign.starts_on + dt.timedelta(days=rng.randrange(span))
                status = rng.choice(statuses)
                major = rng.random() < 0.01
                due_on = found_on + dt.timedelta(days=rng.randint(1, 20))
                closed = status == "closed"
                location = rng.choice(LOCATIONS)
                description = f"{text}（{i:04d}）"
                buffer.append(
                    {
                        "mine_id": mine.pk,
                        "campaign_id": campaign.pk,
                        "source": rng.choice(SOURCES),
                        "found_on": found_on,
                        "location": location,
                        "specialty": specialty,
                        "description": description,
                        "level": "major" if major else "general",
                        "grade": "" if major else rng.choice("ABC"),
                        "major_category_id": rng.choice(categories).pk if major else None,
                        "measures": "按规程整改并复查",
                        "funds": Decimal(rng.choice([0, 500, 1200, 8000, 50000])),
                        "responsible_unit": "安检科",
                        "responsible_person": "王建军",
                        "due_on": due_on,
                        "contingency_plan": "撤人、断电、设警戒" if major else "",
                        "status": status,
                        "rectified_on": min(due_on, self.today)
                        if status in ("closed", "awaiting_acceptance")
                        else None,
                        "accepted_on": min(due_on, self.today) if closed else None,
                        "accepted_by_name": "周伟" if closed else "",
                        "fingerprint": hazard_fingerprint(
                            found_on=found_on, location=location, description=description
                        ),
                        "created_by_id": officer.pk,
                        "created_at": now,
                        "updated_at": now,
                    }
                )
                if len(buffer) >= self.batch:
                    insert_rows(Hazard, buffer)
                    buffer = []
        if buffer:
            insert_rows(Hazard, buffer)

    def _violations(self, mines, campaign, per_mine):
        rng, span = self.rng, self._days(campaign)
        now = timezone.now()
        buffer = []
        for mine in mines:
            for i in range(per_mine):
                vtype, text = rng.choice(VIOLATIONS)
                occurred = campaign.starts_on + dt.timedelta(days=rng.randrange(span))
                person = f"职工{rng.randint(1, 400):03d}"
                description = f"{text}（{i:03d}）"
                done = rng.random() < 0.8
                buffer.append(
                    {
                        "mine_id": mine.pk,
                        "campaign_id": campaign.pk,
                        "occurred_on": occurred,
                        "backtrack_due_on": occurred + dt.timedelta(days=DEFAULTS[BACKTRACK_DAYS]),
                        "accountability_due_on": occurred + dt.timedelta(days=DEFAULTS[ACCOUNTABILITY_DAYS]),
                        "shift": rng.choice(["zero", "morning", "middle"]),
                        "location": rng.choice(LOCATIONS),
                        "person_name": person,
                        "post": "采煤机司机",
                        "team": "综采一队3班",
                        "department": "综采一队",
                        "type": vtype,
                        "severity": "serious" if rng.random() < 0.3 else "general",
                        "description": description,
                        "found_by": "self",
                        "found_by_name": "安检科",
                        "fine": Decimal(50),
                        "penalty_note": "罚款50元",
                        "typical": rng.random() < 0.002,
                        "backtracks_completed_on": min(self.today, occurred + dt.timedelta(days=3)) if done else None,
                        "fingerprint": violation_fingerprint(
                            occurred_on=occurred, person_name=person, description=description
                        ),
                        "created_at": now,
                        "updated_at": now,
                    }
                )
                if len(buffer) >= self.batch:
                    insert_rows(Violation, buffer)
                    buffer = []
        if buffer:
            insert_rows(Violation, buffer)

    def _positioning(self, mines, per_mine):
        """Trips underground over the last 60 days: most within the limits, a few over 10 h or 8 h at the face."""
        from campaign.figures import DEFAULTS, FACE_HOURS, UNDERGROUND_HOURS
        from workforce.models import PositioningRecord

        # Made-up trips, flagged against the default limits (the notice's 8 h and 10 h).
        MAX_FACE_MINUTES, MAX_UNDERGROUND_MINUTES = DEFAULTS.minutes(FACE_HOURS), DEFAULTS.minutes(UNDERGROUND_HOURS)
        from workforce.services.positioning import positioning_fingerprint

        rng, now, buffer = self.rng, timezone.now(), []
        midnight = timezone.make_aware(dt.datetime.combine(self.today, dt.time(0, 0)))
        for mine in mines:
            for i in range(per_mine):
                entered = midnight - dt.timedelta(days=rng.randrange(1, 61), minutes=rng.choice([-30, 450, 930]))
                minutes = rng.randint(600, 680) if rng.random() < 0.03 else rng.randint(420, 590)
                face = rng.randint(481, 520) if rng.random() < 0.02 else rng.randint(300, min(470, minutes - 60))
                name, card = f"职工{i % 400:03d}", f"{mine.pk % 1000:03d}{i:05d}"
                buffer.append(
                    {
                        "mine_id": mine.pk,
                        "person_name": name,
                        "card_no": card,
                        "team": "综采一队",
                        "entered_at": entered,
                        "exited_at": entered + dt.timedelta(minutes=minutes),
                        "underground_minutes": minutes,
                        "face_minutes": face,
                        "over_underground": minutes > MAX_UNDERGROUND_MINUTES,
                        "over_face": face > MAX_FACE_MINUTES,
                        "over_time": minutes > MAX_UNDERGROUND_MINUTES or face > MAX_FACE_MINUTES,
                        "fingerprint": positioning_fingerprint(person_name=name, card_no=card, entered_at=entered),
                        "created_at": now,
                    }
                )
                if len(buffer) >= self.batch:
                    insert_rows(PositioningRecord, buffer)
                    buffer = []
        if buffer:
            insert_rows(PositioningRecord, buffer)

    def _inspections(self, mines, campaign, inspectors):
        rng, span = self.rng, self._days(campaign)
        modes = ["four_no_two_direct", "open", "covert", "cross", "physical"]
        inspections = Inspection.objects.bulk_create(
            (
                Inspection(
                    mine_id=m.pk,
                    campaign_id=campaign.pk,
                    mode=rng.choice(modes),
                    notes="综合检查",
                    inspected_on=campaign.starts_on + dt.timedelta(days=rng.randrange(span)),
                    created_by=rng.choice(inspectors),
                )
                for m in mines[::2]
            ),
            batch_size=self.batch,
        )
        exams = []
        for inspection in inspections:
            score = rng.randint(40, 100)
            exams.append(
                ExamResult(
                    inspection=inspection,
                    person_name="考生",
                    post="电工",
                    score=score,
                    passed=score >= 80,
                    retraining_due_on=None if score >= 80 else inspection.inspected_on + dt.timedelta(days=30),
                )
            )
        ExamResult.objects.bulk_create(exams, batch_size=self.batch)

    def _submissions(self, campaign, enterprises, mines, users):
        rng = self.rng
        deadlines = list(campaign.deadlines.order_by("due_on"))
        submissions, versions = [], []
        for deadline in deadlines:
            owing = ([*mines] if deadline.owed_by_mines else []) + (
                [*enterprises] if deadline.owed_by_enterprises else []
            )
            for org in owing:
                if rng.random() < 0.08:
                    continue  # missing
                if deadline.due_on >= self.today:
                    # Reports not yet due are drafts being filled in, never sent from the future.
                    submissions.append(
                        Submission(
                            organization_id=org.pk,
                            deadline=deadline,
                            content={"narrative": {"done": "按方案推进"}},
                            created_by=users["by_org"][org.pk],
                        )
                    )
                    continue
                late = rng.random() < 0.15
                sent = timezone.make_aware(
                    dt.datetime.combine(deadline.due_on + dt.timedelta(days=2 if late else -1), dt.time(15))
                )
                status = rng.choice(["submitted", "approved", "approved", "returned"])
                submissions.append(
                    Submission(
                        organization_id=org.pk,
                        deadline=deadline,
                        status=status,
                        versions_submitted=1,
                        content={"narrative": {"done": "按方案推进"}},
                        submitted_at=sent,
                        late=late,
                        days_late=2 if late else 0,
                        created_by=users["by_org"][org.pk],
                    )
                )
        created = Submission.objects.bulk_create(submissions, batch_size=self.batch)
        for s in created:
            if s.status == "draft":
                continue
            review = {"approved": "approved", "returned": "returned"}.get(s.status, "pending")
            versions.append(
                SubmissionVersion(
                    submission=s,
                    number=1,
                    content=s.content,
                    submitted_at=s.submitted_at,
                    submitted_by_id=s.created_by_id,
                    review_status=review,
                )
            )
        SubmissionVersion.objects.bulk_create(versions, batch_size=self.batch)
        self.stdout.write(f"报送 {len(created):,} 份")

    def _notifications(self, users):
        rows = [
            Notification(recipient_id=u.pk, topic="submission_reminder", key=f"scale:{u.pk}", title="报送提醒")
            for u in list(users["by_org"].values())[:20000]
        ]
        Notification.objects.bulk_create(rows, batch_size=self.batch)

    def _suspend(self, mines):
        suspended = Hazard.objects.filter(mine__in=[m.pk for m in mines], level="major").exclude(status="closed")
        Organization.objects.filter(pk__in=suspended.values("mine_id")).update(status=MineStatus.SUSPENDED)
