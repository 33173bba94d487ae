"""The writes of the accident register: record, correct, remove a line; the 提级调查 each accident of a campaign
opens in the same transaction; the bureau's work on it and its closing with the report."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from campaign.membership import campaign_of_record
from core.concurrency import check_row_version
from core.errors import DomainError, InvalidState, NotPermitted
from core.uploads import sniff_evidence
from core.validation import raise_first

from .models import (
    Accident,
    AccidentEvent,
    Investigation,
    InvestigationReport,
    InvestigationStatus,
    accident_fingerprint,
)
from .permissions import can_delete_accident, can_investigate, can_write_register, records_as_bureau
from .rules import InvestigationLevel, is_late, is_upgraded, upgraded_level
from .validation import accident_problems

#: the fields a register line carries, set by create and update (and shown in this order on the form)
EDITABLE_FIELDS = (
    "occurred_at",
    "place",
    "kind",
    "deaths",
    "serious_injuries",
    "minor_injuries",
    "direct_loss",
    "description",
    "reporter_name",
    "reported_at",
)
#: what the bureau writes on an investigation
INVESTIGATION_FIELDS = ("lead_level", "lead_organization", "team", "findings", "responsible_persons", "measures")


def _event(accident, *, actor, action, note=""):
    AccidentEvent.objects.create(accident=accident, action=action, note=note, actor=actor)


def _derive(accident):
    """What follows from the line's values: its day, campaign, 迟报 flag and fingerprint."""
    raise_first(accident_problems(accident))
    accident.campaign = campaign_of_record(unit=accident.mine, day=accident.occurred_on)
    accident.late = is_late(accident.occurred_at, accident.reported_at)
    accident.fingerprint = accident_fingerprint(
        mine_id=accident.mine_id, occurred_at=accident.occurred_at, place=accident.place
    )


def _save_unique(accident):
    try:
        with transaction.atomic():
            accident.save()
    except IntegrityError as exc:
        raise DomainError("本矿台账中已有同一时间、同一地点的事故，请勿重复登记。", field="occurred_at") from exc


def bureau_told(*, accidents):
    """The county's inspectors hear of each accident a mine or enterprise records, at once (the bureau must know
    within the hour; a notice per accident and inspector, idempotent under its key). Inside the recording transaction:
    a refused accident tells nobody."""
    from django.urls import reverse

    from accounts.models import User
    from accounts.permissions import inspectors_q
    from notifications.models import Level
    from notifications.services import Notice, notify_many

    reported = [a for a in accidents if not a.found_by_bureau]
    if not reported:
        return 0
    bureaus = {a.mine.bureau_id for a in reported}
    inspectors = list(
        User.objects.filter(inspectors_q(), organization_id__in=bureaus, is_active=True).values_list(
            "pk", "organization_id"
        )
    )
    notices = []
    for accident in reported:
        casualties = f"死亡{accident.deaths}人、重伤{accident.serious_injuries}人、轻伤{accident.minor_injuries}人"
        title = f"{accident.mine.name}报告{accident.get_kind_display()}事故（{casualties}）"
        body = f"发生时间 {timezone.localtime(accident.occurred_at):%Y-%m-%d %H:%M}，地点：{accident.place}。"
        if accident.late:
            body += "报告时间超过规定时限，已标为迟报。"
        url = reverse("accident_detail", kwargs={"pk": accident.pk})
        notices += [
            Notice(pk, "accident_reported", f"accident:reported:{accident.pk}", title, body, url, Level.DANGER)
            for pk, bureau_id in inspectors
            if bureau_id == accident.mine.bureau_id
        ]
    return notify_many(notices)


def investigation_open(*, accident, actor=None):
    """The 提级调查 of an accident in a campaign (none outside one; one per accident). Called inside the accident's
    own transaction by every path that records one (the form, the API, the import)."""
    if accident.campaign_id is None:
        return None
    existing = Investigation.objects.filter(accident=accident).first()
    if existing is not None:
        return existing
    normal, lead = upgraded_level(accident.grade)
    investigation = Investigation.objects.create(
        accident=accident,
        normal_level=normal,
        lead_level=lead,
        opened_on=timezone.localdate(),
    )
    _event(
        accident,
        actor=actor,
        action="启动提级调查",
        note=f"原由{InvestigationLevel(normal).label}调查，提级由{InvestigationLevel(lead).label}牵头",
    )
    return investigation


@transaction.atomic
def accident_create(*, actor, mine, **fields):
    """Record an accident. In a campaign, its 提级调查 is opened in the same transaction."""
    if not can_write_register(actor, mine):
        raise NotPermitted("您不能为该煤矿登记事故。")
    accident = Accident(mine=mine, created_by=actor, found_by_bureau=records_as_bureau(actor))
    for name in EDITABLE_FIELDS:
        if name in fields:
            setattr(accident, name, fields[name])
    if accident.direct_loss == "":
        accident.direct_loss = None
    _derive(accident)
    _save_unique(accident)
    _event(accident, actor=actor, action="登记", note="迟报" if accident.late else "")
    investigation_open(accident=accident, actor=actor)
    bureau_told(accidents=[accident])
    return accident


