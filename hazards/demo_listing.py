"""挂牌督办 to 摘牌 and 曝光 in the demo county: 西岭煤矿's listed hazard (hazards.demo) stays 挂牌中; a major water
hazard of 北坡煤矿 found a month ago was listed, rectified, accepted by the bureau, taken down and published with a
summary for the public. The bureau's public code makes the public page /public/listed-hazards/?bureau=yangcheng.
Idempotent: a county that already has a published case is left as it is."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from .models import HazardLevel, HazardListing, HazardSource, MajorHazardCategory, MajorHazardItem
from .permissions import can_supervise
from .services import (
    hazard_accept,
    hazard_accountability_record,
    hazard_create,
    hazard_delist,
    hazard_list_publicly,
    hazard_listing_publish,
    hazard_start_rectification,
    hazard_submit_for_acceptance,
)

PUBLIC_CODE = "yangcheng"
PUBLIC_SUMMARY = (
    "县应急管理局在执法检查中发现北坡煤矿+450水平中央水泵房排水能力不足、备用水泵未安装，"
    "属于“有严重水患，未采取有效措施”的重大事故隐患，依法责令停产整顿并挂牌督办。"
    "该矿补装了备用水泵和配电设施，完成排水系统联合试运转，经县局现场验收合格后销号摘牌；"
    "对企业和监管两方面的责任依规进行了调查处理（一案双查）。"
)


def seed_listings(*, orgs, users, today=None):
    today = today or timezone.localdate()
    bureau = orgs["bureau"]
    if not bureau.public_code:
        bureau.public_code = PUBLIC_CODE
        bureau.save(update_fields=["public_code"])
    if HazardListing.objects.published().filter(hazard__mine__bureau=bureau).exists():
        return
    # The demo's first inspector (by username, as the other demo seeders pick their officers).
    inspector = next(users[name] for name in sorted(users) if can_supervise(users[name]))
    mine, officer = orgs["mine3"], users["mine3"]
    found_on = today - dt.timedelta(days=30)
    hazard = hazard_create(
        actor=inspector,
        mine=mine,
        source=HazardSource.BUREAU_INSPECTION,
        found_on=found_on,
        location="+450水平中央水泵房",
        specialty="water",
        description="中央水泵房排水能力不足，备用水泵未安装，不能满足矿井正常涌水量的排水要求",
        level=HazardLevel.MAJOR,
        major_category=MajorHazardCategory.objects.get(standard__is_current=True, no=6),
        # 第九条第（八）项: 主要排水系统的排水能力不符合规程
        major_item=MajorHazardItem.objects.get(category__standard__is_current=True, category__no=6, no=8),
        measures="安装备用水泵及配电设施，完成排水系统联合试运转；整改期间停止受水害威胁区域的采掘作业",
        funds=Decimal("420000"),
        responsible_unit="机电运输部",
        responsible_person="冯志强",
        due_on=found_on + dt.timedelta(days=20),
        contingency_plan="受水害威胁区域撤人；安排专人观测水情，发现异常立即撤出井下人员",
    )
    hazard_list_publicly(
        actor=inspector,
        hazard=hazard,
        listed_on=found_on,
        supervising_unit="阳城县应急管理局",
        notice_text="对北坡煤矿+450水平中央水泵房排水能力不足重大事故隐患挂牌督办，责令停产整顿，限期整改。",
    )
    hazard_start_rectification(actor=officer, hazard=hazard)
    hazard_submit_for_acceptance(actor=officer, hazard=hazard, rectified_on=found_on + dt.timedelta(days=18))
    # 一案双查 before 销号: the bureau looks at the enterprise's and its own supervision's part in every major hazard.
    hazard_accountability_record(
        actor=inspector,
        hazard=hazard,
        enterprise_responsibility="矿井未按设计安装备用水泵，机电副矿长和机电运输部部长对排水系统管理不到位",
        supervision_responsibility="驻矿监管专员对排水系统专项检查不够深入，已约谈并责令书面检查",
        outcome="对北坡煤矿依法处罚；对机电副矿长、机电运输部部长按企业追责问责清单处理",
    )
    hazard_accept(actor=inspector, hazard=hazard, note="现场复查：备用水泵已安装，联合试运转正常，同意销号")
    hazard_delist(actor=inspector, hazard=hazard, note="隐患已整改到位并经验收销号，同意摘牌。")
    hazard_listing_publish(actor=inspector, hazard=hazard, public_summary=PUBLIC_SUMMARY)
