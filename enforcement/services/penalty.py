"""Penalty cases (行政处罚): one service per step, each in one transaction, with the row lock, the permission check,
the state guard (a step taken out of order is refused with 409) and an event.

立案 (`penalty_case_open`) → 调查取证 (`…_investigate`) → 告知 (`…_notify`: the 行政处罚告知书 drafted, issued and
served through the document services) → 陈述申辩/听证 (`…_record_statement`) → 决定 (`…_decide`: the
行政处罚决定书, never heavier than what was notified) → 执行 (`…_execute`, payments with `…_record_payment`) →
结案 (`…_close`). Evidence is attached at any stage before 结案 (`…_attach`).

The bureau keeps its list of provisions (`legal_provision_save`, `legal_provisions_load`) and its figures
(`penalty_rules_save`)."""

import datetime as dt
import json
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from core.concurrency import check_row_version
from core.errors import DomainError, InvalidState, NotPermitted
from core.uploads import sniff_evidence
from core.validation import field_problems, raise_first

from ..models import (
    EDITABLE_STAGES,
    MAX_PENALTY_YUAN,
    PAYABLE_STAGES,
    STAGE_DATES,
    STAGE_ORDER,
    CaseSource,
    DocumentKind,
    EnforcementSettings,
    EvidenceKind,
    ExecutionKind,
    LegalProvision,
    PartyKind,
    PenaltyCase,
    PenaltyCaseSeries,
    PenaltyEvent,
    PenaltyEvidence,
    PenaltyParty,
    PenaltyRules,
    PenaltyStage,
    StatementKind,
    rules_for,
)
from ..permissions import can_handle_penalty, can_keep_provisions
from .documents import document_draft, document_issue, document_record_receipt

NOT_ALLOWED = "只有县局执法人员可以办理行政处罚案件。"
NOT_KEEPER = "只有县局执法人员可以维护处罚依据和处罚参数。"
PROVISIONS_FILE = Path(__file__).resolve().parent.parent / "data" / "legal-provisions.json"

#: the action each stage's step is called in messages
STEP_NAMES = {
    PenaltyStage.INVESTIGATING: "开始调查取证",
    PenaltyStage.NOTIFIED: "送达行政处罚告知书",
    PenaltyStage.HEARING: "登记陈述申辩/听证情况",
    PenaltyStage.DECIDED: "作出处罚决定",
    PenaltyStage.EXECUTING: "登记执行情况",
    PenaltyStage.CLOSED: "结案",
}


# ---------------------------------------------------------------- helpers


def _check_fields(instance):
    """The bounds of every field (core.bounds: dates, amounts, lengths) as the DomainError of the first broken one."""
    names = [f.name for f in instance._meta.concrete_fields if not f.is_relation and not f.primary_key]
    raise_first(field_problems(instance, names))


def _event(case, *, actor, action, note=""):
    PenaltyEvent.objects.create(case=case, actor=actor, action=action, stage=case.stage, note=note)


def _locked(case):
    return PenaltyCase.objects.select_for_update().select_related("mine", "bureau").get(pk=case.pk)


def _check_permitted(actor, mine):
    if not can_handle_penalty(actor, mine):
        raise NotPermitted(NOT_ALLOWED)


def _day(value, what, field):
    if not isinstance(value, dt.date):
        raise DomainError(f"请填写{what}。", field=field)
    if isinstance(value, dt.datetime):
        value = value.date()
    if value > timezone.localdate():
        raise DomainError(f"{what}不能晚于今天。", field=field)
    return value


def _stage_day(case, stage, value, what, field):
    """The date of the step into `stage`: a real date, not in the future, not before the date of the step before."""
    value = _day(value, what, field)
    before = getattr(case, STAGE_DATES[PenaltyStage(case.stage)])
    if before is not None and value < before:
        label = PenaltyStage(case.stage).label
        raise DomainError(f"{what}不能早于{label}日期（{before:%Y-%m-%d}）。", field=field)
    return value


def _advance_guard(case, to_stage):
    """Only the next stage: a step taken out of order is refused (409), with what must come first."""
    to_stage = PenaltyStage(to_stage)
    expected = STAGE_ORDER[STAGE_ORDER.index(to_stage) - 1]
    if case.stage == expected:
        return
    current = PenaltyStage(case.stage)
    if STAGE_ORDER.index(current) >= STAGE_ORDER.index(to_stage):
        raise InvalidState(f"案件已处于“{current.label}”阶段，不能再{STEP_NAMES[to_stage]}。")
    raise InvalidState(f"案件处于“{current.label}”阶段，须先完成“{expected.label}”，才能{STEP_NAMES[to_stage]}。")


def _amount(value, what, field="parties"):
    if value in (None, ""):
        return Decimal("0")
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation as exc:
        raise DomainError(f"{what}不是有效的金额。", field=field) from exc
    if not amount.is_finite() or amount < 0:
        raise DomainError(f"{what}不能为负数。", field=field)
    if amount > MAX_PENALTY_YUAN:
        raise DomainError(f"{what}不能超过 {MAX_PENALTY_YUAN:,} 元。", field=field)
    if amount != amount.quantize(Decimal("0.01")):
        raise DomainError(f"{what}最多精确到分。", field=field)
    return amount.quantize(Decimal("0.01"))


