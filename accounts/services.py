"""Writes of accounts' own records: who answers for which mine (监管专员包保) and the bureau's contacts that mines see.

Keyword-only, one transaction each, the permission asked of accounts.permissions, a Chinese DomainError when refused."""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction

from core.concurrency import check_row_version
from core.errors import DomainError, NotPermitted

from .models import MineSupervisor, Organization, OrganizationKind, SupervisorDuty
from .permissions import can_assign_supervisors, can_edit_bureau_contacts, may_supervise_mines

NOT_ALLOWED = "只有县局执法人员可以安排监管专员包保煤矿。"
EDITABLE = ("supervisor", "duty", "since", "note")


def _check_supervisor(supervisor, mine):
    """A mine's 监管专员 is an active inspector of the mine's own bureau."""
    if supervisor is None:
        raise DomainError("请选择监管专员。", field="supervisor")
    if not may_supervise_mines(supervisor) or supervisor.organization_id != mine.bureau_id:
        raise DomainError("监管专员应为本局在岗的执法人员。", field="supervisor")


def _check_fields(fields):
    if fields.get("duty", SupervisorDuty.LEAD) not in SupervisorDuty.values:
        raise DomainError("请选择包保分工。", field="duty")
    if len(fields.get("note") or "") > 200:
        raise DomainError("备注不能超过 200 字。", field="note")


def _save(assignment):
    try:
        with transaction.atomic():
            assignment.save()
    except IntegrityError as exc:
        raise DomainError("该监管专员已包保该煤矿。", field="supervisor") from exc


@transaction.atomic
def mine_supervisor_assign(*, actor, mine, supervisor, duty=SupervisorDuty.LEAD, since=None, note=""):
    if mine is None or mine.kind != OrganizationKind.MINE:
        raise DomainError("请选择煤矿。", field="mine")
    if not can_assign_supervisors(actor, mine):
        raise NotPermitted(NOT_ALLOWED)
    _check_supervisor(supervisor, mine)
    _check_fields({"duty": duty, "note": note})
    if MineSupervisor.objects.filter(mine=mine, supervisor=supervisor).exists():
        raise DomainError("该监管专员已包保该煤矿。", field="supervisor")
    assignment = MineSupervisor(
        mine=mine, supervisor=supervisor, duty=duty, since=since, note=note or "", created_by=actor
    )
    _save(assignment)
    return assignment


def _locked(assignment):
    # of=self: PostgreSQL refuses FOR UPDATE on the nullable side of the joins select_related adds
    locked = MineSupervisor.objects.select_for_update(of=("self",))
    return locked.select_related("mine", "supervisor").get(pk=assignment.pk)


@transaction.atomic
def mine_supervisor_update(*, actor, assignment, row_version=None, **fields):
    """Change who, the duty, since when or the note; `row_version` is what the edit was based on."""
    assignment = _locked(assignment)
    if not can_assign_supervisors(actor, assignment.mine):
        raise NotPermitted(NOT_ALLOWED)
    check_row_version(assignment, row_version, fields=EDITABLE)
    _check_fields(fields)
    if "supervisor" in fields and fields["supervisor"] != assignment.supervisor:
        _check_supervisor(fields["supervisor"], assignment.mine)
        if MineSupervisor.objects.filter(mine=assignment.mine, supervisor=fields["supervisor"]).exists():
            raise DomainError("该监管专员已包保该煤矿。", field="supervisor")
    changed = False
    for name in EDITABLE:
        if name in fields:
            value = "" if fields[name] is None and name == "note" else fields[name]
            if getattr(assignment, name) != value:
                setattr(assignment, name, value)
                changed = True
    if changed:
        _save(assignment)
    return assignment


@transaction.atomic
def mine_supervisor_remove(*, actor, assignment, row_version=None):
    assignment = _locked(assignment)
    if not can_assign_supervisors(actor, assignment.mine):
        raise NotPermitted(NOT_ALLOWED)
    check_row_version(assignment, row_version)
    assignment.delete()


@transaction.atomic
def bureau_contacts_update(*, actor, bureau, contact_phone="", contact_email=""):
    """The phone and e-mail the bureau gives its mines (the notice's 联系电话 and 电子邮箱)."""
    bureau = Organization.objects.select_for_update().get(pk=bureau.pk)
    if bureau.kind != OrganizationKind.BUREAU or not can_edit_bureau_contacts(actor, bureau):
        raise NotPermitted("只有本局执法人员可以修改本局联系方式。")
    contact_phone, contact_email = (contact_phone or "").strip(), (contact_email or "").strip()
    if len(contact_phone) > 40:
        raise DomainError("联系电话不能超过 40 个字符。", field="contact_phone")
    if len(contact_email) > 100:
        raise DomainError("电子邮箱不能超过 100 个字符。", field="contact_email")
    if contact_email:
        try:
            validate_email(contact_email)
        except ValidationError as exc:
            raise DomainError("请输入有效的电子邮箱地址。", field="contact_email") from exc
    bureau.contact_phone, bureau.contact_email = contact_phone, contact_email
    bureau.save(update_fields=["contact_phone", "contact_email"])
    return bureau
