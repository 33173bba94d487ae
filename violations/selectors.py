import calendar
import datetime as dt

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from campaign.figures import BULLETIN_CASES, figure_of, figure_subquery, resolve

from .models import (
    BackTrack,
    Bulletin,
    BulletinRead,
    BulletinStatus,
    RedLineList,
    Tipoff,
    Violation,
)


def violation_list(*, user):
    return Violation.objects.visible_to(user).select_related("mine").order_by("-occurred_on", "-id")


def violation_detail(*, user, pk):
    qs = Violation.objects.visible_to(user).select_related(
        "mine", "mine__parent", "inspection", "created_by", "accountability__recorded_by"
    )
    qs = qs.prefetch_related(Prefetch("backtracks", queryset=BackTrack.objects.select_related("done_by")))
    return get_object_or_404(qs, pk=pk)


def person_history(*, user, violation):
    """The same person's other 三违 at the same mine (repeat offenders)."""
    return (
        Violation.objects.visible_to(user)
        .filter(mine_id=violation.mine_id, person_name=violation.person_name)
        .exclude(pk=violation.pk)
        .order_by("-occurred_on")[:20]
    )


def bulletin_list(*, user):
    return Bulletin.objects.visible_to(user).annotate(case_count=Count("cases")).order_by("-period", "-id")


def bulletin_detail(*, user, pk):
    cases = Violation.objects.select_related("mine").order_by("occurred_on")
    return get_object_or_404(
        Bulletin.objects.visible_to(user)
        .select_related("bureau", "published_by")
        .prefetch_related(Prefetch("cases", queryset=cases)),
        pk=pk,
    )


def bulletin_duty(*, bureau_id, period, campaign=None):
    """The month's duty: at least the campaign's number of typical cases (two in the 2024 notice) in the bulletins
    published for that month. Without `campaign`, that of the bureau's campaign running in the month, read in the
    same query as the count."""
    from accounts.models import Organization

    cases = (
        Violation.objects.filter(
            bulletins__bureau_id=OuterRef("pk"), bulletins__period=period, bulletins__status=BulletinStatus.PUBLISHED
        )
        .order_by()
        .values("bulletins__bureau_id")
        .annotate(n=Count("pk", distinct=True))
        .values("n")
    )
    row = Organization.objects.filter(pk=bureau_id).annotate(cases=Coalesce(Subquery(cases), 0))
    if campaign is None:
        year, month = (int(part) for part in period.split("-"))
        start = dt.date(year, month, 1)
        end = dt.date(year, month, calendar.monthrange(year, month)[1])
        row = row.annotate(required=figure_subquery(BULLETIN_CASES, bureau_id=OuterRef("pk"), start=start, end=end))
        found = row.values("cases", "required").first() or {"cases": 0, "required": None}
        required = resolve(BULLETIN_CASES, found["required"])
    else:
        found = row.values("cases").first() or {"cases": 0}
        required = figure_of(campaign, BULLETIN_CASES)
    count = found["cases"]
    return {"period": period, "cases": count, "required": required, "met": count >= required}


def unread_bulletins(*, user):
    if not user.organization_id:
        return Bulletin.objects.none()
    read = BulletinRead.objects.filter(bulletin=OuterRef("pk"), user=user)
    return (
        Bulletin.objects.visible_to(user)
        .filter(status=BulletinStatus.PUBLISHED)
        .filter(~Exists(read))
        .order_by("-published_at")
    )


def typical_candidates(*, user, selected=()):
    """Typical cases an inspector may put in a bulletin: recent ones first."""
    return (
        Violation.objects.visible_to(user)
        .filter(Q(typical=True) | Q(pk__in=[c.pk for c in selected]))
        .select_related("mine")
        .order_by("-occurred_on", "-id")[:200]
    )


def red_line_lists(*, user):
    return RedLineList.objects.visible_to(user).select_related("mine").annotate(item_count=Count("items"))


def red_line_detail(*, user, pk):
    return get_object_or_404(
        RedLineList.objects.visible_to(user).select_related("mine", "created_by").prefetch_related("items"), pk=pk
    )


def tipoff_list(*, user):
    return Tipoff.objects.visible_to(user).select_related("mine").order_by("status", "-received_on", "-id")


def tipoff_enterprise_counts(*, user):
    """The bureau's view of the enterprises' own channels: counts an enterprise, no text (Tipoff.enterprise_counts)."""
    return Tipoff.objects.enterprise_counts(user)


def tipoff_detail(*, user, pk):
    return get_object_or_404(
        Tipoff.objects.visible_to(user).select_related("mine", "violation", "hazard", "escalated_by"), pk=pk
    )


def violation_counts(*, user, today=None):
    """The home page's 三违 figures, in one query."""
    from .models.violation import accountability_overdue_q, backtrack_overdue_q

    today = today or timezone.localdate()
    month_start = today.replace(day=1)
    return Violation.objects.visible_to(user).aggregate(
        month=Count("pk", filter=Q(occurred_on__gte=month_start)),
        serious_month=Count("pk", filter=Q(occurred_on__gte=month_start, severity="serious")),
        backtrack_overdue=Count("pk", filter=backtrack_overdue_q(today)),
        accountability_overdue=Count("pk", filter=accountability_overdue_q(today)),
    )


def repeat_offender_list(*, user):
    from .models import RepeatOffender

    return (
        RepeatOffender.objects.visible_to(user)
        .select_related("mine", "campaign", "first_violation", "second_violation")
        .annotate(step_count=Count("steps"))
        # Cases still in 帮教 (no completion date) first on every database: PostgreSQL sorts NULLs last by default.
        .order_by(F("mentoring_completed_on").asc(nulls_first=True), "-escalated_at", "-id")
    )


def repeat_offender_detail(*, user, pk):
    from .models import RepeatOffender

    return get_object_or_404(
        RepeatOffender.objects.visible_to(user)
        .select_related("mine", "mine__parent", "campaign", "first_violation", "second_violation")
        .prefetch_related("steps__recorded_by__organization"),
        pk=pk,
    )


def person_violations(*, user, mine_id, person_name):
    """A person's 三违 at one mine across months, newest first: the repeat offender's history."""
    return (
        Violation.objects.visible_to(user)
        .filter(mine_id=mine_id, person_name=person_name)
        .order_by("-occurred_on", "-id")[:100]
    )


# The search box (search/): each selector starts from the same rule as its list.

VIOLATION_SEARCH_FIELDS = ("person_name", "description", "location", "post", "team", "department", "mine__name")


def violation_search(*, user, words):
    from core.search import words_q

    return violation_list(user=user).filter(words_q(words, VIOLATION_SEARCH_FIELDS))


def bulletin_search(*, user, words):
    """Published bulletins of the user's bureau; drafts only for the bureau (Bulletin.objects.visible_to)."""
    from core.search import words_q

    return Bulletin.objects.visible_to(user).filter(words_q(words, ("title", "body", "issue_no", "period")))


def red_line_search(*, user, words):
    from core.search import words_q

    return RedLineList.objects.visible_to(user).filter(words_q(words, ("title", "note", "mine__name")))
