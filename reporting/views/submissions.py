from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import Enterprise
from campaign.models import Deadline
from campaign.switcher import campaign_for_request
from core.errors import DomainError
from core.history import history_rows
from core.views import form_errors_text, paginate, post_action, query_string_without_page, writers_only

from .. import services
from ..content import manual_fields, narrative_fields
from ..figures import FIGURE_LABELS, four_no_status, register_differences, register_now, register_prefill
from ..forms import (
    ApproveForm,
    AttachmentForm,
    BatchApproveForm,
    ReturnForm,
    ReviewFilterForm,
    initial_from,
    split_cleaned,
    submission_form_class,
)
from ..models import SubmissionStatus
from ..permissions import can_review, can_urge, can_write_submission
from ..selectors import (
    CELL_STATES,
    NOT_SENT,
    matrix_column_totals,
    matrix_deadlines,
    matrix_organizations,
    review_filter_q,
    review_queue,
    submission_detail,
    submission_files,
    submission_list,
    submission_matrix,
    urgeable,
)


def _filters(request):
    enterprises = Enterprise.objects.visible_to(request.user).order_by("name")
    form = ReviewFilterForm(request.GET or None, enterprises=enterprises)
    q = review_filter_q()
    if form.is_valid():
        d = form.cleaned_data
        q = review_filter_q(kind=d["kind"], enterprise=d["enterprise"] and d["enterprise"].pk, status=d["status"])
    return form, q


def submission_list_view(request):
    form, q = _filters(request)
    qs = submission_list(user=request.user).filter(q).order_by("-updated_at", "-pk")
    return render(
        request,
        "reporting/submission_list.html",
        {
            "form": form,
            "page": paginate(request, qs),
            "query_string": query_string_without_page(request),
            "title": "报送记录",
        },
    )


def review_queue_view(request):
    form, q = _filters(request)
    qs = review_queue(user=request.user).filter(q)
    return render(
        request,
        "reporting/review_queue.html",
        {
            "form": form,
            "page": paginate(request, qs),
            "query_string": query_string_without_page(request),
            "batch_form": BatchApproveForm() if can_review(request.user) else None,
        },
    )


#: what the review queue's address may carry back after a batch (its filters and page)
QUEUE_PARAMS = ("kind", "status", "enterprise", "page")


