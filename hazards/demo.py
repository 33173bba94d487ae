"""Realistic ledgers for the demo county: hazards in every state, a major one under 停产整顿, inspections."""

import datetime as dt
import operator
from decimal import Decimal

from django.utils import timezone

from .models import (
    Hazard,
    HazardLevel,
    HazardSource,
    Inspection,
    InspectionMode,
    MajorHazardCategory,
    MajorHazardItem,
)
from .services import (
    exam_paper_draw,
    exam_paper_grade,
    exam_record,
    hazard_accept,
    hazard_accountability_record,
    hazard_create,
    hazard_list_publicly,
    hazard_start_rectification,
    hazard_submit_for_acceptance,
    inspection_create,
)

# (days after campaign start, source, location, specialty, description, measures, unit, person, days to fix, funds)
LINES = [
    (
        5,
        "unit_weekly",
        "2401综采工作面",
        "roof",
        "工作面第35-40号支架初撑力不足，顶板有离层迹象",
        "立即补液升架，确保初撑力不低于24MPa，加强顶板观测",
        "综采一队",
        "王建军",
        2,
        0,
    ),
    (
        6,
        "group_quarterly",
        "2401回风巷",
        "ventilation",
        "甲烷传感器吊挂位置距顶板超过300mm",
        "调整传感器吊挂位置，距顶板不大于300mm",
        "通风队",
        "李晓东",
        1,
        0,
    ),
    (
        8,
        "group_quarterly",
        "主斜井",
        "electromechanical",
        "带式输送机跑偏保护失效",
        "更换跑偏传感器并试验合格",
        "机电队",
        "赵明",
        3,
        1200,
    ),
    (
        10,
        "enterprise_monthly",
        "中央水仓",
        "water",
        "水仓清挖不及时，有效容量不足设计的70%",
        "组织清挖，恢复有效容量，建立清挖记录",
        "掘进二队",
        "孙志强",
        7,
        8000,
    ),
    (
        12,
        "unit_weekly",
        "中央变电所",
        "electromechanical",
        "高压开关柜漏电保护未按期试验，无试验记录",
        "立即试验并建立试验记录台账",
        "机电队",
        "赵明",
        2,
        0,
    ),
    (
        14,
        "team_daily",
        "1203掘进工作面",
        "blasting",
        "爆破作业未执行“一炮三检”和“三人连锁”制度",
        "停止爆破作业，对爆破工重新培训考核后上岗",
        "掘进一队",
        "刘波",
        1,
        0,
    ),
    (
        16,
        "unit_weekly",
        "3号采空区",
        "fire",
        "密闭墙漏风，墙体有裂隙",
        "对密闭墙喷浆堵漏，每周检查一次气体成分",
        "通风队",
        "李晓东",
        5,
        3500,
    ),
    (
        18,
        "unit_weekly",
        "副井井口",
        "management",
        "入井人员未全部进行安全检身",
        "完善检身制度，安排专人检身并记录",
        "安检科",
        "周伟",
        1,
        0,
    ),
    (
        20,
        "team_daily",
        "+540水平运输大巷",
        "transport",
        "架空乘人装置越位保护缺失",
        "加装越位保护并试验",
        "运输队",
        "陈刚",
        4,
        2600,
    ),
    (
        24,
        "unit_weekly",
        "1205工作面",
        "ventilation",
        "局部通风机未实现“双风机、双电源”自动切换",
        "完善局部通风机自动切换装置并试验",
        "通风队",
        "李晓东",
        3,
        15000,
    ),
    (
        27,
        "enterprise_monthly",
        "+480水平泵房",
        "water",
        "排水泵未按规定进行联合试运转",
        "组织水泵联合试运转并记录",
        "机电队",
        "赵明",
        5,
        0,
    ),
    (
        30,
        "team_daily",
        "2402运输巷",
        "roof",
        "巷道局部锚杆托盘松动，未及时补打",
        "补打锚杆、紧固托盘",
        "掘进二队",
        "孙志强",
        2,
        800,
    ),
    (
        31,
        "unit_weekly",
        "井下爆炸材料库",
        "blasting",
        "炸药与雷管发放记录不全",
        "完善发放记录，双人双锁管理",
        "爆破队",
        "马林",
        1,
        0,
    ),
    (
        33,
        "enterprise_monthly",
        "地面空压机房",
        "electromechanical",
        "空压机安全阀未按期校验",
        "送检安全阀，建立校验台账",
        "机电队",
        "赵明",
        10,
        1500,
    ),
    (
        35,
        "team_daily",
        "2401综采工作面",
        "occupational_health",
        "采煤机内外喷雾压力不足，粉尘浓度超标",
        "检修喷雾泵站，恢复喷雾压力",
        "综采一队",
        "王建军",
        3,
        2000,
    ),
]


