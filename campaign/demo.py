import datetime as dt

from django.utils import timezone

from .models import Campaign, Deadline
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


# ------------------------------------------------------------------ a second campaign at the same time (issue 21)

WINTER_CODE = "yc-winter"
WINTER_NAME = "冬季“三防”专项检查"


def winter_notice(*, starts_on, ends_on, self_check_on):
    """The notice of the demo's second campaign: 防冻、防滑、防火 at 东峰煤矿 and 西岭煤矿 for one month. Its part 二
    is the task list (three sections, six numbered measures, some split into (1)(2))."""

    def day(d):
        return f"{d.month}月{d.day}日"

    return "\n".join(
        [
            "阳城县应急管理局关于开展冬季“三防”专项检查的通知",
            "晋阳煤业集团有限公司，东峰煤矿、西岭煤矿：",
            "为有效防范冬季低温、冰雪、大风天气引发的各类事故，确保冬季煤矿安全生产形势稳定，县局决定在东峰煤矿、西岭煤矿"
            "开展冬季“三防”（防冻、防滑、防火）专项检查。现将有关事项通知如下：",
            "一、检查时间",
            f"{starts_on.year}年{day(starts_on)}至{day(ends_on)}。",
            "二、检查内容",
            "（一）防冻",
            "1. 井口和管路防冻。",
            "（1）进风井口空气加热设施运行正常，井筒进风温度不低于2℃，井口和井筒不结冰。",
            "（2）供水、排水、消防洒水和压风管路采取保温措施，露天管路和阀门防止冻裂。",
            "2. 冬季“三防”安全培训。组织全员开展冬季防冻、防滑、防火安全知识培训，建立培训档案。",
            "（二）防滑",
            "3. 道路和场所防滑。",
            "（1）及时清理工业广场、道路、井口、栈桥和上下井通道的积雪冰凌，铺设防滑设施。",
            "（2）运输车辆配备防滑链，严格限速，驾驶人员经冬季行车安全教育。",
            "4. 冬季作业“三违”治理。严查冬季施工中的违章指挥、违章作业和违反劳动纪律行为，每起“三违”开展三项倒查。",
            "（三）防火",
            "5. 地面防火。",
            "（1）取暖设施、锅炉房和电气线路逐一检查，严禁使用明火和电炉取暖。",
            "（2）油脂库、木料场、坑木场等重点场所消防器材配备齐全、有效。",
            "6. 井下防灭火。落实自然发火预测预报和束管监测，井下电气焊作业严格执行审批制度。",
            "三、工作要求",
            "（一）高度重视。各单位主要负责人要亲自部署，逐项对照检查内容开展自查自改，不留死角。",
            f"（二）按时报送。各煤矿于{day(self_check_on)}前报送自查清单，{day(ends_on)}前报送工作总结；"
            "晋阳煤业集团有限公司督促所属煤矿落实并报送本企业工作总结。",
            "联系电话：4220723",
        ]
    )


#: the measures the bureau bound to records in the preview (their one item is filled in from the mines' records); the
#: other items are self-declared (a unit marks them done with its evidence, the bureau verifies)
WINTER_EVIDENCE = {"1.2": "training_archives", "2.2": "violation_backtracks"}


