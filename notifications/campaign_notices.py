"""Notices about the campaign's task items (the campaign app may not import this one: it sends a signal,
campaign/signals.py, and this receiver writes the notice in the same transaction)."""

from django.urls import reverse

from campaign.models import DeclarationReview

from .models import Level
from .recipients import users_by_organization
from .services import Notice, notify_many


def on_progress_reviewed(sender, *, progress, declaration, actor, **kwargs):
    """The unit hears of the bureau's 核验 of its item: returned with the reason and a link to correct it, or
    verified. Once per declaration (the key names its version)."""
    requirement = progress.requirement
    returned = declaration.review == DeclarationReview.RETURNED
    what = f"任务事项 {requirement.code}（第{declaration.number}次申报）"
    if returned:
        title = f"{what}被县局退回，请补充后重新申报"
        body = f"退回理由：{declaration.review_reason}"
        if progress.flagged:
            body += f"（该事项已被退回{progress.times_returned}次）"
    else:
        title = f"{what}已通过县局核验"
        body = f"核验意见：{declaration.review_reason}" if declaration.review_reason else ""
    url = reverse("progress_edit", kwargs={"pk": requirement.campaign_id, "requirement_pk": requirement.pk})
    recipients = users_by_organization([progress.organization_id])[progress.organization_id]
    notify_many(
        [
            Notice(
                user_id,
                "progress_reviewed",
                f"progress-reviewed:{progress.pk}:{declaration.number}",
                title,
                body,
                url,
                Level.WARNING if returned else Level.INFO,
            )
            for user_id in recipients
        ]
    )
