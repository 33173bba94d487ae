"""Drafting, issuing and serving enforcement documents.

A document is drafted from an inspection (or, for a 复查意见书 or 送达回执, from the document it follows), names its
officers and items, is issued — numbered in its series and dated — and is served: the mine's signer, the date of
receipt and a scan of the signed paper. Drafts may be edited and deleted; an issued document is a legal record and
only gains its receipt.
"""

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.permissions import is_regulator
from core import bounds
from core.concurrency import check_row_version
from core.errors import DomainError, InvalidState, NotPermitted
from core.uploads import sniff_evidence
from notifications.models import Level
from notifications.recipients import users_by_organization
from notifications.services import Notice, notify_many

from ..kinds import validate_content
from ..models import (
    DEFAULT_KIND_CODES,
    DEFAULT_NUMBER_PATTERN,
    NUMBER_PLACEHOLDERS,
    DocumentEvent,
    DocumentItem,
    DocumentKind,
    DocumentOfficer,
    DocumentStatus,
    EnforcementDocument,
    EnforcementSettings,
    NumberFormat,
    NumberSeries,
)
from ..permissions import (
    can_draft_from,
    can_issue,
    can_write_document,
    document_officers_q,
    issuing_bureau_id,
    may_be_officer,
)

NOT_ALLOWED = "只有县局执法人员可以制作、签发和送达执法文书。"
NOT_ALLOWED_HIGHER = "上级部门只能就本部门自己的检查制作、签发和送达执法文书；县局的检查和文书只能查看。"
NOT_YOURS = "该文书由其他部门制作，您只能查看，不能修改、签发或送达。"
MIN_OFFICERS = 2  # 执法人员不得少于两人（行政处罚法 第四十二条）
MAX_ITEMS = 100  # a paper document, read and signed on site; more is a mistake or an attack, not an inspection
NOTE_CHARS = DocumentItem._meta.get_field("note").max_length

#: kinds whose items each carry a rectification deadline
ITEMS_WITH_DEADLINES = (DocumentKind.RECTIFICATION_ORDER,)
#: kinds drafted as the follow-up of another document, and the kinds they may follow
FOLLOWS = {
    DocumentKind.REVIEW_OPINION: (DocumentKind.RECTIFICATION_ORDER,),
    DocumentKind.RESUMPTION_OPINION: (DocumentKind.SUSPENSION_ORDER,),
    DocumentKind.SERVICE_RECEIPT: tuple(k for k in DocumentKind if k != DocumentKind.SERVICE_RECEIPT),
}
#: kinds that may (not must) follow another document: the next step after a review in which an item failed
MAY_FOLLOW = {
    DocumentKind.RECTIFICATION_ORDER: (DocumentKind.REVIEW_OPINION,),
    DocumentKind.ON_SITE_MEASURES: (DocumentKind.REVIEW_OPINION,),
}


def _event(document, *, actor, action, note=""):
    DocumentEvent.objects.create(document=document, actor=actor, action=action, note=note)


def _locked(document):
    return EnforcementDocument.objects.select_for_update().select_related("mine").get(pk=document.pk)


def _check_officers(officers, bureau_id):
    """`officers`: users, in the order they are named on the document."""
    seen = []
    for user in officers:
        if user in seen:
            raise DomainError("同一名执法人员不能重复列出。", field="officers")
        if not may_be_officer(user, bureau_id):
            name = getattr(user, "display_name", str(user))
            raise DomainError(
                f"{name} 不是本局在岗的执法人员，或未登记执法证号，不能作为文书的执法人员。", field="officers"
            )
        seen.append(user)
    return seen


def _set_officers(document, officers):
    document.officers.all().delete()
    DocumentOfficer.objects.bulk_create(
        DocumentOfficer(
            document=document, user=user, name=user.display_name, certificate_no=user.certificate_no.strip(), order=i
        )
        for i, user in enumerate(officers)
    )


