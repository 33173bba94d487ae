import datetime as dt

from django.db.models import Case, Count, Exists, Max, OuterRef, Prefetch, Q, Subquery, When
from django.shortcuts import get_object_or_404

from accounts.models import Organization, OrganizationKind
from accounts.permissions import is_regulator
from campaign.figures import reminder_days
from campaign.membership import units_q, upward_q
from campaign.models import Deadline

from .models import Submission, SubmissionStatus, SubmissionUrge, SubmissionVersion

#: the organisations a matrix row may be: a unit reporting to its county, a regulator reporting upward
UNITS = [OrganizationKind.ENTERPRISE, OrganizationKind.MINE]
REGULATORS_BELOW = [OrganizationKind.BUREAU, OrganizationKind.CITY]


def due_soon_days(deadline):
    """How many days before its due date a deadline is "due soon" (即将到期, 催报 allowed): its campaign's first
    reminder day (campaign.figures.reminder_days: 7 by the 2024 notice)."""
    return max(reminder_days(deadline.campaign))


#: cell state → (label, Bootstrap colour)
CELL_STATES = {
    "not_owed": ("—", "light"),
    "not_due": ("未到期", "light"),
    "due_soon": ("即将到期", "warning"),
    "missing": ("未报送", "danger"),
    "draft": ("草稿", "secondary"),
    "submitted": ("已报送", "info"),
    "late": ("逾期报送", "secondary"),
    "returned": ("已退回", "danger"),
    "approved": ("已通过", "success"),
}


def submission_list(*, user):
    return Submission.objects.visible_to(user).select_related("organization", "organization__parent", "deadline")


def reviewed_by_q(user):
    """The submissions `user` reviews among those it sees (a Q on Submission): a county's inspectors its units', a
    city's regulators the counties' below it (reporting.permissions.can_review) — not a county's own report upward."""
    if is_regulator(user):
        return Q(organization__kind__in=REGULATORS_BELOW, organization__parent_id=user.organization_id)
    return Q(organization__kind__in=[OrganizationKind.MINE, OrganizationKind.ENTERPRISE])


def review_queue(*, user):
    """Submitted and waiting for the user's review, oldest first by when the version under review was sent
    (`version_submitted_at`; `updated_at` moves with any save, `submitted_at` is the first version's)."""
    sent = SubmissionVersion.objects.filter(submission=OuterRef("pk"), number=OuterRef("versions_submitted"))
    return (
        submission_list(user=user)
        .filter(reviewed_by_q(user), status=SubmissionStatus.SUBMITTED)
        .annotate(version_submitted_at=Subquery(sent.values("submitted_at")[:1]))
        .order_by("version_submitted_at", "pk")
    )


def submission_detail(*, user, pk):
    return get_object_or_404(
        submission_list(user=user)
        .select_related("deadline__campaign")
        .prefetch_related(
            Prefetch("versions", queryset=SubmissionVersion.objects.select_related("submitted_by", "reviewed_by")),
            "files",
        ),
        pk=pk,
    )


def matrix_organizations(*, user, campaign=None):
    """The organisations a user follows in the matrix: enterprises and mines under it, enterprise first; with
    `campaign`, only those taking part in it (campaign.membership) — and, when the campaign has deadlines owed upward,
    the counties that owe them (a city's campaign: the counties below it; a county's own: the county, first)."""
    units = Organization.objects.visible_to(user)
    if campaign is None:
        return units.filter(kind__in=UNITS).select_related("parent").order_by("bureau_id", "kind", "name", "pk")
    # In the same query: a campaign owing nothing upward has no county row.
    owes_upward = Exists(Deadline.objects.filter(campaign_id=campaign.pk, owed_by_bureau=True))
    return (
        units.filter((units_q(campaign) & Q(kind__in=UNITS)) | (upward_q(campaign) & Q(owes_upward)))
        .select_related("parent")
        .order_by(Case(When(kind__in=REGULATORS_BELOW, then=0), default=1), "bureau_id", "kind", "name", "pk")
    )


def cell_state(deadline, organization, submission, today):
    if not deadline.is_owed_by(organization):
        return "not_owed"
    status = submission["status"] if submission else SubmissionStatus.DRAFT
    if status == SubmissionStatus.APPROVED:
        return "approved"
    if status == SubmissionStatus.RETURNED:
        return "returned"
    if status == SubmissionStatus.SUBMITTED:
        return "late" if submission["late"] else "submitted"
    if submission is not None:
        return "draft"  # saved, never sent: work under way, not the same as nothing at all (still not sent)
    if deadline.due_on < today:
        return "missing"
    if deadline.due_on <= today + dt.timedelta(days=due_soon_days(deadline)):
        return "due_soon"
    return "not_due"


#: the cell states of a unit that owes the deadline and has not sent it: what 催报 is for
NOT_SENT = ("missing", "due_soon", "not_due", "draft")


def urgeable(deadline, today):
    """Whether 催报 makes sense for `deadline` today: due within the reminder window or past (the service says so)."""
    return deadline.due_on <= today + dt.timedelta(days=due_soon_days(deadline))


