"""Import of the 人员名册 mines keep in Excel (or CSV): people with their workshop and team, created if missing.

Columns are found by name; 人员类别 may be left out, and is then read from the post (矿长 → 主要负责人, 副矿长、
总工程师、科长、队长… → 管理人员, others → 从业人员). The shared pipeline (core.ledger_import) does the rest as for
every ledger: a preview, columns mapped by hand, all good rows or nothing, bad rows by number, a person already on
the roster (same name and 工号) skipped, one batch per import that can be undone within a day. The 车间/班组 the
file names and the roster lacks are created in the write, with the batch, and an undo removes them again unless
something else uses them by then."""

import hashlib

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from campaign.membership import campaigns_of
from core.errors import NotPermitted
from core.excel import ImportColumn, RowError, parse_choice, parse_text
from core.ledger_import import ImportWarning, LedgerSpec, batch_for, import_ledger, undo_batch
from core.models import BatchStatus, LedgerKind

from ..models import NOT_OWN_STAFF, Employment, Person, PersonRole, UnitKind, WorkUnit
from ..permissions import can_keep_records
from ..progress import TRAINING_EVIDENCE, records_progress_refresh

MAX_ROWS = 5000
#: what a roster warning is about
NEW_UNIT, TEAM_ELSEWHERE, SAME_NAME = "new_unit", "team_elsewhere", "same_name"
OTHER_POST, INACTIVE = "other_post", "inactive"

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


def person_fingerprint(name, employee_no):
    """A person on a mine's roster: the same name and 工号 (the roster's unique constraint)."""
    return hashlib.sha1(f"{name}|{employee_no or ''}".encode()).hexdigest()


def _build(values, *, mine, actor):
    """The person to insert; `workshop` and `team` are names, made units in the write (`_create_units`)."""
    employment = values.get("employment") or Employment.STAFF
    employee_no = values.get("employee_no") or ""
    return {
        "mine_id": mine.pk,
        "name": values["name"],
        "employee_no": employee_no,
        "role": values.get("role") or role_from_post(values.get("post")),
        "post": values.get("post") or "",
        "employment": employment,
        "employer": (values.get("employer") or "") if employment in NOT_OWN_STAFF else "",
        "created_by_id": getattr(actor, "pk", None),
        "workshop": values.get("workshop") or "",
        "team": values.get("team") or "",
        "fingerprint": person_fingerprint(values["name"], employee_no),
    }


def _existing(mine, rows):
    """The fingerprints of the rows whose person is already on the mine's roster."""
    names = {row["name"] for row in rows}
    return {
        person_fingerprint(name, number)
        for name, number in Person.objects.filter(mine=mine, name__in=names).values_list("name", "employee_no")
    }


def _known_units(mine):
    """{(kind, name): the workshop's name (teams) or None} of the units on the mine's roster."""
    return {
        (kind, name): workshop
        for kind, name, workshop in WorkUnit.objects.filter(mine=mine).values_list("kind", "name", "workshop__name")
    }


def _warn_new(mine, rows, numbers, headers):
    """Warnings on the people to add: the units the import will create (on the row that first names each), a team
    the roster keeps under another workshop, and a name already on the roster under another 工号."""
    known = _known_units(mine)
    warnings, seen = [], set()
    for number, row in zip(numbers, rows, strict=True):
        workshop, team = row["workshop"], row["team"]
        if workshop and (UnitKind.WORKSHOP, workshop) not in known and (UnitKind.WORKSHOP, workshop) not in seen:
            seen.add((UnitKind.WORKSHOP, workshop))
            warnings.append(
                ImportWarning(
                    number,
                    headers.get("workshop", "车间（科队）"),
                    NEW_UNIT,
                    f"名册中没有车间（科队）“{workshop}”，确认导入时将新建。",
                )
            )
        if not team:
            continue
        if (UnitKind.TEAM, team) in known:
            kept_under = known[UnitKind.TEAM, team]
            if kept_under and kept_under != workshop:
                warnings.append(
                    ImportWarning(
                        number,
                        headers.get("team", "班组"),
                        TEAM_ELSEWHERE,
                        f"名册中的班组“{team}”属于“{kept_under}”，文件中写的是“{workshop}”：该人员将编入已有的"
                        f"“{team}”（{kept_under}）。",
                    )
                )
        elif (UnitKind.TEAM, team) not in seen:
            seen.add((UnitKind.TEAM, team))
            warnings.append(
                ImportWarning(
                    number,
                    headers.get("team", "班组"),
                    NEW_UNIT,
                    f"名册中没有班组“{team}”，确认导入时将在“{workshop}”下新建。",
                )
            )
    on_roster = {}
    for name, number, post in Person.objects.filter(mine=mine, name__in={row["name"] for row in rows}).values_list(
        "name", "employee_no", "post"
    ):
        on_roster.setdefault(name, []).append(f"工号 {number or '（无）'}{'，' + post if post else ''}")
    for number, row in zip(numbers, rows, strict=True):
        if row["name"] in on_roster:
            already = "；".join(on_roster[row["name"]])
            warnings.append(
                ImportWarning(
                    number,
                    headers.get("name", "姓名"),
                    SAME_NAME,
                    f"名册中已有同名人员“{row['name']}”（{already}）：将作为另一人加入名册；如是同一人，请核对工号。",
                )
            )
    return warnings


