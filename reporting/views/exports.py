from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from campaign.models import Deadline
from core.replica import reads_from_replica
from core.views import docx_response, xlsx_response

from ..exports import QUARTERLY_COLUMNS, county_workbook, quarterly_workbook, version_docx
from ..selectors import (
    matrix_organizations,
    quarter_bounds,
    quarter_with_latest_data,
    quarterly_statistics,
    submission_detail,
    submissions_of_deadline,
)
from .submissions import _version_context


def submission_version_docx(request, pk, number):
    submission = submission_detail(user=request.user, pk=pk)
    version = get_object_or_404(submission.versions.all(), number=number)
    name = f"{submission.organization.name}{submission.deadline.name}第{number}版"
    return docx_response(version_docx(_version_context(submission, version)), name)


@reads_from_replica
def county_workbook_view(request, deadline_pk):
    deadline = get_object_or_404(
        Deadline.objects.visible_to(request.user).select_related("campaign"),
        pk=deadline_pk,
    )
    if request.user.organization is None or request.user.organization.kind == "mine":
        raise Http404  # a mine has its own submission; the county workbook is for those who oversee
    subs = {s.organization_id: s for s in submissions_of_deadline(user=request.user, deadline=deadline)}
    orgs = [o for o in matrix_organizations(user=request.user, campaign=deadline.campaign) if deadline.is_owed_by(o)]
    rows = [(o, subs.get(o.pk)) for o in orgs]
    return xlsx_response(
        county_workbook(deadline=deadline, rows=rows), f"{deadline.name}汇总{timezone.localdate():%Y%m%d}"
    )


@reads_from_replica
def quarterly_view(request):
    today = timezone.localdate()
    # Not the quarter before today's: in a campaign (late October to February) that one is empty.
    default_year, default_quarter = quarter_with_latest_data(user=request.user, today=today)
    try:
        year = int(request.GET.get("year", default_year))
        quarter = int(request.GET.get("quarter", default_quarter))
        if not (2000 < year < 2100 and 1 <= quarter <= 4):
            raise ValueError
    except ValueError:
        year, quarter = default_year, default_quarter
    rows = quarterly_statistics(user=request.user, year=year, quarter=quarter)
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            quarterly_workbook(rows=rows, year=year, quarter=quarter), f"{year}年第{quarter}季度隐患排查治理统计"
        )
    start, end, due = quarter_bounds(year, quarter)
    return render(
        request,
        "reporting/quarterly.html",
        {
            "rows": rows,
            "columns": QUARTERLY_COLUMNS,
            "year": year,
            "quarter": quarter,
            "start": start,
            "end": end,
            "due": due,
            "years": range(today.year - 3, today.year + 1),
        },
    )