def matrix_deadlines(*, user, campaign):
    """The campaign's deadlines, each with when it was last urged and by whom (`last_urged_at`, `last_urged_by`),
    among the units the user follows. One query."""
    urges = SubmissionUrge.objects.filter(
        deadline=OuterRef("pk"), organization__in=matrix_organizations(user=user, campaign=campaign).values("pk")
    ).order_by("-urged_at", "-pk")
    return list(
        campaign.deadlines.annotate(
            last_urged_at=Subquery(urges.values("urged_at")[:1]),
            last_urged_by=Subquery(urges.values("urged_by__full_name")[:1]),
        ).order_by("due_on", "pk")
    )


def submission_matrix(*, deadlines, organizations, today):
    """Rows of (organisation, [cell]) for the given page of organisations; a cell has its deadline, state, submission
    id and when the unit was last urged for it (`last_urged_at`, `times_urged`). Two queries, whatever the number
    of cells: the submissions and the urges."""
    found = {
        (s["organization_id"], s["deadline_id"]): s
        for s in Submission.objects.filter(deadline__in=deadlines, organization__in=organizations).values(
            "id", "organization_id", "deadline_id", "status", "late"
        )
    }
    urged = {
        (u["organization_id"], u["deadline_id"]): u
        for u in SubmissionUrge.objects.filter(deadline__in=deadlines, organization__in=organizations)
        .values("organization_id", "deadline_id")
        .annotate(last=Max("urged_at"), times=Count("pk"))
        .order_by()
    }
    rows = []
    for org in organizations:
        cells = []
        for d in deadlines:
            sub = found.get((org.pk, d.pk))
            urge = urged.get((org.pk, d.pk)) or {}
            cells.append(
                {
                    "deadline": d,
                    "state": cell_state(d, org, sub, today),
                    "submission_id": sub["id"] if sub else None,
                    "last_urged_at": urge.get("last"),
                    "times_urged": urge.get("times", 0),
                }
            )
        rows.append({"organization": org, "cells": cells})
    return rows


def matrix_column_totals(*, user, deadlines, campaign=None):
    """Per deadline, over every unit the user follows (not just the page shown): how many owe it, have sent it
    (any version), are approved, have not sent it (`missing`, drafts included) and have a draft. Two queries."""
    units = matrix_organizations(user=user, campaign=campaign)
    by_kind = dict(units.order_by().values_list("kind").annotate(n=Count("pk")))
    counts = {
        row["deadline_id"]: row
        for row in Submission.objects.filter(deadline__in=deadlines, organization__in=units.values("pk"))
        .values("deadline_id")
        .annotate(
            submitted=Count("pk", filter=Q(versions_submitted__gt=0)),
            approved=Count("pk", filter=Q(status=SubmissionStatus.APPROVED)),
            drafts=Count("pk", filter=Q(versions_submitted=0)),
        )
        .order_by()
    }
    totals = []
    for d in deadlines:
        owed = by_kind.get(OrganizationKind.MINE, 0) * d.owed_by_mines
        owed += by_kind.get(OrganizationKind.ENTERPRISE, 0) * d.owed_by_enterprises
        owed += sum(by_kind.get(k, 0) for k in REGULATORS_BELOW) * d.owed_by_bureau
        row = counts.get(d.pk, {})
        submitted = row.get("submitted", 0)
        totals.append(
            {
                "deadline": d,
                "owed": owed,
                "submitted": submitted,
                "approved": row.get("approved", 0),
                "missing": max(owed - submitted, 0),
                "drafts": row.get("drafts", 0),
            }
        )
    return totals


def owed_submissions_for(*, organization, deadlines):
    return {s.deadline_id: s for s in Submission.objects.filter(organization=organization, deadline__in=deadlines)}


def submissions_of_deadline(*, user, deadline):
    return (
        Submission.objects.visible_to(user)
        .filter(deadline=deadline)
        .select_related("organization", "organization__parent")
        .order_by("organization__kind", "organization__name")
    )


def review_filter_q(*, kind=None, enterprise=None, status=None):
    q = Q()
    if kind:
        q &= Q(deadline__kind=kind)
    if enterprise:
        q &= Q(organization_id=enterprise) | Q(organization__parent_id=enterprise)
    if status:
        q &= Q(status=status)
    return q


def quarter_bounds(year, quarter):
    import calendar

    start_month = 3 * (quarter - 1) + 1
    end_month = start_month + 2
    start = dt.date(year, start_month, 1)
    end = dt.date(year, end_month, calendar.monthrange(year, end_month)[1])
    due = dt.date(year + (quarter == 4), 1 if quarter == 4 else end_month + 1, 15)
    return start, end, due


def quarter_of(day):
    return day.year, (day.month - 1) // 3 + 1