def _warn_existing(mine, skipped, headers):
    """Warnings on the people skipped as already on the roster, where the file says otherwise: the import leaves the
    roster as it is."""
    people = {
        (p["name"], p["employee_no"]): p
        for p in Person.objects.filter(mine=mine, name__in={row["name"] for _, row in skipped}).values(
            "name", "employee_no", "post", "is_active"
        )
    }
    warnings = []
    for number, row in skipped:
        person = people.get((row["name"], row["employee_no"]))
        if person is None:
            continue
        if row["post"] and row["post"] != person["post"]:
            warnings.append(
                ImportWarning(
                    number,
                    headers.get("post", "岗位（工种）"),
                    OTHER_POST,
                    f"名册中已有该人员，岗位为“{person['post'] or '（未填）'}”，文件中为“{row['post']}”：已跳过，"
                    "导入不修改名册；如已调岗，请在人员页面修改。",
                )
            )
        elif not person["is_active"]:
            warnings.append(
                ImportWarning(
                    number,
                    headers.get("name", "姓名"),
                    INACTIVE,
                    "名册中该人员已离岗：已跳过，导入不会恢复在岗；如已返岗，请在人员页面修改。",
                )
            )
    return warnings


def _create_units(mine, actor, result, batch):
    """Inside the write: the units the rows name and the roster lacks are created with the batch; each row gets its
    unit (its team, else its workshop)."""
    units = {(u.kind, u.name): u for u in WorkUnit.objects.filter(mine=mine)}
    created = 0

    def unit(kind, name, workshop=None):
        nonlocal created
        if (kind, name) not in units:
            new = WorkUnit(mine=mine, kind=kind, name=name, workshop=workshop, import_batch=batch)
            new._history_user = actor  # the audit trail names who imported it
            new.save()
            units[kind, name] = new
            created += 1
        return units[kind, name]

    # A unit another import (or a page) created meanwhile breaks the unique name: the pipeline then refuses the whole
    # write (PreviewChanged), nothing of it kept.
    for row in result.rows:
        workshop = unit(UnitKind.WORKSHOP, row["workshop"]) if row["workshop"] else None
        team = unit(UnitKind.TEAM, row["team"], workshop) if row["team"] else None
        row["unit_id"] = (team or workshop).pk if (team or workshop) else None
    if created:
        result.notes.append(f"新建车间（科队）/班组 {created} 个")


def roster_batch_notes(batches):
    """{batch id: what the batch created beside its people} for the batch page, in one query: the units it created,
    or, once undone, those the undo kept because something used them by then."""
    counts = dict(
        WorkUnit.objects.filter(import_batch__in=[b.pk for b in batches if b.kind == LedgerKind.ROSTER])
        .values("import_batch")
        .annotate(n=Count("pk"))
        .values_list("import_batch", "n")
    )
    said = {}
    for batch in batches:
        n = counts.get(batch.pk)
        if n and batch.status == BatchStatus.UNDONE:
            said[batch.pk] = f"随之新建的车间（科队）/班组有 {n} 个撤销时仍在使用，已保留"
        elif n:
            said[batch.pk] = f"新建车间（科队）/班组 {n} 个"
    return said


def roster_ledger_spec(*, actor, mine):
    """How a roster is read, checked, warned about, written and undone for `mine` (core.ledger_import)."""

    def refresh(rows):
        # 警示教育 must cover every main leader, workshop and team on the roster: more of them, another figure.
        for campaign in campaigns_of(unit=mine, day=timezone.localdate()):
            records_progress_refresh(mine=mine, campaign=campaign, evidence=TRAINING_EVIDENCE)

    return LedgerSpec(
        columns=roster_columns(),
        check=_check,
        build=lambda values: _build(values, mine=mine, actor=actor),
        model=Person,
        what="人员",
        max_rows=MAX_ROWS,
        accepts_csv=True,
        kind=LedgerKind.ROSTER,
        existing=_existing,
        warn_all=lambda rows, numbers, headers: _warn_new(mine, rows, numbers, headers),
        warn_existing=lambda skipped, headers: _warn_existing(mine, skipped, headers),
        before_insert=lambda result, batch: _create_units(mine, actor, result, batch),
        created_beside=(WorkUnit,),
        after_insert=lambda result: refresh(result.rows),
        after_undo=refresh,
        preview_fields=("name", "employee_no", "role", "post", "workshop", "team", "employment"),
        preview_labels={"workshop": "车间（科队）", "team": "班组"},
    )


def roster_import(*, actor, mine, upload, only_valid_rows=False, **options):
    """All good rows or nothing; a person already on the roster (same name and 工号) is skipped; the units the file
    names and the roster lacks are created with the people. The file is read before the (short) write transaction
    begins. `options`: core.ledger_import.import_ledger's (`dry_run`, `mapping`, `file_name`, `expect_digest`…)."""
    if not can_keep_records(actor, mine):
        raise NotPermitted("您不能向该煤矿的人员名册导入数据。")
    spec = roster_ledger_spec(actor=actor, mine=mine)
    return import_ledger(spec=spec, mine=mine, upload=upload, only_valid_rows=only_valid_rows, actor=actor, **options)


@transaction.atomic
def roster_import_undo(*, actor, batch_id):
    """Undo a roster import (core.ledger_import.undo_batch): its people, and the units it created that nothing else
    uses by now. 404 for a batch the actor does not see, 403 for a mine it may not keep, 409 when too old or its
    people were worked on since (edited, trained, certified…)."""
    batch = batch_for(user=actor, kind=LedgerKind.ROSTER, pk=batch_id, lock=True)
    if not can_keep_records(actor, batch.mine):
        raise NotPermitted("您不能撤销该煤矿的人员名册导入。")
    return undo_batch(spec=roster_ledger_spec(actor=actor, mine=batch.mine), batch=batch, actor=actor)