def _check_within_provision(party_kind, name, amount, provision):
    """Never above what the provision allows (a mitigated fine may be below its minimum, 行政处罚法 第三十二条;
    above the maximum it is not a fine the law provides)."""
    if provision is None or amount is None:
        return
    ceiling = provision.max_for(party_kind)
    if ceiling is not None and amount > ceiling:
        raise DomainError(
            f"对{name}的罚款 {amount:,.2f} 元超过{provision.citation}规定的上限 {ceiling:,.2f} 元。", field="parties"
        )


def yuan(amount):
    """30000.00 → 30,000 元; 1234.5 → 1,234.50 元."""
    amount = Decimal(amount)
    return f"{amount:,.0f} 元" if amount == amount.to_integral() else f"{amount:,.2f} 元"


DIGITS = "零壹贰叁肆伍陆柒捌玖"
UNITS = ["", "拾", "佰", "仟"]
SECTIONS = ["", "万", "亿"]


def rmb_upper(amount):
    """人民币大写 as a decision writes it: 30000 → 叁万元整, 1234.5 → 壹仟贰佰叁拾肆元伍角."""
    amount = Decimal(amount).quantize(Decimal("0.01"))
    yuan_part, cents = divmod(int(amount * 100), 100)
    if yuan_part == 0 and cents == 0:
        return "零元整"
    text = ""
    if yuan_part:
        groups = []
        n = yuan_part
        while n:
            n, group = divmod(n, 10000)
            groups.append(group)
        parts = []
        zero_pending = False
        for index in range(len(groups) - 1, -1, -1):
            group = groups[index]
            if group == 0:
                zero_pending = bool(parts)
                continue
            chunk = ""
            digits = f"{group:04d}"
            started = bool(parts)
            for pos, ch in enumerate(digits):
                d = int(ch)
                if d == 0:
                    zero_pending = zero_pending or (started and any(int(c) for c in digits[pos:]))
                    continue
                if zero_pending:
                    chunk += "零"
                    zero_pending = False
                chunk += DIGITS[d] + UNITS[3 - pos]
                started = True
            parts.append(chunk + SECTIONS[index])
        text = "".join(parts) + "元"
    jiao, fen = divmod(cents, 10)
    if not cents:
        return text + "整"
    if jiao:
        text += ("零" if yuan_part and yuan_part % 10 == 0 else "") + DIGITS[jiao] + "角"
    if fen:
        text += ("零" if not jiao and yuan_part else "") + DIGITS[fen] + "分"
    return text


def authority_of(bureau):
    settings = EnforcementSettings.objects.filter(bureau_id=bureau.pk).first()
    return (settings.authority_name if settings else "") or bureau.name


def government_of(authority):
    """Where a county bureau's decision is appealed (行政复议法 2023: to the people's government of its level)."""
    for body in ("应急管理局", "应急局"):
        if authority.endswith(body):
            return f"{authority.removesuffix(body)}人民政府"
    return "本级人民政府"


# ---------------------------------------------------------------- the case number


def _next_case_number(bureau_id, year):
    PenaltyCaseSeries.objects.bulk_create(
        [PenaltyCaseSeries(bureau_id=bureau_id, year=year)], ignore_conflicts=True
    )  # the row exists before it is locked: two first cases of a year do not race
    series = PenaltyCaseSeries.objects.select_for_update().get(bureau_id=bureau_id, year=year)
    series.last_number += 1
    series.save(update_fields=["last_number"])
    return series.last_number


def case_number(bureau_id, year, serial):
    settings = EnforcementSettings.objects.filter(bureau_id=bureau_id).first()
    prefix = settings.number_prefix if settings else ""
    return f"{prefix}煤立〔{year}〕{serial}号"


# ---------------------------------------------------------------- sources, provisions, parties


def _check_source(*, mine, source, inspection, hazard, violation, review_document):
    """The record the case came from belongs to the mine; the kind of source names one. Returns the inspection the
    case's documents refer to (the source's own)."""
    source = CaseSource(source)
    for record, label in ((inspection, "检查"), (hazard, "隐患"), (violation, "“三违”"), (review_document, "文书")):
        if record is not None and record.mine_id != mine.pk:
            raise DomainError(f"所选{label}不属于{mine.name}。", field="source")
    needed = {
        CaseSource.INSPECTION: (inspection, "请选择发现违法行为的检查。"),
        CaseSource.HAZARD: (hazard, "请选择案件所涉的事故隐患。"),
        CaseSource.VIOLATION: (violation, "请选择案件所涉的“三违”行为。"),
        CaseSource.REVIEW: (review_document, "请选择复查不合格的整改复查意见书。"),
    }
    if source in needed and needed[source][0] is None:
        raise DomainError(needed[source][1], field="source")
    if review_document is not None:
        if review_document.kind != DocumentKind.REVIEW_OPINION or review_document.is_draft:
            raise DomainError("案件来源须为已签发的整改复查意见书。", field="source")
        if not review_document.items.filter(passed=False).exists():
            raise DomainError("该整改复查意见书的事项均已复查合格，不能据此立案。", field="source")
    for record in (hazard, violation, review_document):
        if inspection is None and record is not None and record.inspection_id:
            inspection = record.inspection
    return inspection


