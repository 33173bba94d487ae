from django.contrib import admin

from .models import Campaign, CampaignRevision, Deadline, Phase, Requirement


class PhaseInline(admin.TabularInline):
    model = Phase
    extra = 0


class DeadlineInline(admin.TabularInline):
    """The bureau adds or moves deadlines here (e.g. a January report, or a later summary)."""

    model = Deadline
    extra = 0


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "bureau", "starts_on", "ends_on", "is_template", "status", "version")
    list_filter = ("is_template", "status")
    inlines = [PhaseInline, DeadlineInline]

    def has_delete_permission(self, request, obj=None):
        return False  # ledgers and submissions point at it; a campaign is archived, not deleted


@admin.register(Requirement)
class RequirementAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "campaign", "level", "target_display", "performed_by", "evidence")
    list_filter = ("campaign", "level", "performed_by", "evidence")
    search_fields = ("code", "name")


@admin.register(CampaignRevision)
class CampaignRevisionAdmin(admin.ModelAdmin):
    """Versions are written by the authoring services only: read here, never edited."""

    list_display = ("campaign", "version", "changed_by", "changed_at", "summary")
    list_filter = ("campaign",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
