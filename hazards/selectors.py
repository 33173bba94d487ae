from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from accounts.models import User

from .models import ExamResult, Hazard, HazardEvent, HazardFile, HazardListing, Inspection, MajorHazardCategory
from .permissions import can_accept


def hazard_list(*, user):
    return (
        Hazard.objects.visible_to(user)
        .select_related("mine", "mine__parent", "major_category", "listing")
        .order_by("-found_on", "-id")
    )


def hazard_detail(*, user, pk):
    qs = Hazard.objects.visible_to(user).select_related(
        "mine", "mine__parent", "major_category__standard", "inspection", "listing", "created_by", "campaign"
    )
    qs = qs.prefetch_related(
        Prefetch("events", queryset=HazardEvent.objects.select_related("actor")),
        "files",
        "accountability__recorded_by",
    )
    return get_object_or_404(qs, pk=pk)


def hazard_acceptors(hazard):
    """Who may accept (or return) the hazard's pending acceptance, the mine's own people first: for a general hazard
    the officers of its mine and its enterprise, for a major one the bureau's inspectors; never the one who asked.
    Each candidate is put to `permissions.can_accept`, so the page names exactly whom the service would let act."""
    mine = hazard.mine
    organizations = [mine.bureau_id] if hazard.is_major else [mine.pk, mine.parent_id]
    candidates = User.objects.filter(is_active=True, organization_id__in=organizations).select_related("organization")
    acceptors = [user for user in candidates if can_accept(user, hazard)]
    return sorted(acceptors, key=lambda user: (user.organization_id != mine.pk, user.display_name))


def listed_hazards(*, user):
    """The county list of 挂牌督办 major hazards."""
    return (
        HazardListing.objects.filter(hazard__in=Hazard.objects.visible_to(user))
        .select_related("hazard__mine", "hazard__major_category")
        .order_by("-listed_on", "-id")
    )


def current_major_categories():
    return MajorHazardCategory.objects.filter(standard__is_current=True).order_by("no")


def inspection_list(*, user):
    return Inspection.objects.visible_to(user).select_related("mine", "created_by").order_by("-inspected_on", "-id")


def inspection_detail(*, user, pk):
    qs = Inspection.objects.visible_to(user).select_related("mine", "created_by", "campaign")
    # "violations" is the reverse of violations.Violation.inspection: named, not imported (apps stay one-way).
    # Findings through the visibility rule too: a finding of another mine wrongly attached to this inspection
    # (before hazard_create checked the inspection's mine) is not shown to this mine.
    violation_model = Inspection._meta.get_field("violations").related_model
    qs = qs.prefetch_related(
        "inspectors",
        "exams",
        Prefetch("violations", queryset=violation_model.objects.visible_to(user)),
        Prefetch("hazards", queryset=Hazard.objects.visible_to(user).order_by("id")),
    )
    return get_object_or_404(qs, pk=pk)


def exam_detail(*, user, pk):
    return get_object_or_404(ExamResult.objects.visible_to(user).select_related("inspection__mine"), pk=pk)


def hazard_counts(*, user, today=None):
    """The figures the home page shows, in one query."""
    from django.db.models import Count, Q
    from django.utils import timezone

    from .models import HazardStatus, major_open_q, open_q, overdue_q

    today = today or timezone.localdate()
    return Hazard.objects.visible_to(user).aggregate(
        total=Count("pk"),
        open=Count("pk", filter=open_q()),
        overdue=Count("pk", filter=overdue_q(today)),
        awaiting=Count("pk", filter=Q(status=HazardStatus.AWAITING_ACCEPTANCE)),
        major_open=Count("pk", filter=major_open_q()),
    )


# The search box (search/): each selector starts from the same rule as the list and the file downloads.

#: where a word is looked for in the hazard ledger: its text and the mine's name (“东峰 回风” finds 东峰煤矿's)
HAZARD_SEARCH_FIELDS = ("description", "location", "responsible_person", "responsible_unit", "measures", "mine__name")


def hazard_search(*, user, words):
    from core.search import words_q

    return hazard_list(user=user).filter(words_q(words, HAZARD_SEARCH_FIELDS))


def inspection_search(*, user, words):
    from core.search import words_q

    from .models import InspectionMode

    fields = ("notes", "team_note", "mine__name")
    return inspection_list(user=user).filter(words_q(words, fields, choices={"mode": InspectionMode}))


def hazard_files(*, user):
    """The photos and papers of the hazards the user sees (the download view serves no other)."""
    return HazardFile.objects.filter(hazard__in=Hazard.objects.visible_to(user))


def hazard_file_search(*, user, words):
    from core.search import words_q

    return hazard_files(user=user).filter(words_q(words, ("original_name",)))