def _set_items(document, items):
    """`items`: dicts with `text` and optionally `hazard`, `due_on`, `passed`, `note`."""
    items = list(items)
    if len(items) > MAX_ITEMS:
        raise DomainError(f"一份文书最多列 {MAX_ITEMS} 项，请分为几份文书。", field="items")
    document.items.all().delete()
    rows = []
    for i, item in enumerate(items, start=1):
        text = (item.get("text") or "").strip()
        hazard = item.get("hazard")
        if not text and hazard is not None:
            text = hazard.description
        if not text:
            raise DomainError(f"第 {i} 项没有填写内容。", field="items")
        if len(text) > bounds.LONG_TEXT_CHARS:  # bulk_create runs no field validators
            raise DomainError(f"第 {i} 项的内容不能超过 {bounds.LONG_TEXT_CHARS:,} 字。", field="items")
        if len((item.get("note") or "").strip()) > NOTE_CHARS:
            raise DomainError(f"第 {i} 项的说明不能超过 {NOTE_CHARS} 字。", field="items")
        if hazard is not None and hazard.mine_id != document.mine_id:
            raise DomainError(f"第 {i} 项的隐患不属于{document.mine.name}。", field="items")
        due_on = item.get("due_on")
        if document.kind in ITEMS_WITH_DEADLINES:
            if due_on is None:
                raise DomainError(f"第 {i} 项没有整改期限。", field="items")
            if document.inspection is not None and due_on < document.inspection.inspected_on:
                raise DomainError(f"第 {i} 项的整改期限早于检查日期。", field="items")
        rows.append(
            DocumentItem(
                document=document,
                order=i,
                hazard=hazard,
                text=text,
                due_on=due_on,
                passed=item.get("passed"),
                note=(item.get("note") or "").strip(),
            )
        )
    DocumentItem.objects.bulk_create(rows)
    if document.kind in ITEMS_WITH_DEADLINES and rows:
        # The order's own 期限 is its last item's: what the list shows and the review is due after.
        document.deadline = max(row.due_on for row in rows)


def _check_follows(kind, follows, mine):
    allowed = FOLLOWS.get(kind) or MAY_FOLLOW.get(kind)
    if allowed is None:
        if follows is not None:
            raise DomainError(f"{kind.label}不依据其他文书制作。", field="follows")
        return
    if follows is None:
        if kind in MAY_FOLLOW:
            return
        raise DomainError(f"{kind.label}须依据已签发的文书制作。", field="follows")
    if follows.mine_id != mine.pk:
        raise DomainError("依据的文书不属于该煤矿。", field="follows")
    if follows.kind not in allowed:
        raise DomainError(f"{kind.label}不能依据{follows.get_kind_display()}制作。", field="follows")
    if follows.is_draft:
        raise InvalidState("依据的文书尚未签发。")


@transaction.atomic
def document_draft(
    *, actor, kind, mine, inspection=None, follows=None, officers=(), items=(), content=None, deadline=None
):
    """A new draft. `officers`: bureau users (may be fewer than two until it is issued); `items`: see `_set_items`."""
    kind = DocumentKind(kind)
    # A city's (province's) regulator drafts in the city's name, numbered in the city's series: at the city's own
    # inspection, or after a document of the city's. Everything else below stays the county's (issue 22).
    if not can_draft_from(actor, mine=mine, inspection=inspection, follows=follows):
        raise NotPermitted(NOT_ALLOWED_HIGHER if is_regulator(actor) else NOT_ALLOWED)
    if inspection is not None and inspection.mine_id != mine.pk:
        raise DomainError("所选检查不是对该煤矿的检查。", field="inspection")
    _check_follows(kind, follows, mine)
    content = validate_content(kind, content)
    bureau_id = issuing_bureau_id(actor, mine)
    document = EnforcementDocument.objects.create(
        bureau_id=bureau_id,
        mine=mine,
        inspection=inspection,
        follows=follows,
        kind=kind,
        content=content,
        deadline=deadline,
        created_by=actor,
    )
    _set_officers(document, _check_officers(list(officers), bureau_id))
    _set_items(document, items)
    if document.kind in ITEMS_WITH_DEADLINES:
        document.save(update_fields=["deadline"])
    _event(document, actor=actor, action="制作")
    return document


@transaction.atomic
def document_update_draft(*, actor, document, row_version=None, officers=None, items=None, content=None, deadline=...):
    document = _locked(document)
    if not can_write_document(actor, document):
        raise NotPermitted(NOT_YOURS if is_regulator(actor) or can_issue(actor, document.mine) else NOT_ALLOWED)
    check_row_version(document, row_version)
    if not document.is_draft:
        raise InvalidState("文书已签发，不能再修改。")
    if officers is not None:
        _set_officers(document, _check_officers(list(officers), document.bureau_id))
    if items is not None:
        _set_items(document, items)
    if content is not None:
        document.content = validate_content(document.kind, content)
    if deadline is not ...:
        document.deadline = deadline
    document.save()
    _event(document, actor=actor, action="修改草稿")
    return document


