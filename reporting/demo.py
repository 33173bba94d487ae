from django.utils import timezone

from campaign.models import DeadlineKind

from .models import Submission, SubmissionStatus


def seed_submissions(*, campaign, orgs, users, today=None):
    """mine1 keeps a draft of the next report it owes, so the demo shows work in progress."""
    today = today or timezone.localdate()
    upcoming = campaign.deadlines.filter(owed_by_mines=True, due_on__gte=today).order_by("due_on").first()
    deadline = upcoming or campaign.deadlines.filter(kind=DeadlineKind.SUMMARY).first()
    Submission.objects.get_or_create(
        organization=orgs["mine1"],
        deadline=deadline,
        defaults={
            "status": SubmissionStatus.DRAFT,
            "content": {"narrative": "本月组织开展隐患排查，正在整理数据。"},
            "created_by": users["mine1"],
        },
    )
