"""Every URL of the project, for every role, against objects of two enterprises, three mines and another bureau.

The URL patterns come from the resolver, so a new URL fails this test until it is classified below. For each
role: another tenant's object answers 404 (or 403) by GET and by the mutating methods and is left unchanged; lists,
dashboards, exports and API lists never contain another tenant's marker text; without a login, only the public
pages answer.
"""

import datetime as dt
import io
import json
from dataclasses import dataclass, field

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.models import Role
from accounts.services import mine_supervisor_assign
from campaign.models import RequirementProgress
from campaign.organisation import group_member_add, working_group_create
from campaign.progress import progress_attach, progress_update
from enforcement import services as penalty_services
from hazards import services as hz
from hazards.models import Hazard, LeaderReview, MajorHazardItem, SuspectedMajorHazard
from notifications.services import Notice, notify_many
from reporting import services as rp
from tests.enforcement.penalty_helpers import advance, open_case, setup_bureau
from tests.factories import (
    HazardFactory,
    UserFactory,
    ViolationFactory,
    regulator_levels,
    running_campaign,
)
from tests.hazards.xlsx import workbook_upload
from tests.images import image_bytes
from violations import services as vs
from violations.models import Violation
from workforce import services as ws

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4 evidence"
TODAY = dt.date.today()
IMPORT_HEADERS = [
    "序号",
    "排查日期",
    "排查类型",
    "隐患地点",
    "隐患内容",
    "隐患等级",
    "重大隐患类别",
    "整改期限",
    "销号日期",
]
VIOLATION_HEADERS = ["序号", "日期", "姓名", "违章地点", "违章行为", "三违类别", "性质"]
ROSTER_HEADERS = ["姓名", "工号", "职务", "所在科队", "班组"]


def _document(t, officers, inspection, hazard):
    """A 责令限期整改指令书 of the tenant's mine, issued and served with a scan of its receipt (its mine sees it)."""
    from enforcement.models import DocumentKind

    draft = penalty_services.document_draft(
        actor=officers[0],
        kind=DocumentKind.RECTIFICATION_ORDER,
        mine=t.mine,
        inspection=inspection,
        officers=officers,
        items=[{"hazard": hazard, "due_on": TODAY}],
        content={"facts": t.marker("指令书"), "basis": "《中华人民共和国安全生产法》第六十五条"},
    )
    issued = penalty_services.document_issue(actor=officers[0], document=draft, issued_on=TODAY)
    scan = SimpleUploadedFile("回执.png", image_bytes(), content_type="image/png")
    return penalty_services.document_record_receipt(
        actor=officers[0], document=issued, signer_name=t.marker("签收人"), received_on=TODAY, scan=scan
    )


def _penalty_case(t, bureau_officers):
    """A penalty case of the tenant's mine, served (its mine sees it), with a file of its 案卷."""
    officers, provisions = bureau_officers
    start = TODAY - dt.timedelta(days=10)
    case = open_case(officers[0], t.mine, provisions, filed_on=start, marker=t.marker("处罚"))
    evidence = penalty_services.penalty_case_attach(
        actor=officers[0],
        case=case,
        upload=SimpleUploadedFile("询问笔录.pdf", PDF),
        kind="inquiry",
        title=t.marker("询问笔录"),
        dated=start,
    )
    return advance(case, officers, "notified", start=start), evidence


def _summons(t, inspector):
    """An issued 约谈 of the tenant's mine with its minutes (its mine and enterprise see it; nobody else)."""
    from accountability import services as acct

    now = dt.datetime.now(dt.UTC)
    draft = acct.action_draft(
        actor=inspector,
        kind="summons",
        targets=[t.mine],
        title=t.marker("约谈"),
        reason=t.marker("约谈事由"),
        summoned_by="局长",
        summoned_at=now - dt.timedelta(hours=1),
        problems="x",
        commitments="x",
        follow_up_on=TODAY + dt.timedelta(days=10),
        minutes=SimpleUploadedFile("约谈记录.pdf", PDF),
    )
    return acct.action_issue(actor=inspector, action=draft, issued_on=TODAY)


def _suspension(t, bureau_officers):
    """The tenant's mine under 停产整顿: its order served, the hazard closed (with 一案双查), an application pending."""
    from enforcement.models import Suspension
    from hazards.models import MajorHazardCategory, MajorHazardItem

    officers, _ = bureau_officers
    major = hz.hazard_create(
        actor=t.officer,
        mine=t.mine,
        source="enterprise_monthly",
        found_on=TODAY,
        location=t.marker("停产地点"),
        description=t.marker("停产隐患"),
        level="major",
        major_category=MajorHazardCategory.objects.get(standard__is_current=True, no=5),
        major_item=MajorHazardItem.objects.get(category__standard__is_current=True, category__no=5, no=3),
        measures="x",
        funds=1,
        responsible_unit="x",
        responsible_person="x",
        due_on=TODAY,
        contingency_plan="x",
    )
    suspension = penalty_services.suspension_issue_order(
        actor=officers[0],
        suspension=Suspension.objects.get(mine=t.mine, status="active"),
        officers=officers,
        facts=t.marker("停产事实"),
        basis="x",
        requirements="x",
        signer_name="x",
        served_on=TODAY,
    )
    hz.hazard_submit_for_acceptance(actor=t.officer, hazard=major)
    hz.hazard_accountability_record(
        actor=officers[0], hazard=major, enterprise_responsibility="x", supervision_responsibility="x", outcome="x"
    )
    hz.hazard_accept(actor=officers[0], hazard=major)
    application = penalty_services.resumption_apply(
        actor=t.officer, suspension=suspension, self_check=t.marker("复产申请")
    )
    return suspension, application


def _accidents(t, inspector):
    """Two accidents of the tenant's mine in the campaign: one whose 提级调查 is open, one closed with its report."""
    from accidents import services as acc

    at = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    common = {"kind": "roof", "minor_injuries": 1, "reporter_name": "x", "reported_at": at + dt.timedelta(minutes=10)}
    accident = acc.accident_create(
        actor=t.officer, mine=t.mine, occurred_at=at, place=t.marker("事故地点"), description=t.marker("事故"), **common
    )
    closed = acc.accident_create(
        actor=t.officer, mine=t.mine, occurred_at=at, place=t.marker("结案地点"), description=t.marker("结案"), **common
    )
    acc.investigation_update(actor=inspector, investigation=closed.investigation, findings=t.marker("调查结论"))
    acc.investigation_close(
        actor=inspector,
        investigation=closed.investigation,
        closed_on=TODAY,
        report=SimpleUploadedFile("调查报告.pdf", PDF),
    )
    return accident, accident.investigation, closed.investigation.report


@dataclass
class Tenant:
    key: str
    mine: object
    officer: object
    objects: dict = field(default_factory=dict)

    def marker(self, what):
        return f"标记{self.key}{what}"


