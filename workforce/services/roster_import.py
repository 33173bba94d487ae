"""Import of the 人员名册 mines keep in Excel (or CSV): people with their workshop and team, created if missing.

Columns are found by name; 人员类别 may be left out, and is then read from the post (矿长 → 主要负责人, 副矿长、
总工程师、科长、队长… → 管理人员, others → 从业人员). All good rows or nothing; bad rows by number; a person already
on the roster (same name and 工号) is skipped."""

from django.conf import settings
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from core.errors import DomainError, NotPermitted
from core.excel import ImportColumn, RowError, parse_choice, parse_text, read_workbook_or_csv
from core.ledger_import import ImportRejected, ImportResult, bound_errors

from ..models import NOT_OWN_STAFF, Employment, Person, PersonRole, UnitKind, WorkUnit
from ..permissions import can_keep_records

MAIN_LEADER_POSTS = ("矿长", "董事长", "总经理", "法定代表人", "实际控制人", "党支部书记", "书记")
MANAGER_WORDS = (
    "副矿长",
    "副总",
    "总工程师",
    "总工",
    "科长",
    "队长",
    "主任",
    "经理",
    "班长",
    "调度",
    "安全员",
    "技术员",
)


def role_from_post(post):
    post = post or ""
    if any(w in post for w in ("副矿长", "副总经理", "副书记")):
        return PersonRole.MANAGER
    if any(post.endswith(w) or post == w for w in MAIN_LEADER_POSTS):
        return PersonRole.MAIN_LEADER
    if any(w in post for w in MANAGER_WORDS):
        return PersonRole.MANAGER
    return PersonRole.WORKER


def roster_columns():
    return [
        ImportColumn("name", ("姓名", "人员姓名", "员工姓名"), parse_text(40), required=True),
        ImportColumn("employee_no", ("工号", "员工编号", "职工编号", "编号"), parse_text(30)),
        ImportColumn(
            "role",
            ("人员类别", "类别", "人员类型"),
            parse_choice(
                PersonRole.choices,
                synonyms={
                    "主要负责人": "main_leader",
                    "管理人员": "manager",
                    "员工": "worker",
                    "职工": "worker",
                    "作业人员": "worker",
                    "一般从业人员": "worker",
                },
                what="人员类别",
            ),
        ),
        ImportColumn("post", ("岗位", "工种", "职务", "岗位（工种）"), parse_text(60)),
        ImportColumn(
            "workshop", ("车间", "科队", "区队", "部门", "所在科队", "所在单位", "车间（科队）"), parse_text(60)
        ),
        ImportColumn("team", ("班组", "所在班组"), parse_text(60)),
        ImportColumn(
            "employment",
            ("用工形式", "用工性质", "用工类型", "人员性质"),
            parse_choice(
                Employment.choices,
                synonyms={
                    "正式工": "staff",
                    "合同工": "staff",
                    "在册": "staff",
                    "本矿": "staff",
                    "外包": "outsourced",
                    "外包外租": "outsourced",
                    "外委": "outsourced",
                    "劳务派遣": "dispatched",
                    "派遣": "dispatched",
                    "灵活用工": "flexible",
                    "临时工": "flexible",
                },
                what="用工形式",
            ),
        ),
        ImportColumn("employer", ("外包/派遣单位", "所属单位", "外包单位", "派遣单位", "用工单位"), parse_text(100)),
    ]


def _check(number, values, headers, errors):
    employment = values.get("employment") or Employment.STAFF
    if employment in NOT_OWN_STAFF and not values.get("employer"):
        column = headers.get("employer") or headers.get("employment")
        errors.append(RowError(number, column, "外包外租、劳务派遣、灵活用工人员须填写所属单位。"))
        return False
    if values.get("team") and not values.get("workshop"):
        errors.append(RowError(number, headers["team"], "班组须写明所属车间（科队）。"))
        return False
    return True


def roster_import(*, actor, mine, upload, only_valid_rows=False):
    """The file is read and checked first, outside any transaction; then people and units are written in one."""
    if not can_keep_records(actor, mine):
        raise NotPermitted("您不能向该煤矿的人员名册导入数据。")
    table = read_workbook_or_csv(upload, roster_columns(), max_rows=5000, max_bytes=settings.UPLOAD_MAX_BYTES)
    if not table.rows:
        raise DomainError("文件中没有找到任何人员。")
    result = ImportResult(total_rows=len(table.rows), errors=list(table.errors))
    good = []
    for number, values in table.rows:
        # The same bounds as the roster's form and API: the Person fields' validators (lengths, here).
        cell_errors = bound_errors(Person, number, values, table.headers)
        result.errors.extend(cell_errors)
        if _check(number, values, table.headers, result.errors) and not cell_errors and number not in table.bad_rows:
            good.append(values)
    result.errors.sort(key=lambda e: e.row)
    if result.errors and not only_valid_rows:
        raise ImportRejected(result.errors, result.total_rows)
    with transaction.atomic():
        _write_roster(actor=actor, mine=mine, good=good, result=result)
    return result


def _write_roster(*, actor, mine, good, result):
    units = {(u.kind, u.name): u for u in WorkUnit.objects.filter(mine=mine)}

    def unit(kind, name, workshop=None):
        if (kind, name) not in units:
            units[kind, name] = WorkUnit.objects.create(mine=mine, kind=kind, name=name, workshop=workshop)
        return units[kind, name]

    known = set(Person.objects.filter(mine=mine).values_list("name", "employee_no"))
    people = []
    for values in good:
        key = (values["name"], values.get("employee_no") or "")
        if key in known:
            result.skipped += 1
            continue
        known.add(key)
        workshop = unit(UnitKind.WORKSHOP, values["workshop"]) if values.get("workshop") else None
        team = unit(UnitKind.TEAM, values["team"], workshop) if values.get("team") else None
        employment = values.get("employment") or Employment.STAFF
        people.append(
            Person(
                mine=mine,
                name=values["name"],
                employee_no=key[1],
                role=values.get("role") or role_from_post(values.get("post")),
                post=values.get("post") or "",
                unit=team or workshop,
                employment=employment,
                employer=(values.get("employer") or "") if employment in NOT_OWN_STAFF else "",
                created_by=actor,
            )
        )
    created = bulk_create_with_history(people, Person, default_user=actor)
    result.created = len(created)
