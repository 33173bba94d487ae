from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from simple_history.admin import SimpleHistoryAdmin

from .models import MineSupervisor, Organization, User


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "parent", "status", "licence_no")
    list_filter = ("kind", "status")
    search_fields = ("name", "short_name", "licence_no")
    readonly_fields = ("bureau", "created_at")
    list_select_related = ("parent",)


class TemporaryPasswordForm(AdminPasswordChangeForm):
    """The admin's set-password page: a password an administrator sets is temporary, as on the add form."""

    def set_password_and_save(self, user, commit=True, **kwargs):
        user.must_change_password = True
        return super().set_password_and_save(user, commit=commit, **kwargs)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    change_password_form = TemporaryPasswordForm
    list_display = ("username", "full_name", "role", "organization", "is_active")
    list_filter = ("role", "is_active")
    search_fields = ("username", "full_name", "phone")
    list_select_related = ("organization",)
    fieldsets = BaseUserAdmin.fieldsets + (
        ("单位与角色", {"fields": ("role", "organization", "full_name", "phone", "title")}),
    )
    add_fieldsets = BaseUserAdmin.add_fieldsets + (("单位与角色", {"fields": ("role", "organization", "full_name")}),)

    def save_model(self, request, obj, form, change):
        # A password set by an administrator is temporary: the person must choose their own at first login.
        if not change or "password" in form.changed_data:
            obj.must_change_password = True
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request, obj=None):
        # People leave: deactivate them (is_active), so their records keep a name.
        return False


@admin.register(MineSupervisor)
class MineSupervisorAdmin(SimpleHistoryAdmin):
    """监管专员包保 (the bureau's inspectors keep it on /mines/supervisors/; here for the administrator)."""

    list_display = ("mine", "supervisor", "duty", "since", "note")
    list_filter = ("duty",)
    search_fields = ("mine__name", "supervisor__username", "supervisor__full_name")
    list_select_related = ("mine", "supervisor")
    raw_id_fields = ("mine", "supervisor")
    readonly_fields = ("row_version", "created_by", "created_at")
