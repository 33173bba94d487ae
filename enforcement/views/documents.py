"""The document pages: the list, a document with its items, officers, receipt, events and follow-ups; the draft form
(from an inspection, a finding or the document it follows), its edit and delete; issue and receipt; the .docx, the
A4 print view and a month's documents as one .zip; the bureau's settings and its officers' 执法证号.

Who: a document that is not the user's (or, for a mine, a draft) is 404; drafting, issuing and serving are the
bureau's inspectors' (403 for the rest); a step the document's state forbids is 409 with the reason."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.permissions import is_regulator
from core.errors import DomainError, InvalidState, NotFound, NotPermitted
from core.files import stored_file_response
from core.paging import KeysetPaginator
from core.permissions import may
from core.views import docx_response, form_errors_text, list_page, run_form_service

from .. import services
from ..archive import month_archive
from ..documents_filters import DocumentFilter, parse_month
from ..documents_forms import (
    CertificateForm,
    DeleteForm,
    DocumentForm,
    IssueForm,
    NumberFormatForm,
    ReceiptForm,
    SettingsForm,
)
from ..docx import document_docx
from ..kinds import DEADLINES, FINDINGS, REVIEWED, body_rows, drafted_here, spec_of
from ..models import DEFAULT_KIND_CODES, DocumentKind, DocumentStatus, EnforcementSettings, NumberFormat
from ..permissions import can_draft_from, issuing_bureau_id
from ..selectors import document_detail, document_list_page, penalty_case_list, suspension_of_document
from ..services.documents import NOT_ALLOWED_HIGHER

ISSUE = "enforcement.issue"
#: the documents of the user's own bureau (a city's regulators: the city's own; the county's inspectors: the county's)
WRITE = "enforcement.write_document"
NOT_ISSUER = "执法文书由县局执法人员制作、签发和送达，您的账号只能查看。"


def _not_issuer(user):
    """Why the page refuses: a city's regulator writes only at its own inspections (the service's words), anyone
    else who sees documents only reads them."""
    return NOT_ALLOWED_HIGHER if is_regulator(user) else NOT_ISSUER


SETTINGS = "enforcement.keep_document_settings"
NOT_KEEPER = "执法文书的文号格式、执法机关和执法证号由县局执法人员维护，您的账号只能查看。"
DEFAULT_BASIS = "《中华人民共和国安全生产法》第六十五条"


def _refused(request, document, message, status=409):
    back = reverse("document_detail", kwargs={"pk": document.pk}) if document else reverse("document_list")
    context = {"message": message, "back_url": back, "status": status}
    return render(request, "enforcement/documents/refused.html", context, status=status)


def _id(value):
    value = str(value or "")
    if not value.isdigit() or len(value) > 18:
        raise Http404
    return int(value)


# ---------------------------------------------------------------- list


def document_list_view(request):
    return list_page(
        request,
        filter_class=DocumentFilter,
        queryset=document_list_page(user=request.user),
        template="enforcement/documents/list.html",
        paginator_class=KeysetPaginator,  # a province's documents, year after year
        can_create=may(request.user, ISSUE),
        can_archive=may(request.user, "enforcement.download_archive"),
        this_month=f"{timezone.localdate():%Y-%m}",
    )


# ---------------------------------------------------------------- drafting


def _hazard_row(hazard, *, due=False):
    row = {"hazard": hazard, "text": f"{hazard.location}：{hazard.description}"}
    if due:
        row["due_on"] = hazard.due_on
    return row


def _source(request):
    """What the draft is made from (?inspection=, ?hazard=, ?follows=), as the user sees it, and the kind asked."""
    from hazards.selectors import hazard_detail, inspection_detail

    params = request.POST if request.method == "POST" else request.GET
    source = {"inspection": None, "hazard": None, "follows": None}
    if params.get("follows"):
        source["follows"] = document_detail(user=request.user, pk=_id(params["follows"]))
    if params.get("hazard"):
        source["hazard"] = hazard_detail(user=request.user, pk=_id(params["hazard"]))
    if params.get("inspection"):
        source["inspection"] = inspection_detail(user=request.user, pk=_id(params["inspection"]))
    kind = params.get("kind") or (DocumentKind.RECTIFICATION_ORDER if source["hazard"] else "")
    return source, kind


def _drafted(kind, source, user):
    """(mine, inspection, items, content) a new draft starts from."""
    follows, hazard, inspection = source["follows"], source["hazard"], source["inspection"]
    record = follows or hazard or inspection
    mine = record.mine if record is not None else None
    if inspection is None:
        inspection = (follows.inspection if follows else None) or (hazard.inspection if hazard else None)
    items, content = [], {}
    spec = spec_of(kind)
    due = spec.items == DEADLINES
    if follows is not None and follows.kind == DocumentKind.RECTIFICATION_ORDER and spec.items == REVIEWED:
        items = [{"hazard": i.hazard, "text": i.text, "passed": None} for i in follows.items.all()]
    elif follows is not None and follows.kind == DocumentKind.REVIEW_OPINION and spec.items in (DEADLINES, FINDINGS):
        items = [{"hazard": i.hazard, "text": i.text} for i in follows.items.all() if i.passed is False]
    elif hazard is not None and spec.items in (DEADLINES, FINDINGS):
        items = [_hazard_row(hazard, due=due)]
    elif inspection is not None and spec.items in (DEADLINES, FINDINGS):
        items = [_hazard_row(h, due=due) for h in inspection.hazards.all() if not (due and h.is_closed)]
    if kind == DocumentKind.INSPECTION_RECORD and inspection is not None:
        content = {"situation": inspection.notes}
        if items:
            content["findings_summary"] = f"检查发现问题{len(items)}项，详见下列各项。"
    elif kind == DocumentKind.RECTIFICATION_ORDER:
        content = {"facts": "经查，你单位存在下列问题：", "basis": DEFAULT_BASIS}
    elif kind == DocumentKind.ON_SITE_MEASURES:
        content = {"basis": DEFAULT_BASIS}
    elif kind == DocumentKind.SERVICE_RECEIPT:
        content = {"method": "direct"}
    return mine, inspection, items, content


def _hazards_of(user, mine):
    from hazards.models import Hazard

    hazards = Hazard.objects.visible_to(user)
    return hazards.filter(mine=mine) if mine is not None else hazards


def _kind_choices(source):
    """The kinds a user may draft from this source (the chooser page)."""
    follows = source["follows"]
    from ..services.documents import FOLLOWS, MAY_FOLLOW

    kinds = []
    for spec in drafted_here():
        needs = FOLLOWS.get(spec.kind)
        may_follow = MAY_FOLLOW.get(spec.kind, ())
        if follows is not None:
            if follows.kind in (needs or ()) or follows.kind in may_follow:
                kinds.append(spec)
        elif needs is None:
            kinds.append(spec)
    return kinds


def document_create(request):
    if not may(request.user, ISSUE) and not may(request.user, "accounts.write_above_county"):
        return render(request, "403.html", {"reason": _not_issuer(request.user)}, status=403)
    source, kind = _source(request)
    # What the draft is made from decides who may draft it: a city's regulator only from its own inspection or
    # document (403 otherwise, as for every read-only user), the county's inspectors for their county.
    mine_of_source = next((r.mine for r in (source["follows"], source["hazard"], source["inspection"]) if r), None)
    inspection_of_source = (
        source["inspection"]
        or (source["follows"].inspection if source["follows"] else None)
        or (source["hazard"].inspection if source["hazard"] else None)
    )
    if not can_draft_from(
        request.user, mine=mine_of_source, inspection=inspection_of_source, follows=source["follows"]
    ):
        return render(request, "403.html", {"reason": _not_issuer(request.user)}, status=403)
    query = {k: v.pk for k, v in source.items() if v is not None}
    if not kind:
        choices = _kind_choices(source)
        return render(
            request,
            "enforcement/documents/choose_kind.html",
            {"choices": choices, "query": query, "record": source["follows"] or source["inspection"]},
        )
    try:
        spec = spec_of(kind)
    except ValueError as exc:
        raise Http404 from exc
    if not spec.drafted_here:
        return _refused(request, None, f"{spec.label}在其办理流程中制作，不在此处起草。", status=400)
    mine, inspection, items, content = _drafted(kind, source, request.user)
    bureau_id = (
        issuing_bureau_id(request.user, mine)
        if mine is not None
        else getattr(request.user.organization, "bureau_id", None)
    )
    form = DocumentForm(
        request.POST or None,
        kind=kind,
        bureau_id=bureau_id,
        user=request.user,
        items=items,
        choose_mine=mine is None,
        hazards=_hazards_of(request.user, mine),
        initial={**content, "officers": [request.user.pk]},
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        chosen_mine = mine or form.cleaned_data["mine"]
        document, status = run_form_service(
            form,
            services.document_draft,
            actor=request.user,
            kind=kind,
            mine=chosen_mine,
            inspection=inspection,
            follows=source["follows"],
            **form.service_kwargs(),
        )
        if document is not None:
            messages.success(request, f"已保存{spec.label}草稿，核对后签发。")
            return redirect("document_detail", pk=document.pk)
    return render(
        request,
        "enforcement/documents/form.html",
        {
            "form": form,
            "spec": spec,
            "mine": mine,
            "source": source,
            "query": query,
            "kind": kind,
            "title": f"制作{spec.label}",
        },
        status=status,
    )


def document_edit(request, pk):
    document = document_detail(user=request.user, pk=pk)
    if not may(request.user, WRITE, document):
        return render(request, "403.html", {"reason": _not_issuer(request.user)}, status=403)
    if not document.is_draft:
        return _refused(request, document, "文书已签发，不能再修改。")
    spec = spec_of(document.kind)
    items = [
        {"hazard": i.hazard, "text": i.text, "due_on": i.due_on, "passed": i.passed, "note": i.note}
        for i in document.items.all()
    ]
    form = DocumentForm(
        request.POST or None,
        kind=document.kind,
        bureau_id=document.bureau_id,
        user=request.user,
        items=items,
        hazards=_hazards_of(request.user, document.mine),
        row_version=document.row_version,
        initial={**document.content, "officers": [o.user_id for o in document.officers.all()]},
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        saved, status = run_form_service(
            form,
            services.document_update_draft,
            actor=request.user,
            document=document,
            row_version=form.cleaned_data.get("row_version"),
            **form.service_kwargs(),
        )
        if saved is not None:
            messages.success(request, "草稿已保存。")
            return redirect("document_detail", pk=document.pk)
    return render(
        request,
        "enforcement/documents/form.html",
        {"form": form, "spec": spec, "mine": document.mine, "document": document, "title": f"修改{spec.label}草稿"},
        status=status,
    )


# ---------------------------------------------------------------- the document


def _next_steps(document, user):
    """(label, URL) of the documents that may follow this one, for an issuer."""
    if document.is_draft or not may(user, WRITE, document):
        return []
    base = reverse("document_create")
    steps = []
    if document.kind == DocumentKind.RECTIFICATION_ORDER:
        steps.append(("制作整改复查意见书", f"{base}?follows={document.pk}&kind={DocumentKind.REVIEW_OPINION}"))
    if document.kind == DocumentKind.REVIEW_OPINION and any(i.passed is False for i in document.items.all()):
        for kind in (DocumentKind.RECTIFICATION_ORDER, DocumentKind.ON_SITE_MEASURES):
            steps.append((f"对未通过的项目制作{kind.label}", f"{base}?follows={document.pk}&kind={kind}"))
        if may(user, "enforcement.handle_penalty", document.mine):
            steps.append(("对逾期未整改的违法行为立案处罚", f"{reverse('penalty_case_create')}?review={document.pk}"))
    if document.kind != DocumentKind.SERVICE_RECEIPT and not any(
        d.kind == DocumentKind.SERVICE_RECEIPT for d in document.followed_by.all()
    ):
        steps.append(("制作文书送达回执", f"{base}?follows={document.pk}&kind={DocumentKind.SERVICE_RECEIPT}"))
    return steps


def _penalty_cases(document, user):
    """Penalty cases filed from this review, or about a hazard among its items, as the user sees them."""
    if document.kind != DocumentKind.REVIEW_OPINION or document.is_draft:
        return []
    from django.db.models import Q

    hazards = [i.hazard_id for i in document.items.all() if i.hazard_id]
    return list(
        penalty_case_list(user=user).filter(Q(review_document=document) | Q(hazard_id__in=hazards)).distinct()[:10]
    )


def document_detail_view(request, pk):
    document = document_detail(user=request.user, pk=pk)
    user = request.user
    issuer = may(user, WRITE, document)
    today = timezone.localdate()
    version = {"row_version": document.row_version}
    spec = spec_of(document.kind)
    return render(
        request,
        "enforcement/documents/detail.html",
        {
            "document": document,
            "spec": spec,
            "body": body_rows(document),
            "issuer": issuer,
            "sees_drafts": may(user, "enforcement.see_drafts"),
            "issue_form": IssueForm(initial={"issued_on": today}, **version) if issuer and document.is_draft else None,
            "delete_form": DeleteForm(**version) if issuer and document.is_draft else None,
            "receipt_form": ReceiptForm(initial={"received_on": today}, **version)
            if issuer and document.status == DocumentStatus.ISSUED
            else None,
            "next_steps": _next_steps(document, user),
            "penalty_cases": _penalty_cases(document, user),
            "suspension": suspension_of_document(user=user, document=document),
            "failed": [i for i in document.items.all() if i.passed is False],
        },
    )


def _act(request, document, service, done, **kwargs):
    try:
        service(actor=request.user, document=document, **kwargs)
    except NotPermitted as exc:
        return render(request, "403.html", {"reason": exc.message}, status=403)
    except InvalidState as exc:
        return _refused(request, document, exc.message)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done(document) if callable(done) else done)
    return redirect("document_detail", pk=document.pk)


def _issuer_document(request, pk):
    document = document_detail(user=request.user, pk=pk)
    if not may(request.user, WRITE, document):
        raise PermissionDenied(_not_issuer(request.user))
    return document


@require_POST
def document_issue_view(request, pk):
    document = _issuer_document(request, pk)
    form = IssueForm(request.POST, row_version=document.row_version)
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
        return redirect("document_detail", pk=document.pk)
    data = form.cleaned_data

    def done(_):
        fresh = document_detail(user=request.user, pk=pk)
        return f"已签发：{fresh.number}。"

    return _act(
        request,
        document,
        services.document_issue,
        done,
        issued_on=data["issued_on"],
        row_version=data.get("row_version"),
    )


@require_POST
def document_receipt_view(request, pk):
    document = _issuer_document(request, pk)
    form = ReceiptForm(request.POST, request.FILES, row_version=document.row_version)
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
        return redirect("document_detail", pk=document.pk)
    data = form.cleaned_data
    return _act(
        request,
        document,
        services.document_record_receipt,
        "已登记签收，文书已送达。",
        signer_name=data["signer_name"],
        received_on=data["received_on"],
        scan=data.get("scan"),
        row_version=data.get("row_version"),
    )


@require_POST
def document_delete_view(request, pk):
    document = _issuer_document(request, pk)
    form = DeleteForm(request.POST, row_version=document.row_version)
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
        return redirect("document_detail", pk=document.pk)
    try:
        services.document_delete_draft(
            actor=request.user, document=document, row_version=form.cleaned_data.get("row_version")
        )
    except NotPermitted as exc:
        return render(request, "403.html", {"reason": exc.message}, status=403)
    except InvalidState as exc:
        return _refused(request, document, exc.message)
    messages.success(request, "草稿已删除。")
    return redirect("document_list")


def document_receipt_scan(request, pk):
    """The signed receipt's scan: to whoever sees the document (no public media URL)."""
    document = document_detail(user=request.user, pk=pk)
    if not document.receipt_scan:
        raise Http404
    return stored_file_response(
        document.receipt_scan,
        content_type=document.receipt_scan_type,
        original_name=document.receipt_scan_name or "签收回执",
    )


