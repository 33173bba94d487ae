"""The bureau's pages of the notice channels: delivery status (发送记录), group robots, channel choices."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.permissions import may
from core.views import paginate, refused, run_form_service

from . import services
from .forms import DeliveryFilterForm, QuietHoursForm, RobotForm
from .kinds import URGENT_KINDS, NoticeKind
from .models import ROBOT_CHANNELS, Channel, ChannelPreference, Robot
from .outbox import quiet_hours_of
from .selectors import deliveries_for


def delivery_list(request):
    if not may(request.user, "notifications.read_deliveries"):
        raise PermissionDenied("发送记录只供应急管理部门查看。")
    form = DeliveryFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page = paginate(request, deliveries_for(request.user, **filters))
    query = "&".join(f"{k}={v}" for k, v in filters.items() if v)
    return render(
        request,
        "notifications/deliveries.html",
        {"page": page, "form": form, "query_string": query, "bad_filter": bool(request.GET) and not form.is_valid()},
    )


def robot_list(request):
    if not may(request.user, "notifications.read_deliveries"):
        raise PermissionDenied("群机器人只供应急管理部门查看。")
    robots = Robot.objects.visible_to(request.user).select_related("organization")
    return render(
        request,
        "notifications/robots.html",
        {"page": paginate(request, robots), "may_manage": may(request.user, "notifications.manage_robots")},
    )


def _robot(request, pk):
    robot = Robot.objects.visible_to(request.user).filter(pk=pk).first()
    if robot is None:
        raise Http404
    if not may(request.user, "notifications.manage_robots", robot):
        return None
    return robot


def _robot_form(request, robot):
    initial = {"active": True}
    if robot is not None:
        # the address's key is a credential too: the form shows it masked, and the masked text posted back keeps it
        initial = {"kind": robot.kind, "name": robot.name, "webhook_url": robot.masked_url, "active": robot.active}
    form = RobotForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        if robot is not None and values["webhook_url"] == robot.masked_url:
            values["webhook_url"] = robot.webhook_url
        saved, status = run_form_service(form, services.robot_save, actor=request.user, robot=robot, **values)
        if saved:
            messages.success(request, f"群机器人“{saved.name}”已保存。")
            return redirect("robot_list")
    title = "添加群机器人" if robot is None else f"修改群机器人：{robot.name}"
    context = {
        "form": form,
        "title": title,
        "help_text": "地址只能指向企业微信或钉钉的服务器。密钥保存后不再显示，也不写入日志。",
        "cancel_url": reverse("robot_list"),
        "no_autocomplete": True,  # the browser must not offer a saved webhook address or secret to the next user
    }
    return render(request, "form.html", context, status=status)


def robot_create(request):
    if not may(request.user, "notifications.manage_robots"):
        return refused(request, "只有县局执法人员可以设置本局的群机器人。")
    return _robot_form(request, None)


def robot_edit(request, pk):
    robot = _robot(request, pk)
    if robot is None:
        return refused(request, "只有本局执法人员可以修改本局的群机器人。")
    return _robot_form(request, robot)


@require_POST
def robot_test(request, pk):
    robot = _robot(request, pk)
    if robot is None:
        return refused(request, "只有本局执法人员可以测试本局的群机器人。")
    try:
        services.robot_test_send(actor=request.user, robot=robot)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"测试消息已发往“{robot.name}”，请在群里查看。")
    return redirect("robot_list")


def _grid(rows, channels):
    chosen = {p.kind: set(p.channels) for p in rows}
    return [
        {
            "kind": kind,
            "label": label,
            "urgent": kind in URGENT_KINDS,
            "set": kind in chosen,
            "cells": [(c, Channel(c).label, c in chosen.get(kind, ())) for c in channels],
        }
        for kind, label in NoticeKind.choices
    ]


def channel_preferences(request):
    """Each user's own choices (短信); below, for those who keep it, the organisation's (robots, its people's 短信)."""
    user = request.user
    unit = user.organization if may(user, "notifications.set_unit_channels") else None
    status = 200
    if request.method == "POST" and request.POST.get("for") == "quiet":
        if unit is None:
            return refused(request, "只有本单位的管理人员可以设置本单位的免打扰时段。")
        quiet_form = QuietHoursForm(request.POST)
        if quiet_form.is_valid():
            services.quiet_hours_save(actor=user, organization=unit, **quiet_form.cleaned_data)
            messages.success(request, "已保存本单位的免打扰时段。")
            return redirect("channel_preferences")
        messages.error(request, "请按“时:分”填写免打扰的开始和结束时间，如 22:00、07:00。")
    elif request.method == "POST":
        for_unit = request.POST.get("for") == "unit"
        if for_unit and unit is None:
            return refused(request, "只有本单位的管理人员可以设置本单位的通知渠道。")
        choices = {kind: request.POST.getlist(kind) for kind in NoticeKind.values}
        try:
            services.channel_preferences_save(actor=user, choices=choices, organization=unit if for_unit else None)
        except DomainError as exc:
            messages.error(request, exc.message)
            status = exc.status if exc.status in (403, 404, 409) else 200
        else:
            messages.success(request, "已保存本单位的通知渠道。" if for_unit else "已保存您的通知渠道。")
            return redirect("channel_preferences")
    own = _grid(ChannelPreference.objects.filter(user=user), [Channel.SMS])
    unit_grid = quiet = None
    if unit is not None:
        start, end = quiet_hours_of([unit.pk])[unit.pk]
        quiet = QuietHoursForm(initial={"start": start, "end": end})
        channels = [Channel.SMS, *(c for c in ROBOT_CHANNELS if unit.kind == "bureau")]
        unit_grid = _grid(ChannelPreference.objects.filter(organization=unit), channels)
    return render(
        request,
        "notifications/channels.html",
        {"own": own, "unit": unit, "unit_grid": unit_grid, "quiet": quiet, "has_phone": bool(user.phone)},
        status=status,
    )
