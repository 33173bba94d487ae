import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts.models import Organization
from hazards.models import Hazard
from reporting.models import Submission, SubmissionStatus
from violations.models import Violation
from workforce.models import PositioningRecord

pytestmark = pytest.mark.django_db


def test_scale_data_at_a_small_size_owes_every_deadline_and_sends_nothing_from_the_future():
    call_command(
        "generate_scale_data",
        "--mines",
        "12",
        "--hazards-per-mine",
        "5",
        "--violations-per-mine",
        "3",
        "--trips-per-mine",
        "40",
    )

    bureau = Organization.objects.get(kind="bureau", name="规模测试应急管理局")
    mines = Organization.objects.filter(kind="mine", parent__parent=bureau)
    assert mines.count() == 12
    assert Hazard.objects.filter(mine__in=mines).count() == 60
    assert Violation.objects.filter(mine__in=mines).count() == 36
    trips = PositioningRecord.objects.filter(mine__in=mines)
    assert trips.count() == 480 and trips.filter(entered_at__gt=timezone.now()).count() == 0
    assert trips.over_time().exists()
    for trip in trips.over_time()[:20]:  # the flags agree with the times
        assert trip.over_underground == (trip.underground_minutes > 600) and trip.over_face == (trip.face_minutes > 480)
        assert trip.exited_at - trip.entered_at == dt.timedelta(minutes=trip.underground_minutes)

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
