"""Builds a realistic province-sized data set fast, with bulk inserts (for the benchmark, docs/performance.md).

Reference scale: --mines 5000 --hazards-per-mine 200 --violations-per-mine 50 --trips-per-mine 200 (5,000 mines,
1,000,000 hazards, 250,000 三违, 1,000,000 trips underground, ~25,000 submissions), in a province-like tree
(--cities 12 --counties-per-city 10): one province, 12 cities, 120 county bureaus, the mines and their enterprises
spread over the counties, each county running its own campaign (a clone of the notice's template). Division codes
start with 69 (no real province's), so the tree never mixes with the demo county. `--cities 0` builds the old single
bureau instead (规模测试应急管理局 holding every mine).

Users (password --password): `scale-province` and `scale-city` (regulators of the province and of the first city);
in the first county, as before, `scale-inspector-0`…`19`, `scale-leader`, `scale-admin`; one inspector
`scale-inspector-c<county id>` in every other county; an officer `scale-mine-<id>` / `scale-ent-<id>` per unit."""

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
from hazards.models import ExamResult, Hazard, Inspection, MajorHazardItem
from hazards.models.hazard import hazard_fingerprint
from notifications.models import Notification
from reporting.models import Submission, SubmissionVersion
from violations.models import Violation
from violations.models.violation import violation_fingerprint

