from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.views import call_service, docx_response, offered_only_to, paginate, writers_only

from .. import services
from ..exports import bulletin_docx, bulletin_number
from ..forms import BulletinForm
from ..permissions import can_mark_typical
from ..selectors import bulletin_detail, bulletin_duty, bulletin_list


def bulletin_list_view(request):
    today = timezone.localdate()
    duty = bulletin_duty(bureau_id=request.user.bureau_id, period=f"{today:%Y-%m}") if request.user.bureau_id else None
    return render(
        request,
        "violations/bulletin_list.html",
        {
            "page": paginate(request, bulletin_list(user=request.user)),
            "duty": duty,
            "can_compose": can_mark_typical(request.user),
        },
    )


@offered_only_to("violations.mark_typical", "通报由县局执法人员编写，您的账号只能查看。")
def bulletin_create(request):
    form = BulletinForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        bulletin = call_service(form, services.bulletin_create, actor=request.user, **form.cleaned_data)
        if bulletin:
            messages.success(request, "通报草稿已保存，核对后发布。")
            return redirect("bulletin_detail", pk=bulletin.pk)
    return render(request, "violations/bulletin_form.html", {"form": form})


@offered_only_to("violations.mark_typical", "通报由县局执法人员编写，您的账号只能查看。")
def bulletin_edit(request, pk):
    bulletin = bulletin_detail(user=request.user, pk=pk)
    cases = list(bulletin.cases.all())
    initial = {
        "period": bulletin.period,
        "issue_no": bulletin.issue_no,
        "title": bulletin.title,
        "body": bulletin.body,
        "cases": cases,
    }
    form = BulletinForm(
        request.POST or None, user=request.user, selected=cases, initial=initial, row_version=bulletin.row_version
    )
    saved = request.method == "POST" and form.is_valid()
    if saved and call_service(
        form, services.bulletin_update, actor=request.user, bulletin=bulletin, **form.cleaned_data
    ):
        messages.success(request, "已保存。")
        return redirect("bulletin_detail", pk=pk)
    return render(request, "violations/bulletin_form.html", {"form": form, "bulletin": bulletin})


def bulletin_detail_view(request, pk):
    bulletin = bulletin_detail(user=request.user, pk=pk)
    if bulletin.is_published:
        services.bulletin_mark_read(user=request.user, bulletin=bulletin)
    return render(
        request,
        "violations/bulletin_detail.html",
        {
            "bulletin": bulletin,
            "number": bulletin_number(bulletin),
            "can_edit": can_mark_typical(request.user) and not bulletin.is_published,
        },
    )


@require_POST
@writers_only
def bulletin_publish(request, pk):
    bulletin = bulletin_detail(user=request.user, pk=pk)
    try:
        services.bulletin_publish(actor=request.user, bulletin=bulletin)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "通报已发布，各煤矿和主体企业将在首页看到。")
    return redirect("bulletin_detail", pk=pk)


def bulletin_download(request, pk):
    bulletin = bulletin_detail(user=request.user, pk=pk)
    return docx_response(bulletin_docx(bulletin), bulletin.title)
