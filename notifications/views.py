from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from accounts.forms import NoticePreferenceForm
from core.views import paginate

from . import services
from .models import Notification


def notification_list(request):
    qs = request.user.notifications.all()
    if request.GET.get("unread") == "1":
        qs = qs.filter(read_at__isnull=True)
    return render(
        request,
        "notifications/list.html",
        {
            "page": paginate(request, qs),
            "unread_only": request.GET.get("unread") == "1",
            "query_string": "unread=1" if request.GET.get("unread") == "1" else "",
            "preference_form": NoticePreferenceForm(instance=request.user),
        },
    )


def notification_open(request, pk):
    """Mark read and go where the notice points (only within this site)."""
    notification = get_object_or_404(Notification, recipient=request.user, pk=pk)
    services.notification_mark_read(user=request.user, notification_id=notification.pk)
    target = notification.url or "/notifications/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/notifications/"
    return redirect(target)


@require_POST
def notification_read_all(request):
    count = services.notification_mark_all_read(user=request.user)
    messages.success(request, f"已将 {count} 条通知标为已读。")
    return redirect("notification_list")


@require_POST
def notification_preferences(request):
    form = NoticePreferenceForm(request.POST, instance=request.user)
    if form.is_valid():
        form.save()
        messages.success(request, "已保存通知设置。")
    return redirect("notification_list")
