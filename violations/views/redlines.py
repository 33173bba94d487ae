from django.contrib import messages
from django.shortcuts import redirect, render

from core.views import call_service, offered_only_to, paginate, xlsx_response

from .. import services
from ..exports import red_line_workbook
from ..forms import RedLineUploadForm
from ..permissions import can_keep_red_lines
from ..selectors import red_line_detail, red_line_lists


def red_line_list_view(request):
    lists = red_line_lists(user=request.user).order_by("mine__name", "kind", "-version")
    if request.GET.get("current") != "0":
        lists = lists.filter(is_current=True)
    return render(
        request,
        "violations/redline_list.html",
        {
            "page": paginate(request, lists),
            "can_upload": can_keep_red_lines(request.user),
            "show_all": request.GET.get("current") == "0",
        },
    )


def _publish_from_upload(*, actor, file, **fields):
    # Read the file first, outside any transaction; the publication is its own short one.
    items = services.red_line_items_from_xlsx(file)
    return services.red_line_list_publish(actor=actor, items=items, **fields)


@offered_only_to(
    "violations.keep_red_lines", "红线清单和追责问责清单由煤矿（或其主体企业）制定发布，您的账号只能查看。"
)
def red_line_upload(request):
    form = RedLineUploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        red_line_list = call_service(form, _publish_from_upload, actor=request.user, **form.cleaned_data)
        if red_line_list:
            messages.success(request, f"已发布第 {red_line_list.version} 版，共 {red_line_list.items.count()} 条。")
            return redirect("red_line_detail", pk=red_line_list.pk)
    return render(request, "violations/redline_form.html", {"form": form})


def red_line_detail_view(request, pk):
    red_line_list = red_line_detail(user=request.user, pk=pk)
    if request.GET.get("format") == "xlsx":
        return xlsx_response(red_line_workbook(red_line_list), f"{red_line_list.title}第{red_line_list.version}版")
    return render(request, "violations/redline_detail.html", {"list": red_line_list})