def build_world(county):
    """Tenants A (mine1) and B (mine2) under ent1, C (mine3) under ent2, X under another bureau; above the county its
    city and province, above the other bureau another city (tests.factories.regulator_levels)."""
    levels = regulator_levels(county)
    other_ent = county.other_mine.parent
    other_officer = UserFactory(username="other_mine", role=Role.MINE_OFFICER, organization=county.other_mine)
    other_ent_officer = UserFactory(username="other_ent", role=Role.ENTERPRISE_OFFICER, organization=other_ent)
    tenants = {
        "A": Tenant("A", county.mine1, county.mine1_officer),
        "B": Tenant("B", county.mine2, county.mine2_officer),
        "C": Tenant("C", county.mine3, county.mine3_officer),
        "X": Tenant("X", county.other_mine, other_officer),
    }
    inspectors = {"county": county.inspector, "other": county.other_inspector}
    penalty_officers = {
        "county": setup_bureau(county.bureau, county.inspector),
        "other": setup_bureau(county.other_bureau, county.other_inspector),
    }
    campaigns = {
        "county": running_campaign(bureau=county.bureau, starts_on=TODAY - dt.timedelta(days=40)),
        "other": running_campaign(bureau=county.other_bureau, starts_on=TODAY - dt.timedelta(days=40)),
    }
    for t in tenants.values():
        bureau_key = "other" if t.key == "X" else "county"
        inspector, campaign = inspectors[bureau_key], campaigns[bureau_key]
        o = t.objects
        # before the open major hazard below: with it open, the mine could not apply for 复产验收
        o["suspension"], o["application"] = _suspension(t, penalty_officers[bureau_key])
        o["hazard"] = HazardFactory(mine=t.mine, description=t.marker("隐患"), location=t.marker("地点"))
        o["hazard_file"] = hz.hazard_attach_file(
            actor=t.officer, hazard=o["hazard"], stage="before", upload=SimpleUploadedFile("p.png", image_bytes())
        )
        o["awaiting"] = HazardFactory(mine=t.mine, description=t.marker("待验收"), status="awaiting_acceptance")
        o["major"] = HazardFactory(mine=t.mine, description=t.marker("重大"), level="major", contingency_plan="x")
        # A closed major hazard still listed (挂牌督办): the bureau may take it down (摘牌) and publish it (曝光).
        o["listed"] = HazardFactory(
            mine=t.mine, description=t.marker("挂牌"), level="major", contingency_plan="x", status="closed"
        )
        hz.hazard_list_publicly(
            actor=inspector, hazard=o["listed"], listed_on=TODAY, supervising_unit="x", notice_text=t.marker("公告")
        )
        # 四(四)3: a major hazard found by a higher department, its main leader's 检查 submitted (with its file).
        o["superior"] = HazardFactory(
            mine=t.mine, description=t.marker("上级"), level="major", contingency_plan="x", source="superior_inspection"
        )
        LeaderReview.objects.create(hazard=o["superior"], due_on=TODAY)
        hz.leader_review_submit(
            actor=t.officer,
            hazard=o["superior"],
            leader_name=t.marker("矿长"),
            written_on=TODAY,
            file=SimpleUploadedFile("j.pdf", PDF),
        )
        # 疑似重大隐患 (issue 25 item 3): a general hazard that reads like 第七条第（二）项, its finding pending; its
        # 五落实 complete, so the bureau's confirm would succeed (only the isolation refuses another county's).
        o["suspected_hazard"] = HazardFactory(
            mine=t.mine,
            description=t.marker("疑似") + "，甲烷传感器超限后不能断电",
            funds=1000,
            contingency_plan="x",
        )
        o["suspected"] = SuspectedMajorHazard.objects.create(
            hazard=o["suspected_hazard"],
            item=MajorHazardItem.objects.get(category__standard__is_current=True, category__no=4, no=2),
            score=10.0,
            found_at=dt.datetime.now(dt.UTC),
        )
        # 4.1.c: a tip-off made to the enterprise of the tenant's mine (its own channel).
        o["ent_tipoff"] = vs.tipoff_submit(
            bureau=t.mine.bureau,
            addressee="enterprise",
            mine=t.mine,
            category="other",
            content=t.marker("企业举报") + "，请核查。",
        )
        o["violation"] = ViolationFactory(mine=t.mine, description=t.marker("三违"), person_name=t.marker("人"))
        o["inspection"] = hz.inspection_create(
            actor=inspector, mine=t.mine, inspected_on=TODAY, mode="open", notes=t.marker("检查")
        )
        o["exam"] = hz.exam_record(
            actor=inspector, inspection=o["inspection"], person_name=t.marker("考生"), post="电工", score=50
        )
        hz.exam_retraining_complete(
            actor=t.officer, exam=o["exam"], retrained_on=TODAY, note="x", evidence=SimpleUploadedFile("e.pdf", PDF)
        )
        o["exam_open"] = hz.exam_record(
            actor=inspector, inspection=o["inspection"], person_name="待培训", post="电工", score=40
        )
        # 逢查必考 from the 判定标准 (issue 25): a paper drawn at the inspection
        o["paper"] = hz.exam_paper_draw(actor=inspector, inspection=o["inspection"], size=5)
        deadline = campaign.deadlines.get(kind="work_plan")
        o["deadline"] = deadline
        sub = rp.submission_open(actor=t.officer, deadline=deadline)
        o["file"] = rp.submission_attach(actor=t.officer, submission=sub, upload=SimpleUploadedFile("a.pdf", PDF))
        plan = {
            k: t.marker("报送")
            for k in ("goals", "organization", "measures_1", "measures_2", "measures_3", "measures_4")
        }
        rp.submission_save(actor=t.officer, submission=sub, narrative=plan)
        o["submission"] = rp.submission_submit(actor=t.officer, submission=sub)
        requirement = campaign.requirements.get(code="1.2.b")
        o["requirement"] = requirement
        # the file first: a declared item (已完成) waits for the bureau's 核验 and takes no more files
        o["progress_file"] = progress_attach(
            actor=t.officer, organization=t.mine, requirement=requirement, upload=SimpleUploadedFile("s.pdf", PDF)
        ).pk
        o["progress"] = progress_update(
            actor=t.officer,
            organization=t.mine,
            requirement=requirement,
            status="done",
            figure=1,
            note=t.marker("落实"),
        )
        o["red_line"] = vs.red_line_list_publish(
            actor=t.officer,
            mine=t.mine,
            kind="red_line",
            title=t.marker("清单"),
            effective_on=TODAY,
            items=[{"level": "矿级", "post": "全员", "content": t.marker("红线"), "consequence": ""}],
        )
        unit = ws.work_unit_create(actor=t.officer, mine=t.mine, kind="team", name=t.marker("班组"))
        o["person"] = ws.person_create(actor=t.officer, mine=t.mine, name=t.marker("员工"), role="manager", unit=unit)
        ws.person_create(actor=t.officer, mine=t.mine, name=t.marker("带班"), role="manager")
        o["session"] = ws.training_session_record(
            pass_mark=80,
            actor=t.officer,
            mine=t.mine,
            kind="warning_education",
            held_on=TODAY,
            topic=t.marker("培训"),
            case_one=t.marker("案例"),
            lecturer_name="x",
            units=[unit],
            attendees=[o["person"]],
        )
        ws.certificate_record(
            actor=t.officer,
            person=o["person"],
            kind="electrical",
            number=t.marker("证书"),
            expires_on=TODAY + dt.timedelta(days=10),
        )
        csv = f"姓名,卡号,班组,下井时间,升井时间\n{t.marker('定位')},1,x,{TODAY - dt.timedelta(days=1)} 07:00,18:30\n"
        positioning = ws.positioning_import(
            actor=t.officer, mine=t.mine, upload=SimpleUploadedFile(t.marker("定位文件") + ".csv", csv.encode())
        )
        o["positioning"] = __import__("workforce.models", fromlist=["x"]).PositioningRecord.objects.get(mine=t.mine)
        o["positioning_batch"] = positioning.batch_id
        ledger = [[1, TODAY, "周查", t.marker("导入地点"), t.marker("导入隐患"), "一般", None, None]]
        o["hazard_batch"] = hz.hazards_import(
            actor=t.officer,
            mine=t.mine,
            upload=workbook_upload(ledger, headers=IMPORT_HEADERS, name=t.marker("隐患文件") + ".xlsx"),
        ).batch_id
        violations = [[1, TODAY, t.marker("导入人员"), "2401", t.marker("导入三违"), "违章作业", "一般"]]
        o["violation_batch"] = vs.violations_import(
            actor=t.officer,
            mine=t.mine,
            upload=workbook_upload(violations, headers=VIOLATION_HEADERS, name=t.marker("三违文件") + ".xlsx"),
        ).batch_id
        roster = [[t.marker("名册人员"), "R1", "电工", t.marker("名册科队"), t.marker("名册班组")]]
        o["roster_batch"] = ws.roster_import(
            actor=t.officer,
            mine=t.mine,
            upload=workbook_upload(roster, headers=ROSTER_HEADERS, name=t.marker("名册文件") + ".xlsx"),
        ).batch_id
        o["plan"] = ws.zero_shift_plan_create(
            actor=t.officer,
            mine=t.mine,
            shift_date=TODAY,
            leader_one=t.marker("员工"),
            leader_two=t.marker("带班"),
            tasks=[{"content": t.marker("零点班作业")}],
        )
        now = dt.datetime.now(dt.UTC)
        o["handover"] = ws.dispatch_handover_record(
            actor=t.officer,
            mine=t.mine,
            shift="middle",
            shift_starts_at=now,
            dispatched_at=now - dt.timedelta(hours=1),
            dispatcher="x",
            tasks=t.marker("调度"),
        )
        for day in (TODAY - dt.timedelta(days=2), TODAY - dt.timedelta(days=1)):
            ViolationFactory(
                mine=t.mine,
                campaign=campaign,
                severity="serious",
                person_name=t.marker("屡违"),
                occurred_on=day,
                description=t.marker(f"严重{day}"),
            )
        (o["offender"],) = vs.repeat_offenders_escalate(mine=t.mine, campaign=campaign)
        o["penalty_case"], o["penalty_evidence"] = _penalty_case(t, penalty_officers[bureau_key])
        o["document"] = _document(t, penalty_officers[bureau_key][0], o["inspection"], o["hazard"])
        o["resumption_file"] = o["application"].attachments.create(
            file=SimpleUploadedFile("r.pdf", PDF), original_name="r.pdf", content_type="application/pdf", size=len(PDF)
        )
        o["accident"], o["investigation"], o["accident_report"] = _accidents(t, inspector)
        o["notification"] = f"note-{t.key}"
        notify_many([Notice(t.officer.pk, "t", o["notification"], t.marker("通知"), "", "/")])
        o["summons"] = _summons(t, inspector)
        o["supervision"] = mine_supervisor_assign(
            actor=inspector, mine=t.mine, supervisor=inspector, note=t.marker("包保")
        )
    for key, bureau in (("county", county.bureau), ("other", county.other_bureau)):
        inspector = inspectors[key]
        case = ViolationFactory(
            mine=county.mine1 if key == "county" else county.other_mine, typical=True, description="典型案例"
        )
        bulletin = vs.bulletin_create(
            actor=inspector, period=f"{TODAY:%Y-%m}", title=f"标记{key}通报", body="x", cases=[case]
        )
        vs.bulletin_publish(actor=inspector, bulletin=bulletin)
        draft = vs.bulletin_create(
            actor=inspector, period=f"{TODAY:%Y-%m}", title=f"标记{key}草稿", body="x", cases=[case]
        )
        tipoff = vs.tipoff_submit(bureau=bureau, category="other", content=f"标记{key}举报内容，请核查。")
        campaigns[key].officer = inspector
        campaigns[key].provision = penalty_services.legal_provision_save(
            actor=inspector, law=f"《标记{key}条例》", article="第一条", violation=f"标记{key}违法行为", summary="x"
        )
        campaigns[key].bulletin, campaigns[key].draft, campaigns[key].tipoff = bulletin, draft, tipoff
        group = working_group_create(
            actor=inspector, campaign=campaigns[key], kind="leading", name=f"标记{key}领导组", phone="4220723"
        )
        campaigns[key].group = group
        # the bureau's group robot (issue 23): its pages are the bureau's, another bureau's is 404
        campaigns[key].robot = __import__("notifications.models", fromlist=["Robot"]).Robot.objects.create(
            organization=bureau,
            kind="wecom",
            name=f"标记{key}机器人",
            webhook_url="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=walk",
        )
        campaigns[key].member = group_member_add(
            actor=inspector, group=group, post="head", name=f"标记{key}组长", title="局长"
        )
    users = {
        "mine1": (county.mine1_officer, {"A"}),
        "ent1": (county.ent1_officer, {"A", "B"}),
        "inspector": (county.inspector, {"A", "B", "C"}),
        "leader": (county.leader, {"A", "B", "C"}),
        "other_inspector": (county.other_inspector, {"X"}),
        "other_ent": (other_ent_officer, {"X"}),
        # above the county: they see below, never beside, and change nothing (READ_ONLY below)
        "city": (levels.city_user, {"A", "B", "C"}),
        "province": (levels.province_user, {"A", "B", "C"}),
        "other_city": (levels.other_city_user, {"X"}),
    }
    return tenants, campaigns, users