@transaction.atomic
def document_delete_draft(*, actor, document, row_version=None):
    document = _locked(document)
    if not can_write_document(actor, document):
        raise NotPermitted(NOT_YOURS if is_regulator(actor) or can_issue(actor, document.mine) else NOT_ALLOWED)
    check_row_version(document, row_version)
    if not document.is_draft:
        raise InvalidState("已签发的文书不能删除。")
    if document.followed_by.exists():
        raise InvalidState("已有文书依据该草稿，不能删除。")
    document.delete()


def number_pattern(bureau_id, kind):
    """(pattern, code, prefix) of the bureau's series for `kind`."""
    settings = EnforcementSettings.objects.filter(bureau_id=bureau_id).first()
    prefix = settings.number_prefix if settings else ""
    custom = NumberFormat.objects.filter(bureau_id=bureau_id, kind=kind).first()
    if custom is not None:
        return custom.pattern, custom.code, prefix
    return DEFAULT_NUMBER_PATTERN, DEFAULT_KIND_CODES[DocumentKind(kind)], prefix


def check_number_pattern(pattern):
    """A pattern must hold the serial, the year and the kind's code — a series is per kind and year, so without the
    year its numbers repeat every year and without the code two kinds' numbers are the same text — and no
    placeholder we do not fill."""
    for placeholder, what in (("{n}", "序号"), ("{year}", "年份"), ("{code}", "文书代字")):
        if placeholder not in pattern:
            raise DomainError(
                f"文号格式必须包含{what} {placeholder}：各类文书按年编号，缺少它不同文书或不同年份的文号会重复。",
                field="pattern",
            )
    rest = pattern
    for placeholder in NUMBER_PLACEHOLDERS:
        rest = rest.replace(placeholder, "")
    if "{" in rest or "}" in rest:
        raise DomainError("文号格式只能使用 {prefix}、{code}、{year}、{n} 四个占位符。", field="pattern")


def format_number(pattern, *, prefix, code, year, n):
    return (
        pattern.replace("{prefix}", prefix).replace("{code}", code).replace("{year}", str(year)).replace("{n}", str(n))
    )


def next_number(*, bureau_id, kind, year):
    """The next serial of the series, with the series row locked until the caller's transaction ends: two officers
    issuing at once get consecutive numbers, and a failed issue gives its number back."""
    NumberSeries.objects.bulk_create(
        [NumberSeries(bureau_id=bureau_id, kind=kind, year=year)], ignore_conflicts=True
    )  # the series' row exists before it is locked (no race between two first issues of a year)
    series = NumberSeries.objects.select_for_update().get(bureau_id=bureau_id, kind=kind, year=year)
    series.last_number += 1
    series.save(update_fields=["last_number"])
    return series.last_number


