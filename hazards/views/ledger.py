from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.counts import figures_counter
from core.history import history_rows
from core.paging import KeysetPaginator
from core.replica import reads_from_replica
from core.views import (
    call_service,
    capture_answer,
    export_title,
    filter_summary,
    filtered,
    ledger_print_page,
    paginate,
    post_action,
    query_string_without_page,
    refused,
    wants_json,
    xlsx_response,
)

from .. import services
from ..exports import hazard_ledger_workbook, ledger_columns, ledger_rows, listed_columns, listed_hazards_workbook
from ..filters import HazardFilter
from ..forms import (
    AccountabilityForm,
    DelistForm,
    HazardFileForm,
    HazardForm,
    LeaderReviewForm,
    LeaderReviewReceiveForm,
    ListingForm,
    NoteForm,
    PublishForm,
    RejectForm,
    SubmitForAcceptanceForm,
    WithdrawPublicationForm,
)
from ..models import HazardStatus
from ..permissions import (
    can_accept,
    can_supervise,
    can_write_ledger,
    held_back_as_requester,
    is_own_higher_inspection,
)
from ..selectors import (
    hazard_acceptors,
    hazard_files,
    hazard_list,
    hazard_list_page,
    inspection_detail,
    listed_hazards,
)
from ..selectors import hazard_detail as select_hazard

LEDGER_TITLE = "事故隐患排查治理台账"


def hazard_list_view(request):
    hazard_filter, qs = filtered(request, HazardFilter, hazard_list_page(user=request.user))
    return render(
        request,
        "hazards/hazard_list.html",
        {
            "filter": hazard_filter,
            # a bureau's ledger runs to millions: paged by position, counted from the dashboards' figures
            "page": paginate(
                request,
                qs,
                paginator_class=KeysetPaginator,
                known_count=figures_counter(hazard_filter, user=request.user),
            ),
            "query_string": query_string_without_page(request),
            "today": timezone.localdate(),
            "can_write": can_write_ledger(request.user),
        },
    )


@reads_from_replica
def hazard_export(request):
    _, qs = filtered(request, HazardFilter, hazard_list(user=request.user))
    title = export_title(request, LEDGER_TITLE)
    return xlsx_response(hazard_ledger_workbook(qs, title=title), f"{title}{timezone.localdate():%Y%m%d}")


def hazard_print_page(request, queryset, *, filter_text="", back_url=""):
    """The print view of these hazards: the filtered ledger, or a batch the user selected (a queryset of
    `hazard_list`), every row of it."""
    return ledger_print_page(
        request,
        title=export_title(request, LEDGER_TITLE),
        columns=ledger_columns(timezone.localdate()),
        rows=ledger_rows(queryset),
        filter_text=filter_text,
        back_url=back_url or reverse("hazard_list"),
    )


def hazard_print(request):
    hazard_filter, qs = filtered(request, HazardFilter, hazard_list(user=request.user))
    back_url = f"{reverse('hazard_list')}?{query_string_without_page(request)}"
    return hazard_print_page(request, qs, filter_text=filter_summary(hazard_filter), back_url=back_url)


HAZARD_WRITERS_ONLY = "登记、导入和修改隐患由煤矿、主体企业和县局执法人员办理，您的账号只能查看。"


