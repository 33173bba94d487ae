"""The demo county's rosters, warning education, certificates and special-period records.

东峰煤矿 (mine1) has covered every main leader, workshop and team; 西岭煤矿 (mine2) has not reached 机电队's team
yet and has an expired certificate, and imported its new hires' 花名册 two hours ago (a new 运输队, one person
already on the roster under another post: the import records page can still undo it); the positioning exports hold
over-time trips, one across midnight; one handover was dispatched late; one worker has two serious 三违 and is a
repeat offender."""

import datetime as dt
import zoneinfo
from decimal import Decimal

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from violations.models import RepeatOffender, Violation
from violations.services import mentoring_step_record, violation_create

from .models import Person, PersonRole
from .progress import records_progress_refresh
from .services import (
    certificate_record,
    dispatch_handover_record,
    person_create,
    positioning_import,
    training_scores_record,
    training_session_record,
    work_unit_create,
    zero_shift_plan_create,
)

UNITS = {"综采队": ["综采一班", "综采二班"], "掘进队": ["掘进一班"], "机电队": ["机电一班"], "通风队": []}
PEOPLE = [
    ("矿长", "main_leader", None, "staff"),
    ("党支部书记", "main_leader", None, "staff"),
    ("安全副矿长", "manager", None, "staff"),
    ("机电副矿长", "manager", "机电队", "staff"),
    ("综采队长", "manager", "综采队", "staff"),
    ("掘进队长", "manager", "掘进队", "staff"),
    ("采煤机司机", "worker", "综采一班", "staff"),
    ("支架工", "worker", "综采二班", "staff"),
    ("掘进机司机", "worker", "掘进一班", "staff"),
    ("井下电工", "worker", "机电一班", "staff"),
    ("瓦斯检查工", "worker", "通风队", "staff"),
    ("支护工", "worker", "掘进一班", "dispatched"),
    ("运输工", "worker", "综采一班", "outsourced"),
]
SURNAMES = {
    "mine1": "张王李赵刘陈杨黄周吴徐孙马",
    "mine2": "胡朱高林何郭罗梁宋郑谢韩唐",
    "mine3": "冯于董萧程曹袁邓许傅沈曾彭",
}
GIVEN = "建国卫东海涛强伟明磊刚军平勇斌"


def seed_workforce(*, campaign, orgs, users, today=None):
    today = today or timezone.localdate()
    for key in ("mine1", "mine2", "mine3"):
        mine, officer = orgs[key], users[key]
        if Person.objects.filter(mine=mine).exists():
            continue
        people, units = _roster(mine, officer, key)
        _training(mine, officer, key, people, units, today)
        _special_period(mine, officer, key, people, today)
        records_progress_refresh(mine=mine, campaign=campaign)
    _repeat_offender(orgs["mine2"], users["mine2"], campaign, today)
    _roster_import(orgs["mine2"], users["mine2"])


def _roster(mine, officer, key):
    units = {}
    for workshop, teams in UNITS.items():
        units[workshop] = work_unit_create(actor=officer, mine=mine, kind="workshop", name=workshop)
        for team in teams:
            units[team] = work_unit_create(actor=officer, mine=mine, kind="team", name=team, workshop=units[workshop])
    people = {}
    for i, (post, role, unit, employment) in enumerate(PEOPLE):
        people[post] = person_create(
            actor=officer,
            mine=mine,
            name=SURNAMES[key][i] + GIVEN[i],
            employee_no=f"{key[-1]}{i + 1:03d}",
            role=role,
            post=post,
            unit=units.get(unit),
            employment=employment,
            employer={"dispatched": "晋城市某劳务派遣有限公司", "outsourced": "山西某矿建工程公司"}.get(employment, ""),
        )
    return people, units