def _state_plan(index):
    """Spread the lines over every state: most closed early in the campaign, recent ones still open."""
    return ["closed", "closed", "closed", "awaiting", "closed", "rectifying", "closed", "open"][index % 8]


def seed_hazards(*, campaign, orgs, users, today=None):
    today = today or timezone.localdate()
    bureau_user = users["inspector"]
    for key, officer in (("mine1", users["mine1"]), ("mine2", users["mine2"]), ("mine3", users["mine3"])):
        mine = orgs[key]
        if Hazard.objects.filter(mine=mine).exists():
            continue
        # The enterprise accepts: the mine's one officer asked for the acceptance and does not check its own work.
        reviewer = users["ent1"] if mine.parent_id == orgs["ent1"].pk else users["ent2"]
        for index, (day, source, loc, spec, desc, measures, unit, person, fix, funds) in enumerate(LINES):
            found_on = campaign.starts_on + dt.timedelta(days=day + (index % 3))
            if found_on > today:
                continue
            hazard = hazard_create(
                actor=officer,
                mine=mine,
                source=source,
                found_on=found_on,
                location=loc,
                specialty=spec,
                description=desc,
                measures=measures,
                responsible_unit=unit,
                responsible_person=person,
                due_on=found_on + dt.timedelta(days=fix),
                funds=Decimal(funds),
                grade="ABC"[index % 3],
            )
            plan = _state_plan(index + int(key[-1]))
            done_on = min(today, found_on + dt.timedelta(days=max(1, fix - 1)))
            if plan in ("rectifying", "awaiting", "closed"):
                hazard_start_rectification(actor=officer, hazard=hazard)
            if plan in ("awaiting", "closed"):
                hazard_submit_for_acceptance(actor=officer, hazard=hazard, rectified_on=done_on)
            if plan == "closed":
                hazard_accept(actor=reviewer, hazard=hazard, note="现场复查合格")
    _seed_inspection(campaign=campaign, orgs=orgs, users=users, inspector=bureau_user, today=today)
    _seed_unannounced_inspection(campaign=campaign, orgs=orgs, inspector=bureau_user, today=today)
    _seed_import_batches(orgs=orgs, users=users, today=today)
    _seed_superior_finding(orgs=orgs, users=users, today=today)
    _seed_suspected(orgs=orgs, users=users, today=today)


# 疑似重大隐患 (issue 25 item 3): lines a mine recorded as 一般 that read like a situation of the 判定标准 — two waiting
# for the bureau (the inspector's journey confirms one and dismisses the other), one already dismissed with its reason.
SUSPECTED = (
    ("mine1", "2105回风巷", "gas", "2105回风巷甲烷传感器超限后不能断电", "更换传感器断电控制器并联调试验", None),
    (
        "mine3",
        "主要通风机房",
        "ventilation",
        "主要通风机房只有一台通风机运转，备用通风机拆除未安装",
        "恢复安装备用通风机",
        None,
    ),
    (
        "mine2",
        "1203掘进工作面",
        "electromechanical",
        "井下局部通风机单回路供电，无风电闭锁",
        "核实供电线路，完善风电闭锁",
        "现场核实为双回路供电、风电闭锁完好，台账描述有误，已责成煤矿更正台账记录。",
    ),
)