def _check_provisions(provisions, bureau_id):
    provisions = list(dict.fromkeys(provisions))
    for provision in provisions:
        if provision.bureau_id != bureau_id:
            raise DomainError("所选处罚依据不在本局的处罚依据清单中。", field="provisions")
        if not provision.active:
            raise DomainError(f"{provision.citation}已停用，请选择在用的处罚依据。", field="provisions")
    return provisions


def _clean_parties(parties, bureau_id):
    """`parties`: dicts with `kind`, `name`, `post`, `amount`, `provision` (a LegalProvision or None)."""
    cleaned = []
    for index, party in enumerate(parties, start=1):
        name = (party.get("name") or "").strip()
        if not name:
            raise DomainError(f"第 {index} 个当事人没有填写名称或姓名。", field="parties")
        try:
            kind = PartyKind(party.get("kind") or PartyKind.PERSON)
        except ValueError as exc:
            raise DomainError(f"{name}的当事人类别无效。", field="parties") from exc
        post = (party.get("post") or "").strip()
        if kind == PartyKind.PERSON and not post:
            raise DomainError(f"请填写{name}的职务（一案双查须写明责任人员的职务）。", field="parties")
        amount = _amount(party.get("amount"), f"对{name}的罚款金额")
        provision = party.get("provision")
        if provision is not None:
            _check_provisions([provision], bureau_id)
        _check_within_provision(kind, name, amount, provision)
        cleaned.append({"kind": kind, "name": name[:100], "post": post[:60], "amount": amount, "provision": provision})
    if not cleaned:
        raise DomainError("请至少列出一个当事人（煤矿企业或责任人员）。", field="parties")
    if sum(1 for p in cleaned if p["kind"] == PartyKind.UNIT) > 1:
        raise DomainError("一个案件只能有一个单位当事人；责任人员请按个人列出。", field="parties")
    names = [p["name"] for p in cleaned]
    if len(set(names)) != len(names):
        raise DomainError("当事人重复列出。", field="parties")
    # The unit first, then the persons, as a decision lists them.
    return sorted(cleaned, key=lambda p: p["kind"] != PartyKind.UNIT)


def _set_parties(case, parties):
    case.parties.all().delete()
    PenaltyParty.objects.bulk_create(
        PenaltyParty(
            case=case,
            kind=p["kind"],
            name=p["name"],
            post=p["post"],
            amount=p["amount"],
            provision=p["provision"],
            order=i,
        )
        for i, p in enumerate(parties)
    )
    # a party's basis is one of the case's
    extra = [p["provision"] for p in parties if p["provision"] is not None]
    if extra:
        case.provisions.add(*extra)


def _text(value, limit):
    return (value or "").strip()[:limit]


# ---------------------------------------------------------------- 立案


@transaction.atomic
def penalty_case_open(
    *,
    actor,
    mine,
    source,
    cause,
    facts,
    filed_on=None,
    inspection=None,
    hazard=None,
    violation=None,
    review_document=None,
    representative="",
    filing_opinion="",
    approver_name="",
    provisions=(),
    parties=(),
):
    """立案: a new case of the mine, numbered in the bureau's series of the year."""
    _check_permitted(actor, mine)
    try:
        source = CaseSource(source)
    except ValueError as exc:
        raise DomainError("请选择案件来源。", field="source") from exc
    inspection = _check_source(
        mine=mine,
        source=source,
        inspection=inspection,
        hazard=hazard,
        violation=violation,
        review_document=review_document,
    )
    cause, facts = _text(cause, 200), (facts or "").strip()
    if not cause:
        raise DomainError("请填写案由。", field="cause")
    if not facts:
        raise DomainError("请填写违法事实。", field="facts")
    filed_on = _day(filed_on or timezone.localdate(), "立案日期", "filed_on")
    if inspection is not None and filed_on < inspection.inspected_on:
        raise DomainError("立案日期不能早于检查日期。", field="filed_on")
    provisions = _check_provisions(provisions, mine.bureau_id)
    cleaned = _clean_parties(parties, mine.bureau_id)
    serial = _next_case_number(mine.bureau_id, filed_on.year)
    case = PenaltyCase(
        bureau_id=mine.bureau_id,
        mine=mine,
        year=filed_on.year,
        serial=serial,
        number=case_number(mine.bureau_id, filed_on.year, serial),
        cause=cause,
        source=source,
        inspection=inspection,
        hazard=hazard,
        violation=violation,
        review_document=review_document,
        facts=facts,
        representative=_text(representative, 40),
        filed_on=filed_on,
        filing_opinion=(filing_opinion or "").strip(),
        approver_name=_text(approver_name, 40),
        created_by=actor,
    )
    _check_fields(case)
    case.save()
    case.provisions.set(provisions)
    _set_parties(case, cleaned)
    _event(case, actor=actor, action="立案", note=case.number)
    return case


