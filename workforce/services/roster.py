from django.db import IntegrityError, transaction

from core.concurrency import check_row_version
from core.errors import DomainError, NotPermitted

from ..models import NOT_OWN_STAFF, Employment, Person, UnitKind, WorkUnit
from ..permissions import can_keep_records

PERSON_FIELDS = ("name", "employee_no", "role", "post", "unit", "employment", "employer", "is_active")


def _check(actor, mine):
    if not can_keep_records(actor, mine):
        raise NotPermitted("您不能维护该煤矿的人员名册。")


@transaction.atomic
def work_unit_create(*, actor, mine, kind, name, workshop=None):
    _check(actor, mine)
    name = (name or "").strip()
    if not name:
        raise DomainError("请填写名称。", field="name")
    if kind == UnitKind.WORKSHOP:
        workshop = None
    elif workshop is not None and (workshop.mine_id != mine.pk or workshop.kind != UnitKind.WORKSHOP):
        raise DomainError("所属车间（科队）必须是本矿的车间。", field="workshop")
    try:
        with transaction.atomic():
            return WorkUnit.objects.create(mine=mine, kind=kind, name=name, workshop=workshop)
    except IntegrityError as exc:
        raise DomainError(f"本矿已有名为“{name}”的{UnitKind(kind).label}。", field="name") from exc


def _validate_person(person):
    person.name = (person.name or "").strip()
    if not person.name:
        raise DomainError("请填写姓名。", field="name")
    if person.unit_id and person.unit.mine_id != person.mine_id:
        raise DomainError("所在班组/车间必须是本矿的。", field="unit")
    if person.employment in NOT_OWN_STAFF and not (person.employer or "").strip():
        raise DomainError("外包外租、劳务派遣人员请填写所属单位。", field="employer")
    if person.employment == Employment.STAFF:
        person.employer = ""


def _save(person):
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError as exc:
        raise DomainError("本矿名册中已有同名同工号的人员。", field="employee_no") from exc


def _assign(person, fields):
    for name in PERSON_FIELDS:
        if name in fields:
            setattr(person, name, fields[name])


@transaction.atomic
def person_create(*, actor, mine, **fields):
    _check(actor, mine)
    person = Person(mine=mine, created_by=actor)
    _assign(person, {k: v for k, v in fields.items() if v is not None})  # left out: the model's default
    _validate_person(person)
    _save(person)
    return person


@transaction.atomic
def person_update(*, actor, person, row_version=None, **fields):
    """Fields given are set as given: a unit of None takes the person out of any team or workshop.
    `row_version`: the version the edit was based on (None: not checked)."""
    person = Person.objects.select_for_update().select_related("mine").get(pk=person.pk)
    _check(actor, person.mine)
    check_row_version(person, row_version)
    _assign(person, fields)
    _validate_person(person)
    _save(person)
    return person
