import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts.models import Organization, User
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
        "--cities",
        "2",
        "--counties-per-city",
        "2",
    )

    # The tree: a province, two cities, four counties, each with its mines, its campaign and its own code.
    province = Organization.objects.get(kind="province")
    cities = Organization.objects.filter(kind="city", parent=province)
    counties = Organization.objects.filter(kind="bureau", parent__in=cities)
    assert cities.count() == 2 and counties.count() == 4
    for org in [province, *cities, *counties]:
        assert org.bureau_id == org.pk
        org.full_clean()  # the division codes fit their level and their parent's
    codes = [o.division_code for o in [province, *cities, *counties]]
    assert len(set(codes)) == len(codes)
    mines = Organization.objects.filter(kind="mine")
    assert mines.count() == 12
    for county in counties:
        assert county.campaigns.filter(is_template=False).count() == 1
        assert mines.filter(bureau=county, parent__bureau=county).count() == 3
        assert Hazard.objects.filter(mine__bureau=county, campaign__bureau=county).count() == 15
    assert User.objects.get(username="scale-province").sees_below
    assert User.objects.get(username="scale-city").organization == cities.order_by("division_code")[0]
    assert User.objects.get(username="scale-inspector-0").organization == counties.order_by("division_code")[0]
    assert Hazard.objects.filter(mine__in=mines).count() == 60
    assert Violation.objects.filter(mine__in=mines).count() == 36
    trips = PositioningRecord.objects.filter(mine__in=mines)
    assert trips.count() == 480 and trips.filter(entered_at__gt=timezone.now()).count() == 0
    assert trips.over_time().exists()
    for trip in trips.over_time()[:20]:  # the flags agree with the times
        assert trip.over_underground == (trip.underground_minutes > 600) and trip.over_face == (trip.face_minutes > 480)
        assert trip.exited_at - trip.entered_at == dt.timedelta(minutes=trip.underground_minutes)

    submissions = Submission.objects.filter(organization__in=mines)
    deadlines = submissions.values("deadline__code").distinct().count()  # each county owes its own copy of each
    assert submissions.count() > 12 * deadlines * 0.8  # about one per mine and deadline, a few missing
    now = timezone.now() + dt.timedelta(minutes=1)
    assert not submissions.filter(submitted_at__gt=now).exists()
    drafts = submissions.filter(status=SubmissionStatus.DRAFT)
    assert not drafts.filter(deadline__due_on__lt=timezone.localdate()).exists()
    assert all(s.versions.count() == 0 for s in drafts)

    with pytest.raises(CommandError, match="已存在"):
        call_command("generate_scale_data", "--mines", "2")


def test_scale_data_can_still_be_one_bureau():
    call_command(
        "generate_scale_data",
        "--mines",
        "3",
        "--hazards-per-mine",
        "2",
        "--violations-per-mine",
        "1",
        "--trips-per-mine",
        "1",
        "--cities",
        "0",
    )
    bureau = Organization.objects.get(kind="bureau", name="规模测试应急管理局")
    assert bureau.parent_id is None and not Organization.objects.filter(kind__in=["city", "province"]).exists()
    assert Organization.objects.filter(kind="mine", bureau=bureau).count() == 3
    assert not User.objects.filter(username__in=["scale-province", "scale-city"]).exists()
