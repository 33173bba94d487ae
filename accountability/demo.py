"""The demo county's accountability actions: a 约谈 of 晋阳煤业 (ent1) ten days ago over its mines' major hazards, with
the commitments it made, the minutes and a follow-up date five days ahead (the sweep reminds ent1 of it); and a
通报批评 of 西岭煤矿 (mine2), which sent its work plan late, issued three days ago (it shows on mine2's and ent1's
home pages until read). Idempotent: nothing is added once the bureau has an action."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from .models import AccountabilityAction
from .services import action_draft, action_issue

MINUTES = b"%PDF-1.4\n% demo: \xe7\xba\xa6\xe8\xb0\x88\xe8\xae\xb0\xe5\xbd\x95\n%%EOF\n"


def seed_accountability(*, orgs, users, today=None):
    today = today or timezone.localdate()
    bureau = orgs["bureau"]
    if AccountabilityAction.objects.filter(bureau=bureau).exists():
        return
    inspector = users["inspector"]
    summoned_on = today - dt.timedelta(days=10)
    summoned_at = timezone.make_aware(dt.datetime.combine(summoned_on, dt.time(9, 30)))
    talk = action_draft(
        actor=inspector,
        kind="summons",
        targets=[orgs["ent1"]],
        title=f"约谈{orgs['ent1'].name}主要负责人的记录",
        persons="高志刚，晋阳煤业安全副总\n王建国，东峰煤矿矿长",
        reason="东峰煤矿3105回风巷甲烷传感器安设位置不符合规定，经责令限期整改后复查仍不合格；"
        "企业对所属煤矿的隐患排查治理督促不力。",
        summoned_by="县应急管理局局长 李明、分管副局长 赵华",
        summoned_at=summoned_at,
        place="县应急管理局三楼会议室",
        problems="一、重大事故隐患整改不彻底，复查不合格；\n二、企业月查流于形式，未发现所属煤矿的传感器问题；\n"
        "三、百日专项整治自查清单与实际不符。",
        commitments="一、7日内完成3105回风巷传感器整改，报县局复查；\n二、集团每周对所属煤矿开展一次专项检查；\n"
        "三、重新开展自查，10日内报送真实的自查清单。",
        follow_up_on=today + dt.timedelta(days=5),
        requirements="按承诺逐项落实，县局将按期跟踪复查。",
        minutes=SimpleUploadedFile("约谈记录.pdf", MINUTES, content_type="application/pdf"),
    )
    action_issue(actor=inspector, action=talk, issued_on=summoned_on)
    mine2 = orgs["mine2"]
    note = action_draft(
        actor=inspector,
        kind="notice_criticism",
        targets=[mine2],
        title=f"关于对{mine2.name}予以通报批评的决定",
        reason=f"{mine2.name}未按《关于开展煤矿百日安全生产专项整治的通知》（阳应急发〔2024〕280号）规定的时限报送"
        "百日专项整治工作方案，迟报2天；企业月查走过场，隐患排查整治不力。",
        requirements="一、深刻汲取教训，举一反三；\n二、5个工作日内向县局书面报送整改情况；\n"
        "三、专项整治期间再次迟报、漏报的，将约谈企业主要负责人。",
        source="late_or_missing_reports",
    )
    action_issue(actor=inspector, action=note, issued_on=today - dt.timedelta(days=3))
