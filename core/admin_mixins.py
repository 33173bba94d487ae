from simple_history.admin import SimpleHistoryAdmin


class NoDeleteHistoryAdmin(SimpleHistoryAdmin):
    """Records that are evidence are never deleted, not even by an administrator; their history is shown."""

    def has_delete_permission(self, request, obj=None):
        return False
