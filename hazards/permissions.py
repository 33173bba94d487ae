"""Who may do what to hazards and inspections. Services enforce these; views, templates (`{% can "hazards.…" %}`)
and the API show and offer only what they allow. With `mine=None` a rule answers "anywhere" (a list page's button)."""

from accounts.permissions import is_bureau_user, is_enterprise_officer, is_inspector, is_regulator, is_unit_officer
from core.scoping import mine_in_scope


def _at(user, mine):
    return mine is None or mine_in_scope(user, mine)


def can_write_ledger(user, mine=None):
    """Register and rectify hazards: the mine, its enterprise, the bureau's inspectors (not the leadership group nor
    the operator)."""
    return (is_unit_officer(user) or is_inspector(user)) and _at(user, mine)


def asked_for_acceptance(user, hazard):
    """Whether `user` is the one who asked for the hazard's pending acceptance."""
    requester_id = hazard.acceptance_requested_by_id
    return requester_id is not None and user is not None and requester_id == user.pk


def can_accept(user, hazard):
    """Accept (销号) or refuse (退回整改) a hazard's acceptance. General hazards: an officer of the mine or of its
    enterprise; major hazards: only the bureau. Either way never the one who asked for it: one person does not check
    their own work (a mine with one officer is accepted by its enterprise). Refusing is the same verdict as accepting,
    so the same people give it: a requester who wants the request back asks one of them to return it."""
    if not mine_in_scope(user, hazard.mine) or asked_for_acceptance(user, hazard):
        return False
    if hazard.is_major:
        return is_inspector(user)
    return is_unit_officer(user)


def held_back_as_requester(user, hazard):
    """Whether `user` would accept the hazard but asked for its acceptance itself (the page says so, and who may)."""
    if not asked_for_acceptance(user, hazard) or not mine_in_scope(user, hazard.mine):
        return False
    return is_inspector(user) if hazard.is_major else is_unit_officer(user)


def why_not_accept(user, hazard, verb="验收"):
    """The Chinese reason `can_accept` refuses `user` (for the service's NotPermitted)."""
    if held_back_as_requester(user, hazard):
        others = "县局其他执法人员" if hazard.is_major else "本矿其他安全管理人员或主体企业"
        return f"该隐患的验收是您申请的，同一人不能既申请又验收，您不能{verb}；请由{others}办理。"
    if hazard.is_major:
        return f"重大事故隐患只能由县局执法人员{verb}。"
    return f"一般隐患由煤矿或其主体企业的安全管理人员{verb}。"


def can_supervise(user, mine=None):
    """Bureau-only acts: list a major hazard (挂牌督办), record 一案双查 and exams, change a major hazard's level."""
    return is_inspector(user) and _at(user, mine)


def can_delist(user, hazard=None):
    """摘牌: the bureau's inspectors take down a listing of a hazard of their county (the state — listed, closed, not
    yet taken down — is the service's guard and the listing's `awaiting_delisting`)."""
    return can_supervise(user, None if hazard is None else hazard.mine)


def can_publish(user, hazard=None):
    """曝光 and its withdrawal: the bureau's inspectors choose which delisted cases of their county the public sees."""
    return can_supervise(user, None if hazard is None else hazard.mine)


def can_record_inspection(user, mine=None, mode=None):
    """The bureau's inspectors record any inspection; an enterprise its own (企业自查, not the bureau's modes); a
    city's (province's) regulators their own inspection of a mine below them, in the bureau's modes (issue 22: its own
    inspections are what a higher level writes; everything of the counties it only reads)."""
    from .models.inspection import BUREAU_MODES

    if not _at(user, mine):
        return False
    if is_regulator(user):
        return mode is None or mode in BUREAU_MODES
    if mode in BUREAU_MODES:
        return is_inspector(user)
    return is_enterprise_officer(user) or is_inspector(user)


def is_own_higher_inspection(user, inspection):
    """A city's (province's) own inspection, asked by one of its regulators: the one place below the city where it
    writes (its findings, exams and documents). The county's inspections stay the county's."""
    return (
        is_regulator(user)
        and inspection is not None
        and inspection.higher_bureau_id is not None
        and inspection.higher_bureau_id == user.organization_id
        and mine_in_scope(user, inspection.mine)
    )


def can_edit_inspection(user, inspection):
    """Correct an inspection's record (检查情况、其他检查人员): the one who records such an inspection, for its own — a
    city's regulators the city's inspections, the county's inspectors the county's (never the city's), an enterprise
    its self-checks."""
    if inspection.higher_bureau_id is not None:
        return is_own_higher_inspection(user, inspection)
    if is_regulator(user):
        return False
    return can_record_inspection(user, inspection.mine, inspection.mode)


