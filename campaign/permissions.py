"""Who may do what to the campaign's task progress. The service (campaign.progress), the pages and their templates
(`{% can "campaign.…" %}`) ask these."""

from accounts.permissions import can_oversee_units, is_read_only


def can_report_progress(user, organization):
    """An organisation's own people fill in its task progress; the leadership group only reads."""
    return organization is not None and user.organization_id == organization.pk and not is_read_only(user)


def can_see_progress_overview(user):
    """Progress across units (各单位落实总览): for those who oversee units, not a mine's own officer."""
    return can_oversee_units(user)
