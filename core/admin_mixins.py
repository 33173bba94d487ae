from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin


class NoDeleteHistoryAdmin(SimpleHistoryAdmin):
    """Records that are evidence are never deleted, not even by an administrator; their history is shown."""

    def has_delete_permission(self, request, obj=None):
        return False


class FingerprintAdminMixin:
    """The duplicate check's fingerprint, shown read-only under a Chinese label (the field has no verbose name, and
    giving it one would only add a migration to three apps)."""

    @admin.display(description="查重指纹")
    def fingerprint_shown(self, obj):
        return obj.fingerprint
