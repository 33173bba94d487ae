"""Reading the accountability actions: every read starts from `AccountabilityAction.objects.visible_to(user)` (the
bureau all of its county's, drafts too; a unit the issued ones naming it or, for an enterprise, its mines). Pages, the
API, the .docx and the home page read through here."""

from django.db.models import Exists, OuterRef, Prefetch
from django.shortcuts import get_object_or_404

from .models import AccountabilityAction, ActionEvent, ActionKind, ActionRead, ActionTarget


def _targets():
    return Prefetch("targets", queryset=ActionTarget.objects.select_related("organization").order_by("order", "id"))


def action_list(*, user):
    """The list (page and API): the targets in one more query per page, whatever the number of rows."""
    return (
        AccountabilityAction.objects.visible_to(user)
        .select_related("bureau")
        .prefetch_related(_targets())
        .order_by("-issued_on", "-id")
    )


def action_detail(*, user, pk):
    qs = (
        AccountabilityAction.objects.visible_to(user)
        .select_related("bureau", "created_by", "issued_by", "campaign")
        .prefetch_related(_targets(), Prefetch("events", queryset=ActionEvent.objects.select_related("actor")))
    )
    return get_object_or_404(qs, pk=pk)


def action_reads(*, action):
    """Who of the named units read it, and when (the bureau's view of the receipts)."""
    return ActionRead.objects.filter(action=action).select_related("user", "user__organization").order_by("read_at")


def unread_criticisms(*, user):
    """The issued 通报批评 naming the user's unit (or, for an enterprise, one of its mines) that the user has not
    opened: the home page's banner, as the 三违 bulletins'. One query."""
    if not user.is_authenticated or user.organization_id is None:
        return AccountabilityAction.objects.none()
    read = ActionRead.objects.filter(action_id=OuterRef("pk"), user=user)
    return (
        AccountabilityAction.objects.visible_to(user)
        .issued()
        .filter(kind=ActionKind.NOTICE_CRITICISM)
        .filter(~Exists(read))
        .order_by("-issued_on", "-id")
    )


def open_follow_ups(*, user):
    """Issued 约谈 the user sees whose follow-up is not recorded yet, soonest first."""
    return (
        AccountabilityAction.objects.visible_to(user)
        .issued()
        .filter(kind=ActionKind.SUMMONS, follow_up_done_on__isnull=True, follow_up_on__isnull=False)
        .prefetch_related(_targets())
        .order_by("follow_up_on", "id")
    )
