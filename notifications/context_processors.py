def unread_notifications(request):
    """The bell's count: one small indexed query per page, for signed-in users only."""
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {}
    return {"unread_notification_count": user.notifications.filter(read_at__isnull=True).count()}
