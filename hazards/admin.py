from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from core.admin_mixins import FingerprintAdminMixin, NoDeleteHistoryAdmin

from .models import ExamResult, Hazard, HazardStandard, Inspection, MajorHazardCategory


class MajorHazardCategoryInline(admin.TabularInline):
    model = MajorHazardCategory
    extra = 0


@admin.register(HazardStandard)
class HazardStandardAdmin(admin.ModelAdmin):
    list_display = ("name", "version", "document_no", "is_current")
    inlines = [MajorHazardCategoryInline]


@admin.register(Hazard)
class HazardAdmin(FingerprintAdminMixin, NoDeleteHistoryAdmin):
    list_display = ("found_on", "mine", "location", "level", "status", "due_on")
    list_filter = ("level", "status", "source", "specialty")
    search_fields = ("location", "description", "responsible_person")
    list_select_related = ("mine",)
    raw_id_fields = ("mine", "campaign", "inspection", "created_by")
    readonly_fields = ("status", "fingerprint_shown", "created_at", "updated_at")


class ExamResultInline(admin.TabularInline):
    model = ExamResult
    extra = 0
    # The evidence is served only by its download view, by the type its content was checked to be: the admin neither
    # links the media path (nothing serves it) nor takes a file past the upload check.
    exclude = ("retraining_evidence", "retraining_evidence_type", "retraining_evidence_name")
    readonly_fields = ("evidence",)

    @admin.display(description="培训证明材料")
    def evidence(self, obj):
        if not obj.pk or not obj.retraining_evidence:
            return "—"
        return format_html('<a href="{}">下载</a>', reverse("exam_evidence_download", kwargs={"pk": obj.pk}))


@admin.register(Inspection)
class InspectionAdmin(NoDeleteHistoryAdmin):
    list_display = ("inspected_on", "mine", "mode")
    list_filter = ("mode",)
    list_select_related = ("mine",)
    raw_id_fields = ("mine", "campaign", "created_by")
    inlines = [ExamResultInline]
