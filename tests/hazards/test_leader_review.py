"""四(四)3: a major hazard found by a higher department (上级检查) owes the enterprise main leader's written 检查 to the
bureau within the campaign's days: a duty made with the hazard, submitted (who, date, file) by the mine or its
enterprise, received by the bureau, and flagged when late."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.errors import DomainError, InvalidState, NotPermitted
from hazards import services as hz
from hazards.models import HazardEvent, LeaderReview
from hazards.sweeps import sweep_leader_reviews
from notifications.models import Notification
from tests.factories import running_campaign

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()
PDF = b"%PDF-1.4 written self-criticism"


def _scan(name="主要负责人检查.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture
def superior(county, major_fields):
    fields = {**major_fields, "source": "superior_inspection", "found_on": TODAY - dt.timedelta(days=3)}
    return hz.hazard_create(actor=county.mine1_officer, mine=county.mine1, **fields)


def test_only_a_major_hazard_found_by_a_higher_department_owes_it(county, major_fields, general_fields, superior):
    review = LeaderReview.objects.get(hazard=superior)
    assert review.due_on == superior.found_on + dt.timedelta(days=15)  # the default days
    assert not review.overdue() and review.get_status_display() == "待报送"
    own = hz.hazard_create(actor=county.mine1_officer, mine=county.mine1, **{**major_fields, "location": "别处"})
    general = hz.hazard_create(
        actor=county.mine1_officer, mine=county.mine1, **{**general_fields, "source": "superior_inspection"}
    )
    assert not LeaderReview.objects.filter(hazard__in=[own, general]).exists()
    # A correction that makes it one owes it from then; one that makes it none drops the duty not yet met.
    hz.hazard_update(actor=county.mine1_officer, hazard=own, source="superior_inspection")
    assert LeaderReview.objects.filter(hazard=own).exists()
    hz.hazard_update(actor=county.mine1_officer, hazard=own, source="enterprise_monthly")
    assert not LeaderReview.objects.filter(hazard=own).exists()


def test_submitted_by_the_mine_received_by_the_bureau(client, county, superior):
    with pytest.raises(InvalidState, match="尚未报送"):
        hz.leader_review_receive(actor=county.inspector, hazard=superior)
    with pytest.raises(NotPermitted):
        hz.leader_review_submit(
            actor=county.inspector, hazard=superior, leader_name="张矿长", written_on=TODAY, file=_scan()
        )
    with pytest.raises(NotPermitted):  # another enterprise's mine
        hz.leader_review_submit(
            actor=county.mine3_officer, hazard=superior, leader_name="张矿长", written_on=TODAY, file=_scan()
        )
    with pytest.raises(DomainError, match="书面检查"):
        hz.leader_review_submit(
            actor=county.mine1_officer, hazard=superior, leader_name="张矿长", written_on=TODAY, file=None
        )
    with pytest.raises(DomainError, match="晚于今天"):
        hz.leader_review_submit(
            actor=county.mine1_officer,
            hazard=superior,
            leader_name="张矿长",
            written_on=TODAY + dt.timedelta(days=1),
            file=_scan(),
        )
    review = hz.leader_review_submit(
        actor=county.ent1_officer, hazard=superior, leader_name="张矿长", written_on=TODAY, file=_scan()
    )
    assert review.get_status_display() == "待县局签收" and review.file_type == "application/pdf"
    with pytest.raises(NotPermitted):
        hz.leader_review_receive(actor=county.mine1_officer, hazard=superior)
    hz.leader_review_receive(actor=county.inspector, hazard=superior, note="已收到")
    review.refresh_from_db()
    assert review.is_received and review.received_by == county.inspector
    with pytest.raises(InvalidState):
        hz.leader_review_submit(
            actor=county.mine1_officer, hazard=superior, leader_name="李矿长", written_on=TODAY, file=_scan()
        )
    with pytest.raises(InvalidState):
        hz.leader_review_receive(actor=county.inspector, hazard=superior)
    actions = set(HazardEvent.objects.filter(hazard=superior).values_list("action", flat=True))
    assert {"报送主要负责人检查", "签收主要负责人检查"} <= actions
    # The file goes only to those who see the hazard.
    client.force_login(county.mine1_officer)
    assert client.get(reverse("leader_review_file", args=[superior.pk])).status_code == 200
    client.force_login(county.mine3_officer)
    assert client.get(reverse("leader_review_file", args=[superior.pk])).status_code == 404


def test_a_hazard_without_the_duty_answers_409(county, major_fields):
    own = hz.hazard_create(actor=county.mine1_officer, mine=county.mine1, **major_fields)
    with pytest.raises(InvalidState):
        hz.leader_review_submit(
            actor=county.mine1_officer, hazard=own, leader_name="张矿长", written_on=TODAY, file=_scan()
        )


def test_the_page_offers_each_step_to_whom_it_belongs(client, county, superior):
    url = reverse("hazard_detail", args=[superior.pk])
    client.force_login(county.mine1_officer)
    page = client.get(url).content.decode()
    submit = f'action="{reverse("leader_review_submit", args=[superior.pk])}"'
    assert 'data-testid="leader-review"' in page and submit in page
    response = client.post(
        reverse("leader_review_submit", args=[superior.pk]),
        {"leader_name": "张矿长", "written_on": TODAY.isoformat(), "file": _scan()},
        follow=True,
    )
    assert "主要负责人检查已报送" in response.content.decode()
    client.force_login(county.inspector)
    page = client.get(url).content.decode()
    assert f'action="{reverse("leader_review_receive", args=[superior.pk])}"' in page
    assert submit not in page
    client.post(reverse("leader_review_receive", args=[superior.pk]), {"note": ""})
    assert LeaderReview.objects.get(hazard=superior).is_received
    client.force_login(county.leader)
    page = client.get(url).content.decode()
    assert "县局已签收" in page and "<form" not in page.split('data-testid="leader-review"')[1].split("</section>")[0]


def test_late_is_flagged_on_the_page_the_home_and_the_list_filter(client, county, superior):
    running_campaign(bureau=county.bureau, starts_on=TODAY - dt.timedelta(days=40))  # the home shows its figures
    LeaderReview.objects.filter(hazard=superior).update(due_on=TODAY - dt.timedelta(days=1))
    client.force_login(county.ent1_officer)
    assert (
        'data-testid="leader-review-overdue"'
        in client.get(reverse("hazard_detail", args=[superior.pk])).content.decode()
    )
    home = client.get(reverse("home")).content.decode()
    assert 'data-testid="home-leader-reviews"' in home and "逾期 1" in home
    listed = client.get(reverse("hazard_list"), {"leader_review": "overdue"}).content.decode()
    assert superior.location in listed
    assert superior.location not in client.get(reverse("hazard_list"), {"leader_review": "received"}).content.decode()


def test_the_sweep_reminds_once_per_step_then_flags_overdue(county, superior):
    due = LeaderReview.objects.get(hazard=superior).due_on
    sent = {}
    day = due - dt.timedelta(days=10)
    while day <= due + dt.timedelta(days=5):
        sweep_leader_reviews(today=day)
        assert sweep_leader_reviews(today=day) == 0
        mine_keys = Notification.objects.filter(recipient=county.mine1_officer, key__startswith="leader-review:")
        for key in mine_keys.values_list("key", flat=True):
            sent.setdefault(key, day)
        day += dt.timedelta(days=1)
    pk = LeaderReview.objects.get(hazard=superior).pk
    assert sent == {
        f"leader-review:d-7:{pk}": due - dt.timedelta(days=7),
        f"leader-review:d-3:{pk}": due - dt.timedelta(days=3),
        f"leader-review:d-1:{pk}": due - dt.timedelta(days=1),
        f"leader-review:overdue:{pk}": due + dt.timedelta(days=1),
    }
    inspector_keys = set(
        Notification.objects.filter(recipient=county.inspector, key__startswith="leader-review:").values_list(
            "key", flat=True
        )
    )
    assert inspector_keys == {f"leader-review:overdue:{pk}"}
    assert not Notification.objects.filter(recipient=county.mine3_officer, key__startswith="leader-review:").exists()


def test_a_submitted_one_is_not_chased(county, superior):
    hz.leader_review_submit(
        actor=county.mine1_officer, hazard=superior, leader_name="张矿长", written_on=TODAY, file=_scan()
    )
    due = LeaderReview.objects.get(hazard=superior).due_on
    assert sweep_leader_reviews(today=due + dt.timedelta(days=1)) == 0


def test_the_filtered_list_keeps_its_queries_at_two_sizes(client, county, major_fields):
    def make(n):
        fields = {
            **major_fields,
            "source": "superior_inspection",
            "location": f"{n}号面",
            "description": f"串联通风{n}",
        }
        return hz.hazard_create(actor=county.mine1_officer, mine=county.mine1, **fields)

    make(0)
    client.force_login(county.inspector)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("hazard_list"), {"leader_review": "awaiting"}).status_code == 200
    for n in range(1, 12):
        make(n)
    with CaptureQueriesContext(connection) as many:
        html = client.get(reverse("hazard_list"), {"leader_review": "awaiting"}).content.decode()
    assert html.count("号面") >= 12
    assert len(many) == len(few)


def test_an_imported_superior_finding_owes_it_too_and_its_undo_takes_the_duty(county):
    from tests.hazards.test_import import _major_row, _upload

    row = _major_row(排查类型="上级检查", 状态="待整改", 验收人="", 销号日期="")
    result = hz.hazards_import(actor=county.mine1_officer, mine=county.mine1, upload=_upload([row]))
    (review,) = LeaderReview.objects.filter(hazard_id__in=result.ids)
    assert review.due_on == review.hazard.found_on + dt.timedelta(days=15)
    hz.hazards_import_undo(actor=county.mine1_officer, batch_id=result.batch_id)
    assert not LeaderReview.objects.exists()
