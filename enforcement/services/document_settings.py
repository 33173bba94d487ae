"""The bureau's own settings for its documents: the issuing authority and number prefix, a number format per kind,
and its officers' 执法证号 (what a document prints beside each officer's name)."""

import re

from django.db import transaction

from accounts.models import User
from core.errors import DomainError, NotFound, NotPermitted

from ..models import DEFAULT_KIND_CODES, DocumentKind, EnforcementSettings, NumberFormat
from ..permissions import can_keep_document_settings
from .documents import check_number_pattern, format_number

NOT_KEEPER = "执法文书的文号格式、执法机关和执法证号由县局执法人员维护。"
CERTIFICATE = re.compile(r"^[0-9A-Za-z\-]{4,30}$")


def _bureau_of(actor):
    if not can_keep_document_settings(actor):
        raise NotPermitted(NOT_KEEPER)
    bureau_id = getattr(actor.organization, "bureau_id", None)
    if bureau_id is None:
        raise NotPermitted(NOT_KEEPER)
    return bureau_id


@transaction.atomic
def enforcement_settings_save(*, actor, number_prefix, authority_name):
    bureau_id = _bureau_of(actor)
    number_prefix, authority_name = (number_prefix or "").strip(), (authority_name or "").strip()
    if not authority_name:
        raise DomainError("请填写执法机关全称。", field="authority_name")
    if "{" in number_prefix or "}" in number_prefix:
        raise DomainError("文号前缀不能含有 { }。", field="number_prefix")
    settings, _ = EnforcementSettings.objects.select_for_update().get_or_create(
        bureau_id=bureau_id, defaults={"number_prefix": number_prefix, "authority_name": authority_name}
    )
    settings.number_prefix, settings.authority_name = number_prefix, authority_name
    settings.full_clean()
    settings.save()
    return settings


@transaction.atomic
def number_format_save(*, actor, kind, code, pattern):
    """A kind's 文书代字 and 文号格式 at the bureau. Numbers already given keep their text; the series (its serials)
    is the same, so a new format never restarts or repeats a number."""
    bureau_id = _bureau_of(actor)
    try:
        kind = DocumentKind(kind)
    except ValueError as exc:
        raise DomainError("请选择文书种类。", field="kind") from exc
    code, pattern = (code or "").strip(), (pattern or "").strip()
    if not code:
        raise DomainError("请填写文书代字。", field="code")
    if "{" in code or "}" in code:
        raise DomainError("文书代字不能含有 { }。", field="code")
    check_number_pattern(pattern)
    # the code tells the kinds' numbers apart: another kind of the bureau must not use it already
    codes = {k: DEFAULT_KIND_CODES[k] for k in DocumentKind}
    codes.update(NumberFormat.objects.filter(bureau_id=bureau_id).values_list("kind", "code"))
    taken = [DocumentKind(k).label for k, c in codes.items() if c == code and k != kind]
    if taken:
        raise DomainError(f"文书代字“{code}”已用于{taken[0]}，请换一个，以免文号重复。", field="code")
    number_format, _ = NumberFormat.objects.select_for_update().get_or_create(
        bureau_id=bureau_id, kind=kind, defaults={"code": code, "pattern": pattern}
    )
    number_format.code, number_format.pattern = code, pattern
    number_format.full_clean()
    number_format.save()
    return number_format


def number_preview(*, bureau_id, kind, year, n=1):
    """What the kind's numbers look like at the bureau (for its settings page)."""
    from .documents import number_pattern

    pattern, code, prefix = number_pattern(bureau_id, kind)
    return format_number(pattern, prefix=prefix, code=code or DEFAULT_KIND_CODES[DocumentKind(kind)], year=year, n=n)


def bureau_inspectors(bureau_id):
    """Every active inspector of the bureau, with or without a certificate (the page says who still lacks one)."""
    from ..permissions import document_officers_q

    return User.objects.filter(document_officers_q(), organization_id=bureau_id, is_active=True).order_by(
        "full_name", "username"
    )


@transaction.atomic
def officer_set_certificate(*, actor, officer_id, certificate_no):
    """An inspector of the bureau records a colleague's (or their own) 执法证号. Documents already issued keep the
    number they were issued with (DocumentOfficer keeps its copy)."""
    bureau_id = _bureau_of(actor)
    officer = bureau_inspectors(bureau_id).select_for_update().filter(pk=officer_id).first()
    if officer is None:
        raise NotFound("没有这名执法人员。")
    certificate_no = (certificate_no or "").strip()
    if certificate_no and not CERTIFICATE.match(certificate_no):
        raise DomainError("执法证号应为 4 至 30 位数字或字母。", field="certificate_no")
    officer.certificate_no = certificate_no
    officer.save(update_fields=["certificate_no"])
    return officer