def _seed_suspected(*, orgs, users, today):
    from .models import SuspectedMajorHazard
    from .services.suspected import suspected_major_dismiss

    for key, location, specialty, description, measures, dismissed in SUSPECTED:
        mine = orgs[key]
        if Hazard.objects.filter(mine=mine, description=description).exists():
            continue
        hazard = hazard_create(
            actor=users[key],
            mine=mine,
            source=HazardSource.TEAM_DAILY,
            found_on=today - dt.timedelta(days=1),
            location=location,
            specialty=specialty,
            description=description,
            measures=measures,
            funds=Decimal("20000"),
            responsible_unit="通风队",
            responsible_person="李晓东",
            due_on=today + dt.timedelta(days=5),
            contingency_plan="超限或异常立即停电撤人，专人监测",
        )
        finding = SuspectedMajorHazard.objects.filter(hazard=hazard).first()
        if dismissed and finding is not None:
            suspected_major_dismiss(actor=users["inspector"], finding=finding, reason=dismissed)


# (days before today, source, location, description, level, measures, person) of the demo's imported ledgers
IMPORTED = {
    "mine1": (
        "东峰煤矿隐患排查台账（本周）.xlsx",
        0,  # imported an hour ago: still undoable
        [
            (2, "科队周查", "3105运输巷", "皮带机机尾滚筒护栏缺失", "一般", "补装护栏，挂警示牌", "孙建国"),
            (1, "班组日查", "3105回风巷", "局部巷帮片帮，支护网片破损", "一般", "补打锚杆、更换网片", "周海"),
            (1, "企业月查", "主排水泵房", "备用水泵未按期试运转", "一般", "立即试运转并建立试运转记录", "钱立"),
        ],
    ),
    "mine2": (
        "西岭煤矿隐患台账（月查）.xlsx",
        3,  # imported three days ago: kept, no longer undoable
        [
            (5, "企业月查", "1201综采工作面", "工作面端头支架与超前支护距离超限", "一般", "调整端头支护", "吴涛"),
            (4, "科队周查", "1203掘进工作面", "掘进工作面风电闭锁失效", "一般", "更换闭锁装置并试验", "郑阳"),
        ],
    ),
}


