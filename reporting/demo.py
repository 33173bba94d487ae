"""The demo county's reporting cycle: task progress, submissions in every state, mine1's draft."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from campaign.models import DeadlineKind, RequirementProgress
from campaign.progress import applies_to, filled_from_records, progress_update

from .content import narrative_fields
from .models import Submission, SubmissionUrge
from .selectors import urgeable
from .services import (
    submission_approve,
    submission_open,
    submission_return,
    submission_save,
    submission_submit,
    submission_urge,
)

WORK_PLAN = {
    "goals": "实现“无亡人事故、无工伤事故、无重大隐患、无‘三违’”的四无目标，重大事故隐患动态清零。",
    "organization": "成立以矿长为组长的百日专项整治领导组，下设办公室在安监科，各区队队长为本单位第一责任人。",
    "measures_1": "选取2起典型事故案例开展警示教育，矿长讲安全警示教育课，开展全员安全生产大反思。",
    "measures_2": "层层签订安全生产目标责任书，落实季查、月查、周查、日查，建立重大隐患自查自改台账。",
    "measures_3": "聚焦瓦斯、水害、顶板等重大灾害超前治理，严格执行零点班不安排危险作业和双带班制度。",
    "measures_4": "制定红线清单和追责问责清单，严查“三违”，每起“三违”进行三项责任倒查。",
    "schedule": "按县局方案分安排部署、自查自改、精准执法、总结提升四个阶段推进。",
}
PROGRESS = {
    "1.1.a": ("done", Decimal("2"), "选取山西某矿“8·12”顶板事故、河南某矿透水事故两起案例。"),
    "1.1.b": ("done", Decimal("1"), "11月5日组织全矿警示教育大会。"),
    "1.1.c": ("done", Decimal("1"), "矿长讲授安全生产警示教育课。"),
    "1.1.d": ("in_progress", Decimal("85"), "综采、掘进区队已全覆盖，地面车间尚未完成。"),
    "1.2.a": ("done", None, "修订岗位安全责任制 126 项。"),
    "2.3.b": ("in_progress", None, "季查、月查、周查、日查制度已建立，正在运行。"),
    "3.1.b": ("in_progress", None, "已排查动火、有限空间作业 14 项。"),
    "3.2.b": ("not_applicable", None, "本矿设备由集团统一招标采购。"),
}


def seed_reporting(*, campaign, orgs, users, today=None):
    today = today or timezone.localdate()
    for key in ("mine1", "mine2", "mine3", "ent1"):
        _seed_progress(campaign=campaign, org=orgs[key], actor=users[key])
    for deadline in campaign.deadlines.filter(due_on__lt=today).order_by("due_on"):
        for key in ("mine1", "mine2", "mine3", "ent1"):
            org, actor = orgs[key], users[key]
            if not deadline.is_owed_by(org) or Submission.objects.filter(organization=org, deadline=deadline).exists():
                continue
            if key == "mine3" and deadline.kind == DeadlineKind.MONTHLY:
                continue  # mine3 has not sent its monthly report: the matrix shows it missing
            late = key == "mine2" and deadline.kind == DeadlineKind.WORK_PLAN
            sent_at = timezone.make_aware(
                dt.datetime.combine(deadline.due_on + dt.timedelta(days=2 if late else -1), dt.time(16))
            )
            submission = submission_open(actor=actor, deadline=deadline)
            submission_save(
                actor=actor, submission=submission, narrative=_narrative(deadline), manual={"deaths": 0, "injuries": 0}
            )
            submission_submit(actor=actor, submission=submission, now=min(sent_at, timezone.now()))
            if deadline.kind == DeadlineKind.WORK_PLAN:
                submission_approve(actor=users["inspector"], submission=submission)
            elif key == "mine2" and deadline.kind == DeadlineKind.SELF_CHECK:
                submission_return(
                    actor=users["inspector"],
                    submission=submission,
                    reason="隐患清单未覆盖地面生产系统，请补充后重新报送。",
                )
    _seed_draft(campaign=campaign, orgs=orgs, users=users, today=today)
    _seed_urge(campaign=campaign, orgs=orgs, users=users, today=today)


def _narrative(deadline):
    if deadline.kind == DeadlineKind.WORK_PLAN:
        return WORK_PLAN
    return {name: f"{label}：按方案要求推进，详见附表。" for name, label, _ in narrative_fields(deadline.kind)}


def _seed_progress(*, campaign, org, actor):
    # A mine's record-proven items (1.1 etc.) follow its records (workforce.demo); the rest are filled in here.
    by_hand = RequirementProgress.objects.filter(
        organization=org, requirement__campaign=campaign, filled_from_records=False
    )
    if by_hand.exists():
        return
    for requirement in campaign.requirements.filter(level="item", code__in=PROGRESS):
        if org.kind == "mine" and filled_from_records(requirement):
            continue
        if applies_to(requirement, org):
            status, figure, note = PROGRESS[requirement.code]
            progress_update(
                actor=actor,
                organization=org,
                requirement=requirement,
                status=status,
                figure=figure if requirement.target_unit else None,
                reason=note if status == "not_applicable" else "",
                note=note,
            )


def _seed_draft(*, campaign, orgs, users, today):
    """mine1 keeps a draft of the next report it owes, so the demo shows work in progress."""
    upcoming = campaign.deadlines.filter(owed_by_mines=True, due_on__gte=today).order_by("due_on").first()
    deadline = upcoming or campaign.deadlines.filter(kind=DeadlineKind.SUMMARY).first()
    submission = submission_open(actor=users["mine1"], deadline=deadline)
    if submission.versions_submitted == 0 and not submission.content:
        submission_save(
            actor=users["mine1"],
            submission=submission,
            narrative={"done": "本月组织开展隐患排查，正在整理数据。"},
            manual={"deaths": 0, "injuries": 0},
        )


def _seed_urge(*, campaign, orgs, users, today):
    """The inspector has urged mine3 for the latest monthly report it has not sent, so the matrix shows an urged
    cell and mine3 a 催报 notice. Once: a second seeding on another day does not urge again."""
    mine3 = orgs["mine3"]
    if SubmissionUrge.objects.filter(deadline__campaign=campaign, organization=mine3).exists():
        return
    sent = Submission.objects.filter(organization=mine3, versions_submitted__gt=0).values_list("deadline_id", flat=True)
    owed = (
        campaign.deadlines.filter(kind=DeadlineKind.MONTHLY, owed_by_mines=True)
        .exclude(pk__in=list(sent))
        .order_by("-due_on")
    )
    candidates = [d for d in owed if urgeable(d, today)]
    if candidates:
        submission_urge(actor=users["inspector"], deadline=candidates[0], organization=mine3)


COUNTY_WORK_PLAN = {
    "goals": "全县地方监管煤矿实现“无亡人事故、无工伤事故、无重大隐患、无‘三违’”，重大事故隐患动态清零。",
    "organization": "成立以县应急局局长为组长的领导组，办公室设在煤矿执法一股；检查工作组分片包保到矿。",
    "measures_1": "组织各矿选取典型事故案例开展警示教育，主要负责人讲警示教育课，全员开展安全生产大反思。",
    "measures_2": "督促各矿层层签订责任书，建立重大隐患自查自改台账和“三违”三项倒查机制。",
    "measures_3": "聚焦瓦斯、水害、顶板等重大灾害，开展“四不两直”明查暗访和交叉检查，重大隐患挂牌督办。",
    "measures_4": "发布红线清单和追责问责清单，对存在重大隐患的煤矿一律停产整顿，一案双查。",
    "schedule": "按市局方案分安排部署、自查自改、精准执法、总结提升四个阶段推进。",
}


def seed_upward_reports(*, campaign, orgs, users):
    """What the demo county and 沁水 sent the city on its campaign (issue 22): 阳城's work plan returned once and
    approved, its past monthly reports approved and the latest waiting for the city; 沁水's work plan sent late,
    waiting. Once: a campaign with submissions keeps them."""
    if Submission.objects.filter(deadline__campaign=campaign).exists():
        return
    today = timezone.localdate()
    city, county, neighbour = users["city"], users["inspector"], users["qinshui"]
    past = [d for d in campaign.deadlines.order_by("due_on") if d.due_on < today]

    def send(actor, deadline, narrative, *, days_before=1):
        submission = submission_open(actor=actor, deadline=deadline)
        submission_save(actor=actor, submission=submission, narrative=narrative)
        sent_at = min(deadline.due_at - dt.timedelta(days=days_before, hours=3), timezone.now())
        return submission_submit(actor=actor, submission=submission, now=sent_at)

    for deadline in past:
        if deadline.kind == DeadlineKind.WORK_PLAN:
            plan = send(county, deadline, {**COUNTY_WORK_PLAN, "measures_3": "开展明查暗访。"}, days_before=3)
            submission_return(
                actor=city, submission=plan, reason="第三项措施过于笼统：请写明明查暗访、交叉检查的频次和覆盖范围。"
            )
            plan.refresh_from_db()
            submission_save(actor=county, submission=plan, narrative=COUNTY_WORK_PLAN)
            plan = submission_submit(actor=county, submission=plan, now=deadline.due_at - dt.timedelta(days=1))
            submission_approve(actor=city, submission=plan, note="同意。")
            send(neighbour, deadline, {**COUNTY_WORK_PLAN, "schedule": "分四个阶段推进。"}, days_before=-2)
        elif deadline.kind == DeadlineKind.MONTHLY:
            month = {
                "done": f"{deadline.period} 全县开展自查自改和精准执法，详见附表数据。",
                "next_steps": "继续推进。",
            }
            report = send(county, deadline, month)
            if deadline != past[-1]:
                submission_approve(actor=city, submission=report)