@require_POST
def submission_batch_approve(request):
    """批量通过 from the review queue: each ticked submission through the approval service, one note for all; what
    was approved and why each other was not are said as messages on the queue."""
    if not can_review(request.user):
        raise PermissionDenied("只有县局执法人员和上级监管部门可以审核报送。")
    back = QueryDict(request.POST.get("query", "")[:500])
    then = reverse("review_queue")
    kept = {k: back[k][:20] for k in QUEUE_PARAMS if back.get(k)}
    if kept:
        then += "?" + urlencode(kept)
    form = BatchApproveForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
        return redirect(then)
    try:
        outcome = services.submissions_approve_many(
            actor=request.user, items=form.cleaned_data["items"], note=form.cleaned_data["note"]
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(then)
    if outcome.approved:
        messages.success(request, f"已批量通过 {len(outcome.approved)} 份，报送单位已收到通知。")
    for refusal in outcome.refused:
        messages.error(request, f"未通过：{refusal.label}——{refusal.message}")
    return redirect(then)


def submission_matrix_view(request):
    today = timezone.localdate()
    campaign = campaign_for_request(request, today=today)
    if campaign is None:
        return render(request, "reporting/matrix.html", {"campaign": None})
    deadlines = matrix_deadlines(user=request.user, campaign=campaign)
    for d in deadlines:
        d.urgeable = urgeable(d, today)
    orgs_page = Paginator(matrix_organizations(user=request.user, campaign=campaign), 50).get_page(
        request.GET.get("page")
    )
    rows = submission_matrix(deadlines=deadlines, organizations=list(orgs_page), today=today)
    return render(
        request,
        "reporting/matrix.html",
        {
            "campaign": campaign,
            "deadlines": deadlines,
            "rows": rows,
            "page": orgs_page,
            "query_string": f"campaign={campaign.pk}",  # the pages stay on this campaign
            "states": CELL_STATES,
            "not_sent": NOT_SENT,
            "column_totals": matrix_column_totals(user=request.user, deadlines=deadlines, campaign=campaign),
            "may_urge": can_urge(request.user),
            "today": today,
        },
    )


@require_POST
def submission_urge(request, deadline_pk, org_pk=None):
    """催报 a column (every unit that has not sent the deadline) or one cell. Not yours: 404; yours to see but not
    to urge (a unit's officer, the leadership): 403; the outcome is said on the matrix."""
    deadline = get_object_or_404(
        Deadline.objects.visible_to(request.user).select_related("campaign"),
        pk=deadline_pk,
    )
    organization = None
    if org_pk is not None:
        organization = get_object_or_404(matrix_organizations(user=request.user, campaign=deadline.campaign), pk=org_pk)
    if not can_urge(request.user, organization):
        raise PermissionDenied("只有县局执法人员（对所辖单位）和上级监管部门（对下辖县局）可以催报。")
    then = f"{reverse('submission_matrix')}?campaign={deadline.campaign_id}"  # back to the deadline's campaign
    page = request.POST.get("page", "")
    if page.isascii() and page.isdigit() and len(page) < 6:
        then += f"&page={page}"
    try:
        outcome = services.submission_urge(actor=request.user, deadline=deadline, organization=organization)
    except DomainError as exc:
        if exc.status == 404:  # a deadline the user reads but does not chase (a county, its city's)
            raise Http404(exc.message) from exc
        if exc.status == 403:
            raise PermissionDenied(exc.message) from exc
        messages.error(request, exc.message)
        return redirect(then)
    if outcome.urged:
        told = outcome.urged - len(outcome.without_people)  # the units without an account are named below
        done = f"已向 {outcome.urged} 家单位催报{deadline.name}"
        if told == outcome.urged:
            messages.success(request, f"{done}，各单位已收到通知。")
        else:
            messages.success(request, f"{done}，其中 {told} 家已收到通知。" if told else f"{done}，已记录。")
    if outcome.already:
        messages.info(request, f"{outcome.already} 家单位今天已催报过，未重复发送。")
    if not outcome.urged and not outcome.already:
        messages.info(request, f"{deadline.name}没有未报送的单位，无需催报。")
    if outcome.without_people:
        messages.warning(request, f"以下单位没有系统账号，未能收到通知：{'、'.join(outcome.without_people[:20])}。")
    return redirect(then)


@require_http_methods(["GET", "POST"])
@writers_only
def submission_open(request, deadline_pk):
    """Start (POST) or resume the organisation's submission for a deadline.

    Creating the draft is a POST: a GET must change nothing (a prefetching browser, a crawler or a link in an e-mail
    would otherwise leave drafts behind). A GET — the link in a reminder — goes to the submission when there is one,
    and otherwise shows what is owed with a button that starts it."""
    deadline = get_object_or_404(Deadline.objects.visible_to(request.user), pk=deadline_pk)
    try:
        if request.method == "GET":
            services.submission_open_check(actor=request.user, deadline=deadline)
            submission = (
                submission_list(user=request.user)
                .filter(organization_id=request.user.organization_id, deadline=deadline)
                .first()
            )
            if submission is None:
                return render(request, "reporting/submission_open.html", {"deadline": deadline})
        else:
            submission = services.submission_open(actor=request.user, deadline=deadline)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("home")
    return redirect("submission_edit" if submission.editable else "submission_detail", pk=submission.pk)


def _preview(submission):
    """For a draft: the figures as the ledgers hold them now; for a submitted one: what was frozen."""
    if submission.editable:
        return {**submission.content, **services.prefill(submission)}
    return submission.content


def submission_edit(request, pk):
    submission = submission_detail(user=request.user, pk=pk)
    kind = submission.deadline.kind
    form_class = submission_form_class(kind)
    if not can_write_submission(request.user, submission):
        # seen but not theirs to fill in (the bureau, the leadership group, a city above the county): 403
        raise PermissionDenied("报送由报送单位填写，您的账号只能查看。")
    if not submission.editable:
        return redirect("submission_detail", pk=pk)
    content = _preview(submission)
    initial = initial_from(submission.content)
    if "manual" not in submission.content:
        # Never saved: the accident figures start from the register (事故台账); what the unit changes is flagged to
        # the reviewer.
        initial.update({f"m_{k}": v for k, v in register_prefill(content.get("figures") or {}).items()})
    form = form_class(request.POST or None, initial=initial, row_version=submission.row_version)
    if request.method == "POST" and form.is_valid():
        narrative, manual = split_cleaned(form.cleaned_data)
        try:
            services.submission_save(
                actor=request.user,
                submission=submission,
                narrative=narrative,
                manual=manual,
                row_version=form.cleaned_data["row_version"],
            )
            if "submit" in request.POST:
                services.submission_submit(actor=request.user, submission=submission)
                reviewer = "上级" if submission.organization.kind in ("bureau", "city") else "县局"
                messages.success(request, f"已报送，等待{reviewer}审核。")
                return redirect("submission_detail", pk=pk)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "草稿已保存。")
            return redirect("submission_edit", pk=pk)
    return render(
        request,
        "reporting/submission_edit.html",
        {
            "submission": submission,
            "form": form,
            "attachment_form": AttachmentForm(),
            "figures": _figure_rows(content),
            "four_no": four_no_status(content.get("figures", {}), content.get("manual", {}))
            if content.get("figures")
            else None,
        },
    )