def can_write_at_inspection(user, inspection):
    """Record findings (hazards, 三违) and exams at a bureau's inspection: the county's inspectors for the mines of
    their county (a city's inspection included: the county supervises what is found below it), and a city's
    regulators at the city's own inspections."""
    return can_supervise(user, inspection.mine) or is_own_higher_inspection(user, inspection)


def can_see_inspection_coverage(user):
    """检查覆盖 (the bureau's inspections mine by mine, 四不两直, 逢查必考 not done) is the bureau's own page."""
    return is_bureau_user(user)


def can_complete_retraining(user, mine=None):
    """A failed exam's off-duty retraining is recorded by the mine or its enterprise."""
    return is_unit_officer(user) and _at(user, mine)


def is_bureau_finding(record):
    """A hazard or 三违 the bureau found: recorded at one of its inspections, or by a bureau user.

    Its finding (what, where, when, how serious, by when) is the bureau's; the mine and its enterprise fill in the
    rectification. `record` has `inspection` and `created_by` (Hazard, Violation)."""
    from .models.inspection import BUREAU_MODES

    inspection = record.inspection
    if inspection is not None and (
        inspection.mode in BUREAU_MODES or (inspection.created_by is not None and inspection.created_by.is_bureau_user)
    ):
        return True
    return record.created_by is not None and record.created_by.is_bureau_user


def can_edit_finding(user, record):
    """Who may change the bureau's part of a record: anyone on the mine's own findings, only an inspector of the
    bureau on a bureau finding."""
    return not is_bureau_finding(record) or can_supervise(user, record.mine)


#: the bureau's fields a mine may fill in when the bureau left them empty: a due date the inspector did not set is
#: the rectification's to plan. Who found it, when and on which shift stay the bureau's, set or not.
FILLABLE_WHEN_BLANK = ("due_on",)


def bureau_fields_changed(record, fields, bureau_fields):
    """The labels of the bureau's fields that `fields` (name → new value) would change on `record`."""
    labels = []
    for name in bureau_fields:
        if name not in fields:
            continue
        current, new = getattr(record, name), fields[name]
        if current == new or (new in (None, "") and current in (None, "")):
            continue
        if current in (None, "") and name in FILLABLE_WHEN_BLANK:
            continue
        labels.append(str(record._meta.get_field(name).verbose_name))
    return labels


def is_bureau_inspection(inspection):
    from .models.inspection import BUREAU_MODES

    return inspection.mode in BUREAU_MODES or (
        inspection.created_by is not None and inspection.created_by.is_bureau_user
    )


def check_finding_inspection(inspection, mine, actor):
    """A finding recorded at an inspection belongs to the inspected mine, never to another; and only the bureau
    records findings at its own inspections (a mine's record there would read as found by the bureau)."""
    from core.errors import DomainError, NotPermitted

    if inspection is None:
        return
    if inspection.mine_id != mine.pk:
        raise DomainError("该检查不是对本煤矿的检查，不能把其他煤矿的问题登记到这次检查中。", field="inspection")
    if is_bureau_inspection(inspection) and not can_write_at_inspection(actor, inspection):
        if inspection.higher_bureau_id:
            raise NotPermitted("上级部门检查发现的问题只能由该部门的监管人员或县局执法人员登记到该次检查中。")
        raise NotPermitted("县局检查发现的问题只能由县局执法人员登记到该次检查中。")


BUREAU_LABEL_REFUSED = "“县局检查”只能由县局执法人员登记；本矿、主体企业自查发现的请选择相应的排查类型。"


def check_bureau_label(actor, mine, *, label_is_bureau, current_is_bureau=False):
    """Only the bureau labels a record as found by the bureau (隐患来源“县局执法检查”、“三违”查处“县局检查查处”):
    a mine's own record so labelled would count as the bureau's finding. A label already there stays as it is."""
    from core.errors import NotPermitted

    if label_is_bureau and not current_is_bureau and not can_supervise(actor, mine):
        raise NotPermitted(BUREAU_LABEL_REFUSED)


def can_submit_leader_review(user, hazard=None):
    """主要负责人检查 (四(四)3) is the enterprise's to send: an officer of the mine or of its enterprise submits it."""
    return is_unit_officer(user) and _at(user, None if hazard is None else hazard.mine)


def can_receive_leader_review(user, hazard=None):
    """The bureau (主管部门) receives it: its inspectors, for the mines of their county."""
    return is_inspector(user) and _at(user, None if hazard is None else hazard.mine)


def can_view_suspected(user):
    """The list of 疑似重大隐患 is the bureau's (its inspectors, its leadership group read-only, the regulators above
    read-only per scoping): a finding is the bureau's question about a mine's ledger, not the mine's page."""
    return is_bureau_user(user)


def can_decide_suspected(user, finding=None):
    """Confirm or dismiss a 疑似重大隐患: the bureau's inspectors, for a hazard of their county (as re-grading a major
    hazard, can_supervise)."""
    return can_supervise(user, None if finding is None else finding.hazard.mine)