BUREAU = "规模测试应急管理局"  # the single bureau of `--cities 0`
PROVINCE = "规模测试省应急管理厅"
PROVINCE_CODE = "69"  # no real province has it: the tree's codes never clash with real (demo) ones
CITY_NAMES = ["云州", "龙城", "河阳", "平川", "临泉", "安宁", "永和", "清源", "长乐", "东陵", "西岭", "南台"]
COUNTY_NAMES = ["城关", "东山", "西河", "南川", "北岭", "新安", "永宁", "和平", "长青", "金沙"]
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
        parser.add_argument("--cities", type=int, default=12, help="省下的市（0：只建一个县局，不建省市）")
        parser.add_argument("--counties-per-city", type=int, default=10, help="每市的县（区）应急管理局")
        parser.add_argument("--password", default="bench-pass-123")
        parser.add_argument("--seed", type=int, default=2024)
        parser.add_argument("--batch", type=int, default=5000)

    def handle(
        self,
        *args,
        mines,
        hazards_per_mine,
        violations_per_mine,
        trips_per_mine,
        cities,
        counties_per_city,
        password,
        seed,
        batch,
        **options,
    ):
        if not (0 <= cities <= 99 and 1 <= counties_per_city <= 99):
            raise CommandError("市的数量应在 0–99 之间，每市县数应在 1–99 之间（行政区划代码各占两位）。")
        if User.objects.filter(username="scale-admin").exists():
            raise CommandError("规模测试数据已存在：请在一个新的数据库上生成（scripts/bench 会这样做）。")
        self.rng = random.Random(seed)
        self.batch = batch
        self.today = timezone.localdate()
        started = time.perf_counter()
        with transaction.atomic():
            tree = self._tree(cities, counties_per_city)
            counties = tree["counties"]
            enterprises, mine_rows = self._organizations(counties, mines)
            users = self._users(tree, enterprises, mine_rows, password)
            campaigns = self._campaigns(counties, users["admin"])
        self._log(f"单位与用户（{len(counties)} 个县局、{len(campaigns)} 个专项整治）", started)
        self._hazards(mine_rows, campaigns, hazards_per_mine, users)
        self._log(f"隐患 {mines * hazards_per_mine:,} 条", started)
        self._violations(mine_rows, campaigns, violations_per_mine)
        self._log(f"“三违” {mines * violations_per_mine:,} 条", started)
        self._positioning(mine_rows, trips_per_mine)
        self._log(f"人员定位下井记录 {mines * trips_per_mine:,} 条", started)
        self._inspections(mine_rows, campaigns, users["inspectors_of"])
        self._submissions(campaigns, enterprises, mine_rows, users)
        self._notifications(users)
        self._suspend(mine_rows)
        # The triggers kept the dashboards' tallies while the rows went in; a full recount leaves them right whatever
        # wrote in between (and costs seconds at this scale).
        from dashboards.figures import rebuild

        rebuild()
        self._log("驾驶舱统计表重算", started)
        self._log("全部完成", started)

    def _log(self, what, started):
        self.stdout.write(f"{what}：{time.perf_counter() - started:.1f} 秒")

    def _tree(self, cities, per_city):
        """The regulators: a province, its cities, their county bureaus (save() sets each one's own bureau_id);
        with no cities, the single bureau of old. 1 + 12 + 120 rows: plain creates are fast enough."""
        if not cities:
            bureau = Organization.objects.create(kind="bureau", name=BUREAU, short_name="规模局")
            return {"province": None, "cities": [], "counties": [bureau]}
        province = Organization.objects.create(
            kind="province", name=PROVINCE, short_name="规模测试省", division_code=f"{PROVINCE_CODE}0000"
        )
        city_rows, counties = [], []
        for c in range(cities):
            city_name = CITY_NAMES[c] if c < len(CITY_NAMES) else f"第{c + 1}"
            city = Organization.objects.create(
                kind="city",
                name=f"{city_name}市应急管理局",
                short_name=f"{city_name}市",
                parent=province,
                division_code=f"{PROVINCE_CODE}{c + 1:02d}00",
            )
            city_rows.append(city)
            for k in range(per_city):
                county_name = COUNTY_NAMES[k] if k < len(COUNTY_NAMES) else f"第{k + 1}"
                suffix = "区" if k == 0 else "县"
                counties.append(
                    Organization.objects.create(
                        kind="bureau",
                        name=f"{city_name}市{county_name}{suffix}应急管理局",
                        short_name=f"{county_name}{suffix}",
                        parent=city,
                        division_code=f"{PROVINCE_CODE}{c + 1:02d}{k + 1:02d}",
                    )
                )
        return {"province": province, "cities": city_rows, "counties": counties}

    def _organizations(self, counties, n):
        """Enterprises dealt round the counties, each enterprise's mines in its county (about 42 mines a county
        at the reference scale)."""
        enterprises = Organization.objects.bulk_create(
            Organization(
                kind="enterprise",
                name=f"规模测试能源集团{i:04d}",
                short_name=f"集团{i:04d}",
                parent=counties[i % len(counties)],
                bureau=counties[i % len(counties)],
            )
            for i in range(max(1, min(n, len(counties)), n // 10))
        )
        mines = Organization.objects.bulk_create(
            (
                Organization(
                    kind="mine",
                    name=f"规模测试煤矿{i:05d}",
                    short_name=f"煤矿{i:05d}",
                    parent=enterprises[i % len(enterprises)],
                    bureau_id=enterprises[i % len(enterprises)].bureau_id,
                    licence_no=f"MK9{i:09d}",
                    capacity_mt=Decimal(self.rng.choice([30, 45, 60, 90, 120])),
                )
                for i in range(n)
            ),
            batch_size=self.batch,
        )
        return enterprises, mines

    def _users(self, tree, enterprises, mines, password):
        bureau = tree["counties"][0]  # the county whose users log in as before
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
        rows += [
            User(
                username=f"scale-inspector-c{county.pk}",
                role=Role.INSPECTOR,
                organization=county,
                password=hashed,
                full_name=f"执法人员{county.pk}",
            )
            for county in tree["counties"][1:]
        ]
        if tree["province"] is not None:
            rows += [
                User(
                    username="scale-province",
                    role=Role.REGULATOR,
                    organization=tree["province"],
                    password=hashed,
                    full_name="省厅监管人员",
                ),
                User(
                    username="scale-city",
                    role=Role.REGULATOR,
                    organization=tree["cities"][0],
                    password=hashed,
                    full_name="市局监管人员",
                ),
            ]
        rows.append(
            User(username="scale-admin", role=Role.ADMIN, organization=bureau, password=hashed, full_name="管理员")
        )
        created = User.objects.bulk_create(rows, batch_size=self.batch)
        by_org = {u.organization_id: u for u in created if u.role in (Role.MINE_OFFICER, Role.ENTERPRISE_OFFICER)}
        inspectors_of = {}
        for u in created:
            if u.role == Role.INSPECTOR:
                inspectors_of.setdefault(u.organization_id, []).append(u)
        return {"by_org": by_org, "inspectors_of": inspectors_of, "admin": created[-1]}

    def _campaigns(self, counties, admin):
        """{county id: its campaign}: each county runs its own clone of the notice (the first keeps the old code)."""
        template = Campaign.objects.get(code=read_template()["code"])
        starts = start_date_for_phase_today(
            source=template, phase_code="enforcement", today=self.today, days_into_phase=20
        )
        return {
            county.pk: campaign_clone(
                source=template,
                code="scale-campaign" if n == 0 else f"scale-campaign-{county.division_code or county.pk}",
                starts_on=starts,
                bureau=county,
                actor=admin,
            )
            for n, county in enumerate(counties)
        }

    def _days(self, campaign):
        return max(1, (min(self.today, campaign.ends_on) - campaign.starts_on).days)

    def _hazards(self, mines, campaigns, per_mine, users):
        # Every county's clone has the same dates: one span serves them all.
        rng, span = self.rng, self._days(next(iter(campaigns.values())))
        # a major hazard names its 情形 (and through it its category), as the services require
        items = list(MajorHazardItem.objects.filter(category__standard__is_current=True))
        statuses = [s for s, w in STATUS_WEIGHTS for _ in range(w)]
        now = timezone.now()
        buffer = []
        for mine in mines:
            officer = users["by_org"][mine.pk]
            campaign = campaigns[mine.bureau_id]
            for i in range(per_mine):
                specialty, text = rng.choice(HAZARDS)
                found_on = campaign.starts_on + dt.timedelta(days=rng.randrange(span))
                status = rng.choice(statuses)
                major = rng.random() < 0.01
                item = rng.choice(items) if major else None
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
                        "major_category_id": item.category_id if item else None,
                        "major_item_id": item.pk if item else None,
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

    def _violations(self, mines, campaigns, per_mine):
        rng, span = self.rng, self._days(next(iter(campaigns.values())))
        now = timezone.now()
        buffer = []
        for mine in mines:
            campaign = campaigns[mine.bureau_id]
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

    def _inspections(self, mines, campaigns, inspectors_of):
        rng, span = self.rng, self._days(next(iter(campaigns.values())))
        modes = ["four_no_two_direct", "open", "covert", "cross", "physical"]
        inspections = Inspection.objects.bulk_create(
            (
                Inspection(
                    mine_id=m.pk,
                    campaign_id=campaigns[m.bureau_id].pk,
                    mode=rng.choice(modes),
                    notes="综合检查",
                    inspected_on=campaigns[m.bureau_id].starts_on + dt.timedelta(days=rng.randrange(span)),
                    created_by=rng.choice(inspectors_of[m.bureau_id]),  # the county's own inspectors
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

    def _submissions(self, campaigns, enterprises, mines, users):
        rng = self.rng
        units = {pk: ([], []) for pk in campaigns}
        for m in mines:
            units[m.bureau_id][0].append(m)
        for e in enterprises:
            units[e.bureau_id][1].append(e)
        deadlines = [
            (d, *units[county_id])
            for county_id, campaign in campaigns.items()
            for d in campaign.deadlines.order_by("due_on")
        ]
        submissions, versions = [], []
        for deadline, county_mines, county_enterprises in deadlines:
            owing = ([*county_mines] if deadline.owed_by_mines else []) + (
                [*county_enterprises] if deadline.owed_by_enterprises else []
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