#: the users who change nothing in what they see (the regulators above the county): the walk also sends them every
#: write to their own counties' objects, which must be refused and leave everything as it was
READ_ONLY_BELOW = {"city", "province", "other_city"}
#: writes a read-only user does make: its own session, password, notices, preferences, searches; and reads whose input
#: is a POST body (the 判定标准 matcher: it reads and writes nothing of anyone's)
OWN_WRITES = {
    "logout",
    "notification_read_all",
    "notification_preferences",
    "channel_preferences",
    "api-major-hazard-criteria-match",
}
#: writes a regulator makes of its own (issue 22 item 2): a campaign of its own (the counties adopt it), and reviewing
#: in batch what its counties send it (an item that is not theirs is refused by itself on the queue, as for an
#: inspector); its own inspection of a mine below it (issue 22 item 1: the findings and exams at it, and the documents
#: drafted at it, are refused at the counties' inspections, which is what the walks post to). The walks still hold that
#: nothing of the counties' changes.
REGULATOR_WRITES = {"campaign_create", "submission_batch_approve", "inspection_create"}


# ------------------------------------------------------------------ the URL table

OBJ = "object"  # kwargs name objects of one tenant; another tenant's must be 404
LIST = "list"  # no object in the URL: the response must not show other tenants' markers
PUBLIC = "public"  # answers without a login
BUREAU = "bureau"  # kwargs name a bureau-level object (campaign, deadline, bulletin, tip-off)


@dataclass(frozen=True)
class Spec:
    kind: str
    methods: tuple = ("GET",)
    kwargs: object = None  # tenant/bureau → kwargs
    body: dict = field(default_factory=dict)
    # LIST: the query strings to read the page with (a search for the markers), or a function of the tenants that
    # gives them (the ticked rows of a ledger: every tenant's, of which only the user's own may come back)
    queries: object = ({},)


def t_(name, attr="pk"):
    return lambda t: {name: getattr(t.objects[_obj_for(name, t)], attr) if attr else t.objects[_obj_for(name, t)]}


def _obj_for(name, t):
    return name


def obj(key, param="pk", attr="pk", **extra):
    def build(t):
        value = t.objects[key]
        return {param: getattr(value, attr) if attr else value, **extra}

    return build


def bureau(attr, param="pk"):
    def build(campaign):
        value = campaign if attr == "campaign" else getattr(campaign, attr)
        return {param: value.pk}

    return build