def document_filename(document):
    number = document.number or "草稿"
    return f"{number}-{document.get_kind_display()}-{document.mine.name}"


def document_docx_view(request, pk):
    document = document_detail(user=request.user, pk=pk)
    return docx_response(document_docx(document), document_filename(document))


def document_print(request, pk):
    """The document on A4, laid out like the national template: title, number, addressee, the body by kind, the
    items, the officers with their 执法证号, the authority and date, the receipt line."""
    document = document_detail(user=request.user, pk=pk)
    spec = spec_of(document.kind)
    settings = EnforcementSettings.objects.filter(bureau_id=document.bureau_id).first()
    authority = (document.content or {}).get("authority") or (settings.authority_name if settings else "")
    return render(
        request,
        "enforcement/documents/print.html",
        {
            "document": document,
            "spec": spec,
            "body": body_rows(document),
            "authority": authority or document.bureau.name,
            "items": list(document.items.all()),
            "officers": list(document.officers.all()),
            "with_due": spec.items == DEADLINES,
            "reviewed": spec.items == REVIEWED,
            "back_url": reverse("document_detail", kwargs={"pk": document.pk}),
        },
    )


# ---------------------------------------------------------------- a month's documents


def document_archive(request):
    if not may(request.user, "enforcement.download_archive"):
        raise PermissionDenied("本月文书打包下载供县局使用；煤矿可在文书页面逐份下载。")
    month = request.GET.get("month") or f"{timezone.localdate():%Y-%m}"
    parsed = parse_month(month)
    if parsed is None:
        return render(request, "400.html", {"reason": "月份格式应为 2026-11。"}, status=400)
    year, number = parsed
    return FileResponse(
        month_archive(user=request.user, year=year, month=number),
        as_attachment=True,
        filename=f"执法文书{year}年{number}月.zip",
        content_type="application/zip",
    )