@transaction.atomic
def penalty_case_update(
    *,
    actor,
    case,
    row_version=None,
    cause=None,
    facts=None,
    representative=None,
    filing_opinion=None,
    approver_name=None,
    provisions=None,
    parties=None,
):
    """Before the notice is served the case's facts, bases and parties may change; after, they are what was served."""
    case = _locked(case)
    _check_permitted(actor, case.mine)
    check_row_version(case, row_version)
    if case.stage not in EDITABLE_STAGES:
        raise InvalidState("行政处罚告知书已送达，案件事实、依据和当事人不能再修改。")
    if cause is not None:
        case.cause = _text(cause, 200)
        if not case.cause:
            raise DomainError("请填写案由。", field="cause")
    if facts is not None:
        case.facts = facts.strip()
        if not case.facts:
            raise DomainError("请填写违法事实。", field="facts")
    if representative is not None:
        case.representative = _text(representative, 40)
    if filing_opinion is not None:
        case.filing_opinion = filing_opinion.strip()
    if approver_name is not None:
        case.approver_name = _text(approver_name, 40)
    _check_fields(case)
    case.save()
    if provisions is not None:
        case.provisions.set(_check_provisions(provisions, case.bureau_id))
    if parties is not None:
        _set_parties(case, _clean_parties(parties, case.bureau_id))
    _event(case, actor=actor, action="修改案件")
    return case


# ---------------------------------------------------------------- 调查取证


@transaction.atomic
def penalty_case_investigate(*, actor, case, started_on=None, row_version=None):
    case = _locked(case)
    _check_permitted(actor, case.mine)
    check_row_version(case, row_version)
    _advance_guard(case, PenaltyStage.INVESTIGATING)
    case.investigation_started_on = _stage_day(
        case, PenaltyStage.INVESTIGATING, started_on or timezone.localdate(), "调查取证日期", "started_on"
    )
    case.stage = PenaltyStage.INVESTIGATING
    case.save()
    _event(case, actor=actor, action="开始调查取证")
    return case


# ---------------------------------------------------------------- 告知


def hearing_parties(parties, rules):
    """The parties whose fine is a 较大数额罚款 (at or above the threshold: 以上 includes the figure)."""
    return [p for p in parties if p.amount >= rules.hearing_threshold(p.kind)]


def _party_rows(parties, *, decided=False):
    rows = []
    for party in parties:
        amount = party.decided_amount if decided else party.amount
        rows.append(
            {
                "kind": party.kind,
                "kind_label": PartyKind(party.kind).label,
                "name": party.name,
                "post": party.post,
                "amount": f"{amount:.2f}",
                "amount_text": yuan(amount),
                "amount_upper": rmb_upper(amount),
                "basis": party.provision.citation if party.provision_id else "",
            }
        )
    return rows


def _addressee(parties):
    unit = next((p for p in parties if p.kind == PartyKind.UNIT), None)
    return (unit or parties[0]).name


def notice_content(case, parties, provisions, rules, *, statement_due, hearing_due, served_on):
    authority = authority_of(case.bureau)
    heard = hearing_parties(parties, rules)
    total = sum((p.amount for p in parties), Decimal("0"))
    rights = [
        "根据《中华人民共和国行政处罚法》第四十四条、第四十五条的规定，当事人有权进行陈述和申辩。"
        f"如需陈述和申辩，请于收到本告知书之日起{rules.statement_days}个工作日内"
        f"（{statement_due.year}年{statement_due.month}月{statement_due.day}日前）向本机关提出，"
        "逾期未提出的，视为放弃此权利。"
    ]
    if hearing_due is not None:
        names = "、".join(p.name for p in heard)
        rights.append(
            f"对{names}拟作出的罚款属较大数额罚款。根据《中华人民共和国行政处罚法》第六十三条、第六十四条的规定，"
            f"当事人有权要求听证。如要求听证，请于收到本告知书之日起{rules.hearing_request_days}个工作日内"
            f"（{hearing_due.year}年{hearing_due.month}月{hearing_due.day}日前）向本机关提出，"
            "逾期未提出的，视为放弃此权利。"
        )
    return {
        "case_number": case.number,
        "cause": case.cause,
        "authority": authority,
        "addressee": _addressee(parties),
        "representative": case.representative,
        "address": case.mine.address,
        "facts": case.facts,
        "provisions": [p.snapshot() for p in provisions],
        "parties": _party_rows(parties),
        "total": f"{total:.2f}",
        "served_on": served_on.isoformat(),
        "statement_due_on": statement_due.isoformat(),
        "hearing_due_on": hearing_due.isoformat() if hearing_due else None,
        "hearing_parties": [p.name for p in heard],
        "rights": rights,
        "contact_phone": case.bureau.contact_phone,
    }


