"""Building 停产整顿 for tests: a major hazard registered (the mine is suspended), the order served, the hazard closed
with its 一案双查, an application, a decision."""

from django.utils import timezone

from enforcement import services
from enforcement.models import Suspension
from hazards.services import (
    hazard_accept,
    hazard_accountability_record,
    hazard_create,
    hazard_submit_for_acceptance,
)

TODAY = timezone.localdate()


def open_major(county, major_fields, *, mine=None, actor=None, **changes):
    mine = mine or county.mine1
    actor = actor or {county.mine1: county.mine1_officer, county.mine2: county.mine2_officer}.get(mine)
    return hazard_create(actor=actor, mine=mine, **{**major_fields, **changes})


def close_hazard(county, hazard, actor=None):
    """The mine asks for acceptance; the bureau records 一案双查 and closes it."""
    mine_officer = (
        actor or {county.mine1.pk: county.mine1_officer, county.mine2.pk: county.mine2_officer}[hazard.mine_id]
    )
    hazard_submit_for_acceptance(actor=mine_officer, hazard=hazard)
    if not hazard.accountability.exists():
        hazard_accountability_record(
            actor=county.inspector,
            hazard=hazard,
            enterprise_responsibility="矿长未落实隐患排查责任，通风副总工程师履职不到位。",
            supervision_responsibility="监管专员按计划开展检查，未发现失职。",
            outcome="对矿长罚款，通风副总工程师作出书面检查。",
        )
    return hazard_accept(actor=county.inspector, hazard=hazard)


def active_suspension(mine):
    return Suspension.objects.get(mine=mine, status="active")


def issue_order(officers, suspension, *, served_on=None):
    return services.suspension_issue_order(
        actor=officers[0],
        suspension=suspension,
        officers=officers,
        facts="经查，你矿1105掘进工作面串联通风。",
        basis="《中华人民共和国安全生产法》第六十五条",
        requirements="停止生产，撤出作业人员，整改完成后申请复产验收。",
        signer_name="张建国",
        served_on=served_on or TODAY,
    )


def apply(officer, suspension, text="五项隐患已全部整改，企业自查验收合格。", **kw):
    return services.resumption_apply(actor=officer, suspension=suspension, self_check=text, **kw)


def decide(officers, application, *, accepted, opinion=None):
    return services.resumption_decide(
        actor=officers[0],
        application=application,
        accepted=accepted,
        checked="验收组现场核查了通风系统和各项隐患整改情况。",
        opinion=opinion or ("同意复产。" if accepted else "局部通风机未实现双风机双电源，继续整改。"),
        officers=officers,
        signer_name="张建国",
        served_on=TODAY,
    )


def suspended_and_ordered(county, major_fields, officers, *, mine=None):
    """(hazard, suspension) with the order served."""
    hazard = open_major(county, major_fields, mine=mine)
    suspension = issue_order(officers, active_suspension(hazard.mine))
    return hazard, suspension
