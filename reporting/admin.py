from django.contrib import admin

from core.admin_mixins import NoDeleteHistoryAdmin

from .models import Submission, SubmissionUrge, SubmissionVersion


class SubmissionVersionInline(admin.TabularInline):
    model = SubmissionVersion
    extra = 0
    can_delete = False
    fields = ("number", "submitted_at", "submitted_by", "review_status", "review_reason", "reviewed_by")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Submission)
class SubmissionAdmin(NoDeleteHistoryAdmin):
    list_display = ("organization", "deadline", "status", "versions_submitted", "late", "submitted_at")
    list_filter = ("status", "late", "deadline__kind")
    list_select_related = ("organization", "deadline")
    readonly_fields = ("versions_submitted", "submitted_at", "late", "days_late", "content")
    inlines = [SubmissionVersionInline]


@admin.register(SubmissionUrge)
class SubmissionUrgeAdmin(admin.ModelAdmin):
    """The record of who urged whom and when: read only (an urge was sent; it is not edited afterwards)."""

    list_display = ("urged_at", "deadline", "organization", "urged_by", "recipients")
    list_filter = ("deadline__kind", "urged_on")
    list_select_related = ("deadline", "organization", "urged_by")
    date_hierarchy = "urged_on"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
