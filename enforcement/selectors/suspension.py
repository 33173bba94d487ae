"""Reading suspensions and 复产验收 applications: every read starts from `visible_to(user)` (the bureau its county, an
enterprise its mines, a mine its own); a mine sees its whole record, since everything in it was served on it."""

from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.shortcuts import get_object_or_404

from hazards.models import Hazard

from ..models import (
    DocumentKind,
    ResumptionApplication,
    ResumptionFile,
    ResumptionStatus,
    Suspension,
    SuspensionEvent,
)


def suspension_list(*, user):
    """The list: mine, enterprise and order in one join; how many applications and whether one waits, annotated."""
    pending = ResumptionApplication.objects.filter(suspension=OuterRef("pk"), status=ResumptionStatus.PENDING)
    return (
        Suspension.objects.visible_to(user)
        .select_related("mine", "mine__parent", "order", "resumption")
        .annotate(
            application_count=Count("applications", distinct=True),
            refused_count=Count("applications", filter=Q(applications__status=ResumptionStatus.REFUSED), distinct=True),
            has_pending=Exists(pending),
        )
        .order_by("-started_on", "-id")
    )


def _applications():
    return ResumptionApplication.objects.select_related(
        "submitted_by", "decided_by", "opinion_document"
    ).prefetch_related("attachments", "opinion_document__officers")


def suspension_detail(*, user, pk):
    qs = Suspension.objects.visible_to(user).select_related("mine", "mine__parent", "order", "created_by")
    qs = qs.prefetch_related(
        Prefetch("hazards", queryset=Hazard.objects.visible_to(user).order_by("found_on", "id")),
        Prefetch("applications", queryset=_applications().order_by("submitted_on", "id")),
        Prefetch("events", queryset=SuspensionEvent.objects.select_related("actor", "application")),
        "order__officers",
    )
    return get_object_or_404(qs, pk=pk)


def mine_suspension_history(*, user, mine):
    """A mine's suspensions, newest first, each with its applications and their documents (one query each)."""
    return (
        Suspension.objects.visible_to(user)
        .filter(mine=mine)
        .select_related("order")
        .prefetch_related(Prefetch("applications", queryset=_applications().order_by("submitted_on", "id")))
        .order_by("-started_on", "-id")
    )


def active_suspension_of(*, user, mine):
    """The mine's current suspension, if the user sees it."""
    return Suspension.objects.visible_to(user).active().filter(mine=mine).select_related("mine", "order").first()


def resumption_list(*, user):
    return (
        ResumptionApplication.objects.visible_to(user)
        .select_related(
            "suspension",
            "suspension__mine",
            "suspension__mine__parent",
            "submitted_by",
            "decided_by",
            "opinion_document",
        )
        .prefetch_related("attachments")
        .order_by("-submitted_on", "-id")
    )


def resumption_detail(*, user, pk):
    return get_object_or_404(resumption_list(user=user), pk=pk)


def resumption_files_for(*, user):
    return ResumptionFile.objects.visible_to(user).select_related("application__suspension__mine")


def suspension_of_document(*, user, document):
    """The suspension a 责令停产整顿指令书 or 复产验收意见书 belongs to, if the user sees it (None for other kinds)."""
    if document.kind == DocumentKind.SUSPENSION_ORDER:
        found = Q(order=document)
    elif document.kind == DocumentKind.RESUMPTION_OPINION:
        found = Q(applications__opinion_document=document)
    else:
        return None
    return Suspension.objects.visible_to(user).filter(found).select_related("mine").first()
