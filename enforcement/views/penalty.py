"""The penalty pages: the list, the case with its stage timeline and the form of its next step, the 案卷 downloads,
and the bureau's list of provisions with its figures.

Who: a case that is not the user's (or, for a mine, not yet served on it) is 404; a step the user may see but not
take is 403; a step out of order, or on a case changed since the page was read, is 409 with the reason."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.errors import DomainError, InvalidState, NotPermitted
from core.excel import safe_filename
from core.permissions import may
from core.views import call_service, docx_response, form_errors_text, list_page, offered_only_to

from .. import services
from ..models import PAYABLE_STAGES, CaseSource, PenaltyStage
from ..penalty_file import PARTS, SERVED_PARTS, case_file, case_file_zip, index_document, part_document
from ..penalty_filters import PenaltyCaseFilter
from ..penalty_forms import (
    CloseForm,
    DecideForm,
    EvidenceForm,
    ExecuteForm,
    InvestigateForm,
    NotifyForm,
    PaymentForm,
    PenaltyCaseForm,
    ProvisionForm,
    RulesForm,
    StatementForm,
)
from ..selectors import penalty_case_detail, penalty_case_list, penalty_evidence_for, provision_list

HANDLE = "enforcement.handle_penalty"

#: the URL slug of each step: (the stage it leads to, its button, what is said when done)
STEPS = {
    "investigate": (PenaltyStage.INVESTIGATING, "开始调查取证", "已开始调查取证。"),
    "notify": (PenaltyStage.NOTIFIED, "签发并送达告知书", "行政处罚告知书已签发并送达。"),
    "statement": (PenaltyStage.HEARING, "登记", "已登记陈述申辩/听证情况。"),
    "decide": (PenaltyStage.DECIDED, "签发并送达决定书", "行政处罚决定书已签发并送达。"),
    "execute": (PenaltyStage.EXECUTING, "登记执行情况", "已登记执行情况。"),
    "close": (PenaltyStage.CLOSED, "结案", "已结案。"),
}
SLUG_OF = {stage: slug for slug, (stage, _, _) in STEPS.items()}
NOT_HANDLER = "行政处罚案件由县局执法人员办理，您的账号只能查看。"


def _refused(request, case, message, status=409):
    back = reverse("penalty_case_detail", kwargs={"pk": case.pk}) if case else reverse("penalty_case_list")
    return render(request, "enforcement/penalty/refused.html", {"message": message, "back_url": back}, status=status)


# ---------------------------------------------------------------- list


def penalty_case_list_view(request):
    return list_page(
        request,
        filter_class=PenaltyCaseFilter,
        queryset=penalty_case_list(user=request.user),
        template="enforcement/penalty/case_list.html",
        can_create=may(request.user, HANDLE),
        today=timezone.localdate(),
    )


# ---------------------------------------------------------------- 立案 and corrections


def _source_from_query(request):
    """The record a case is filed from (?inspection=, ?hazard=, ?violation=, ?review=), as the user sees it."""
    from hazards.selectors import hazard_detail, inspection_detail

    params = request.POST if request.method == "POST" else request.GET
    found = {}
    if params.get("hazard"):
        found["hazard"] = hazard_detail(user=request.user, pk=_id(params["hazard"]))
    if params.get("inspection"):
        found["inspection"] = inspection_detail(user=request.user, pk=_id(params["inspection"]))
    if params.get("violation"):
        from violations.models import Violation

        found["violation"] = get_object_or_404(Violation.objects.visible_to(request.user), pk=_id(params["violation"]))
    if params.get("review"):
        from ..models import EnforcementDocument

        found["review_document"] = get_object_or_404(
            EnforcementDocument.objects.visible_to(request.user).served_on_mine(), pk=_id(params["review"])
        )
    return found


def _id(value):
    if not str(value).isdigit() or len(str(value)) > 18:
        raise Http404
    return int(value)


SOURCE_OF = {
    "hazard": CaseSource.HAZARD,
    "violation": CaseSource.VIOLATION,
    "review_document": CaseSource.REVIEW,
    "inspection": CaseSource.INSPECTION,
}


@offered_only_to(HANDLE, NOT_HANDLER)
def penalty_case_create(request):
    source = _source_from_query(request)
    record = next(iter(source.values()), None)
    mine = record.mine if record is not None else None
    initial = {}
    if record is not None:
        initial["source"] = next(SOURCE_OF[key] for key in SOURCE_OF if key in source)
        initial["unit_name"] = mine.name
        description = getattr(record, "description", "") or getattr(record, "notes", "")
        if description:
            initial["facts"] = f"经查，{mine.name}{description}"
    form = PenaltyCaseForm(request.POST or None, user=request.user, mine=mine, initial=initial)
    if request.method == "POST" and form.is_valid():
        kwargs = form.service_kwargs()
        if record is not None:
            kwargs["source"] = initial["source"]
        chosen_mine = mine or form.cleaned_data["mine"]
        case = call_service(form, services.penalty_case_open, actor=request.user, mine=chosen_mine, **source, **kwargs)
        if case is not None:
            messages.success(request, f"已立案：{case.number}。")
            return redirect("penalty_case_detail", pk=case.pk)
    return render(
        request,
        "enforcement/penalty/case_form.html",
        {"form": form, "record": record, "mine": mine, "source": source, "title": "行政处罚立案"},
    )


def penalty_case_edit(request, pk):
    case = penalty_case_detail(user=request.user, pk=pk)
    if not may(request.user, HANDLE, case.mine):
        return render(request, "403.html", {"reason": NOT_HANDLER}, status=403)
    if not case.is_editable:
        return _refused(request, case, "行政处罚告知书已送达，案件事实、依据和当事人不能再修改。")
    form = PenaltyCaseForm(request.POST or None, user=request.user, case=case, row_version=case.row_version)
    if request.method == "POST" and form.is_valid():
        try:
            services.penalty_case_update(actor=request.user, case=case, **form.service_kwargs())
        except InvalidState as exc:
            return _refused(request, case, exc.message)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, "已保存。")
            return redirect("penalty_case_detail", pk=case.pk)
    return render(
        request, "enforcement/penalty/case_form.html", {"form": form, "case": case, "title": f"修改案件 {case.number}"}
    )


# ---------------------------------------------------------------- the case


def _step_forms(case, user):
    """The form of the case's next step (the only one offered), and the payment form while fines are being paid."""
    if not may(user, HANDLE, case.mine):
        return None, None
    today = timezone.localdate()
    version = {"row_version": case.row_version}
    following = case.next_stage()
    step = None
    if following == PenaltyStage.INVESTIGATING:
        step = InvestigateForm(initial={"started_on": today}, **version)
    elif following == PenaltyStage.NOTIFIED:
        step = NotifyForm(initial={"served_on": today}, bureau_id=case.bureau_id, **version)
    elif following == PenaltyStage.HEARING:
        step = StatementForm(initial={"made_on": today}, **version)
    elif following == PenaltyStage.DECIDED:
        step = DecideForm(initial={"served_on": today}, bureau_id=case.bureau_id, parties=case.parties.all(), **version)
    elif following == PenaltyStage.EXECUTING:
        step = ExecuteForm(initial={"executed_on": today}, **version)
    elif following == PenaltyStage.CLOSED:
        step = CloseForm(initial={"closed_on": today}, **version)
    payment = None
    if case.stage in PAYABLE_STAGES:
        unpaid = [p for p in case.parties.all() if p.must_pay and not p.is_paid]
        if unpaid:
            payment = PaymentForm(initial={"paid_on": today}, parties=unpaid, **version)
    return step, payment