@transaction.atomic
def document_issue(*, actor, document, issued_on=None, row_version=None):
    """Number, date and issue a draft. It needs two officers holding certificates, and its items where the kind has
    them."""
    document = _locked(document)
    if not can_write_document(actor, document):
        raise NotPermitted(NOT_YOURS if is_regulator(actor) or can_issue(actor, document.mine) else NOT_ALLOWED)
    check_row_version(document, row_version)
    if not document.is_draft:
        raise InvalidState(f"文书已签发（{document.number}），不能重复签发。")
    validate_content(document.kind, document.content)  # a draft saved under an older rule is held to today's
    officers = list(document.officers.select_related("user"))
    if len(officers) < MIN_OFFICERS:
        raise DomainError("执法文书须由两名以上执法人员签发，请先添加执法人员。", field="officers")
    for officer in officers:
        if not may_be_officer(officer.user, document.bureau_id):
            raise DomainError(f"{officer.name} 已不是本局在岗的执法人员或未登记执法证号。", field="officers")
    if document.kind in ITEMS_WITH_DEADLINES and not document.items.exists():
        raise DomainError(f"{document.get_kind_display()}没有任何整改事项。", field="items")
    if document.kind == DocumentKind.REVIEW_OPINION and document.items.filter(passed__isnull=True).exists():
        raise DomainError("整改复查意见书的每一项都须写明复查是否合格。", field="items")
    today = timezone.localdate()
    issued_on = issued_on or today
    if issued_on > today:
        raise DomainError("签发日期不能晚于今天。", field="issued_on")
    if document.inspection is not None and issued_on < document.inspection.inspected_on:
        raise DomainError("签发日期不能早于检查日期。", field="issued_on")
    if document.follows is not None and issued_on < document.follows.issued_on:
        raise DomainError("签发日期不能早于所依据文书的签发日期。", field="issued_on")
    if document.kind in ITEMS_WITH_DEADLINES:
        late = document.items.filter(due_on__lt=issued_on).values_list("order", flat=True).first()
        if late is not None:
            raise DomainError(f"第 {late} 项的整改期限早于签发日期，请先修改草稿。", field="items")
    if document.deadline is not None and document.deadline < issued_on:
        raise DomainError("文书的期限早于签发日期，请先修改草稿。", field="deadline")
    pattern, code, prefix = number_pattern(document.bureau_id, document.kind)
    serial = next_number(bureau_id=document.bureau_id, kind=document.kind, year=issued_on.year)
    document.year, document.serial, document.issued_on = issued_on.year, serial, issued_on
    document.number = format_number(pattern, prefix=prefix, code=code, year=issued_on.year, n=serial)
    document.status = DocumentStatus.ISSUED
    for officer in officers:  # the certificate as held on the day of issue
        officer.name, officer.certificate_no = officer.user.display_name, officer.user.certificate_no.strip()
    DocumentOfficer.objects.bulk_update(officers, ["name", "certificate_no"])
    document.save()
    _event(document, actor=actor, action="签发", note=document.number)
    _tell_mine_issued(document)
    return document


def _tell_mine_issued(document):
    """The mine's officers and its enterprise's hear of a document issued to the mine (bell and e-mail), once: they
    see it from the day it is issued, and a 整改期限 starts running then."""
    mine = document.mine
    people = users_by_organization([mine.pk, mine.parent_id])
    recipients = people.get(mine.pk, []) + people.get(mine.parent_id, [])
    issuer = "县局" if document.bureau_id == mine.bureau_id else document.bureau.name
    title = f"{issuer}向{mine.short_name or mine.name}下达{document.get_kind_display()}（{document.number}）"
    url = reverse("document_detail", kwargs={"pk": document.pk})
    level = Level.WARNING if document.kind in ITEMS_WITH_DEADLINES or document.deadline else Level.INFO
    key = f"document:issued:{document.pk}"
    notify_many([Notice(uid, "enforcement", key, title, "", url, level) for uid in recipients])


@transaction.atomic
def document_record_receipt(*, actor, document, signer_name, received_on, scan=None, row_version=None):
    """The mine signed for the document (签收): who, when, and the scan of the signed paper."""
    document = _locked(document)
    if not can_write_document(actor, document):
        raise NotPermitted(NOT_YOURS if is_regulator(actor) or can_issue(actor, document.mine) else NOT_ALLOWED)
    check_row_version(document, row_version)
    if document.status != DocumentStatus.ISSUED:
        state = "尚未签发" if document.is_draft else "已登记签收"
        raise InvalidState(f"文书{state}，不能登记签收。")
    signer_name = (signer_name or "").strip()
    if not signer_name:
        raise DomainError("请填写签收人。", field="signer_name")
    if not isinstance(received_on, dt.date):
        raise DomainError("请填写签收日期。", field="received_on")
    if received_on < document.issued_on:
        raise DomainError("签收日期不能早于签发日期。", field="received_on")
    if received_on > timezone.localdate():
        raise DomainError("签收日期不能晚于今天。", field="received_on")
    document.signer_name, document.received_on = signer_name, received_on
    if scan is not None:
        document.receipt_scan_type = sniff_evidence(scan)
        document.receipt_scan_name = scan.name[:200]
        document.receipt_scan.save(scan.name, scan, save=False)
    document.status = DocumentStatus.SERVED
    document.save()
    _event(document, actor=actor, action="登记签收", note=f"{signer_name} {received_on:%Y-%m-%d}")
    return document


def officer_candidates(bureau_id):
    """The users a document may name as its officers."""
    return (
        User.objects.filter(document_officers_q(), organization_id=bureau_id, is_active=True)
        .exclude(certificate_no="")
        .order_by("full_name", "username")
    )