def _figure_rows(content):
    figures = content.get("figures") or {}
    return [(label, figures[key]) for key, label in FIGURE_LABELS.items() if key in figures]


def submission_detail_view(request, pk):
    """The submission with its latest version's content shown in full: the inspector reads what was sent beside
    通过/退回 (the forms name that version and the row version read), the unit sees what it sent."""
    submission = submission_detail(user=request.user, pk=pk)
    versions = list(submission.versions.all())
    latest = versions[-1] if versions else None
    review_initial = {"version": submission.versions_submitted, "row_version": submission.row_version}
    return render(
        request,
        "reporting/submission_detail.html",
        {
            **(_version_context(submission, latest) if latest else {"submission": submission}),
            "versions": versions,
            "latest": latest,
            "can_review": can_review(request.user, submission) and submission.status == SubmissionStatus.SUBMITTED,
            "can_edit": can_write_submission(request.user, submission) and submission.editable,
            "return_form": ReturnForm(initial=review_initial),
            # The accident figures the unit typed against the register as it stands (事故台账), for the reviewer.
            "register_differences": register_differences(latest.content.get("manual"), register_now(submission))
            if latest and latest.content.get("manual")
            else [],
            "approve_form": ApproveForm(initial=review_initial),
            "history": history_rows(submission),
        },
    )


def submission_version_view(request, pk, number):
    submission = submission_detail(user=request.user, pk=pk)
    version = get_object_or_404(submission.versions.all(), number=number)
    return render(request, "reporting/submission_version.html", _version_context(submission, version))


def _version_context(submission, version):
    kind = submission.deadline.kind
    content = version.content
    narrative = content.get("narrative", {})
    manual = content.get("manual", {})
    files = {f.pk: f for f in submission.files.all()}
    return {
        "submission": submission,
        "version": version,
        "narrative": [(label, narrative.get(name, "")) for name, label, _ in narrative_fields(kind)],
        "manual": [(label, manual.get(name, 0)) for name, label in manual_fields(kind)],
        "figures": _figure_rows(content),
        "four_no": four_no_status(content.get("figures", {}), manual) if content.get("figures") else None,
        "hazard_list": content.get("hazard_list"),
        "attachments": [files[i] for i in content.get("attachments", []) if i in files],
    }


@require_POST
def submission_attach(request, pk):
    submission = submission_detail(user=request.user, pk=pk)
    if not can_write_submission(request.user, submission):
        raise PermissionDenied("报送由报送单位填写，您的账号只能查看。")
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.submission_attach(actor=request.user, submission=submission, upload=form.cleaned_data["file"])
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "附件已上传。")
    else:
        messages.error(request, "请选择要上传的文件。")
    return redirect("submission_edit", pk=pk)


def submission_file_download(request, file_pk):
    item = get_object_or_404(submission_files(user=request.user), pk=file_pk)
    return item.response()


@require_POST
def submission_review(request, pk, action):
    submission = submission_detail(user=request.user, pk=pk)
    by_action = {
        "approve": (ApproveForm, services.submission_approve, "已审核通过。"),
        "return": (ReturnForm, services.submission_return, "已退回，报送单位修改后重新报送。"),
    }
    if action not in by_action:
        return redirect("submission_detail", pk=pk)
    if not can_review(request.user, submission):
        # seen but not theirs to review (a unit, the leadership group, a county its own report to the city, a city a
        # mine's report to its county): 403
        raise PermissionDenied("您只能查看该报送，不能审核。")
    form_class, service, done = by_action[action]
    return post_action(
        request,
        form_class(request.POST),
        service,
        done=done,
        then=reverse("submission_detail", kwargs={"pk": pk}),
        regulator_write=True,  # a city reviews its counties' reports (can_review above)
        actor=request.user,
        submission=submission,
    )