@transaction.atomic
def penalty_case_notify(
    *, actor, case, officers, served_on, signer_name, issued_on=None, receipt_scan=None, row_version=None
):
    """告知: the 行政处罚告知书 with the facts, the provisions, each party's amount and the rights (陈述申辩, and 听证
    where an amount reaches the threshold), issued by two officers and served (the signer, the day, the scan). The
    陈述申辩 and 听证 periods run from the day it was served."""
    case = _locked(case)
    _check_permitted(actor, case.mine)
    check_row_version(case, row_version)
    _advance_guard(case, PenaltyStage.NOTIFIED)
    served_on = _stage_day(case, PenaltyStage.NOTIFIED, served_on, "告知书送达日期", "served_on")
    issued_on = _day(issued_on or served_on, "告知书签发日期", "issued_on")
    if issued_on > served_on:
        raise DomainError("告知书的签发日期不能晚于送达日期。", field="issued_on")
    if issued_on < case.investigation_started_on:
        raise DomainError("告知书的签发日期不能早于调查取证日期。", field="issued_on")
    parties = list(case.parties.select_related("provision"))
    provisions = list(case.provisions.all())
    if not case.facts.strip():
        raise DomainError("请先写明违法事实。", field="facts")
    if not provisions:
        raise DomainError("请先选择处罚依据。", field="provisions")
    if not parties:
        raise DomainError("请先列出当事人。", field="parties")
    for party in parties:
        if party.amount <= 0:
            raise DomainError(f"请先填写对{party.name}的拟罚款金额。", field="parties")
        _check_within_provision(party.kind, party.name, party.amount, party.provision)
    rules = rules_for(case.bureau_id)
    statement_due = rules.statement_due(served_on)
    hearing_due = rules.hearing_due(served_on) if hearing_parties(parties, rules) else None
    content = notice_content(
        case, parties, provisions, rules, statement_due=statement_due, hearing_due=hearing_due, served_on=served_on
    )
    document = _issue_and_serve(
        case,
        kind=DocumentKind.PENALTY_NOTICE,
        actor=actor,
        officers=officers,
        content=content,
        deadline=statement_due,
        issued_on=issued_on,
        signer_name=signer_name,
        served_on=served_on,
        receipt_scan=receipt_scan,
    )
    case.notice = document
    case.notified_on = served_on
    case.statement_due_on = statement_due
    case.hearing_due_on = hearing_due
    case.stage = PenaltyStage.NOTIFIED
    case.save()
    _event(case, actor=actor, action="送达行政处罚告知书", note=document.number)
    return case


def _issue_and_serve(
    case, *, kind, actor, officers, content, deadline, issued_on, signer_name, served_on, receipt_scan
):
    """A document of the case drafted, issued and served in the step's transaction, through the document services
    (its number is given there, like every other document's)."""
    document = document_draft(
        actor=actor,
        kind=kind,
        mine=case.mine,
        inspection=case.inspection,
        officers=officers,
        content=content,
        deadline=deadline,
    )
    document = document_issue(actor=actor, document=document, issued_on=issued_on)
    return document_record_receipt(
        actor=actor, document=document, signer_name=signer_name, received_on=served_on, scan=receipt_scan
    )


# ---------------------------------------------------------------- 陈述申辩/听证


@transaction.atomic
def penalty_case_record_statement(*, actor, case, kind, made_on, text="", review_opinion="", row_version=None):
    """陈述申辩/听证: what the parties said and the officers' review of it; or that they waived it in writing; or,
    once every period ended, that they said nothing."""
    case = _locked(case)
    _check_permitted(actor, case.mine)
    check_row_version(case, row_version)
    _advance_guard(case, PenaltyStage.HEARING)
    try:
        kind = StatementKind(kind)
    except ValueError as exc:
        raise DomainError("请选择陈述申辩情况。", field="kind") from exc
    made_on = _stage_day(case, PenaltyStage.HEARING, made_on, "陈述申辩/听证日期", "made_on")
    text, review_opinion = (text or "").strip(), (review_opinion or "").strip()
    if kind == StatementKind.STATEMENT and made_on > case.statement_due_on:
        due = case.statement_due_on
        raise DomainError(f"陈述申辩期限已于{due:%Y-%m-%d}届满，逾期提出的视为放弃。", field="made_on")
    if kind == StatementKind.HEARING and case.hearing_due_on is None:
        raise DomainError("本案拟罚款未达到较大数额，当事人没有要求听证的权利。", field="kind")
    if kind in (StatementKind.STATEMENT, StatementKind.HEARING):
        if not text:
            raise DomainError("请填写当事人的陈述申辩或听证意见。", field="text")
        if not review_opinion:
            raise DomainError("请填写对当事人意见的复核意见（采纳或不采纳及理由）。", field="review_opinion")
    if kind == StatementKind.NONE:
        last = max(d for d in (case.statement_due_on, case.hearing_due_on) if d is not None)
        if made_on <= last:
            raise InvalidState(f"当事人陈述申辩、申请听证的期限至{last:%Y-%m-%d}，期限届满后才能按逾期未提出登记。")
    case.statement_kind, case.statement_on = kind, made_on
    case.statement_text, case.review_opinion = text, review_opinion
    case.stage = PenaltyStage.HEARING
    _check_fields(case)
    case.save()
    _event(case, actor=actor, action="登记陈述申辩/听证", note=kind.label)
    return case


# ---------------------------------------------------------------- 决定