def penalty_case_detail_view(request, pk):
    case = penalty_case_detail(user=request.user, pk=pk)
    user = request.user
    step_form, payment_form = _step_forms(case, user)
    reads_file = may(user, "enforcement.read_case_file", case.mine)
    handles = may(user, HANDLE, case.mine)
    parts = [(slug, PARTS[slug]) for slug in PARTS if reads_file or slug in SERVED_PARTS]
    return render(
        request,
        "enforcement/penalty/case_detail.html",
        {
            "case": case,
            "today": timezone.localdate(),
            "handles": handles,
            "reads_file": reads_file,
            "next_stage": case.next_stage(),
            "step_slug": SLUG_OF.get(case.next_stage(), ""),
            "step_button": STEPS[SLUG_OF[case.next_stage()]][1] if case.next_stage() else "",
            "step_form": step_form,
            "payment_form": payment_form,
            "evidence_form": EvidenceForm(initial={"dated": timezone.localdate()})
            if handles and case.stage != PenaltyStage.CLOSED
            else None,
            "evidence": list(case.evidence.all()) if reads_file else [],
            "documents": [d for d in (case.notice, case.decision) if d is not None],
            "parts": [(slug, title) for slug, title in parts if _part_ready(case, slug)],
        },
    )


def _part_ready(case, slug):
    return {
        "filing": True,
        "notice": bool(case.notice_id),
        "statement": bool(case.statement_kind),
        "decision": bool(case.decision_id),
        "receipts": bool(case.notice_id),
        "execution": bool(case.decision_id),
        "closing": bool(case.closed_on),
    }[slug]


