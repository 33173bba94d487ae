from django import template
from django.utils import timezone

from campaign.selectors import campaigns_running_for
from campaign.switcher import PARAM

register = template.Library()


#: the most campaigns the switcher shows as buttons
SWITCHER_BUTTONS = 6


@register.inclusion_tag("campaign/_switcher.html", takes_context=True)
def campaign_switcher(context, campaign, running=None):
    """The running campaigns the user works in, as links to this page for each (shown only when there are two or
    more, or the page shows one that is not running). One query, none when the page passes `running`
    (campaign.selectors.campaigns_running_for)."""
    request = context["request"]
    campaign = campaign or None  # a page without one passes "" (an unset variable)
    if running is None or running == "":  # not passed by the page: asked here
        running = campaigns_running_for(user=request.user, today=timezone.localdate())
    choices = list(running)
    if campaign is not None and all(c.pk != campaign.pk for c in choices):
        choices.append(campaign)
    params = request.GET.copy()
    params.pop("page", None)
    # Above the county the campaigns are several bureaus' (a city's and each county's, often of one name): each is
    # named with its bureau, and with its bureau's city when they are of several cities (a province's 120 counties
    # hold a dozen 城关区).
    several = len({c.bureau_id for c in choices}) > 1
    cities = len({c.bureau.parent_id for c in choices if c.bureau_id}) > 1
    links = []
    for c in choices:
        params[PARAM] = str(c.pk)
        label = c.name
        if several and c.bureau_id:
            label = f"{_short(c.bureau)}·{c.name}"
            if cities and c.bureau.parent_id:
                label = f"{_short(c.bureau.parent)}{label}"
        links.append(
            {
                "campaign": c,
                "label": label,
                "url": f"{request.path}?{params.urlencode()}",
                "current": campaign and c.pk == campaign.pk,
            }
        )
    # A few as buttons; more (a province's campaigns, one per county) as one list to choose from, which a phone's
    # first screen can hold.
    hidden = [
        (name, value)
        for name, values in request.GET.lists()
        if name not in (PARAM, "page", "cursor")
        for value in values  # a filter chosen twice (?status=a&status=b) kept whole
    ]
    return {
        "links": links,
        "campaign": campaign,
        "show": len(links) > 1,
        "as_list": len(links) > SWITCHER_BUTTONS,
        "param": PARAM,
        "hidden": hidden,
    }


def _short(unit):
    return unit.short_name or unit.name
