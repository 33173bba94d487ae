from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from core.views import paginate

from .selectors import campaign_list


def campaign_list_view(request):
    return render(request, "campaign/campaign_list.html", {"page": paginate(request, campaign_list(user=request.user))})


def campaign_detail(request, pk):
    campaign = get_object_or_404(campaign_list(user=request.user), pk=pk)
    today = timezone.localdate()
    requirements = list(campaign.requirements.order_by("order"))
    return render(
        request,
        "campaign/campaign_detail.html",
        {"campaign": campaign, "today": today, "phase": campaign.phase_on(today), "requirements": requirements},
    )