def _seed_import_batches(*, orgs, users, today):
    """One import batch per mine officer of the demo: what the import records page shows (one still undoable)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from core.excel import ExportColumn, save_xlsx, write_xlsx
    from core.models import ImportBatch, LedgerKind

    from .services import hazards_import
    from .services.suspected import suspected_major_record_many

    headers = ("排查日期", "排查类型", "隐患地点", "隐患内容", "隐患等级", "整改措施", "整改责任人", "整改期限")
    for key, (file_name, days_ago, lines) in IMPORTED.items():
        mine = orgs[key]
        if ImportBatch.objects.filter(mine=mine, kind=LedgerKind.HAZARDS).exists():
            continue
        rows = [
            (
                today - dt.timedelta(days=back + days_ago),
                source,
                loc,
                desc,
                level,
                measures,
                person,
                today + dt.timedelta(days=5),
            )
            for back, source, loc, desc, level, measures, person in lines
        ]
        columns = [ExportColumn(h, operator.itemgetter(i)) for i, h in enumerate(headers)]
        workbook = save_xlsx(write_xlsx(title=file_name.removesuffix(".xlsx"), columns=columns, rows=rows))
        upload = SimpleUploadedFile(file_name, workbook.read())
        result = hazards_import(actor=users[key], mine=mine, upload=upload)
        # The import raises its 疑似重大隐患 after commit (hazards.tasks); the demo, one transaction, raises them now so
        # the county shows them whether or not a worker runs (the task, when it comes, only adds).
        suspected_major_record_many(import_batch_id=result.batch_id)
        moved = timezone.now() - dt.timedelta(days=days_ago, hours=1)
        ImportBatch.objects.filter(pk=result.batch_id).update(created_at=moved)


def _seed_inspection(*, campaign, orgs, users, inspector, today):
    mine = orgs["mine2"]
    if Inspection.objects.filter(mine=mine).exists():
        return
    inspected_on = max(campaign.starts_on, today - dt.timedelta(days=2))
    inspection = inspection_create(
        actor=inspector,
        mine=mine,
        inspected_on=inspected_on,
        mode=InspectionMode.PHYSICAL,
        team_note="市煤炭专家 张工",
        notes="结合“体检式”精查，重点检查通风系统、防治水和现场管理。",
    )
    ventilation = MajorHazardCategory.objects.get(standard__is_current=True, no=5)
    major = hazard_create(
        actor=inspector,
        mine=mine,
        inspection=inspection,
        source=HazardSource.BUREAU_INSPECTION,
        found_on=inspected_on,
        location="1105掘进工作面",
        specialty="ventilation",
        description="掘进工作面采用串联通风，无专门设计和安全措施",
        level=HazardLevel.MAJOR,
        major_category=ventilation,
        major_item=MajorHazardItem.objects.get(category=ventilation, no=3),  # 第八条第（三）项 串联通风
        measures="立即停止作业、撤出人员；调整通风系统，消除串联通风，补充通风设计并报批",
        funds=Decimal("180000"),
        responsible_unit="通风队",
        responsible_person="胡国强",
        due_on=inspected_on + dt.timedelta(days=15),
        contingency_plan="停止掘进，切断电源，设置警戒；瓦斯检查员每班巡检，发现异常立即撤人",
    )
    hazard_list_publicly(
        actor=inspector,
        hazard=major,
        listed_on=inspected_on,
        supervising_unit="阳城县应急管理局",
        notice_text="对西岭煤矿1105掘进工作面串联通风重大事故隐患挂牌督办，责令停产整顿，限期整改。",
    )
    exam_record(actor=inspector, inspection=inspection, person_name="赵建平", post="瓦斯检查工", score=Decimal("92"))
    exam_record(actor=inspector, inspection=inspection, person_name="孙海", post="局部通风机司机", score=Decimal("64"))
    _seed_exam_paper(inspector=inspector, inspection=inspection)
    hazard_create(
        actor=inspector,
        mine=mine,
        inspection=inspection,
        source=HazardSource.BUREAU_INSPECTION,
        found_on=inspected_on,
        location="中央变电所",
        specialty="electromechanical",
        description="变电所内消防沙箱沙量不足，灭火器过期",
        measures="补足消防沙，更换灭火器",
        responsible_unit="机电队",
        responsible_person="赵明",
        due_on=inspected_on + dt.timedelta(days=3),
        funds=Decimal("600"),
    )


def _seed_exam_paper(*, inspector, inspection):
    """逢查必考 from the 判定标准: a 10-question paper (试卷编号 240517) and two people graded on it, right on 9 and on
    8 questions (both 合格 at the default pass mark of 80: the demo's one open retraining stays 孙海's)."""
    paper = exam_paper_draw(actor=inspector, inspection=inspection, size=10, seed=240517)
    for name, post, right in (("王海军", "通风队队长", 9), ("刘志刚", "掘进队班组长", 8)):
        answers = [q["answer"] if n < right else (q["answer"] + 1) % 4 for n, q in enumerate(paper.questions)]
        exam_paper_grade(actor=inspector, paper=paper, person_name=name, post=post, answers=answers)


def _seed_unannounced_inspection(*, campaign, orgs, inspector, today):
    """A 四不两直 visit to 东峰煤矿 in the enforcement phase whose exam is not recorded yet: the coverage page flags it
    (逢查必考 not done), and 北坡煤矿, not inspected in this phase, is flagged too."""
    mine = orgs["mine1"]
    if Inspection.objects.filter(mine=mine, mode=InspectionMode.FOUR_NO_TWO_DIRECT).exists():
        return
    phase = campaign.phase_on(today)
    inspection_create(
        actor=inspector,
        mine=mine,
        inspected_on=max(phase.starts_on if phase else campaign.starts_on, today - dt.timedelta(days=5)),
        mode=InspectionMode.FOUR_NO_TWO_DIRECT,
        notes="“四不两直”夜间检查主运输系统和2401综采工作面，现场查看交接班和零点班带班情况。",
    )


SUPERIOR_LOCATION = "1302综采工作面上隅角"


def _seed_superior_finding(*, orgs, users, today):
    """四(四)3: the city bureau's inspection found a major hazard at 北坡煤矿. The mine rectified it and the county
    bureau closed it after its 一案双查; the enterprise's main leader still owes the county bureau a written 检查
    (due within the campaign's days), which the demo leaves for the mine to submit."""
    mine, officer, inspector = orgs["mine3"], users["mine3"], users["inspector"]
    if Hazard.objects.filter(mine=mine, source=HazardSource.SUPERIOR_INSPECTION).exists():
        return
    found_on = today - dt.timedelta(days=6)
    hazard = hazard_create(
        actor=officer,
        mine=mine,
        source=HazardSource.SUPERIOR_INSPECTION,
        found_on=found_on,
        location=SUPERIOR_LOCATION,
        specialty="gas",
        description="市应急管理局执法检查发现：1302综采工作面上隅角瓦斯浓度超限仍继续作业",
        level=HazardLevel.MAJOR,
        major_category=MajorHazardCategory.objects.get(standard__is_current=True, no=2),
        # 第五条第（二）项: 瓦斯超限后继续作业
        major_item=MajorHazardItem.objects.get(category__standard__is_current=True, category__no=2, no=2),
        measures="立即停止作业、撤出人员；加强上隅角瓦斯抽采，调整工作面配风量，完善瓦斯超限断电闭锁",
        funds=Decimal("260000"),
        responsible_unit="通风部",
        responsible_person="韩文斌",
        due_on=found_on + dt.timedelta(days=4),
        contingency_plan="瓦斯超限立即断电撤人，设置警戒，由救护队检查处理",
        note="市应急管理局2024年专项执法检查移交",
    )
    hazard_start_rectification(actor=officer, hazard=hazard)
    hazard_submit_for_acceptance(actor=officer, hazard=hazard, rectified_on=found_on + dt.timedelta(days=3))
    hazard_accountability_record(
        actor=inspector,
        hazard=hazard,
        enterprise_responsibility="通风部未按规定调整配风，瓦斯检查员发现超限后未及时停止作业。",
        supervision_responsibility="县局监管专员本月检查未覆盖该工作面上隅角，已在执法股内部通报。",
        outcome="对通风部部长、当班瓦斯检查员按企业追责问责清单处理；企业主要负责人须向县局作出书面检查。",
    )
    hazard_accept(actor=inspector, hazard=hazard, note="现场复查上隅角瓦斯浓度正常，抽采系统运行正常")


#: a few hazards of the neighbour county's mine (issue 22: the city sees both counties)
NEIGHBOUR_LINES = [
    ("1201运输巷", "transport", "架空乘人装置越位保护失效", "更换越位保护装置并试验", "机电队", "刘强", 3, "general"),
    ("1302回采工作面", "ventilation", "上隅角瓦斯浓度达0.9%", "安设抽采管路", "通风队", "张磊", 2, "general"),
    ("副斜井井口", "electromechanical", "绞车信号与闭锁不完善", "恢复信号闭锁并试验", "机电队", "刘强", 5, "general"),
]


def seed_neighbour_hazards(*, orgs, users, today=None):
    """The hazards the officer of 东坡煤矿 (沁水县) keeps: once (a mine that has hazards gets none more)."""
    mine, officer = orgs["qinshui_mine"], users["qinshui_mine"]
    if Hazard.objects.filter(mine=mine).exists():
        return
    today = today or timezone.localdate()
    for n, (location, specialty, description, measures, unit, person, days, level) in enumerate(NEIGHBOUR_LINES):
        found_on = today - dt.timedelta(days=10 - 3 * n)
        hazard_create(
            actor=officer,
            mine=mine,
            source=HazardSource.UNIT_WEEKLY,
            found_on=found_on,
            location=location,
            specialty=specialty,
            description=description,
            level=level,
            measures=measures,
            responsible_unit=unit,
            responsible_person=person,
            due_on=found_on + dt.timedelta(days=days),
            funds=Decimal(0),
        )
