from django.contrib import admin

from .models import ExamResult, Hazard, HazardStandard, Inspection, MajorHazardCategory


class MajorHazardCategoryInline(admin.TabularInline):
    model = MajorHazardCategory
    extra = 0


@admin.register(HazardStandard)
class HazardStandardAdmin(admin.ModelAdmin):
    list_display = ("name", "version", "document_no", "is_current")
    inlines = [MajorHazardCategoryInline]


@admin.register(Hazard)
class HazardAdmin(admin.ModelAdmin):
    list_display = ("found_on", "mine", "location", "level", "status", "due_on")
    list_filter = ("level", "status", "source", "specialty")
    search_fields = ("location", "description", "responsible_person")
    list_select_related = ("mine",)
    raw_id_fields = ("mine", "campaign", "inspection", "created_by")
    readonly_fields = ("status", "fingerprint", "created_at", "updated_at")

    def has_delete_permission(self, request, obj=None):
        # A ledger line is evidence: it is closed (销号), never deleted.
        return False


class ExamResultInline(admin.TabularInline):
    model = ExamResult
    extra = 0


@admin.register(Inspection)
class InspectionAdmin(admin.ModelAdmin):
    list_display = ("inspected_on", "mine", "mode")
    list_filter = ("mode",)
    list_select_related = ("mine",)
    raw_id_fields = ("mine", "campaign", "created_by")
    inlines = [ExamResultInline]