def statement_sentence(case):
    """What the decision says of the parties' 陈述申辩 and the review of it."""
    kind = StatementKind(case.statement_kind) if case.statement_kind else None
    day = case.statement_on
    when = f"{day.year}年{day.month}月{day.day}日" if day else ""
    if kind == StatementKind.STATEMENT:
        return f"当事人于{when}提出陈述申辩：{case.statement_text.rstrip('。')}。经复核，{case.review_opinion}"
    if kind == StatementKind.HEARING:
        said = case.statement_text.rstrip("。")
        return f"本机关于{when}依当事人申请举行听证。听证中当事人提出：{said}。经复核，{case.review_opinion}"
    if kind == StatementKind.WAIVED:
        return f"当事人于{when}书面表示放弃陈述申辩和听证的权利。"
    return "当事人在规定期限内未提出陈述申辩，也未要求听证。"


def decision_content(case, parties, provisions, rules, *, payment_due, served_on):
    authority = authority_of(case.bureau)
    total = sum((p.decided_amount for p in parties), Decimal("0"))
    rights = [
        f"请在收到本决定书之日起{rules.payment_days}日内（{payment_due.year}年{payment_due.month}月{payment_due.day}日前）"
        "到指定银行或者通过电子支付系统缴纳罚款。到期不缴纳罚款的，本机关将依据《中华人民共和国行政处罚法》"
        "第七十二条第一款第一项的规定，每日按罚款数额的百分之三加处罚款，加处罚款的数额不超出罚款的数额。",
        f"如不服本决定，可以在收到本决定书之日起六十日内依法向{government_of(authority)}申请行政复议，"
        "或者在六个月内依法向人民法院提起行政诉讼，但本决定不停止执行，法律另有规定的除外。",
    ]
    return {
        "case_number": case.number,
        "cause": case.cause,
        "authority": authority,
        "addressee": _addressee(parties),
        "representative": case.representative,
        "address": case.mine.address,
        "facts": case.facts,
        "notice_number": case.notice.number if case.notice_id else "",
        "notice_served_on": case.notified_on.isoformat() if case.notified_on else "",
        "statement": statement_sentence(case),
        "provisions": [p.snapshot() for p in provisions],
        "parties": _party_rows(parties, decided=True),
        "total": f"{total:.2f}",
        "served_on": served_on.isoformat(),
        "payment_due_on": payment_due.isoformat(),
        "rights": rights,
    }


def _decided_amounts(parties, amounts):
    """`amounts`: {party id: amount}; every party is named, none is heavier than notified."""
    decided = {}
    for party in parties:
        if party.pk not in amounts:
            raise DomainError(f"请填写对{party.name}的决定罚款金额。", field="amounts")
        amount = _amount(amounts[party.pk], f"对{party.name}的罚款金额", field="amounts")
        if amount > party.amount:
            raise DomainError(
                f"对{party.name}的罚款不能高于告知的 {yuan(party.amount)}：行政机关不得因当事人陈述、申辩而给予"
                "更重的处罚（行政处罚法第四十五条）。",
                field="amounts",
            )
        decided[party.pk] = amount
    unknown = set(amounts) - {p.pk for p in parties}
    if unknown:
        raise DomainError("所列当事人不属于本案。", field="amounts")
    if not any(decided.values()):
        raise DomainError("处罚决定的罚款合计不能为零；决定不予处罚的，请在结案报告中说明。", field="amounts")
    return decided


@transaction.atomic
def penalty_case_decide(
    *, actor, case, amounts, officers, served_on, signer_name, issued_on=None, receipt_scan=None, row_version=None
):
    """决定: each party's fine (at most what was notified), in the 行政处罚决定书 issued by two officers and served;
    the fines are due `payment_days` after the day it was served."""
    case = _locked(case)
    _check_permitted(actor, case.mine)
    check_row_version(case, row_version)
    _advance_guard(case, PenaltyStage.DECIDED)
    served_on = _stage_day(case, PenaltyStage.DECIDED, served_on, "决定书送达日期", "served_on")
    issued_on = _day(issued_on or served_on, "决定书签发日期", "issued_on")
    if issued_on > served_on:
        raise DomainError("决定书的签发日期不能晚于送达日期。", field="issued_on")
    if issued_on < case.statement_on:
        raise DomainError("决定书的签发日期不能早于陈述申辩/听证日期。", field="issued_on")
    parties = list(case.parties.select_related("provision"))
    decided = _decided_amounts(parties, amounts)
    for party in parties:
        party.decided_amount = decided[party.pk]
    PenaltyParty.objects.bulk_update(parties, ["decided_amount"])
    rules = rules_for(case.bureau_id)
    payment_due = rules.payment_due(served_on)
    content = decision_content(
        case, parties, list(case.provisions.all()), rules, payment_due=payment_due, served_on=served_on
    )
    document = _issue_and_serve(
        case,
        kind=DocumentKind.PENALTY_DECISION,
        actor=actor,
        officers=officers,
        content=content,
        deadline=payment_due,
        issued_on=issued_on,
        signer_name=signer_name,
        served_on=served_on,
        receipt_scan=receipt_scan,
    )
    case.decision = document
    case.decided_on = served_on
    case.payment_due_on = payment_due
    case.stage = PenaltyStage.DECIDED
    case.save()
    _event(case, actor=actor, action="送达行政处罚决定书", note=document.number)
    return case