POST = ("POST",)
GET_POST = ("GET", "POST")
SPECS = {
    "healthz": Spec(PUBLIC),
    "readyz": Spec(PUBLIC),  # health checks answer anyone and show no data
    "favicon": Spec(PUBLIC),  # the product's icon
    "manifest": Spec(PUBLIC),  # the installable app's manifest and service worker: no data in them
    "service_worker": Spec(PUBLIC),
    "offline_queue": Spec(LIST),  # 待上传: drawn in the browser from its own storage, nothing of the server's
    "home": Spec(LIST),
    "guide": Spec(LIST),  # 使用说明: the same page for everyone, the reader's role first
    "login": Spec(PUBLIC, GET_POST),
    "logout": Spec(LIST, POST),
    "profile": Spec(LIST),
    "password_change": Spec(LIST),
    "password_change_done": Spec(LIST),
    "mine_list": Spec(LIST),
    # 监管专员包保: everyone reads those of the mines they see; the bureau's inspectors keep them.
    "mine_supervisor_list": Spec(LIST),
    "mine_supervisor_create": Spec(LIST),
    "mine_supervisor_edit": Spec(OBJ, GET_POST, kwargs=obj("supervision"), body={"duty": "assist", "note": "被改了"}),
    "mine_supervisor_delete": Spec(OBJ, POST, kwargs=obj("supervision")),
    "bureau_contacts_edit": Spec(LIST, GET_POST, body={"contact_phone": "1", "contact_email": ""}),
    # The campaign's organisation (领导组、办公室、检查工作组): read by all who see the campaign, kept by its bureau.
    "campaign_organisation": Spec(BUREAU, kwargs=bureau("campaign")),
    "working_group_create": Spec(BUREAU, GET_POST, kwargs=bureau("campaign"), body={"kind": "office", "name": "x"}),
    "working_group_edit": Spec(BUREAU, GET_POST, kwargs=bureau("group"), body={"kind": "office", "name": "被改了"}),
    "working_group_delete": Spec(BUREAU, POST, kwargs=bureau("group")),
    "group_member_create": Spec(BUREAU, GET_POST, kwargs=bureau("group"), body={"post": "member", "name": "x"}),
    "group_member_edit": Spec(BUREAU, GET_POST, kwargs=bureau("member"), body={"post": "member", "name": "被改了"}),
    "group_member_delete": Spec(BUREAU, POST, kwargs=bureau("member")),
    "campaign_list": Spec(LIST),
    "campaign_detail": Spec(BUREAU, kwargs=bureau("campaign")),
    # Authoring (issue 21): the bureau's writers on their own campaigns; another bureau's is 404, a unit's officer or
    # the leadership group 403; the notice is read by all who see the campaign.
    "campaign_create": Spec(LIST),
    "campaign_edit": Spec(
        BUREAU,
        GET_POST,
        kwargs=bureau("campaign"),
        body={"name": "被改了", "starts_on": "2030-01-01", "ends_on": "2030-02-01"},
    ),
    "campaign_publish": Spec(BUREAU, POST, kwargs=bureau("campaign")),
    # 落实 a city's campaign: another county's campaign is 404 (its own county's is not a city's: refused alike)
    "campaign_adopt": Spec(BUREAU, POST, kwargs=bureau("campaign")),
    "campaign_notice": Spec(BUREAU, kwargs=bureau("campaign")),
    "task_list_import": Spec(BUREAU, GET_POST, kwargs=bureau("campaign"), body={"text": "（一）甲\n1. 被改了。"}),
    "task_list_save": Spec(
        BUREAU, POST, kwargs=bureau("campaign"), body={"s-1-name": "被改了", "m-1-1-name": "被改了"}
    ),
    "phase_create": Spec(
        BUREAU,
        GET_POST,
        kwargs=bureau("campaign"),
        body={"name": "被改了", "starts_on": "2030-01-01", "ends_on": "2030-01-02"},
    ),
    "phase_edit": Spec(
        BUREAU,
        GET_POST,
        kwargs=lambda c: {"pk": c.phases.order_by("order").first().pk},
        body={"name": "被改了", "starts_on": "2030-01-01", "ends_on": "2030-01-02"},
    ),
    "phase_delete": Spec(BUREAU, POST, kwargs=lambda c: {"pk": c.phases.order_by("order").first().pk}),
    "deadline_create": Spec(
        BUREAU, GET_POST, kwargs=bureau("campaign"), body={"kind": "summary", "name": "被改了", "due_on": "2030-01-01"}
    ),
    "deadline_edit": Spec(
        BUREAU,
        GET_POST,
        kwargs=lambda c: {"pk": c.deadlines.get(code="summary").pk},
        body={"kind": "summary", "name": "被改了", "due_on": "2030-01-01", "owed_by_mines": "on"},
    ),
    "deadline_delete": Spec(BUREAU, POST, kwargs=lambda c: {"pk": c.deadlines.get(code="summary").pk}),
    "requirement_create": Spec(BUREAU, GET_POST, kwargs=bureau("campaign"), body={"name": "被改了"}),
    "requirement_edit": Spec(
        BUREAU,
        GET_POST,
        kwargs=lambda c: {"pk": c.requirements.get(code="1.2.b").pk},
        body={"name": "被改了", "performed_by": "organizations"},
    ),
    "requirement_delete": Spec(BUREAU, POST, kwargs=lambda c: {"pk": c.requirements.get(code="1.2.b").pk}),
    "progress": Spec(BUREAU, kwargs=bureau("campaign")),
    "progress_overview": Spec(BUREAU, kwargs=bureau("campaign")),
    # These name the campaign and an item; they act on the user's own organisation (or list only what it sees).
    "progress_edit": Spec(
        BUREAU, GET_POST, kwargs=lambda c: {"pk": c.pk, "requirement_pk": c.requirements.get(code="1.2.b").pk}
    ),
    "progress_item": Spec(BUREAU, kwargs=lambda c: {"pk": c.pk, "requirement_pk": c.requirements.get(code="1.2.b").pk}),
    "progress_file": Spec(OBJ, kwargs=obj("progress_file", "file_pk", None)),
    # 核验: the bureau's list and batch of its campaign; one unit's declared item, verified or returned by the bureau
    "progress_verification": Spec(BUREAU, kwargs=bureau("campaign")),
    "progress_verify_batch": Spec(BUREAU, POST, kwargs=bureau("campaign"), body={"note": "x"}),
    "progress_review": Spec(OBJ, kwargs=obj("progress")),
    "progress_verify": Spec(OBJ, POST, kwargs=obj("progress"), body={"version": 1}),
    "progress_return": Spec(OBJ, POST, kwargs=obj("progress"), body={"version": 1, "reason": "x"}),
    # the campaign's thresholds: read by its bureau, set by its inspectors
    "campaign_thresholds": Spec(
        BUREAU, GET_POST, kwargs=bureau("campaign"), body={"pass_mark": "90", "reminder_days": "5,2"}
    ),
    "hazard_list": Spec(LIST),
    "hazard_export": Spec(LIST),
    "hazard_print": Spec(LIST),
    "hazard_import": Spec(LIST),
    "hazard_import_batches": Spec(LIST),
    "hazard_import_undo": Spec(OBJ, POST, kwargs=obj("hazard_batch", attr=None)),
    "hazard_create": Spec(LIST),
    "hazard_selected_export": Spec(
        LIST, queries=lambda ts: ({"ids": [t.objects[k].pk for t in ts.values() for k in ("hazard", "major")]},)
    ),
    "hazard_selected_print": Spec(
        LIST, queries=lambda ts: ({"ids": [t.objects[k].pk for t in ts.values() for k in ("hazard", "major")]},)
    ),
    # Inspectors only (403 for the others); what it lists is the ticked hazards the user sees.
    "hazard_selected_listing": Spec(
        LIST, GET_POST, queries=lambda ts: ({"ids": [t.objects["major"].pk for t in ts.values()]},)
    ),
    "listed_hazard_list": Spec(LIST),
    "listed_hazard_print": Spec(LIST),
    # 疑似重大隐患: the bureau's list (a mine's and an enterprise's officers 403); confirm and dismiss its inspectors'
    "suspected_major_list": Spec(LIST, queries=({}, {"state": "pending"})),
    "suspected_major_confirm": Spec(
        OBJ, POST, kwargs=obj("suspected"), body={"funds": "1", "contingency_plan": "x", "next": "/"}
    ),
    "suspected_major_dismiss": Spec(OBJ, POST, kwargs=obj("suspected"), body={"reason": "x", "next": "/"}),
    "hazard_detail": Spec(OBJ, kwargs=obj("hazard")),
    "hazard_edit": Spec(OBJ, GET_POST, kwargs=obj("hazard"), body={"location": "被改了"}),
    "hazard_file_upload": Spec(OBJ, POST, kwargs=obj("hazard"), body={"stage": "after"}),
    "hazard_listing_create": Spec(
        OBJ, POST, kwargs=obj("major"), body={"listed_on": "2024-11-01", "supervising_unit": "x", "notice_text": "x"}
    ),
    # 摘牌 and 曝光 of a listing: the bureau's inspectors, for hazards of their county (the walk's "listed" hazard is
    # closed and still listed, so only the isolation refuses another county's).
    "hazard_delist": Spec(OBJ, POST, kwargs=obj("listed"), body={"delisted_on": str(TODAY), "note": "x"}),
    "hazard_listing_publish": Spec(OBJ, POST, kwargs=obj("listed"), body={"public_summary": "x"}),
    "hazard_listing_withdraw": Spec(OBJ, POST, kwargs=obj("listed")),
    # The public 挂牌督办 page and its API (no login): only the public fields of a bureau's listings
    # (tests/hazards/test_public_page.py holds what they show and hide).
    "public_listed_hazards": Spec(PUBLIC),
    "api-public-listed-hazards": Spec(PUBLIC),
    "hazard_accountability_create": Spec(
        OBJ,
        POST,
        kwargs=obj("major"),
        body={"enterprise_responsibility": "x", "supervision_responsibility": "x", "outcome": "x"},
    ),
    "hazard_transition": Spec(OBJ, POST, kwargs=obj("awaiting", action="accept")),
    # 四(四)3's main leader's 检查: the mine or its enterprise submits, the bureau receives, the file goes to those
    # who see the hazard.
    "leader_review_submit": Spec(
        OBJ, POST, kwargs=obj("superior"), body={"leader_name": "x", "written_on": str(TODAY)}
    ),
    "leader_review_receive": Spec(OBJ, POST, kwargs=obj("superior"), body={"note": "x"}),
    "leader_review_file": Spec(OBJ, kwargs=obj("superior")),
    "hazard_file_download": Spec(OBJ, kwargs=obj("hazard_file", "file_pk")),
    "inspection_list": Spec(LIST),
    "inspection_create": Spec(LIST),
    "inspection_detail": Spec(OBJ, kwargs=obj("inspection")),
    "inspection_coverage": Spec(LIST),  # the bureau's page: the others get 403
    "inspection_update": Spec(OBJ, POST, kwargs=obj("inspection"), body={"notes": "被改了"}),
    "exam_create": Spec(OBJ, POST, kwargs=obj("inspection"), body={"person_name": "x", "post": "x", "score": "90"}),
    "exam_paper_create": Spec(OBJ, POST, kwargs=obj("inspection"), body={"size": "5"}),
    "exam_paper_detail": Spec(OBJ, kwargs=obj("paper")),
    "exam_paper_grade": Spec(OBJ, POST, kwargs=obj("paper"), body={"person_name": "x", "post": "x", "q1": "0"}),
    "exam_retraining": Spec(OBJ, POST, kwargs=obj("exam_open"), body={"retrained_on": str(TODAY), "note": "x"}),
    "exam_evidence_download": Spec(OBJ, kwargs=obj("exam")),
    "violation_list": Spec(LIST),
    "violation_export": Spec(LIST),
    "violation_print": Spec(LIST),
    "violation_import": Spec(LIST),
    "violation_import_batches": Spec(LIST),
    "violation_import_undo": Spec(OBJ, POST, kwargs=obj("violation_batch", attr=None)),
    "violation_create": Spec(LIST),
    "violation_selected_export": Spec(
        LIST, queries=lambda ts: ({"ids": [t.objects["violation"].pk for t in ts.values()]},)
    ),
    "violation_selected_print": Spec(
        LIST, queries=lambda ts: ({"ids": [t.objects["violation"].pk for t in ts.values()]},)
    ),
    "violation_detail": Spec(OBJ, kwargs=obj("violation")),
    "violation_edit": Spec(OBJ, GET_POST, kwargs=obj("violation"), body={"location": "被改了"}),
    "backtrack_create": Spec(
        OBJ, POST, kwargs=obj("violation"), body={"kind": "training", "finding": "x", "done_on": str(TODAY)}
    ),
    "violation_accountability": Spec(
        OBJ,
        POST,
        kwargs=obj("violation"),
        body={"unit_leader_name": "x", "unit_leader_action": "x", "deputy_name": "x", "deputy_review": "x"},
    ),
    "violation_typical": Spec(OBJ, POST, kwargs=obj("violation"), body={"typical": "on"}),
    "bulletin_list": Spec(LIST),
    "bulletin_create": Spec(LIST),
    "bulletin_detail": Spec(BUREAU, kwargs=bureau("draft")),
    "bulletin_edit": Spec(BUREAU, GET_POST, kwargs=bureau("draft")),
    "bulletin_publish": Spec(BUREAU, POST, kwargs=bureau("draft")),
    "bulletin_download": Spec(BUREAU, kwargs=bureau("bulletin")),
    "red_line_list": Spec(LIST),
    "red_line_upload": Spec(LIST),
    "red_line_detail": Spec(OBJ, kwargs=obj("red_line")),
    "tipoff_form": Spec(PUBLIC),
    "tipoff_track": Spec(PUBLIC, GET_POST, body={"tracking_code": "ABCDEFGHJKLM"}),
    "tipoff_poster": Spec(PUBLIC),  # the public report page's address as a QR code: nothing else
    "tipoff_list": Spec(LIST),
    "tipoff_detail": Spec(BUREAU, GET_POST, kwargs=bureau("tipoff"), body={"status": "closed", "public_reply": "x"}),
    "tipoff_to_violation": Spec(BUREAU, POST, kwargs=bureau("tipoff")),
    "tipoff_to_hazard": Spec(BUREAU, POST, kwargs=bureau("tipoff")),
    # 4.1.c: a tip-off made to the tenant's enterprise; only that enterprise escalates it (提交县局).
    "tipoff_escalate": Spec(OBJ, POST, kwargs=obj("ent_tipoff"), body={"reason": "x"}),
    "submission_list": Spec(LIST),
    "review_queue": Spec(LIST),
    "submission_matrix": Spec(LIST),
    # Acts on the ticked items it is given (each checked by the approval service); tests/reporting/test_batch_review.py
    # holds that nobody but an inspector may post it (403) and that another county's items are "not found".
    "submission_batch_approve": Spec(LIST, POST, body={"items": ["1:1:1"], "note": "x"}),
    "submission_open": Spec(BUREAU, GET_POST, kwargs=lambda c: {"deadline_pk": c.deadlines.get(kind="work_plan").pk}),
    "county_workbook": Spec(BUREAU, kwargs=lambda c: {"deadline_pk": c.deadlines.get(kind="work_plan").pk}),
    "quarterly_statistics": Spec(LIST),
    "submission_file": Spec(OBJ, kwargs=obj("file", "file_pk")),
    "submission_detail": Spec(OBJ, kwargs=obj("submission")),
    "submission_edit": Spec(OBJ, GET_POST, kwargs=obj("submission")),
    "submission_attach": Spec(OBJ, POST, kwargs=obj("submission")),
    "submission_version": Spec(OBJ, kwargs=obj("submission", number=1)),
    "submission_version_docx": Spec(OBJ, kwargs=obj("submission", number=1)),
    "submission_review": Spec(OBJ, POST, kwargs=obj("submission", action="return"), body={"reason": "x"}),
    # 催报: another bureau's deadline is not found; a cell names a unit (and its bureau's deadline) of one tenant.
    # That only inspectors urge (403 for the rest) is held by tests/reporting/test_urge_and_matrix.py.
    "submission_urge_column": Spec(
        BUREAU, POST, kwargs=lambda c: {"deadline_pk": c.deadlines.get(kind="work_plan").pk}
    ),
    "submission_urge_cell": Spec(
        OBJ, POST, kwargs=lambda t: {"deadline_pk": t.objects["deadline"].pk, "org_pk": t.mine.pk}
    ),
    "notification_list": Spec(LIST),
    "notification_open": Spec(
        OBJ,
        kwargs=lambda t: {
            "pk": __import__("notifications.models", fromlist=["Notification"])
            .Notification.objects.get(key=t.objects["notification"])
            .pk
        },
    ),
    "notification_read_all": Spec(LIST, POST),
    "notification-list": Spec(LIST),
    "notification-detail": Spec(
        OBJ,
        kwargs=lambda t: {
            "pk": __import__("notifications.models", fromlist=["Notification"])
            .Notification.objects.get(key=t.objects["notification"])
            .pk
        },
    ),
    "notification-read": Spec(
        OBJ,
        POST,
        kwargs=lambda t: {
            "pk": __import__("notifications.models", fromlist=["Notification"])
            .Notification.objects.get(key=t.objects["notification"])
            .pk
        },
    ),
    "notification_preferences": Spec(LIST, POST),
    # the notice channels (issue 23): each user's own choices; the bureau's delivery status and group robots
    "channel_preferences": Spec(LIST, GET_POST, body={"for": "own", "hazard": ["sms"]}),
    "delivery_list": Spec(LIST, queries=({}, {"status": "pending"}, {"channel": "wecom"})),
    "notice-delivery-list": Spec(LIST),
    "robot_list": Spec(LIST),
    "robot_create": Spec(
        LIST, GET_POST, body={"kind": "wecom", "name": "改", "webhook_url": "https://qyapi.weixin.qq.com/x?key=y"}
    ),
    "robot_edit": Spec(
        BUREAU,
        GET_POST,
        kwargs=bureau("robot"),
        body={"kind": "wecom", "name": "被改了", "webhook_url": "https://qyapi.weixin.qq.com/x?key=y"},
    ),
    "robot_test": Spec(BUREAU, POST, kwargs=bureau("robot")),
    "dashboard": Spec(LIST),
    "dashboard_charts": Spec(LIST),
    "dashboard_screen": Spec(LIST),
    "dashboard_data": Spec(LIST),
    "dashboard_export": Spec(LIST),
    "self_check_gaps": Spec(OBJ, kwargs=lambda t: {"mine_pk": t.mine.pk}),
    "api-token": Spec(PUBLIC, POST),
    "api-me": Spec(LIST),
    "api-dashboard": Spec(LIST),
    "api-dashboard-charts": Spec(LIST),
    "api-tipoff": Spec(PUBLIC, POST),
    # Any signed-in user: the 判定标准's items for a description (nothing of a tenant in or out)
    "api-major-hazard-criteria-match": Spec(LIST, POST, body={"text": "回风巷甲烷传感器超限后不能断电"}),
    "api-tipoff-lookup": Spec(PUBLIC, POST, body={"tracking_code": "ABCDEFGHJKLM"}),
    # The tip-off desk's read: the bureau's own and escalated ones, an enterprise's own channel; a mine none.
    "tipoff-received-list": Spec(LIST),
    "tipoff-received-detail": Spec(OBJ, kwargs=obj("ent_tipoff")),
    "campaign-list": Spec(LIST),
    "campaign-detail": Spec(BUREAU, ("GET", "PATCH"), kwargs=bureau("campaign"), body={"name": "被改了"}),
    # A campaign's structure (issue 21): listed and added under the campaign, each changed or deleted on its own URL,
    # by the bureau's writers; a unit's officer or the leadership group 403, another bureau 404.
    "campaign-phases": Spec(
        BUREAU,
        ("GET", "POST"),
        kwargs=bureau("campaign"),
        body={"name": "被改了", "starts_on": "2030-01-01", "ends_on": "2030-01-02"},
    ),
    "campaign-deadlines": Spec(
        BUREAU,
        ("GET", "POST"),
        kwargs=bureau("campaign"),
        body={"kind": "summary", "name": "被改了", "due_on": "2030-01-01"},
    ),
    "campaign-requirements": Spec(BUREAU, ("GET", "POST"), kwargs=bureau("campaign"), body={"name": "被改了"}),
    "campaign-phase-detail": Spec(
        BUREAU,
        ("GET", "PATCH", "DELETE"),
        kwargs=lambda c: {"pk": c.phases.order_by("order").first().pk},
        body={"name": "被改了"},
    ),
    "campaign-deadline-detail": Spec(
        BUREAU,
        ("GET", "PATCH", "DELETE"),
        kwargs=lambda c: {"pk": c.deadlines.get(code="summary").pk},
        body={"name": "被改了", "due_on": "2030-01-01"},
    ),
    "campaign-requirement-detail": Spec(
        BUREAU,
        ("GET", "PATCH", "DELETE"),
        kwargs=lambda c: {"pk": c.requirements.get(code="1.2.b").pk},
        body={"name": "被改了"},
    ),
    # the campaign's thresholds: read by its bureau, set by its inspectors
    "campaign-thresholds": Spec(
        BUREAU, ("GET", "PATCH"), kwargs=bureau("campaign"), body={"pass_mark": 90, "reminder_days": [5, 2]}
    ),
    "campaign-progress": Spec(BUREAU, kwargs=bureau("campaign")),
    "task-progress-list": Spec(LIST),
    "task-progress-detail": Spec(OBJ, kwargs=obj("progress")),
    "task-progress-verify": Spec(OBJ, POST, kwargs=obj("progress")),
    "task-progress-return-": Spec(OBJ, POST, kwargs=obj("progress"), body={"reason": "x"}),
    "campaign-publish": Spec(BUREAU, POST, kwargs=bureau("campaign")),
    "campaign-task-list": Spec(BUREAU, POST, kwargs=bureau("campaign"), body={"text": "（一）甲\n1. 被改了。"}),
    "mine-list": Spec(LIST),
    "mine-detail": Spec(OBJ, kwargs=lambda t: {"pk": t.mine.pk}),
    "organization-list": Spec(LIST),
    "organization-detail": Spec(OBJ, kwargs=lambda t: {"pk": t.mine.pk}),
    "mine-supervisor-list": Spec(LIST),
    "mine-supervisor-detail": Spec(OBJ, ("GET", "PATCH", "DELETE"), kwargs=obj("supervision"), body={"note": "被改了"}),
    "working-group-list": Spec(LIST),
    "working-group-detail": Spec(BUREAU, ("GET", "PATCH", "DELETE"), kwargs=bureau("group"), body={"name": "被改了"}),
    "working-group-member-list": Spec(LIST),
    "working-group-member-detail": Spec(
        BUREAU, ("GET", "PATCH", "DELETE"), kwargs=bureau("member"), body={"name": "被改了"}
    ),
    "hazard-list": Spec(LIST),
    "hazard-export": Spec(LIST),
    "hazard-import-ledger": Spec(LIST, POST),
    "hazard-detail": Spec(OBJ, ("GET", "PATCH"), kwargs=obj("hazard"), body={"location": "被改了"}),
    "hazard-accept": Spec(OBJ, POST, kwargs=obj("awaiting")),
    "hazard-reject": Spec(OBJ, POST, kwargs=obj("awaiting"), body={"reason": "x"}),
    "hazard-start-rectification": Spec(OBJ, POST, kwargs=obj("hazard")),
    "hazard-submit-for-acceptance": Spec(OBJ, POST, kwargs=obj("hazard")),
    "inspection-list": Spec(LIST),
    "inspection-detail": Spec(OBJ, ("GET", "PATCH"), kwargs=obj("inspection"), body={"notes": "被改了"}),
    "violation-list": Spec(LIST),
    "violation-export": Spec(LIST),
    "violation-import-ledger": Spec(LIST, POST),
    "violation-detail": Spec(OBJ, ("GET", "PATCH"), kwargs=obj("violation"), body={"location": "被改了"}),
    "submission-list": Spec(LIST),
    "submission-detail": Spec(OBJ, ("GET", "PATCH"), kwargs=obj("submission"), body={"narrative": {"goals": "被改了"}}),
    "submission-approve": Spec(OBJ, POST, kwargs=obj("submission")),
    "submission-return-": Spec(OBJ, POST, kwargs=obj("submission"), body={"reason": "x"}),
    "submission-submit": Spec(OBJ, POST, kwargs=obj("submission")),
    "person_list": Spec(LIST),
    "person_create": Spec(LIST),
    "person_import": Spec(LIST),
    "person_import_batches": Spec(LIST),
    "person_import_undo": Spec(OBJ, POST, kwargs=obj("roster_batch", attr=None)),
    "person_export": Spec(LIST),
    "person_print": Spec(LIST),
    "positioning_export": Spec(LIST),
    "positioning_print": Spec(LIST),
    "person_detail": Spec(OBJ, kwargs=obj("person")),
    "person_edit": Spec(OBJ, GET_POST, kwargs=obj("person"), body={"name": "被改了", "role": "worker"}),
    "certificate_create": Spec(
        OBJ, POST, kwargs=obj("person"), body={"kind": "welding", "number": "x9", "expires_on": "2099-01-01"}
    ),
    "work_unit_list": Spec(LIST),
    "training_session_list": Spec(LIST),
    "training_session_create": Spec(LIST),
    "training_session_detail": Spec(OBJ, kwargs=obj("session")),
    "training_scores_save": Spec(OBJ, POST, kwargs=obj("session"), body={"score_1": "10"}),
    "training_coverage": Spec(LIST),
    "certificate_list": Spec(LIST),
    "positioning_list": Spec(LIST),
    "positioning_import": Spec(LIST),
    "positioning_import_batches": Spec(LIST),
    "positioning_import_undo": Spec(OBJ, POST, kwargs=obj("positioning_batch", attr=None)),
    "zero_shift_plan_list": Spec(LIST),
    "zero_shift_plan_create": Spec(LIST),
    "zero_shift_plan_detail": Spec(OBJ, kwargs=obj("plan")),
    "handover_list": Spec(LIST),
    "handover_create": Spec(LIST),
    "repeat_offender_list": Spec(LIST),
    "repeat_offender_detail": Spec(OBJ, kwargs=obj("offender")),
    "mentoring_step_create": Spec(
        OBJ,
        POST,
        kwargs=obj("offender"),
        body={"kind": "talk", "done_on": str(TODAY), "responsible": "x", "content": "x"},
    ),
    "person-list": Spec(LIST),
    "person-detail": Spec(OBJ, kwargs=obj("person")),
    "person-import-roster": Spec(LIST, POST),
    "training-session-list": Spec(LIST),
    "training-session-detail": Spec(OBJ, kwargs=obj("session")),
    "certificate-list": Spec(LIST),
    "certificate-detail": Spec(OBJ, kwargs=lambda t: {"pk": t.objects["person"].certificates.get().pk}),
    "positioning-record-list": Spec(LIST),
    "positioning-record-detail": Spec(OBJ, kwargs=obj("positioning")),
    "positioning-record-import-records": Spec(LIST, POST),
    "zero-shift-plan-list": Spec(LIST),
    "zero-shift-plan-detail": Spec(OBJ, kwargs=obj("plan")),
    "dispatch-handover-list": Spec(LIST),
    "dispatch-handover-detail": Spec(OBJ, kwargs=obj("handover")),
    "repeat-offender-list": Spec(LIST),
    "repeat-offender-detail": Spec(OBJ, kwargs=obj("offender")),
    # The search box over every kind, for the markers every tenant's objects carry: each kind's own pages too, as
    # the overview shows only a few of each.
    "search": Spec(
        LIST,
        queries=tuple(
            {"q": "标记", **({"kind": kind} if kind else {})}
            for kind in (None, "hazards", "violations", "inspections", "submissions", "documents")
        ),
    ),
    # penalty cases (行政处罚) and the bureau's list of provisions
    "penalty_case_list": Spec(LIST),
    "penalty_case_create": Spec(LIST, GET_POST),
    "penalty_case_detail": Spec(OBJ, kwargs=obj("penalty_case")),
    "penalty_case_edit": Spec(OBJ, GET_POST, kwargs=obj("penalty_case"), body={"cause": "被改了", "facts": "x"}),
    "penalty_case_step": Spec(
        OBJ, POST, kwargs=obj("penalty_case", step="statement"), body={"kind": "waived", "made_on": str(TODAY)}
    ),
    "penalty_case_payment": Spec(OBJ, POST, kwargs=obj("penalty_case"), body={"party": "1", "paid_on": str(TODAY)}),
    "penalty_evidence_upload": Spec(
        OBJ, POST, kwargs=obj("penalty_case"), body={"kind": "other", "title": "x", "dated": str(TODAY), "pages": "1"}
    ),
    "penalty_evidence_download": Spec(OBJ, kwargs=obj("penalty_evidence")),
    "penalty_case_file": Spec(OBJ, kwargs=obj("penalty_case")),
    "penalty_case_index_docx": Spec(OBJ, kwargs=obj("penalty_case")),
    "penalty_case_part_docx": Spec(OBJ, kwargs=obj("penalty_case", part="notice")),
    "legal_provision_list": Spec(LIST),
    "legal_provision_create": Spec(LIST, GET_POST),
    "legal_provision_load": Spec(LIST, POST),
    "penalty_rules_edit": Spec(LIST, GET_POST),
    "legal_provision_edit": Spec(
        BUREAU, GET_POST, kwargs=bureau("provision"), body={"law": "被改了", "article": "x", "violation": "x"}
    ),
    # enforcement documents (执法文书): the bureau drafts and issues; a mine reads what was issued to it
    "document_list": Spec(LIST),
    "document_create": Spec(LIST, GET_POST),
    "document_archive": Spec(LIST),  # the bureau's users (403 for the others): the month's documents it sees
    "document_settings": Spec(LIST),  # the bureau's own settings: its users read them, its inspectors keep them
    "officer_list": Spec(LIST),
    "officer_certificate": Spec(BUREAU, POST, kwargs=bureau("officer"), body={"certificate_no": "99999999"}),
    "document_detail": Spec(OBJ, kwargs=obj("document")),
    "document_edit": Spec(OBJ, GET_POST, kwargs=obj("document"), body={"rows": "0", "place": "被改了"}),
    "document_delete": Spec(OBJ, POST, kwargs=obj("document")),
    "document_issue": Spec(OBJ, POST, kwargs=obj("document"), body={"issued_on": str(TODAY)}),
    "document_receipt": Spec(OBJ, POST, kwargs=obj("document"), body={"signer_name": "x", "received_on": str(TODAY)}),
    "document_receipt_scan": Spec(OBJ, kwargs=obj("document")),
    "document_docx": Spec(OBJ, kwargs=obj("document")),
    "document_print": Spec(OBJ, kwargs=obj("document")),
    "enforcement-document-list": Spec(LIST),
    "enforcement-document-detail": Spec(OBJ, kwargs=obj("document")),
    "enforcement-document-issue": Spec(OBJ, POST, kwargs=obj("document"), body={"issued_on": str(TODAY)}),
    "enforcement-document-docx": Spec(OBJ, kwargs=obj("document")),
    "penalty-case-list": Spec(LIST),
    "penalty-case-detail": Spec(OBJ, kwargs=obj("penalty_case")),
    # 停产整顿 to 复产验收
    "suspension_list": Spec(LIST),
    # the bureau's own items of its campaign: the other bureau gets 404, a mine of the bureau 403
    "bureau_items": Spec(BUREAU, kwargs=bureau("campaign")),
    # 通报批评、约谈、问责: the bureau drafts and issues; a unit reads the issued ones naming it (or its mines)
    "accountability_list": Spec(LIST),
    "accountability_candidates": Spec(LIST),  # the bureau's users (403 for the others): proposals from its records
    "accountability_create": Spec(LIST, GET_POST, body={"kind": "notice_criticism", "title": "x", "reason": "x"}),
    "accountability_detail": Spec(OBJ, kwargs=obj("summons")),
    "accountability_edit": Spec(OBJ, GET_POST, kwargs=obj("summons"), body={"title": "被改了", "reason": "x"}),
    "accountability_delete": Spec(OBJ, POST, kwargs=obj("summons")),
    "accountability_issue": Spec(OBJ, POST, kwargs=obj("summons"), body={"issued_on": str(TODAY)}),
    "accountability_follow_up": Spec(
        OBJ, POST, kwargs=obj("summons"), body={"done_on": str(TODAY), "result": "被改了"}
    ),
    "accountability_minutes": Spec(OBJ, POST, kwargs=obj("summons")),
    "accountability_minutes_file": Spec(OBJ, kwargs=obj("summons")),
    "accountability_docx": Spec(OBJ, kwargs=obj("summons")),
    "accountability-action-list": Spec(LIST),
    "accountability-action-detail": Spec(OBJ, kwargs=obj("summons")),
    "accountability-action-issue": Spec(OBJ, POST, kwargs=obj("summons"), body={"issued_on": str(TODAY)}),
    "accountability-action-follow-up": Spec(
        OBJ, POST, kwargs=obj("summons"), body={"done_on": str(TODAY), "result": "被改了"}
    ),
    "accountability-action-docx": Spec(OBJ, kwargs=obj("summons")),
    "suspension_detail": Spec(OBJ, kwargs=obj("suspension")),
    "suspension_order": Spec(OBJ, GET_POST, kwargs=obj("suspension"), body={"facts": "x", "basis": "x"}),
    "suspension_order_docx": Spec(OBJ, kwargs=obj("suspension")),
    "resumption_apply": Spec(OBJ, GET_POST, kwargs=obj("suspension"), body={"self_check": "被改了"}),
    "resumption_decide": Spec(
        OBJ, GET_POST, kwargs=obj("application"), body={"conclusion": "accepted", "checked": "x", "opinion": "x"}
    ),
    "resumption_opinion_docx": Spec(OBJ, kwargs=obj("application")),
    "resumption_file_download": Spec(OBJ, kwargs=obj("resumption_file")),
    "mine_suspension_history": Spec(OBJ, kwargs=lambda t: {"pk": t.mine.pk}),
    "suspension-list": Spec(LIST),
    "suspension-detail": Spec(OBJ, kwargs=obj("suspension")),
    "resumption-application-list": Spec(LIST, GET_POST, body={"self_check": "x"}),
    "resumption-application-detail": Spec(OBJ, kwargs=obj("application")),
    "resumption-application-decide": Spec(OBJ, POST, kwargs=obj("application"), body={"accepted": True}),
    # the accident register (事故/工伤台账) and its 提级调查: the mine its own, the bureau its county's
    "accident_list": Spec(LIST),
    "accident_create": Spec(LIST),
    "accident_export": Spec(LIST),
    "accident_import": Spec(LIST),
    "accident_detail": Spec(OBJ, kwargs=obj("accident")),
    "accident_edit": Spec(OBJ, GET_POST, kwargs=obj("accident"), body={"place": "被改了"}),
    "accident_delete": Spec(OBJ, POST, kwargs=obj("accident")),
    "investigation_edit": Spec(OBJ, GET_POST, kwargs=obj("investigation"), body={"findings": "被改了"}),
    "investigation_close": Spec(OBJ, POST, kwargs=obj("investigation"), body={"closed_on": str(TODAY)}),
    "investigation_report_download": Spec(OBJ, kwargs=obj("accident_report")),
    "accident-list": Spec(LIST),
    "accident-export": Spec(LIST),
    "accident-import-ledger": Spec(LIST, POST),
    "accident-detail": Spec(OBJ, ("GET", "PATCH", "DELETE"), kwargs=obj("accident"), body={"place": "被改了"}),
    "accident-investigation-list": Spec(LIST),
    "accident-investigation-detail": Spec(
        OBJ, ("GET", "PATCH"), kwargs=obj("investigation"), body={"findings": "被改了"}
    ),
    "accident-investigation-close": Spec(OBJ, POST, kwargs=obj("investigation"), body={"closed_on": str(TODAY)}),
    "api-root": Spec(LIST),
    "api-schema": Spec(LIST),
    "api-docs": Spec(LIST),
}