def seed_winter_campaign(*, orgs, users, today=None):
    """A second campaign running at the same time as the demo's 百日行动: 冬季“三防”专项检查 over this month, for
    东峰煤矿 and 西岭煤矿 only (晋阳煤业 comes in with them), authored as a bureau would — a draft, its notice's task
    list read and corrected, phases and deadlines, published. Once: returns (campaign, created)."""
    from . import authoring
    from .services import month_end
    from .task_list import from_text

    existing = Campaign.objects.filter(code=WINTER_CODE).first()
    if existing:
        return existing, False
    today = today or timezone.localdate()
    starts_on, ends_on = today.replace(day=1), month_end(today.year, today.month)
    self_check_on = starts_on + dt.timedelta(days=6)
    inspector = users["inspector"]
    notice = winter_notice(starts_on=starts_on, ends_on=ends_on, self_check_on=self_check_on)
    campaign = authoring.campaign_create(
        actor=inspector,
        code=WINTER_CODE,
        name=WINTER_NAME,
        document_no=f"阳应急发〔{starts_on.year}〕312号",
        issued_on=starts_on - dt.timedelta(days=2),
        starts_on=starts_on,
        ends_on=ends_on,
        goals=["无冻害事故", "无滑跌伤人事故", "无火灾事故"],
        covers_all_units=False,
        participants=[orgs["mine1"], orgs["mine2"]],
    )
    preview = from_text(notice)
    for section in preview.sections:
        for measure in section["children"]:
            if not measure["items"]:
                evidence = WINTER_EVIDENCE.get(measure["code"], "")
                measure["items"] = [{"text": measure["text"], "where": measure["where"], "evidence": evidence}]
    authoring.task_list_save(actor=inspector, campaign=campaign, sections=preview.sections, notice_text=notice)
    days = dt.timedelta
    for name, start, end, summary in (
        ("自查自改", starts_on, starts_on + days(9), "各煤矿对照检查内容逐项自查，建立问题清单，立查立改。"),
        ("检查督导", starts_on + days(10), ends_on - days(6), "县局检查工作组逐矿检查，督促整改。"),
        ("总结提升", ends_on - days(5), ends_on, "各单位总结冬季“三防”工作，完善长效机制。"),
    ):
        authoring.phase_save(
            actor=inspector, campaign=campaign, name=name, starts_on=start, ends_on=end, summary=summary
        )
    authoring.deadline_save(
        actor=inspector,
        campaign=campaign,
        kind="self_check",
        name="冬季“三防”自查清单",
        due_on=self_check_on,
        owed_by_mines=True,
    )
    authoring.deadline_save(
        actor=inspector,
        campaign=campaign,
        kind="summary",
        name="冬季“三防”工作总结",
        due_on=ends_on,
        owed_by_mines=True,
        owed_by_enterprises=True,
    )
    campaign = authoring.campaign_publish(actor=inspector, campaign=campaign)

    # 东峰煤矿 has done its 井口防冻 and declared it with its inspection record: waiting for the bureau's 核验.
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .models import ProgressStatus
    from .progress import progress_update

    progress_update(
        actor=users["mine1"],
        organization=orgs["mine1"],
        requirement=campaign.requirements.get(code="1.1.a"),
        status=ProgressStatus.DONE,
        note="主副井口热风炉已投运，井筒进风温度保持在4℃以上，每班记录。",
        evidence=SimpleUploadedFile("井口防冻检查记录.pdf", DEMO_PDF),
    )
    return campaign, True


CITY_CODE = "jc-demo"


def seed_city_campaign(*, orgs, users, county_campaign):
    """The campaign of 晋城市应急管理局 that the demo county's notice answers (issue 22): the same 2024 task list, over
    the same days, owing the city each county's 工作方案, monthly reports and 总结. The demo county's campaign adopts it
    (its own notice is its answer); 沁水 has not yet. Once: returns (campaign, created)."""
    from .services import month_end

    existing = Campaign.objects.filter(code=CITY_CODE).first()
    if existing:
        return existing, False
    template = Campaign.objects.get(code=read_template()["code"])
    city = orgs["city"]
    campaign = campaign_clone(
        source=template,
        code=CITY_CODE,
        starts_on=county_campaign.starts_on,
        bureau=city,
        actor=users["city"],
        document_no=f"晋市应急发〔{county_campaign.starts_on.year}〕112号",
        name="全市煤矿“守底线、挖根源、强措施、建机制”百日安全生产专项整治",
    )
    campaign.issuer = city.name
    campaign.issued_on = county_campaign.starts_on - dt.timedelta(days=5)
    # The demo has no text of the city's own notice: the county's, read as the city's (line for line, so every item
    # still points at its paragraph).
    campaign.notice_text = (
        campaign.notice_text.replace("阳城县应急管理局", "晋城市应急管理局")
        .replace("阳城县安全生产委员会", "晋城市安全生产委员会")
        .replace("阳应急发〔2024〕280号", f"晋市应急发〔{county_campaign.starts_on.year}〕112号")
        .replace("各主体、各煤矿：", "各县（市、区）应急管理局：")
        .replace("全县", "全市")
    )
    campaign.published_at, campaign.published_by = timezone.now(), users["city"]
    campaign.save(update_fields=["issuer", "issued_on", "notice_text", "published_at", "published_by"])
    # What the counties owe the city (the mines owe their county, on the county's own campaign).
    campaign.deadlines.all().delete()
    upward = [("work_plan", "work_plan", "县（市、区）工作方案", campaign.starts_on + dt.timedelta(days=7), "")]
    month = campaign.starts_on.replace(day=1)
    while month <= campaign.ends_on:
        due = min(month_end(month.year, month.month), campaign.ends_on)
        if (due - max(month, campaign.starts_on)).days < 10:  # a few days of a month go into the next month's report
            month = due + dt.timedelta(days=1)
            continue
        upward.append(
            ("monthly", f"monthly_{month:%Y_%m}", f"{month.month}月工作进展（报市局）", due, f"{month:%Y-%m}")
        )
        month = due + dt.timedelta(days=1)
    upward.append(("summary", "summary", "县（市、区）工作总结", campaign.ends_on, ""))
    Deadline.objects.bulk_create(
        Deadline(
            campaign=campaign,
            kind=kind,
            code=code,
            name=name,
            due_on=due,
            period=period,
            owed_by_mines=False,
            owed_by_enterprises=False,
            owed_by_bureau=True,
            note="报市局安全生产基础科",
        )
        for kind, code, name, due, period in upward
    )
    county_campaign.adopts = campaign
    county_campaign.save(update_fields=["adopts"])
    return campaign, True
