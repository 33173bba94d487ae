"""The demo county's 三违 ledgers, back-tracks, typical cases and bulletins, red-line lists, a tip-off (匿名举报)."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from .models import Bulletin, RedLineList, Tipoff, TipoffAddressee, Violation
from .services import (
    backtrack_record,
    bulletin_create,
    bulletin_publish,
    red_line_list_publish,
    tipoff_submit,
    violation_accountability_record,
    violation_create,
    violation_mark_typical,
)

# (days before today, shift, person, post, department, team, location, act, type, severity, fine, days)
LINES = [
    (
        25,
        "morning",
        "王小平",
        "采煤机司机",
        "综采一队",
        "综采一队3班",
        "2401综采工作面",
        "采煤机割煤时未打开喷雾装置",
        "operation",
        "general",
        50,
        None,
    ),
    (
        22,
        "middle",
        "张永",
        "掘进工",
        "掘进一队",
        "掘进一队3班",
        "1203掘进工作面",
        "空顶作业，未执行敲帮问顶",
        "operation",
        "serious",
        200,
        3,
    ),
    (
        18,
        "night",
        "李强",
        "带班班长",
        "掘进二队",
        "掘进二队3班",
        "中央水仓",
        "安排无证人员操作水泵",
        "command",
        "serious",
        200,
        3,
    ),
    (
        15,
        "morning",
        "刘军",
        "绞车司机",
        "运输队",
        "运输队1班",
        "+540水平运输大巷",
        "当班期间睡岗",
        "discipline",
        "general",
        50,
        None,
    ),
    (
        11,
        "zero",
        "杨辉",
        "瓦检员",
        "通风队",
        "通风队1班",
        "2401回风巷",
        "瓦斯检查空班漏检，假填记录",
        "discipline",
        "serious",
        200,
        3,
    ),
    (
        6,
        "zero",
        "何振华",
        "跟班队长",
        "综采一队",
        "综采一队3班",
        "2401综采工作面",
        "零点班安排检修动火作业，无审批措施",
        "command",
        "serious",
        200,
        3,
    ),
    (
        3,
        "morning",
        "马斌",
        "支护工",
        "掘进一队",
        "掘进一队3班",
        "1203掘进工作面",
        "未佩戴自救器入井",
        "discipline",
        "general",
        50,
        None,
    ),
]

FINDINGS = {
    "training": "查阅培训档案：该员工已参加岗前培训，但未进行本岗位操作规程专项考核，培训针对性不足。",
    "warning_education": "本月警示教育已开展，该员工缺席一次未补课，区队未跟踪落实。",
    "mutual_protection": "班组未落实互保联保，同班互保对象未及时制止，班组长负有管理责任。",
}


def seed_violations(*, campaign, orgs, users, today=None):
    today = today or timezone.localdate()
    for key in ("mine1", "mine2", "mine3"):
        mine, officer = orgs[key], users[key]
        if Violation.objects.filter(mine=mine).exists():
            continue
        for index, (ago, shift, person, post, dept, team, loc, act, vtype, sev, fine, days) in enumerate(LINES):
            occurred_on = max(campaign.starts_on, today - dt.timedelta(days=ago + int(key[-1])))
            violation = violation_create(
                actor=officer,
                mine=mine,
                occurred_on=occurred_on,
                shift=shift,
                person_name=person,
                post=post,
                department=dept,
                team=team,
                location=loc,
                description=act,
                type=vtype,
                severity=sev,
                fine=Decimal(fine),
                suspension_days=days,
                retraining=bool(days),
                penalty_note=f"罚款{fine}元" + (f"，停工学习{days}天" if days else ""),
                mentoring="已帮教",
                found_by_name="安检科",
            )
            if index < 4:  # the older ones are fully back-tracked and accounted for
                for kind, finding in FINDINGS.items():
                    backtrack_record(
                        actor=officer,
                        violation=violation,
                        kind=kind,
                        finding=finding,
                        responsible=f"{dept}队长",
                        done_on=min(today, occurred_on + dt.timedelta(days=3)),
                    )
                violation_accountability_record(
                    actor=officer,
                    violation=violation,
                    unit_leader_name=f"{dept}队长",
                    unit_leader_action="扣罚当月安全绩效 500 元，在全矿安全例会上作检讨",
                    deputy_name="生产副矿长",
                    deputy_review="已向矿长办公会作书面检查",
                    main_leader_action="矿长约谈区队全体管理人员" if sev == "serious" else "",
                )
            elif index == 4:  # one only half done, so its 7-day flag shows
                backtrack_record(
                    actor=officer, violation=violation, kind="training", finding=FINDINGS["training"], done_on=today
                )
    _seed_bulletins(orgs=orgs, users=users, today=today)
    _seed_red_lines(orgs=orgs, users=users, today=today)
    _seed_tipoff(orgs=orgs, today=today)


def _seed_bulletins(*, orgs, users, today):
    inspector = users["inspector"]
    if Bulletin.objects.filter(bureau=orgs["bureau"]).exists():
        return
    serious = list(Violation.objects.filter(mine__bureau=orgs["bureau"], severity="serious").order_by("occurred_on"))
    for case in serious[:3]:
        violation_mark_typical(actor=inspector, violation=case, reason="性质严重，具有警示意义")
    last_month = (today.replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
    published = bulletin_create(
        actor=inspector,
        period=last_month,
        issue_no="第1期",
        title=f"关于{int(last_month[-2:])}月份典型“三违”案例的通报",
        body="为深刻汲取教训，严查“三违”行为，现将近期查处的典型“三违”案例通报如下。"
        "各煤矿要举一反三，对每起“三违”进行责任倒查，倒查培训和警示教育落实情况、自保联保互保责任落实情况。",
        cases=serious[:2],
    )
    bulletin_publish(actor=inspector, bulletin=published)
    bulletin_create(
        actor=inspector,
        period=f"{today:%Y-%m}",
        issue_no="第2期",
        title=f"关于{today.month}月份典型“三违”案例的通报",
        body="现将本月查处的典型“三违”案例通报如下。",
        cases=serious[2:3],
    )


def _seed_red_lines(*, orgs, users, today):
    mine = orgs["mine1"]
    if RedLineList.objects.filter(mine=mine).exists():
        return
    items = [
        {
            "level": "矿级",
            "post": "矿长、副矿长",
            "content": "超能力、超强度、超定员组织生产",
            "consequence": "停职检查，按规定追究责任",
        },
        {
            "level": "科队级",
            "post": "区队长、跟班队长",
            "content": "零点班安排爆破、动火等危险作业",
            "consequence": "撤职，扣罚年度安全绩效",
        },
        {
            "level": "班组级",
            "post": "瓦斯检查工",
            "content": "空班漏检、假检、假填瓦斯检查记录",
            "consequence": "开除，移交有关部门处理",
        },
        {
            "level": "岗位",
            "post": "全员",
            "content": "不佩戴自救器、定位卡入井",
            "consequence": "罚款 200 元，停工学习 3 天",
        },
    ]
    red_line_list_publish(
        actor=users["mine1"],
        mine=mine,
        kind="red_line",
        title="违法违规违章行为红线清单",
        effective_on=today - dt.timedelta(days=20),
        items=items,
    )


def _seed_tipoff(*, orgs, today):
    _seed_enterprise_tipoff(orgs=orgs, today=today)
    if Tipoff.objects.filter(bureau=orgs["bureau"], addressee=TipoffAddressee.BUREAU).exists():
        return
    tipoff_submit(
        bureau=orgs["bureau"],
        category="violation",
        mine=orgs["mine3"],
        location="北坡煤矿1302工作面",
        occurred_on=today - dt.timedelta(days=2),
        content="1302工作面夜班经常有人不带自救器下井，班长知道也不管，希望领导来查一查。",
    )


def _seed_enterprise_tipoff(*, orgs, today):
    """4.1.c: a worker of 东峰煤矿 reported on 晋阳煤业's own channel; the enterprise (ent1) triages it, the bureau sees
    only that 晋阳煤业 received one."""
    mine = orgs["mine1"]
    if Tipoff.objects.filter(addressee=TipoffAddressee.ENTERPRISE, mine__parent_id=mine.parent_id).exists():
        return
    tipoff_submit(
        bureau=orgs["bureau"],
        addressee=TipoffAddressee.ENTERPRISE,
        category="violation",
        mine=mine,
        location="东峰煤矿3105掘进工作面",
        occurred_on=today - dt.timedelta(days=1),
        content="3105掘进工作面中班跟班队长为赶进度，让人在空顶下作业，大家都不敢说，希望集团公司来查一查。",
    )