def _training(mine, officer, key, people, units, today):
    started = today - dt.timedelta(days=24)
    workers = [p for p in people.values() if p.role == PersonRole.WORKER]
    training_session_record(
        actor=officer,
        mine=mine,
        kind="main_leader_lecture",
        held_on=started,
        topic="从事故中吸取教训 守牢安全底线",
        case_one="山西某矿“8·12”顶板事故",
        lecturer=people["矿长"],
        hours=2,
        location="矿调度楼会议室",
        attendees=[p for post, p in people.items() if p.role != PersonRole.WORKER],
    )
    teams = [u for name, u in units.items() if name != "机电一班" or key != "mine2"]  # mine2 has not reached 机电一班
    training_session_record(
        actor=officer,
        mine=mine,
        kind="warning_education",
        held_on=started + dt.timedelta(days=3),
        topic="典型事故案例警示教育",
        case_one="山西某矿“8·12”顶板事故",
        case_two="河南某矿“3·25”透水事故",
        lecturer_name="安全科长",
        hours=3,
        location="职工培训中心",
        units=teams,
    )
    training_session_record(
        actor=officer,
        mine=mine,
        kind="reflection",
        held_on=started + dt.timedelta(days=6),
        topic="全员安全生产工作大反思",
        lecturer_name="安全副矿长",
        location="各区队会议室",
        units=list(units.values()),
        attendees=list(people.values()),
    )
    exam = training_session_record(
        actor=officer,
        mine=mine,
        kind="training",
        held_on=started + dt.timedelta(days=9),
        topic="《煤矿重大事故隐患判定标准》和本矿红线清单培训考试",
        lecturer_name="总工程师",
        hours=4,
        location="职工培训中心",
        covers_major_hazard_standard=True,
        covers_red_lines=True,
        pass_mark=Decimal(80),
        attendees=workers,
    )
    # One worker fails (mine2's has not been retrained yet); the others pass.
    scores = {p.pk: Decimal(70 if i == 1 else 85 + i) for i, p in enumerate(workers)}
    training_scores_record(actor=officer, session=exam, scores=scores)
    if key != "mine2":
        training_session_record(
            actor=officer,
            mine=mine,
            kind="retraining",
            held_on=started + dt.timedelta(days=12),
            topic="考核不合格人员脱产重新培训",
            lecturer_name="安全科长",
            hours=8,
            attendees=[workers[1]],
        )
    certificate_record(
        actor=officer,
        person=people["井下电工"],
        kind="electrical",
        number=f"T14052219{key[-1]}0101",
        issued_on=today - dt.timedelta(days=6 * 365 - 20),
        expires_on=today + dt.timedelta(days=20),
        issuer="山西省应急管理厅",
    )
    certificate_record(
        actor=officer,
        person=people["瓦斯检查工"],
        kind="gas_check",
        number=f"T14052219{key[-1]}0202",
        expires_on=today + dt.timedelta(days=800) if key != "mine2" else today - dt.timedelta(days=5),
        issuer="山西省应急管理厅",
    )
    certificate_record(
        actor=officer,
        person=people["采煤机司机"],
        kind="shearer",
        number=f"T14052219{key[-1]}0303",
        expires_on=today + dt.timedelta(days=1200),
        issuer="山西省应急管理厅",
    )


