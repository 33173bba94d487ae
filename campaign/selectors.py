from django.db.models import Case, Prefetch, Q, Value, When
from django.utils import timezone

from .figures import with_figures
from .models import Campaign, CampaignStatus, Deadline


def campaign_list(*, user):
    return Campaign.objects.visible_to(user).select_related("bureau").prefetch_related("phases", "deadlines")


def _parts_of_visible(model, user):
    """Rows of `model` (a phase, deadline or task item) of the campaigns the user sees, templates aside (read and
    copied, not edited): the authoring pages' and the API's read."""
    visible = Campaign.objects.visible_to(user).filter(is_template=False)
    return model.objects.filter(campaign__in=visible).select_related("campaign")


def phase_records(*, user):
    from .models import Phase

    return _parts_of_visible(Phase, user).order_by("campaign_id", "order", "pk")


def deadline_records(*, user):
    return _parts_of_visible(Deadline, user).order_by("campaign_id", "due_on", "code", "pk")


def requirement_records(*, user):
    from .models import Requirement

    return _parts_of_visible(Requirement, user).order_by("campaign_id", "order", "pk")


def units_taking_part(*, campaign):
    """Who takes part in `campaign`, for its page: None when every mine and enterprise of its bureau does (a template
    too), else [{"enterprise", "mines"}] enterprise by enterprise, as campaign.membership reads it (one query)."""
    from .membership import units_of

    if campaign.is_template or campaign.covers_all_units:
        return None
    units = list(units_of(campaign).only("pk", "kind", "name", "short_name", "parent_id").order_by("name", "pk"))
    groups = {u.pk: {"enterprise": u, "mines": []} for u in units if u.kind == "enterprise"}
    others = {"enterprise": None, "mines": []}  # a mine under no enterprise of the bureau
    for u in units:
        if u.kind == "mine":
            groups.get(u.parent_id, others)["mines"].append(u)
    return [*groups.values(), *([others] if others["mines"] else [])]


def _published_for(user, figures):
    qs = (
        Campaign.objects.visible_to(user)
        .worked_in_by(user)
        .filter(is_template=False, status=CampaignStatus.PUBLISHED)
        .prefetch_related("phases", Prefetch("deadlines", queryset=Deadline.objects.order_by("due_on")))
    )
    return with_figures(qs) if figures else qs


def campaigns_running_for(*, user, today=None):
    """The published campaigns the user takes part in (a bureau: runs) that run today, oldest first: a mine in two
    campaigns at once works in both (the campaign switcher lists them). One query."""
    today = today or timezone.localdate()
    return list(
        Campaign.objects.visible_to(user)
        .worked_in_by(user)
        .running_on(today)
        # above the county the switcher names each one's bureau, and a county's city when they are many
        .select_related("bureau__parent")
        .order_by("starts_on", "pk")
        .only(
            "pk",
            "name",
            "starts_on",
            "ends_on",
            "bureau_id",
            "bureau__name",
            "bureau__short_name",
            "bureau__parent_id",
            "bureau__parent__name",
            "bureau__parent__short_name",
        )
    )


def campaign_active_for(*, user, today=None, figures=False, chosen=None):
    """The campaign the user works in: `chosen` (an id the user picked in the switcher; None if it is not one the
    user sees), else the oldest of those running today (the one whose rules records are judged by,
    campaign.membership.campaign_of_record), else the latest one. With `figures`, its notice figures come in the
    same query (campaign.figures.with_figures)."""
    today = today or timezone.localdate()
    qs = _published_for(user, figures)
    if chosen is not None:
        return qs.filter(pk=chosen).first()
    # A city's own campaign before its counties' (a county's and a mine's are all their county's anyway).
    own_first = Case(When(bureau_id=user.organization_id, then=0), default=1) if user.organization_id else Value(1)
    return (
        qs.running_on(today).order_by(own_first, "starts_on", "pk").first()
        or qs.order_by(own_first, "-starts_on", "-pk").first()
    )


