from django.contrib import admin

from core.admin_mixins import FingerprintAdminMixin, NoDeleteHistoryAdmin

from .models import Bulletin, RedLineList, RepeatOffender, Tipoff, Violation


@admin.register(Violation)
class ViolationAdmin(FingerprintAdminMixin, NoDeleteHistoryAdmin):
    list_display = ("occurred_on", "mine", "person_name", "type", "severity", "typical")
    list_filter = ("type", "severity", "typical")
    search_fields = ("person_name", "description", "location")
    list_select_related = ("mine",)
    raw_id_fields = ("mine", "campaign", "inspection", "created_by")
    readonly_fields = ("fingerprint_shown", "backtracks_completed_on")


@admin.register(Bulletin)
class BulletinAdmin(admin.ModelAdmin):
    list_display = ("period", "title", "status", "published_at")
    list_filter = ("status",)
    filter_horizontal = ("cases",)

    def has_delete_permission(self, request, obj=None):
        return obj is None or not obj.is_published  # a published bulletin stays on record


@admin.register(RedLineList)
class RedLineListAdmin(admin.ModelAdmin):
    list_display = ("mine", "kind", "version", "is_current", "effective_on")
    list_filter = ("kind", "is_current")

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Tipoff)
class TipoffAdmin(admin.ModelAdmin):
    list_display = ("tracking_code", "received_on", "category", "status")
    list_filter = ("status", "category")
    readonly_fields = ("tracking_code", "received_on", "content")

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RepeatOffender)
class RepeatOffenderAdmin(NoDeleteHistoryAdmin):
    list_display = ("person_name", "mine", "campaign", "escalated_at", "mentoring_completed_on")
    raw_id_fields = ("mine", "campaign", "first_violation", "second_violation")
    readonly_fields = ("mentoring_completed_on",)
