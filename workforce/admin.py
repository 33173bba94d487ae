from django.contrib import admin

from core.admin_mixins import FingerprintAdminMixin, NoDeleteHistoryAdmin

from .models import Certificate, DispatchHandover, Person, PositioningRecord, TrainingSession, WorkUnit, ZeroShiftPlan


@admin.register(WorkUnit)
class WorkUnitAdmin(NoDeleteHistoryAdmin):
    list_display = ("name", "kind", "mine", "workshop", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name",)
    raw_id_fields = ("mine", "workshop")


@admin.register(Person)
class PersonAdmin(NoDeleteHistoryAdmin):
    list_display = ("name", "employee_no", "mine", "role", "employment", "is_active")
    list_filter = ("role", "employment", "is_active")
    search_fields = ("name", "employee_no")
    list_select_related = ("mine",)
    raw_id_fields = ("mine", "unit", "created_by")


@admin.register(TrainingSession)
class TrainingSessionAdmin(NoDeleteHistoryAdmin):
    list_display = ("held_on", "mine", "kind", "topic", "lecturer_name")
    list_filter = ("kind",)
    search_fields = ("topic", "case_one", "case_two")
    list_select_related = ("mine",)
    raw_id_fields = ("mine", "campaign", "lecturer", "created_by", "units")


@admin.register(Certificate)
class CertificateAdmin(NoDeleteHistoryAdmin):
    list_display = ("person", "kind", "number", "expires_on", "mine")
    list_filter = ("kind",)
    search_fields = ("number", "person__name")
    list_select_related = ("person", "mine")
    raw_id_fields = ("mine", "person", "created_by")


@admin.register(PositioningRecord)
class PositioningRecordAdmin(FingerprintAdminMixin, admin.ModelAdmin):
    list_display = ("person_name", "mine", "entered_at", "exited_at", "over_underground", "over_face")
    list_filter = ("over_underground", "over_face")
    search_fields = ("person_name", "card_no")
    list_select_related = ("mine",)
    raw_id_fields = ("mine", "created_by")
    readonly_fields = ("fingerprint_shown",)

    def has_delete_permission(self, request, obj=None):
        return False  # the record of who was underground when stays as imported


@admin.register(ZeroShiftPlan)
class ZeroShiftPlanAdmin(NoDeleteHistoryAdmin):
    list_display = ("shift_date", "mine", "leader_one", "leader_two")
    raw_id_fields = ("mine", "created_by")


@admin.register(DispatchHandover)
class DispatchHandoverAdmin(NoDeleteHistoryAdmin):
    list_display = ("shift_starts_at", "mine", "shift", "lead_minutes", "dispatcher")
    raw_id_fields = ("mine", "created_by")