def _step_call(case, step, form, user):
    """(service, kwargs) of a step posted with a valid form."""
    data = dict(form.cleaned_data)
    row_version = data.pop("row_version", None)
    common = {"actor": user, "case": case, "row_version": row_version}
    if step == "investigate":
        return services.penalty_case_investigate, {**common, "started_on": data["started_on"]}
    if step in ("notify", "decide"):
        serve = {
            "officers": list(data["officers"]),
            "issued_on": data.get("issued_on"),
            "served_on": data["served_on"],
            "signer_name": data["signer_name"],
            "receipt_scan": data.get("receipt_scan"),
        }
        if step == "notify":
            return services.penalty_case_notify, {**common, **serve}
        return services.penalty_case_decide, {**common, **serve, "amounts": form.amounts()}
    if step == "statement":
        return services.penalty_case_record_statement, {**common, **data}
    if step == "execute":
        return services.penalty_case_execute, {**common, **data}
    return services.penalty_case_close, {**common, **data}


def _form_for(step, case, post, files):
    version = {"row_version": case.row_version}
    if step == "investigate":
        return InvestigateForm(post, **version)
    if step == "notify":
        return NotifyForm(post, files, bureau_id=case.bureau_id, **version)
    if step == "statement":
        return StatementForm(post, **version)
    if step == "decide":
        return DecideForm(post, files, bureau_id=case.bureau_id, parties=case.parties.all(), **version)
    if step == "execute":
        return ExecuteForm(post, **version)
    return CloseForm(post, **version)


def _run(request, case, service, kwargs, done):
    """A step's service: done → back to the case with the message; refused → 403 / 409 page, or the reason above
    the case (a bad value, nothing saved)."""
    try:
        service(**kwargs)
    except NotPermitted as exc:
        return render(request, "403.html", {"reason": exc.message}, status=403)
    except InvalidState as exc:
        return _refused(request, case, exc.message)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("penalty_case_detail", pk=case.pk)


