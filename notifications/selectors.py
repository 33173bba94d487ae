"""Reads of the notice channels, each starting from the visibility rule."""

from .models import Delivery


def deliveries_for(user, *, status="", channel=""):
    """The deliveries of the notices of the user's bureau (and of the units under it), newest first."""
    qs = Delivery.objects.visible_to(user).select_related("notification__recipient", "robot")
    if status:
        qs = qs.filter(status=status)
    if channel:
        qs = qs.filter(channel=channel)
    return qs.order_by("-created_at", "-id")
