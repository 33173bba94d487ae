import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from campaign.figures import HANDOVER_LEAD_HOURS, figures_of
from campaign.membership import campaign_of_record, campaigns_of
from campaign.models import RecordEvidence
from core.errors import DomainError, NotPermitted

from ..models import DispatchHandover, Person, PersonRole, ZeroShiftPlan, ZeroShiftTask
from ..permissions import can_keep_records
from ..progress import records_progress_refresh

#: the notice, 三(三)3: 零点班不得安排危险作业. The high-risk work it names in 三(三)1, and the words plans use
#: for it.
DANGEROUS_WORK = {
    "爆破作业": ("爆破", "放炮", "装药", "起爆", "震动放炮"),
    "动火作业": ("动火", "电焊", "气焊", "气割", "焊接", "热切割"),
    "揭煤作业": ("揭煤",),
    "启封密闭": ("启封", "打开密闭", "拆除密闭"),
    "有限空间作业": ("有限空间", "受限空间", "进入煤仓", "清理煤仓", "清仓", "进入水仓", "清挖水仓"),
    "吊装作业": ("吊装", "起吊"),
    "高处作业": ("高处作业", "登高作业"),
}


def dangerous_work_in(text):
    """The kind of dangerous work `text` describes, or None."""
    for kind, words in DANGEROUS_WORK.items():
        if any(word in text for word in words):
            return kind
    return None


def _leaders_checked(mine, leader_one, leader_two):
    """双带班: two different leaders; when the mine keeps a roster of managers, both must be on it."""
    leader_one, leader_two = (leader_one or "").strip(), (leader_two or "").strip()
    if not leader_one or not leader_two:
        raise DomainError("零点班实行“双带班”制度，必须安排两名带班领导。", field="leader_two")
    if leader_one == leader_two:
        raise DomainError("“双带班”须由两名不同的领导带班。", field="leader_two")
    managers = set(
        Person.objects.filter(
            mine=mine, is_active=True, role__in=(PersonRole.MAIN_LEADER, PersonRole.MANAGER)
        ).values_list("name", flat=True)
    )
    if managers:
        for field, name in (("leader_one", leader_one), ("leader_two", leader_two)):
            if name not in managers:
                raise DomainError(f"带班领导“{name}”不在本矿管理人员名册中。", field=field)
    return leader_one, leader_two


@transaction.atomic
def zero_shift_plan_create(*, actor, mine, shift_date, leader_one, leader_two, tasks, note=""):
    """A zero-shift plan: `tasks` is a list of {"location", "content"}. Dangerous work is refused, with the line."""
    if not can_keep_records(actor, mine):
        raise NotPermitted("您不能为该煤矿登记零点班计划。")
    leader_one, leader_two = _leaders_checked(mine, leader_one, leader_two)
    tasks = [t for t in tasks if (t.get("content") or "").strip()]
    if not tasks:
        raise DomainError("请填写零点班的作业安排。", field="tasks")
    for number, task in enumerate(tasks, start=1):
        kind = dangerous_work_in(f"{task.get('location', '')} {task['content']}")
        if kind:
            raise DomainError(
                f"零点班不得安排危险作业：第 {number} 项“{task['content'].strip()}”属于{kind}，请调整到其他班次。",
                field="tasks",
            )
    try:
        with transaction.atomic():
            plan = ZeroShiftPlan.objects.create(
                mine=mine,
                shift_date=shift_date,
                leader_one=leader_one,
                leader_two=leader_two,
                note=note,
                created_by=actor,
            )
    except IntegrityError as exc:
        raise DomainError(f"{shift_date:%Y-%m-%d} 的零点班计划已经登记过。", field="shift_date") from exc
    ZeroShiftTask.objects.bulk_create(
        ZeroShiftTask(
            plan=plan, order=i, location=(t.get("location") or "").strip()[:100], content=t["content"].strip()[:300]
        )
        for i, t in enumerate(tasks, start=1)
    )
    for campaign in campaigns_of(unit=mine, day=shift_date):
        records_progress_refresh(mine=mine, campaign=campaign, evidence=(RecordEvidence.ZERO_SHIFT_PLANS,))
    return plan


@transaction.atomic
def dispatch_handover_record(
    *,
    actor,
    mine,
    shift,
    shift_starts_at,
    dispatched_at,
    dispatcher,
    tasks,
    tight_schedule=False,
    following_leader="",
    leader_notified_at=None,
):
    """The dispatch office's handover, recorded as it happened: less ahead than the campaign asks (2 hours in the
    2024 notice) is kept and flagged."""
    if not can_keep_records(actor, mine):
        raise NotPermitted("您不能为该煤矿登记调度交接班。")
    if dispatched_at > timezone.now():
        raise DomainError("调度时间不能晚于现在。", field="dispatched_at")
    if dispatched_at > shift_starts_at:
        raise DomainError("调度时间不能晚于接班时间。", field="dispatched_at")
    if shift_starts_at - dispatched_at > dt.timedelta(hours=24):
        raise DomainError("调度时间与接班时间相差超过 24 小时，请核对。", field="dispatched_at")
    if not (dispatcher or "").strip():
        raise DomainError("请填写调度员。", field="dispatcher")
    if not (tasks or "").strip():
        raise DomainError("请填写调度内容。", field="tasks")
    following_leader = (following_leader or "").strip()
    if tight_schedule and not following_leader:
        raise DomainError("作业任务紧张的，须提前通知跟班领导现场跟班落实：请填写跟班领导。", field="following_leader")
    if tight_schedule and leader_notified_at is None:
        raise DomainError("请填写通知跟班领导的时间。", field="leader_notified_at")
    campaign = campaign_of_record(unit=mine, day=timezone.localtime(shift_starts_at).date())
    lead_minutes = round((shift_starts_at - dispatched_at).total_seconds() / 60)
    handover = DispatchHandover.objects.create(
        mine=mine,
        shift=shift,
        shift_starts_at=shift_starts_at,
        dispatched_at=dispatched_at,
        lead_minutes=lead_minutes,
        late=lead_minutes < figures_of(campaign).minutes(HANDOVER_LEAD_HOURS),
        dispatcher=dispatcher.strip(),
        tasks=tasks,
        tight_schedule=tight_schedule,
        following_leader=following_leader,
        leader_notified_at=leader_notified_at if tight_schedule or leader_notified_at else None,
        created_by=actor,
    )
    for campaign in campaigns_of(unit=mine, day=timezone.localtime(shift_starts_at).date()):
        records_progress_refresh(mine=mine, campaign=campaign, evidence=(RecordEvidence.DISPATCH_HANDOVERS,))
    return handover