def hazard_create(request):
    inspection = None
    if request.GET.get("inspection") or request.POST.get("inspection"):
        inspection = inspection_detail(
            user=request.user, pk=request.GET.get("inspection") or request.POST["inspection"]
        )
    # A city's regulator registers here only the findings of its own inspection (the service says the same).
    own_higher = is_own_higher_inspection(request.user, inspection)
    if not (can_write_ledger(request.user) or own_higher):
        return refused(request, HAZARD_WRITERS_ONLY)
    source = "superior_inspection" if own_higher else "bureau_inspection"
    initial = {"mine": inspection.mine_id, "source": source, "found_on": inspection.inspected_on} if inspection else {}
    form = HazardForm(request.POST or None, request.FILES or None, user=request.user, initial=initial)

    def create():
        data = dict(form.cleaned_data)
        data["photo"] = data.pop("before_photo", None)
        return services.hazard_create(actor=request.user, inspection=inspection, **data)

    def done(hazard):
        return "隐患已登记。" + ("该煤矿已列为停产整顿。" if hazard.is_major else "")

    if request.method == "POST" and wants_json(request):  # the offline capture sending a queued record
        return capture_answer(request, form, create, url_name="hazard_detail", done=done)
    if request.method == "POST" and form.is_valid():
        hazard = call_service(form, create)
        if hazard:
            messages.success(request, done(hazard))
            return redirect("hazard_detail", pk=hazard.pk)
    return render(request, "hazards/hazard_form.html", {"form": form, "inspection": inspection})


def hazard_detail(request, pk):
    hazard = select_hazard(user=request.user, pk=pk)
    user = request.user
    writable = can_write_ledger(user, hazard.mine) and not hazard.is_closed
    awaiting = hazard.status == HazardStatus.AWAITING_ACCEPTANCE
    return render(
        request,
        "hazards/hazard_detail.html",
        {
            "hazard": hazard,
            "today": timezone.localdate(),
            "can_write": writable,
            "can_accept": can_accept(user, hazard) and awaiting,
            # The page says who may accept instead (one person does not check their own work).
            "asked_by_me": awaiting and held_back_as_requester(user, hazard),
            "acceptors": hazard_acceptors(hazard) if awaiting else [],
            "can_supervise": can_supervise(user, hazard.mine) and hazard.is_major,
            # The state forms name the version shown, so an accept is of what was read (core.concurrency).
            "submit_form": SubmitForAcceptanceForm(
                initial={"rectified_on": timezone.localdate()}, row_version=hazard.row_version
            ),
            "note_form": NoteForm(row_version=hazard.row_version),
            "reject_form": RejectForm(row_version=hazard.row_version),
            "file_form": HazardFileForm(),
            "listing_form": ListingForm(
                initial={"listed_on": timezone.localdate(), "supervising_unit": user.organization}
            ),
            "accountability_form": AccountabilityForm(),
            "leader_review_form": LeaderReviewForm(initial={"written_on": timezone.localdate()}),
            "leader_review_receive_form": LeaderReviewReceiveForm(),
            "delist_form": DelistForm(initial={"delisted_on": timezone.localdate()}),
            "publish_form": PublishForm(),
            "withdraw_form": WithdrawPublicationForm(),
            "history": history_rows(hazard),
        },
    )


def hazard_edit(request, pk):
    hazard = select_hazard(user=request.user, pk=pk)
    if not can_write_ledger(request.user, hazard.mine):
        # seen but not theirs to change (the leadership group, a city above the county): 403, not a redirect
        raise PermissionDenied("您只能查看该隐患，不能修改。")
    if hazard.is_closed:
        messages.error(request, "该隐患已销号，不能修改。")
        return redirect("hazard_detail", pk=pk)
    form = HazardForm(request.POST or None, instance=hazard, user=request.user)
    if request.method == "POST" and form.is_valid():
        fresh = select_hazard(user=request.user, pk=pk)  # the form wrote into `hazard`; the service compares
        if call_service(form, services.hazard_update, actor=request.user, hazard=fresh, **form.cleaned_data):
            messages.success(request, "已保存。")
            return redirect("hazard_detail", pk=pk)
    return render(request, "hazards/hazard_form.html", {"form": form, "hazard": hazard})


@require_POST
def hazard_transition(request, pk, action):
    forms_by_action = {
        "start": (NoteForm, services.hazard_start_rectification, "已开始整改。"),
        "submit": (SubmitForAcceptanceForm, services.hazard_submit_for_acceptance, "已申请验收。"),
        "accept": (NoteForm, services.hazard_accept, "已验收销号。"),
        "reject": (RejectForm, services.hazard_reject, "已退回整改。"),
    }
    if action not in forms_by_action:
        raise Http404
    form_class, service, done = forms_by_action[action]
    return _post_action(request, pk, form_class, service, done, versioned=True)