def all_url_names():
    def walk(patterns, namespace=None):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, p.namespace or namespace)
            elif isinstance(p, URLPattern):
                yield (f"{namespace}:" if namespace else "") + (p.name or str(p.pattern))

    return list(walk(get_resolver().url_patterns))


# ------------------------------------------------------------------ helpers


def text_of(response):
    """What a person would read in the response: HTML, JSON, or the cells and paragraphs of a file."""
    content_type = response.get("Content-Type", "")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if "spreadsheetml" in content_type:
        from openpyxl import load_workbook

        wb = load_workbook(io.BytesIO(body), read_only=True)
        return " ".join(str(c) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for c in row if c)
    if "wordprocessingml" in content_type:
        from docx import Document

        return " ".join(p.text for p in Document(io.BytesIO(body)).paragraphs)
    if "json" in content_type:
        return json.dumps(json.loads(body or b"null"), ensure_ascii=False)
    return body.decode("utf-8", errors="replace")


def send(client, method, url, body, api):
    if method == "GET":
        return client.get(url)
    if api:
        return getattr(client, method.lower())(url, body, format="json")
    return client.post(url, body)


def _state_querysets():
    """What a refused request must not change: one query per table (counts are pk lists, which also see a swap)."""
    from accidents.models import Accident, Investigation, InvestigationReport
    from accountability.models import AccountabilityAction
    from accounts.models import MineSupervisor, Organization, User
    from campaign.models import (
        Campaign,
        CampaignRevision,
        Deadline,
        GroupMember,
        Phase,
        ProgressDeclaration,
        Requirement,
        WorkingGroup,
    )
    from core.models import ImportBatch
    from enforcement.models import (
        EnforcementDocument,
        LegalProvision,
        PenaltyCase,
        PenaltyEvidence,
        ResumptionApplication,
        Suspension,
    )
    from hazards.models import ExamPaper, ExamResult, HazardFile, HazardListing, Inspection
    from notifications.models import Robot
    from reporting.models import Submission, SubmissionFile, SubmissionUrge
    from violations.models import Bulletin, MentoringStep, Tipoff
    from workforce.models import Attendance, Certificate, Person, WorkUnit

    return [
        Accident.objects.order_by("pk").values_list("pk", "place", "row_version"),
        Robot.objects.order_by("pk").values_list("pk", "name", "webhook_url", "secret", "active"),
        Investigation.objects.order_by("pk").values_list("pk", "status", "findings", "row_version"),
        InvestigationReport.objects.order_by("pk").values_list("pk"),
        MineSupervisor.objects.order_by("pk").values_list("pk", "supervisor_id", "duty", "note", "row_version"),
        Organization.objects.order_by("pk").values_list("pk", "contact_phone", "contact_email"),
        WorkingGroup.objects.order_by("pk").values_list("pk", "name", "phone", "row_version"),
        Campaign.objects.order_by("pk").values_list("pk", "name", "status", "version", "starts_on", "ends_on"),
        Phase.objects.order_by("pk").values_list("pk", "name", "starts_on"),
        Deadline.objects.order_by("pk").values_list("pk", "name", "due_on"),
        Requirement.objects.order_by("pk").values_list("pk", "name"),
        CampaignRevision.objects.order_by("pk").values_list("pk"),
        GroupMember.objects.order_by("pk").values_list("pk", "name", "post", "row_version"),
        Hazard.objects.order_by("pk").values_list("pk", "status", "location", "updated_at"),
        Violation.objects.order_by("pk").values_list("pk", "location", "typical", "backtracks_completed_on"),
        Submission.objects.order_by("pk").values_list("pk", "status", "versions_submitted", "updated_at"),
        ExamResult.objects.order_by("pk").values_list("pk", "retrained_on"),
        ExamPaper.objects.order_by("pk").values_list("pk", "seed"),
        Inspection.objects.order_by("pk").values_list("pk", "notes", "team_note", "higher_bureau_id"),
        Bulletin.objects.order_by("pk").values_list("pk", "status"),
        Tipoff.objects.order_by("pk").values_list("pk", "status", "violation_id", "hazard_id", "escalated_on"),
        LeaderReview.objects.order_by("pk").values_list("pk", "leader_name", "submitted_at", "received_at"),
        RequirementProgress.objects.order_by("pk").values_list(
            "pk", "status", "note", "state", "declarations", "times_returned", "row_version"
        ),
        ProgressDeclaration.objects.order_by("pk").values_list("pk", "review", "review_reason"),
        Campaign.objects.order_by("pk").values_list("pk", "thresholds"),
        Requirement.objects.order_by("pk").values_list("pk", "target_min", "target_max", "parameters"),
        HazardListing.objects.order_by("pk").values_list("pk", "delisted_on", "published_on", "public_summary"),
        SuspectedMajorHazard.objects.order_by("pk").values_list("pk", "state", "reason", "decided_at"),
        Person.objects.order_by("pk").values_list("pk", "name"),
        WorkUnit.objects.order_by("pk").values_list("pk", "name"),
        ImportBatch.objects.order_by("pk").values_list("pk", "status"),
        Certificate.objects.order_by("pk").values_list("pk"),
        Attendance.objects.order_by("pk").values_list("pk", "score"),
        MentoringStep.objects.order_by("pk").values_list("pk"),
        HazardFile.objects.order_by("pk").values_list("pk"),
        SubmissionFile.objects.order_by("pk").values_list("pk"),
        SubmissionUrge.objects.order_by("pk").values_list("pk"),
        PenaltyCase.objects.order_by("pk").values_list("pk", "stage", "cause", "row_version"),
        PenaltyEvidence.objects.order_by("pk").values_list("pk"),
        LegalProvision.objects.order_by("pk").values_list("pk", "law", "active"),
        EnforcementDocument.objects.order_by("pk").values_list("pk", "status", "content", "signer_name", "row_version"),
        User.objects.order_by("pk").values_list("pk", "certificate_no"),
        Suspension.objects.order_by("pk").values_list("pk", "status", "order_id", "row_version"),
        ResumptionApplication.objects.order_by("pk").values_list("pk", "status", "row_version"),
        AccountabilityAction.objects.order_by("pk").values_list(
            "pk", "status", "title", "follow_up_done_on", "minutes", "row_version"
        ),
    ]


