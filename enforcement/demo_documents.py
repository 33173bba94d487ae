"""The demo county's enforcement documents: the chain of 东峰煤矿 (mine1) after the bureau's “四不两直” inspection of
3105 (the inspection demo_penalty.py made): 现场检查记录 → 责令限期整改指令书 (served, with its receipt and 送达回执) →
整改复查意见书 (the sensor not rectified: failed; the second finding passed) — whose failed item the penalty case of
demo_penalty.py took up, so the review's page links to that case rather than a second one. And a draft 现场检查记录 of
a recent inspection of 西岭煤矿 (mine2) for the inspector to finish and issue. Idempotent: nothing is added once the
bureau has a 现场检查记录."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from hazards.models import Hazard, HazardSource, Inspection, InspectionMode
from hazards.services import (
    hazard_accept,
    hazard_create,
    hazard_start_rectification,
    hazard_submit_for_acceptance,
    inspection_create,
)

from .demo_penalty import _officers, _png
from .models import DocumentKind, EnforcementDocument
from .services import document_draft, document_issue, document_record_receipt

BASIS = "《中华人民共和国安全生产法》第六十五条第一款第（三）项"


def _day(today, days_ago):
    return today - dt.timedelta(days=days_ago)


def _issue(officers, *, kind, mine, issued_on, **fields):
    draft = document_draft(actor=officers[0], kind=kind, mine=mine, officers=officers, **fields)
    return document_issue(actor=officers[0], document=draft, issued_on=issued_on)


def _serve(officers, document, *, on, signer="周伟", scan_colour=(235, 235, 225)):
    scan = SimpleUploadedFile("送达回执.png", _png(scan_colour), content_type="image/png")
    return document_record_receipt(actor=officers[0], document=document, signer_name=signer, received_on=on, scan=scan)


def seed_documents(*, orgs, users, today=None):
    today = today or timezone.localdate()
    bureau = orgs["bureau"]
    if EnforcementDocument.objects.filter(bureau=bureau, kind=DocumentKind.INSPECTION_RECORD).exists():
        return
    officers = _officers(users)
    mine = orgs["mine1"]
    inspection = (
        Inspection.objects.filter(mine=mine, mode=InspectionMode.FOUR_NO_TWO_DIRECT, notes__contains="3105")
        .order_by("inspected_on")
        .first()
    )
    if inspection is None:  # the penalty demo did not run: nothing to build the chain on
        return
    sensor = Hazard.objects.get(inspection=inspection, location="3105回风巷")
    fan_room = hazard_create(
        actor=officers[0],
        mine=mine,
        inspection=inspection,
        source=HazardSource.BUREAU_INSPECTION,
        found_on=inspection.inspected_on,
        location="主要通风机房",
        specialty="ventilation",
        description="主要通风机房未悬挂反风操作规程和岗位责任制",
        measures="按规定悬挂反风操作规程、岗位责任制，并组织司机学习",
        responsible_unit="通风队",
        responsible_person="李晓东",
        due_on=_day(today, 24),
    )
    hazard_start_rectification(actor=users["mine1"], hazard=fan_room)
    hazard_submit_for_acceptance(actor=users["mine1"], hazard=fan_room, rectified_on=_day(today, 25))
    hazard_accept(actor=users["ent1"], hazard=fan_room, note="已悬挂上墙")
    findings = [sensor, fan_room]
    day = inspection.inspected_on

    _issue(
        officers,
        kind=DocumentKind.INSPECTION_RECORD,
        mine=mine,
        inspection=inspection,
        issued_on=day,
        items=[{"hazard": h, "text": f"{h.location}：{h.description}"} for h in findings],
        content={
            "place": "3105采煤工作面、3105回风巷、主要通风机房",
            "situation": "采用“四不两直”方式，对3105采煤工作面及回风巷的通风、瓦斯管理，安全监控系统运行和"
            "主要通风机房管理进行检查，调阅了安全监控系统参数设置记录。",
            "findings_summary": "发现问题2项，详见下列各项；当场下达责令限期整改指令书。",
        },
    )
    order = _issue(
        officers,
        kind=DocumentKind.RECTIFICATION_ORDER,
        mine=mine,
        inspection=inspection,
        issued_on=day,
        items=[{"hazard": h, "text": f"{h.location}：{h.description}", "due_on": h.due_on} for h in findings],
        content={"facts": "经查，你单位存在下列问题：", "basis": BASIS},
    )
    order = _serve(officers, order, on=day)
    _serve(
        officers,
        _issue(
            officers,
            kind=DocumentKind.SERVICE_RECEIPT,
            mine=mine,
            follows=order,
            issued_on=day,
            content={"place": "东峰煤矿调度室", "method": "direct"},
        ),
        on=day,
    )
    review = _issue(
        officers,
        kind=DocumentKind.REVIEW_OPINION,
        mine=mine,
        inspection=inspection,
        follows=order,
        issued_on=_day(today, 23),
        items=[
            {
                "hazard": sensor,
                "text": f"{sensor.location}：{sensor.description}",
                "passed": False,
                "note": "复查时报警值仍为1.5%，传感器吊挂位置未调整",
            },
            {
                "hazard": fan_room,
                "text": f"{fan_room.location}：{fan_room.description}",
                "passed": True,
                "note": "已悬挂上墙，司机能复述反风操作程序",
            },
        ],
        content={
            "opinion": "第2项已整改合格。第1项逾期未整改，本机关将依法立案查处；你单位应立即停止3105回风巷相关"
            "区域作业，完成整改后报告本机关复查。"
        },
    )
    _serve(officers, review, on=_day(today, 23))
    _draft_for_mine2(orgs, officers, today)


def _draft_for_mine2(orgs, officers, today):
    """A 现场检查记录 drafted after yesterday's inspection of 西岭煤矿: for the inspector to finish and issue."""
    mine = orgs["mine2"]
    inspection = inspection_create(
        actor=officers[0],
        mine=mine,
        inspected_on=_day(today, 1),
        mode=InspectionMode.OPEN,
        inspectors=officers,
        notes="检查21采区皮带运输系统和机电设备管理。",
    )
    belt = hazard_create(
        actor=officers[0],
        mine=mine,
        inspection=inspection,
        source=HazardSource.BUREAU_INSPECTION,
        found_on=inspection.inspected_on,
        location="21采区运输巷",
        specialty="transport",
        description="带式输送机机尾滚筒处未设置防护栏",
        measures="加装防护栏并设置警示标志",
        responsible_unit="机电队",
        responsible_person="王海",
        due_on=today + dt.timedelta(days=5),
    )
    document_draft(
        actor=officers[0],
        kind=DocumentKind.INSPECTION_RECORD,
        mine=mine,
        inspection=inspection,
        officers=officers,
        items=[{"hazard": belt, "text": f"{belt.location}：{belt.description}"}],
        content={"place": "21采区运输巷、机电硐室", "situation": inspection.notes},
    )