def deadlines_owed_in_others(*, campaigns, shown, organization):
    """The deadlines `organization` owes in the running `campaigns` other than the one `shown` (a unit in two campaigns
    at once sees the other's on its home page too), by due date. Two queries (the deadlines with their campaigns and
    who takes part), none when there is no other campaign."""
    others = [c.pk for c in campaigns if shown is None or c.pk != shown.pk]
    if not others:
        return []
    deadlines = (
        Deadline.objects.filter(campaign_id__in=others)
        .prefetch_related("campaign__participants")  # one instance per campaign: who takes part is read once
        .order_by("due_on", "pk")
    )
    return [d for d in deadlines if d.is_owed_by(organization)]


def units_in_sight(*, user, campaign):
    """The mines and enterprises the user sees that take part in `campaign` (the rows of its progress pages)."""
    from accounts.models import Organization

    from .membership import units_q

    return Organization.objects.visible_to(user).filter(units_q(campaign), kind__in=["mine", "enterprise"])


def deadlines_owed_by(*, campaign, organization):
    """Deadlines of `campaign` that `organization` must meet (bureaus owe none of these; a unit not taking part in
    the campaign owes none of its deadlines)."""
    return [d for d in campaign.deadlines.all() if d.is_owed_by(organization)]


def progress_evidence(*, user):
    """The evidence files (佐证材料) of the task progress the user sees (the download view serves no other)."""
    from .models import ProgressEvidence, RequirementProgress

    return ProgressEvidence.objects.filter(progress__in=RequirementProgress.objects.visible_to(user))


def progress_evidence_search(*, user, words):
    """The search box (search/): evidence by its file name or the task item it proves."""
    from core.search import words_q

    return progress_evidence(user=user).filter(words_q(words, ("original_name", "progress__requirement__name")))


def progress_records(*, user):
    """Task progress rows the user sees, with what their pages show (the unit, its enterprise, the item's section)."""
    from .models import RequirementProgress

    return RequirementProgress.objects.visible_to(user).select_related(
        "organization__parent", "requirement__parent__parent", "requirement__campaign"
    )


def verification_queue(*, user, campaign, state="declared", organization=None, section=None, flagged=False):
    """The bureau's list of declared items (核验): those waiting first (oldest declaration first), or those returned,
    verified or all that were ever declared; by unit, by section of the task list, or only those returned twice."""
    from .models import FLAG_AFTER_RETURNS

    qs = progress_records(user=user).filter(requirement__campaign=campaign, declarations__gt=0)
    if state and state != "all":
        qs = qs.filter(state=state)
    if organization is not None:
        qs = qs.filter(organization=organization)
    if section is not None:
        qs = qs.filter(requirement__parent__parent=section)
    if flagged:
        qs = qs.filter(times_returned__gte=FLAG_AFTER_RETURNS)
    return qs.order_by("updated_at", "pk")


def campaign_revisions(*, campaign):
    """The versions of a published campaign, newest first, with who made each (one query)."""
    from .models import CampaignRevision

    return CampaignRevision.objects.filter(campaign=campaign).select_related("changed_by").order_by("-version")


def adoptions_of(*, campaign):
    """A city's campaign, county by county: each county below that takes part, with its own campaign adopting it (None
    until it adopts), for the city's campaign page. Two queries."""
    from accounts.models import Organization

    from .membership import upward_q

    counties = list(
        Organization.objects.filter(upward_q(campaign) & ~Q(pk=campaign.bureau_id)).order_by("division_code", "name")
    )
    adopted = {
        c.bureau_id: c
        for c in Campaign.objects.filter(adopts=campaign, bureau__in=[county.pk for county in counties]).order_by("pk")
    }
    return [{"county": county, "campaign": adopted.get(county.pk)} for county in counties]


def adoption_by(*, campaign, county_id):
    """The county's own campaign adopting the city's `campaign` (None until it adopts)."""
    return Campaign.objects.filter(adopts=campaign, bureau_id=county_id).first()