@require_POST
def penalty_case_step(request, pk, step):
    if step not in STEPS:
        raise Http404
    case = penalty_case_detail(user=request.user, pk=pk)
    if not may(request.user, HANDLE, case.mine):
        return render(request, "403.html", {"reason": NOT_HANDLER}, status=403)
    form = _form_for(step, case, request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
        return redirect("penalty_case_detail", pk=case.pk)
    service, kwargs = _step_call(case, step, form, request.user)
    return _run(request, case, service, kwargs, STEPS[step][2])


@require_POST
def penalty_case_payment(request, pk):
    case = penalty_case_detail(user=request.user, pk=pk)
    if not may(request.user, HANDLE, case.mine):
        return render(request, "403.html", {"reason": NOT_HANDLER}, status=403)
    unpaid = [p for p in case.parties.all() if p.must_pay and not p.is_paid]
    form = PaymentForm(request.POST, request.FILES, parties=unpaid, row_version=case.row_version)
    if not form.is_valid():
        if case.stage not in PAYABLE_STAGES or not unpaid:
            return _refused(request, case, "该案件当前没有待缴纳的罚款。")
        messages.error(request, form_errors_text(form))
        return redirect("penalty_case_detail", pk=case.pk)
    data = form.cleaned_data
    kwargs = {
        "actor": request.user,
        "case": case,
        "party": data["party"],
        "paid_on": data["paid_on"],
        "receipt": data.get("receipt"),
        "row_version": data.get("row_version"),
    }
    return _run(request, case, services.penalty_case_record_payment, kwargs, "已登记罚款缴纳。")


@require_POST
def penalty_evidence_upload(request, pk):
    case = penalty_case_detail(user=request.user, pk=pk)
    if not may(request.user, HANDLE, case.mine):
        return render(request, "403.html", {"reason": NOT_HANDLER}, status=403)
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
        return redirect("penalty_case_detail", pk=case.pk)
    data = form.cleaned_data
    kwargs = {
        "actor": request.user,
        "case": case,
        "upload": data["file"],
        "kind": data["kind"],
        "title": data["title"],
        "number": data["number"],
        "dated": data["dated"],
        "pages": data["pages"],
    }
    return _run(request, case, services.penalty_case_attach, kwargs, "材料已归入案卷。")


def penalty_evidence_download(request, pk):
    """Files of the 案卷 are served only here, to the bureau's users of the case's bureau (no public media URL)."""
    evidence = get_object_or_404(penalty_evidence_for(user=request.user), pk=pk)
    return evidence.response()


# ---------------------------------------------------------------- the 案卷


def _case_for_file(request, pk):
    case = penalty_case_detail(user=request.user, pk=pk)
    if not may(request.user, "enforcement.read_case_file", case.mine):
        raise PermissionDenied("案卷由县局保存，煤矿可以下载送达的告知书和决定书。")
    return case


def penalty_case_file(request, pk):
    """The whole 案卷 as one .zip, in binding order, the 卷内目录 first."""
    case = _case_for_file(request, pk)
    return FileResponse(
        case_file_zip(case),
        as_attachment=True,
        filename=f"{safe_filename(case.number)}案卷.zip",
        content_type="application/zip",
    )


def penalty_case_index_docx(request, pk):
    case = _case_for_file(request, pk)
    return docx_response(index_document(case, case_file(case)).save(), f"{case.number}卷内目录")


def penalty_case_part_docx(request, pk, part):
    """One paper the system writes: the bureau's users any of them, the mine the notice and the decision served on
    it."""
    if part not in PARTS:
        raise Http404
    case = penalty_case_detail(user=request.user, pk=pk)
    if part not in SERVED_PARTS and not may(request.user, "enforcement.read_case_file", case.mine):
        raise PermissionDenied("该材料属于县局案卷，不对煤矿提供。")
    od = part_document(case, part)
    if od is None:
        raise Http404("案件尚未办理到该环节。")
    return docx_response(od.save(), f"{case.number}{PARTS[part]}")


# ---------------------------------------------------------------- the bureau's list and figures


def legal_provision_list(request):
    provisions = provision_list(user=request.user)
    return render(
        request,
        "enforcement/penalty/provision_list.html",
        {
            "provisions": provisions,
            "can_keep": may(request.user, "enforcement.keep_provisions"),
            "rules": services_rules(request.user),
        },
    )


def services_rules(user):
    from ..models import rules_for

    bureau_id = getattr(user.organization, "bureau_id", None)
    return rules_for(bureau_id) if bureau_id else None


KEEPER = "enforcement.keep_provisions"
NOT_KEEPER = "处罚依据清单和处罚参数由县局执法人员维护，您的账号只能查看。"


@offered_only_to(KEEPER, NOT_KEEPER)
def legal_provision_create(request):
    form = ProvisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        provision = call_service(form, services.legal_provision_save, actor=request.user, **form.cleaned_data)
        if provision is not None:
            messages.success(request, f"已添加{provision.citation}。")
            return redirect("legal_provision_list")
    return render(request, "enforcement/penalty/provision_form.html", {"form": form, "title": "添加处罚依据"})


@offered_only_to(KEEPER, NOT_KEEPER)
def legal_provision_edit(request, pk):
    provision = get_object_or_404(provision_list(user=request.user), pk=pk)
    form = ProvisionForm(request.POST or None, instance=provision)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.fields}
        fresh = get_object_or_404(provision_list(user=request.user), pk=pk)  # the form wrote into `provision`
        saved = call_service(form, services.legal_provision_save, actor=request.user, provision=fresh, **data)
        if saved is not None:
            messages.success(request, f"已保存{saved.citation}。")
            return redirect("legal_provision_list")
    return render(
        request, "enforcement/penalty/provision_form.html", {"form": form, "title": f"修改{provision.citation}"}
    )


@require_POST
@offered_only_to(KEEPER, NOT_KEEPER)
def legal_provision_load(request):
    added = services.legal_provisions_load(actor=request.user)
    if added:
        messages.success(request, f"已载入 {added} 条常用条款，标记为“未核对”：请逐条对照现行法律法规核对后使用。")
    else:
        messages.info(request, "常用条款均已在清单中。")
    return redirect("legal_provision_list")


@offered_only_to(KEEPER, NOT_KEEPER)
def penalty_rules_edit(request):
    current = services_rules(request.user)
    form = RulesForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.fields}
        if call_service(form, services.penalty_rules_save, actor=request.user, **data) is not None:
            messages.success(request, "处罚参数已保存，此后计算的期限按新参数执行。")
            return redirect("legal_provision_list")
    return render(request, "enforcement/penalty/rules_form.html", {"form": form, "title": "行政处罚参数"})
