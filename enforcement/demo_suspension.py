"""停产整顿 to 复产验收 in the demo county, through the services.

- 西岭煤矿 (mine2): the major 串联通风 hazard of hazards.demo suspended it; the bureau issued
  and served the 责令停产整顿指令书; the mine rectified, the bureau recorded 一案双查 and closed
  the hazard (it stays 挂牌中: 摘牌 is the bureau's later step); the mine's first application
  for 复产验收 was refused with a 复产验收意见书 and its second one is pending, for the demo
  inspector to accept (or refuse).
- 北坡煤矿 (mine3): its water hazard (hazards.demo_listing) was closed and taken down, but the
  mine stays suspended until 复产验收; the bureau's order is on file, so the mine may apply.

Idempotent: a suspension that already has its order is left as it is."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from hazards.models import Hazard
from hazards.services import (
    hazard_accept,
    hazard_accountability_record,
    hazard_start_rectification,
    hazard_submit_for_acceptance,
)

from .demo_penalty import _officers, _pdf, _png
from .models import Suspension, SuspensionStatus
from .services import resumption_apply, resumption_decide, suspension_issue_order
from .suspension_forms import DEFAULT_BASIS, DEFAULT_REQUIREMENTS

#: who signs for 西岭煤矿 and 北坡煤矿 (their 矿长)
SIGNERS = {"mine2": "郭建军", "mine3": "韩文斌"}

FIRST_SELF_CHECK = (
    "1105掘进工作面已停止作业、撤出人员；调整了通风系统，1105掘进工作面改为独立通风，补充了通风设计并经集团公司批准。"
    "矿井组织了自查验收，认为已具备复产条件，申请复产验收。"
)
REFUSAL_CHECKED = (
    "验收组现场核查：1105掘进工作面已实现独立通风，串联通风已消除；"
    "但局部通风机未实现“双风机、双电源”自动切换，切换试验记录缺失。"
)
REFUSAL_OPINION = (
    "验收不通过。局部通风机须实现“双风机、双电源”并能自动切换，完成切换试验后重新申请复产验收；在此之前继续停产整顿。"
)
SECOND_SELF_CHECK = (
    "按县局复产验收意见书要求，1105掘进工作面局部通风机已实现“双风机、双电源”，自动切换试验三次均正常，"
    "试验记录及通风系统图附后。企业自查验收合格，再次申请复产验收。"
)


def _active(mine):
    return Suspension.objects.filter(mine=mine, status=SuspensionStatus.ACTIVE).select_related("order").first()


def _since_first_hazard(suspension):
    """The suspension began the day its hazard was found (the seeders create the hazard today, with an earlier
    found_on): the record's date says so, so the order's dates can follow it."""
    first = suspension.hazards.order_by("found_on").values_list("found_on", flat=True).first()
    if first and first < suspension.started_on:
        Suspension.objects.filter(pk=suspension.pk).update(started_on=first)
        suspension.refresh_from_db()
    return suspension


def _order(officers, suspension, *, served_on, signer):
    hazards = list(suspension.hazards.order_by("found_on", "id"))
    facts = "经查，你矿存在下列重大事故隐患：" + "；".join(
        f"{i}. {h.location}{h.description}" for i, h in enumerate(hazards, start=1)
    )
    return suspension_issue_order(
        actor=officers[0],
        suspension=suspension,
        officers=officers,
        facts=facts + "。",
        basis=DEFAULT_BASIS,
        requirements=DEFAULT_REQUIREMENTS,
        signer_name=signer,
        served_on=served_on,
        receipt_scan=SimpleUploadedFile("送达回执.png", _png((236, 232, 220)), content_type="image/png"),
    )


def seed_suspensions(*, orgs, users, today=None):
    today = today or timezone.localdate()
    officers = _officers(users)
    if len(officers) < 2:
        return
    _mine2_chain(orgs, users, officers, today)
    _mine3_order(orgs, officers)


def _mine2_chain(orgs, users, officers, today):
    mine = orgs["mine2"]
    suspension = _active(mine)
    if suspension is None or suspension.order_id is not None:
        return
    suspension = _since_first_hazard(suspension)
    suspension = _order(officers, suspension, served_on=suspension.started_on, signer=SIGNERS["mine2"])
    inspector, officer = officers[0], users["mine2"]
    for hazard in Hazard.objects.filter(mine=mine).open_major().order_by("found_on", "id"):
        if hazard.status == "open":
            hazard_start_rectification(actor=officer, hazard=hazard, note="停止掘进，调整通风系统")
        hazard_submit_for_acceptance(
            actor=officer, hazard=hazard, rectified_on=max(hazard.found_on, today - dt.timedelta(days=1))
        )
        hazard_accountability_record(
            actor=inspector,
            hazard=hazard,
            enterprise_responsibility="通风副总工程师未按规定审查掘进工作面通风设计，通风队队长违章组织串联通风作业",
            supervision_responsibility="监管专员上次检查未深入1105掘进工作面，已责令作出书面检查",
            outcome="对西岭煤矿依法处罚；对通风副总工程师、通风队队长按企业追责问责清单处理",
        )
        hazard_accept(actor=inspector, hazard=hazard, note="现场复查：1105掘进工作面已独立通风，同意销号")
    first = resumption_apply(
        actor=officer,
        suspension=suspension,
        self_check=FIRST_SELF_CHECK,
        files=[SimpleUploadedFile("自查验收表.pdf", _pdf("Self-check 1105"), content_type="application/pdf")],
        submitted_on=today,
    )
    resumption_decide(
        actor=inspector,
        application=first,
        accepted=False,
        checked=REFUSAL_CHECKED,
        opinion=REFUSAL_OPINION,
        officers=officers,
        signer_name=SIGNERS["mine2"],
        served_on=today,
    )
    resumption_apply(
        actor=officer,
        suspension=suspension,
        self_check=SECOND_SELF_CHECK,
        files=[
            SimpleUploadedFile("双风机切换试验记录.pdf", _pdf("Fan switch test"), content_type="application/pdf"),
            SimpleUploadedFile("现场照片.png", _png((120, 140, 160)), content_type="image/png"),
        ],
        submitted_on=today,
    )


def _mine3_order(orgs, officers):
    suspension = _active(orgs["mine3"])
    if suspension is None or suspension.order_id is not None or not suspension.hazards.exists():
        return
    suspension = _since_first_hazard(suspension)
    _order(officers, suspension, served_on=suspension.started_on, signer=SIGNERS["mine3"])
