from django.utils import timezone

from .models import Campaign
from .services import campaign_clone, start_date_for_phase_today
from .template_data import read_template

DEMO_CODE = "yc-demo"


def seed_campaign(*, bureau, actor, today=None):
    """The demo campaign: the 2024 template cloned so that today falls in its enforcement phase."""
    existing = Campaign.objects.filter(code=DEMO_CODE).first()
    if existing:
        return existing
    today = today or timezone.localdate()
    template = Campaign.objects.get(code=read_template()["code"])
    starts_on = start_date_for_phase_today(source=template, phase_code="enforcement", today=today)
    return campaign_clone(source=template, code=DEMO_CODE, starts_on=starts_on, bureau=bureau, actor=actor)


def seed_organisation(*, campaign, users):
    """The notice's section 二 for the demo campaign: 领导组, its 办公室 and the 检查工作组, as 阳应急发〔2024〕280号
    names them. 陈永明 (the demo `leader`), 刘伟 (`inspector`) and 马晋斌 (`inspector2`) have accounts; the others are
    names with their titles. Once: a campaign that has its groups keeps them."""
    from .models import GroupKind, MemberPost
    from .organisation import group_member_add, working_group_create

    if campaign.working_groups.exists():
        return
    actor = users["inspector"]
    leading = working_group_create(
        actor=actor, campaign=campaign, kind=GroupKind.LEADING, name="百日安全生产专项整治领导组"
    )
    for post, user, name, title in (
        (MemberPost.HEAD, users["leader"], "", "县应急管理局局长"),
        (MemberPost.DEPUTY, None, "刘二红", "县应急管理局总工程师"),
        (MemberPost.DEPUTY, None, "靳郭龙", "县应急指挥中心副主任"),
    ):
        group_member_add(actor=actor, group=leading, post=post, user=user, name=name, title=title)
    working_group_create(
        actor=actor,
        campaign=campaign,
        kind=GroupKind.OFFICE,
        name="领导组办公室",
        located_at="县应急局煤矿执法一股",
        phone="4220723",
        duties="负责统筹、组织、协调专项整治工作",
    )
    team = working_group_create(actor=actor, campaign=campaign, kind=GroupKind.INSPECTION, name="检查工作组")
    for post, user, name, title in (
        (MemberPost.HEAD, None, "刘二红", "县应急管理局总工程师"),
        (MemberPost.HEAD, None, "靳郭龙", "县应急指挥中心副主任"),
        (MemberPost.DEPUTY, users["inspector"], "", ""),
        (MemberPost.DEPUTY, users["inspector2"], "", ""),
        (MemberPost.DEPUTY, None, "原银顺", ""),
        (MemberPost.MEMBER, None, "煤矿执法股室全体人员", ""),
        (MemberPost.MEMBER, None, "全体监管专员", ""),
    ):
        group_member_add(actor=actor, group=team, post=post, user=user, name=name, title=title)


#: a small PDF standing for the scans units attach (责任书、制度文件…)
DEMO_PDF = b"%PDF-1.4\n% demo evidence\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def seed_verification(*, campaign, orgs, users):
    """核验 in the demo county, after the units' progress (reporting.demo): some items verified, some still waiting
    for the bureau, and mine2's 1.2.b returned twice (flagged), waiting for mine2 to correct it. Once: a campaign
    whose declarations were reviewed keeps them."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .models import ProgressDeclaration, ProgressStatus, RequirementProgress
    from .progress import progress_update
    from .verification import progress_return, progress_verify

    reviewed = ProgressDeclaration.objects.filter(progress__requirement__campaign=campaign).exclude(review="pending")
    if reviewed.exists():
        return
    inspector = users["inspector"]
    items = {r.code: r for r in campaign.requirements.filter(level="item", code__in=["1.2.a", "1.2.b", "1.1.b"])}

    def waiting(key, code):
        return RequirementProgress.objects.filter(
            organization=orgs[key], requirement=items[code], state="declared"
        ).first()

    # Verified: mine1's and mine3's 1.2.a (责任制), ent1's 1.1.b (its own 警示教育). mine2's 1.2.a still waits.
    for key, code, note in (
        ("mine1", "1.2.a", "岗位安全责任制齐全，已抽查综采一队。"),
        ("mine3", "1.2.a", ""),
        ("ent1", "1.1.b", "签到表和照片齐全。"),
    ):
        progress = waiting(key, code)
        if progress is not None:
            progress_verify(actor=inspector, progress=progress, note=note)

    # mine2's 1.2.b (安全生产管理制度): declared, returned, declared again, returned again — flagged.
    mine2, officer = orgs["mine2"], users["mine2"]
    for attempt, (note, reason) in enumerate(
        (
            ("已修订安全生产管理制度 42 项。", "制度文件未见矿长签发页，请补充后重新申报。"),
            ("已补充矿长签发页。", "仍缺少通风、机电两个专业的制度修订记录。"),
        ),
        start=1,
    ):
        progress_update(
            actor=officer,
            organization=mine2,
            requirement=items["1.2.b"],
            status=ProgressStatus.DONE,
            note=note,
            evidence=SimpleUploadedFile(f"安全生产管理制度（第{attempt}次）.pdf", DEMO_PDF),
        )
        progress_return(actor=inspector, progress=waiting("mine2", "1.2.b"), reason=reason)
