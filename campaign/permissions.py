"""Who may do what to the campaign's task progress. The service (campaign.progress), the pages and their templates
(`{% can "campaign.…" %}`) ask these."""

from accounts.permissions import can_oversee_units, is_bureau_user, is_inspector, is_read_only, is_regulator
from core.scoping import scope_of


def can_report_progress(user, organization):
    """An organisation's own people fill in its task progress; the leadership group only reads."""
    return organization is not None and user.organization_id == organization.pk and not is_read_only(user)


def can_see_progress_overview(user):
    """Progress across units (各单位落实总览): for those who oversee units, not a mine's own officer."""
    return can_oversee_units(user)


def can_keep_organisation(user, campaign=None):
    """The campaign's 领导组、办公室、检查工作组 are kept by the inspectors of its bureau; the leadership group, mines
    and enterprises read them. With `campaign=None`: anywhere (a button)."""
    if not is_inspector(user):
        return False
    return campaign is None or (not campaign.is_template and scope_of(user).allows_bureau(campaign.bureau_id))


def may_hold_a_post(user, campaign):
    """A group member named as a system user is a person of the campaign's bureau (any bureau role: the 局长 leads
    the 领导组 with a read-only account)."""
    return is_bureau_user(user) and user.is_active and user.organization_id == campaign.bureau_id


def can_verify_progress(user, progress=None):
    """核验 (verify or return) a unit's declared item: the bureau's inspectors, for the units under their bureau (any,
    without a progress: a button, the waiting list)."""
    if not is_inspector(user):
        return False
    return progress is None or scope_of(user).allows(progress)


def can_set_thresholds(user, campaign=None):
    """A campaign's thresholds (the notice's figures): kept by the inspectors of its bureau, like its organisation."""
    return can_keep_organisation(user, campaign)


def can_see_thresholds(user):
    """The thresholds page: the bureau's people (the leadership group reads it; mines and enterprises read the
    figures where they apply, on their own pages)."""
    return scope_of(user).bureau_desk


def can_author_campaigns(user, campaign=None):
    """Campaigns are authored in the browser by the bureau (issue 21): its inspectors and operators create, edit
    and publish its own campaigns (templates are read and copied, not edited); the leadership group reads, mines and
    enterprises read what is published; a city's regulators author the city's own. With `campaign=None`: anywhere
    (a button, a new campaign)."""
    if is_regulator(user):
        # A city's (province's) regulators author their own campaigns, which the counties below adopt; every county's
        # they only read.
        return campaign is None or (not campaign.is_template and campaign.bureau_id == user.organization_id)
    if not is_bureau_user(user) or is_read_only(user):
        return False
    return campaign is None or (not campaign.is_template and scope_of(user).allows_bureau(campaign.bureau_id))


def can_adopt_campaign(user, campaign=None):
    """落实 (adopt) a campaign of the city above: a county's authors, for a campaign issued by their county's parent
    (the service also checks that the county takes part). With `campaign=None`: anywhere."""
    if not can_author_campaigns(user) or is_regulator(user):
        return False
    org = user.organization
    return campaign is None or (org is not None and org.kind == "bureau" and campaign.bureau_id == org.parent_id)