# ---------------------------------------------------------------- 执行


def unpaid_parties(case):
    return [p for p in case.parties.all() if p.must_pay and not p.is_paid]


@transaction.atomic
def penalty_case_record_payment(*, actor, case, party, paid_on, receipt=None, row_version=None):
    """A party paid its fine (缴纳日期, and the bank's receipt as evidence of the file)."""
    case = _locked(case)
    _check_permitted(actor, case.mine)
    check_row_version(case, row_version)
    if case.stage not in PAYABLE_STAGES:
        state = "已结案" if case.stage == PenaltyStage.CLOSED else "尚未作出处罚决定"
        raise InvalidState(f"案件{state}，不能登记罚款缴纳。")
    party = PenaltyParty.objects.select_for_update().filter(case=case, pk=getattr(party, "pk", party)).first()
    if party is None:
        raise DomainError("所选当事人不属于本案。", field="party")
    if not party.must_pay:
        raise DomainError(f"处罚决定未对{party.name}处以罚款。", field="party")
    if party.is_paid:
        raise InvalidState(f"{party.name}的罚款已于{party.paid_on:%Y-%m-%d}缴纳。")
    paid_on = _day(paid_on, "缴纳日期", "paid_on")
    if paid_on < case.decided_on:
        raise DomainError("缴纳日期不能早于决定书送达日期。", field="paid_on")
    party.paid_on = paid_on
    party.save(update_fields=["paid_on"])
    if receipt is not None:
        _attach(case, actor, receipt, kind=EvidenceKind.PAYMENT, title=f"{party.name}罚款缴纳凭证", dated=paid_on)
    case.save()  # the case changed: a page showing it before is stale
    _event(case, actor=actor, action="登记罚款缴纳", note=f"{party.name} {yuan(party.owed)} {paid_on:%Y-%m-%d}")
    return case


@transaction.atomic
def penalty_case_execute(*, actor, case, executed_on, kind, note="", row_version=None):
    """执行: how the decision was carried out — paid by the parties, paid in instalments or later with approval, or
    handed to the court after the period to pay ran out."""
    case = _locked(case)
    _check_permitted(actor, case.mine)
    check_row_version(case, row_version)
    _advance_guard(case, PenaltyStage.EXECUTING)
    try:
        kind = ExecutionKind(kind)
    except ValueError as exc:
        raise DomainError("请选择执行方式。", field="kind") from exc
    executed_on = _stage_day(case, PenaltyStage.EXECUTING, executed_on, "执行日期", "executed_on")
    note = (note or "").strip()
    unpaid = unpaid_parties(case)
    if kind == ExecutionKind.PAID and unpaid:
        names = "、".join(p.name for p in unpaid)
        raise InvalidState(f"尚有当事人未缴纳罚款：{names}。请先登记缴纳，或选择其他执行方式。")
    if kind == ExecutionKind.COURT:
        if executed_on <= case.payment_due_on:
            raise InvalidState(f"缴纳罚款的期限至{case.payment_due_on:%Y-%m-%d}，期限届满后才能申请强制执行。")
        if not note:
            raise DomainError("请写明申请人民法院强制执行的情况（受理法院、日期）。", field="note")
    if kind == ExecutionKind.DEFERRED and not note:
        raise DomainError("请写明当事人的申请和本机关批准暂缓或分期缴纳的情况。", field="note")
    case.executed_on, case.execution_kind, case.execution_note = executed_on, kind, note
    case.stage = PenaltyStage.EXECUTING
    _check_fields(case)
    case.save()
    _event(case, actor=actor, action="登记执行情况", note=kind.label)
    return case


# ---------------------------------------------------------------- 结案


@transaction.atomic
def penalty_case_close(*, actor, case, closed_on, summary, row_version=None):
    """结案: with its report; every fine paid, unless the court took over its execution."""
    case = _locked(case)
    _check_permitted(actor, case.mine)
    check_row_version(case, row_version)
    _advance_guard(case, PenaltyStage.CLOSED)
    closed_on = _stage_day(case, PenaltyStage.CLOSED, closed_on, "结案日期", "closed_on")
    summary = (summary or "").strip()
    if not summary:
        raise DomainError("请填写结案报告。", field="summary")
    unpaid = unpaid_parties(case)
    if unpaid and case.execution_kind != ExecutionKind.COURT:
        names = "、".join(p.name for p in unpaid)
        raise InvalidState(f"{names}的罚款尚未缴清，不能结案。")
    case.closed_on, case.closing_summary = closed_on, summary
    case.stage = PenaltyStage.CLOSED
    _check_fields(case)
    case.save()
    _event(case, actor=actor, action="结案")
    return case


# ---------------------------------------------------------------- evidence


def _attach(case, actor, upload, *, kind, title, dated, number="", pages=1):
    content_type = sniff_evidence(upload)
    evidence = PenaltyEvidence(
        case=case,
        stage=case.stage,
        kind=kind,
        title=_text(title, 100) or upload.name[:100],
        number=_text(number, 60),
        dated=dated,
        pages=pages or 1,
        original_name=upload.name[:200],
        content_type=content_type,
        size=upload.size,
        uploaded_by=actor,
    )
    _check_fields(evidence)
    evidence.file.save(upload.name, upload, save=False)
    evidence.save()
    return evidence


