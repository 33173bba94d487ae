"""Building penalty cases for tests: a bureau with its settings, two certified officers and its list of provisions, and
a case run up to any stage with dates counted from a start day."""

import datetime as dt
from decimal import Decimal

from accounts.models import Role
from enforcement import services
from enforcement.models import EnforcementSettings, LegalProvision, PenaltyStage
from tests.factories import UserFactory

UNIT_AMOUNT = Decimal("30000")
PERSON_AMOUNT = Decimal("20000")


def setup_bureau(bureau, inspector=None):
    """(officers, provisions by article): the bureau's settings, two inspectors holding certificates (the given one
    first), the common provisions loaded."""
    EnforcementSettings.objects.get_or_create(
        bureau=bureau, defaults={"number_prefix": "阳应急", "authority_name": bureau.name}
    )
    first = inspector or UserFactory(role=Role.INSPECTOR, organization=bureau)
    if not first.certificate_no:
        first.certificate_no = f"1405{first.pk:06d}"
        first.save(update_fields=["certificate_no"])
    second = UserFactory(role=Role.INSPECTOR, organization=bureau, certificate_no=f"1406{bureau.pk:06d}")
    services.legal_provisions_load(actor=first)
    provisions = {p.article: p for p in LegalProvision.objects.filter(bureau=bureau)}
    return [first, second], provisions


def open_case(
    officer, mine, provisions, *, filed_on, hazard=None, unit_amount=UNIT_AMOUNT, person_amount=PERSON_AMOUNT, marker=""
):
    basis_unit, basis_person = provisions["第一百零二条"], provisions["第九十四条"]
    return services.penalty_case_open(
        actor=officer,
        mine=mine,
        source="hazard" if hazard else "other",
        hazard=hazard,
        cause=f"{marker}涉嫌未采取措施消除事故隐患案",
        facts=f"{marker}经查，该矿3105回风巷瓦斯传感器吊挂位置不符合规定，责令整改后逾期仍未整改。",
        filed_on=filed_on,
        representative="张建国",
        filing_opinion="建议立案调查。",
        approver_name="陈永明",
        provisions=[basis_unit, basis_person],
        parties=[
            {"kind": "unit", "name": f"{mine.name}", "amount": unit_amount, "provision": basis_unit},
            {"kind": "person", "name": "张建国", "post": "矿长", "amount": person_amount, "provision": basis_person},
        ],
    )


STEPS = [
    PenaltyStage.INVESTIGATING,
    PenaltyStage.NOTIFIED,
    PenaltyStage.HEARING,
    PenaltyStage.DECIDED,
    PenaltyStage.EXECUTING,
    PenaltyStage.CLOSED,
]


#: the day of each step after the filing
OFFSETS = {
    PenaltyStage.INVESTIGATING: 1,
    PenaltyStage.NOTIFIED: 2,
    PenaltyStage.HEARING: 3,
    PenaltyStage.DECIDED: 4,
    PenaltyStage.EXECUTING: 4,
    PenaltyStage.CLOSED: 5,
}


def advance(case, officers, upto, *, start):
    """Run `case` (filed on `start`) up to stage `upto`: each step a day after the one before; the parties waive
    their statement in writing, the fines are decided as notified and paid."""
    actor = officers[0]
    for stage in STEPS[STEPS.index(case.stage) + 1 if case.stage in STEPS else 0 :]:
        if case.stage == upto:
            break
        day = start + dt.timedelta(days=OFFSETS[stage])
        if stage == PenaltyStage.INVESTIGATING:
            case = services.penalty_case_investigate(actor=actor, case=case, started_on=day)
        elif stage == PenaltyStage.NOTIFIED:
            case = services.penalty_case_notify(
                actor=actor, case=case, officers=officers, served_on=day, signer_name="李安全"
            )
        elif stage == PenaltyStage.HEARING:
            case = services.penalty_case_record_statement(actor=actor, case=case, kind="waived", made_on=day)
        elif stage == PenaltyStage.DECIDED:
            amounts = {p.pk: p.amount for p in case.parties.all()}
            case = services.penalty_case_decide(
                actor=actor, case=case, amounts=amounts, officers=officers, served_on=day, signer_name="李安全"
            )
        elif stage == PenaltyStage.EXECUTING:
            for party in case.parties.all():
                case = services.penalty_case_record_payment(actor=actor, case=case, party=party, paid_on=day)
            case = services.penalty_case_execute(actor=actor, case=case, executed_on=day, kind="paid")
        elif stage == PenaltyStage.CLOSED:
            case = services.penalty_case_close(
                actor=actor, case=case, closed_on=day, summary="罚款已全部缴纳，隐患已整改，建议结案。"
            )
    return case