CITY_NOTES = "晋城市应急管理局“四不两直”暗查暗访：直奔2201掘进工作面，查看局部通风和瓦斯检查情况。"


def seed_city_inspection(*, orgs, users, password, today=None):
    """Issue 22: the city's own “四不两直” inspection of 西岭煤矿 (阳城) by `city`, with the hazard it found (in the
    county's ledger, for the mine to rectify and the county to supervise) and the city's 责令限期整改指令书, numbered in
    the city's series under the city's settings, issued by `city` and a colleague holding a 执法证号. Idempotent: once
    the city has an inspection of its own, nothing is added."""
    from accounts.demo import seed_city_colleague

    from .services import enforcement_settings_save

    today = today or timezone.localdate()
    city, actor, mine = orgs["city"], users["city"], orgs["mine2"]
    if Inspection.objects.filter(higher_bureau=city).exists():
        return None
    if not actor.certificate_no:
        actor.certificate_no = "14050020190318"
        actor.save(update_fields=["certificate_no"])
    colleague = seed_city_colleague(city=city, password=password)
    enforcement_settings_save(actor=actor, number_prefix="晋市应急", authority_name="晋城市应急管理局")
    day = _day(today, 3)
    inspection = inspection_create(
        actor=actor,
        mine=mine,
        inspected_on=day,
        mode=InspectionMode.FOUR_NO_TWO_DIRECT,
        inspectors=[colleague],
        notes=CITY_NOTES,
    )
    hazard = hazard_create(
        actor=actor,
        mine=mine,
        inspection=inspection,
        found_on=day,
        location="2201掘进工作面",
        specialty="ventilation",
        description="局部通风机未实现“双风机、双电源”自动切换，备用风机切换试验记录缺失",
        level="general",
        measures="恢复双风机自动切换功能并每日试验、记录",
        responsible_unit="通风科",
        responsible_person="王建平",
        due_on=today + dt.timedelta(days=4),
    )
    return _issue(
        [actor, colleague],
        kind=DocumentKind.RECTIFICATION_ORDER,
        mine=mine,
        inspection=inspection,
        issued_on=day,
        items=[{"hazard": hazard, "text": f"{hazard.location}：{hazard.description}", "due_on": hazard.due_on}],
        content={"facts": "经查，你单位存在下列问题：", "basis": BASIS},
    )