def _locked(accident):
    return Accident.objects.select_for_update().select_related("mine").get(pk=accident.pk)


@transaction.atomic
def accident_update(*, actor, accident, row_version=None, **fields):
    """Correct a line. A change of date that brings it into a campaign opens its investigation."""
    accident = _locked(accident)
    if not can_write_register(actor, accident.mine):
        raise NotPermitted("您不能修改该煤矿的事故台账。")
    check_row_version(accident, row_version, fields=[f for f in EDITABLE_FIELDS if f in fields])
    changed = []
    for name in EDITABLE_FIELDS:
        if name in fields and getattr(accident, name) != fields[name]:
            setattr(accident, name, fields[name])
            changed.append(str(Accident._meta.get_field(name).verbose_name))
    _derive(accident)
    _save_unique(accident)
    if changed:
        _event(accident, actor=actor, action="修改", note="、".join(changed))
    investigation_open(accident=accident, actor=actor)
    return accident


@transaction.atomic
def accident_delete(*, actor, accident):
    """Remove a line typed by mistake. Refused (409) once a 提级调查 hangs on it: the investigation is a record the
    level above owns, and an accident of the campaign cannot disappear from the 四无 by a click; correct it instead."""
    accident = _locked(accident)
    if not can_delete_accident(actor, accident):
        raise NotPermitted("您不能删除该煤矿的事故记录。")
    if Investigation.objects.filter(accident=accident).exists():
        raise InvalidState("该事故已启动提级调查，不能删除；如登记有误，请修改。")
    accident.delete()


def _locked_investigation(investigation):
    return Investigation.objects.select_for_update().select_related("accident__mine").get(pk=investigation.pk)


@transaction.atomic
def investigation_update(*, actor, investigation, row_version=None, **fields):
    """The bureau writes what the investigation found (the county bureau records it when the city leads)."""
    investigation = _locked_investigation(investigation)
    if not can_investigate(actor, investigation.accident.mine):
        raise NotPermitted("提级调查情况由县局执法人员登记。")
    if not investigation.is_open:
        raise InvalidState("该提级调查已结案，不能再修改。")
    check_row_version(investigation, row_version, fields=[f for f in INVESTIGATION_FIELDS if f in fields])
    if "lead_level" in fields and fields["lead_level"] not in InvestigationLevel.values:
        raise DomainError("牵头层级不正确。", field="lead_level")
    if "lead_level" in fields and not is_upgraded(investigation.normal_level, fields["lead_level"]):
        normal = InvestigationLevel(investigation.normal_level).label
        raise DomainError(f"提级调查应由{normal}以上的层级牵头。", field="lead_level")
    for name in INVESTIGATION_FIELDS:
        if name in fields:
            setattr(investigation, name, fields[name] if fields[name] is not None else "")
    from core.validation import field_problems

    raise_first(field_problems(investigation, INVESTIGATION_FIELDS))
    investigation.save()
    _event(investigation.accident, actor=actor, action="登记调查情况")
    return investigation


@transaction.atomic
def investigation_close(*, actor, investigation, closed_on, report, findings=None):
    """结案: needs the findings and the investigation report (a file); after it nothing changes."""
    investigation = _locked_investigation(investigation)
    if not can_investigate(actor, investigation.accident.mine):
        raise NotPermitted("提级调查由县局执法人员结案。")
    if not investigation.is_open:
        raise InvalidState("该提级调查已结案。")
    if findings is not None and findings.strip():
        investigation.findings = findings
    if not investigation.findings.strip():
        raise DomainError("结案前请填写调查结论。", field="findings")
    if report is None:
        raise DomainError("结案须上传调查报告。", field="report")
    if closed_on is None:
        raise DomainError("请填写结案日期。", field="closed_on")
    if closed_on < investigation.accident.occurred_on:
        raise DomainError("结案日期不能早于事故发生日期。", field="closed_on")
    if closed_on > timezone.localdate():
        raise DomainError("结案日期不能晚于今天。", field="closed_on")
    content_type = sniff_evidence(report)
    InvestigationReport.objects.create(
        investigation=investigation,
        file=report,
        original_name=report.name[:200],
        content_type=content_type,
        size=report.size,
        uploaded_by=actor,
    )
    investigation.status = InvestigationStatus.CLOSED
    investigation.closed_on = closed_on
    investigation.save()
    _event(investigation.accident, actor=actor, action="提级调查结案", note=report.name[:200])
    return investigation


from .ledger_import import accidents_import  # noqa: E402,F401