def quarter_with_latest_data(*, user, today):
    """The quarter the statistics page opens on: the latest one with a hazard the user sees (found up to today), so a
    campaign's page opens on the current quarter as soon as it has data; today's quarter when there is none. One
    query, down the ledger's found-date index."""
    from hazards.models import Hazard

    latest = (
        Hazard.objects.visible_to(user)
        .filter(found_on__lte=today)
        .order_by("-found_on")
        .values_list("found_on", flat=True)
        .first()
    )
    return quarter_of(latest or today)


def quarterly_statistics(*, user, year, quarter):
    """The 隐患排查治理 statistics per mine for a quarter (按季统计，下一季度15日前报送). One grouped query."""
    from django.db.models import Count, DecimalField, Sum, Value
    from django.db.models.functions import Coalesce

    from hazards.models import Hazard

    start, end, _ = quarter_bounds(year, quarter)
    closed_in_time = Q(status="closed", accepted_on__lte=end)
    rows = (
        Hazard.objects.visible_to(user)
        .filter(found_on__gte=start, found_on__lte=end)
        .values("mine_id", "mine__name")
        .annotate(
            total=Count("pk"),
            general=Count("pk", filter=Q(level="general")),
            general_closed=Count("pk", filter=Q(level="general") & closed_in_time),
            major=Count("pk", filter=Q(level="major")),
            major_closed=Count("pk", filter=Q(level="major") & closed_in_time),
            major_funds=Coalesce(
                Sum("funds", filter=Q(level="major")),
                Value(0),
                output_field=DecimalField(max_digits=16, decimal_places=2),
            ),
            listed=Count("listing", filter=Q(level="major")),
        )
        .order_by("mine__name")
    )
    result = []
    for row in rows:
        row["general_rate"] = round(100 * row["general_closed"] / row["general"], 1) if row["general"] else None
        row["major_rate"] = round(100 * row["major_closed"] / row["major"], 1) if row["major"] else None
        row["major_open"] = row["major"] - row["major_closed"]
        result.append(row)
    return result


# The search box (search/): each selector starts from the same rule as its list and the file downloads.
# The narrative itself is JSON, which SQLite stores with its Chinese escaped (\uXXXX) and PostgreSQL does not: a
# search in it would find different things on the two databases, so a submission is found by who sent what, and why
# it was returned.

SUBMISSION_SEARCH_FIELDS = ("organization__name", "organization__short_name", "deadline__name", "return_reason")


def submission_search(*, user, words):
    from core.search import words_q

    return (
        submission_list(user=user)
        .filter(words_q(words, SUBMISSION_SEARCH_FIELDS))
        .order_by("-deadline__due_on", "organization__name", "pk")
    )


def submission_files(*, user):
    """The attachments of the submissions the user sees (the download view serves no other)."""
    from .models import SubmissionFile

    return SubmissionFile.objects.filter(submission__in=submission_list(user=user))


def submission_file_search(*, user, words):
    from core.search import words_q

    return submission_files(user=user).filter(words_q(words, ("original_name",)))


#: how long after its campaign ends what a county sent upward stays on its home page
UPWARD_SHOWN_DAYS = 31


def owed_upward(*, user, today):
    """What the user's county owes the level above (its own campaigns' upward deadlines and those of the city's
    campaigns it reports to), each with its submission: every deadline of a campaign running or ended less than a month
    ago, and any older one it has left unfinished (a draft, or returned by the city). Three queries."""
    org = user.organization
    if org is None or org.kind != OrganizationKind.BUREAU or org.parent_id is None:
        return []  # a county with no level above it (a county-only installation) reports to no one here
    deadlines = [
        d
        for d in Deadline.objects.visible_to(user)
        .filter(
            owed_by_bureau=True,
            campaign__status="published",
            campaign__is_template=False,
        )
        .filter(
            Q(campaign__ends_on__gte=today - dt.timedelta(days=UPWARD_SHOWN_DAYS))
            | Q(
                pk__in=Submission.objects.filter(
                    organization_id=org.pk, status__in=[SubmissionStatus.DRAFT, SubmissionStatus.RETURNED]
                ).values("deadline_id")
            )
        )
        .select_related("campaign")
        .prefetch_related("campaign__participants")
        .order_by("due_on", "pk")
        if d.is_owed_by(org)
    ]
    found = owed_submissions_for(organization=org, deadlines=deadlines)
    return [
        {"deadline": d, "submission": found.get(d.pk), "left": d.days_left(today), "late_by": -d.days_left(today)}
        for d in deadlines
    ]


def campaigns_issued_by(*, user, today):
    """A city's own campaigns still running (or to come), each with how many of its counties' reports wait for the
    user's review. Two queries."""
    from campaign.models import Campaign

    if not is_regulator(user):
        return []
    campaigns = list(
        Campaign.objects.filter(bureau_id=user.organization_id, is_template=False, ends_on__gte=today).order_by(
            "starts_on", "pk"
        )
    )
    waiting = dict(
        review_queue(user=user)
        .filter(deadline__campaign__in=campaigns)
        .order_by()
        .values_list("deadline__campaign_id")
        .annotate(n=Count("pk"))
    )
    return [{"campaign": c, "waiting": waiting.get(c.pk, 0)} for c in campaigns]
