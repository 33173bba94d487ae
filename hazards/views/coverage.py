"""检查覆盖: the bureau's enforcement, mine by mine, over a phase of the campaign (部门精准执法 by default)."""

from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone

from campaign.switcher import campaign_for_request
from core.views import paginate

from ..permissions import can_see_inspection_coverage
from ..selectors import days_since, inspection_coverage, inspections_without_exam, not_inspected_count


def _phase(campaign, code, today):
    """The phase asked for by its code, else the one today falls in, else (before or after every phase) None."""
    phases = list(campaign.phases.all())
    chosen = next((p for p in phases if p.code == code), None) if code else None
    return chosen or campaign.phase_on(today), phases


def inspection_coverage_view(request):
    if not can_see_inspection_coverage(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    campaign = campaign_for_request(request, today=today)
    context = {"campaign": campaign, "today": today}
    if campaign is not None:
        phase, phases = _phase(campaign, request.GET.get("phase", "")[:40], today)
        # Outside every phase (before the campaign or after it): the whole campaign.
        start, end = (phase.starts_on, phase.ends_on) if phase else (campaign.starts_on, campaign.ends_on)
        not_inspected = request.GET.get("not_inspected") in ("1", "true")
        rows = inspection_coverage(
            user=request.user, start=start, end=end, not_inspected=not_inspected, campaign=campaign
        )
        page = paginate(request, rows, per_page=50)
        for mine in page:
            mine.days_since = days_since(mine.last_inspected_on, today)
            mine.not_inspected = mine.phase_inspections == 0
        params = {"phase": phase.code if phase else "", "not_inspected": "1" if not_inspected else ""}
        context.update(
            phase=phase,
            phases=phases,
            start=start,
            end=end,
            page=page,
            filter_not_inspected=not_inspected,
            query_string=urlencode({k: v for k, v in params.items() if v}),
            not_inspected_count=not_inspected_count(user=request.user, start=start, end=end),
            exam_missing=inspections_without_exam(user=request.user, start=start, end=end),
        )
    return render(request, "hazards/inspection_coverage.html", context)