def _special_period(mine, officer, key, people, today):
    tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    rows = ["人员定位系统 下井记录", "姓名,标识卡号,部门,下井时间,升井时间,工作面停留时长"]
    workers = [p for p in people.values() if p.role == PersonRole.WORKER]
    for days_ago in range(1, 4):
        day = today - dt.timedelta(days=days_ago)
        for i, person in enumerate(workers):
            enter, hours, face = dt.time(7, 30 + i), 8.5, "6:40"
            if key == "mine1" and days_ago == 2 and i == 0:
                hours, face = 10.75, "8:35"  # over both limits
            if key == "mine3" and days_ago == 1 and i == 1:
                enter, hours = dt.time(23, 20), 10.5  # the zero shift, across midnight
            start = dt.datetime.combine(day, enter)
            end = start + dt.timedelta(hours=hours)
            rows.append(f"{person.name},{8000 + i},{person.unit or ''},{start:%Y-%m-%d %H:%M},{end:%H:%M},{face}")
    upload = SimpleUploadedFile("定位.csv", ("\n".join(rows) + "\n").encode("gb18030"))
    positioning_import(actor=officer, mine=mine, upload=upload)
    for days_ago in range(1, 4):
        zero_shift_plan_create(
            actor=officer,
            mine=mine,
            shift_date=today - dt.timedelta(days=days_ago - 1),
            leader_one=people["安全副矿长"].name,
            leader_two=people["机电副矿长"].name,
            tasks=[
                {"location": "综采工作面", "content": "割煤、移架、支护"},
                {"location": "运输巷", "content": "清理浮煤、巡检皮带"},
            ],
        )
    for days_ago, late in ((1, False), (2, key == "mine2")):
        starts = dt.datetime.combine(today - dt.timedelta(days=days_ago), dt.time(16), tzinfo=tz)
        dispatch_handover_record(
            actor=officer,
            mine=mine,
            shift="middle",
            shift_starts_at=starts,
            dispatched_at=starts - dt.timedelta(minutes=50 if late else 130),
            dispatcher="调度员",
            tasks="综采工作面割煤 6 刀，掘进工作面进尺 8 米",
            tight_schedule=not late,
            following_leader=people["综采队长"].name if not late else "",
            leader_notified_at=starts - dt.timedelta(hours=2) if not late else None,
        )


def _repeat_offender(mine, officer, campaign, today):
    """A worker of 西岭煤矿 with two serious 三违 in the campaign: escalated to 主体企业, one 帮教 step recorded."""
    name = "宋立军"
    if Violation.objects.filter(mine=mine, person_name=name).exists():
        return
    for days_ago, act in ((20, "空顶作业，未执行敲帮问顶"), (4, "扒乘运行中的带式输送机")):
        violation_create(
            actor=officer,
            mine=mine,
            occurred_on=today - dt.timedelta(days=days_ago),
            shift="morning",
            location="2401 综采工作面",
            person_name=name,
            post="支架工",
            department="综采队",
            team="综采二班",
            type="operation",
            severity="serious",
            description=act,
            penalty_note="罚款 500 元，停工学习 3 天",
        )

    offender = RepeatOffender.objects.filter(mine=mine, person_name=name).first()
    if offender:
        mentoring_step_record(
            actor=officer,
            offender=offender,
            kind="talk",
            done_on=today - dt.timedelta(days=3),
            content="矿长、综采队长与本人谈话，分析违章根源，本人写出书面检查。",
            responsible="矿长",
        )


def _roster_import(mine, officer):
    """西岭煤矿's 花名册 of new hires, imported two hours ago: still undoable on the roster's import records page."""
    import operator

    from core.excel import ExportColumn, save_xlsx, write_xlsx
    from core.models import ImportBatch, LedgerKind

    from .services import roster_import

    if ImportBatch.objects.filter(mine=mine, kind=LedgerKind.ROSTER).exists():
        return
    electrician = Person.objects.filter(mine=mine, post="井下电工").first()
    rows = [
        ("高文斌", "2101", "从业人员", "运输工", "运输队", "", "本矿职工", ""),
        ("林志强", "2102", "从业人员", "把钩工", "运输队", "", "本矿职工", ""),
        ("何建新", "2103", "从业人员", "支架工", "综采队", "综采一班", "劳务派遣", "晋城市某劳务派遣有限公司"),
    ]
    if electrician is not None:  # on the roster already, as 井下电工: skipped, with a warning about the post
        rows.append((electrician.name, electrician.employee_no, "从业人员", "机电维修工", "机电队", "", "本矿职工", ""))
    headers = ("姓名", "工号", "人员类别", "岗位（工种）", "车间（科队）", "班组", "用工形式", "外包/派遣单位")
    columns = [ExportColumn(h, operator.itemgetter(i)) for i, h in enumerate(headers)]
    title = "西岭煤矿新入职人员花名册"
    upload = SimpleUploadedFile(f"{title}.xlsx", save_xlsx(write_xlsx(title=title, columns=columns, rows=rows)).read())
    result = roster_import(actor=officer, mine=mine, upload=upload)
    ImportBatch.objects.filter(pk=result.batch_id).update(created_at=timezone.now() - dt.timedelta(hours=2))