_STATE_SQL = []


def state():
    """A fingerprint of everything a refused request must not change.

    The walk reads it after each of ~1,000 refused requests: the SQL is compiled once and run as is (the ORM's
    compiling was most of the cost), and the rows compared raw, as the database returns them."""
    from django.db import connection

    if not _STATE_SQL:
        _STATE_SQL.extend(qs.query.sql_with_params() for qs in _state_querysets())
    with connection.cursor() as cursor:
        fingerprint = []
        for sql, params in _STATE_SQL:
            cursor.execute(sql, params)
            fingerprint.append(cursor.fetchall())
    return fingerprint


# ------------------------------------------------------------------ the walk


def test_every_url_is_classified():
    names = [n for n in all_url_names() if not n.startswith("admin:")]
    unclassified = sorted(set(names) - set(SPECS))
    assert not unclassified, f"classify these URLs in SPECS: {unclassified}"
    stale = sorted(set(SPECS) - set(names))
    assert not stale, f"these SPECS no longer exist: {stale}"


@pytest.mark.slow  # ~20 s: about 1,500 requests (scripts/test runs it; the quick loop -m "not slow" does not)
def test_no_tenant_sees_or_changes_another(client, api_client, county):
    from django.core.cache import cache

    tenants, campaigns, users = build_world(county)
    names = all_url_names()
    checked = {"urls": set(), "refused": 0, "allowed": 0, "lists": 0}
    before = None
    for username, (user, visible) in users.items():
        bureau_key = "other" if username.startswith("other") else "county"
        hidden = [t for k, t in tenants.items() if k not in visible]
        hidden_markers = [t.marker("") for t in hidden]
        for name, spec in SPECS.items():
            api = name.startswith("api") or "-" in name
            c = api_client if api else client
            c.force_authenticate(user) if api else c.force_login(user)
            checked["urls"].add(name)
            if spec.kind == OBJ:
                for t in hidden:
                    url = reverse(name, kwargs=spec.kwargs(t))
                    for method in spec.methods:
                        # A refused request changes nothing, so the state after one is the state before the next:
                        # read once per request, not twice (the walk's largest cost after the requests).
                        before = before or state()
                        response = send(c, method, url, spec.body, api)
                        assert response.status_code in (403, 404), f"{username} {method} {url} → {response.status_code}"
                        after = state()
                        assert after == before, f"{username} {method} {url} changed data"
                        before = after
                        checked["refused"] += 1
                if username in READ_ONLY_BELOW:
                    checked["refused"] += refuse_writes(c, name, spec.kwargs(tenants[min(visible)]), api, username)
                for t in (tenants[k] for k in sorted(visible)):
                    if "GET" in spec.methods:
                        before = None  # an allowed request may write: read the state afresh after it
                        response = c.get(reverse(name, kwargs=spec.kwargs(t)))
                        assert response.status_code < 500
                        if response.status_code == 200:
                            checked["allowed"] += 1
                            text = text_of(response)
                            assert not any(m in text for m in hidden_markers), f"{username} {name} shows another tenant"
                    break
            elif spec.kind == BUREAU:
                if username in READ_ONLY_BELOW:
                    checked["refused"] += refuse_writes(c, name, spec.kwargs(campaigns[bureau_key]), api, username)
                other = campaigns["county" if bureau_key == "other" else "other"]
                url = reverse(name, kwargs=spec.kwargs(other))
                for method in spec.methods:
                    before = before or state()
                    response = send(c, method, url, spec.body, api)
                    assert response.status_code in (403, 404), f"{username} {method} {url} → {response.status_code}"
                    after = state()
                    assert after == before, f"{username} {method} {url} changed data"
                    before = after
                    checked["refused"] += 1
            elif spec.kind == LIST and username in READ_ONLY_BELOW and name not in OWN_WRITES:
                checked["refused"] += refuse_writes(c, name, {}, api, username)
            if spec.kind == LIST and "GET" in spec.methods:
                before = None
                for query in spec.queries(tenants) if callable(spec.queries) else spec.queries:
                    response = c.get(reverse(name), query)
                    assert response.status_code < 500, f"{username} {name} → {response.status_code}"
                    text = text_of(response).replace("<mark>", "").replace("</mark>", "")
                    leaked = [m for m in hidden_markers if m in text]
                    other_bureau = "标记other" if bureau_key == "county" else "标记county"
                    assert not leaked and other_bureau not in text, f"{username} {name} shows {leaked or other_bureau}"
                    checked["lists"] += 1
            cache.clear()  # rate limits and lockouts must not mask an answer
        client.logout()
    assert checked["urls"] == set(SPECS)
    from tests.conftest import SUMMARY_LINES

    SUMMARY_LINES.append(
        f"isolation walk: {len(names)} URL patterns ({len([n for n in names if n.startswith('admin:')])} admin), "
        f"{len(SPECS)} classified, {checked['refused']} refused requests, {checked['allowed']} allowed, "
        f"{checked['lists']} list checks (100% of the application's patterns classified)"
    )
    assert checked["refused"] > 300 and checked["allowed"] > 50


