import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts.models import Organization
from hazards.models import Hazard
from reporting.models import Submission, SubmissionStatus
from violations.models import Violation

pytestmark = pytest.mark.django_db


def test_scale_data_at_a_small_size_owes_every_deadline_and_sends_nothing_from_the_future():
    call_command("generate_scale_data", "--mines", "12", "--hazards-per-mine", "5", "--violations-per-mine", "3")

    bureau = Organization.objects.get(kind="bureau", name="规模测试应急管理局")
    mines = Organization.objects.filter(kind="mine", parent__parent=bureau)
    assert mines.count() == 12
    assert Hazard.objects.filter(mine__in=mines).count() == 60
    assert Violation.objects.filter(mine__in=mines).count() == 36

    submissions = Submission.objects.filter(organization__in=mines)
    deadlines = submissions.values("deadline").distinct().count()
    assert submissions.count() > 12 * deadlines * 0.8  # about one per mine and deadline, a few missing
    now = timezone.now() + dt.timedelta(minutes=1)
    assert not submissions.filter(submitted_at__gt=now).exists()
    drafts = submissions.filter(status=SubmissionStatus.DRAFT)
    assert not drafts.filter(deadline__due_on__lt=timezone.localdate()).exists()
    assert all(s.versions.count() == 0 for s in drafts)

    with pytest.raises(CommandError, match="已存在"):
        call_command("generate_scale_data", "--mines", "2")