def _post_action(request, pk, form_class, service, done, versioned=False):
    hazard = select_hazard(user=request.user, pk=pk)
    # A state change names the version the page showed (a required hidden field; the service compares it).
    extra = {"row_version": hazard.row_version} if versioned else {}
    form = form_class(request.POST, request.FILES, **extra)
    then = reverse("hazard_detail", kwargs={"pk": pk})
    return post_action(request, form, service, done=done, then=then, actor=request.user, hazard=hazard)


@require_POST
def hazard_file_upload(request, pk):
    def attach(*, actor, hazard, stage, file):
        return services.hazard_attach_file(actor=actor, hazard=hazard, stage=stage, upload=file)

    return _post_action(request, pk, HazardFileForm, attach, "已上传。")


@require_POST
def hazard_listing_create(request, pk):
    return _post_action(request, pk, ListingForm, services.hazard_list_publicly, "已挂牌督办。")


@require_POST
def hazard_delist(request, pk):
    return _post_action(request, pk, DelistForm, services.hazard_delist, "已摘牌。")


@require_POST
def hazard_listing_publish(request, pk):
    return _post_action(request, pk, PublishForm, services.hazard_listing_publish, "已公开，公示页面可以看到该案例。")


@require_POST
def hazard_listing_withdraw(request, pk):
    return _post_action(request, pk, WithdrawPublicationForm, services.hazard_listing_withdraw, "已撤回公开。")


@require_POST
def leader_review_submit(request, pk):
    return _post_action(
        request, pk, LeaderReviewForm, services.leader_review_submit, "主要负责人检查已报送，待县局签收。"
    )


@require_POST
def leader_review_receive(request, pk):
    return _post_action(request, pk, LeaderReviewReceiveForm, services.leader_review_receive, "已签收主要负责人检查。")


def leader_review_file(request, pk):
    """The written 检查, served only to those who may see the hazard (no public media URL)."""
    hazard = select_hazard(user=request.user, pk=pk)
    review = getattr(hazard, "leader_review", None)
    if review is None or not review.file:
        raise Http404
    return review.response()


@require_POST
def hazard_accountability_create(request, pk):
    return _post_action(request, pk, AccountabilityForm, services.hazard_accountability_record, "已登记“一案双查”。")


def hazard_file_download(request, file_pk):
    """Files are served only through here, to users who may see the hazard (no public media URL)."""
    item = get_object_or_404(hazard_files(user=request.user), pk=file_pk)
    return item.response()


LISTED_TITLE = "重大事故隐患挂牌督办清单"


def listed_hazard_print(request):
    """Every listing of the county list on paper, not the page of 20 on screen."""
    return ledger_print_page(
        request,
        title=LISTED_TITLE,
        columns=listed_columns(),
        rows=listed_hazards(user=request.user),
        back_url=reverse("listed_hazard_list"),
    )


@reads_from_replica
def _listed_workbook(user):
    """The county list as a workbook, read from the replica (the page itself reads the primary). Built here, rows
    and all: the response only saves it."""
    return listed_hazards_workbook(listed_hazards(user=user), title=LISTED_TITLE)


def listed_hazard_list(request):
    if request.GET.get("format") == "xlsx":
        workbook = _listed_workbook(request.user)
        return xlsx_response(workbook, f"{LISTED_TITLE}{timezone.localdate():%Y%m%d}")
    listings = listed_hazards(user=request.user)
    return render(
        request,
        "hazards/listed_list.html",
        {
            "page": paginate(request, listings),
            "export_url": reverse("listed_hazard_list") + "?format=xlsx",
            "public_bureau": request.user.organization.bureau if request.user.organization_id else None,
        },
    )
