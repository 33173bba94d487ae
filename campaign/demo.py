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