@transaction.atomic
def penalty_case_attach(*, actor, case, upload, kind, title, dated, number="", pages=1):
    """A file of the case: evidence gathered, a signed paper, a receipt. The file is closed with the case."""
    case = _locked(case)
    _check_permitted(actor, case.mine)
    if case.stage == PenaltyStage.CLOSED:
        raise InvalidState("案件已结案，案卷不能再添加材料。")
    try:
        kind = EvidenceKind(kind)
    except ValueError as exc:
        raise DomainError("请选择材料类别。", field="kind") from exc
    if not (title or "").strip():
        raise DomainError("请填写文件名称。", field="title")
    dated = _day(dated, "材料日期", "dated")
    evidence = _attach(case, actor, upload, kind=kind, title=title, dated=dated, number=number, pages=pages)
    _event(case, actor=actor, action="上传证据材料", note=evidence.title)
    return evidence


# ---------------------------------------------------------------- the bureau's provisions and parameters


def _keeper_bureau(actor):
    if not can_keep_provisions(actor) or actor.organization_id is None:
        raise NotPermitted(NOT_KEEPER)
    return actor.organization.bureau_id


PROVISION_FIELDS = ("law", "article", "violation", "summary", "penalty_range", "unit_max", "person_max")


@transaction.atomic
def legal_provision_save(*, actor, provision=None, checked=False, active=True, order=0, **fields):
    """A provision of the bureau's list, new (`provision` None) or corrected."""
    bureau_id = _keeper_bureau(actor)
    if provision is None:
        provision = LegalProvision(bureau_id=bureau_id)
    else:
        provision = LegalProvision.objects.select_for_update().get(pk=provision.pk)
        if provision.bureau_id != bureau_id:
            raise NotPermitted(NOT_KEEPER)
    for name in PROVISION_FIELDS:
        if name in fields:
            value = fields[name]
            setattr(provision, name, value.strip() if isinstance(value, str) else value)
    provision.checked, provision.active, provision.order = bool(checked), bool(active), order or 0
    required = (("law", "法律法规名称"), ("article", "条款"), ("violation", "违法行为"), ("summary", "条文摘要"))
    for name, label in required:
        if not getattr(provision, name):
            raise DomainError(f"请填写{label}。", field=name)
    duplicate = LegalProvision.objects.filter(bureau_id=bureau_id, law=provision.law, article=provision.article)
    if duplicate.exclude(pk=provision.pk).exists():
        raise DomainError(f"清单中已有{provision.citation}。", field="article")
    _check_fields(provision)
    provision.save()
    return provision


def default_provisions():
    return json.loads(PROVISIONS_FILE.read_text(encoding="utf-8"))["provisions"]


@transaction.atomic
def legal_provisions_load(*, actor):
    """The common provisions (enforcement/data/legal-provisions.json) added to the bureau's list where missing,
    marked 未核对: the bureau checks each against the law in force before citing it. Returns how many were added."""
    bureau_id = _keeper_bureau(actor)
    have = set(LegalProvision.objects.filter(bureau_id=bureau_id).values_list("law", "article"))
    added = []
    for order, item in enumerate(default_provisions(), start=1):
        if (item["law"], item["article"]) in have:
            continue
        added.append(
            LegalProvision(
                bureau_id=bureau_id,
                law=item["law"],
                article=item["article"],
                violation=item["violation"],
                summary=item["summary"],
                penalty_range=item.get("penalty_range", ""),
                unit_max=Decimal(item["unit_max"]) if item.get("unit_max") else None,
                person_max=Decimal(item["person_max"]) if item.get("person_max") else None,
                checked=False,
                order=order * 10,
            )
        )
    LegalProvision.objects.bulk_create(added)
    return len(added)


RULE_FIELDS = (
    "statement_days",
    "hearing_request_days",
    "payment_days",
    "hearing_threshold_unit",
    "hearing_threshold_person",
    "holidays",
    "workdays",
)


@transaction.atomic
def penalty_rules_save(*, actor, **fields):
    """The bureau's figures: they apply to the periods computed from now on (a served notice keeps its dates)."""
    bureau_id = _keeper_bureau(actor)
    rules = PenaltyRules.objects.select_for_update().filter(bureau_id=bureau_id).first()
    rules = rules or PenaltyRules(bureau_id=bureau_id)
    for name in RULE_FIELDS:
        if name in fields:
            setattr(rules, name, fields[name])
    for name in ("holidays", "workdays"):
        for line in (getattr(rules, name) or "").replace("，", ",").replace(",", "\n").splitlines():
            line = line.strip()
            if not line:
                continue
            try:
                dt.date.fromisoformat(line)
            except ValueError as exc:
                label = PenaltyRules._meta.get_field(name).verbose_name
                raise DomainError(f"{label}中的“{line[:20]}”不是日期，请写成 2025-01-01。", field=name) from exc
    if not rules.statement_days or not rules.hearing_request_days or not rules.payment_days:
        raise DomainError("期限不能为零天。", field="statement_days")
    _check_fields(rules)
    rules.save()
    return rules
