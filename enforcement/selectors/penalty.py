"""Reading penalty cases: every read starts from `PenaltyCase.objects.visible_to(user)` and, for users who do not see
the bureau's drafts (mines, enterprises), keeps only the cases whose 行政处罚告知书 was served."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from ..models import LegalProvision, PenaltyCase, PenaltyEvent, PenaltyEvidence, PenaltyParty
from ..permissions import can_read_case_file, can_see_drafts


def _visible(user):
    cases = PenaltyCase.objects.visible_to(user)
    return cases if can_see_drafts(user) else cases.served_on_mine()


def penalty_case_list(*, user):
    """The list: the mine and its enterprise in one join; the parties' amounts in one more query per page."""
    return (
        _visible(user)
        .select_related("mine", "mine__parent")
        .prefetch_related(Prefetch("parties", queryset=PenaltyParty.objects.order_by("order", "id")))
        .order_by("-filed_on", "-id")
    )


def penalty_case_detail(*, user, pk):
    qs = _visible(user).select_related(
        "mine",
        "mine__parent",
        "bureau",
        "inspection",
        "hazard",
        "violation",
        "review_document",
        "notice",
        "decision",
        "created_by",
    )
    qs = qs.prefetch_related(
        Prefetch("parties", queryset=PenaltyParty.objects.select_related("provision").order_by("order", "id")),
        "provisions",
        Prefetch("events", queryset=PenaltyEvent.objects.select_related("actor")),
        "notice__officers",
        "decision__officers",
    )
    return get_object_or_404(qs, pk=pk)


def penalty_evidence_for(*, user):
    """The case files a user may download: the 案卷 is the bureau's (permissions.can_read_case_file)."""
    evidence = PenaltyEvidence.objects.visible_to(user).select_related("case__mine")
    return evidence if can_read_case_file(user) else evidence.none()


def provision_list(*, user):
    return LegalProvision.objects.visible_to(user).order_by("order", "id")


def provision_options(*, user, bureau_id):
    """What a case of the bureau may cite: its provisions in use."""
    return provision_list(user=user).filter(bureau_id=bureau_id, active=True)
