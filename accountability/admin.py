from django.contrib import admin

from .models import AccountabilityAction, ActionTarget


class TargetInline(admin.TabularInline):
    model = ActionTarget
    extra = 0
    raw_id_fields = ["organization"]


@admin.register(AccountabilityAction)
class AccountabilityActionAdmin(admin.ModelAdmin):
    list_display = ["number", "kind", "title", "status", "issued_on", "follow_up_on", "follow_up_done_on"]
    list_filter = ["kind", "status"]
    search_fields = ["number", "title"]
    readonly_fields = ["number", "issued_on", "status"]
    inlines = [TargetInline]

    def has_add_permission(self, request):
        # An action is drafted and issued on its pages (numbered, with its targets checked): not typed in the admin.
        return False