def refuse_writes(c, name, kwargs, api, username):
    """A read-only user's writes to what it sees: each refused and nothing changed. The number of writes sent.

    Refused: 403, or 404 where the object is reached only through what the user may change (405 where the method is
    not the URL's) — never a redirect with a message; and nothing changed. tests/core/test_read_only_walk.py holds
    the same for the county's leadership group, with the form pages' GETs."""
    spec = SPECS[name]
    url = reverse(name, kwargs=kwargs)
    sent = 0
    for method in spec.methods:
        if method == "GET":
            continue
        before = state()
        response = send(c, method, url, spec.body, api)
        allowed = (403, 404, 405) + ((200, 302) if name in REGULATOR_WRITES else ())
        assert response.status_code in allowed, f"{username} {method} {url} → {response.status_code}"
        assert state() == before, f"{username} {method} {url} changed data"
        sent += 1
    return sent


def test_anonymous_requests_are_redirected_or_refused(client, api_client, county):
    tenants, campaigns, _ = build_world(county)
    public_ok = 0
    for name, spec in SPECS.items():
        api = name.startswith("api") or "-" in name
        if spec.kind == OBJ:
            kwargs = spec.kwargs(tenants["A"])
        elif spec.kind == BUREAU:
            kwargs = spec.kwargs(campaigns["county"])
        else:
            kwargs = {}
        url = reverse(name, kwargs=kwargs)
        for method in spec.methods:
            before = state()
            response = send(api_client if api else client, method, url, spec.body, api)
            if spec.kind == PUBLIC:
                assert response.status_code < 500
                public_ok += 1
                continue
            if api or url.startswith("/api/"):
                assert response.status_code in (401, 403), f"anonymous {method} {url} → {response.status_code}"
            else:
                assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), url
            assert state() == before
    assert public_ok >= 6


def test_the_admin_is_for_staff_only(client, county):
    admin_names = [n for n in all_url_names() if n.startswith("admin:")]
    client.force_login(county.inspector)  # not staff
    refused = 0
    for name in admin_names:
        if name in ("admin:login", "admin:logout"):  # the admin's own sign-in page is public
            continue
        try:
            url = reverse(name)
        except Exception:  # patterns that need an object id
            continue
        response = client.get(url)
        assert response.status_code in (302, 404), f"{name} → {response.status_code}"
        if response.status_code == 302:
            assert "/admin/login/" in response["Location"] or "/accounts/login/" in response["Location"]
        refused += 1
    assert refused > 20