# ---------------------------------------------------------------- the bureau's settings and officers


def _bureau_id(user):
    """The bureau's pages are its own users' (a mine reads the officers' numbers on the documents served on it)."""
    if not may(user, "enforcement.see_drafts"):
        raise PermissionDenied("该页面供县局使用。")
    bureau_id = getattr(user.organization, "bureau_id", None)
    if bureau_id is None:
        raise Http404
    return bureau_id


def document_settings(request):
    """The issuing authority, the number prefix and each kind's number format, with a preview of the next number."""
    bureau_id = _bureau_id(request.user)
    keeper = may(request.user, SETTINGS)
    current = EnforcementSettings.objects.filter(bureau_id=bureau_id).first()
    settings_form = SettingsForm(instance=current, prefix="settings")
    format_form = NumberFormatForm(prefix="format")
    if request.method == "POST":
        if not keeper:
            return render(request, "403.html", {"reason": NOT_KEEPER}, status=403)
        which = request.POST.get("which")
        if which == "settings":
            settings_form = SettingsForm(request.POST, instance=current, prefix="settings")
            if settings_form.is_valid():
                data = {n: settings_form.cleaned_data[n] for n in ("number_prefix", "authority_name")}
                saved, _ = run_form_service(
                    settings_form, services.enforcement_settings_save, actor=request.user, **data
                )
                if saved is not None:
                    messages.success(request, "执法机关和文号前缀已保存。")
                    return redirect("document_settings")
        else:
            format_form = NumberFormatForm(request.POST, prefix="format")
            if format_form.is_valid():
                saved, _ = run_form_service(
                    format_form, services.number_format_save, actor=request.user, **format_form.cleaned_data
                )
                if saved is not None:
                    messages.success(request, f"{saved.get_kind_display()}的文号格式已保存。")
                    return redirect("document_settings")
    custom = {f.kind: f for f in NumberFormat.objects.filter(bureau_id=bureau_id)}
    year = timezone.localdate().year
    rows = [
        {
            "kind": kind,
            "code": custom[kind].code if kind in custom else DEFAULT_KIND_CODES[kind],
            "pattern": custom[kind].pattern if kind in custom else "",
            "preview": services.number_preview(bureau_id=bureau_id, kind=kind, year=year),
        }
        for kind in DocumentKind
    ]
    return render(
        request,
        "enforcement/documents/settings.html",
        {
            "settings": current,
            "settings_form": settings_form,
            "format_form": format_form,
            "rows": rows,
            "keeper": keeper,
        },
    )


def officer_list(request):
    """The bureau's inspectors with their 执法证号 (documents name only those who hold one)."""
    bureau_id = _bureau_id(request.user)
    keeper = may(request.user, SETTINGS)
    return render(
        request,
        "enforcement/documents/officers.html",
        {"officers": services.bureau_inspectors(bureau_id), "keeper": keeper},
    )


@require_POST
def officer_certificate(request, pk):
    if not may(request.user, SETTINGS):
        return render(request, "403.html", {"reason": NOT_KEEPER}, status=403)
    form = CertificateForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
        return redirect("officer_list")
    try:
        officer = services.officer_set_certificate(
            actor=request.user, officer_id=pk, certificate_no=form.cleaned_data["certificate_no"]
        )
    except NotFound as exc:
        raise Http404 from exc
    except NotPermitted as exc:
        return render(request, "403.html", {"reason": exc.message}, status=403)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已保存{officer.display_name}的执法证号。")
    return redirect("officer_list")
