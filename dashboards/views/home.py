from django.shortcuts import render
from django.utils import timezone

from accountability.home import criticism_panel
from accounts.permissions import can_see_counties
from accounts.selectors import mine_counts_for
from campaign.selectors import campaigns_running_for, deadlines_owed_by, deadlines_owed_in_others
from campaign.switcher import campaign_for_request
from core.scoping import scope_of
from enforcement.home import suspension_panel
from hazards.selectors import hazard_counts, leader_review_counts
from reporting.selectors import campaigns_issued_by, owed_submissions_for, owed_upward
from violations.selectors import bulletin_duty, unread_bulletins, violation_counts
from workforce.selectors import control_flags

from ..home_organisation import organisation_panel
from ..levels import counties_page, county_lens, lens_query


def home(request):
    """The role-aware start page: the campaign, where we are in it, and what this user's unit owes."""
    user = request.user
    today = timezone.localdate()
    county = county_lens(request)
    if county is None and can_see_counties(user):
        # Above the county: no one campaign is "the" campaign; the counties below, each to be opened, and the
        # campaigns the city issued itself, with the counties' reports waiting for it.
        return render(
            request,
            "home.html",
            {
                "today": today,
                "above_county": True,
                "counties": counties_page(request),
                "issued": campaigns_issued_by(user=user, today=today),
            },
        )
    campaign = campaign_for_request(request, today=today)
    running = campaigns_running_for(user=user, today=today)
    context = {
        "campaign": campaign,
        "today": today,
        "running": running,
        "county": county,
        "lens": lens_query(county, campaign),
    }
    if campaign:
        org = user.organization
        submissions = {}
        if org is not None and org.kind in ("mine", "enterprise"):
            owed = deadlines_owed_by(campaign=campaign, organization=org)
            # A unit in two campaigns at once owes the other's reports too: listed with their campaign's name.
            owed += deadlines_owed_in_others(campaigns=running, shown=campaign, organization=org)
            owed.sort(key=lambda d: (d.due_on, d.pk))
            submissions = owed_submissions_for(organization=org, deadlines=owed)
        else:
            owed = list(campaign.deadlines.all())
        context.update(
            phase=campaign.phase_on(today),
            timeline=_timeline(campaign, today),
            day_number=campaign.day_number(today),
            deadlines=[
                {
                    "deadline": d,
                    "left": d.days_left(today),
                    "late_by": -d.days_left(today),
                    "submission": submissions.get(d.pk),
                    "other_campaign": d.campaign if d.campaign_id != campaign.pk else None,
                }
                for d in owed
            ],
            progress_percent=round(100 * campaign.day_number(today) / campaign.total_days),
        )
    if county is None:
        context["upward"] = owed_upward(user=user, today=today)  # a county's own reports to the city
    context["hazards"] = hazard_counts(user=user, today=today)
    context["violations"] = violation_counts(user=user, today=today)
    context["leader_reviews"] = leader_review_counts(user=user, today=today)
    context["controls"] = control_flags(user=user, today=today)
    context["month_start"] = today.replace(day=1)
    context["unread_bulletins"] = list(unread_bulletins(user=user)[:5])
    county_id = scope_of(user).county_id  # the county read (its own, or the one a city chose)
    if user.is_bureau_user and county_id:
        context["bulletin_duty"] = bulletin_duty(bureau_id=county_id, period=f"{today:%Y-%m}")
    if user.organization_id and user.organization.kind != "mine":
        context["mine_counts"] = mine_counts_for(user=user)
    context.update(organisation_panel(user=user, today=today, phase=context.get("phase")))
    context.update(suspension_panel(user=user))
    context.update(criticism_panel(user=user))
    return render(request, "home.html", context)


def _timeline(campaign, today):
    """Each phase with its state (past / current / future) and where today falls in it, in percent."""
    rows = []
    for phase in campaign.phases.all():
        if today > phase.ends_on:
            state, marker = "past", None
        elif today < phase.starts_on:
            state, marker = "future", None
        else:
            length = (phase.ends_on - phase.starts_on).days + 1
            state, marker = "current", round(100 * ((today - phase.starts_on).days + 0.5) / length)
        rows.append({"phase": phase, "state": state, "marker": marker})
    return rows
